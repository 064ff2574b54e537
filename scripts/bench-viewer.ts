/**
 * Viewer benchmark: page loads on a store of one million steps (20,000 episodes × 50 steps, one
 * GiGPO run of 250 iterations × 80 episodes in groups of 8), against the raw `getEpisode` call
 * measured in the same run.
 *
 * "Page load" is a full HTTP GET over loopback — routing, store reads, the anchor-group query,
 * HTML rendering and the whole body read by the client — for random episodes. Target (issue 5):
 * a 50-step episode page ≤ 200 ms.
 *
 * The store is built once with batched inserts (one transaction per iteration) in
 * os.tmpdir()/ludus-bench-viewer-1M.db and reused by later runs (`--rebuild` to build it again).
 *
 * Run: npm run bench:viewer [-- --rounds 300 --rebuild]
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../envs/core/rng.js';
import { openStore } from '../replay/store.js';
import type { EpisodeRecord, EpisodeStep } from '../replay/types.js';
import { startViewer } from '../replay/viewer/server.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const ROUNDS = num('rounds', 300);
const WARMUP = 30;
const ITERATIONS = 250;
const EPISODES_PER_ITERATION = 80;
const STEPS = 50;
const GROUP = 8;
const TARGET_MS = 200;
const DB = join(tmpdir(), 'ludus-bench-viewer-1M.db');

const TYPES = ['pick_and_place', 'look_at_obj_in_light', 'pick_clean_then_place', 'pick_heat_then_place', 'pick_cool_then_place', 'pick_two_obj'];
const ROOMS = ['kitchen', 'bedroom', 'bathroom', 'living room', 'office'];
const THINGS = ['apple', 'mug', 'book', 'pen', 'towel', 'plate', 'knife', 'lamp', 'vase', 'key', 'cd', 'pillow'];
const SPOTS = ['desk 1', 'drawer 2', 'shelf 3', 'fridge 1', 'sinkbasin 1', 'countertop 2', 'cabinet 4', 'bed 1'];

function iterationRecords(rng: Rng, it: number): EpisodeRecord[] {
  const out: EpisodeRecord[] = [];
  for (let g = 0; g < EPISODES_PER_ITERATION / GROUP; g++) {
    const type = TYPES[rng.int(TYPES.length)]!;
    const goal = `put a ${THINGS[rng.int(THINGS.length)]} in ${SPOTS[rng.int(SPOTS.length)]}.`;
    const seed = rng.int(2 ** 31);
    const taskIndex = rng.int(3553);
    for (let k = 0; k < GROUP; k++) {
      const steps: EpisodeStep[] = [];
      const success = rng.next() < 0.3;
      for (let t = 0; t < STEPS; t++) {
        // Few distinct states per group, so anchor groups are shared across its trajectories.
        const state = rng.int(12);
        const text =
          `You are in the ${ROOMS[state % ROOMS.length]}. Looking quickly around you, you see ` +
          SPOTS.slice(0, 3 + (state % 5)).map((s) => `a ${s}`).join(', ') +
          `. On the ${SPOTS[state % SPOTS.length]}, you see a ${THINGS[state % THINGS.length]} and a ${THINGS[(state + 3) % THINGS.length]}.`;
        const actions = Array.from({ length: 15 }, (_, i) => (i < 8 ? `go to ${SPOTS[i]}` : `take ${THINGS[(state + i) % THINGS.length]} from ${SPOTS[state % SPOTS.length]}`));
        const w = actions.map(() => rng.next() ** 3 + 1e-3);
        const z = w.reduce((a, b) => a + b, 0);
        const probs = w.map((x) => x / z);
        const a = rng.weighted(probs);
        const last = t === STEPS - 1;
        const ea = success ? 0.8 : -0.3;
        const sa = rng.next() - 0.5;
        steps.push({
          t,
          observation: { text, actions, anchor: text, goal },
          candidates: actions,
          action: actions[a]!,
          logp: Math.log(probs[a]!),
          probs,
          reward: last && success ? 1 : 0,
          rewardComponents: { found: state % 2, picked: 0, placed: 0, success: last && success ? 1 : 0 },
          terminated: last && success,
          truncated: last && !success,
          advantage: ea + sa,
          episodeAdvantage: ea,
          stepAdvantage: sa,
          anchorGroup: String(state),
          stateKey: `${g.toString(16)}${state.toString(16).padStart(14, '0')}`,
          info: { elapsedSteps: t + 1 },
        });
      }
      out.push({
        envId: 'household-v1',
        taskId: `household/train/${String(taskIndex).padStart(5, '0')}`,
        taskType: type,
        split: 'train',
        taskIndex,
        seed,
        groupId: `i${it}g${g}`,
        trajId: `i${it}g${g}/${k}`,
        return: success ? 1 : 0,
        success,
        terminated: success,
        truncated: !success,
        invalidActionPolicy: 'noop',
        startedAt: Date.now(),
        finishedAt: Date.now(),
        finalObservation: { text: 'done', actions: [], anchor: 'done', goal },
        steps,
      });
    }
  }
  return out;
}

function buildStore(): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(DB + suffix, { force: true });
  const t0 = performance.now();
  const store = openStore(DB);
  try {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo', name: 'bench-1M', config: { groups: EPISODES_PER_ITERATION / GROUP, groupSize: GROUP, maxSteps: STEPS, envOptions: { difficulty: 'easy' } }, backend: 'cpu' });
    const rng = new Rng('bench-viewer');
    let genMs = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const g0 = performance.now();
      const episodes = iterationRecords(rng, it);
      genMs += performance.now() - g0;
      const sr = episodes.filter((e) => e.success).length / episodes.length;
      store.recordIteration(runId, it, { successRate: sr, meanReturn: sr, loss: 1 / (it + 1), kl: 0.01, entropy: 1, clipFraction: 0.05, stepsPerSecond: 5000 }, episodes);
      if ((it + 1) % 50 === 0) process.stderr.write(`  built ${(it + 1) * EPISODES_PER_ITERATION * STEPS} steps\n`);
    }
    store.updateRunStatus(runId, 'finished');
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`built ${DB} in ${s.toFixed(1)} s (${(genMs / 1000).toFixed(1)} s generating records)\n`);
  } finally {
    store.close();
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(name: string, fn: (i: number) => Promise<unknown> | unknown): Promise<{ name: string; p50: number; p99: number; mean: number }> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn(i + WARMUP);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { name, p50: quantile(times, 0.5), p99: quantile(times, 0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

async function main(): Promise<void> {
  let reuse = existsSync(DB) && !flag('rebuild');
  if (reuse) {
    const store = openStore(DB, { readonly: true });
    const steps = store.db.prepare('SELECT count(*) FROM steps').pluck().get() as number;
    store.close();
    reuse = steps === ITERATIONS * EPISODES_PER_ITERATION * STEPS;
  }
  if (!reuse) buildStore();
  else process.stderr.write(`reusing ${DB} (--rebuild to build it again)\n`);

  const store = openStore(DB, { readonly: true });
  const viewer = await startViewer({ store, port: 0, host: '127.0.0.1' });
  try {
    const steps = store.db.prepare('SELECT count(*) FROM steps').pluck().get() as number;
    const episodes = store.countEpisodes();
    const rng = new Rng('bench-viewer-reads');
    const ids = Array.from({ length: ROUNDS + WARMUP }, () => 1 + rng.int(episodes));
    const get = async (path: string) => {
      const res = await fetch(viewer.url + path);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      return body;
    };
    const sample = await get(`/episodes/${ids[0]}`);
    const rows = [
      await measure('baseline: store.getEpisode(id) (raw read + decode, no render)', (i) => store.getEpisode(ids[i]!)),
      await measure('episode page, handler only (reads + anchor groups + render)', (i) => viewer.handle('GET', `/episodes/${ids[i]}`)),
      await measure('**episode page, HTTP GET /episodes/:id (50 steps)**', (i) => get(`/episodes/${ids[i]}`)),
      await measure('group page, HTTP GET /group (8 × 50 steps)', (i) => {
        const e = store.getEpisode(ids[i]!)!;
        return get(`/group?run=1&iteration=${e.iteration}&group=${e.groupId}`);
      }),
      await measure('episodes table, first page (50 rows + count)', () => get('/episodes')),
      await measure('episodes table, filtered run+type+success, deep cursor', (i) => get(`/episodes?run=1&taskType=${TYPES[i % TYPES.length]}&success=true&cursor=${ids[i]}`)),
      await measure('run page + /api/iterations (250 iterations)', async () => {
        await get('/runs/1');
        await get('/api/iterations?runs=1');
      }),
    ];
    const episodePage = rows[2]!;
    console.log(`\nviewer on ${steps.toLocaleString('en-US')} steps / ${episodes.toLocaleString('en-US')} episodes (${ROUNDS} rounds after ${WARMUP} warm-up; episode page ≈ ${Math.round(sample.length / 1024)} KiB of HTML)\n`);
    console.log('| what | p50 ms | p99 ms | mean ms |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} |`);
    const ok = episodePage.p99 <= TARGET_MS;
    console.log(`\nepisode page load p99 ${episodePage.p99.toFixed(1)} ms vs target ≤ ${TARGET_MS} ms: ${ok ? 'PASS' : 'FAIL'}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await viewer.close();
    store.close();
  }
}

await main();
