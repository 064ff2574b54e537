/**
 * `ludus eval`: a JSON summary of an agent on the first N tasks of a split.
 *
 * - `--checkpoint DIR`: the trained policy (greedy, or sampled with `--temperature`);
 * - `--agent llm --base-url URL --model NAME` (or `--agent llm:NAME@URL`): any OpenAI-compatible
 *   endpoint, through the LLM agent; the summary adds its token usage and latency;
 * - `--agent random | expert`: the built-in agents.
 *
 * Episodes play tasks 0..N-1; more episodes than the split has tasks is an error unless `--repeat`
 * asks to play tasks again (with new seeds). `--db FILE` records every episode (with each
 * decision's LLM reply, tokens and latency) as a run of kind 'eval' for `ludus replay`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Agent } from '../../agents/agent.js';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { isLlmAgentName, parseLlmAgentName } from '../../agents/llm/agent-name.js';
import { LlmAgent } from '../../agents/llm/llm-agent.js';
import { summarizeLlmUsage } from '../../agents/llm/usage-summary.js';
import { PolicyAgent } from '../../agents/policy-agent.js';
import { isLmCheckpoint, loadLmCheckpoint } from '../../agents/lm/checkpoint.js';
import { LmAgent } from '../../agents/lm/lm-agent.js';
import type { LanguageModel } from '../../agents/lm/language-model.js';
import { selectBackend } from '../../agents/policy/backend.js';
import { loadScorer } from '../../agents/policy/checkpoint.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import { Rng } from '../../envs/core/rng.js';
import type { JsonObject } from '../../envs/core/types.js';
import { openStore } from '../../replay/store.js';
import { envProviderFor } from '../../trainer/env-provider.js';
import { TrainerError } from '../../trainer/errors.js';
import { evaluateWith } from '../../trainer/evaluate.js';
import { episodeRecord } from '../../trainer/records.js';
import type { CollectedTrajectory } from '../../trainer/rollout.js';
import { latestCheckpoint } from '../../trainer/run-checkpoints.js';
import { checkEpisodesInSplit } from '../episodes-in-split.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';

interface EvalFlags {
  checkpoint?: string;
  agent: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  env?: string;
  split: string;
  episodes: string;
  seed: string;
  maxSteps: string;
  history?: string;
  temperature?: string;
  concurrency?: string;
  timeout?: string;
  maxRetries?: string;
  topLogprobs?: string;
  stream?: boolean;
  onError?: string;
  db?: string;
  envUrl?: string[];
  token?: string;
  backend: string;
  option?: string[];
  repeat?: boolean;
}

/** A checkpoint folder (model.json, or a language model's config.json) or a run's checkpoint dir (its newest iter-*). */
export async function resolveCheckpoint(dir: string): Promise<string> {
  if (existsSync(path.join(dir, 'model.json')) || isLmCheckpoint(dir)) return dir;
  const latest = await latestCheckpoint(dir);
  if (latest === null) throw new TrainerError('CHECKPOINT_NOT_FOUND', `No checkpoint in ${dir}: pass a folder with model.json (a scorer) or config.json (a language model), or a run's checkpoint dir with iter-* folders.`);
  return latest;
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliUsageError(`${name} must be a number, got '${value}'`);
  return n;
}

