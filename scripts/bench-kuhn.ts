/**
 * Self-play on kuhn-poker-v1: the tfjs policy holds both seats (shared weights) and learns with
 * GRPO, RLOO and GiGPO; after every update its strategy is read at the 12 information sets, and the
 * exploitability of the learned average policy (mean over iterations) and of the final one is
 * computed exactly. Baselines in the same run: the uniform policy, and the tabular solvers (CFR,
 * external-sampling MCCFR) on the same game.
 *
 * Run: npx tsx scripts/bench-kuhn.ts [--seeds 3] [--iterations 60] [--groups 6] [--group-size 8] [--algos grpo,rloo,gigpo]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../envs/builtin.js';
import type { KuhnStrategy } from '../agents/kuhn/strategy-agent.js';
import { solveCfr } from '../trainer/cfr/cfr.js';
import { exploitability } from '../trainer/cfr/evaluation.js';
import { kuhnGame, kuhnPolicyOf } from '../trainer/cfr/kuhn-game.js';
import { averageStrategy, kuhnStrategyOfPolicy } from '../trainer/cfr/kuhn-policy-strategy.js';
import { solveExternalSamplingMccfr } from '../trainer/cfr/mccfr.js';
import { train } from '../trainer/train.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const SEEDS = Number(arg('seeds', '3'));
const ITERATIONS = Number(arg('iterations', '60'));
const GROUPS = Number(arg('groups', '6'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const ALGOS = arg('algos', 'grpo,rloo,gigpo').split(',');

const expl = (s: KuhnStrategy) => exploitability(kuhnGame, kuhnPolicyOf(s));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

const rows: string[][] = [];
const uniform = exploitability(kuhnGame, new Map());
rows.push(['uniform policy', '—', uniform.toFixed(4), '—', '—']);
for (const [name, it, e] of [
  ['tabular CFR', 1000, exploitability(kuhnGame, solveCfr(kuhnGame, 1000).average)],
  ['external-sampling MCCFR', 20000, exploitability(kuhnGame, solveExternalSamplingMccfr(kuhnGame, 20000, { seed: 1 }).average)],
] as const) {
  rows.push([name, `${it} iterations`, e.toFixed(4), '—', '—']);
}
for (const algo of ALGOS) {
  const average: number[] = [];
  const final: number[] = [];
  let seconds = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-kuhn-'));
    const strategies: KuhnStrategy[] = [];
    const t0 = performance.now();
    await train(
      { env: 'kuhn-poker-v1', algo, init: 'scratch', demos: 0, iterations: ITERATIONS, groups: GROUPS, groupSize: GROUP_SIZE, lr: 3e-3, seed, db: join(dir, 'k.db'), checkpointDir: join(dir, 'ck'), checkpointEvery: 1000 },
      { onPolicy: async (_i, policy) => void strategies.push(await kuhnStrategyOfPolicy(policy)) },
    );
    seconds += (performance.now() - t0) / 1000;
    average.push(expl(averageStrategy(strategies)));
    final.push(expl(strategies.at(-1) as KuhnStrategy));
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push([`${algo} self-play`, `${ITERATIONS} it × ${GROUPS}×${GROUP_SIZE} games, ${SEEDS} seeds`, `${mean(average).toFixed(4)} ± ${sd(average).toFixed(4)}`, `${mean(final).toFixed(4)} ± ${sd(final).toFixed(4)}`, `${(seconds / SEEDS).toFixed(1)} s`]);
}
console.log(`bench-kuhn: exploitability ((BR₀ + BR₁) / 2; 0 at equilibrium) of kuhn-poker-v1 policies, node ${process.version}\n`);
console.log('| policy | budget | exploitability (average policy) | final policy | time per seed |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
