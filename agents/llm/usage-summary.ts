/**
 * A summary of many LLM decisions from their `meta` (tokens, latency, retries, how replies were
 * read and mapped): what `ludus eval --agent llm` prints beside the success rate. Pure.
 * @module
 */
import type { JsonObject } from '../../envs/core/types.js';

export interface LlmUsageSummary {
  decisions: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  meanLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  /** Requests that needed more than one attempt. */
  retried: number;
  /** Requests that failed after the retries (onError: 'invalid'). */
  failed: number;
  /** Decisions by how the reply mapped to an action: exact, normalized, template, fuzzy, unmatched. */
  byMatch: Record<string, number>;
  /** Replies cut at maxReplyChars. */
  truncatedReplies: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export function summarizeLlmUsage(metas: readonly (JsonObject | undefined)[]): LlmUsageSummary {
  const latencies: number[] = [];
  const byMatch: Record<string, number> = {};
  const s = { decisions: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, retried: 0, failed: 0, truncatedReplies: 0 };
  for (const m of metas) {
    if (m === undefined) continue;
    s.decisions += 1;
    const usage = m.usage as { promptTokens?: number; completionTokens?: number; totalTokens?: number } | null | undefined;
    s.promptTokens += usage?.promptTokens ?? 0;
    s.completionTokens += usage?.completionTokens ?? 0;
    s.totalTokens += usage?.totalTokens ?? 0;
    if (typeof m.latencyMs === 'number') latencies.push(m.latencyMs);
    if (typeof m.attempts === 'number' && m.attempts > 1) s.retried += 1;
    if (m.error !== undefined) s.failed += 1;
    if (m.replyTruncated === true) s.truncatedReplies += 1;
    if (typeof m.match === 'string') byMatch[m.match] = (byMatch[m.match] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { ...s, meanLatencyMs: r(mean), p50LatencyMs: r(quantile(latencies, 0.5)), p95LatencyMs: r(quantile(latencies, 0.95)), byMatch };
}