/** The LLM agent the flags describe. */
function llmAgentFromFlags(flags: EvalFlags): LlmAgent {
  const named = isLlmAgentName(flags.agent) ? parseLlmAgentName(flags.agent) : undefined;
  const baseURL = flags.baseUrl ?? named?.baseURL ?? process.env.OPENAI_BASE_URL;
  const model = flags.model ?? named?.model;
  if (baseURL === undefined) throw new CliUsageError('--agent llm needs --base-url URL (an OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1), or $OPENAI_BASE_URL');
  if (model === undefined) throw new CliUsageError('--agent llm needs --model NAME (the model the endpoint serves; GET <base-url>/models lists them)');
  const onError = flags.onError;
  if (onError !== undefined && onError !== 'throw' && onError !== 'invalid') throw new CliUsageError(`--on-error must be throw or invalid, got '${onError}'`);
  return new LlmAgent({
    baseURL,
    model,
    ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
    ...(flags.history === undefined ? {} : { historyWindow: parseInteger('--history', flags.history, 0) }),
    ...(flags.temperature === undefined ? {} : { temperature: numberFlag('--temperature', flags.temperature) }),
    ...(flags.concurrency === undefined ? {} : { concurrency: parseInteger('--concurrency', flags.concurrency, 1) }),
    ...(flags.timeout === undefined ? {} : { timeoutMs: parseInteger('--timeout', flags.timeout, 1) }),
    ...(flags.maxRetries === undefined ? {} : { maxRetries: parseInteger('--max-retries', flags.maxRetries, 0) }),
    ...(flags.topLogprobs === undefined ? {} : { topLogprobs: parseInteger('--top-logprobs', flags.topLogprobs, 0) }),
    ...(flags.stream ? { stream: true } : {}),
    ...(onError === undefined ? {} : { onError }),
  });
}

