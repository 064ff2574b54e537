/**
 * League pages of the viewer: the leagues in the store, and one league's standings — ratings
 * (Elo, OpenSkill), win rates per side and per role with 95% intervals, the pairing matrix —
 * with its games, each linking to the game page. Standings are read as the league stored them
 * (JSON) and checked field by field before use.
 * @module
 */
import type { JsonValue } from '../../envs/core/types.js';
import type { GameWinner, LeagueGameSummary, LeagueInfo, LeagueRatingRow } from '../league-store.js';
import { fmt, fmtTime, html, query, type SafeHtml } from './html.js';
import { layout } from './pages.js';
import type { TrainLeagueSummary } from '../train-league-store.js';
import { trainLeaguesSection } from './train-league-page.js';

interface WinRecordJson {
  rate: number;
  low: number;
  high: number;
  trials: number;
  draws: number;
}

interface EntrantJson {
  entrant: string;
  overall: WinRecordJson;
  sides: Record<string, WinRecordJson>;
  roles: Record<string, WinRecordJson>;
}

interface StandingsJson {
  games: number;
  wolvesWins: number;
  villageWins: number;
  draws: number;
  entrants: EntrantJson[];
  pairings: { wolves: string; village: string; wolvesWin: WinRecordJson }[];
}

const isRecord = (v: unknown): v is WinRecordJson =>
  typeof v === 'object' && v !== null && ['rate', 'low', 'high', 'trials'].every((k) => typeof (v as Record<string, unknown>)[k] === 'number');

function standingsOf(value: JsonValue | null): StandingsJson | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const s = value as unknown as StandingsJson;
  if (typeof s.games !== 'number' || !Array.isArray(s.entrants) || !Array.isArray(s.pairings)) return null;
  if (!s.entrants.every((e) => typeof e.entrant === 'string' && isRecord(e.overall))) return null;
  return s;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function rateCell(r: WinRecordJson | undefined): SafeHtml {
  if (!r || !isRecord(r) || r.trials === 0) return html`<td class="num">—</td>`;
  return html`<td class="num" title="${r.trials} games, ${r.draws ?? 0} draws">${pct(r.rate)} <span class="small">[${(100 * r.low).toFixed(1)}, ${(100 * r.high).toFixed(1)}] n=${r.trials}</span></td>`;
}

const statusBadge = (status: string) => html`<span class="badge ${status === 'finished' ? 'ok' : status === 'running' ? 'info' : 'bad'}">${status}</span>`;

export function leaguesPage(leagues: readonly LeagueInfo[], trainLeagues: readonly TrainLeagueSummary[] = []): string {
  const rows = leagues.map(
    (l) => html`<tr><td><a href="/leagues/${l.id}">${l.id}</a></td><td><a href="/leagues/${l.id}">${l.name}</a></td><td>${l.envId}</td>
<td>${l.entrants.join(', ')}</td><td class="num">${l.games}</td><td>${statusBadge(l.status)}</td><td class="small">${fmtTime(l.createdAt)}</td></tr>`,
  );
  const body = html`<h1>Leagues</h1>${
    leagues.length === 0
      ? html`<p>This store has no leagues yet. Play one with <code>ludus league --env werewolf-v1 --agents bot:basic,bot:strong --games 200 --db</code>.</p>`
      : html`<table class="leagues"><thead><tr><th>id</th><th>name</th><th>env</th><th>agents</th><th>games</th><th>status</th><th>created</th></tr></thead><tbody>${rows}</tbody></table>`
  }${trainLeaguesSection(trainLeagues)}`;
  return layout('leagues', body);
}

export interface LeaguePageInput {
  league: LeagueInfo;
  ratings: LeagueRatingRow[];
  games: LeagueGameSummary[];
  total: number;
  filter: { agent?: string; winner?: GameWinner };
  offset: number;
  limit: number;
}

