/**
 * The multi-agent conformance checks: the single-agent ones for seats (the ones both kinds share —
 * shapes, determinism, JSON, snapshot per the capability flag, close — come from common-checks.ts;
 * every admissible action accepted, the time limit truncating and invalid actions answered in the
 * seat's info are restated here), and what only games have:
 * actors valid until the end, off-turn actions refused with NOT_YOUR_TURN while the game goes on,
 * and privacy — no seat's observation ever contains a string the env declares private to another
 * seat (`info.secrets`). Games are played with the trainer's own loop (`runGame`).
 * @module
 */
import { runGame, type GameRecord } from '../../agents/run-game.js';
import { ScriptedAgent } from '../../agents/scripted-agent.js';
import { Rng } from '../core/rng.js';
import { stableStringify } from '../core/state-hash.js';
import type { GameInfo, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation } from '../core/types.js';
import { ConformanceAgent } from './conformance-agent.js';
import { checkCutByLimit, closeCheck, determinismCheck, jsonCheck, shapeCheck, snapshotRestoreCheck, stepBeforeResetCheck, type EnvPlay, type PlayedEpisode } from './common-checks.js';
import { expectErrorCode, fail, HOSTILE_ACTIONS, resetOptionsFor, runChecks, withEnv, type ConformanceCheck, type ConformanceOptions, type ConformanceReport, type MultiAgentEnvFactory } from './kit.js';
import { checkObservation, checkRewardComponents, checkStepInfo } from './shape.js';

type GameResult = MultiAgentResetResult | MultiAgentStepResult;

interface Played extends PlayedEpisode<Record<number, string>> {
  record: GameRecord;
  /** Reset, then every step's result. */
  results: GameResult[];
}

function playedFrom(record: GameRecord): Played {
  return { record, actions: record.log.map((e) => e.actions), results: [record.reset, ...record.log.map((e) => e.result)] };
}

async function playRandom(env: MultiAgentEnv, options: ConformanceOptions, episode: number): Promise<Played> {
  const agent = new ConformanceAgent(new Rng(`conformance:${options.seed}:${episode}`), options.freeformActions);
  return playedFrom(await runGame(env, () => agent, { reset: resetOptionsFor(options, episode), maxSteps: options.maxSteps }));
}

/** Resets and re-plays a log of actions by seat, each seat's actions in order (through runGame). */
async function replay(env: MultiAgentEnv, options: ConformanceOptions, episode: number, actions: Record<number, string>[]): Promise<Played> {
  const bySeat = new Map<string, string[]>();
  for (const step of actions) {
    for (const [seat, action] of Object.entries(step)) {
      const key = `replay/seat${seat}`;
      bySeat.set(key, [...(bySeat.get(key) ?? []), action]);
    }
  }
  const agent = new ScriptedAgent((key) => bySeat.get(key) ?? []);
  return playedFrom(await runGame(env, () => agent, { reset: resetOptionsFor(options, episode), maxSteps: actions.length, key: 'replay' }));
}

function isOver(r: GameResult): boolean {
  return 'terminated' in r && (r.terminated || r.truncated);
}

function checkShape(name: string, where: string, r: GameResult, seats: number): void {
  for (let s = 0; s < seats; s++) {
    const o = r.observations[s];
    if (o === undefined) fail(name, `${where}: observations must hold every seat (seat ${s} is missing)`);
    checkObservation(name, `${where} seat ${s}`, o);
    if (o.seat !== s) fail(name, `${where}: observation of seat ${s} must say seat: ${s} (got ${JSON.stringify(o.seat)})`);
    const info = r.infos[s];
    if (info === undefined) fail(name, `${where}: infos must hold every seat (seat ${s} is missing)`);
    checkRewardComponents(name, `${where} seat ${s}`, info);
    if ('rewards' in r && (typeof r.rewards[s] !== 'number' || !Number.isFinite(r.rewards[s]))) fail(name, `${where}: rewards[${s}] must be a finite number`);
  }
  checkStepInfo(name, where, r.info);
  if (!Array.isArray(r.actors) || new Set(r.actors).size !== r.actors.length || !r.actors.every((a) => Number.isInteger(a) && a >= 0 && a < seats)) {
    fail(name, `${where}: actors must be distinct seats in 0..${seats - 1} (got ${JSON.stringify(r.actors)})`);
  }
  if ('terminated' in r) {
    if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') fail(name, `${where}: terminated and truncated must be booleans`);
    if (r.terminated && r.truncated) fail(name, `${where}: a step must not be both terminated and truncated`);
  }
}

function listed(o: Observation | undefined, options: ConformanceOptions): string[] {
  if (o === undefined) return [];
  return o.actions.length > 0 ? o.actions : options.freeformActions;
}

