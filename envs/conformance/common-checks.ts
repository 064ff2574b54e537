/**
 * The checks single- and multi-agent envs share, written once over how a kind of env is played
 * (`EnvPlay`): step before reset, shapes, JSON, determinism, snapshot and restore, close.
 * @module
 */
import { stableStringify } from '../core/state-hash.js';
import type { EnvState, ResetOptions } from '../core/types.js';
import { expectErrorCode, expectSnapshotUnsupported, fail, firstDifference, resetOptionsFor, withEnv, type AnyEnvFactory, type ConformanceCheck, type ConformanceOptions } from './kit.js';
import { checkJson } from './shape.js';

/** What the common checks call on an env; `Env` and `MultiAgentEnv` both are one. */
export interface CheckedEnv<A, R> {
  reset(options?: ResetOptions): Promise<unknown>;
  step(action: A): Promise<R>;
  snapshot(): Promise<EnvState>;
  restore(state: EnvState): Promise<void>;
  close(): Promise<void>;
}

/** A played episode: the action of every env step, and the results (the reset's, then each step's). */
export interface PlayedEpisode<A> {
  actions: A[];
  results: unknown[];
}

/** How the common checks play one kind of env. */
export interface EnvPlay<E extends CheckedEnv<A, R>, A, R> {
  /** Any action, sent before reset (it must be refused). */
  probeAction: A;
  /** Plays one episode with the seeded conformance agent. */
  playRandom(env: E, options: ConformanceOptions, episode: number): Promise<PlayedEpisode<A>>;
  /** Resets as for `episode` and plays exactly `actions` (or until the env ends the episode). */
  replay(env: E, options: ConformanceOptions, episode: number, actions: A[]): Promise<PlayedEpisode<A>>;
  /** Checks beyond the step results after a restore on the same env (`again`: the steps after it). */
  afterRestore?(check: string, env: E, again: R[], where: string): void;
}

const diff = (a: unknown[], b: unknown[]) => firstDifference(a, b, stableStringify);

/** Where result `t` of an episode stands: its reset, or a step and the action taken. */
function resultPlace<A>(played: PlayedEpisode<A>, episode: number, t: number): string {
  return `episode ${episode} ${t === 0 ? 'reset' : `step ${t - 1} (${JSON.stringify(played.actions[t - 1])?.slice(0, 60)})`}`;
}

/** Every result of seeded random episodes has the contract shape (`checkResult` throws where it does not). */
export function shapeCheck<E extends CheckedEnv<A, R>, A, R>(
  name: string,
  play: EnvPlay<E, A, R>,
  checkResult: (check: string, where: string, result: unknown, env: E) => void,
): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name,
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const played = await play.playRandom(env, options, e);
          played.results.forEach((r, t) => checkResult(this.name, resultPlace(played, e, t), r, env));
        }
      });
    },
  };
}

export function stepBeforeResetCheck<E extends CheckedEnv<A, R>, A, R>(play: EnvPlay<E, A, R>): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name: 'step before reset is refused with RESET_NEEDED',
    async run(factory) {
      await withEnv(factory, (env) => expectErrorCode(this.name, 'step() before reset()', 'RESET_NEEDED', () => env.step(play.probeAction)));
    },
  };
}

export function jsonCheck<E extends CheckedEnv<A, R>, A, R>(play: EnvPlay<E, A, R>): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name: 'everything is JSON-serializable',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const played = await play.playRandom(env, options, e);
          played.results.forEach((r, t) => checkJson(this.name, `episode ${e} ${t === 0 ? 'reset' : `step ${t - 1}`} result`, r));
          if (options.snapshot !== 'none') checkJson(this.name, `episode ${e} snapshot`, await env.snapshot());
        }
      });
    },
  };
}

/** Same seed, task and actions give the same results; `name` says what an episode is called. */
export function determinismCheck<E extends CheckedEnv<A, R>, A, R>(name: string, play: EnvPlay<E, A, R>): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name,
    async run(factory, options) {
      for (let e = 0; e < options.episodes; e++) {
        const a = await withEnv(factory, (env) => play.playRandom(env, options, e));
        const b = await withEnv(factory, (env) => play.replay(env, options, e, a.actions));
        const at = diff(a.results, b.results);
        if (at >= 0) fail(this.name, `episode ${e}: ${at === 0 ? 'the reset results differ' : `step ${at - 1} (${JSON.stringify(a.actions[at - 1])}) differs between two envs`}`);
      }
    },
  };
}

export function snapshotRestoreCheck<E extends CheckedEnv<A, R>, A, R>(play: EnvPlay<E, A, R>): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name: 'snapshot and restore behave as the env declares (continue identically, same env and a fresh one)',
    async run(factory, options) {
      if (options.snapshot === 'none') {
        await withEnv(factory, (env) => expectSnapshotUnsupported(this.name, env, () => env.reset(resetOptionsFor(options, 0))));
        return;
      }
      const stepAll = async (env: E, actions: A[]): Promise<R[]> => {
        const results: R[] = [];
        for (const a of actions) results.push(await env.step(a));
        return results;
      };
      for (let e = 0; e < options.episodes; e++) {
        const played = await withEnv(factory, (env) => play.playRandom(env, options, e));
        const k = Math.floor(played.actions.length / 2);
        const rest = played.actions.slice(k);
        let snap: EnvState = null;
        let tail: R[] = [];
        await withEnv(factory, async (env) => {
          await play.replay(env, options, e, played.actions.slice(0, k));
          snap = JSON.parse(JSON.stringify(await env.snapshot())) as EnvState;
          tail = await stepAll(env, rest);
          await env.restore(snap);
          const again = await stepAll(env, rest);
          const at = diff(tail, again);
          if (at >= 0) fail(this.name, `episode ${e}: after restore on the same env, step ${k + at} differs`);
          play.afterRestore?.(this.name, env, again, `episode ${e}`);
        });
        await withEnv(factory, async (env) => {
          await env.reset(resetOptionsFor(options, e + 1000));
          await env.restore(snap);
          const at = diff(tail, await stepAll(env, rest));
          if (at >= 0) fail(this.name, `episode ${e}: after restore on a fresh env, step ${k + at} differs`);
        });
      }
    },
  };
}

export function closeCheck<E extends { reset(options?: ResetOptions): Promise<unknown>; close(): Promise<void> }>(): ConformanceCheck<AnyEnvFactory<E>> {
  return {
    name: 'close is idempotent',
    async run(factory, options) {
      const env = await factory();
      await env.reset(resetOptionsFor(options, 0));
      await env.close();
      await env.close();
    },
  };
}

/**
 * The verdict of the time-limit checks: the run limited to `steps` ended with `ended`; without the
 * limit, the same actions ended the episode at that step or not (`endedWithoutLimit`). Where they
 * did not, the limit cut it: truncated, not terminated. `what` names the episode ('task', 'game').
 */
export function checkCutByLimit(check: string, what: string, steps: number, ended: { terminated: boolean; truncated: boolean }, endedWithoutLimit: boolean): void {
  if (!endedWithoutLimit) {
    if (ended.terminated) fail(check, `step ${steps} hit the time limit but says terminated; the limit must set truncated (the ${what} did not end there)`);
    if (!ended.truncated) fail(check, `step ${steps} hit the time limit but is not truncated`);
  } else if (!ended.terminated) {
    fail(check, `the ${what} ended at step ${steps} (terminated without a limit) but the limited run says otherwise`);
  }
}
