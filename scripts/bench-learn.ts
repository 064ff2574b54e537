/**
 * `npm run bench:learn`: who learns household-v1 (easy) under the same env-step budget?
 * random, expert, SFT only, GRPO, RLOO, GiGPO (exact anchors), GiGPO (stateKey anchors);
 * several seeds; greedy success on valid_seen and valid_unseen. Prints a markdown table.
 *
 *   npx tsx scripts/bench-learn.ts [--seeds 3] [--iterations 25] [--budget 40000] [--episodes 60]
 *        [--groups 8] [--group-size 8] [--demos 64] [--lr 1e-3] [--methods gigpo,grpo,...] [--json out.json]
 *
 * `--env shop-v1 [--products 100000]`: random, rule (search the instruction, buy the first result),
 * expert, SFT, GRPO, GiGPO; episodes ≤ 15 steps; success % and mean score on the test and eval goals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import '../envs/builtin.js';
import { selectBackend } from '../agents/policy/backend.js';
import { loadScorer } from '../agents/policy/checkpoint.js';
import { Rng } from '../envs/core/rng.js';
import { ExpertAgent } from '../agents/experts.js';
import { RandomAgent } from '../agents/random-agent.js';
import { ShopRuleAgent } from '../agents/shop-rule-agent.js';
import { LocalEnvProvider } from '../trainer/env-provider.js';
import { evaluate, evaluateWith, type EvalSummary } from '../trainer/evaluate.js';
import { latestCheckpoint, train } from '../trainer/train.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const ENV = arg('env', 'household-v1');
const SEEDS = Number(arg('seeds', '3'));
const ITERATIONS = Number(arg('iterations', '25'));
const BUDGET = Number(arg('budget', '40000'));
/** Eval episodes per split; 0 = every task of the split. */
const EPISODES = Number(arg('episodes', '0'));
const GROUPS = Number(arg('groups', '8'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const DEMOS = Number(arg('demos', '64'));
const LR = Number(arg('lr', '1e-3'));
/** Advantage normalization of GRPO and GiGPO: mean_std_norm (GiGPO's ALFWorld setting) or mean_norm (its WebShop setting). */
const MODE = arg('mode', 'mean_std_norm');
/** ω: GiGPO's step-advantage weight. */
const STEP_WEIGHT = Number(arg('step-weight', '1'));
/** The reward the estimators see: env (the env's reward) or success (1 only on success). */
const REWARD_MODE = arg('reward', 'env');
const IS_SHOP = ENV === 'shop-v1';
const MAX_STEPS = Number(arg('max-steps', IS_SHOP ? '15' : '30'));
const ENV_OPTIONS: Record<string, unknown> = IS_SHOP ? { products: Number(arg('products', '100000')) } : { difficulty: arg('difficulty', 'easy') };
/** Episode limit in evaluation (the env's own: household 50, shop 15). */
const EVAL_LIMIT = IS_SHOP ? 15 : 50;
const ALL = ['random', 'rule', 'expert', 'sft', 'grpo', 'rloo', 'gigpo', 'gigpo-statekey'] as const;
type Method = (typeof ALL)[number];
const DEFAULT_METHODS = IS_SHOP ? ['random', 'rule', 'expert', 'sft', 'grpo', 'gigpo'] : ALL.filter((m) => m !== 'rule');
const METHODS = arg('methods', DEFAULT_METHODS.join(',')).split(',') as Method[];
const SPLITS = IS_SHOP ? ['test', 'eval'] : ['valid_seen', 'valid_unseen'];


interface Outcome {
  method: Method;
  seed: number;
  seen: number;
  unseen: number;
  /** Mean score (return) per split: the shop's WebShop score. */
  seenScore: number;
  unseenScore: number;
  envSteps: number;
  seconds: number;
}

const backend = await selectBackend({});
const provider = new LocalEnvProvider(ENV, { ...ENV_OPTIONS, maxEpisodeSteps: EVAL_LIMIT });
const work = mkdtempSync(path.join(tmpdir(), 'ludus-bench-learn-'));
const splitSizes = (await provider.describe()).splits;
const outcomes: Outcome[] = [];
const started = performance.now();

async function evalBoth(run: (split: string) => Promise<EvalSummary>): Promise<[number, number, number, number]> {
  const [seen, unseen] = [await run(SPLITS[0] as string), await run(SPLITS[1] as string)];
  return [seen.successRate, unseen.successRate, seen.meanReturn, unseen.meanReturn];
}

for (let seed = 0; seed < SEEDS; seed++) {
  for (const method of METHODS) {
    const t0 = performance.now();
    let scores: [number, number, number, number];
    let envSteps = 0;
    const evalOpts = (split: string) => ({ split, episodes: EPISODES || (splitSizes[split] as number), seed: 1000 * seed, historyLength: 2, retries: 0 });
    if (method === 'random') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new RandomAgent(new Rng(seed)), evalOpts(split))).summary);
    } else if (method === 'rule') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new ShopRuleAgent(), evalOpts(split))).summary);
    } else if (method === 'expert') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new ExpertAgent(ENV), evalOpts(split))).summary);
    } else {
      const algo = method === 'sft' ? 'sft' : method === 'gigpo-statekey' ? 'gigpo' : method;
      const dir = path.join(work, `${method}-${seed}`);
      const result = await train({
        env: ENV,
        envOptions: ENV_OPTIONS,
        algo,
        seed,
        iterations: ITERATIONS,
        maxEnvSteps: BUDGET,
        groups: GROUPS,
        groupSize: GROUP_SIZE,
        maxSteps: MAX_STEPS,
        demos: DEMOS,
        lr: LR,
        advantage: { anchorKey: method === 'gigpo-statekey' ? 'stateKey' : 'observation', mode: MODE, stepWeight: STEP_WEIGHT },
        rewardMode: REWARD_MODE,
        db: path.join(work, 'bench.db'),
        checkpointDir: dir,
        checkpointEvery: 1000,
      });
      envSteps = result.envSteps;
      const scorer = await loadScorer((await latestCheckpoint(dir)) as string);
      scores = await evalBoth((split) => evaluate(provider, scorer, evalOpts(split)));
      scorer.dispose();
    }
    const o: Outcome = { method, seed, seen: scores[0], unseen: scores[1], seenScore: scores[2], unseenScore: scores[3], envSteps, seconds: (performance.now() - t0) / 1000 };
    outcomes.push(o);
    console.error(`seed ${seed} ${method.padEnd(15)} ${SPLITS[0]} ${(o.seen * 100).toFixed(1)}%  ${SPLITS[1]} ${(o.unseen * 100).toFixed(1)}%${IS_SHOP ? `  scores ${o.seenScore.toFixed(3)} / ${o.unseenScore.toFixed(3)}` : ''}  env steps ${o.envSteps}  ${o.seconds.toFixed(0)} s`);
  }
}