export function leaguePage({ league, ratings, games, total, filter, offset, limit }: LeaguePageInput): string {
  const s = standingsOf(league.standings);
  const byName = new Map((s?.entrants ?? []).map((e) => [e.entrant, e]));
  const order = ratings.length > 0 ? ratings.map((r) => r.agent) : league.entrants;
  const ratingRows = order.map((agent) => {
    const r = ratings.find((x) => x.agent === agent);
    const e = byName.get(agent);
    return html`<tr><td><a href="/leagues/${league.id}${query({ agent })}">${agent}</a></td>${rateCell(e?.overall)}${rateCell(e?.sides.wolves)}${rateCell(e?.sides.village)}
<td class="num">${r ? fmt(r.elo, 0) : '—'}</td><td class="num">${r ? `${fmt(r.mu, 2)} ± ${fmt(r.sigma, 2)}` : '—'}</td><td class="num">${r ? fmt(r.ordinal, 2) : '—'}</td><td class="num">${r?.games ?? 0}</td></tr>`;
  });
  const roles = ['werewolf', 'seer', 'doctor', 'villager'];
  const roleRows = order.map((agent) => html`<tr><td>${agent}</td>${roles.map((role) => rateCell(byName.get(agent)?.roles[role]))}</tr>`);
  const wolvesAgents = [...new Set((s?.pairings ?? []).map((p) => p.wolves))];
  const villageAgents = [...new Set((s?.pairings ?? []).map((p) => p.village))];
  const matrix =
    s && s.pairings.length > 0
      ? html`<h2>Werewolves' win rate by pairing</h2><p class="hint">Rows: the agent holding both werewolf seats; columns: the agent holding the five village seats.</p>
<table class="matrix"><thead><tr><th>wolves \\ village</th>${villageAgents.map((v) => html`<th>${v}</th>`)}</tr></thead><tbody>${wolvesAgents.map(
          (w) => html`<tr><th>${w}</th>${villageAgents.map((v) => rateCell(s.pairings.find((p) => p.wolves === w && p.village === v)?.wolvesWin))}</tr>`,
        )}</tbody></table>`
      : '';
  const gameRows = games.map(
    (g) => html`<tr><td class="num"><a href="/games/${g.id}">${g.index}</a></td><td>${g.winner}</td><td>${g.wolves ?? 'mixed'}</td><td>${g.village ?? 'mixed'}</td>
<td class="small">${g.taskId}</td><td class="num">${g.seed}</td><td class="num">${g.rounds}</td><td class="num">${g.steps}</td><td class="small">${g.endReason}</td></tr>`,
  );
  const pageLink = (o: number, label: string) => html`<a href="/leagues/${league.id}${query({ ...filter, offset: o || undefined, limit: limit === 50 ? undefined : limit })}">${label}</a>`;
  const body = html`<p class="crumbs"><a href="/leagues">leagues</a> › league ${league.id}</p>
<h1>League ${league.id}: ${league.name} ${statusBadge(league.status)}</h1>
<dl class="facts"><dt>env</dt><dd>${league.envId}</dd><dt>games</dt><dd>${league.games}</dd><dt>created</dt><dd>${fmtTime(league.createdAt)}</dd><dt>finished</dt><dd>${fmtTime(league.finishedAt)}</dd></dl>
${league.error ? html`<p class="error">error: ${league.error}</p>` : ''}
<details><summary>config</summary><pre class="json">${JSON.stringify(league.config, null, 2)}</pre></details>
${s ? html`<p>${s.games} games: the werewolves won ${s.wolvesWins}, the village ${s.villageWins}, ${s.draws} draws. Win rates with 95% Wilson intervals; a draw is a game not won.</p>` : html`<p class="hint">No standings recorded yet.</p>`}
<h2>Ratings and win rates per side</h2>
<table class="standings"><thead><tr><th>agent</th><th>win rate</th><th>as werewolves</th><th>as village</th><th>Elo</th><th>OpenSkill μ ± σ</th><th>ordinal</th><th>games</th></tr></thead><tbody>${ratingRows}</tbody></table>
<h2>Win rate per role</h2>
<table class="roles"><thead><tr><th>agent</th>${roles.map((r) => html`<th>${r}</th>`)}</tr></thead><tbody>${roleRows}</tbody></table>
${matrix}
<h2>Games</h2>
<form class="filters" action="/leagues/${league.id}" method="get">
<label>agent <select name="agent"><option value="">any</option>${league.entrants.map((a) => html`<option value="${a}"${a === filter.agent ? html` selected` : ''}>${a}</option>`)}</select></label>
<label>winner <select name="winner"><option value="">any</option>${(['wolves', 'village', 'draw'] as const).map((w) => html`<option value="${w}"${w === filter.winner ? html` selected` : ''}>${w}</option>`)}</select></label>
<button type="submit">filter</button></form>
<p class="hint">${total} game${total === 1 ? '' : 's'}${total > 0 ? `, ${offset + 1}–${Math.min(offset + limit, total)} shown` : ''}.</p>
<table class="games"><thead><tr><th>game</th><th>winner</th><th>werewolves</th><th>village</th><th>task</th><th>seed</th><th>rounds</th><th>steps</th><th>ended</th></tr></thead><tbody>${gameRows}</tbody></table>
<p class="pager">${offset > 0 ? pageLink(Math.max(0, offset - limit), '« previous') : ''} ${offset + limit < total ? pageLink(offset + limit, 'next »') : ''}</p>`;
  return layout(`league ${league.id}`, body);
}
