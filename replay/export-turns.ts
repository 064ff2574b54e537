/**
 * `ludus export --format trl|verl`: one row per turn of the recorded episodes, as Python trainers
 * consume them: the prompt (chat messages, and token ids where known), the completion (text and
 * ids), the turn's advantage (and its GiGPO parts), the loss mask and the sampling policy's
 * per-token log-probs. The field mapping to each trainer is documented in docs/llm-training.md.
 *
 * Where a turn carries no language-model record (a run of the tfjs policy or a built-in agent),
 * the prompt is rendered in the LLM agent's format from the step (goal, observation, the last
 * `history` steps, the candidates) and the completion is `Action: <action>`; its token fields are
 * null. Episodes that ARPO's replay took out of the estimate (`info.replacedBy`) are left out;
 * replayed turns keep their advantage but no old log-probs (the trainer recomputes them, as ARPO
 * does). What is missing is counted per field, so the CLI can say which fields a trainer will not get.
 * @module
 */
import { ACTION_PREFIX, renderPrompt } from '../agents/llm/prompt.js';
import { tokenCount, type PromptMessage } from '../agents/turn-tokens.js';
import { StoreError } from './errors.js';
import type { RunStore } from './store.js';
import type { EpisodeFilter, StoredEpisode, StoredStep } from './types.js';

export const TURN_FORMATS = ['trl', 'verl'] as const;
export type TurnFormat = (typeof TURN_FORMATS)[number];
export const TURN_EXPORT_VERSION = 1;

/** One turn, before it is shaped for a trainer. */
export interface Turn {
  runId: number;
  iteration: number | null;
  episodeId: number;
  groupId: string | null;
  trajId: string | null;
  t: number;
  envId: string;
  taskId: string;
  seed: number | null;
  prompt: PromptMessage[];
  /** The prompt was rendered from the step (no language-model record). */
  promptRendered: boolean;
  completion: string;
  promptIds: number[] | null;
  completionIds: number[] | null;
  completionTokens: string[] | null;
  oldLogprobs: number[] | null;
  lossMask: number[] | null;
  advantage: number | null;
  episodeAdvantage: number | null;
  stepAdvantage: number | null;
  anchorGroup: string | null;
  reward: number;
  episodeReturn: number;
  done: boolean;
  success: boolean;
  invalid: string | null;
  replayed: boolean;
  action: string;
}

/** Fields a trainer may need, with how many exported turns lack each. */
export interface MissingFields {
  prompt_ids: number;
  completion_ids: number;
  old_logprobs: number;
  advantage: number;
}

export interface TurnExportSummary {
  format: TurnFormat;
  turns: number;
  episodes: number;
  /** Episodes left out: ARPO replays took their place in the estimate. */
  replacedEpisodes: number;
  /** Turns whose prompt was rendered from the step (no language-model record). */
  renderedPrompts: number;
  missing: MissingFields;
}

export interface TurnExportOptions {
  filter?: EpisodeFilter;
  /** Past steps in a rendered prompt (the LLM agent's default window). Default 4. */
  history?: number;
  /** Stop after this many episodes. */
  limit?: number;
}

function renderedPrompt(episode: StoredEpisode, k: number, history: number): PromptMessage[] {
  const s = episode.steps[k]!;
  const templates = s.observation.actions.filter((a) => /<[^<>\s]+>/.test(a));
  const past = episode.steps.slice(Math.max(0, k - history), k).map((p) => ({ observation: p.observation.text, action: p.action }));
  return renderPrompt({
    envId: episode.envId,
    ...(episode.seat === null ? {} : { seat: episode.seat }),
    ...(s.observation.goal === undefined ? {} : { goal: s.observation.goal }),
    text: s.observation.text,
    history: history === 0 ? [] : past,
    candidates: s.candidates,
    ...(templates.length > 0 ? { templates } : {}),
  });
}

