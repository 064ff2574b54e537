/**
 * Server-rendered pages of the viewer. Pure functions from store records to {@link SafeHtml}:
 * every recorded string goes through the `html` tag, which escapes it.
 * @module
 */
import type { AnchorGroup, EpisodeSummary, IterationInfo, RunInfo, StoredEpisode, StoredStep } from '../types.js';
import { fmt, fmtTime, html, query, raw, type SafeHtml } from './html.js';
import type { FilterChoices, GroupStepRow, RunEpisodeStats } from './queries.js';

/** The per-iteration curves of the run page, in order (typed columns of `iterations`). */
export const CHART_METRICS = [
  { key: 'successRate', label: 'success rate' },
  { key: 'meanReturn', label: 'mean return' },
  { key: 'loss', label: 'loss' },
  { key: 'kl', label: 'KL' },
  { key: 'entropy', label: 'entropy' },
  { key: 'clipFraction', label: 'clip fraction' },
  { key: 'stepsPerSecond', label: 'steps/s' },
] as const satisfies readonly { key: keyof IterationInfo; label: string }[];

export function layout(title: string, body: SafeHtml, opts: { charts?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ludus replay</title>
${opts.charts ? raw('<link rel="stylesheet" href="/static/uPlot.min.css">') : ''}
<link rel="stylesheet" href="/static/viewer.css">
</head>
<body>
<header><nav><a class="brand" href="/">ludus replay</a><a href="/">runs</a><a href="/episodes">episodes</a><a href="/leagues">leagues</a></nav></header>
<main>
${body}
</main>
${opts.charts ? raw('<script src="/static/uPlot.iife.min.js"></script>\n<script src="/static/viewer.js"></script>') : ''}
</body>
</html>
`.value;
}

export function errorPage(status: number, message: string): string {
  return layout(`${status}`, html`<h1>${status}</h1><p class="error">${message}</p><p><a href="/">back to the runs</a></p>`);
}

const badge = (text: string, kind: string): SafeHtml => html`<span class="badge ${kind}">${text}</span>`;

function statusBadge(status: string, why: string | null = null): SafeHtml {
  const kind = status === 'finished' ? 'ok' : status === 'running' ? 'info' : 'bad';
  return why === null ? badge(status, kind) : html`<span class="badge ${kind}" title="${why}">${status}</span>`;
}

/** Text with `backticked` parts set as code. */
function withCode(text: string): SafeHtml[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`));
}

function successBadge(success: boolean): SafeHtml {
  return success ? badge('success', 'ok') : badge('fail', 'bad');
}

/** ARPO: marks a trajectory replayed from the buffer (not played by the policy of its iteration). */
function replayedBadge(replayed: boolean): SafeHtml | '' {
  return replayed ? html` <span title="ARPO: replayed from the buffer into an all-failure group">${badge('replayed', 'info')}</span>` : '';
}

/** The few config fields worth a glance (the whole config is one click away). */
function configSummary(run: RunInfo): string {
  const c = run.config as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof c.groups === 'number' && typeof c.groupSize === 'number') parts.push(`G×N ${c.groups}×${c.groupSize}`);
  if (typeof c.iterations === 'number') parts.push(`${c.iterations} it`);
  if (typeof c.lr === 'number') parts.push(`lr ${c.lr}`);
  if (typeof c.maxSteps === 'number') parts.push(`max ${c.maxSteps} steps`);
  const env = (c.envOptions ?? c.options) as Record<string, unknown> | undefined;
  if (env && typeof env === 'object') for (const [k, v] of Object.entries(env)) parts.push(`${k}=${JSON.stringify(v)}`);
  if (typeof c.seed === 'number') parts.push(`seed ${c.seed}`);
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Runs

