/**
 * A small recorded league for the league, store, CLI and viewer tests: bot:basic against
 * bot:strong, plus a hostile entrant that says script tags and control characters in every
 * speech — the viewer must show them as inert text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent, AgentInput, Decision } from '../../agents/agent.js';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { playLeague, type LeagueResult } from '../../league/play-league.js';
import { LeagueRecorder } from '../../league/record-league.js';
import { LeagueStore } from '../../replay/league-store.js';
import { openStore } from '../../replay/store.js';

export const HOSTILE_SPEECH = `<script>window.__pwned = 1; alert('xss')</script> "><img src=x onerror="alert(2)"> \u0007\u202Eevil`;

/** Says HOSTILE_SPEECH, and otherwise takes the first admissible action. */
export class HostileAgent implements Agent {
  readonly name = 'hostile';
  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((i) => ({ action: i.observation.actions.includes('say[<speech>]') ? `say[${HOSTILE_SPEECH}]` : i.observation.actions[0]!, logp: null, probs: null }));
  }
}

export interface LeagueFixture {
  db: string;
  leagueId: number;
  result: LeagueResult;
}

export async function buildLeagueFixture(games = 18): Promise<LeagueFixture> {
  const db = join(mkdtempSync(join(tmpdir(), 'ludus-league-')), 'league.db');
  const store = openStore(db);
  try {
    const entrants = [
      { name: 'bot:basic', agent: makeBuiltinAgent('werewolf-v1', 'bot:basic', 1) },
      { name: 'bot:strong', agent: makeBuiltinAgent('werewolf-v1', 'bot:strong', 2) },
      { name: 'hostile', agent: new HostileAgent() },
    ];
    const recorder = new LeagueRecorder(new LeagueStore(store), { envId: 'werewolf-v1', name: 'fixture-league', config: { games }, entrants: entrants.map((e) => e.name) });
    const result = await playLeague({ entrants, games, concurrency: 5, onBatch: recorder.onBatch });
    recorder.finish('finished');
    return { db, leagueId: recorder.leagueId, result };
  } finally {
    store.close();
  }
}