/** Probed states of a played game: indexes into `results` of states where the game is running. */
function probeIndexes(played: Played, options: ConformanceOptions): number[] {
  const running = played.results.map((r, i) => (isOver(r) ? -1 : i)).filter((i) => i >= 0);
  const stride = Math.max(1, Math.floor(running.length / options.admissibleProbeStates));
  return running.filter((_, k) => k % stride === 0).slice(0, options.admissibleProbeStates);
}

/**
 * For each episode and each probed state of a random game: `fn(state, back, where)`, where
 * `back()` puts the env back in that state (restoring a snapshot when the env can, else re-playing).
 */
async function forEachProbedState(
  env: MultiAgentEnv,
  options: ConformanceOptions,
  fn: (state: GameResult, back: () => Promise<void>, where: string) => Promise<void>,
): Promise<void> {
  for (let e = 0; e < options.episodes; e++) {
    const played = await playRandom(env, options, e);
    for (const i of probeIndexes(played, options)) await fn(played.results[i] as GameResult, await reach(env, options, e, played, i), `episode ${e} state ${i}`);
  }
}

/** Puts `env` in the state after `played.actions[0..i)`: by restoring a snapshot when the env can, else by re-playing. */
async function reach(env: MultiAgentEnv, options: ConformanceOptions, episode: number, played: Played, i: number): Promise<() => Promise<void>> {
  await replay(env, options, episode, played.actions.slice(0, i));
  if (options.snapshot === 'none') return async () => void (await replay(env, options, episode, played.actions.slice(0, i)));
  const snap = await env.snapshot();
  return () => env.restore(snap);
}

const PLAY: EnvPlay<MultiAgentEnv, Record<number, string>, MultiAgentStepResult> = {
  probeAction: { 0: 'look' },
  playRandom,
  replay,
  afterRestore(check, env, again, where) {
    if (stableStringify(env.actors()) !== stableStringify(again.at(-1)?.actors ?? env.actors())) fail(check, `${where}: actors() disagrees after restore`);
  },
};

