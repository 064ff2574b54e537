/**
 * The latent-strategies page of an LSPO run (`/runs/:id/latent?iteration=&role=`): for each role,
 * its clusters with their size, the latent policy's mass on them, the representative utterance and
 * the most proposed examples, marked new when no cluster of the previous iteration is near; and
 * the latent policy per information set.
 * @module
 */
import { matchClusters, vanishedClusters } from '../latent-changes.js';
import type { StoredLatentCluster, StoredLatentPolicy } from '../latent-store.js';
import type { RunInfo } from '../types.js';
import { fmt, html, query, type SafeHtml } from './html.js';
import { layout } from './pages.js';

export interface LatentPageInput {
  run: RunInfo;
  /** Every cluster of the run (all iterations, all roles). */
  clusters: StoredLatentCluster[];
  /** The latent policy of the shown iteration. */
  policies: StoredLatentPolicy[];
  iteration: number;
  role: string | null;
}

/** A link to the latent-strategies page, for the run page. */
export function latentLink(runId: number): SafeHtml {
  return html`<p><a href="/runs/${runId}/latent">latent strategies (LSPO): each role's clusters with examples →</a></p>`;
}

/** Mean over a role's information sets of the probability of each cluster. */
function meanPolicy(policies: readonly StoredLatentPolicy[], k: number): number[] | null {
  if (policies.length === 0) return null;
  const out = new Array<number>(k).fill(0);
  for (const p of policies) p.probs.forEach((x, i) => (out[i] = (out[i] ?? 0) + x / policies.length));
  return out;
}

export function latentPage(input: LatentPageInput): string {
  const { run, iteration } = input;
  const iterations = [...new Set(input.clusters.map((c) => c.iteration))].sort((a, b) => a - b);
  const here = input.clusters.filter((c) => c.iteration === iteration);
  const roles = [...new Set(here.map((c) => c.role))].sort().filter((r) => input.role === null || r === input.role);
  const previousIteration = iterations.filter((i) => i < iteration).pop() ?? null;
  const sections = roles.map((role) => {
    const clusters = here.filter((c) => c.role === role);
    const before = previousIteration === null ? null : input.clusters.filter((c) => c.iteration === previousIteration && c.role === role);
    const matches = matchClusters(before, clusters);
    const gone = before === null ? [] : vanishedClusters(before, clusters).map((i) => before[i]!);
    const policies = input.policies.filter((p) => p.role === role);
    const mass = meanPolicy(policies, clusters.length);
    const rows = clusters.map((c, i) => {
      const m = matches[i]!;
      return html`<tr>
<td class="num">${c.cluster}${m.isNew ? html` <span class="badge info">new</span>` : ''}</td>
<td class="num">${c.size}</td><td class="num">${c.distinct}</td>
<td class="num">${mass === null ? '—' : fmt(mass[c.cluster] ?? null, 3)}</td>
<td><code>${c.representative}</code></td>
<td class="small">${c.examples.map((e) => html`<code>${e.utterance}</code> ×${e.count}<br>`)}</td>
<td class="num small">${m.previous === null ? '—' : html`${m.previous} (${fmt(m.distance, 2)})`}</td>
</tr>`;
    });
    const policyRows = policies.map(
      (p) => html`<tr><td><code>${p.infoSet}</code></td>${p.probs.map((x) => html`<td class="num">${fmt(x, 3)}</td>`)}</tr>`,
    );
    return html`<h2>${role}</h2>
<table class="latent"><thead><tr><th>cluster</th><th>proposals</th><th>distinct</th><th>σ (mean)</th><th>representative</th><th>examples (most proposed)</th><th>nearest in iteration ${previousIteration ?? '—'}</th></tr></thead>
<tbody>${rows}</tbody></table>
${gone.length > 0 ? html`<p class="small">No longer present (iteration ${previousIteration}): ${gone.map((c) => html`<code>${c.representative}</code> `)}</p>` : ''}
${
  policies.length > 0
    ? html`<details><summary>latent policy σ per information set (${policies.length})</summary>
<table><thead><tr><th>information set</th>${clusters.map((c) => html`<th class="num">${c.cluster}</th>`)}</tr></thead><tbody>${policyRows}</tbody></table></details>`
    : ''
}`;
  });
  const nav = iterations.map((i) =>
    i === iteration ? html`<strong>${i}</strong> ` : html`<a href="/runs/${run.id}/latent${query({ iteration: i, role: input.role })}">${i}</a> `,
  );
  const body = html`<h1>Run ${run.id}: ${run.name} — latent strategies</h1>
<p><a href="/runs/${run.id}">back to the run</a> · iteration: ${nav}${input.role === null ? '' : html` · role ${input.role} (<a href="/runs/${run.id}/latent${query({ iteration })}">all roles</a>)`}</p>
<p class="hint">Each cluster is one latent strategy: k-means of the utterances the speakers proposed, per role. "new": no cluster of the previous iteration is near (squared centroid distance above 0.5).</p>
${roles.length === 0 ? html`<p>No clusters recorded for iteration ${iteration}${input.role === null ? '' : ` and role ${input.role}`}.</p>` : sections}`;
  return layout(`run ${run.id} latent strategies`, body);
}