/** The turns of one episode (none when ARPO's replay replaced it). */
export function episodeTurns(episode: StoredEpisode, history = 4): Turn[] {
  if (episode.info.replacedBy !== undefined) return [];
  const last = episode.steps.length - 1;
  return episode.steps.map((s: StoredStep, k) => {
    const tok = s.tokens;
    const n = tok === null ? 0 : tokenCount(tok);
    const mask = tok === null || n === 0 ? null : (tok.mask ?? new Array<number>(n).fill(1));
    return {
      runId: episode.runId,
      iteration: episode.iteration,
      episodeId: episode.id,
      groupId: episode.groupId,
      trajId: episode.trajId,
      t: s.t,
      envId: episode.envId,
      taskId: episode.taskId,
      seed: episode.seed,
      prompt: tok === null ? renderedPrompt(episode, k, history) : tok.prompt,
      promptRendered: tok === null,
      completion: tok === null ? `${ACTION_PREFIX}${s.action}` : tok.completion,
      promptIds: tok?.promptIds ?? null,
      completionIds: tok?.ids ?? null,
      completionTokens: tok?.tokens ?? null,
      oldLogprobs: episode.replayed ? null : (tok?.logprobs ?? null),
      lossMask: mask,
      advantage: s.advantage,
      episodeAdvantage: s.episodeAdvantage,
      stepAdvantage: s.stepAdvantage,
      anchorGroup: s.anchorGroup,
      reward: s.reward,
      episodeReturn: episode.return,
      done: k === last,
      success: episode.success,
      invalid: s.invalid?.code ?? null,
      replayed: episode.replayed,
      action: s.action,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Columns: one spec per format drives both the JSONL rows and the Parquet schema.

type Kind = 'int' | 'long' | 'double' | 'bool' | 'string' | 'ints' | 'doubles' | 'strings' | 'messages';
interface Column {
  name: string;
  kind: Kind;
  nullable: boolean;
  value: (t: Turn) => unknown;
}

const groupUid = (t: Turn) => `${t.runId}:${t.iteration ?? '-'}:${t.groupId ?? t.episodeId}`;
const ones = (n: number) => new Array<number>(n).fill(1);

/** Columns every format has: where the turn comes from and what the env said. */
const COMMON: Column[] = [
  { name: 'run_id', kind: 'long', nullable: false, value: (t) => t.runId },
  { name: 'iteration', kind: 'int', nullable: true, value: (t) => t.iteration },
  { name: 'episode_id', kind: 'long', nullable: false, value: (t) => t.episodeId },
  { name: 'group_id', kind: 'string', nullable: true, value: (t) => t.groupId },
  { name: 'traj_id', kind: 'string', nullable: true, value: (t) => t.trajId },
  { name: 't', kind: 'int', nullable: false, value: (t) => t.t },
  { name: 'env_id', kind: 'string', nullable: false, value: (t) => t.envId },
  { name: 'task_id', kind: 'string', nullable: false, value: (t) => t.taskId },
  { name: 'seed', kind: 'long', nullable: true, value: (t) => t.seed },
  { name: 'action', kind: 'string', nullable: false, value: (t) => t.action },
  { name: 'reward', kind: 'double', nullable: false, value: (t) => t.reward },
  { name: 'episode_return', kind: 'double', nullable: false, value: (t) => t.episodeReturn },
  { name: 'done', kind: 'bool', nullable: false, value: (t) => t.done },
  { name: 'success', kind: 'bool', nullable: false, value: (t) => t.success },
  { name: 'invalid', kind: 'string', nullable: true, value: (t) => t.invalid },
  { name: 'replayed', kind: 'bool', nullable: false, value: (t) => t.replayed },
  { name: 'prompt_rendered', kind: 'bool', nullable: false, value: (t) => t.promptRendered },
  { name: 'anchor_group', kind: 'string', nullable: true, value: (t) => t.anchorGroup },
  { name: 'episode_advantage', kind: 'double', nullable: true, value: (t) => t.episodeAdvantage },
  { name: 'step_advantage', kind: 'double', nullable: true, value: (t) => t.stepAdvantage },
];

/** TRL: conversational `prompt`/`completion` and rollout_func's prompt_ids, completion_ids, logprobs, env_mask. */
const TRL: Column[] = [
  { name: 'prompt', kind: 'messages', nullable: false, value: (t) => t.prompt },
  { name: 'completion', kind: 'messages', nullable: false, value: (t) => [{ role: 'assistant', content: t.completion }] },
  { name: 'prompt_ids', kind: 'ints', nullable: true, value: (t) => t.promptIds },
  { name: 'completion_ids', kind: 'ints', nullable: true, value: (t) => t.completionIds },
  { name: 'completion_tokens', kind: 'strings', nullable: true, value: (t) => t.completionTokens },
  { name: 'logprobs', kind: 'doubles', nullable: true, value: (t) => t.oldLogprobs },
  { name: 'env_mask', kind: 'ints', nullable: true, value: (t) => t.lossMask },
  { name: 'advantage', kind: 'double', nullable: true, value: (t) => t.advantage },
  ...COMMON,
];

/** verl: DataProto's batch fields per row (unpadded), and its non-tensor fields. */
const VERL: Column[] = [
  { name: 'prompts', kind: 'ints', nullable: true, value: (t) => t.promptIds },
  { name: 'responses', kind: 'ints', nullable: true, value: (t) => t.completionIds },
  { name: 'input_ids', kind: 'ints', nullable: true, value: (t) => (t.promptIds !== null && t.completionIds !== null ? [...t.promptIds, ...t.completionIds] : null) },
  { name: 'attention_mask', kind: 'ints', nullable: true, value: (t) => (t.promptIds !== null && t.completionIds !== null ? ones(t.promptIds.length + t.completionIds.length) : null) },
  { name: 'response_mask', kind: 'ints', nullable: true, value: (t) => t.lossMask },
  { name: 'old_log_probs', kind: 'doubles', nullable: true, value: (t) => t.oldLogprobs },
  { name: 'advantages', kind: 'doubles', nullable: true, value: (t) => (t.advantage === null || t.lossMask === null ? null : t.lossMask.map((m) => m * (t.advantage as number))) },
  { name: 'advantage', kind: 'double', nullable: true, value: (t) => t.advantage },
  { name: 'uid', kind: 'string', nullable: false, value: groupUid },
  { name: 'traj_uid', kind: 'string', nullable: false, value: (t) => `${t.runId}:${t.trajId ?? t.episodeId}` },
  { name: 'raw_prompt', kind: 'messages', nullable: false, value: (t) => t.prompt },
  { name: 'response_text', kind: 'string', nullable: false, value: (t) => t.completion },
  ...COMMON,
];

export const TURN_COLUMNS: Readonly<Record<TurnFormat, readonly Column[]>> = { trl: TRL, verl: VERL };

/** A turn as one row of the format (plain JSON). */
export function turnRow(format: TurnFormat, turn: Turn): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of TURN_COLUMNS[format]) row[c.name] = c.value(turn);
  return row;
}

// ---------------------------------------------------------------------------------------------

function emptyMissing(): MissingFields {
  return { prompt_ids: 0, completion_ids: 0, old_logprobs: 0, advantage: 0 };
}

function count(missing: MissingFields, t: Turn): void {
  if (t.promptIds === null) missing.prompt_ids++;
  if (t.completionIds === null) missing.completion_ids++;
  if (t.oldLogprobs === null) missing.old_logprobs++;
  if (t.advantage === null) missing.advantage++;
}

/**
 * Calls `each` with every exported turn of the matching episodes (oldest first, keyset-paged).
 * @throws StoreError STORE_NOT_FOUND when nothing matches (an export of a run with no rollouts).
 */
export function forEachTurn(store: RunStore, format: TurnFormat, options: TurnExportOptions, each: (turn: Turn) => void): TurnExportSummary {
  const filter = options.filter ?? {};
  if (filter.runId !== undefined && store.getRun(filter.runId) === null) {
    throw new StoreError('STORE_NOT_FOUND', `There is no run ${filter.runId} in ${store.path}: ludus runs lists the runs there.`, { runId: filter.runId });
  }
  const summary: TurnExportSummary = { format, turns: 0, episodes: 0, replacedEpisodes: 0, renderedPrompts: 0, missing: emptyMissing() };
  const limit = options.limit ?? Infinity;
  let cursor: number | null = null;
  let seen = 0;
  while (seen < limit) {
    const page = store.listEpisodes(filter, { limit: 200, order: 'asc', cursor });
    for (const s of page.episodes) {
      if (seen >= limit) break;
      const episode = store.getEpisode(s.id);
      if (episode === null) continue;
      seen++;
      if (episode.info.replacedBy !== undefined) {
        summary.replacedEpisodes++;
        continue;
      }
      summary.episodes++;
      for (const turn of episodeTurns(episode, options.history ?? 4)) {
        summary.turns++;
        if (turn.promptRendered) summary.renderedPrompts++;
        count(summary.missing, turn);
        each(turn);
      }
    }
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  if (summary.turns === 0) {
    const which = filter.runId !== undefined ? `run ${filter.runId}` : 'the store';
    throw new StoreError(
      'STORE_NOT_FOUND',
      `Nothing to export: ${which} has no recorded turns${Object.keys(filter).length > 1 ? ' matching the filters' : ''}. Record rollouts first (ludus rollout --db ${store.path} ...), or check --run, --iteration and --split.`,
    );
  }
  return summary;
}

/** What the export says about missing fields: one line per field some turns lack, with the fix. */
export function missingFieldNotes(summary: TurnExportSummary, format: TurnFormat): { field: keyof MissingFields; note: string }[] {
  const names = format === 'verl'
    ? { prompt_ids: 'prompts/input_ids', completion_ids: 'responses', old_logprobs: 'old_log_probs', advantage: 'advantages' }
    : { prompt_ids: 'prompt_ids', completion_ids: 'completion_ids', old_logprobs: 'logprobs', advantage: 'advantage' };
  const why = {
    prompt_ids: 'the server returned no prompt token ids (vLLM: ludus rollout --return-token-ids), or the turns have no language-model record; tokenize `prompt` with your chat template',
    completion_ids: 'the server returned no completion token ids (vLLM: --return-token-ids); tokenize the completion text',
    old_logprobs: 'the server returned no log-probs (or the turns were replayed by ARPO); recompute them with the policy before the update',
    advantage: 'no advantages were computed: run ludus advantages --run <id> first (or let the trainer compute them from the rewards)',
  };
  const n = summary.turns;
  return (Object.keys(summary.missing) as (keyof MissingFields)[])
    .filter((k) => summary.missing[k] > 0)
    .map((k) => ({ field: k, note: `missing ${names[k]} on ${summary.missing[k]} of ${n} turns: ${why[k]}` }));
}

/** Fields an export can be required to have on every turn (`--require`). */
export const REQUIRABLE = ['prompt_ids', 'completion_ids', 'old_logprobs', 'advantage'] as const;

// ---------------------------------------------------------------------------------------------
// Parquet (hyparquet-writer)

interface SchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY';
  converted_type?: 'UTF8' | 'LIST';
  repetition_type?: 'REQUIRED' | 'OPTIONAL' | 'REPEATED';
  num_children?: number;
}

function listOf(name: string, nullable: boolean, element: SchemaElement[]): SchemaElement[] {
  return [{ name, repetition_type: nullable ? 'OPTIONAL' : 'REQUIRED', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, ...element];
}

function schemaOf(c: Column): SchemaElement[] {
  const rep = c.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (c.kind) {
    case 'int':
      return [{ name: c.name, type: 'INT32', repetition_type: rep }];
    case 'long':
      return [{ name: c.name, type: 'INT64', repetition_type: rep }];
    case 'double':
      return [{ name: c.name, type: 'DOUBLE', repetition_type: rep }];
    case 'bool':
      return [{ name: c.name, type: 'BOOLEAN', repetition_type: rep }];
    case 'string':
      return [{ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: rep }];
    case 'ints':
      return listOf(c.name, c.nullable, [{ name: 'element', type: 'INT32', repetition_type: 'REQUIRED' }]);
    case 'doubles':
      return listOf(c.name, c.nullable, [{ name: 'element', type: 'DOUBLE', repetition_type: 'REQUIRED' }]);
    case 'strings':
      return listOf(c.name, c.nullable, [{ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' }]);
    case 'messages':
      return listOf(c.name, c.nullable, [
        { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
        { name: 'role', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'content', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      ]);
  }
}

/** Writes the turns as one Parquet file (snappy; list and struct columns as pyarrow and HF datasets read them). */
export async function writeTurnsParquet(filename: string, format: TurnFormat, turns: readonly Turn[]): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const columns = TURN_COLUMNS[format];
  const columnData = columns.map((c) => {
    const values = turns.map((t) => c.value(t));
    return { name: c.name, data: c.kind === 'long' ? values.map((v) => (v === null ? null : BigInt(v as number))) : values };
  });
  parquetWriteFile({
    filename,
    columnData,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap(schemaOf)],
    kvMetadata: [{ key: 'ludus.format', value: `ludus-${format}` }, { key: 'ludus.version', value: String(TURN_EXPORT_VERSION) }],
  } as Parameters<typeof parquetWriteFile>[0]);
}

