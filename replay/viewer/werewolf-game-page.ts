/**
 * The werewolf game page: a recorded game re-simulated (its observations are re-created, not
 * stored) and shown
 *  - omniscient (`view=all`, the default): the cast with roles and agents, then the timeline of
 *    nights (the werewolves' proposals and choice, the seer's check, the doctor's protection,
 *    who died or was saved), speeches, bids and votes, with refused actions;
 *  - as one seat saw it (`seat=N`): exactly that seat's record, line by line, with its own
 *    actions where it took them and the exact observation text it read before each one.
 * Every speech, name and action goes through the `html` tag: hostile speech renders as inert text.
 * @module
 */
import '../../envs/builtin.js';
import { resolveMakeOptions, spec } from '../../envs/core/registry.js';
import type { MultiAgentResetResult, MultiAgentStepResult, SeatActions } from '../../envs/core/types.js';
import { parseClaims, parseRecordLine, STATUS_SEPARATOR, WerewolfSession, type GameEvent, type Role } from '../../envs/werewolf/index.js';
import type { GameReplayLog } from '../game-replay.js';
import type { LeagueInfo, StoredLeagueGame } from '../league-store.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './pages.js';

export interface ReplayedWerewolfGame {
  reset: MultiAgentResetResult;
  steps: { actions: Record<string, string>; result: MultiAgentStepResult }[];
}

/**
 * Re-simulates a werewolf game synchronously (the viewer's handler is synchronous): the raw game
 * with the env's own options (make's common ones — time limit, invalid-action policy — set aside;
 * the recorded actions bound the replay).
 */
export function replayWerewolfGame(log: GameReplayLog): ReplayedWerewolfGame {
  const session = new WerewolfSession(resolveMakeOptions(spec(log.envId), log.envOptions).envOptions);
  const reset = session.reset(log.reset);
  const steps: ReplayedWerewolfGame['steps'] = [];
  for (const actions of log.actions) {
    if (session.actors().length === 0) break;
    steps.push({ actions, result: session.step(actions as SeatActions) });
  }
  return { reset, steps };
}

