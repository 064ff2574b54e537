/**
 * `ludus play <env> [--task] [--seed] [--db]`: a person (or a script) plays in the terminal.
 * One action per line on standard input; `quit` or end of input stops.
 * Multi-agent envs: `--seat N` is the person's seat; the other seats are played by built-in agents
 * (`--opponent NAME` for all of them, `--agent SEAT=NAME` for one), or by LLM agents
 * (`llm:<model>@<base URL>`).
 */
import type { Command } from 'commander';
import type { Agent, AgentInput } from '../../agents/agent.js';
import { builtinAgentNames, makeNamedAgent } from '../../agents/builtin-agents.js';
import { runEpisode, type EpisodeStep } from '../../agents/run-episode.js';
import { runGame } from '../../agents/run-game.js';
import { make, makeMulti, spec } from '../../envs/core/registry.js';
import type { MultiAgentSpec } from '../../envs/core/spec.js';
import type { Observation, ResetOptions, SeatInfo, StepInfo } from '../../envs/core/types.js';
import { seatAgentSeed } from '../../envs/server/game-host.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';
import { HumanAgent, LineSource } from '../human-agent.js';
import { recordPlayedEpisode, recordPlayedGame } from '../play-recording.js';
import { parseTaskRef } from '../task-ref.js';

interface PlayOptions {
  task?: string;
  seed: string;
  db?: string;
  option?: string[];
  json?: boolean;
  actions?: boolean;
  seat?: string;
  opponent?: string;
  agent?: string[];
}

const MAX_LISTED_ACTIONS = 40;

type Out = (line: string) => void;

export function registerPlayCommand(program: Command, out: Out, input: () => NodeJS.ReadableStream): void {
  program
    .command('play')
    .description('play an env in the terminal: one action per line on stdin, `quit` to stop')
    .argument('<env>', 'env id, e.g. household-v1 or kuhn-poker-v1')
    .option('--task <ref>', 'task as split:index (e.g. valid_unseen:3) or a task id')
    .option('--seed <n>', 'seed', '0')
    .option('--db <file>', 'record the episode (or every seat of the game) in this SQLite store')
    .option('--option <key=value...>', 'env options (values parsed as JSON when they can be)')
    .option('--json', 'print one JSON object per reset/step instead of text')
    .option('--no-actions', 'do not print the admissible actions')
    .option('--seat <n>', 'multi-agent envs: the seat you play', '0')
    .option('--opponent <name>', "multi-agent envs: the agent in every other seat: a built-in one or llm:<model>@<url> (default: the env's first bot)")
    .option('--agent <seat=name...>', 'multi-agent envs: the agent of one seat, e.g. 1=bot:nash or 1=llm:qwen2.5@http://127.0.0.1:8000/v1')
    .action(async (envId: string, opts: PlayOptions) => {
      const seed = parseInteger('--seed', opts.seed, 0);
      const task = parseTaskRef(opts.task);
      const options = parseKeyValues(opts.option);
      const reset: ResetOptions = { seed, ...(task === undefined ? {} : { task }) };
      const envSpec = spec(envId);
      const lines = new LineSource(input());
      try {
        if (envSpec.kind === 'multi') await playGame(envSpec, opts, options, reset, lines, out);
        else await playEpisode(envId, opts, options, reset, lines, out);
      } finally {
        lines.close();
      }
    });
}

async function playEpisode(envId: string, opts: PlayOptions, options: Record<string, unknown>, reset: ResetOptions, lines: LineSource, out: Out): Promise<void> {
  const env = make(envId, options);
  const stop = new AbortController();
  const human = new HumanAgent(lines, stop, (input) => {
    if (input.history.length === 0) show(out, opts, 'reset', input.observation, input.info as StepInfo);
  });
  let episode;
  try {
    episode = await runEpisode(env, human, { reset, signal: stop.signal, onStep: (step) => showStep(out, opts, step) });
  } finally {
    await env.close();
  }
  if (!opts.json) {
    out(`episode ${episode.terminated || episode.truncated ? 'over' : 'stopped'}: ${episode.steps.length} steps, return ${round(episode.return)}, success ${episode.success}`);
  }
  if (opts.db) {
    const id = recordPlayedEpisode(opts.db, { envId, seed: reset.seed ?? 0, options }, episode);
    if (!opts.json) out(`recorded episode ${id} in ${opts.db}`);
  }
}