export function runsPage(runs: RunInfo[], stats: Map<number, RunEpisodeStats>): string {
  const rows = runs.map((r) => {
    const s = stats.get(r.id);
    return html`<tr>
<td><input type="checkbox" name="runs" value="${r.id}" aria-label="compare run ${r.id}"></td>
<td><a href="/runs/${r.id}">${r.id}</a></td>
<td><a href="/runs/${r.id}">${r.name}</a></td>
<td>${r.kind}</td><td>${r.algo ?? '—'}</td><td>${r.envId}</td><td>${r.backend ?? '—'}</td>
<td>${statusBadge(r.status, r.crashReason)}</td>
<td class="num">${r.lastIteration === null ? '—' : r.lastIteration + 1}</td>
<td class="num"><a href="/episodes${query({ run: r.id })}">${s?.episodes ?? 0}</a></td>
<td class="num">${s && s.episodes > 0 ? `${fmt((100 * s.successes) / s.episodes, 1)}%` : '—'}</td>
<td class="small">${configSummary(r)}</td>
<td class="small">${fmtTime(r.createdAt)}</td>
</tr>`;
  });
  const body = html`<h1>Runs</h1>
${
  runs.length === 0
    ? html`<p>This store has no runs yet. Record some with <code>ludus train</code> or <code>ludus play --db</code>.</p>`
    : html`<form action="/compare" method="get">
<table class="runs">
<thead><tr><th></th><th>id</th><th>name</th><th>kind</th><th>algo</th><th>env</th><th>backend</th><th>status</th><th>iterations</th><th>episodes</th><th>success</th><th>config</th><th>created</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p><button type="submit">Compare selected runs</button> <span class="hint">curves of the selected runs overlaid (e.g. GiGPO vs GRPO)</span></p>
</form>`
}`;
  return layout('runs', body);
}

/**
 * A run's page. `resume` explains, for a crashed or killed run, what `ludus train --resume` can and
 * cannot do for it (see replay/run-liveness.ts); `extra` is shown below the facts (an LSPO run's
 * link to its latent strategies).
 */
export function runPage(run: RunInfo, iterations: IterationInfo[], stats: RunEpisodeStats | undefined, others: RunInfo[], resume: string | null = null, extra?: SafeHtml): string {
  const itRows = iterations.map(
    (it) => html`<tr>
<td class="num"><a href="/episodes${query({ run: run.id, iteration: it.iteration })}">${it.iteration}</a></td>
${CHART_METRICS.map((m) => html`<td class="num">${fmt(it[m.key])}</td>`)}
<td class="num">${fmt(it.wallTimeMs, 0)}</td>
</tr>`,
  );
  const compare = others.filter((o) => o.id !== run.id && o.kind === 'train');
  const body = html`<h1>Run ${run.id}: ${run.name}</h1>
<dl class="facts">
<dt>kind</dt><dd>${run.kind}</dd><dt>algo</dt><dd>${run.algo ?? '—'}</dd><dt>env</dt><dd>${run.envId}</dd>
<dt>backend</dt><dd>${run.backend ?? '—'}</dd><dt>status</dt><dd>${statusBadge(run.status)}</dd>
<dt>episodes</dt><dd><a href="/episodes${query({ run: run.id })}">${stats?.episodes ?? 0}</a>${stats && stats.episodes > 0 ? ` (${fmt((100 * stats.successes) / stats.episodes, 1)}% success)` : ''}</dd>
<dt>created</dt><dd>${fmtTime(run.createdAt)}</dd><dt>finished</dt><dd>${fmtTime(run.finishedAt)}</dd>
</dl>
${run.error ? html`<p class="error">error: ${run.error}</p>` : ''}
${run.crashReason ? html`<p class="error" id="crashed">This run crashed: ${run.crashReason}, without finishing.</p>` : ''}
${resume ? html`<p class="resume" id="resume">${withCode(resume)}</p>` : ''}
${extra ?? ''}
<details><summary>config</summary><pre class="json">${JSON.stringify(run.config, null, 2)}</pre></details>
${
  iterations.length === 0
    ? html`<p>No iterations recorded${run.kind === 'play' ? ' (a play run records episodes only)' : ''}.</p>`
    : html`<h2>Curves</h2>
${
  compare.length > 0
    ? html`<form class="overlay" action="/compare" method="get"><input type="hidden" name="runs" value="${run.id}">
overlay: ${compare.map((o) => html`<label><input type="checkbox" name="runs" value="${o.id}"> ${o.id} ${o.algo ?? ''}</label> `)}
<button type="submit">compare</button></form>`
    : ''
}
<div class="charts" data-runs="${run.id}"></div>
<h2>Iterations</h2>
<table class="iterations"><thead><tr><th>iteration</th>${CHART_METRICS.map((m) => html`<th>${m.label}</th>`)}<th>wall ms</th></tr></thead>
<tbody>${itRows}</tbody></table>`
}`;
  return layout(`run ${run.id}`, body, { charts: iterations.length > 0 });
}

