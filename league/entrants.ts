/**
 * League entrants by name: the built-in agents of the env (`random`, `bot:random`, `bot:naive`,
 * `bot:basic`, `bot:strong`), language models (`llm:<model>@<base URL>`, any OpenAI-compatible
 * endpoint: agents/llm/), and kinds resolved by a loader the caller passes — `checkpoint:DIR` (a
 * tfjs policy; the CLI loads it). Each entrant is one Agent for all the seats it holds in every
 * game, seeded from the league seed and its name.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { makeNamedAgent } from '../agents/builtin-agents.js';
import { LudusError } from '../envs/core/errors.js';
import { hash32 } from '../envs/core/rng.js';
import type { LeagueEntrant } from './play-league.js';

/** Builds an agent for a `kind:rest` name (e.g. 'checkpoint:runs/a'). */
export type EntrantLoader = (rest: string, seed: number) => Promise<Agent>;

export function parseEntrantList(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new LudusError('AGENT_UNKNOWN', 'List the league\'s agents, e.g. --agents bot:random,bot:basic,bot:strong.');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new LudusError('AGENT_UNKNOWN', `Agent '${dup}' is listed twice: list each agent once.`);
  return names;
}

export async function resolveEntrants(envId: string, names: readonly string[], seed: number, loaders: Readonly<Record<string, EntrantLoader>> = {}): Promise<LeagueEntrant[]> {
  const out: LeagueEntrant[] = [];
  for (const name of names) {
    const agentSeed = hash32(`league/${seed}/${name}`);
    const colon = name.indexOf(':');
    const kind = colon < 0 ? '' : name.slice(0, colon);
    const loader = loaders[kind];
    if (loader !== undefined) {
      out.push({ name, agent: await loader(name.slice(colon + 1), agentSeed) });
      continue;
    }
    out.push({ name, agent: makeNamedAgent(envId, name, agentSeed) });
  }
  return out;
}
