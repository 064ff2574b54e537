/**
 * Store write benchmark: `recordIteration` of one iteration of 128 episodes x 50 steps (6,400 step
 * rows) against a raw better-sqlite3 baseline measured in the same run — the same rows, already
 * serialised, through one prepared INSERT in one transaction into a table of the same shape.
 *
 * Both write to WAL files with the store's pragmas in a temp dir; rounds alternate between the two
 * so they see the same machine noise. Target (issue): store write <= 50 ms per iteration.
 *
 * Run: npx tsx scripts/bench-store.ts [--rounds 15] [--episodes 128] [--steps 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Rng } from '../envs/core/rng.js';
import { ActionVocab, encodeStep, episodeGoal, STEP_COLUMNS } from '../replay/codec.js';
import { openStore } from '../replay/store.js';
import type { EpisodeRecord, EpisodeStep } from '../replay/types.js';

const args = parseArgs(process.argv.slice(2));
const ROUNDS = args.rounds ?? 15;
const WARMUP = 3;
const EPISODES = args.episodes ?? 128;
const STEPS = args.steps ?? 50;
const TARGET_MS = 50;

// ---------------------------------------------------------------------------------------------
// Synthetic household-like iteration: ~250-char observations, 15 admissible actions (= the
// candidates), anchor = text, goal once per episode, a probability per candidate, GiGPO fields.

const ROOMS = ['kitchen', 'livingroom', 'bedroom', 'bathroom', 'hallway'];
const OBJECTS = ['apple', 'mug', 'knife', 'book', 'towel', 'lamp', 'plate', 'pan', 'key', 'remote'];
const PLACES = ['countertop 1', 'cabinet 2', 'drawer 3', 'fridge 1', 'shelf 4', 'sinkbasin 1', 'table 1'];

function makeIteration(rng: Rng, iteration: number): EpisodeRecord[] {
  const episodes: EpisodeRecord[] = [];
  const groupSize = 8;
  for (let e = 0; e < EPISODES; e++) {
    const group = Math.floor(e / groupSize);
    const goal = `Your task is to: put a clean ${OBJECTS[group % OBJECTS.length]} in ${PLACES[group % PLACES.length]}.`;
    const steps: EpisodeStep[] = [];
    let ret = 0;
    for (let t = 0; t < STEPS; t++) {
      const room = ROOMS[rng.int(ROOMS.length)]!;
      const text =
        `You are in the ${room}. Looking quickly around you, you see ` +
        Array.from({ length: 6 }, () => `a ${PLACES[rng.int(PLACES.length)]}`).join(', ') +
        `. On the ${PLACES[rng.int(PLACES.length)]}, you see a ${OBJECTS[rng.int(OBJECTS.length)]} and a ${OBJECTS[rng.int(OBJECTS.length)]}.`;
      const actions = Array.from({ length: 15 }, (_, i) =>
        i % 3 === 0 ? `go to ${PLACES[i % PLACES.length]}` : `take ${OBJECTS[i % OBJECTS.length]} from ${PLACES[(i + 1) % PLACES.length]}`,
      );
      const raw = actions.map(() => rng.next() + 0.01);
      const sum = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((x) => x / sum);
      const a = rng.int(actions.length);
      const last = t === STEPS - 1;
      const reward = last && rng.next() < 0.3 ? 10 : 0;
      ret += reward;
      steps.push({
        t,
        observation: { text, actions, anchor: text, goal },
        candidates: actions,
        action: actions[a]!,
        logp: Math.log(probs[a]!),
        probs,
        reward,
        rewardComponents: { success: reward, invalid: 0 },
        terminated: last,
        truncated: false,
        invalid: null,
        advantage: rng.next() * 2 - 1,
        episodeAdvantage: rng.next() * 2 - 1,
        stepAdvantage: rng.next() * 2 - 1,
        anchorGroup: `${group}:${rng.int(20)}`,
        stateKey: rng.int(2 ** 31).toString(16).padStart(8, '0') + rng.int(2 ** 31).toString(16).padStart(8, '0'),
        info: {},
      });
    }
    episodes.push({
      envId: 'household-v1',
      taskId: `train:${group}`,
      taskType: 'pick_clean_then_place',
      split: 'train',
      taskIndex: group,
      seed: iteration * 1000 + group,
      groupId: `${iteration}:${group}`,
      trajId: `${iteration}:${e}`,
      return: ret,
      success: ret > 0,
      terminated: true,
      truncated: false,
      invalidActionPolicy: 'noop',
      startedAt: Date.now(),
      finishedAt: Date.now(),
      steps,
    });
  }
  return episodes;
}

// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-store-'));
try {
  const store = openStore(join(dir, 'store.db'));
  const runId = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo' });

  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -16384');
  raw.exec(`CREATE TABLE steps (
    id INTEGER PRIMARY KEY, episode_id INTEGER NOT NULL, t INTEGER NOT NULL, obs_text TEXT NOT NULL, obs_anchor TEXT,
    obs_actions BLOB, obs_extra TEXT, candidates BLOB NOT NULL, action TEXT NOT NULL, logp REAL, probs BLOB,
    reward REAL NOT NULL, reward_components TEXT, terminated INTEGER NOT NULL, truncated INTEGER NOT NULL,
    invalid_code TEXT, invalid_detail TEXT, advantage REAL, episode_advantage REAL, step_advantage REAL,
    anchor_group TEXT, state_key TEXT, info TEXT) STRICT;
    CREATE UNIQUE INDEX steps_episode_t ON steps (episode_id, t);`);
  const insert = raw.prepare(`INSERT INTO steps (${STEP_COLUMNS.join(', ')}) VALUES (${STEP_COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = raw.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...row);
  });

  const rng = new Rng(7);
  const rawMs: number[] = [];
  const storeMs: number[] = [];
  const rawCpu: number[] = [];
  const storeCpu: number[] = [];
  let rawEpisode = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const episodes = makeIteration(rng, round);
    // Baseline: the very same step rows, serialised before the clock starts.
    const rows: unknown[][] = [];
    for (const ep of episodes) {
      rawEpisode++;
      const goal = episodeGoal(ep);
      const vocab = new ActionVocab();
      for (const s of ep.steps) rows.push(encodeStep(s, goal, vocab, rawEpisode));
    }
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    insertAll(rows);
    const r = performance.now() - t0;
    const rc = cpuMs(c0);
    t0 = performance.now();
    c0 = process.cpuUsage();
    store.recordIteration(runId, round, { successRate: 0.3, loss: 0.1 }, episodes);
    const s = performance.now() - t0;
    const sc = cpuMs(c0);
    if (round >= WARMUP) {
      rawMs.push(r);
      storeMs.push(s);
      rawCpu.push(rc);
      storeCpu.push(sc);
    }
  }
  const steps = store.db.prepare('SELECT count(*) FROM steps').pluck().get() as number;
  store.close();
  raw.close();

  const rawMed = median(rawMs);
  const storeMed = median(storeMs);
  const rowsPerIter = EPISODES * STEPS;
  console.log(`store write per iteration: ${EPISODES} episodes x ${STEPS} steps = ${rowsPerIter} step rows; ${ROUNDS} rounds after ${WARMUP} warm-up; ${steps} steps in the store at the end`);
  console.log('');
  console.log('| variant                                              | median ms | min ms | max ms | cpu ms | rows/s    | ratio |');
  console.log('|------------------------------------------------------|-----------|--------|--------|--------|-----------|-------|');
  row('raw better-sqlite3 INSERT, pre-serialised, 1 txn', rawMs, rawCpu, rawMed);
  row('store.recordIteration (serialise + episodes + steps)', storeMs, storeCpu, rawMed);
  console.log('');
  console.log('median/min/max: wall clock; cpu: median process CPU time (less sensitive to a busy machine); ratio: median vs raw');
  console.log(`target: recordIteration <= ${TARGET_MS} ms per ${rowsPerIter}-step iteration -> ${storeMed <= TARGET_MS ? 'MET' : 'NOT MET'} (median ${storeMed.toFixed(1)} ms)`);

  function row(name: string, xs: number[], cpu: number[], base: number): void {
    const med = median(xs);
    console.log(
      `| ${name.padEnd(52)} | ${med.toFixed(1).padStart(9)} | ${Math.min(...xs).toFixed(1).padStart(6)} | ${Math.max(...xs).toFixed(1).padStart(6)} | ${median(cpu).toFixed(1).padStart(6)} | ${Math.round((rowsPerIter / med) * 1000).toString().padStart(9)} | ${(med / base).toFixed(2).padStart(5)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function parseArgs(argv: string[]): { rounds?: number; episodes?: number; steps?: number } {
  const out: { rounds?: number; episodes?: number; steps?: number } = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if ((key === 'rounds' || key === 'episodes' || key === 'steps') && Number.isInteger(value) && value > 0) out[key] = value;
    else throw new RangeError(`Unknown or bad argument '${argv[i]} ${argv[i + 1]}'. Use --rounds N, --episodes N, --steps N.`);
  }
  return out;
}