// Control characters and bidirectional overrides in what an agent sent: shown as visible escapes
// (they could otherwise reorder how the page reads).
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A raw action or speech as visible text: control and bidi characters become `\u{…}`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, '0')}}`);
}

function who(seat: number, roles: readonly Role[] | null, agents: readonly string[]): SafeHtml {
  const role = roles?.[seat];
  return html`<span class="who${role ? ` role-${role}` : ''}" title="${agents[seat] ?? ''}">player ${seat}${role ? html` <span class="small">${role}</span>` : ''}</span>`;
}

function claimsLine(text: string): SafeHtml {
  const claims = parseClaims(text);
  if (claims.length === 0) return html``;
  return html`<div class="claims small">claims: ${claims.map((c) => html`<code>${JSON.stringify(c)}</code> `)}</div>`;
}

function omniscientTimeline(game: ReplayedWerewolfGame, agents: readonly string[]): SafeHtml {
  const roles = (game.reset.info.roles as Role[] | undefined) ?? null;
  const w = (s: number) => who(s, roles, agents);
  const blocks: SafeHtml[] = [];
  const events: { event: GameEvent; t: number }[] = [
    ...((game.reset.info.events as unknown as GameEvent[]) ?? []).map((event) => ({ event, t: -1 })),
    ...game.steps.flatMap((s, t) => ((s.result.info.events as unknown as GameEvent[]) ?? []).map((event) => ({ event, t }))),
  ];
  const refusals = game.steps.flatMap((s, t) =>
    Object.entries(s.result.infos)
      .filter(([, info]) => info.invalid !== undefined)
      .map(([seat, info]) => ({ t, seat: Number(seat), action: s.actions[seat] ?? '', message: `${info.invalid!.code}: ${info.invalid!.message}` })),
  );
  let lastT = -2;
  const flushRefusals = (upTo: number) => {
    for (const r of refusals.filter((x) => x.t > lastT && x.t <= upTo)) {
      blocks.push(html`<li class="ev refused">✗ ${w(r.seat)} tried <code>${visible(r.action)}</code> — ${visible(r.message)}</li>`);
    }
    lastT = upTo;
  };
  for (const { event: e, t } of events) {
    flushRefusals(t);
    switch (e.type) {
      case 'deal':
        break;
      case 'night':
        blocks.push(html`<li class="ev phase night"><h3>Night ${e.round}</h3></li>`);
        break;
      case 'proposal':
        blocks.push(html`<li class="ev private">${w(e.wolf)} proposes to kill ${w(e.target)}</li>`);
        break;
      case 'wolf-choice':
        blocks.push(html`<li class="ev private">${w(e.wolf)} decides: the werewolves attack ${w(e.target)}</li>`);
        break;
      case 'check':
        blocks.push(html`<li class="ev private">${w(e.seer)} checks ${w(e.target)}: <b>${e.werewolf ? 'a werewolf' : 'not a werewolf'}</b></li>`);
        break;
      case 'protect':
        blocks.push(html`<li class="ev private">${w(e.doctor)} protects ${w(e.target)}</li>`);
        break;
      case 'dawn':
        blocks.push(html`<li class="ev phase day"><h3>Day ${e.round}</h3></li>`);
        blocks.push(
          html`<li class="ev">${e.killed !== null ? html`${w(e.killed)} was killed in the night` : e.saved && e.victim !== null ? html`nobody died: the doctor saved ${w(e.victim)}` : 'nobody died'}</li>`,
        );
        break;
      case 'floor':
        blocks.push(html`<li class="ev small">turn ${e.turn}: ${w(e.speaker)} takes the floor with bid ${e.bid} (bids: ${e.bids.map((b, s) => (b === null ? '' : `${s}→${b} `))})</li>`);
        break;
      case 'speech':
        blocks.push(html`<li class="ev speech">${w(e.speaker)}: <blockquote>${e.text === '' ? html`<i>(silence)</i>` : visible(e.text)}</blockquote>${claimsLine(e.text)}</li>`);
        break;
      case 'vote':
        blocks.push(html`<li class="ev vote"><table class="ballots"><thead><tr><th>voter</th><th>vote</th></tr></thead><tbody>${e.ballots.map(
          ([v, target]) => html`<tr><td>${w(v)}</td><td>${target === null ? html`<i>abstain</i>` : w(target)}</td></tr>`,
        )}</tbody></table>${e.exiled !== null ? html`<p>${w(e.exiled)} is exiled${e.tied.length > 1 ? ' (a tie, drawn at random)' : ''}.</p>` : html`<p>Nobody is exiled${e.tied.length > 1 ? html` (tie between ${e.tied.map((s) => html`${w(s)} `)})` : ''}.</p>`}</li>`);
        break;
      case 'end':
        blocks.push(html`<li class="ev phase end"><h3>Game over: ${e.winner === 'draw' ? 'a draw' : e.winner === 'wolves' ? 'the werewolves win' : 'the village wins'}</h3><p>${e.reason}</p></li>`);
        break;
    }
  }
  flushRefusals(game.steps.length);
  return html`<ol class="timeline">${blocks}</ol>`;
}

function recordLines(text: string): string[] {
  const at = text.lastIndexOf(STATUS_SEPARATOR);
  const record = at < 0 ? '' : text.slice(0, at);
  return record === '' ? [] : record.split('\n');
}

function lineClass(line: string): string {
  const r = parseRecordLine(line);
  if (r === null) return 'line';
  if (line.includes(', private to player ')) return 'line private';
  if (r.kind === 'night') return 'line phase night';
  if (r.kind === 'dawn') return 'line phase day';
  if (r.kind === 'speech') return 'line speech';
  if (r.kind === 'votes' || r.kind === 'exile') return 'line vote';
  if (r.kind === 'end') return 'line phase end';
  return 'line';
}

function seatTimeline(game: ReplayedWerewolfGame, seat: number): SafeHtml {
  const items: SafeHtml[] = [];
  let shown = 0;
  let before = game.reset.observations[seat]!;
  const showLinesOf = (text: string) => {
    const lines = recordLines(text);
    for (const line of lines.slice(shown)) items.push(html`<li class="${lineClass(line)}">${line}</li>`);
    shown = lines.length;
  };
  game.steps.forEach((s, t) => {
    const action = s.actions[String(seat)];
    if (action !== undefined) {
      showLinesOf(before.text);
      const info = s.result.infos[seat];
      items.push(
        html`<li class="mine"><details><summary>you (t=${t}): <code>${visible(action)}</code>${info?.invalid ? html` <span class="badge bad">refused ${info.invalid.code}</span> <span class="small">${info.invalid.message}</span>` : ''}${
          typeof info?.notice === 'string' ? html` <span class="small">${info.notice}</span>` : ''
        }</summary><p class="small">The exact observation player ${seat} read before acting:</p><pre class="obs">${before.text}</pre>${
          before.actions.length > 0 ? html`<p class="small">admissible: ${before.actions.map((a) => html`<code>${a}</code> `)}</p>` : ''
        }</details></li>`,
      );
    }
    before = s.result.observations[seat]!;
  });
  showLinesOf(before.text);
  const status = before.text.slice(before.text.lastIndexOf(STATUS_SEPARATOR) + STATUS_SEPARATOR.length);
  return html`<ol class="record">${items}</ol><h3>Status at the end</h3><pre class="obs">${status}</pre>`;
}

export interface GamePageInput {
  game: StoredLeagueGame;
  league: LeagueInfo | null;
  replay: ReplayedWerewolfGame;
  /** 'all' (omniscient) or a seat. */
  view: 'all' | number;
}

export function werewolfGamePage({ game, league, replay, view }: GamePageInput): string {
  const agents = game.seats.map((s) => s.agent);
  const seats = replay.reset.observations ? Object.keys(replay.reset.observations).map(Number) : [];
  const tab = (label: SafeHtml | string, href: string, active: boolean) => html`<a class="tab${active ? ' active' : ''}" href="${href}">${label}</a>`;
  const selector = html`<nav class="seats">${tab('everything (omniscient)', `/games/${game.id}`, view === 'all')}${seats.map((s) =>
    tab(html`player ${s} <span class="small">${agents[s] ?? ''}</span>`, `/games/${game.id}?seat=${s}`, view === s),
  )}</nav>`;
  const cast = html`<table class="cast"><thead><tr><th>seat</th><th>agent</th><th>role</th><th>side</th><th class="num">reward</th><th>survived</th></tr></thead><tbody>${game.seats.map(
    (s) => html`<tr><td>player ${s.seat}</td><td>${s.agent}</td><td><span class="who role-${s.role}">${s.role}</span></td><td>${s.side}</td><td class="num">${s.reward}</td><td>${s.survived ? 'yes' : 'no'}</td></tr>`,
  )}</tbody></table>`;
  const drift = replay.steps.length !== game.steps ? html`<p class="error">Re-simulated ${replay.steps.length} of ${game.steps} recorded steps: the game drifted (check <code>ludus replay --verify game:${game.id}</code>).</p>` : '';
  const body = html`<p class="crumbs"><a href="/leagues">leagues</a> › ${league ? html`<a href="/leagues/${league.id}">league ${league.id} (${league.name})</a>` : `league ${game.leagueId}`} › game ${game.index}</p>