async function playGame(envSpec: MultiAgentSpec<any>, opts: PlayOptions, options: Record<string, unknown>, reset: ResetOptions, lines: LineSource, out: Out): Promise<void> {
  const envId = envSpec.id;
  const seats = envSpec.seats.count;
  const mine = parseInteger('--seat', opts.seat ?? '0', 0);
  if (mine >= seats) throw new CliUsageError(`--seat must be a seat of ${envId}: 0..${seats - 1}, got ${mine}`);
  const names = builtinAgentNames(envId);
  const opponent = opts.opponent ?? names.find((n) => n.startsWith('bot:')) ?? 'random';
  const bySeat: Record<number, string> = {};
  for (const pair of opts.agent ?? []) {
    const m = /^(\d+)=(.+)$/.exec(pair);
    if (!m) throw new CliUsageError(`--agent expects SEAT=NAME (e.g. 1=bot:nash), got '${pair}'`);
    const seat = Number(m[1]);
    if (seat >= seats || seat === mine) throw new CliUsageError(`--agent ${pair}: seat ${seat} is ${seat === mine ? 'yours' : 'not a seat of this game'}`);
    bySeat[seat] = m[2] as string;
  }
  const stop = new AbortController();
  const agents: Record<number, Agent> = {};
  for (let s = 0; s < seats; s++) {
    agents[s] =
      s === mine
        ? new HumanAgent(lines, stop, (input: AgentInput) => show(out, opts, 'turn', input.observation, input.info as SeatInfo, input.seat))
        : makeNamedAgent(envId, bySeat[s] ?? opponent, seatAgentSeed(reset.seed ?? 0, s));
  }
  if (!opts.json) out(`${envId}: you are seat ${mine}; ${Array.from({ length: seats }, (_, s) => s).filter((s) => s !== mine).map((s) => `seat ${s}: ${agents[s]!.name}`).join(', ')}`);
  const env = makeMulti(envId, options);
  let game;
  try {
    game = await runGame(env, agents, { reset, signal: stop.signal });
  } finally {
    await env.close();
  }
  const me = game.seats[mine]!;
  if (opts.json) out(JSON.stringify({ type: 'game.over', seat: mine, observation: me.finalObservation, returns: game.seats.map((s) => s.return), terminated: game.terminated, truncated: game.truncated }));
  else {
    out(me.finalObservation.text);
    out(`game ${game.terminated || game.truncated ? 'over' : 'stopped'}: ${game.log.length} steps; returns ${game.seats.map((s) => `seat ${s.seat} ${round(s.return)}`).join(', ')}`);
  }
  if (opts.db) {
    const ids = recordPlayedGame(opts.db, { envId, seed: reset.seed ?? 0, options }, game);
    if (!opts.json) out(`recorded episodes ${ids.join(', ')} (one per seat) in ${opts.db}`);
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function showStep(out: Out, opts: PlayOptions, step: EpisodeStep): void {
  const r = step.result;
  if (opts.json) {
    out(JSON.stringify({ type: 'step', action: step.decision.action, ...r }));
    return;
  }
  const flags = [r.terminated ? 'terminated' : '', r.truncated ? 'truncated' : ''].filter(Boolean).join(' ');
  out(`> ${step.decision.action}`);
  out(r.observation.text);
  if (r.info.invalid) {
    const s = r.info.invalid.suggestions;
    out(`  [invalid ${r.info.invalid.code}] ${r.info.invalid.message}${s.length ? ` — did you mean: ${s.join(' | ')}` : ''}`);
  }
  out(`  reward ${round(r.reward)}${flags ? ` (${flags})` : ''}`);
  if (!(r.terminated || r.truncated)) listActions(out, opts, r.observation);
}

function show(out: Out, opts: PlayOptions, kind: 'reset' | 'turn', observation: Observation, info: StepInfo | SeatInfo, seat?: number): void {
  if (opts.json) {
    out(JSON.stringify({ type: kind, ...(seat === undefined ? {} : { seat }), observation, info }));
    return;
  }
  if (kind === 'turn' && info.invalid) out(`  [invalid ${info.invalid.code}] ${info.invalid.message}`);
  out(observation.text);
  listActions(out, opts, observation);
}

function listActions(out: Out, opts: PlayOptions, observation: Observation): void {
  if (opts.actions === false || observation.actions.length === 0) return;
  const shown = observation.actions.slice(0, MAX_LISTED_ACTIONS);
  const more = observation.actions.length - shown.length;
  out(`  actions: ${shown.join(' | ')}${more > 0 ? ` … (+${more})` : ''}`);
}
