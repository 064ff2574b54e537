import { describe, expect, it } from 'vitest';
import { checkMultiAgentEnv } from '../../../envs/conformance/index.js';
import { makeMulti } from '../../../envs/core/registry.js';
import { MultiAgentEnvWrapper } from '../../../envs/core/multi-agent-wrapper.js';
import type { MultiAgentStepResult, SeatActions } from '../../../envs/core/types.js';
import { describeMultiAgentConformance } from '../../helpers/conformance.js';
import { registerToyGame, TOY_GAME_ID, ToyCountGame, type ToyGameBreakage } from '../../helpers/toy-game.js';

registerToyGame();

describeMultiAgentConformance(TOY_GAME_ID, (o) => makeMulti(TOY_GAME_ID, o));

/** A time limit that says the game ended by its rules when the limit only cut it. */
class LimitTerminates extends MultiAgentEnvWrapper {
  override async step(actions: SeatActions): Promise<MultiAgentStepResult> {
    const r = await this.inner.step(actions);
    if (r.truncated) {
      r.truncated = false;
      r.terminated = true;
    }
    return r;
  }
}

describe('the multi-agent conformance kit catches broken games', () => {
  const madeBroken = (how: ToyGameBreakage) => {
    // Build the same stack as makeMulti, but over a broken raw game.
    return (o?: Record<string, unknown>) => {
      const env = makeMulti(TOY_GAME_ID, o);
      const raw = new ToyCountGame({ seats: 3, target: 7 }, how);
      // Swap the innermost env of the made stack for the broken one.
      let w = env as unknown as MultiAgentEnvWrapper;
      while (w.inner instanceof MultiAgentEnvWrapper) w = w.inner;
      (w as unknown as { inner: unknown }).inner = raw;
      return env;
    };
  };
  const cases: [ToyGameBreakage, string][] = [
    ['leaks-secret', "no seat's observation contains another seat's private strings"],
    ['nondeterministic', 'same seed, task and actions give the same game'],
    ['rejects-listed', 'every listed admissible action is accepted'],
    ['no-actors', 'actors are valid until the end (someone acts while the game runs, nobody after)'],
    ['bad-restore', 'snapshot and restore behave as the env declares (continue identically, same env and a fresh one)'],
    ['not-json', 'everything is JSON-serializable'],
  ];
  for (const [how, check] of cases) {
    it(`fails '${check}' for a game that is ${how}`, async () => {
      const report = await checkMultiAgentEnv(madeBroken(how), { episodes: 2, maxSteps: 20 });
      expect(report.ok).toBe(false);
      expect(report.results.filter((r) => !r.ok).map((r) => r.name)).toContain(check);
    });
  }

  it("fails the turn check for a game built without makeMulti's turn enforcing that lets anyone act", async () => {
    const report = await checkMultiAgentEnv(() => new ToyCountGame({ seats: 3, target: 7 }, 'ignores-turn'), { episodes: 2, maxSteps: 20 });
    const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
    expect(failed).toContain('actions out of turn are refused with NOT_YOUR_TURN and the game goes on; unknown seats are an error');
  });

  it('fails the time-limit check when the limit sets terminated instead of truncated', async () => {
    const report = await checkMultiAgentEnv((o) => new LimitTerminates(makeMulti(TOY_GAME_ID, o)), { episodes: 2, maxSteps: 20 });
    const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
    expect(failed).toEqual(['the time limit truncates (not terminates) and the ended game refuses steps']);
  });

  it('passes a conforming game with every check ok', async () => {
    const report = await checkMultiAgentEnv((o) => makeMulti(TOY_GAME_ID, o), { episodes: 2 });
    expect(report.results.map((r) => [r.name, r.ok, r.message])).toEqual(report.results.map((r) => [r.name, true, undefined]));
  });
});
