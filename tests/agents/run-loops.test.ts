import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import type { Agent, AgentInput } from '../../agents/agent.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { runEpisode, runEpisodes } from '../../agents/run-episode.js';
import { runGame, runGames } from '../../agents/run-game.js';
import { ScriptedAgent } from '../../agents/scripted-agent.js';
import { LudusError } from '../../envs/core/errors.js';
import { make, makeMulti } from '../../envs/core/registry.js';
import type { Env, StepResult } from '../../envs/core/types.js';
import { EnvWrapper } from '../../envs/core/wrappers.js';
import { registerToyEnv, TOY_ENV_ID } from '../helpers/toy-env.js';
import { registerToyGame, TOY_GAME_ID } from '../helpers/toy-game.js';

registerToyEnv();
registerToyGame();

/** Counts act calls and inputs per call, and which streams ended. */
function counting(inner: Agent): Agent & { calls: number[]; ended: string[] } {
  const calls: number[] = [];
  const ended: string[] = [];
  return {
    name: 'counting',
    calls,
    ended,
    act: (inputs: readonly AgentInput[]) => (calls.push(inputs.length), inner.act(inputs)),
    end: (keys: readonly string[]) => void ended.push(...keys),
  };
}

describe('runEpisode / runEpisodes', () => {
  it('asks the agent once per step for every live episode, and ends each stream once', async () => {
    const envs = [0, 1, 2].map(() => make(TOY_ENV_ID, { maxNumber: 9 }));
    const agent = counting(new RandomAgent(3));
    const outcomes = await runEpisodes(envs, agent, { reset: [0, 1, 2].map((seed) => ({ seed })), keys: ['a', 'b', 'c'] });
    const episodes = outcomes.map((o) => (o.ok ? o.episode : null));
    expect(episodes.every((e) => e !== null && (e.terminated || e.truncated))).toBe(true);
    expect(agent.calls[0]).toBe(3);
    expect(agent.calls.reduce((a, b) => a + b, 0)).toBe(episodes.reduce((s, e) => s + e!.steps.length, 0));
    expect(agent.ended.sort()).toEqual(['a', 'b', 'c']);
    const ep = episodes[0]!;
    expect(ep.steps[1]!.history).toEqual([{ observation: ep.steps[0]!.observation.text, action: ep.steps[0]!.decision.action }]);
  });

  it('stops at maxSteps or when the signal aborts, without stepping further', async () => {
    const capped = await runEpisode(make(TOY_ENV_ID, { maxNumber: 1000 }), ScriptedAgent.of(['guess 1', 'guess 2', 'guess 3']), { reset: { seed: 1 }, maxSteps: 2 });
    expect([capped.steps.length, capped.stopped, capped.terminated]).toEqual([2, true, false]);
    const stop = new AbortController();
    const quitting: Agent = { name: 'quit', act: async (inputs) => (inputs[0]!.history.length === 1 && stop.abort(), inputs.map(() => ({ action: 'guess 5', logp: null, probs: null }))) };
    const stopped = await runEpisode(make(TOY_ENV_ID, { maxNumber: 1000 }), quitting, { reset: { seed: 1 }, signal: stop.signal });
    expect([stopped.steps.length, stopped.stopped]).toEqual([1, true]);
  });

  it('isolates a failing env with its whole group and lets the others finish', async () => {
    class Dropping extends EnvWrapper {
      override async step(action: string): Promise<StepResult> {
        throw new LudusError('CONNECTION_CLOSED', `gone (${action})`);
      }
    }
    const envs: Env[] = [new Dropping(make(TOY_ENV_ID)), make(TOY_ENV_ID), make(TOY_ENV_ID)];
    const outcomes = await runEpisodes(envs, new RandomAgent(1), {
      reset: { seed: 4 },
      groupOf: (i) => (i < 2 ? 'g0' : 'g1'),
      isolate: (err) => err instanceof LudusError && err.code === 'CONNECTION_CLOSED',
    });
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
    await expect(runEpisodes([new Dropping(make(TOY_ENV_ID))], new RandomAgent(1), { reset: { seed: 4 } })).rejects.toThrow(/gone/);
  });
});

describe('runGame / runGames', () => {
  it('asks each agent once per step for all the seats it holds, across games', async () => {
    const shared = counting(new RandomAgent(2));
    const envs = [0, 1].map(() => makeMulti(TOY_GAME_ID, { target: 3 }));
    const outcomes = await runGames(envs, () => shared, { reset: [{ seed: 1 }, { seed: 2 }] });
    const games = outcomes.map((o) => (o.ok ? o.game : null));
    expect(games.every((g) => g?.terminated)).toBe(true);
    // The vote is simultaneous: three seats of each of the two games in one call.
    expect(Math.max(...shared.calls)).toBe(6);
    expect(shared.calls.reduce((a, b) => a + b, 0)).toBe(games.reduce((s, g) => s + g!.seats.reduce((n, seat) => n + seat.steps.length, 0), 0));
    expect(new Set(shared.ended).size).toBe(6);
  });

  it("keeps each seat's own trajectory and the rewards it got after its decisions", async () => {
    const first: Agent = { name: 'first', act: async (inputs) => inputs.map((i) => ({ action: i.candidates[0]!, logp: null, probs: null })) };
    const game = await runGame(makeMulti(TOY_GAME_ID, { target: 1 }), () => first, { reset: { seed: 3 } });
    const winner = game.seats.find((s) => s.return === 1)!;
    expect(winner.success).toBe(true);
    expect(winner.steps.map((s) => s.decision.action)).toEqual(['add 1', 'yes']);
    expect(game.seats.filter((s) => s !== winner).every((s) => s.steps.map((x) => x.decision.action).join() === 'yes')).toBe(true);
    expect(winner.steps.at(-1)!.reward).toBe(1); // paid at the end, credited to its last decision
    for (const seat of game.seats) {
      for (const step of seat.steps) expect(step.observation.seat).toBe(seat.seat);
      expect(seat.steps.map((s) => s.observation.text).join('\n')).not.toMatch(new RegExp(`token-${(seat.seat + 1) % 3}-`));
    }
    expect(game.log.at(-1)!.result.terminated).toBe(true);
  });
});
