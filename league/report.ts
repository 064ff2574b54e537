/**
 * Markdown tables of league standings: ratings and win rates per side with 95% intervals, win
 * rates per role, and (sides schedule) the pairing matrix of the werewolves' win rate.
 * @module
 */
import { ROLES } from '../envs/werewolf/index.js';
import type { Standings, WinRecord } from './standings.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "61.2% [58.1, 64.2] (n=1000)" */
export function formatRate(r: WinRecord): string {
  if (r.trials === 0) return '—';
  return `${pct(r.rate)} [${(100 * r.low).toFixed(1)}, ${(100 * r.high).toFixed(1)}] (n=${r.trials})`;
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function standingsMarkdown(s: Standings): string[] {
  const lines: string[] = [];
  lines.push(`${s.games} games: werewolves won ${s.wolvesWins}, the village ${s.villageWins}, ${s.draws} draws.`, '');
  const entrants = [...s.entrants].sort((a, b) => (b.rating?.ordinal ?? 0) - (a.rating?.ordinal ?? 0));
  lines.push(
    ...table(
      ['agent', 'win rate [95% CI]', 'as werewolves', 'as village', 'Elo', 'OpenSkill μ ± σ (ordinal)'],
      entrants.map((e) => [
        e.entrant,
        formatRate(e.overall),
        formatRate(e.sides.wolves),
        formatRate(e.sides.village),
        e.rating ? e.rating.elo.toFixed(0) : '—',
        e.rating ? `${e.rating.mu.toFixed(2)} ± ${e.rating.sigma.toFixed(2)} (${e.rating.ordinal.toFixed(2)})` : '—',
      ]),
    ),
    '',
  );
  lines.push(...table(['agent', ...ROLES], entrants.map((e) => [e.entrant, ...ROLES.map((r) => formatRate(e.roles[r]))])), '');
  if (s.pairings.length > 0) {
    const wolves = [...new Set(s.pairings.map((p) => p.wolves))];
    const village = [...new Set(s.pairings.map((p) => p.village))];
    const cell = (w: string, v: string) => {
      const p = s.pairings.find((x) => x.wolves === w && x.village === v);
      return p ? `${pct(p.wolvesWin.rate)} (n=${p.wolvesWin.trials})` : '—';
    };
    lines.push('Werewolves\' win rate by pairing (rows: the werewolves\' agent, columns: the village\'s):', '');
    lines.push(...table(['wolves \\ village', ...village], wolves.map((w) => [w, ...village.map((v) => cell(w, v))])), '');
  }
  return lines;
}
