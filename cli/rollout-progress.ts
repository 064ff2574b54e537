/**
 * `ludus rollout`'s progress: episodes finished of G×N, turns decided, requests retried, as a
 * cli-progress bar on a terminal and a plain line every few seconds otherwise (CI logs, pipes).
 * It counts through the agent: {@link ProgressAgent} wraps the agent and sees each `act` (turns)
 * and each `end` (episodes over), so the rollout code needs no hook of its own.
 * @module
 */
import cliProgress from 'cli-progress';
import type { Agent, AgentInput, Decision } from '../agents/agent.js';

export interface RolloutCounts {
  episodes: number;
  turns: number;
  /** Decisions whose request needed more than one attempt. */
  retried: number;
  /** Decisions whose request failed after its retries (their group is collected again). */
  failed: number;
}

/** Forwards to `agent` and counts. A group collected again un-counts its episodes (`forget`). */
export class ProgressAgent implements Agent {
  readonly name: string;
  private readonly ended = new Set<string>();
  readonly counts: RolloutCounts = { episodes: 0, turns: 0, retried: 0, failed: 0 };

  constructor(
    private readonly agent: Agent,
    private readonly onChange: (counts: RolloutCounts) => void = () => undefined,
  ) {
    this.name = agent.name;
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const decisions = await this.agent.act(inputs);
    this.counts.turns += decisions.length;
    for (const d of decisions) {
      if (typeof d.meta?.attempts === 'number' && d.meta.attempts > 1) this.counts.retried += 1;
      if (d.meta?.error !== undefined) this.counts.failed += 1;
    }
    this.onChange(this.counts);
    return decisions;
  }

  end(keys: readonly string[]): void {
    for (const k of keys) this.ended.add(k);
    this.counts.episodes = this.ended.size;
    this.agent.end?.(keys);
    this.onChange(this.counts);
  }

  /** The group's episodes will be played again: they are not done. */
  forget(groupId: string): void {
    for (const k of [...this.ended]) if (k.startsWith(`${groupId}/`)) this.ended.delete(k);
    this.counts.episodes = this.ended.size;
    this.onChange(this.counts);
  }

  close(): Promise<void> {
    return this.agent.close?.() ?? Promise.resolve();
  }
}

export interface RolloutProgress {
  update(counts: RolloutCounts): void;
  log(line: string): void;
  stop(): void;
}

const FORMAT = 'episodes {value}/{total} {bar} | {turns} turns | {rate} turns/s | retried {retried} | failed {failed}';

export function createRolloutProgress(total: number, write: (line: string) => void, tty = Boolean(process.stderr.isTTY), everyMs = 5000): RolloutProgress {
  const start = performance.now();
  const rate = (c: RolloutCounts) => (c.turns / Math.max(1e-3, (performance.now() - start) / 1000)).toFixed(1);
  if (!tty) {
    let last = -Infinity;
    let lastEpisodes = -1;
    return {
      update(c) {
        const now = performance.now();
        if (now - last < everyMs && !(c.episodes === total && lastEpisodes !== total)) return;
        last = now;
        lastEpisodes = c.episodes;
        write(`episodes ${c.episodes}/${total} | ${c.turns} turns | ${rate(c)} turns/s | retried ${c.retried} | failed ${c.failed}`);
      },
      log: write,
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: FORMAT, barsize: 20, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { turns: 0, rate: '0.0', retried: 0, failed: 0 });
  let stopped = false;
  return {
    update(c) {
      if (!stopped) bar.update(c.episodes, { turns: c.turns, rate: rate(c), retried: c.retried, failed: c.failed });
    },
    log(line) {
      write(line);
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
