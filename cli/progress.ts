/**
 * Per-iteration training progress: a cli-progress bar on a terminal, one plain line per iteration
 * otherwise (CI logs, pipes).
 * @module
 */
import cliProgress from 'cli-progress';
import { METRIC } from '../trainer/metrics.js';
import type { IterationSummary } from '../trainer/train.js';

export interface IterationProgress {
  update(summary: IterationSummary): void;
  /** Prints a line without breaking the bar. */
  log(line: string): void;
  stop(): void;
}

function fields(m: Record<string, number>) {
  const f = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  return {
    success: f(m[METRIC.successRate], 2),
    ret: f(m[METRIC.meanReturn], 2),
    loss: f(m[METRIC.loss]),
    kl: f(m[METRIC.kl]),
    entropy: f(m[METRIC.entropy]),
    clip: f(m[METRIC.clipFraction]),
    sps: f(m[METRIC.stepsPerSecond], 0),
  };
}

const FORMAT = 'iter {value}/{total} {bar} success {success} | return {ret} | loss {loss} | kl {kl} | entropy {entropy} | clip {clip} | {sps} steps/s';

export function createIterationProgress(total: number, write: (line: string) => void, tty = Boolean(process.stderr.isTTY)): IterationProgress {
  if (!tty) {
    return {
      update(s) {
        const v = fields(s.metrics);
        write(`iter ${s.iteration + 1}/${total} success ${v.success} | return ${v.ret} | loss ${v.loss} | kl ${v.kl} | entropy ${v.entropy} | clip ${v.clip} | ${v.sps} steps/s`);
      },
      log: write,
      stop() {},
    };
  }
  // A MultiBar with one bar: it can print log lines above the bar without breaking it.
  const multi = new cliProgress.MultiBar({ format: FORMAT, barsize: 20, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  return {
    update(s) {
      bar ??= multi.create(total, s.iteration, fields(s.metrics));
      bar.update(s.iteration + 1, fields(s.metrics));
    },
    log(line) {
      if (bar && !stopped) multi.log(`${line}\n`);
      else write(line);
    },
    stop() {
      if (!stopped) multi.stop();
      stopped = true;
    },
  };
}
