/**
 * `ludus eval --checkpoint DIR --env ID --split S --episodes N [--repeat]`: a JSON summary of a
 * policy on a split. Episodes play tasks 0..N-1; more episodes than the split has tasks is an error
 * unless `--repeat` asks to play tasks again (with new seeds).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { selectBackend } from '../../agents/policy/backend.js';
import { loadScorer } from '../../agents/policy/checkpoint.js';
import { LudusError } from '../../envs/core/errors.js';
import { envProviderFor } from '../../trainer/env-provider.js';
import { evaluate } from '../../trainer/evaluate.js';
import { latestCheckpoint } from '../../trainer/train.js';
import { checkEpisodesInSplit } from '../episodes-in-split.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';

interface EvalFlags {
  checkpoint: string;
  env?: string;
  split: string;
  episodes: string;
  seed: string;
  maxSteps: string;
  temperature?: string;
  envUrl?: string[];
  token?: string;
  backend: string;
  option?: string[];
  repeat?: boolean;
}

/** A checkpoint folder (model.json) or a run's checkpoint dir (its newest iter-*). */
export async function resolveCheckpoint(dir: string): Promise<string> {
  if (existsSync(path.join(dir, 'model.json'))) return dir;
  const latest = await latestCheckpoint(dir);
  if (latest === null) throw new LudusError('CHECKPOINT_NOT_FOUND', `No checkpoint in ${dir}: pass a folder with model.json, or a run's checkpoint dir with iter-* folders.`);
  return latest;
}

export function registerEvalCommand(program: Command, out: (line: string) => void): void {
  program
    .command('eval')
    .description('evaluate a checkpoint on a split; prints a JSON summary (success overall and by task type)')
    .requiredOption('--checkpoint <dir>', "a checkpoint folder, or a run's checkpoint dir (its newest checkpoint)")
    .option('--env <id>', "env id (default: the checkpoint's training env)")
    .option('--split <split>', 'task split', 'valid_unseen')
    .option('--episodes <n>', 'episodes (tasks 0..n-1 of the split; at most its size unless --repeat)', '60')
    .option('--repeat', 'allow --episodes beyond the split size: tasks are played again from the start, with new seeds')
    .option('--seed <n>', 'env seeds are seed+i', '0')
    .option('--max-steps <n>', 'time limit per episode', '50')
    .option('--temperature <t>', 'sample at this temperature instead of acting greedily')
    .option('--env-url <url...>', 'env server(s); default: in process')
    .option('--token <token>', 'auth token for the env servers')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu', 'auto')
    .option('--option <key=value...>', "env options (default: the checkpoint's training env options)")
    .action(async (flags: EvalFlags) => {
      const dir = await resolveCheckpoint(flags.checkpoint);
      const saved = readSavedConfig(dir);
      const env = flags.env ?? (typeof saved.env === 'string' ? saved.env : 'household-v1');
      const envOptions = flags.option ? parseKeyValues(flags.option) : env === saved.env ? ((saved.envOptions as Record<string, unknown>) ?? {}) : {};
      const historyLength = typeof saved.historyLength === 'number' ? saved.historyLength : 2;
      const backend = flags.backend as 'auto';
      const selection = await selectBackend({ prefer: backend, allowCpu: backend === ('cpu' as string) });
      const scorer = await loadScorer(dir);
      const provider = envProviderFor({
        env,
        envOptions,
        maxSteps: parseInteger('--max-steps', flags.maxSteps, 1),
        envUrl: flags.envUrl ?? [],
        ...(flags.token === undefined ? {} : { token: flags.token }),
      });
      try {
        const episodes = parseInteger('--episodes', flags.episodes, 1);
        const described = await provider.describe();
        const size = described.splits[flags.split];
        if (size === undefined) {
          throw new CliUsageError(`--split '${flags.split}' is not a split of ${env} (splits: ${Object.keys(described.splits).join(', ')})`);
        }
        checkEpisodesInSplit({ flag: '--episodes', episodes, split: flags.split, size, env, repeat: flags.repeat === true, repeatFlag: '--repeat' });
        const summary = await evaluate(provider, scorer, {
          split: flags.split,
          episodes,
          seed: parseInteger('--seed', flags.seed, 0),
          historyLength,
          retries: 2,
          ...(flags.temperature === undefined ? {} : { temperature: Number(flags.temperature) }),
        });
        out(JSON.stringify({ checkpoint: dir, env, backend: selection.name, ...summary, tasks: Math.min(episodes, size), repeated: episodes > size }, null, 2));
      } finally {
        scorer.dispose();
        await provider.close();
      }
    });
}

function readSavedConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'run-state.json');
  if (!existsSync(file)) return {};
  let state: { config?: Record<string, unknown> };
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> };
  } catch (err) {
    throw new LudusError('CHECKPOINT_NOT_FOUND', `${file} is not valid JSON (${(err as Error).message}): the checkpoint is damaged; use another one (--checkpoint).`);
  }
  return state.config ?? {};
}
