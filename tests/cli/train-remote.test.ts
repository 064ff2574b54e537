import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, spawnServer, type ServerProcess } from '../helpers/processes.js';

let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  [a, b] = await Promise.all([spawnServer(), spawnServer()]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('ludus train --env-url (real CLI, real servers)', () => {
  it('exits 0 within a few seconds of its summary, with two servers to spread groups over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-train-remote-'));
    const run = await runBin(
      [
        'train',
        '--env-url', a.url, b.url,
        '--iterations', '1', '--groups', '2', '--group-size', '2', '--demos', '4', '--max-steps', '8',
        '--db', path.join(dir, 'x.db'), '--checkpoint-dir', path.join(dir, 'ck'),
      ],
      25_000,
    );
    expect(run.signal, `killed at the timeout; stderr:\n${run.stderr}`).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'finished', iterations: 1 });
    expect(run.msAfterFirstOutput).not.toBeNull();
    expect(run.msAfterFirstOutput!).toBeLessThan(3000);
    expect(run.stderr).not.toMatch(/still open/);
  });
});
