/**
 * The wrappers `make` puts directly on a raw env according to its spec's `capabilities.snapshot`:
 * - `replay`: {@link ActionLogSnapshot} / {@link MultiAgentActionLogSnapshot} — a snapshot is the
 *   reset options plus every action since; `restore` resets the raw env and re-plays them. This is
 *   exact for any deterministic env, whatever its state is made of (a browser's DOM, a process).
 * - `none`: {@link NoSnapshot} — `snapshot`/`restore` throw `SNAPSHOT_UNSUPPORTED`.
 * - `native`: nothing; the env's own `snapshot`/`restore` are used.
 * @module
 */
import { InvalidStateError, ResetNeededError, SnapshotUnsupportedError } from './errors.js';
import { MultiAgentEnvWrapper } from './multi-agent-wrapper.js';
import type { Env, EnvState, JsonObject, MultiAgentEnv, JsonValue, MultiAgentResetResult, MultiAgentStepResult, ResetOptions, ResetResult, SeatActions, StepResult } from './types.js';
import { wrapperState } from './wrapper-state.js';
import { EnvWrapper } from './wrappers.js';

function resetOptionsJson(options: ResetOptions | undefined): JsonObject {
  return JSON.parse(JSON.stringify(options ?? {})) as JsonObject;
}

function replayLog(state: EnvState): { reset: ResetOptions; actions: JsonValue[] } {
  const s = wrapperState(state, 'replay', []);
  const log = s.replay;
  if (log === null || typeof log !== 'object' || Array.isArray(log) || !Array.isArray(log.actions) || log.reset === null || typeof log.reset !== 'object' || Array.isArray(log.reset)) {
    throw new InvalidStateError('Not a replay snapshot: expected { replay: { reset, actions[] } }.');
  }
  const extra = [...Object.keys(log).filter((k) => k !== 'reset' && k !== 'actions'), ...Object.keys(log.reset).filter((k) => k !== 'seed' && k !== 'task').map((k) => `reset.${k}`)];
  if (extra.length > 0) throw new InvalidStateError(`Not a replay snapshot: unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}.`);
  return { reset: log.reset as ResetOptions, actions: log.actions };
}

/** The log both replay wrappers keep: the reset options and every action since; it snapshots as `{ replay: { reset, actions } }`. */
class ReplayLog<A extends JsonValue> {
  private resetOptions: JsonObject | null = null;
  private actions: A[] = [];

  /** `parse` checks one action of a snapshot's log (throwing STATE_INVALID); `copy` copies one. */
  constructor(
    private readonly parse: (action: JsonValue) => A,
    private readonly copy: (action: A) => A,
  ) {}

  reset(options: ResetOptions | undefined): void {
    this.resetOptions = resetOptionsJson(options);
    this.actions = [];
  }

  stepped(action: A): void {
    this.actions.push(this.copy(action));
  }

  snapshot(): EnvState {
    if (this.resetOptions === null) throw new ResetNeededError();
    return { replay: { reset: this.resetOptions, actions: this.actions.map(this.copy) } };
  }

  /** Validates a replay snapshot, resets `inner` and re-plays its actions, then takes its log. */
  async restoreInto(inner: { reset(options?: ResetOptions): Promise<unknown>; step(action: A): Promise<unknown> }, state: EnvState): Promise<void> {
    const log = replayLog(state);
    const actions = log.actions.map(this.parse);
    await inner.reset(log.reset);
    for (const action of actions) await inner.step(action);
    this.resetOptions = resetOptionsJson(log.reset);
    this.actions = actions.map(this.copy);
  }
}

/** Snapshot by re-playing: `{ replay: { reset, actions } }`. */
export class ActionLogSnapshot extends EnvWrapper {
  private readonly log = new ReplayLog<string>(
    (a) => {
      if (typeof a !== 'string') throw new InvalidStateError('Replay snapshot actions must be strings.');
      return a;
    },
    (a) => a,
  );

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    const result = await this.inner.reset(options);
    this.log.reset(options);
    return result;
  }

  override async step(action: string): Promise<StepResult> {
    const result = await this.inner.step(action);
    this.log.stepped(action);
    return result;
  }

  override async snapshot(): Promise<EnvState> {
    return this.log.snapshot();
  }

  override restore(state: EnvState): Promise<void> {
    return this.log.restoreInto(this.inner, state);
  }
}

/** The multi-agent twin of {@link ActionLogSnapshot}: the log holds each step's actions by seat. */
export class MultiAgentActionLogSnapshot extends MultiAgentEnvWrapper {
  private readonly log = new ReplayLog<Record<string, string>>(
    (a) => {
      if (a === null || typeof a !== 'object' || Array.isArray(a) || !Object.values(a).every((v) => typeof v === 'string')) {
        throw new InvalidStateError('Replay snapshot actions must be objects of seat → action string.');
      }
      return a as Record<string, string>;
    },
    (a) => ({ ...a }),
  );

  override async reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    const result = await this.inner.reset(options);
    this.log.reset(options);
    return result;
  }

  override async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    const result = await this.inner.step(actionsBySeat);
    // Directly above the raw env: TurnEnforcing has already dropped null (missed-turn) entries.
    this.log.stepped(actionsBySeat as Record<number, string>);
    return result;
  }

  override async snapshot(): Promise<EnvState> {
    return this.log.snapshot();
  }

  override restore(state: EnvState): Promise<void> {
    return this.log.restoreInto(this.inner, state);
  }
}

/** For `capabilities.snapshot: 'none'`. */
export class NoSnapshot extends EnvWrapper {
  constructor(
    inner: Env,
    private readonly envId: string,
  ) {
    super(inner);
  }
  override snapshot(): Promise<EnvState> {
    return Promise.reject(new SnapshotUnsupportedError(this.envId));
  }
  override restore(): Promise<void> {
    return Promise.reject(new SnapshotUnsupportedError(this.envId));
  }
}

/** For a multi-agent env with `capabilities.snapshot: 'none'`. */
export class MultiAgentNoSnapshot extends MultiAgentEnvWrapper {
  constructor(
    inner: MultiAgentEnv,
    private readonly envId: string,
  ) {
    super(inner);
  }
  override snapshot(): Promise<EnvState> {
    return Promise.reject(new SnapshotUnsupportedError(this.envId));
  }
  override restore(): Promise<void> {
    return Promise.reject(new SnapshotUnsupportedError(this.envId));
  }
}
