/**
 * `ludus rollout --agent llm --base-url URL --model M --env ID --groups N --group-size K`: one
 * iteration of groups (identical resets per group) played by a model behind any OpenAI-compatible
 * server, recorded in the store like a training iteration (every turn's prompt, completion, token
 * ids and log-probs where the server returns them). Then `ludus advantages` and `ludus export`.
 * See docs/llm-training.md.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Agent } from '../../agents/agent.js';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { isLlmAgentName, parseLlmAgentName } from '../../agents/llm/agent-name.js';
import { LlmError } from '../../agents/llm/errors.js';
import { LlmAgent } from '../../agents/llm/llm-agent.js';
import type { JsonObject } from '../../envs/core/types.js';
import { DEFAULT_ENV_OPTIONS } from '../../trainer/config.js';
import { rolloutRun } from '../../trainer/rollout-run.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';
import { createRolloutProgress, ProgressAgent } from '../rollout-progress.js';

interface RolloutFlags {
  agent: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  env: string;
  option?: string[];
  maxSteps: string;
  groups: string;
  groupSize: string;
  split: string;
  tasks: string;
  seed: string;
  db: string;
  run?: string;
  name?: string;
  concurrency: string;
  requestTimeout: string;
  retries: string;
  groupRetries: string;
  temperature: string;
  maxTokens: string;
  topLogprobs: string;
  history: string;
  minMatchScore: string;
  stream?: boolean;
  logprobs: boolean;
  returnTokenIds?: boolean;
  extraBody?: string;
  systemPrompt?: string;
  envUrl?: string[];
  token?: string;
  progress: boolean;
}

function numberFlag(name: string, value: string, min: number, max = Infinity): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new CliUsageError(`${name} must be a number in [${min}, ${max}], got '${value}'`);
  return n;
}

/** `--tasks 32` (the first 32 tasks of the split; 0: all) or `--tasks 0,5,9` (these). */
export function parseTasks(value: string): number | number[] {
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p))) throw new CliUsageError(`--tasks must be a count (32: the first 32 tasks) or task indices (0,5,9), got '${value}'`);
  return parts.map(Number);
}

function extraBodyOf(flags: RolloutFlags): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> = {};
  if (flags.extraBody !== undefined) {
    try {
      const parsed: unknown = JSON.parse(flags.extraBody);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      extra = parsed as Record<string, unknown>;
    } catch (e) {
      throw new CliUsageError(`--extra-body must be a JSON object, e.g. '{"top_k": 20}' (${(e as Error).message})`);
    }
  }
  if (flags.returnTokenIds) extra = { ...extra, return_token_ids: true };
  return Object.keys(extra).length === 0 ? undefined : extra;
}

function agentFromFlags(flags: RolloutFlags, env: string, seed: number): { agent: Agent; llm: LlmAgent | null; config: JsonObject } {
  if (flags.agent !== 'llm' && !isLlmAgentName(flags.agent)) {
    const agent = makeBuiltinAgent(env, flags.agent, seed);
    return { agent, llm: null, config: { agent: flags.agent } };
  }
  const named = isLlmAgentName(flags.agent) ? parseLlmAgentName(flags.agent) : undefined;
  const baseURL = flags.baseUrl ?? named?.baseURL ?? process.env.OPENAI_BASE_URL;
  const model = flags.model ?? named?.model;
  if (baseURL === undefined) throw new CliUsageError('--agent llm needs --base-url URL (an OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1), or $OPENAI_BASE_URL');
  if (model === undefined) throw new CliUsageError('--agent llm needs --model NAME (the model the endpoint serves; GET <base-url>/models lists them)');
  const extraBody = extraBodyOf(flags);
  const llm = new LlmAgent({
    baseURL,
    model,
    ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
    historyWindow: parseInteger('--history', flags.history, 0),
    temperature: numberFlag('--temperature', flags.temperature, 0, 2),
    maxTokens: parseInteger('--max-tokens', flags.maxTokens, 1),
    concurrency: parseInteger('--concurrency', flags.concurrency, 1),
    timeoutMs: parseInteger('--request-timeout', flags.requestTimeout, 1),
    maxRetries: parseInteger('--retries', flags.retries, 0),
    topLogprobs: parseInteger('--top-logprobs', flags.topLogprobs, 0),
    minMatchScore: numberFlag('--min-match-score', flags.minMatchScore, 0, 100),
    logprobs: flags.logprobs,
    stream: flags.stream === true,
    // no `seed` per request: servers that honour it (vLLM) would sample every copy of a group alike
    // a request that fails after its retries gives an empty action; its group is collected again
    onError: 'invalid',
    ...(flags.systemPrompt === undefined ? {} : { systemPrompt: readFileSync(flags.systemPrompt, 'utf8').trimEnd() }),
    ...(extraBody === undefined ? {} : { extraBody }),
  });
  const o = llm.options;
  return {
    agent: llm,
    llm,
    config: { agent: llm.name, model: o.model, baseUrl: o.baseURL, temperature: o.temperature, maxTokens: o.maxTokens, historyWindow: o.historyWindow, minMatchScore: o.minMatchScore, logprobs: o.logprobs, topLogprobs: o.topLogprobs, ...(extraBody === undefined ? {} : { extraBody: extraBody as JsonObject }) },
  };
}

