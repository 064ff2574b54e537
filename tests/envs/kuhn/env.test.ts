import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { makeBuiltinAgent } from '../../../agents/builtin-agents.js';
import { runGame, runGames } from '../../../agents/run-game.js';
import { ScriptedAgent } from '../../../agents/scripted-agent.js';
import { makeMulti } from '../../../envs/core/registry.js';
import { readKuhnObservation } from '../../../envs/kuhn/read-observation.js';
import { describeMultiAgentConformance } from '../../helpers/conformance.js';

const ID = 'kuhn-poker-v1';

describeMultiAgentConformance(ID, (o) => makeMulti(ID, o));

describe('kuhn-poker-v1', () => {
  it('deals from the task, shows each seat only its own card, and pays the showdown', async () => {
    const env = makeMulti(ID);
    const reset = await env.reset({ task: 'kuhn/train/4' }); // deal 4: K vs J
    expect(reset.actors).toEqual([0]);
    expect(reset.info.task).toMatchObject({ id: 'kuhn/train/4', type: 'KJ' });
    expect(reset.observations[0]!.text).toContain('Your card: K.');
    expect(reset.observations[1]!.text).toContain('Your card: J.');
    expect(reset.observations[1]!.text).not.toContain('K.');
    expect(reset.observations[0]!.actions).toEqual(['check', 'bet']);
    expect(reset.observations[1]!.actions).toEqual([]);
    const bet = await env.step({ 0: 'bet' });
    expect(bet.actors).toEqual([1]);
    expect(bet.observations[1]!.actions).toEqual(['fold', 'call']);
    const call = await env.step({ 1: 'call' });
    expect(call.terminated).toBe(true);
    expect(call.rewards).toEqual({ 0: 2, 1: -2 });
    expect(call.infos[0]).toMatchObject({ success: true, rewardComponents: { payoff: 2 } });
    expect(call.observations[1]!.text).toContain('Showdown: seat 0 shows K, seat 1 shows J. You lose 2.');
    await expect(env.step({ 0: 'check' })).rejects.toMatchObject({ code: 'EPISODE_OVER' });
  });

  it('answers a wrong move in the seat info with the legal ones, and an off-turn move with NOT_YOUR_TURN', async () => {
    const env = makeMulti(ID);
    await env.reset({ task: { split: 'train', index: 0 } });
    const wrong = await env.step({ 0: 'call' });
    expect(wrong.infos[0]!.invalid).toMatchObject({ code: 'NOT_ADMISSIBLE', suggestions: ['check', 'bet'] });
    expect(wrong.actors).toEqual([0]);
    const offTurn = await env.step({ 1: 'bet' });
    expect(offTurn.infos[1]!.invalid!.code).toBe('NOT_YOUR_TURN');
    const both = await env.step({ 0: 'check', 1: 'bet' });
    expect(both.infos[1]!.invalid!.code).toBe('NOT_YOUR_TURN');
    expect(both.actors).toEqual([1]);
  });

  it('the terminate policy ends the game on an invalid move and charges the offender', async () => {
    const env = makeMulti(ID, { invalidActionPolicy: 'terminate', invalidActionPenalty: 1 });
    await env.reset({ task: 'kuhn/train/0' });
    const r = await env.step({ 0: 'raise' });
    expect(r.terminated).toBe(true);
    expect(r.rewards[0]).toBe(-1);
    expect(r.info.endReason).toMatch(/invalid action by seat 0/);
  });

  it('a missed turn (null) is NO_ACTION under the seat policy', async () => {
    const env = makeMulti(ID, { invalidActionPolicy: 'penalty', invalidActionPenalty: 0.5 });
    await env.reset({ task: 'kuhn/train/0' });
    const r = await env.step({ 0: null });
    expect(r.infos[0]!.invalid!.code).toBe('NO_ACTION');
    expect(r.rewards[0]).toBe(-0.5);
    expect(r.actors).toEqual([0]);
  });

  it('reads its own observations back (what the bots see)', async () => {
    const env = makeMulti(ID);
    await env.reset({ task: 'kuhn/train/3' }); // Q vs K
    const r = await env.step({ 0: 'check' });
    expect(readKuhnObservation(r.observations[1]!.text)).toEqual({ seat: 1, card: 2, history: 'p' });
    expect(readKuhnObservation(r.observations[0]!.text)).toEqual({ seat: 0, card: 1, history: 'p' });
  });

  it('the equilibrium bot holds the first seat near −1/18 against itself over many games', async () => {
    const games = 3000;
    const envs = Array.from({ length: games }, () => makeMulti(ID));
    const nash = makeBuiltinAgent(ID, 'bot:nash', 1);
    const outcomes = await runGames(envs, () => nash, { reset: envs.map((_, i) => ({ seed: i })) });
    const mean = outcomes.reduce((s, o) => s + (o.ok ? o.game.seats[0]!.return : 0), 0) / games;
    expect(mean).toBeGreaterThan(-1 / 18 - 0.08);
    expect(mean).toBeLessThan(-1 / 18 + 0.08);
  });

  it('a scripted seat and a bot seat play one game together', async () => {
    const env = makeMulti(ID);
    const game = await runGame(env, { 0: ScriptedAgent.of(['bet']), 1: makeBuiltinAgent(ID, 'bot:always-bet') }, { reset: { task: 'kuhn/train/1' } });
    expect(game.log.map((e) => e.actions)).toEqual([{ 0: 'bet' }, { 1: 'call' }]);
    expect(game.seats.map((s) => s.return)).toEqual([-2, 2]); // J vs K
    expect(game.seats[1]!.agent).toBe('bot:always-bet');
  });
});