export function registerEvalCommand(program: Command, out: (line: string) => void): void {
  program
    .command('eval')
    .description('evaluate an agent (a checkpoint, an LLM endpoint, a built-in agent) on a split; prints a JSON summary')
    .option('--checkpoint <dir>', "the policy: a checkpoint folder, or a run's checkpoint dir (its newest checkpoint)")
    .option('--agent <name>', 'policy | llm | llm:<model>@<url> | random | expert', 'policy')
    .option('--base-url <url>', '--agent llm: the OpenAI-compatible API root (default $OPENAI_BASE_URL)')
    .option('--model <name>', '--agent llm: the model name the endpoint serves')
    .option('--api-key <key>', '--agent llm: Bearer key (default $LUDUS_LLM_API_KEY, then $OPENAI_API_KEY)')
    .option('--env <id>', "env id (default: the checkpoint's training env, else household-v1)")
    .option('--split <split>', 'task split', 'valid_unseen')
    .option('--episodes <n>', 'episodes (tasks 0..n-1 of the split; at most its size unless --repeat)', '60')
    .option('--repeat', 'allow --episodes beyond the split size: tasks are played again from the start, with new seeds')
    .option('--seed <n>', 'env seeds are seed+i', '0')
    .option('--max-steps <n>', 'time limit per episode', '50')
    .option('--history <n>', "past steps the agent sees (default: the checkpoint's; 4 for llm)")
    .option('--temperature <t>', 'policy: sample at this temperature instead of greedy; llm: the sampling temperature sent (default 0)')
    .option('--concurrency <n>', '--agent llm: requests in flight (default 8)')
    .option('--timeout <ms>', '--agent llm: per-request timeout (default 60000)')
    .option('--max-retries <n>', '--agent llm: retries on timeouts, 429 and 5xx (default 3)')
    .option('--top-logprobs <n>', '--agent llm: alternatives per token to ask for (default 0)')
    .option('--stream', '--agent llm: read replies as server-sent events')
    .option('--on-error <how>', '--agent llm: a request that fails after the retries: throw (default) | invalid (send an empty action)')
    .option('--db <file>', 'record the episodes (kind eval) in this SQLite store')
    .option('--env-url <url...>', 'env server(s); default: in process')
    .option('--token <token>', 'auth token for the env servers')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu', 'auto')
    .option('--option <key=value...>', "env options (default: the checkpoint's training env options)")
    .action(async (flags: EvalFlags) => {
      const kind = flags.agent === 'llm' || isLlmAgentName(flags.agent) ? 'llm' : flags.agent;
      if (kind === 'policy' && flags.checkpoint === undefined) throw new CliUsageError('--agent policy needs --checkpoint DIR (or pick --agent llm, random or expert)');
      const dir = flags.checkpoint === undefined ? undefined : await resolveCheckpoint(flags.checkpoint);
      const saved = dir === undefined ? {} : readSavedConfig(dir);
      const env = flags.env ?? (typeof saved.env === 'string' ? saved.env : 'household-v1');
      const envOptions = flags.option ? parseKeyValues(flags.option) : env === saved.env ? ((saved.envOptions as Record<string, unknown>) ?? {}) : {};
      const givenHistory = flags.history !== undefined ? parseInteger('--history', flags.history, 0) : undefined;
      const seed = parseInteger('--seed', flags.seed, 0);

      let scorer: ActionScorer | undefined;
      let lm: LanguageModel | undefined;
      let backend: string | undefined;
      let agent: Agent;
      if (kind === 'policy') {
        const preferred = flags.backend as 'auto';
        backend = (await selectBackend({ prefer: preferred, allowCpu: preferred === ('cpu' as string) })).name;
        const temperature = numberFlag('--temperature', flags.temperature);
        const sampled = temperature !== undefined && temperature > 0;
        if (isLmCheckpoint(dir as string)) {
          // a language model: free-text actions, with the prompt settings it was trained with
          lm = (await loadLmCheckpoint(dir as string)).lm;
          agent = new LmAgent(lm, { greedy: !sampled, temperature: temperature ?? 1, rng: new Rng(`eval:${seed}`), name: 'lm', warn: (m) => process.stderr.write(`${m}\n`) });
        } else {
          scorer = await loadScorer(dir as string);
          agent = new PolicyAgent(scorer, { greedy: !sampled, temperature: temperature ?? 1, rng: new Rng(`eval:${seed}`) });
        }
      } else if (kind === 'llm') {
        agent = llmAgentFromFlags(flags);
      } else {
        agent = makeBuiltinAgent(env, kind, seed);
      }
      // The policy sees the history it was built for (its featurizer's historyLength; format-1
      // checkpoints: 2 steps); an LLM the last 4 steps; other agents everything.
      const historyLength = givenHistory ?? (scorer !== undefined ? scorer.config.featurizer.historyLength : kind === 'llm' ? 4 : 64);
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
        const { summary, trajectories } = await evaluateWith(provider, agent, {
          split: flags.split,
          episodes,
          seed,
          historyLength,
          retries: 2,
        });
        const llm = kind === 'llm' ? { model: (agent as LlmAgent).options.model, baseUrl: (agent as LlmAgent).options.baseURL, usage: summarizeLlmUsage(trajectories.flatMap((t) => t.steps.map((s) => s.meta))) } : undefined;
        const recorded = flags.db === undefined ? undefined : recordEval(flags.db, env, agent.name, { checkpoint: dir ?? null, split: flags.split, seed, historyLength, envOptions: envOptions as JsonObject }, trajectories);
        out(
          JSON.stringify(
            {
              agent: agent.name,
              ...(dir === undefined ? {} : { checkpoint: dir }),
              env,
              ...(backend === undefined ? {} : { backend }),
              ...summary,
              tasks: Math.min(episodes, size),
              repeated: episodes > size,
              ...(llm === undefined ? {} : { llm }),
              ...(recorded === undefined ? {} : { db: flags.db, run: recorded }),
            },
            null,
            2,
          ),
        );
      } finally {
        scorer?.dispose();
        await agent.close?.();
        lm?.model.dispose();
        await provider.close();
      }
    });
}

/** Writes the evaluation as a run of kind 'eval'; returns its id. */
function recordEval(db: string, envId: string, agent: string, config: JsonObject, trajectories: readonly CollectedTrajectory[]): number {
  const store = openStore(db);
  try {
    const runId = store.createRun({ kind: 'eval', envId, config: { agent, ...config } });
    for (const t of trajectories) {
      const record = episodeRecord(envId, t);
      store.recordEpisode(runId, { ...record, info: { ...record.info, agent } });
    }
    store.updateRunStatus(runId, 'finished');
    return runId;
  } finally {
    store.close();
  }
}

function readSavedConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'run-state.json');
  if (!existsSync(file)) return {};
  let state: { config?: Record<string, unknown> };
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> };
  } catch (err) {
    throw new TrainerError('CHECKPOINT_NOT_FOUND', `${file} is not valid JSON (${(err as Error).message}): the checkpoint is damaged; use another one (--checkpoint).`);
  }
  return state.config ?? {};
}