export function comparePage(runs: RunInfo[]): string {
  const body = html`<h1>Compare runs</h1>
<ul class="legend">${runs.map((r) => html`<li><a href="/runs/${r.id}">${r.id}: ${r.name}</a> — ${r.algo ?? r.kind}, ${r.envId}</li>`)}</ul>
<div class="charts" data-runs="${runs.map((r) => r.id).join(',')}"></div>`;
  return layout('compare', body, { charts: true });
}

/** The chart API's payload: per run, its iterations' curve metrics and env steps so far. */
export function iterationsJson(runs: { run: RunInfo; iterations: IterationInfo[] }[]): unknown {
  return {
    metrics: CHART_METRICS,
    runs: runs.map(({ run, iterations }) => ({
      id: run.id,
      name: run.name,
      algo: run.algo,
      envId: run.envId,
      iterations: iterations.map((it) => {
        // env steps so far (the trainer's `charts/env_steps`): the x-axis when every run has it
        const row: Record<string, number | null> = { iteration: it.iteration, envSteps: it.metrics['charts/env_steps'] ?? null };
        for (const m of CHART_METRICS) row[m.key] = it[m.key];
        return row;
      }),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Episodes

export interface EpisodesPageInput {
  episodes: EpisodeSummary[];
  nextCursor: number | null;
  total: number;
  params: Record<string, string>;
  runs: RunInfo[];
  choices: FilterChoices;
  isFirstPage: boolean;
}

function select(name: string, label: string, current: string | undefined, options: { value: string; label: string }[]): SafeHtml {
  return html`<label>${label} <select name="${name}"><option value="">any</option>${options.map(
    (o) => html`<option value="${o.value}"${o.value === current ? raw(' selected') : ''}>${o.label}</option>`,
  )}</select></label>`;
}

export function episodesPage(input: EpisodesPageInput): string {
  const p = input.params;
  const opts = (xs: string[]) => xs.map((x) => ({ value: x, label: x }));
  const form = html`<form class="filters" action="/episodes" method="get">
${select('run', 'run', p.run, input.runs.map((r) => ({ value: String(r.id), label: `${r.id} ${r.algo ?? r.kind}` })))}
${select('env', 'env', p.env, opts(input.choices.envIds))}
${select('taskType', 'task type', p.taskType, opts(input.choices.taskTypes))}
${select('split', 'split', p.split, opts(input.choices.splits))}
${select('success', 'success', p.success, [
  { value: 'true', label: 'success' },
  { value: 'false', label: 'fail' },
])}
<label>iteration <input name="iteration" size="5" value="${p.iteration ?? ''}" placeholder="any"></label>
<label>group <input name="group" size="8" value="${p.group ?? ''}" placeholder="any"></label>
<label>task <input name="task" size="16" value="${p.task ?? ''}" placeholder="any"></label>
<button type="submit">filter</button> <a href="/episodes">reset</a>
</form>`;
  const rows = input.episodes.map(
    (e) => html`<tr>
<td class="num"><a href="/episodes/${e.id}">${e.id}</a></td>
<td class="num"><a href="/runs/${e.runId}">${e.runId}</a></td>
<td class="num">${e.iteration ?? '—'}</td>
<td>${e.groupId !== null && e.iteration !== null ? html`<a href="/group${query({ run: e.runId, iteration: e.iteration, group: e.groupId })}">${e.groupId}</a>` : '—'}</td>
<td>${e.trajId ?? '—'}</td>
<td>${e.envId}</td><td class="small">${e.taskId}</td><td>${e.taskType ?? '—'}</td><td>${e.split ?? '—'}</td>
<td class="num">${e.seed ?? '—'}</td><td class="num">${e.seat ?? '—'}</td>
<td class="num">${fmt(e.return)}</td><td>${successBadge(e.success)}${replayedBadge(e.replayed)}</td><td class="num">${e.length}</td>
<td class="goal">${e.goal ?? ''}</td>
</tr>`,
  );
  const body = html`<h1>Episodes</h1>
${form}
<p class="hint">${input.total} matching episode${input.total === 1 ? '' : 's'}, newest first${p.order === 'asc' ? raw(' (oldest first)') : ''}.</p>
<table class="episodes">
<thead><tr><th>id</th><th>run</th><th>it</th><th>group</th><th>traj</th><th>env</th><th>task</th><th>type</th><th>split</th><th>seed</th><th>seat</th><th>return</th><th>result</th><th>steps</th><th>goal</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="pager">${input.isFirstPage ? '' : html`<a href="/episodes${query(p)}">« first page</a> `}${
    input.nextCursor !== null ? html`<a class="next" href="/episodes${query({ ...p, cursor: input.nextCursor })}">next page »</a>` : ''
  }</p>`;
  return layout('episodes', body);
}

// ---------------------------------------------------------------------------------------------
// One episode

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Observation fields other envs fill: screenshot (base64 PNG), url, seat, html, axtree. A browser
 * step with a screenshot shows it with its accessibility tree beside it (what the agent read next
 * to what the page looked like).
 */
function observationExtras(obs: StoredStep['observation'], t: number | string): SafeHtml {
  const parts: SafeHtml[] = [];
  if (obs.seat !== undefined) parts.push(html`<p>${badge(`seat ${obs.seat}`, 'info')}</p>`);
  if (obs.url !== undefined) parts.push(html`<p class="small">url: <code>${obs.url}</code></p>`);
  let shot: SafeHtml | null = null;
  if (typeof obs.screenshot === 'string' && obs.screenshot.length > 0) {
    const data = obs.screenshot.replace(/\s+/g, '');
    shot = BASE64.test(data)
      ? html`<img class="screenshot" alt="screenshot at ${String(t)}" src="data:image/png;base64,${data}">`
      : html`<p class="error">screenshot is not base64 data</p>`;
  }
  const treeBeside = shot !== null && obs.axtree !== undefined;
  if (treeBeside) {
    parts.push(html`<div class="shot-tree"><figure class="shot">${shot}</figure><div class="tree"><p class="small">accessibility tree</p><pre class="axtree">${obs.axtree}</pre></div></div>`);
  } else if (shot !== null) parts.push(shot);
  if (obs.html !== undefined) parts.push(html`<details><summary>html</summary><pre>${obs.html}</pre></details>`);
  if (obs.axtree !== undefined && !treeBeside) parts.push(html`<details><summary>accessibility tree</summary><pre>${obs.axtree}</pre></details>`);
  return html`${parts}`;
}

function candidatesTable(step: StoredStep): SafeHtml {
  const rows = step.candidates.map((c, i) => ({ c, p: step.probs?.[i] ?? null, i }));
  if (step.probs) rows.sort((a, b) => (b.p ?? 0) - (a.p ?? 0) || a.i - b.i);
  let chosenShown = false;
  const body = rows.map(({ c, p }) => {
    const chosen = c === step.action;
    chosenShown ||= chosen;
    const pct = p === null ? null : Math.max(0, Math.min(100, p * 100));
    return html`<tr${chosen ? raw(' class="chosen"') : ''}><td class="act">${chosen ? '▶ ' : ''}${c}</td>
<td class="prob">${pct === null ? '' : html`<span class="bar" style="width:${pct.toFixed(1)}%"></span>`}</td>
<td class="num">${p === null ? '—' : fmt(p, 4)}</td></tr>`;
  });
  return html`<table class="candidates"><thead><tr><th>admissible action</th><th colspan="2">π(a|s)</th></tr></thead><tbody>${body}${
    chosenShown ? '' : html`<tr class="chosen"><td class="act">▶ ${step.action}</td><td></td><td class="num">not a candidate</td></tr>`
  }</tbody></table>`;
}

const MAX_ANCHOR_LINKS = 12;

function anchorLinks(episode: StoredEpisode, step: StoredStep, byAnchor: Map<string, GroupStepRow[]>): SafeHtml {
  if (step.anchorGroup === null) return html``;
  const all = (byAnchor.get(step.anchorGroup) ?? []).filter((m) => !(m.episodeId === episode.id && m.t === step.t));
  // Other trajectories first (the comparison GiGPO makes), then recurrences within this one.
  all.sort((a, b) => Number(a.episodeId === episode.id) - Number(b.episodeId === episode.id));
  const members = all.slice(0, MAX_ANCHOR_LINKS);
  const more = all.length - members.length;
  const groupLink =
    episode.iteration !== null && episode.groupId !== null
      ? html` <a class="group-link" href="/group${query({ run: episode.runId, iteration: episode.iteration, group: episode.groupId, anchor: step.anchorGroup })}">see the group</a>`
      : '';
  return html`<div class="anchor">anchor group <code>${step.anchorGroup}</code>: ${
    all.length === 0
      ? 'no other step of the group reached this state'
      : html`same state in ${all.length} other step${all.length === 1 ? '' : 's'}${more > 0 ? ` (first ${members.length} shown)` : ''}:
<ul class="anchor-members">${members.map(
          (m) => html`<li><a class="anchor-link" href="/episodes/${m.episodeId}#t-${m.t}">${m.trajId ?? `episode ${m.episodeId}`} t=${m.t}</a>
→ <code>${m.action}</code> r=${fmt(m.reward)} A=${fmt(m.advantage)} (step part ${fmt(m.stepAdvantage)})</li>`,
        )}</ul>`
  }${groupLink}</div>`;
}

interface DecisionUsage {
  promptTokens?: number;
  completionTokens?: number;
}

/** What an LLM agent reported about the decision: tokens, latency, retries, how its reply mapped, the reply. */
function decisionNumbers(step: StoredStep): SafeHtml {
  const d = step.decision;
  if (d === null) return html``;
  const usage = (d.usage ?? null) as DecisionUsage | null;
  const retried = Array.isArray(d.retried) ? (d.retried as string[]) : [];
  const parts: SafeHtml[] = [];
  if (usage !== null) parts.push(html`<span class="llm">tokens <b>${String(usage.promptTokens ?? 0)}</b> + <b>${String(usage.completionTokens ?? 0)}</b></span>`);
  if (typeof d.latencyMs === 'number') parts.push(html`<span class="llm">latency <b>${fmt(d.latencyMs, 1)} ms</b></span>`);
  if (typeof d.attempts === 'number' && d.attempts > 1) parts.push(badge(`${d.attempts} attempts (${retried.join(', ')})`, 'info'));
  if (typeof d.match === 'string' && d.match !== 'exact') parts.push(badge(`reply ${d.match}${typeof d.matchScore === 'number' ? ` (${d.matchScore})` : ''}`, d.match === 'unmatched' ? 'bad' : 'info'));
  if (d.error !== undefined) parts.push(badge(`llm error ${String((d.error as { code?: string }).code ?? '')}`, 'bad'));
  return html`${parts}`;
}

function decisionReply(step: StoredStep): SafeHtml {
  const d = step.decision;
  if (d === null || typeof d.reply !== 'string') return html``;
  const cut = d.replyTruncated === true ? html` <span class="small">(cut from ${String(d.replyChars ?? '?')} characters)</span>` : '';
  return html`<details class="reply"><summary>reply of ${String(d.model ?? 'the model')}${cut}</summary><pre>${d.reply}</pre></details>`;
}

/**
 * A language model's action token by token (`StoredStep.tokens`): each token with its probability
 * under the sampling policy (a bar and the number), its id, the alternatives when recorded, and
 * whether the loss trains on it; then the sequence log-prob and the finish reason.
 */
function tokensTable(step: StoredStep): SafeHtml {
  const t = step.tokens;
  if (t === null || t === undefined) return html``;
  const texts = t.tokens ?? [];
  const n = Math.max(texts.length, t.ids?.length ?? 0, t.logprobs?.length ?? 0);
  if (n === 0) return html`<p class="small">${t.model ?? 'the model'} wrote <code>${t.completion}</code> (no token detail)</p>`;
  const rows = Array.from({ length: n }, (_, k) => {
    const lp = t.logprobs?.[k] ?? null;
    const p = lp === null ? null : Math.exp(lp);
    const pct = p === null ? null : Math.max(0, Math.min(100, p * 100));
    const top = t.top?.[k] ?? [];
    const trained = t.mask == null || t.mask[k] === 1;
    return html`<tr${trained ? '' : raw(' class="untrained"')}><td class="tok"><code>${JSON.stringify(texts[k] ?? '')}</code></td>
<td class="num small">${t.ids?.[k] === undefined ? '' : String(t.ids[k])}</td>
<td class="prob">${pct === null ? '' : html`<span class="bar" style="width:${pct.toFixed(1)}%"></span>`}</td>
<td class="num">${p === null ? '—' : fmt(p, 4)}</td>
<td class="small">${top.length === 0 ? '' : top.map((a) => `${JSON.stringify(a.token)} ${fmt(Math.exp(a.logprob), 3)}`).join(' · ')}</td></tr>`;
  });
  const sum = t.logprobs == null ? null : t.logprobs.reduce((acc, x, k) => acc + (t.mask == null || t.mask[k] === 1 ? x : 0), 0);
  return html`<details class="tokens" open><summary>${t.model ?? 'the model'} wrote ${String(n)} token${n === 1 ? '' : 's'}${
    sum === null ? '' : html` · log π(action) <b>${fmt(sum)}</b>`
  }${t.finishReason ? html` · finish <code>${t.finishReason}</code>` : ''}${t.promptIds ? html` · prompt ${String(t.promptIds.length)} tokens` : ''}</summary>
<table class="token-probs"><thead><tr><th>token</th><th>id</th><th colspan="2">π(token)</th><th>alternatives</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function stepSection(episode: StoredEpisode, step: StoredStep, byAnchor: Map<string, GroupStepRow[]>): SafeHtml {
  const flags = [
    step.terminated ? badge('terminated', 'info') : '',
    step.truncated ? badge('truncated', 'info') : '',
    step.invalid ? badge(`invalid ${step.invalid.code}`, 'bad') : '',
  ];
  const components = Object.entries(step.rewardComponents);
  const { elapsedSteps: _e, ...info } = step.info as Record<string, unknown>;
  return html`<section class="step" id="t-${step.t}" data-t="${step.t}" data-anchor-group="${step.anchorGroup ?? ''}">
<h3><a href="#t-${step.t}">t=${step.t}</a> <span class="action">▶ <code>${step.action}</code></span> ${flags}</h3>
<div class="numbers">
<span>reward <b>${fmt(step.reward)}</b></span>
<span>advantage <b>${fmt(step.advantage)}</b> = episode <b>${fmt(step.episodeAdvantage)}</b> + step <b>${fmt(step.stepAdvantage)}</b></span>
${step.logp !== null ? html`<span>log π <b>${fmt(step.logp)}</b></span>` : ''}
${step.stateKey !== null ? html`<span class="small">state <code>${step.stateKey}</code></span>` : ''}
${decisionNumbers(step)}
</div>
<div class="cols">
<div class="obs-col"><pre class="obs">${step.observation.text}</pre>${observationExtras(step.observation, `t=${step.t}`)}</div>
<div class="cand-col">${candidatesTable(step)}</div>
</div>
${step.invalid ? html`<p class="error">invalid: ${step.invalid.message}${step.invalid.suggestions?.length ? html` — did you mean: ${step.invalid.suggestions.join(' | ')}` : ''}</p>` : ''}
${components.length > 0 ? html`<p class="small">reward components: ${components.map(([k, v]) => `${k} ${fmt(v)}`).join(' · ')}</p>` : ''}
${tokensTable(step)}
${decisionReply(step)}
${Object.keys(info).length > 0 ? html`<details><summary>info</summary><pre class="json">${JSON.stringify(info, null, 2)}</pre></details>` : ''}
${anchorLinks(episode, step, byAnchor)}
</section>`;
}

/** Token and latency totals of an episode played by an LLM agent. */
function llmTotals(e: StoredEpisode): SafeHtml {
  const decisions = e.steps.map((s) => s.decision).filter((d): d is NonNullable<typeof d> => d !== null && (d.usage !== undefined || d.latencyMs !== undefined));
  if (decisions.length === 0) return html``;
  let prompt = 0;
  let completion = 0;
  let latency = 0;
  for (const d of decisions) {
    const usage = (d.usage ?? null) as DecisionUsage | null;
    prompt += usage?.promptTokens ?? 0;
    completion += usage?.completionTokens ?? 0;
    latency += typeof d.latencyMs === 'number' ? d.latencyMs : 0;
  }
  return html`<p class="llm-totals">LLM decisions: ${String(decisions.length)} · tokens ${String(prompt)} prompt + ${String(completion)} completion · mean latency ${fmt(latency / decisions.length, 1)} ms</p>`;
}

export interface EpisodePageInput {
  episode: StoredEpisode;
  run: RunInfo | null;
  groupSteps: GroupStepRow[];
  neighbours: { prev: number | null; next: number | null };
}

export function episodePage({ episode: e, run, groupSteps, neighbours }: EpisodePageInput): string {
  const byAnchor = new Map<string, GroupStepRow[]>();
  for (const r of groupSteps) {
    if (r.anchorGroup === null) continue;
    const list = byAnchor.get(r.anchorGroup);
    if (list) list.push(r);
    else byAnchor.set(r.anchorGroup, [r]);
  }
  const group =
    e.iteration !== null && e.groupId !== null
      ? html`<a href="/group${query({ run: e.runId, iteration: e.iteration, group: e.groupId })}">${e.groupId}</a>`
      : '—';
  const body = html`<p class="crumbs"><a href="/runs/${e.runId}">run ${e.runId}${run ? ` (${run.name})` : ''}</a> ›
<a href="/episodes${query({ run: e.runId })}">episodes</a> › episode ${e.id}
${neighbours.prev !== null ? html` · <a rel="prev" href="/episodes/${neighbours.prev}">‹ previous</a>` : ''}${
    neighbours.next !== null ? html` · <a rel="next" href="/episodes/${neighbours.next}">next ›</a>` : ''
  }</p>
<h1>Episode ${e.id} ${successBadge(e.success)}${replayedBadge(e.replayed)}</h1>
${e.goal ? html`<p class="goal">goal: ${e.goal}</p>` : ''}
<dl class="facts">
<dt>env</dt><dd>${e.envId}</dd><dt>task</dt><dd>${e.taskId}</dd><dt>type</dt><dd>${e.taskType ?? '—'}</dd><dt>split</dt><dd>${e.split ?? '—'}</dd>
<dt>seed</dt><dd>${e.seed ?? '—'}</dd><dt>iteration</dt><dd>${e.iteration ?? '—'}</dd><dt>group</dt><dd>${group}</dd><dt>trajectory</dt><dd>${e.trajId ?? '—'}</dd>
${e.seat !== null ? html`<dt>seat</dt><dd>${e.seat}</dd>` : ''}
<dt>return</dt><dd>${fmt(e.return)}</dd><dt>steps</dt><dd>${e.length}</dd>
<dt>ended</dt><dd>${e.terminated ? 'terminated' : e.truncated ? 'truncated (time limit)' : 'stopped'}</dd>
<dt>invalid actions</dt><dd>${e.invalidActionPolicy}</dd>${e.replayed ? html`<dt>ARPO</dt><dd>replayed from the buffer: a stored success of this task put into an all-failure group, not played in this iteration</dd>` : ''}
</dl>
${llmTotals(e)}
<p class="hint">Verify it re-simulates identically: <code>ludus replay --verify ${e.id}</code></p>
<h2>Timeline</h2>
${e.steps.map((s) => stepSection(e, s, byAnchor))}
${
  e.finalObservation
    ? html`<section class="step final" id="final"><h3>final observation</h3><pre class="obs">${e.finalObservation.text}</pre>${observationExtras(e.finalObservation, 'the end')}</section>`
    : ''
}`;
  return layout(`episode ${e.id}`, body);
}

// ---------------------------------------------------------------------------------------------
// Group: the N trajectories side by side

/** A stable pastel colour per anchor group, so one state reads the same across columns. */
function anchorHue(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return (h * 137) % 360;
}

export function groupPage(
  key: { runId: number; iteration: number; groupId: string },
  episodes: EpisodeSummary[],
  steps: GroupStepRow[],
  highlight: string | null,
  anchor: AnchorGroup | null,
): string {
  const byEpisode = new Map<number, GroupStepRow[]>();
  for (const s of steps) {
    const list = byEpisode.get(s.episodeId);
    if (list) list.push(s);
    else byEpisode.set(s.episodeId, [s]);
  }
  const counts = new Map<string, number>();
  for (const s of steps) if (s.anchorGroup !== null) counts.set(s.anchorGroup, (counts.get(s.anchorGroup) ?? 0) + 1);
  const columns = episodes.map((e) => {
    const rows = (byEpisode.get(e.id) ?? []).map((s) => {
      const shared = s.anchorGroup !== null && (counts.get(s.anchorGroup) ?? 0) > 1;
      const style = shared ? raw(` style="background:hsl(${anchorHue(s.anchorGroup!)} 70% 92%)"`) : '';
      const hl = highlight !== null && s.anchorGroup === highlight ? raw(' highlight') : '';
      return html`<li class="gstep${hl}"${style} data-anchor-group="${s.anchorGroup ?? ''}"><a href="/episodes/${e.id}#t-${s.t}">t=${s.t}</a> <code>${s.action}</code>${
        s.invalid ? badge('invalid', 'bad') : ''
      }<br><span class="small">r=${fmt(s.reward)} A=${fmt(s.advantage)} (ep ${fmt(s.episodeAdvantage)} + step ${fmt(s.stepAdvantage)})${
        s.anchorGroup !== null ? ` · anchor ${s.anchorGroup}` : ''
      }</span></li>`;
    });
    return html`<div class="traj"><h3><a href="/episodes/${e.id}">${e.trajId ?? `episode ${e.id}`}</a> ${successBadge(e.success)}${replayedBadge(e.replayed)}</h3>
<p class="small">${e.seat !== null ? html`${badge(`seat ${e.seat}`, 'info')} ` : ''}return ${fmt(e.return)} · ${e.length} steps</p>
<ol class="gsteps">${rows}</ol></div>`;
  });
  const first = episodes[0];
  const body = html`<p class="crumbs"><a href="/runs/${key.runId}">run ${key.runId}</a> › iteration ${key.iteration} › group ${key.groupId}</p>
<h1>Group ${key.groupId}</h1>
${first ? html`<p>${first.envId} · task <code>${first.taskId}</code>${first.taskType ? ` (${first.taskType})` : ''} · seed ${first.seed ?? '—'}${first.goal ? html` · goal: ${first.goal}` : ''}</p>` : ''}
<p class="hint">Steps with the same background colour share an anchor state (GiGPO's step-level groups).${
    anchor
      ? html` Highlighted: anchor group <code>${anchor.anchorGroup}</code>, ${anchor.members.length} step${anchor.members.length === 1 ? '' : 's'}.`
      : ''
  }</p>
<div class="group-grid" style="grid-template-columns: repeat(${Math.max(1, episodes.length)}, minmax(14rem, 1fr))">${columns}</div>`;
  return layout(`group ${key.groupId}`, body);
}
