/**
 * `ludus inspect`: the viewer's episode timeline as terminal text, and the recent-episodes list.
 * Control characters of recorded text are made visible (`\x1b` …) so a hostile observation cannot
 * drive the terminal.
 * @module
 */
import type { AnchorGroupMember, EpisodeSummary, StoredEpisode, StoredStep } from './types.js';

export interface TimelineOptions {
  /** Candidates listed per step, most probable first (default 10; 0 for none). */
  maxCandidates?: number;
  /** Other members of each step's anchor group, by step t (from the group's steps). */
  anchors?: Map<number, AnchorGroupMember[]>;
}

/** Makes terminal control characters (other than newline and tab) visible. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '—';
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(digits)));
}

function indent(text: string, prefix = '    '): string[] {
  return safeText(text)
    .split('\n')
    .map((l) => prefix + l);
}

function stepLines(step: StoredStep, opts: Required<Omit<TimelineOptions, 'anchors'>> & TimelineOptions, episodeId: number): string[] {
  const flags = [step.terminated ? 'terminated' : '', step.truncated ? 'truncated' : '', step.invalid ? `invalid ${step.invalid.code}` : '']
    .filter(Boolean)
    .join(', ');
  const lines = [`── t=${step.t} ${'─'.repeat(60)}`, ...indent(step.observation.text)];
  if (step.observation.seat !== undefined) lines.push(`    [seat ${step.observation.seat}]`);
  if (step.observation.screenshot) lines.push(`    [screenshot: ${step.observation.screenshot.length} base64 chars — open it in \`ludus replay\`]`);
  if (opts.maxCandidates > 0 && step.candidates.length > 0) {
    const rows = step.candidates.map((c, i) => ({ c, p: step.probs?.[i] ?? null, i }));
    if (step.probs) rows.sort((a, b) => (b.p ?? 0) - (a.p ?? 0) || a.i - b.i);
    const shown = rows.slice(0, opts.maxCandidates);
    lines.push(`  candidates (${step.candidates.length})${step.probs ? ', π(a|s)' : ''}:`);
    for (const r of shown) {
      const mark = r.c === step.action ? '▶' : ' ';
      const p = r.p === null ? '' : `${(r.p * 100).toFixed(1).padStart(5)}% `;
      lines.push(`   ${mark} ${p}${safeText(r.c)}`);
    }
    if (rows.length > shown.length) lines.push(`     … ${rows.length - shown.length} more`);
  }
  lines.push(`  ▶ ${safeText(step.action)}${flags ? `  (${flags})` : ''}`);
  lines.push(
    `  reward ${num(step.reward)} · advantage ${num(step.advantage)} = episode ${num(step.episodeAdvantage)} + step ${num(step.stepAdvantage)}` +
      (step.logp !== null ? ` · log π ${num(step.logp)}` : ''),
  );
  if (step.invalid) lines.push(`  invalid: ${safeText(step.invalid.message)}`);
  if (step.anchorGroup !== null) {
    const others = (opts.anchors?.get(step.t) ?? []).filter((m) => !(m.episodeId === episodeId && m.t === step.t));
    const listed = others
      .slice(0, 6)
      .map((m) => `${safeText(m.trajId ?? `#${m.episodeId}`)}@t${m.t}→${safeText(m.action)} (A ${num(m.advantage, 3)})`);
    lines.push(
      `  anchor group ${safeText(step.anchorGroup)}: ${others.length === 0 ? 'no other step in this state' : `${others.length} other step(s): ${listed.join('; ')}${others.length > 6 ? ' …' : ''}`}`,
    );
  }
  return lines;
}

/** The whole episode: header, every step, the final observation. */
export function formatTimeline(e: StoredEpisode, options: TimelineOptions = {}): string[] {
  const opts = { maxCandidates: 10, ...options };
  const lines = [
    `episode ${e.id} · run ${e.runId}${e.iteration !== null ? ` · iteration ${e.iteration}` : ''}${e.groupId ? ` · group ${safeText(e.groupId)}` : ''}${e.trajId ? ` · traj ${safeText(e.trajId)}` : ''}`,
    `${safeText(e.envId)} · task ${safeText(e.taskId)}${e.taskType ? ` (${safeText(e.taskType)})` : ''} · split ${e.split ?? '—'} · seed ${e.seed ?? '—'}${e.seat !== null ? ` · seat ${e.seat}` : ''}`,
    ...(e.goal ? [`goal: ${safeText(e.goal)}`] : []),
    `${e.success ? 'SUCCESS' : 'FAIL'} · return ${num(e.return)} · ${e.length} steps · ${e.terminated ? 'terminated' : e.truncated ? 'truncated' : 'stopped'}`,
  ];
  for (const s of e.steps) lines.push(...stepLines(s, opts, e.id));
  if (e.finalObservation) lines.push(`── final ${'─'.repeat(58)}`, ...indent(e.finalObservation.text));
  return lines;
}

/** A compact table of episodes (newest first as given). */
export function formatEpisodeList(episodes: EpisodeSummary[]): string[] {
  const header = ['id', 'run', 'it', 'group', 'env', 'task', 'split', 'return', 'ok', 'steps', 'goal'];
  const rows = episodes.map((e) => [
    String(e.id),
    String(e.runId),
    e.iteration === null ? '—' : String(e.iteration),
    safeText(e.groupId ?? '—'),
    safeText(e.envId),
    safeText(e.taskType ?? e.taskId),
    e.split ?? '—',
    num(e.return, 3),
    e.success ? 'yes' : 'no',
    String(e.length),
    safeText(e.goal ?? '').slice(0, 60),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
