/**
 * Micro-benchmark of the advantage estimators on one ALFWorld-sized iteration: 16 groups × 8
 * trajectories × 50 steps = 6,400 step rows, with realistic anchor repetition (every copy starts
 * from the same reset text, rooms are revisited, "Nothing happens." recurs).
 *
 * Each timed run estimates a fresh `JSON.parse` copy of the rows (parsing is not timed), so anchor
 * strings arrive un-hashed, as they do from the collector. Reports the median of many runs and the
 * ratio to GRPO measured in the same run. Target: GiGPO with exact anchors ≤ 5 ms (median).
 *
 *   npx tsx scripts/bench-advantages.ts [runs]
 *   npx tsx --expose-gc scripts/bench-advantages.ts [runs]   (collects garbage before each run: less noise)
 */
import { ESTIMATORS, type AdvantageOptions, type AdvantageEstimatorName } from '../trainer/advantages/index.js';
import { trajectoryRows, type StepRecord, type StepRow } from '../trainer/rows.js';

const GROUPS = 16;
const COPIES = 8;
const STEPS = 50;
const ROOMS = 24;
const RUNS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
const TARGET_MS = 5;

// ---------------------------------------------------------------------------------------------
// Synthetic rollouts.

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const OBJECTS = ['a mug', 'a apple', 'a knife', 'a book', 'a pillow', 'a vase', 'a towel', 'a soapbar', 'a keychain'];
const VARIANTS = ['You open it.', 'It is empty now.', 'You close it again.'];
const FURNITURE = ['countertop', 'cabinet', 'drawer', 'fridge', 'shelf', 'sinkbasin', 'dresser', 'sidetable'];

function roomText(rand: () => number, k: number): string {
  const place = FURNITURE[k % FURNITURE.length];
  const items = Array.from({ length: 3 + Math.floor(rand() * 5) }, () => OBJECTS[Math.floor(rand() * OBJECTS.length)]);
  return `You arrive at ${place} ${1 + Math.floor(k / FURNITURE.length)}. On the ${place} ${1 + Math.floor(k / FURNITURE.length)}, you see ${items.join(', ')}. The room is quiet; a clock ticks somewhere behind you.`;
}

function makeRows(seed: number): StepRow[] {
  const rows: StepRow[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const rand = lcg(seed * 1000 + g);
    const rooms = Array.from({ length: ROOMS }, (_, k) => roomText(rand, k));
    const reset = `-= Welcome to TextWorld, ALFRED! =- You are in the middle of a room. Looking quickly around you, you see ${FURNITURE.join(', ')}. Your task is to: put some ${OBJECTS[g % OBJECTS.length].slice(2)} on ${FURNITURE[g % FURNITURE.length]}.`;
    for (let c = 0; c < COPIES; c++) {
      const steps: StepRecord[] = [];
      const success = rand() < 0.35;
      let room = -1;
      for (let t = 0; t < STEPS; t++) {
        let anchor: string;
        if (t === 0) anchor = reset;
        else if (rand() < 0.12) anchor = 'Nothing happens.';
        else {
          // A random walk over nearby rooms: revisits are frequent, as in ALFWorld.
          room = room < 0 ? Math.floor(rand() * 6) : (room + Math.floor(rand() * 5) - 2 + ROOMS) % ROOMS;
          // Acting on a receptacle changes what it shows (opened, emptied, ...): 3 variants per room.
          const variant = rand() < 0.4 ? 1 + Math.floor(rand() * 3) : 0;
          anchor = variant === 0 ? rooms[room] : `${rooms[room]} ${VARIANTS[variant - 1]}`;
        }
        const invalid = rand() < 0.05;
        steps.push({
          anchor,
          stateKey: `${g}:${room}:${t % 3}`,
          action: `go to ${FURNITURE[(room + ROOMS) % FURNITURE.length]}`,
          candidates: FURNITURE.map((f) => `go to ${f}`),
          logpOld: -Math.log(FURNITURE.length),
          reward: success && t === STEPS - 1 ? 10 : 0,
          invalid,
        });
      }
      rows.push(...trajectoryRows(`group-${g}`, `group-${g}/traj-${c}`, steps));
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Timing.

interface Case {
  name: string;
  estimator: AdvantageEstimatorName;
  options: AdvantageOptions;
}

const CASES: Case[] = [
  { name: 'grpo (baseline)', estimator: 'grpo', options: {} },
  { name: 'rloo', estimator: 'rloo', options: {} },
  { name: 'gigpo exact anchors', estimator: 'gigpo', options: {} },
  { name: 'gigpo stateKey anchors', estimator: 'gigpo', options: { anchorKey: 'stateKey' } },
  { name: 'gigpo similarity 0.95', estimator: 'gigpo', options: { enableSimilarity: true, similarityThreshold: 0.95 } },
];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const gc = (globalThis as { gc?: () => void }).gc;

function stepGroupCount(rows: readonly StepRow[], c: Case): string {
  const step = ESTIMATORS[c.estimator](rows, c.options).stats.step;
  return step === null ? '-' : String(step.stepGroups);
}

function timeCase(json: string, c: Case): number[] {
  const fn = ESTIMATORS[c.estimator];
  const times: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const rows = JSON.parse(json) as StepRow[];
    gc?.();
    const start = process.hrtime.bigint();
    fn(rows, c.options);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run >= WARMUP) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

const rows = makeRows(1);
const json = JSON.stringify(rows);
const { stats } = ESTIMATORS.gigpo(rows);
const step = stats.step!;
console.log(
  `rows ${stats.rows} (${GROUPS} groups × ${COPIES} × ${STEPS} steps), ${step.stepGroups} step groups, ` +
    `mean size ${step.meanStepGroupSize.toFixed(1)}, max ${step.maxStepGroupSize}, ` +
    `singletons ${(100 * step.fracSingletonStepGroups).toFixed(1)}%; ${RUNS} runs after ${WARMUP} warm-up; gc between runs: ${gc ? 'yes' : 'no'}; node ${process.version}`,
);

const results = CASES.map((c) => ({ c, times: timeCase(json, c) }));
const baseline = quantile(results[0].times, 0.5);
console.log('');
console.log('| case                     | median ms | p10 ms | p90 ms | × grpo | step groups |');
console.log('|--------------------------|-----------|--------|--------|--------|-------------|');
for (const { c, times } of results) {
  const median = quantile(times, 0.5);
  console.log(
    `| ${c.name.padEnd(24)} | ${median.toFixed(3).padStart(9)} | ${quantile(times, 0.1).toFixed(3).padStart(6)} | ` +
      `${quantile(times, 0.9).toFixed(3).padStart(6)} | ${(median / baseline).toFixed(2).padStart(6)} | ` +
      `${stepGroupCount(rows, c).padStart(11)} |`,
  );
}
const gigpo = quantile(results[2].times, 0.5);
console.log('');
console.log(`gigpo exact anchors: median ${gigpo.toFixed(3)} ms for ${stats.rows} rows; target <= ${TARGET_MS} ms: ${gigpo <= TARGET_MS ? 'PASS' : 'FAIL'}`);
