import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import type { Agent } from '../../../agents/agent.js';
import { makeBuiltinAgent } from '../../../agents/builtin-agents.js';
import { RandomAgent } from '../../../agents/random-agent.js';
import { runGame } from '../../../agents/run-game.js';
import { RemoteEnvClient } from '../../../envs/client/remote-env-client.js';
import { playSeat } from '../../../envs/client/play-seat.js';
import type { RemoteSeat, SeatEvent } from '../../../envs/client/remote-game.js';
import { makeMulti } from '../../../envs/core/registry.js';
import type { Observation } from '../../../envs/core/types.js';
import type { GameOver, SeatTurn } from '../../../envs/protocol/messages.js';
import { startServer, type EnvServer } from '../../../envs/server/env-server.js';
import { seatAgentSeed } from '../../../envs/server/game-host.js';
import { registerToyGame, TOY_GAME_ID } from '../../helpers/toy-game.js';

registerToyGame();

let server: EnvServer;
const clients: RemoteEnvClient[] = [];
async function connect(): Promise<RemoteEnvClient> {
  const client = await RemoteEnvClient.connect(server.url);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

/** Records every observation a seat was pushed, in order, while an agent plays it. */
function recording(agent: Agent, seen: Observation[]): Agent {
  return { name: agent.name, act: (inputs) => (inputs.forEach((i) => seen.push(i.observation)), agent.act(inputs)) };
}

async function nextTurn(seat: RemoteSeat): Promise<SeatTurn> {
  const ev: SeatEvent = await seat.next();
  if (ev.kind !== 'turn') throw new Error(`expected a turn, got game.over (${ev.over.reason})`);
  return ev.turn;
}

describe('play by seats over WebSocket', () => {
  it('two connections and a built-in agent play the same game as in process, bit for bit', async () => {
    const seed = 5;
    // In process: seats 0 and 1 are random agents with fixed seeds, seat 2 the built-in random agent.
    const local = await runGame(
      makeMulti(TOY_GAME_ID),
      { 0: new RandomAgent(100), 1: new RandomAgent(101), 2: makeBuiltinAgent(TOY_GAME_ID, 'random', seatAgentSeed(seed, 2)) },
      { reset: { seed } },
    );

    const host = await connect();
    const other = await connect();
    const game = await host.openGame(TOY_GAME_ID, { seats: { 2: 'random' } });
    const seatA = await host.claimSeat(game.session, 0);
    const seatB = await other.claimSeat(game.session, 1);
    const seenA: Observation[] = [];
    const seenB: Observation[] = [];
    const playing = Promise.all([playSeat(seatA, recording(new RandomAgent(100), seenA)), playSeat(seatB, recording(new RandomAgent(101), seenB))]);
    const started = await game.reset({ seed });
    expect(started.game.holders).toEqual({ 0: 'client', 1: 'client', 2: 'random' });
    const [overA, overB] = await playing;
    const over = await game.over();

    expect(seenA).toEqual(local.seats[0]!.steps.map((s) => s.observation));
    expect(seenB).toEqual(local.seats[1]!.steps.map((s) => s.observation));
    const returns = Object.fromEntries(local.seats.map((s) => [String(s.seat), s.return]));
    for (const o of [overA, overB, over]) expect(o.returns).toEqual(returns);
    expect(overA.seats['0']!.observation).toEqual(local.seats[0]!.finalObservation);
    expect(overB.seats['1']!.observation).toEqual(local.seats[1]!.finalObservation);
    expect(Object.keys(overA.seats)).toEqual(['0']); // a holder sees only its own seats
    expect(over.terminated).toBe(true);
    await game.close();
  });

  it('refuses bad seat traffic with typed errors while the game goes on', async () => {
    const host = await connect();
    const intruder = await connect();
    const game = await host.openGame('kuhn-poker-v1', { seats: { 1: 'bot:always-bet' } });
    const seat = await host.claimSeat(game.session, 0);
    await expect(intruder.claimSeat(game.session, 0)).rejects.toMatchObject({ code: 'SEAT_TAKEN' });
    await expect(intruder.claimSeat(game.session, 1)).rejects.toMatchObject({ code: 'SEAT_TAKEN', message: /built-in agent 'bot:always-bet'/ });
    await expect(intruder.claimSeat(game.session, 5)).rejects.toMatchObject({ code: 'SEAT_UNKNOWN' });
    await expect(intruder.claimSeat('s_nope', 0)).rejects.toMatchObject({ code: 'SESSION_UNKNOWN' });
    await expect(seat.act('bet')).rejects.toMatchObject({ code: 'RESET_NEEDED' });
    await game.reset({ task: 'kuhn/train/0' });
    const turn = await nextTurn(seat);
    expect(turn.observation.text).toContain('Your card: J.');
    expect(turn.observation.actions).toEqual(['check', 'bet']);
    // Acting for a seat you do not hold, and the opener stepping a game played by seats.
    await expect(intruder.call('seat.act', { session: game.session, seat: 0, action: 'bet' })).rejects.toMatchObject({ code: 'SEAT_NOT_HELD' });
    await expect(host.call('seat.act', { session: game.session, seat: 1, action: 'bet' })).rejects.toMatchObject({ code: 'SEAT_NOT_HELD' });
    await expect(host.call('session.step', { session: game.session, actions: { 0: 'bet' } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(seat.act('check', turn.turn + 3)).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
    // A bad move is not an error: it comes back as invalid in the seat's next turn.
    await seat.act('raise', turn.turn);
    await expect(seat.act('check', turn.turn)).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' }); // that turn is over
    const again = await nextTurn(seat);
    expect(again.info.invalid).toMatchObject({ code: 'UNKNOWN_VERB', suggestions: ['check', 'bet'] });
    await seat.act('check', again.turn);
    // J checked; always-bet bets; we fold.
    const facing = await nextTurn(seat);
    expect(facing.observation.actions).toEqual(['fold', 'call']);
    await seat.act('fold', facing.turn);
    const end = await seat.next();
    expect(end.kind).toBe('over');
    expect((end as { over: GameOver }).over.returns).toEqual({ 0: -1, 1: 1 });
    await expect(seat.act('check')).rejects.toMatchObject({ code: 'EPISODE_OVER' });
    await game.close();
  });

  it('acting twice in one simultaneous turn is ALREADY_ACTED', async () => {
    const host = await connect();
    const game = await host.openGame(TOY_GAME_ID, { options: { target: 1 } });
    const seats = await Promise.all([0, 1, 2].map((s) => host.claimSeat(game.session, s)));
    const started = await game.reset({ seed: 1 });
    const starter = seats[started.game.actors[0]!]!;
    await starter.act('add 1', (await nextTurn(starter)).turn); // reaches the target: everyone votes at once
    const votes = await Promise.all(seats.map((s) => nextTurn(s)));
    expect(votes.every((v) => v.observation.actions.includes('yes'))).toBe(true);
    await seats[0]!.act('yes', votes[0]!.turn);
    await expect(seats[0]!.act('no', votes[0]!.turn)).rejects.toMatchObject({ code: 'ALREADY_ACTED' });
    await seats[1]!.act('no', votes[1]!.turn);
    await seats[2]!.act('yes', votes[2]!.turn);
    const over = await game.over();
    expect(over.terminated).toBe(true);
    await game.close();
  });

  it('a holder that vanishes is replaced by the fallback agent, recorded in game.over', async () => {
    const host = await connect();
    const leaver = await RemoteEnvClient.connect(server.url);
    const game = await host.openGame('kuhn-poker-v1', { fallback: 'bot:always-bet' });
    const stay = await host.claimSeat(game.session, 0);
    await leaver.claimSeat(game.session, 1);
    await game.reset({ task: 'kuhn/train/5' }); // K vs Q
    const turn = await nextTurn(stay);
    await leaver.close(); // seat 1 vanishes before acting
    await stay.act('check', turn.turn);
    const facing = await nextTurn(stay); // the fallback bets
    expect(facing.observation.text).toContain('seat 1 bet');
    await stay.act('call', facing.turn);
    const over = await game.over();
    expect(over.takeovers).toEqual([{ seat: 1, turn: 0, by: 'bot:always-bet' }]);
    expect(over.returns).toEqual({ 0: 2, 1: -2 });
    await game.close();
  });

  it("with fallback 'abort' a vanished holder ends the game as aborted", async () => {
    const host = await connect();
    const leaver = await RemoteEnvClient.connect(server.url);
    const game = await host.openGame('kuhn-poker-v1', { fallback: 'abort' });
    await host.claimSeat(game.session, 0);
    await leaver.claimSeat(game.session, 1);
    await game.reset({ seed: 3 });
    await leaver.close();
    const over = await game.over();
    expect(over.reason).toMatch(/aborted: the holder of seat 1 disconnected/);
    expect(over.terminated).toBe(false);
    await game.close();
  });

  it('a missed deadline lets the invalid-action policy decide: NO_ACTION, and the seat acts again', async () => {
    const host = await connect();
    const game = await host.openGame('kuhn-poker-v1', { seats: { 1: 'bot:nash' }, turnTimeoutMs: 80, options: { invalidActionPolicy: 'penalty', invalidActionPenalty: 0.25 } });
    const seat = await host.claimSeat(game.session, 0);
    await game.reset({ seed: 2 });
    const first = await nextTurn(seat);
    expect(first.deadline).toBeGreaterThan(Date.now() - 1000);
    const late = await nextTurn(seat); // nobody answered the first turn
    expect(late.turn).toBe(first.turn + 1);
    expect(late.info.invalid).toMatchObject({ code: 'NO_ACTION' });
    expect(late.info.rewardComponents).toMatchObject({ invalidPenalty: -0.25 });
    await seat.act('check', late.turn);
    await game.close();
  });

  it('reset waits for claims, then says which seats nobody claimed', async () => {
    const host = await connect();
    const game = await host.openGame('kuhn-poker-v1', { claimTimeoutMs: 60 });
    await host.claimSeat(game.session, 0);
    await expect(game.reset({ seed: 1 })).rejects.toMatchObject({ code: 'SEAT_UNCLAIMED', data: { seats: [1] } });
    await game.close();
  });

  it('open refuses unknown agents and seats, and seat play on a single-agent env', async () => {
    const host = await connect();
    await expect(host.openGame('kuhn-poker-v1', { seats: { 1: 'bot:genius' } })).rejects.toMatchObject({ code: 'AGENT_UNKNOWN', message: /bot:nash/ });
    await expect(host.openGame('kuhn-poker-v1', { seats: { 7: 'random' } })).rejects.toMatchObject({ code: 'SEAT_UNKNOWN' });
    await expect(host.openGame('household-v1', { seats: {} })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(host.open('kuhn-poker-v1')).rejects.toMatchObject({ code: 'ENV_KIND_MISMATCH' });
    const [controlled] = await host.openMulti('kuhn-poker-v1');
    await expect(host.claimSeat(controlled!.session, 0)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(server.sessionCount).toBeGreaterThan(0);
    await controlled!.close();
  });
});
