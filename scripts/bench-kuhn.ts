/**
 * Self-play on kuhn-poker-v1: the tfjs policy learns with policy gradient (GRPO by default) and
 * after every update its strategy is read at the 12 information sets; the exploitability of the
 * average policy (the reach-weighted average of the iterates, trainer/cfr/average-policy.ts: what
 * a player plays when it picks one iterate at the start of a game) and of the final one is
 * computed exactly (trainer/cfr/evaluation.ts). Baselines in the same run: the uniform policy and
 * the tabular solvers (CFR, external-sampling MCCFR).
 *
 * Variants (`--variants`, comma-separated):
 *  - `self`: plain self-play, the policy in both seats (shared weights).
 *  - `kl`: self-play with a KL penalty to the initial (near-uniform) policy and mean-only group
 *    normalisation — a magnet that keeps the iterates mixed (as magnetic mirror descent does), so
 *    their average settles instead of cycling among near-deterministic policies.
 *  - `fsp`: fictitious self-play through `--league`: the policy plays one seat per game against a
 *    uniformly drawn past iterate (a league of its checkpoints, one per iteration, no bots).
 * Per variant: mean over seeds with a 95% bootstrap interval (scripts/mean-ci.ts); the plain
 * per-information-set mean of the iterates is printed too (the earlier, uncorrected average).
 *
 * Run: npx tsx scripts/bench-kuhn.ts [--seeds 3] [--iterations 200] [--groups 6] [--group-size 8]
 *        [--algo grpo] [--variants self,kl,fsp] [--kl 0.2] [--lr 3e-3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../envs/builtin.js';
import type { KuhnStrategy } from '../agents/kuhn/strategy-agent.js';
import { averagePolicy } from '../trainer/cfr/average-policy.js';
import { solveCfr } from '../trainer/cfr/cfr.js';
import { exploitability } from '../trainer/cfr/evaluation.js';
import { kuhnGame, kuhnPolicyOf } from '../trainer/cfr/kuhn-game.js';
import { averageStrategy, kuhnStrategyOfPolicy } from '../trainer/cfr/kuhn-policy-strategy.js';
import { solveExternalSamplingMccfr } from '../trainer/cfr/mccfr.js';
import { train } from '../trainer/train.js';
import { meanCi } from './mean-ci.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const SEEDS = Number(arg('seeds', '3'));
const ITERATIONS = Number(arg('iterations', '200'));
const GROUPS = Number(arg('groups', '6'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const ALGO = arg('algo', 'grpo');
const VARIANTS = arg('variants', 'self,kl,fsp').split(',');
const KL = Number(arg('kl', '0.2'));
const LR = Number(arg('lr', '3e-3'));

const VARIANT_CONFIG: Record<string, { label: string; config: Record<string, unknown> }> = {
  self: { label: `${ALGO} self-play`, config: {} },
  kl: { label: `${ALGO} self-play, KL ${KL} to the initial policy, mean-norm groups`, config: { loss: { klCoef: KL }, advantage: { mode: 'mean_norm' } } },
  fsp: { label: `${ALGO} fictitious self-play (--league, uniform over every past iterate)`, config: { league: { enabled: true, meta: 'uniform', every: 1, bots: 'none' } } },
};

const expl = (s: KuhnStrategy) => exploitability(kuhnGame, kuhnPolicyOf(s));
const ci = (xs: number[]) => {
  const c = meanCi(xs);
  return `${c.mean.toFixed(4)} [${c.lo.toFixed(4)}, ${c.hi.toFixed(4)}]`;
};

const rows: string[][] = [];
rows.push(['uniform policy', '—', exploitability(kuhnGame, new Map()).toFixed(4), '—', '—', '—']);
for (const [name, it, e] of [
  ['tabular CFR', 1000, exploitability(kuhnGame, solveCfr(kuhnGame, 1000).average)],
  ['external-sampling MCCFR', 20000, exploitability(kuhnGame, solveExternalSamplingMccfr(kuhnGame, 20000, { seed: 1 }).average)],
] as const) {
  rows.push([name, `${it} iterations`, e.toFixed(4), '—', '—', '—']);
}
for (const variant of VARIANTS) {
  const v = VARIANT_CONFIG[variant];
  if (v === undefined) throw new Error(`--variants: unknown '${variant}' (${Object.keys(VARIANT_CONFIG).join(', ')})`);
  const average: number[] = [];
  const plainMean: number[] = [];
  const final: number[] = [];
  const half: number[] = [];
  let seconds = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-kuhn-'));
    const strategies: KuhnStrategy[] = [];
    const t0 = performance.now();
    await train(
      { env: 'kuhn-poker-v1', algo: ALGO, init: 'scratch', demos: 0, iterations: ITERATIONS, groups: GROUPS, groupSize: GROUP_SIZE, lr: LR, seed, db: join(dir, 'k.db'), checkpointDir: join(dir, 'ck'), checkpointEvery: 100000, model: { featureDim: 256, hidden: 32, mlpHidden: 32 }, ...v.config },
      { onPolicy: async (_i, policy) => void strategies.push(await kuhnStrategyOfPolicy(policy)) },
    );
    seconds += (performance.now() - t0) / 1000;
    const avg = (xs: KuhnStrategy[]) => exploitability(kuhnGame, averagePolicy(kuhnGame, xs.map(kuhnPolicyOf)));
    average.push(avg(strategies));
    half.push(avg(strategies.slice(Math.floor(strategies.length / 2))));
    plainMean.push(expl(averageStrategy(strategies)));
    final.push(expl(strategies.at(-1) as KuhnStrategy));
    console.error(`${variant} seed ${seed}: average ${average.at(-1)!.toFixed(4)}, second half ${half.at(-1)!.toFixed(4)}, final ${final.at(-1)!.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push([v.label, `${ITERATIONS} it × ${GROUPS}×${GROUP_SIZE} games, ${SEEDS} seeds`, ci(average), ci(half), ci(final), `${ci(plainMean)}; ${(seconds / SEEDS).toFixed(0)} s`]);
}
console.log(`bench-kuhn: exploitability ((BR₀ + BR₁) / 2; 0 at equilibrium) of kuhn-poker-v1 policies, mean over seeds [95% bootstrap interval], lr ${LR}, node ${process.version}\n`);
console.log('| policy | budget | average policy (reach-weighted, all iterates) | average of the second half | final policy | plain per-set mean; time per seed |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
