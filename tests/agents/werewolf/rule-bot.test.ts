import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { BUILTIN_AGENTS, builtinAgentNames, makeBuiltinAgent } from '../../../agents/builtin-agents.js';
import { runGame, runGames } from '../../../agents/run-game.js';
import { WEREWOLF_BOTS, makeWerewolfBot } from '../../../agents/werewolf/bots.js';
import { BOT_LEVELS, type WerewolfBot } from '../../../agents/werewolf/rule-bot.js';
import { werewolfSpeechProposer } from '../../../agents/werewolf/speech-candidates.js';
import { makeMulti } from '../../../envs/core/registry.js';
import type { Agent, AgentInput } from '../../../agents/agent.js';

describe('the werewolf rule bots', () => {
  it('are the built-in agents of werewolf-v1', () => {
    expect(BUILTIN_AGENTS['werewolf-v1']).toBe(WEREWOLF_BOTS);
    expect(builtinAgentNames('werewolf-v1')).toEqual(['random', 'bot:random', 'bot:naive', 'bot:basic', 'bot:strong']);
    for (const name of Object.keys(WEREWOLF_BOTS)) expect(makeBuiltinAgent('werewolf-v1', name, 1).name).toBe(name);
  });

  it.each(BOT_LEVELS)('bot:%s plays whole games with only admissible actions (speech aside), in both discussion modes', async (level) => {
    for (const discussion of ['seat-order', 'bidding'] as const) {
      const bot = makeWerewolfBot(level, 3);
      const game = await runGame(makeMulti('werewolf-v1', { discussion }), () => bot, { reset: { seed: 9 } });
      expect(game.terminated).toBe(true);
      for (const seat of game.seats) {
        for (const step of seat.steps) {
          const action = step.decision.action;
          if (step.observation.actions.includes('say[<speech>]')) expect(action).toMatch(/^say\[.*\]$/);
          else expect(step.observation.actions).toContain(action);
          expect(step.after.invalid).toBeUndefined();
        }
      }
      // Every stream the bot held was dropped at the end of the game.
      expect((bot as WerewolfBot).liveStreams).toBe(0);
    }
  });

  it('decide the same whether games are played one by one or batched together', async () => {
    const seeds = [1, 2, 3, 4];
    const alone: string[] = [];
    for (const seed of seeds) {
      const bot = makeWerewolfBot('strong', 5);
      const g = await runGame(makeMulti('werewolf-v1'), () => bot, { reset: { seed }, key: `g${seed}` });
      alone.push(JSON.stringify(g.log.map((e) => e.actions)));
    }
    const bot = makeWerewolfBot('strong', 5);
    const batch = await runGames(seeds.map(() => makeMulti('werewolf-v1')), () => bot, { reset: seeds.map((seed) => ({ seed })), keys: seeds.map((s) => `g${s}`) });
    expect(batch.map((o) => (o.ok ? JSON.stringify(o.game.log.map((e) => e.actions)) : 'failed'))).toEqual(alone);
  });

  it('make one act call per step for all the seats they hold, and keep memory per stream key', async () => {
    const bot = makeWerewolfBot('basic', 1);
    const calls: number[] = [];
    const spy: Agent = {
      name: bot.name,
      act: (inputs: readonly AgentInput[]) => {
        calls.push(inputs.length);
        expect(new Set(inputs.map((i) => i.key)).size).toBe(inputs.length);
        return bot.act(inputs);
      },
      end: (keys) => bot.end(keys),
    };
    await runGames([makeMulti('werewolf-v1'), makeMulti('werewolf-v1')], () => spy, { reset: [{ seed: 1 }, { seed: 2 }] });
    expect(calls.length).toBeGreaterThan(5);
    expect(Math.max(...calls)).toBeGreaterThan(2); // several seats (night, votes) of two games in one call
    expect(bot.liveStreams).toBe(0);
  });

  it('are deterministic for a seed and differ across seeds', async () => {
    const play = async (seed: number) => {
      const bot = makeWerewolfBot('random', seed);
      const g = await runGame(makeMulti('werewolf-v1'), () => bot, { reset: { seed: 4 } });
      return JSON.stringify(g.log.map((e) => e.actions));
    };
    expect(await play(1)).toBe(await play(1));
    expect(await play(1)).not.toBe(await play(2));
  });

  it('never act on information their seat did not get: a bot reads only its own observation', async () => {
    // Hand a bot inputs whose info carries the omniscient roles: its decisions must not change.
    const run = async (leak: boolean) => {
      const bot = makeWerewolfBot('strong', 2);
      const agent: Agent = {
        name: 'leaky',
        act: (inputs) => bot.act(leak ? inputs.map((i) => ({ ...i, info: { ...i.info, roles: ['werewolf'] } })) : inputs),
        end: (keys) => bot.end(keys),
      };
      const g = await runGame(makeMulti('werewolf-v1'), () => agent, { reset: { seed: 8 }, propose: werewolfSpeechProposer });
      return JSON.stringify(g.log.map((e) => e.actions));
    };
    expect(await run(true)).toBe(await run(false));
  });
});
