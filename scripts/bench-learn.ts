/**
 * `npm run bench:learn`: who learns, under the same env-step budget, with several seeds?
 * Baselines (random, expert, rule for shop), SFT alone, and the RL algorithms, each from the same
 * SFT warm start; greedy success on two held-out splits, reported as the mean over seeds with a 95%
 * bootstrap interval. Every training run is kept in one SQLite store (--db), so `ludus replay --db`
 * overlays their learning curves (success against env steps).
 *
 *   npx tsx scripts/bench-learn.ts [--env household-v1] [--difficulty medium] [--seeds 5] [--budget 60000]
 *        [--iterations 200] [--groups 8] [--group-size 8] [--max-steps 30] [--init sft] [--demos 512] [--sft-epochs 10] [--lr 1e-3]
 *        [--train-tasks 0] [--select-tasks 0] [--episodes 0] [--methods grpo,gigpo,...] [--db bench-learn.db] [--json out.json]
 *        [--mode mean_std_norm] [--step-weight 1] [--reward env] [--eta 1] [--history-length 64]
 *        [--first-seed 0] [--report a.json,b.json] [--baseline grpo]
 *        [--kl β] [--entropy-coef c] [--skip-groups none|uniform] [--aggregation row|trajectory] [--epochs 2]
 *        [--temperature 1] [--refuel-branch uniform|uncertain|success] [--label name]
 *
 * `--label name` names the settings of this invocation in the tables (`gigpo[name]`), so runs of one
 * method under different settings (one JSON each) can be reported together with `--report`, and
 * paired against `--baseline sft` or `--baseline 'gigpo'`. After the success table comes a
 * diagnostics table per method: the policy's entropy in the first and last RL iteration, the rows
 * the loss left out (`--skip-groups`), the all-failure groups, and REFUEL's share of pairs whose
 * two returns differ with their mean |R¹ − R²|.
 *
 * Methods: random, expert, rule (shop), sft, sft-window, sft-v1, grpo, grpo-window, rloo, gigpo,
 * gigpo-statekey, gigpo-window, gigpo-v1, arpo, arpo-noreplay, arpo-gigpo, grpo-replay (ARPO's replay
 * with GRPO's loss and row statistics: only the replay differs from grpo), refuel. `-window`
 * variants see only the last 2 steps (no memory of the episode); `-v1` variants use the policy as
 * it was before the memory policy (the last 2 steps, no goal-masked features).
 *
 * `--select-tasks N` (ARPO's task selection): each RL run first plays every pool task N times with
 * its starting policy and trains only on the tasks solved at least once; with a pool (--train-tasks
 * or --select-tasks) each RL run is also evaluated greedily on its own training tasks (twice each),
 * the column ARPO's paper reports first.
 *
 * `--env shop-v1 [--products 100000]`: episodes ≤ 15 steps; success % and mean score on the test and eval goals.
 * `--env browser-v1 [--tasks '["click-button",...]']`: episodes ≤ 8 steps; success on the first
 * --episodes instances of the train split (the pool trained on comes first) and of the test split.
 *
 * Seeds can run in several processes (`--first-seed 3 --seeds 2 --json b.json`, same --db), and
 * `--report a.json,b.json` prints the table of their outcomes together, without training.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import '../envs/builtin.js';
import { selectBackend } from '../agents/policy/backend.js';
import { loadScorer } from '../agents/policy/checkpoint.js';
import { Rng } from '../envs/core/rng.js';
import { ExpertAgent } from '../agents/experts.js';
import { RandomAgent } from '../agents/random-agent.js';
import { ShopRuleAgent } from '../agents/shop-rule-agent.js';
import { openStore } from '../replay/store.js';
import { LocalEnvProvider } from '../trainer/env-provider.js';
import { evaluate, evaluateWith, type EvalSummary } from '../trainer/evaluate.js';
import { latestCheckpoint } from '../trainer/run-checkpoints.js';
import { train } from '../trainer/train.js';
import { meanCi } from './mean-ci.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const ENV = arg('env', 'household-v1');
const SEEDS = Number(arg('seeds', '5'));
const FIRST_SEED = Number(arg('first-seed', '0'));
const ITERATIONS = Number(arg('iterations', '200'));
const BUDGET = Number(arg('budget', '60000'));
/** Eval episodes per split; 0 = every task of the split. */
const EPISODES = Number(arg('episodes', '0'));
const GROUPS = Number(arg('groups', '8'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const DEMOS = Number(arg('demos', '512'));
/** RL starts from the SFT warm start (sft) or from random weights (scratch: most groups fail, ARPO's case). */
const INIT = arg('init', 'sft');
const SFT_EPOCHS = Number(arg('sft-epochs', '10'));
const LR = Number(arg('lr', '1e-3'));
const TRAIN_TASKS = Number(arg('train-tasks', '0'));
const SELECT_TASKS = Number(arg('select-tasks', '0'));
const HISTORY = Number(arg('history-length', '64'));
/** Advantage normalization of GRPO and GiGPO: mean_std_norm (GiGPO's ALFWorld setting) or mean_norm (its WebShop setting). */
const MODE = arg('mode', 'mean_std_norm');
/** ω: GiGPO's step-advantage weight. */
const STEP_WEIGHT = Number(arg('step-weight', '1'));
/** The reward the estimators see: env (the env's reward) or success (1 only on success). */
const REWARD_MODE = arg('reward', 'env');
const ETA = Number(arg('eta', '1'));
/** Beyond SFT (docs/training.md): the loss's KL weight β and entropy weight, groups left out of the loss, row aggregation, PPO epochs, rollout temperature. Empty: the algorithm's defaults. */
const KL = arg('kl', '');
const ENTROPY_COEF = arg('entropy-coef', '');
const SKIP_GROUPS = arg('skip-groups', '');
const AGGREGATION = arg('aggregation', '');
const EPOCHS = arg('epochs', '');
const TEMPERATURE = arg('temperature', '');
/** REFUEL's branch points: uniform, uncertain or success (trainer/refuel-branch.ts). */
const REFUEL_BRANCH = arg('refuel-branch', '');
/** A label for these settings in the table (default: the method's name). */
const LABEL = arg('label', '');
const IS_SHOP = ENV === 'shop-v1';
const IS_BROWSER = ENV === 'browser-v1';
const MAX_STEPS = Number(arg('max-steps', IS_SHOP ? '15' : IS_BROWSER ? '8' : '30'));
const ENV_OPTIONS: Record<string, unknown> = IS_SHOP
  ? { products: Number(arg('products', '100000')) }
  : IS_BROWSER
    ? { tasks: JSON.parse(arg('tasks', '["click-button","click-link","click-option","click-dialog","enter-text","choose-list","login-user","click-checkboxes"]')) as unknown }
    : { difficulty: arg('difficulty', 'easy') };
/** Episode limit in evaluation (the env's own: household 50, shop 15; browser: the training limit). */
const EVAL_LIMIT = IS_SHOP ? 15 : IS_BROWSER ? MAX_STEPS : 50;
const ALL = ['random', 'rule', 'expert', 'sft', 'sft-window', 'sft-v1', 'grpo', 'rloo', 'gigpo', 'gigpo-statekey', 'gigpo-window', 'gigpo-v1', 'grpo-window', 'arpo', 'arpo-noreplay', 'arpo-gigpo', 'grpo-replay', 'refuel'] as const;
type Method = (typeof ALL)[number];
const DEFAULT_METHODS: Method[] = IS_SHOP ? ['random', 'rule', 'expert', 'sft', 'grpo', 'gigpo', 'arpo', 'refuel'] : ['random', 'expert', 'sft', 'sft-window', 'grpo', 'gigpo', 'gigpo-window', 'arpo', 'refuel'];
const METHODS = arg('methods', DEFAULT_METHODS.join(',')).split(',') as Method[];
for (const m of METHODS) if (!ALL.includes(m)) throw new Error(`unknown method '${m}' (methods: ${ALL.join(', ')})`);
const SPLITS = IS_SHOP ? ['test', 'eval'] : IS_BROWSER ? ['train', 'test'] : ['valid_seen', 'valid_unseen'];
const DB = arg('db', path.resolve('bench-learn.db'));

interface Outcome {
  method: Method;
  /** The method and `--label` (settings), as the tables name it: `gigpo[mean_norm]`. */
  label?: string;
  /** Diagnostics from the run's iterations (RL methods): mean policy entropy in the first and last iteration, share of rows the loss skipped, REFUEL's pairs with differing returns. */
  diag?: { entropyFirst: number | null; entropyLast: number | null; skipped: number | null; refuelDiffering: number | null; refuelGap: number | null } | null;
  seed: number;
  /** Success rate per split, mean score (return) per split, loop rate per split. */
  success: [number, number];
  score: [number, number];
  loops: [number, number];
  /** Greedy success on the tasks the run trained on (RL methods with a pool), and how many they were. */
  pool?: { success: number; tasks: number } | null;
  envSteps: number;
  /** Mean share of all-failure groups over the run's iterations (RL methods). */
  allFail: number | null;
  /** The same over the first third of the iterations (where a weak start fails most). */
  allFailEarly?: number | null;
  runId: number | null;
  seconds: number;
}

/** The mean share of all-failure groups over a run's iterations, and over their first third. */
function allFailShares(db: string, runId: number): { mean: number | null; early: number | null } {
  const store = openStore(db);
  try {
    const fails = store
      .listIterations(runId)
      .map((i) => i.metrics['rollout/all_fail_groups'])
      .filter((x): x is number => typeof x === 'number');
    const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
    return { mean: avg(fails), early: avg(fails.slice(0, Math.max(1, Math.ceil(fails.length / 3)))) };
  } finally {
    store.close();
  }
}

/** The diagnostics of one run from its recorded iterations. */
function diagnostics(db: string, runId: number): NonNullable<Outcome['diag']> {
  const store = openStore(db);
  try {
    const its = store.listIterations(runId);
    const series = (name: string) => its.map((i) => i.metrics[name]).filter((x): x is number => typeof x === 'number');
    const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
    const entropy = series('losses/entropy');
    return {
      entropyFirst: entropy[0] ?? null,
      entropyLast: entropy.at(-1) ?? null,
      skipped: avg(series('losses/skipped_rows')),
      refuelDiffering: avg(series('refuel/differing_share')),
      refuelGap: avg(series('refuel/mean_abs_return_gap')),
    };
  } finally {
    store.close();
  }
}
const keyOf = (o: Outcome): string => o.label ?? o.method;

const REPORT = arg('report', '');
/** Outcomes so far, rewritten after every run (so a stopped benchmark keeps what it measured). */
const jsonOut = REPORT ? '' : arg('json', '');
const backend = REPORT ? null : await selectBackend({});
const provider = new LocalEnvProvider(ENV, { ...ENV_OPTIONS, maxEpisodeSteps: EVAL_LIMIT });
const work = mkdtempSync(path.join(tmpdir(), 'ludus-bench-learn-'));
const splitSizes = (await provider.describe()).splits;
/** --report: the stores the reported runs are in (as their JSON files say). */
const reportedDbs = new Set<string>();
const outcomes: Outcome[] = REPORT
  ? REPORT.split(',').flatMap((file) => {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { db: string; outcomes: Outcome[] };
      reportedDbs.add(saved.db);
      // runs measured before the first-third share was kept: read it from their store when it is here
      return saved.outcomes.map((o) => (o.allFailEarly === undefined && o.runId !== null && existsSync(saved.db) ? { ...o, allFailEarly: allFailShares(saved.db, o.runId).early } : o));
    })
  : [];
const started = performance.now();
if (!REPORT && existsSync(DB)) console.error(`adding runs to ${DB}`);

async function evalBoth(run: (split: string) => Promise<EvalSummary>): Promise<Pick<Outcome, 'success' | 'score' | 'loops'>> {
  const [a, b] = [await run(SPLITS[0] as string), await run(SPLITS[1] as string)];
  return { success: [a.successRate, b.successRate], score: [a.meanReturn, b.meanReturn], loops: [a.loopRate, b.loopRate] };
}

function trainConfig(method: Method, seed: number, dir: string): Record<string, unknown> {
  const v1 = method.endsWith('-v1');
  const window = method.endsWith('-window') || v1;
  const base = method === 'grpo-replay' ? 'arpo' : method.replace(/-(window|v1|statekey|noreplay|gigpo)$/, '');
  // grpo-replay: ARPO's collect stage, everything else as GRPO (its loss defaults and row statistics)
  const asGrpo = method === 'grpo-replay' ? { loss: { clipHigh: 0.2, klCoef: 0.01, entropyCoef: 0.001 } } : {};
  return {
    env: ENV,
    envOptions: ENV_OPTIONS,
    algo: base,
    seed,
    name: `${ENV}__${method}__${seed}`,
    iterations: ITERATIONS,
    maxEnvSteps: BUDGET,
    groups: GROUPS,
    groupSize: GROUP_SIZE,
    maxSteps: MAX_STEPS,
    trainTasks: TRAIN_TASKS,
    selectTasks: SELECT_TASKS,
    init: INIT,
    demos: DEMOS,
    sftEpochs: SFT_EPOCHS,
    lr: LR,
    historyLength: window ? 2 : HISTORY,
    model: { memory: window ? 'window' : 'bag', goalMatch: !v1 },
    advantage: {
      anchorKey: method === 'gigpo-statekey' ? 'stateKey' : 'observation',
      mode: MODE,
      stepWeight: STEP_WEIGHT,
      ...(method === 'grpo-replay' ? { episodeStats: 'rows' } : {}),
    },
    ...asGrpo,
    ...(KL === '' && ENTROPY_COEF === '' ? {} : { loss: { ...(asGrpo.loss ?? {}), ...(KL === '' ? {} : { klCoef: Number(KL) }), ...(ENTROPY_COEF === '' ? {} : { entropyCoef: Number(ENTROPY_COEF) }) } }),
    ...(SKIP_GROUPS === '' ? {} : { skipGroups: SKIP_GROUPS }),
    ...(AGGREGATION === '' ? {} : { lossAggregation: AGGREGATION }),
    ...(EPOCHS === '' ? {} : { epochs: Number(EPOCHS) }),
    ...(TEMPERATURE === '' ? {} : { temperature: Number(TEMPERATURE) }),
    arpo: { estimator: method === 'arpo-gigpo' ? 'gigpo' : 'grpo', replay: method !== 'arpo-noreplay' },
    refuel: { eta: ETA, ...(REFUEL_BRANCH === '' ? {} : { branch: REFUEL_BRANCH }) },
    rewardMode: REWARD_MODE,
    db: DB,
    checkpointDir: dir,
    checkpointEvery: 1000,
  };
}

for (let seed = FIRST_SEED; !REPORT && seed < FIRST_SEED + SEEDS; seed++) {
  for (const method of METHODS) {
    const t0 = performance.now();
    let scores: Pick<Outcome, 'success' | 'score' | 'loops'>;
    let envSteps = 0;
    let allFail: number | null = null;
    let allFailEarly: number | null = null;
    let runId: number | null = null;
    let pool: Outcome['pool'] = null;
    let diag: Outcome['diag'] = null;
    const evalOpts = (split: string) => ({ split, episodes: EPISODES || (splitSizes[split] as number), seed: 1000 * seed, retries: 0 });
    if (method === 'random') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new RandomAgent(new Rng(seed)), evalOpts(split))).summary);
    } else if (method === 'rule') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new ShopRuleAgent(), evalOpts(split))).summary);
    } else if (method === 'expert') {
      scores = await evalBoth(async (split) => (await evaluateWith(provider, new ExpertAgent(ENV), evalOpts(split))).summary);
    } else {
      const dir = path.join(work, `${method}-${seed}`);
      const result = await train(trainConfig(method, seed, dir));
      envSteps = result.envSteps;
      runId = result.runId;
      ({ mean: allFail, early: allFailEarly } = allFailShares(DB, result.runId));
      diag = diagnostics(DB, result.runId);
      const scorer = await loadScorer((await latestCheckpoint(dir)) as string);
      scores = await evalBoth((split) => evaluate(provider, scorer, evalOpts(split)));
      const trained = result.taskPool ?? (TRAIN_TASKS > 0 ? Array.from({ length: TRAIN_TASKS }, (_, i) => i) : null);
      if (trained !== null) {
        const onPool = await evaluate(provider, scorer, { ...evalOpts('train'), episodes: 2 * trained.length, tasks: trained });
        pool = { success: onPool.successRate, tasks: trained.length };
      }
      scorer.dispose();
    }
    const o: Outcome = { method, ...(LABEL ? { label: `${method}[${LABEL}]` } : {}), diag, seed, ...scores, pool, envSteps, allFail, allFailEarly, runId, seconds: (performance.now() - t0) / 1000 };
    outcomes.push(o);
    if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ env: ENV, options: ENV_OPTIONS, db: DB, outcomes }, null, 2)}\n`);
    console.error(
      `seed ${seed} ${keyOf(o).padEnd(15)} ${SPLITS[0]} ${(o.success[0] * 100).toFixed(1)}%  ${SPLITS[1]} ${(o.success[1] * 100).toFixed(1)}%` +
        `  loops ${(o.loops[1] * 100).toFixed(0)}%${IS_SHOP ? `  scores ${o.score[0].toFixed(3)} / ${o.score[1].toFixed(3)}` : ''}` +
        `${allFail === null ? '' : `  all-fail groups ${(allFail * 100).toFixed(0)}%`}` +
        `${pool ? `  own ${pool.tasks} train tasks ${(pool.success * 100).toFixed(1)}%` : ''}  env steps ${o.envSteps}  ${o.seconds.toFixed(0)} s`,
    );
  }
}

const pct = (xs: number[]) => {
  const { mean, lo, hi } = meanCi(xs);
  return `${(mean * 100).toFixed(1)} [${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}]`;
};
const num = (xs: number[]) => {
  const { mean, lo, hi } = meanCi(xs);
  return `${mean.toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
};
const seedsRun = [...new Set(outcomes.map((o) => o.seed))].sort((a, b) => a - b);
console.log(
  `\n${ENV} (${JSON.stringify(ENV_OPTIONS)}), backend ${backend?.name ?? 'as recorded'}, seeds ${seedsRun.join(', ')}; RL: ${GROUPS}×${GROUP_SIZE} per iteration, ` +
    `≤ ${ITERATIONS} iterations, budget ${BUDGET} env steps, episodes ≤ ${MAX_STEPS} steps, ${TRAIN_TASKS > 0 ? `first ${TRAIN_TASKS} train tasks, ` : ''}${SELECT_TASKS > 0 ? `task selection ${SELECT_TASKS} attempts, ` : ''}lr ${LR}, ` +
    `advantage mode ${MODE}, ω ${STEP_WEIGHT}, reward ${REWARD_MODE}, REFUEL η ${ETA}, history ${HISTORY}, ${INIT === 'sft' ? `SFT warm start from ${DEMOS} expert episodes × ${SFT_EPOCHS} epochs` : 'RL from random weights'}; ` +
    `eval: greedy, ${EPISODES || 'all'} episodes per split, ≤ ${EVAL_LIMIT} steps; runs in ${REPORT ? [...reportedDbs].join(', ') : DB}${REPORT ? ' (settings as given on this command line)' : ''}`,
);
const minutes = REPORT ? outcomes.reduce((a, o) => a + o.seconds, 0) / 60 : (performance.now() - started) / 60000;
console.log(`total ${minutes.toFixed(1)} min; mean over seeds [95% bootstrap interval]\n`);
const scoreHead = IS_SHOP ? ` ${SPLITS[0]} score | ${SPLITS[1]} score |` : '';
const withPool = outcomes.some((o) => o.pool);
const poolHead = withPool ? ' own train tasks success % |' : '';
console.log(`| method | ${SPLITS[0]} success % | ${SPLITS[1]} success % |${scoreHead}${poolHead} ${SPLITS[1]} loop % | all-fail groups % (first third) | RL env steps (mean) | time/seed (s) |`);
console.log(`|---|---|---|${IS_SHOP ? '---|---|' : ''}${withPool ? '---|' : ''}---|---|---|---|`);
/** The rows of the tables: every method (and label) measured, in the order first met. */
const KEYS = [...new Set(outcomes.map(keyOf))];
for (const method of KEYS) {
  const rows = outcomes.filter((o) => keyOf(o) === method);
  if (rows.length === 0) continue;
  const steps = rows.reduce((a, o) => a + o.envSteps, 0) / rows.length;
  const secs = rows.reduce((a, o) => a + o.seconds, 0) / rows.length;
  const fails = rows.map((o) => o.allFail).filter((x): x is number => x !== null);
  const early = rows.map((o) => o.allFailEarly).filter((x): x is number => typeof x === 'number');
  const share = (xs: number[]) => (100 * (xs.reduce((a, b) => a + b, 0) / xs.length)).toFixed(0);
  const scoreCols = IS_SHOP ? ` ${num(rows.map((o) => o.score[0]))} | ${num(rows.map((o) => o.score[1]))} |` : '';
  const pooled = rows.flatMap((o) => (o.pool ? [o.pool.success] : []));
  const poolCol = withPool ? ` ${pooled.length ? pct(pooled) : '-'} |` : '';
  console.log(
    `| ${method} | ${pct(rows.map((o) => o.success[0]))} | ${pct(rows.map((o) => o.success[1]))} |${scoreCols}${poolCol} ${pct(rows.map((o) => o.loops[1]))} | ` +
      `${fails.length ? share(fails) : '-'}${early.length ? ` (${share(early)})` : ''} | ${steps ? steps.toFixed(0) : '-'} | ${secs.toFixed(0)} |`,
  );
}
// Paired differences against a baseline: the same seed gives both methods the same SFT start
// and task draws, so the per-seed difference has a tighter interval than the two means.
const BASELINE = arg('baseline', KEYS.includes('grpo') ? 'grpo' : '');
/** The paired-difference table of one measure (null where a run lacks it). */
function pairedTable(title: string, measure: (o: Outcome) => number | null): void {
  const lines: string[] = [];
  for (const method of KEYS) {
    if (method === BASELINE) continue;
    const diffs: number[] = [];
    for (const o of outcomes.filter((x) => keyOf(x) === method)) {
      const b = outcomes.find((x) => keyOf(x) === BASELINE && x.seed === o.seed);
      const [mo, mb] = [measure(o), b === undefined ? null : measure(b)];
      if (mo !== null && mb !== null) diffs.push(mo - mb);
    }
    if (diffs.length === 0) continue;
    const { mean, lo, hi } = meanCi(diffs);
    lines.push(`| ${method} − ${BASELINE} | ${diffs.map((d) => (d * 100).toFixed(1)).join(', ')} | ${(mean * 100).toFixed(1)} [${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}] |`);
  }
  if (lines.length === 0) return;
  console.log(`\nPaired by seed, ${title} (points): method − ${BASELINE}, per seed and the mean with its 95% bootstrap interval\n`);
  console.log('| difference | per seed | mean [95% interval] |');
  console.log('|---|---|---|');
  for (const l of lines) console.log(l);
}
// Diagnostics of the RL runs: what the policy's entropy did, how much of the batch the loss left out, and REFUEL's pairs
const diagRows = KEYS.map((k) => [k, outcomes.filter((o) => keyOf(o) === k && o.diag && o.envSteps > 0)] as const).filter(([, rs]) => rs.length > 0);
if (diagRows.length > 0) {
  const mean = (xs: (number | null | undefined)[], scale = 1, digits = 2) => {
    const ys = xs.filter((x): x is number => typeof x === 'number');
    return ys.length === 0 ? '-' : ((scale * ys.reduce((a, b) => a + b, 0)) / ys.length).toFixed(digits);
  };
  console.log('\nDiagnostics (means over seeds): policy entropy (nats) in the first and last RL iteration, rows left out of the loss, all-failure groups, REFUEL pairs whose two returns differ and their mean |R¹ − R²|\n');
  console.log('| method | entropy first | entropy last | skipped rows % | all-fail groups % | REFUEL R¹ ≠ R² % | REFUEL mean abs(R¹ − R²) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [k, rs] of diagRows) {
    console.log(
      `| ${k} | ${mean(rs.map((o) => o.diag?.entropyFirst))} | ${mean(rs.map((o) => o.diag?.entropyLast))} | ${mean(rs.map((o) => o.diag?.skipped), 100, 0)} | ` +
        `${mean(rs.map((o) => o.allFail), 100, 0)} | ${mean(rs.map((o) => o.diag?.refuelDiffering), 100, 0)} | ${mean(rs.map((o) => o.diag?.refuelGap), 1, 3)} |`,
    );
  }
}
if (BASELINE) {
  pairedTable(`${SPLITS[1]} success`, (o) => o.success[1]);
  if (withPool) pairedTable('success on the own train tasks', (o) => o.pool?.success ?? null);
}
rmSync(work, { recursive: true, force: true });
