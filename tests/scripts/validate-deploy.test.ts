/** `npm run validate:deploy`: the real files pass, and broken ones fail with the validator's message. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, setAllManifests, validateCompose, validateManifests } from '../../scripts/deploy/validate.js';

const DEPLOY = path.join(import.meta.dirname, '../../deploy');
const envServer = readFileSync(path.join(DEPLOY, 'k8s/env-server.yaml'), 'utf8');
const compose = readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8');

describe('validate:deploy', () => {
  it('passes on deploy/ as committed (the script, as .ci/run runs it)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../../scripts/validate-deploy.ts')], { encoding: 'utf8' });
    expect(out).toMatch(/validate:deploy: \d+ documents checked, 0 problem\(s\)/);
  });

  it('fails a manifest the Kubernetes API schema refuses, with the validator message', async () => {
    setAllManifests(undefined);
    const bad = envServer.replace('replicas: 4', 'replicas: four').replace('periodSeconds: 5', 'periodSeconds: "5s"');
    const { problems } = await validateManifests(bad, 'k8s/env-server.yaml');
    expect(problems.join('\n')).toMatch(/Deployment ludus-env\): .*spec\/replicas must be integer/);
    const typo = await validateManifests(envServer.replace('apiVersion: apps/v1', 'apiVersion: app/v1'), 'k8s/env-server.yaml');
    expect(typo.problems.join('\n')).toMatch(/no Kubernetes schema for app\/v1 Deployment/);
    const yamlError = await validateManifests('kind: [unclosed', 'k8s/x.yaml');
    expect(yamlError.problems[0]).toMatch(/YAML/);
  });

  it('fails the project rules: probes, requests, a Service selecting nothing', async () => {
    setAllManifests(undefined);
    const noProbe = envServer.replace('path: /healthz', 'path: /').replace('requests: { cpu: "1", memory: 512Mi }', 'requests: { memory: 512Mi }');
    const { problems } = await validateManifests(noProbe, 'k8s/env-server.yaml');
    expect(problems.some((p) => /readinessProbe must GET \/healthz/.test(p))).toBe(true);
    expect(problems.some((p) => /needs resources\.requests\.cpu/.test(p))).toBe(true);
    const lonely = await validateManifests(envServer.replace(/selector: \{ app\.kubernetes\.io\/name: ludus-env \}\n  ports/g, 'selector: { app: nothing }\n  ports'), 'k8s/env-server.yaml');
    expect(lonely.problems.some((p) => /matches no pod template/.test(p))).toBe(true);
  });

  it('checks the compose file against the Compose Specification schema, after interpolation', () => {
    expect(validateCompose(compose, 'compose.yaml').problems).toEqual([]);
    expect(validateCompose(compose.replace('stop_signal: SIGTERM', 'stop_signall: SIGTERM'), 'compose.yaml').problems.join('\n')).toMatch(/must NOT have additional properties \('stop_signall'\)/);
    expect(validateCompose(compose, 'compose.yaml', { LUDUS_ENV_SERVERS: 'many' }).problems.join('\n')).toMatch(/replicas must be integer/);
    expect(interpolate('${A:-x} ${B-y} ${C:?need C} $${D} ${E}', { A: '', B: '', E: 'e' })).toBe('x  placeholder ${D} e');
  });
});
