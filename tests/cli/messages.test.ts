/** Failures that name the file or flag at fault and say what to do, instead of a raw library message. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionScorer, saveCheckpoint, selectBackend } from '../../agents/policy/index.js';
import { openStore } from '../../replay/store.js';
import { SMALL_CONFIG } from '../agents/policy/fixtures.js';
import { runCli } from './helpers.js';

let dir: string;
let runStore: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ludus-messages-'));
  runStore = path.join(dir, 'runs.db');
  openStore(runStore).close();
});

const errText = (run: { err: string[] }) => run.err.join('\n');

describe('shop serve --catalog', () => {
  it('names a file that is not a database', async () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'hello, not a database at all'.repeat(100));
    const run = await runCli(['shop', 'serve', '--catalog', file, '--port', '0']);
    expect(run.exitCode).toBe(1);
    expect(errText(run)).toBe(`error [OPTIONS_INVALID]: ${file} is not a shop catalog: it is not an SQLite database (file is not a database). Pass a file made by \`ludus shop build --out FILE\` (--catalog / catalogPath).`);
  });

  it('recognises a run store passed as a catalog', async () => {
    const run = await runCli(['shop', 'serve', '--catalog', runStore, '--port', '0']);
    expect(run.exitCode).toBe(1);
    expect(errText(run)).toMatch(new RegExp(`${runStore.replace(/[.]/g, '\\.')} is not a shop catalog: it is a ludus run store \\(a --db file\\), not a catalog`));
  });
});

describe('ports', () => {
  it('refuses an out-of-range --port naming the flag, before any other work', async () => {
    for (const args of [['replay', '--db', runStore], ['serve'], ['shop', 'serve', '--products', '100000']]) {
      const start = performance.now();
      const run = await runCli([...args, '--port', '99999']);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(errText(run)).toBe("error [USAGE]: --port must be an integer from 0 to 65535 (0 picks a free port), got '99999'");
      expect(performance.now() - start).toBeLessThan(2000); // the shop did not build its catalog first
    }
  });

  it('says which port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const run = await runCli(['replay', '--db', runStore, '--port', String(port)]);
      expect(run.exitCode).toBe(1);
      expect(errText(run)).toBe(`error: --port ${port} is already in use on 127.0.0.1: stop what uses it, pick another port, or pass --port 0 for a free one.`);
    } finally {
      blocker.close();
    }
  });
});

describe('export --out', () => {
  it('names a missing folder and a folder given as the file, and writes nothing', async () => {
    const missing = path.join(dir, 'no', 'such', 'out.jsonl');
    const run = await runCli(['export', '--db', runStore, '--out', missing]);
    expect(run.exitCode).toBe(2);
    expect(errText(run)).toBe(`error [USAGE]: --out ${missing}: the folder ${path.dirname(missing)} does not exist; create it first (mkdir -p ${path.dirname(missing)}) or choose another path`);
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expect(errText(await runCli(['export', '--db', runStore, '--out', folder]))).toMatch(/--out .*a-folder is a folder; name a file/);
    const ok = await runCli(['export', '--db', runStore, '--out', path.join(dir, 'out.jsonl')]);
    expect(ok.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, 'out.jsonl'), 'utf8')).toBe('');
  });
});

describe('eval --checkpoint with damaged weights', () => {
  it('refuses a truncated weights.bin naming the file, instead of a tensor-shape error', async () => {
    await selectBackend();
    const ckpt = path.join(dir, 'ck');
    const scorer = ActionScorer.create(SMALL_CONFIG);
    await saveCheckpoint(ckpt, { scorer });
    scorer.dispose();
    const weights = path.join(ckpt, 'weights.bin');
    writeFileSync(weights, readFileSync(weights).subarray(0, 1000));
    const run = await runCli(['eval', '--checkpoint', ckpt, '--split', 'valid_seen', '--episodes', '1', '--backend', 'wasm']);
    expect(run.exitCode).toBe(1);
    expect(errText(run)).toMatch(new RegExp(`^error \\[CHECKPOINT_INVALID\\]: ${weights.replace(/[.]/g, '\\.')} holds 1000 bytes, but .*model\\.json describes \\d+\\. The checkpoint is damaged`));
  });
});