<h1>Game ${game.index} of the league: ${game.winner === 'draw' ? 'a draw' : game.winner === 'wolves' ? 'the werewolves win' : 'the village wins'}</h1>
<dl class="facts"><dt>game id</dt><dd>${game.id}</dd><dt>env</dt><dd>${game.envId}</dd><dt>task</dt><dd>${game.taskId}</dd><dt>seed</dt><dd>${game.seed}</dd><dt>steps</dt><dd>${game.steps}</dd>
<dt>rounds</dt><dd>${game.rounds}</dd><dt>ended</dt><dd>${game.endReason}</dd><dt>werewolves</dt><dd>${game.wolves ?? 'mixed'}</dd><dt>village</dt><dd>${game.village ?? 'mixed'}</dd></dl>
<p class="hint">Observations are re-created by re-simulating the recorded actions; verify with <code>ludus replay --verify game:${game.id}</code>.</p>
${drift}
${selector}
${
  view === 'all'
    ? html`<h2>Cast</h2>${cast}<h2>Timeline</h2>${omniscientTimeline(replay, agents)}`
    : html`<h2>What player ${view} (${agents[view] ?? ''}) saw</h2><p class="hint">Exactly this seat's observations: public lines, its own private lines (highlighted), its actions where it took them (open one for the exact text it read).</p>${seatTimeline(replay, view)}`
}`;
  return layout(`game ${game.id}`, body);
}
