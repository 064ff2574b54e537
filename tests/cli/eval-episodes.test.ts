/** `ludus eval --episodes` beyond the split: an error naming the flag, unless --repeat says to replay tasks. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionScorer, saveCheckpoint, selectBackend } from '../../agents/policy/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../helpers/toy-env.js';
import { SMALL_CONFIG } from '../agents/policy/fixtures.js';
import { runCli } from './helpers.js';

registerToyEnv(); // splits: { train: 10 }
let checkpoint: string;

beforeAll(async () => {
  await selectBackend();
  checkpoint = mkdtempSync(path.join(tmpdir(), 'ludus-eval-episodes-'));
  const scorer = ActionScorer.create(SMALL_CONFIG);
  await saveCheckpoint(checkpoint, { scorer });
  scorer.dispose();
  writeFileSync(path.join(checkpoint, 'run-state.json'), JSON.stringify({ iteration: 0, config: { env: TOY_ENV_ID, envOptions: { maxNumber: 3 }, historyLength: 2 } }));
});

describe('ludus eval --episodes', () => {
  const args = (episodes: number, ...more: string[]) => ['eval', '--checkpoint', checkpoint, '--split', 'train', '--episodes', String(episodes), '--max-steps', '3', '--backend', 'wasm', ...more];

  it('refuses more episodes than the split has tasks, naming the flag, the split size and --repeat', async () => {
    const run = await runCli(args(11));
    expect(run.exitCode).toBe(2);
    expect(run.err.join('\n')).toMatch(/--episodes 11 exceeds the 10 tasks of split 'train' of toy-guess-v0: pass --episodes 10 \(every task once\), or pass --repeat/);
    expect(run.out).toEqual([]);
  });

  it('plays every task once at the split size, and replays tasks with --repeat, saying so', async () => {
    const once = await runCli(args(10));
    expect(once.exitCode).toBe(0);
    expect(JSON.parse(once.out.join('\n'))).toMatchObject({ episodes: 10, tasks: 10, repeated: false });
    const again = await runCli(args(11, '--repeat'));
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.out.join('\n'))).toMatchObject({ episodes: 11, tasks: 10, repeated: true });
  });

  it('names a split that does not exist', async () => {
    const run = await runCli(['eval', '--checkpoint', checkpoint, '--split', 'nope', '--episodes', '1', '--backend', 'wasm']);
    expect(run.exitCode).toBe(2);
    expect(run.err.join('\n')).toMatch(/--split 'nope' is not a split of toy-guess-v0 \(splits: train\)/);
  });
});

describe('ludus train --eval-episodes', () => {
  it('refuses a final evaluation beyond its split before any work', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-train-eval-'));
    const run = await runCli(['train', '--eval-episodes', '141', '--eval-split', 'valid_seen', '--db', path.join(dir, 'x.db'), '--checkpoint-dir', path.join(dir, 'ck')]);
    expect(run.exitCode).toBe(2);
    expect(run.err.join('\n')).toMatch(/--eval-episodes 141 exceeds the 140 tasks of split 'valid_seen' of household-v1: pass --eval-episodes 140/);
  });
});