export const MULTI_AGENT_CHECKS: readonly ConformanceCheck<MultiAgentEnvFactory>[] = [
  stepBeforeResetCheck(PLAY),
  shapeCheck('observations, infos, rewards and actors have the contract shape for every seat', PLAY, (check, where, r, env) => checkShape(check, where, r as GameResult, env.seats)),
  jsonCheck(PLAY),
  determinismCheck('same seed, task and actions give the same game', PLAY),
  {
    name: 'actors are valid until the end (someone acts while the game runs, nobody after)',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const agent = new ConformanceAgent(new Rng(`conformance:${options.seed}:${e}`), options.freeformActions);
          const record = await runGame(env, () => agent, {
            reset: resetOptionsFor(options, e),
            maxSteps: options.maxSteps,
            onStep: (_i, entry) => {
              const r = entry.result;
              const now = env.actors();
              if (stableStringify([...now].sort()) !== stableStringify([...r.actors].sort())) {
                fail(this.name, `episode ${e}: env.actors() ${JSON.stringify(now)} disagrees with the step's actors ${JSON.stringify(r.actors)}`);
              }
              if (isOver(r) && r.actors.length > 0) fail(this.name, `episode ${e}: the game is over but actors is ${JSON.stringify(r.actors)}`);
              if (!isOver(r)) {
                if (r.actors.length === 0) fail(this.name, `episode ${e}: the game is running but no seat is to act`);
                for (const s of r.actors) if (listed(r.observations[s], options).length === 0) fail(this.name, `episode ${e}: actor ${s}'s observation lists no actions`);
              }
            },
          });
          if (record.reset.actors.length === 0) fail(this.name, `episode ${e}: no seat is to act after reset`);
          if (record.terminated || record.truncated) {
            if (env.actors().length > 0) fail(this.name, `episode ${e}: env.actors() must be empty once the game is over`);
          }
        }
      });
    },
  },
  {
    name: 'every listed admissible action is accepted',
    async run(factory, options) {
      await withEnv(factory, (env) =>
        forEachProbedState(env, options, async (state, back, where) => {
          for (const seat of state.actors) {
            for (const action of (state.observations[seat]?.actions ?? []).slice(0, options.admissibleProbeActions)) {
              await back();
              const step = await env.step({ [seat]: action });
              const invalid = step.infos[seat]?.invalid;
              if (invalid) fail(this.name, `${where}: seat ${seat}'s listed action '${action}' was answered as invalid (${invalid.code}: ${invalid.message})`);
            }
          }
        }),
      );
    },
  },
  {
    name: 'actions out of turn are refused with NOT_YOUR_TURN and the game goes on; unknown seats are an error',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        await forEachProbedState(env, options, async (state, back, where) => {
          const idle = Array.from({ length: env.seats }, (_, s) => s).filter((s) => !state.actors.includes(s));
          for (const seat of idle) {
            await back();
            let step: MultiAgentStepResult;
            try {
              step = await env.step({ [seat]: listed(state.observations[seat], options)[0] ?? 'pass' });
            } catch (err) {
              fail(this.name, `${where}: acting for idle seat ${seat} threw ${String(err)}; it must be answered with NOT_YOUR_TURN in that seat's info`);
            }
            const code = step.infos[seat]?.invalid?.code;
            if (code !== 'NOT_YOUR_TURN') fail(this.name, `${where}: idle seat ${seat} acted and got ${code ?? 'no invalid'}; expected NOT_YOUR_TURN`);
            if (step.info.stateKey !== state.info.stateKey) fail(this.name, `${where}: an off-turn action by seat ${seat} changed the game state`);
            if (stableStringify([...step.actors].sort()) !== stableStringify([...state.actors].sort())) fail(this.name, `${where}: an off-turn action changed who acts`);
          }
        });
        await env.reset(resetOptionsFor(options, 0));
        await expectErrorCode(this.name, `acting for seat ${env.seats} (which does not exist)`, 'SEAT_UNKNOWN', () => env.step({ [env.seats]: 'x' }));
      });
    },
  },
  snapshotRestoreCheck(PLAY),
  {
    name: 'the time limit truncates (not terminates) and the ended game refuses steps',
    async run(factory, options) {
      const limit = 3;
      const limited = await withEnv(
        factory,
        async (env) => {
          const agent = new ConformanceAgent(new Rng(`time-limit:${options.seed}`), options.freeformActions, -1);
          const record = await runGame(env, () => agent, { reset: resetOptionsFor(options, 0), maxSteps: limit + 2 });
          const steps = record.log.length;
          if (!record.terminated && !record.truncated) fail(this.name, `with maxEpisodeSteps=${limit} the game was still running after ${steps} steps`);
          if (steps > limit) fail(this.name, `with maxEpisodeSteps=${limit} the game ended only at step ${steps}`);
          await expectErrorCode(this.name, 'a step after the game ended', 'EPISODE_OVER', () => env.step({ 0: 'pass' }));
          return record;
        },
        { maxEpisodeSteps: limit },
      );
      const actions = limited.log.map((e) => e.actions);
      const free = await withEnv(factory, (env) => replay(env, options, 0, actions), { maxEpisodeSteps: 0 });
      const last = free.results.at(-1) as GameResult;
      checkCutByLimit(this.name, 'game', actions.length, limited, free.results.length === actions.length + 1 && 'terminated' in last && last.terminated);
    },
  },
  {
    name: "invalid actions are answered in the seat's info, never thrown",
    async run(factory, options) {
      await withEnv(
        factory,
        async (env) => {
          for (const action of HOSTILE_ACTIONS) {
            const reset = await env.reset(resetOptionsFor(options, 0));
            const seat = reset.actors[0] as number;
            let step: MultiAgentStepResult;
            try {
              step = await env.step({ [seat]: action });
            } catch (err) {
              fail(this.name, `seat ${seat}'s action ${JSON.stringify(action.slice(0, 40))} threw ${String(err)}; it must be answered in infos[${seat}].invalid`);
            }
            if (!step.infos[seat]?.invalid) fail(this.name, `seat ${seat}'s action ${JSON.stringify(action.slice(0, 40))} was accepted; expected infos[${seat}].invalid`);
            checkShape(this.name, `invalid action ${JSON.stringify(action.slice(0, 40))}`, step, env.seats);
            const next = step.actors.includes(seat) ? listed(step.observations[seat], options)[0] : undefined;
            if (!isOver(step) && next !== undefined) {
              const after = await env.step({ [seat]: next });
              if (after.infos[seat]?.invalid) fail(this.name, `after an invalid action seat ${seat}'s admissible '${next}' was refused`);
            }
          }
        },
        { invalidActionPolicy: 'noop' },
      );
    },
  },
  {
    name: "no seat's observation contains another seat's private strings",
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const played = await playRandom(env, options, e);
          played.results.forEach((r, t) => {
            const secrets = (r.info as GameInfo).secrets ?? {};
            for (let s = 0; s < env.seats; s++) {
              const seen = JSON.stringify(r.observations[s] ?? null);
              for (const [owner, list] of Object.entries(secrets)) {
                if (Number(owner) === s) continue;
                for (const secret of list) {
                  if (secret.length > 0 && seen.includes(secret)) {
                    fail(this.name, `episode ${e} ${t === 0 ? 'reset' : `step ${t - 1}`}: seat ${s}'s observation contains seat ${owner}'s private ${JSON.stringify(secret.slice(0, 60))}`);
                  }
                }
              }
            }
          });
        }
      });
    },
  },
  closeCheck(),
];

/** Runs every multi-agent check; never throws for a failing check. */
export function checkMultiAgentEnv(factory: MultiAgentEnvFactory, options: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  return runChecks(MULTI_AGENT_CHECKS, factory, options);
}
