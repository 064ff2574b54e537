/**
 * werewolf-v1 played by seats over the WebSocket protocol: seats held by two connections and by
 * built-in bots on the server; the same agents in process play the same game, move for move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { makeWerewolfBot } from '../../../agents/werewolf/bots.js';
import { runGame } from '../../../agents/run-game.js';
import { playSeat } from '../../../envs/client/play-seat.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { makeMulti } from '../../../envs/core/registry.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';

let server: EnvServer;
beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('werewolf-v1 over the seat protocol', () => {
  it('plays a game with seats on two connections and server-side bots, and each seat sees only its own secrets', async () => {
    const a = await RemoteEnvClient.connect(server.url);
    const b = await RemoteEnvClient.connect(server.url);
    try {
      const game = await a.openGame('werewolf-v1', { seats: { 5: 'bot:basic', 6: 'bot:strong' }, turnTimeoutMs: 30_000 });
      const held = await Promise.all([0, 1, 2, 3, 4].map((s) => (s % 2 === 0 ? a : b).claimSeat(game.session, s)));
      const bot = makeWerewolfBot('strong', 1);
      const seen: Record<number, string[]> = {};
      const players = held.map((seat) =>
        playSeat(seat, {
          name: 'recording',
          act: async (inputs) => {
            for (const i of inputs) (seen[i.seat!] ??= []).push(i.observation.text);
            return bot.act(inputs);
          },
          end: (keys) => bot.end(keys),
        }),
      );
      const started = await game.reset({ seed: 5, task: 'werewolf/test/00007' });
      expect(started.game.actors.length).toBeGreaterThan(0);
      const overs = await Promise.all(players);
      const over = await game.over();
      expect(overs.every((o) => o.terminated)).toBe(true);
      const rewards = Object.values(over.returns);
      expect(rewards).toHaveLength(7);
      expect(rewards.every((r) => r === 1 || r === -1 || r === 0)).toBe(true);
      // Each remote seat saw its own role line and nobody else's.
      for (const [seat, texts] of Object.entries(seen)) {
        const all = texts.join('\n');
        expect(all).toContain(`private to player ${seat}: your role is`);
        expect(all).not.toMatch(new RegExp(`private to player (?!${seat}:)\\d`));
      }
      await game.close();
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);

  it('plays the same game remotely as in process, move for move', async () => {
    const inProcess = makeWerewolfBot('strong', 3);
    const local = await runGame(makeMulti('werewolf-v1'), () => inProcess, { reset: { seed: 11, task: 'werewolf/valid/00003' }, key: 'same' });
    const localMoves = local.seats.map((s) => s.steps.map((st) => st.decision.action));

    const client = await RemoteEnvClient.connect(server.url);
    try {
      const game = await client.openGame('werewolf-v1', { turnTimeoutMs: 30_000 });
      const seats = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((s) => client.claimSeat(game.session, s)));
      const remoteBot = makeWerewolfBot('strong', 3);
      const moves: string[][] = seats.map(() => []);
      const players = seats.map((seat, s) => playSeat(seat, remoteBot, { key: `same/seat${s}`, onAct: (_turn, action) => moves[s]!.push(action) }));
      await game.reset({ seed: 11, task: 'werewolf/valid/00003' });
      await Promise.all(players);
      const over = await game.over();
      expect(moves).toEqual(localMoves);
      for (const s of local.seats) expect(over.returns[s.seat]).toBe(s.return);
      await game.close();
    } finally {
      await client.close();
    }
  }, 60_000);
});