/**
 * Before any work: the server answers `GET /models` and serves the model (a wrong URL or model
 * name is said at once, not after a rollout's worth of retries).
 */
export async function checkServedModel(llm: LlmAgent, timeoutMs = 10_000): Promise<void> {
  const { baseURL, model } = llm.options;
  const apiKey = llm.options.apiKey ?? process.env.LUDUS_LLM_API_KEY ?? process.env.OPENAI_API_KEY;
  let res: Response;
  try {
    res = await fetch(`${baseURL}/models`, { signal: AbortSignal.timeout(timeoutMs), headers: apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` } });
  } catch (e) {
    throw new LlmError('LLM_UNREACHABLE', `Cannot reach ${baseURL}/models (${(e as Error).message}). Is the server running, and is --base-url right (it usually ends in /v1)?`);
  }
  if (res.status === 404) return; // a server without the models list: the first request will tell
  if (!res.ok) throw new LlmError('LLM_REQUEST_FAILED', `${baseURL}/models answered ${res.status}: ${(await res.text()).slice(0, 300)}. Check --base-url and --api-key.`, { status: res.status });
  const body = (await res.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
  const ids = (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  if (ids.length > 0 && !ids.includes(model)) {
    throw new LlmError('LLM_REQUEST_FAILED', `${baseURL} does not serve the model '${model}': it serves ${ids.map((i) => `'${i}'`).join(', ')}. Pass one of them as --model.`);
  }
}

export function registerRolloutCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('rollout')
    .description('collect groups with an LLM (any OpenAI-compatible server) and record them like a training iteration, for a Python trainer')
    .option('--agent <name>', 'llm | llm:<model>@<url> | random | expert', 'llm')
    .option('--base-url <url>', 'the OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1 (default $OPENAI_BASE_URL)')
    .option('--model <name>', 'the model name the endpoint serves')
    .option('--api-key <key>', 'Bearer key (default $LUDUS_LLM_API_KEY, then $OPENAI_API_KEY)')
    .option('--env <id>', 'env id (single-agent)', 'household-v1')
    .option('--option <key=value...>', 'env options (default for household-v1: difficulty=easy)')
    .option('--max-steps <n>', 'time limit per episode', '30')
    .option('--groups <n>', 'G: groups (tasks) in this iteration', '8')
    .option('--group-size <n>', 'N: copies per group, reset identically', '8')
    .option('--split <split>', 'task split the groups are drawn from', 'train')
    .option('--tasks <n|list>', 'draw from the first n tasks of the split (0: all), or from these indices (0,5,9)', '0')
    .option('--seed <n>', 'seeds task sampling and env seeds (requests carry no seed: the copies of a group must sample independently)', '0')
    .option('--db <file>', 'SQLite run store', './ludus.db')
    .option('--run <id>', 'append the next iteration to this rollout run (default: start a new run)')
    .option('--name <name>', 'name of a new run')
    .option('--concurrency <n>', 'requests in flight at once', '64')
    .option('--request-timeout <ms>', 'deadline of one request attempt', '60000')
    .option('--retries <n>', 'retries of a request after a timeout, a connection error, 429 or 5xx (exponential backoff, Retry-After honoured)', '8')
    .option('--group-retries <n>', 'times a group with a failed request or a lost env is collected again whole', '2')
    .option('--temperature <t>', 'sampling temperature sent', '1')
    .option('--max-tokens <n>', 'max_tokens sent', '256')
    .option('--top-logprobs <n>', 'alternatives per token to ask for (kept with the turn)', '0')
    .option('--history <n>', 'past steps in each prompt', '4')
    .option('--min-match-score <n>', 'a reply that is not an admissible action is mapped to the nearest one when their fuzzy score reaches n (0..100); 100: only exact matches (up to case and spacing), the rest go to the env as written', '80')
    .option('--no-logprobs', 'do not ask for log-probs')
    .option('--return-token-ids', "ask for token ids (vLLM's return_token_ids: true): prompt and completion ids are recorded")
    .option('--extra-body <json>', 'extra fields merged into every request body, e.g. \'{"top_k": 20}\'')
    .option('--system-prompt <file>', 'replace the instructions of the system message with this file')
    .option('--stream', 'read replies as server-sent events')
    .option('--env-url <url...>', 'env server(s); default: in process')
    .option('--token <token>', 'auth token for the env servers')
    .option('--no-progress', 'no progress bar or lines')
    .action(async (flags: RolloutFlags) => {
      const seed = parseInteger('--seed', flags.seed, 0);
      const groups = parseInteger('--groups', flags.groups, 1);
      const groupSize = parseInteger('--group-size', flags.groupSize, 1);
      const envOptions = flags.option ? parseKeyValues(flags.option) : { ...(DEFAULT_ENV_OPTIONS[flags.env] ?? {}) };
      const { agent, llm, config } = agentFromFlags(flags, flags.env, seed);
      if (llm !== null) await checkServedModel(llm);
      const progress = flags.progress ? createRolloutProgress(groups * groupSize, err) : null;
      const counted = new ProgressAgent(agent, (c) => progress?.update(c));
      try {
        const result = await rolloutRun(
          counted,
          {
            env: flags.env,
            envOptions,
            maxSteps: parseInteger('--max-steps', flags.maxSteps, 1),
            envUrl: flags.envUrl ?? [],
            ...(flags.token === undefined ? {} : { token: flags.token }),
            groups,
            groupSize,
            split: flags.split,
            tasks: parseTasks(flags.tasks),
            seed,
            historyLength: llm === null ? 64 : llm.options.historyWindow,
            groupRetries: parseInteger('--group-retries', flags.groupRetries, 0),
            db: flags.db,
            ...(flags.run === undefined ? {} : { run: parseInteger('--run', flags.run, 1) }),
            ...(flags.name === undefined ? {} : { name: flags.name }),
            agentConfig: config,
          },
          { log: (line) => (progress ? progress.log(line) : err(line)), onRetry: (g) => counted.forget(g) },
        );
        progress?.stop();
        const m = result.metrics;
        const turns = result.steps;
        const logprobs = m['llm/turns_with_logprobs'] ?? 0;
        const ids = m['llm/turns_with_token_ids'] ?? 0;
        if (llm !== null && logprobs < turns) {
          err(`note: ${turns - logprobs} of ${turns} turns came back without log-probs (the server returned none): the export leaves old_logprobs empty for them and says so.`);
        }
        out(
          JSON.stringify(
            {
              run: result.runId,
              name: result.runName,
              iteration: result.iteration,
              db: flags.db,
              env: flags.env,
              agent: agent.name,
              groups,
              groupSize,
              episodes: result.episodes,
              turns,
              retriedGroups: result.retriedGroups,
              successRate: m['charts/success_rate'],
              meanReturn: m['charts/mean_return'],
              invalidRate: m['rollout/invalid_rate'],
              turnsPerSecond: m['charts/steps_per_second'],
              turnsWithLogprobs: logprobs,
              turnsWithTokenIds: ids,
              ...(llm === null ? {} : { llm: { model: llm.options.model, baseUrl: llm.options.baseURL, retriedRequests: m['llm/retried_requests'], promptTokens: m['llm/prompt_tokens'], completionTokens: m['llm/completion_tokens'] } }),
              next: `ludus advantages --db ${flags.db} --run ${result.runId} --algo gigpo`,
            },
            null,
            2,
          ),
        );
      } finally {
        progress?.stop();
        await counted.close();
      }
    });
}