const pct = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${(m * 100).toFixed(1)} ± ${(sd * 100).toFixed(1)}`;
};
console.log(`\n${ENV} (${JSON.stringify(ENV_OPTIONS)}), backend ${backend.name}, ${SEEDS} seed(s); RL: ${GROUPS}×${GROUP_SIZE} per iteration, ≤ ${ITERATIONS} iterations, budget ${BUDGET} env steps, episodes ≤ ${MAX_STEPS} steps, lr ${LR}, advantage mode ${MODE}, ω ${STEP_WEIGHT}, reward ${REWARD_MODE}, SFT warm start from ${DEMOS} expert episodes; eval: greedy, ${EPISODES || 'all'} episodes per split, ≤ ${EVAL_LIMIT} steps`);
console.log(`total ${((performance.now() - started) / 60000).toFixed(1)} min\n`);
if (IS_SHOP) {
  console.log(`| method | ${SPLITS[0]} success % | ${SPLITS[1]} success % | ${SPLITS[0]} score | ${SPLITS[1]} score | RL env steps (mean) | time/seed (s) |`);
  console.log('|---|---|---|---|---|---|---|');
} else {
  console.log('| method | valid_seen success % | valid_unseen success % | RL env steps (mean) | time/seed (s) |');
  console.log('|---|---|---|---|---|');
}
for (const method of METHODS) {
  const rows = outcomes.filter((o) => o.method === method);
  const steps = rows.reduce((a, o) => a + o.envSteps, 0) / rows.length;
  const secs = rows.reduce((a, o) => a + o.seconds, 0) / rows.length;
  const scoreCols = IS_SHOP ? ` ${pct(rows.map((o) => o.seenScore))} | ${pct(rows.map((o) => o.unseenScore))} |` : '';
  console.log(`| ${method} | ${pct(rows.map((o) => o.seen))} | ${pct(rows.map((o) => o.unseen))} |${scoreCols} ${steps ? steps.toFixed(0) : '-'} | ${secs.toFixed(0)} |`);
}
const jsonOut = arg('json', '');
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ env: ENV, options: ENV_OPTIONS, outcomes }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
