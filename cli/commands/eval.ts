/** `ludus eval --checkpoint DIR --env ID --split S --episodes N`: a JSON summary of a policy on a split. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { selectBackend } from '../../agents/policy/backend.js';
import { loadScorer } from '../../agents/policy/checkpoint.js';
import { TrainerError } from '../../trainer/errors.js';
import { envProviderFor } from '../../trainer/env-provider.js';
import { evaluate } from '../../trainer/evaluate.js';
import { latestCheckpoint } from '../../trainer/train.js';
import { parseInteger, parseKeyValues } from '../errors.js';

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
}

/** A checkpoint folder (model.json) or a run's checkpoint dir (its newest iter-*). */
export async function resolveCheckpoint(dir: string): Promise<string> {
  if (existsSync(path.join(dir, 'model.json'))) return dir;
  const latest = await latestCheckpoint(dir);
  if (latest === null) throw new TrainerError('CHECKPOINT_NOT_FOUND', `No checkpoint in ${dir}: pass a folder with model.json, or a run's checkpoint dir with iter-* folders.`);
  return latest;
}

export function registerEvalCommand(program: Command, out: (line: string) => void): void {
  program
    .command('eval')
    .description('evaluate a checkpoint on a split; prints a JSON summary (success overall and by task type)')
    .requiredOption('--checkpoint <dir>', "a checkpoint folder, or a run's checkpoint dir (its newest checkpoint)")
    .option('--env <id>', "env id (default: the checkpoint's training env)")
    .option('--split <split>', 'task split', 'valid_unseen')
    .option('--episodes <n>', 'episodes (tasks 0..n-1 of the split)', '60')
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
        const summary = await evaluate(provider, scorer, {
          split: flags.split,
          episodes: parseInteger('--episodes', flags.episodes, 1),
          seed: parseInteger('--seed', flags.seed, 0),
          retries: 2,
          ...(flags.temperature === undefined ? {} : { temperature: Number(flags.temperature) }),
        });
        out(JSON.stringify({ checkpoint: dir, env, backend: selection.name, ...summary }, null, 2));
      } finally {
        scorer.dispose();
        await provider.close();
      }
    });
}

function readSavedConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'run-state.json');
  if (!existsSync(file)) return {};
  const state = JSON.parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> };
  return state.config ?? {};
}
