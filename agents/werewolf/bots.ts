/**
 * The werewolf rule bots by name, as `AgentFactory`s: `BUILTIN_AGENTS['werewolf-v1']`
 * (agents/builtin-agents.ts) is this record.
 * @module
 */
import type { AgentFactory } from '../builtin-agents.js';
import { basicBrain } from './basic-brain.js';
import { naiveBrain } from './naive-brain.js';
import { randomBrain } from './random-brain.js';
import { WerewolfBot, type BotBrain, type BotLevel } from './rule-bot.js';
import { strongBrain } from './strong-brain.js';

export const BOT_BRAINS: Readonly<Record<BotLevel, BotBrain>> = {
  random: randomBrain,
  naive: naiveBrain,
  basic: basicBrain,
  strong: strongBrain,
};

export function makeWerewolfBot(level: BotLevel, seed = 0): WerewolfBot {
  return new WerewolfBot(BOT_BRAINS[level], seed);
}

export const WEREWOLF_BOTS: Readonly<Record<string, AgentFactory>> = {
  'bot:random': ({ seed }) => makeWerewolfBot('random', seed),
  'bot:naive': ({ seed }) => makeWerewolfBot('naive', seed),
  'bot:basic': ({ seed }) => makeWerewolfBot('basic', seed),
  'bot:strong': ({ seed }) => makeWerewolfBot('strong', seed),
};
