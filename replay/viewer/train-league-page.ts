/**
 * The viewer's pages of training leagues (`ludus train --league`): the runs with one (a section
 * of /leagues), and one run's league — its members (bots and checkpoints, an unloadable one with
 * its error), their latest OpenSkill ratings, the meta-strategy's distribution, the payoff table,
 * and a chart of every member's rating μ over the iterations (drawn by static/viewer.js from
 * /api/train-leagues/:runId with uPlot, like the run curves).
 * @module
 */
import type { TrainLeagueIterationRow, TrainLeagueMemberRow, TrainLeagueRatingRow, TrainLeagueSummary } from '../train-league-store.js';
import { fmt, html, type SafeHtml } from './html.js';
import { layout } from './pages.js';

export function trainLeaguesSection(list: readonly TrainLeagueSummary[]): SafeHtml {
  if (list.length === 0) return html``;
  const rows = list.map(
    (l) => html`<tr><td><a href="/leagues/train/${l.runId}">run ${l.runId}</a></td><td><a href="/runs/${l.runId}">${l.runName}</a></td><td>${l.envId}</td><td>${l.algo}</td><td class="num">${l.members}</td><td class="num">${l.iterations}</td><td>${l.status}</td></tr>`,
  );
  return html`<h2>Training leagues</h2><p class="hint">Runs of <code>ludus train --league</code>: the policy against rule bots and its own checkpoints.</p>
<table class="train-leagues"><thead><tr><th>league</th><th>run</th><th>env</th><th>algo</th><th>members</th><th>iterations</th><th>status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export interface TrainLeaguePageInput {
  summary: TrainLeagueSummary;
  members: readonly TrainLeagueMemberRow[];
  ratings: readonly TrainLeagueRatingRow[];
  latest: TrainLeagueIterationRow | null;
}

const isCell = (v: unknown): v is { score: number; games: number } => typeof v === 'object' && v !== null && typeof (v as { score?: unknown }).score === 'number' && typeof (v as { games?: unknown }).games === 'number';

export function trainLeaguePage({ summary, members, ratings, latest }: TrainLeaguePageInput): string {
  const lastIteration = ratings.reduce((m, r) => Math.max(m, r.iteration), -1);
  const current = new Map(ratings.filter((r) => r.iteration === lastIteration).map((r) => [r.member, r]));
  const names = ['learner', ...members.map((m) => m.name)];
  const learnerRow = (latest?.payoffs as Record<string, unknown> | undefined)?.learner as Record<string, unknown> | undefined;
  const rows = names.map((name) => {
    const m = members.find((x) => x.name === name);
    const r = current.get(name);
    const p = latest?.distribution[name];
    const cell = learnerRow?.[name];
    return html`<tr class="${m?.status === 'unloadable' ? 'bad' : ''}"><td>${name}</td><td>${m ? m.kind : 'policy (training)'}</td><td class="num">${m && m.iteration >= 0 ? m.iteration : '—'}</td>
<td class="num">${r ? `${fmt(r.mu, 2)} ± ${fmt(r.sigma, 2)}` : '—'}</td><td class="num">${r ? fmt(r.ordinal, 2) : '—'}</td><td class="num">${r?.games ?? 0}</td>
<td class="num">${p === undefined ? '—' : fmt(p, 3)}</td><td class="num">${isCell(cell) && cell.games > 0 ? `${fmt(cell.score / cell.games, 3)} (${fmt(cell.games, 1)})` : '—'}</td>
<td class="small">${m?.status === 'unloadable' ? html`<span class="error">unloadable: ${m.error ?? ''}</span>` : (m?.status ?? '')}</td></tr>`;
  });
  const body = html`<p class="crumbs"><a href="/leagues">leagues</a> › training league of run ${summary.runId}</p>
<h1>Training league of run ${summary.runId}: <a href="/runs/${summary.runId}">${summary.runName}</a></h1>
<dl class="facts"><dt>env</dt><dd>${summary.envId}</dd><dt>algo</dt><dd>${summary.algo}</dd><dt>members</dt><dd>${summary.members}</dd><dt>iterations</dt><dd>${summary.iterations}</dd><dt>status</dt><dd>${summary.status}</dd></dl>
<h2>Ratings over iterations</h2>
<p class="hint">OpenSkill μ of the learner and of every member after each iteration; a checkpoint starts at the learner's rating when it joins.</p>
<div class="league-ratings" data-run="${summary.runId}"></div>
<h2>Members after iteration ${lastIteration}</h2>
<p class="hint">p: the meta-strategy's probability of drawing the member next; learner's score: its discounted mean score against the member (games in brackets).</p>
<table class="members"><thead><tr><th>member</th><th>kind</th><th>joined after</th><th>OpenSkill μ ± σ</th><th>ordinal</th><th>games</th><th>p</th><th>learner's score</th><th>status</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout(`training league of run ${summary.runId}`, body, { charts: true });
}
