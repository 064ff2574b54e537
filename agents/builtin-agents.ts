/**
 * Built-in agents by name: what can hold a seat that no client claims (`{seat: 3, agent:
 * 'bot:basic'}` in `session.open`), what `ludus play` puts in the other seats, what a league
 * lists. `random` and `expert` exist for every env that supports them; rule bots are per env.
 *
 * A plain record, read by `makeBuiltinAgent`: an env with bots adds an entry here.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';
import type { Agent } from './agent.js';
import { ExpertAgent, hasExpert } from './experts.js';
import { isLlmAgentName, makeLlmAgent } from './llm/agent-name.js';
import { constantStrategy, KuhnStrategyAgent, nashStrategy } from './kuhn/strategy-agent.js';
import { RandomAgent } from './random-agent.js';
import { WEREWOLF_BOTS } from './werewolf/bots.js';

export interface AgentContext {
  envId: string;
  /** Seeds the agent's own randomness (a bot's tie-breaks, the random agent's picks). */
  seed: number;
}

export type AgentFactory = (context: AgentContext) => Agent;

/** Agents available for every env. */
const ANY_ENV: Readonly<Record<string, AgentFactory>> = {
  random: ({ seed }) => new RandomAgent(seed),
};

/** Env-specific agents (rule bots), by env id. */
export const BUILTIN_AGENTS: Readonly<Record<string, Readonly<Record<string, AgentFactory>>>> = {
  'kuhn-poker-v1': {
    'bot:nash': ({ seed }) => new KuhnStrategyAgent('bot:nash', nashStrategy(), seed),
    'bot:always-bet': ({ seed }) => new KuhnStrategyAgent('bot:always-bet', constantStrategy(1), seed),
  },
  'werewolf-v1': WEREWOLF_BOTS,
};

/** The built-in agent names that can play `envId`. */
export function builtinAgentNames(envId: string): string[] {
  return [...Object.keys(ANY_ENV), ...(hasExpert(envId) ? ['expert'] : []), ...Object.keys(BUILTIN_AGENTS[envId] ?? {})];
}

/** A fresh built-in agent, or AGENT_UNKNOWN naming the ones that exist. */
export function makeBuiltinAgent(envId: string, name: string, seed = 0): Agent {
  const factory = BUILTIN_AGENTS[envId]?.[name] ?? ANY_ENV[name];
  if (factory !== undefined) return factory({ envId, seed });
  if (name === 'expert' && hasExpert(envId)) return new ExpertAgent(envId);
  throw new LudusError('AGENT_UNKNOWN', `No built-in agent '${name}' for ${envId}: choose one of ${builtinAgentNames(envId).join(', ')}.`, {
    agent: name,
    known: builtinAgentNames(envId),
  });
}

/**
 * A built-in agent, or an LLM agent named `llm:<model>@<base URL>` (agents/llm/agent-name.ts). For
 * what runs on this machine's behalf (`ludus play`, `ludus eval`, leagues); the env server keeps to
 * `makeBuiltinAgent`, so a remote client cannot make it send requests to URLs of its choosing.
 */
export function makeNamedAgent(envId: string, name: string, seed = 0): Agent {
  return isLlmAgentName(name) ? makeLlmAgent(name) : makeBuiltinAgent(envId, name, seed);
}
