/**
 * A small but real run store for the viewer, export and verify tests:
 * - run 1: a 'gigpo' train run of household-v1 (easy, 10-step limit): 3 iterations × 2 groups × 3
 *   trajectories, really played (so `verify` re-simulates them), with probabilities, GiGPO
 *   advantages and anchor groups (steps of a group that saw the same observation share one);
 * - run 2: a 'grpo' train run with curves and one iteration of episodes (to overlay);
 * - run 3: a 'play' run holding one hostile episode: `<script>` / `<img onerror>` in the
 *   observation, the action, the goal and the task id, a screenshot and a seat.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import '../../../envs/builtin.js';
import { make } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import type { JsonObject, Observation } from '../../../envs/core/types.js';
import { stepFromResult } from '../../../replay/codec.js';
import { openStore } from '../../../replay/store.js';
import type { EpisodeRecord, EpisodeStep } from '../../../replay/types.js';

export const HOSTILE_SCRIPT = `<script>window.__pwned = 1; alert('xss-script')</script>`;
export const HOSTILE_IMG = `<img src=x onerror="window.__pwned = 2; alert('xss-img')">`;
/** A 24×16 PNG (red to blue stripes), base64 — a stand-in for a browser env's screenshot. */
export const PNG_SCREENSHOT = makePng(24, 16);

function makePng(w: number, h: number): string {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (1 + 3 * w) + 1 + 3 * x;
      rows[o] = Math.round((255 * (w - 1 - x)) / (w - 1));
      rows[o + 2] = Math.round((255 * x) / (w - 1));
    }
  }
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
  return png.toString('base64');
}

export interface Fixture {
  db: string;
  gigpoRun: number;
  grpoRun: number;
  playRun: number;
  hostileEpisode: number;
  /** Episode ids of the gigpo run, in order. */
  gigpoEpisodes: number[];
}

const ENV_OPTIONS = { difficulty: 'easy' };
const MAX_STEPS = 10;

async function playGroup(rng: Rng, iteration: number, g: number, copies: number): Promise<EpisodeRecord[]> {
  const task = { split: 'train', index: rng.int(3553) };
  const seed = rng.int(2 ** 31);
  const groupId = `i${iteration}g${g}`;
  const anchors = new Map<string, number>();
  const anchorOf = (obs: Observation) => {
    let a = anchors.get(obs.anchor);
    if (a === undefined) anchors.set(obs.anchor, (a = anchors.size));
    return String(a);
  };
  const episodes: EpisodeRecord[] = [];
  for (let k = 0; k < copies; k++) {
    const env = make('household-v1', { ...ENV_OPTIONS, maxEpisodeSteps: MAX_STEPS });
    const startedAt = Date.now();
    const reset = await env.reset({ seed, task });
    let obs = reset.observation;
    const steps: EpisodeStep[] = [];
    let ret = 0;
    let last = null as Awaited<ReturnType<typeof env.step>> | null;
    for (let t = 0; t < MAX_STEPS; t++) {
      const candidates = obs.actions;
      const logits = candidates.map(() => rng.next());
      const z = logits.reduce((s, x) => s + Math.exp(x), 0);
      const probs = logits.map((x) => Math.exp(x) / z);
      // The copies agree on the first action, then diverge.
      const i = t === 0 ? 0 : rng.weighted(probs);
      const action = candidates[i]!;
      const result = await env.step(action);
      ret += result.reward;
      steps.push(
        stepFromResult(t, obs, action, result, {
          candidates,
          probs,
          logp: Math.log(probs[i]!),
          episodeAdvantage: 0,
          stepAdvantage: Number((rng.next() - 0.5).toFixed(3)),
          anchorGroup: anchorOf(obs),
        }),
      );
      obs = result.observation;
      last = result;
      if (result.terminated || result.truncated) break;
    }
    await env.close();
    const taskInfo = reset.info.task as { id: string; type?: string } | undefined;
    episodes.push({
      envId: 'household-v1',
      taskId: taskInfo?.id ?? 'default',
      taskType: taskInfo?.type ?? null,
      split: task.split,
      taskIndex: task.index,
      seed,
      groupId,
      trajId: `${groupId}/${k}`,
      return: ret,
      success: last?.info.success === true,
      terminated: last?.terminated ?? false,
      truncated: last?.truncated ?? false,
      invalidActionPolicy: reset.info.invalidActionPolicy ?? 'noop',
      startedAt,
      finishedAt: Date.now(),
      finalObservation: obs,
      info: { initialObservation: reset.observation as unknown as JsonObject },
      steps,
    });
  }
  // Episode part of the advantage: return minus the group mean.
  const mean = episodes.reduce((s, e) => s + e.return, 0) / episodes.length;
  for (const e of episodes) {
    for (const s of e.steps) {
      s.episodeAdvantage = e.return - mean;
      s.advantage = Number(((s.episodeAdvantage ?? 0) + (s.stepAdvantage ?? 0)).toFixed(6));
    }
  }
  return episodes;
}

function hostileEpisode(): EpisodeRecord {
  const text = `You see ${HOSTILE_SCRIPT} on the table and ${HOSTILE_IMG} on the wall.`;
  const actions = [HOSTILE_IMG, 'look', `say ${HOSTILE_SCRIPT}`];
  const goal = `<b>win</b> ${HOSTILE_SCRIPT}`;
  const obs = (t: string, extra: Partial<Observation> = {}): Observation => ({ text: t, actions, anchor: t, goal, ...extra });
  return {
    envId: 'household-v1',
    taskId: `<svg onload="alert('xss-task')">`,
    taskType: '<i>type</i>',
    split: 'train',
    taskIndex: 0,
    seed: 1,
    seat: 1,
    return: 1,
    success: true,
    terminated: true,
    truncated: false,
    invalidActionPolicy: 'noop',
    startedAt: Date.now(),
    finishedAt: Date.now(),
    finalObservation: obs(`The end. ${HOSTILE_IMG}`),
    info: { note: HOSTILE_SCRIPT },
    steps: [
      {
        t: 0,
        observation: obs(text, { screenshot: PNG_SCREENSHOT, seat: 1, url: `javascript:alert('xss-url')` }),
        candidates: actions,
        action: HOSTILE_IMG,
        probs: [0.7, 0.2, 0.1],
        reward: 0,
        terminated: false,
        truncated: false,
        invalid: { code: 'UNKNOWN_VERB', message: `I do not know ${HOSTILE_SCRIPT}`, suggestions: [HOSTILE_IMG] },
        info: { echo: HOSTILE_IMG },
      },
      {
        t: 1,
        observation: obs(`Still ${HOSTILE_SCRIPT}`),
        candidates: actions,
        action: `say ${HOSTILE_SCRIPT}`,
        probs: [0.1, 0.1, 0.8],
        reward: 1,
        terminated: true,
        truncated: false,
      },
    ],
  };
}

/** Builds the fixture store in a fresh temp dir (≈1 s). */
export async function buildFixture(): Promise<Fixture> {
  const db = join(mkdtempSync(join(tmpdir(), 'ludus-viewer-')), 'fixture.db');
  const store = openStore(db);
  try {
    const rng = new Rng('viewer-fixture');
    const config = { env: 'household-v1', algo: 'gigpo', envOptions: ENV_OPTIONS, maxSteps: MAX_STEPS, groups: 2, groupSize: 3, iterations: 3, lr: 0.001, seed: 0 };
    const gigpoRun = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo', name: 'fixture-gigpo', config, backend: 'cpu' });
    const gigpoEpisodes: number[] = [];
    for (let it = 0; it < 3; it++) {
      const episodes = [...(await playGroup(rng, it, 0, 3)), ...(await playGroup(rng, it, 1, 3))];
      const metrics = {
        successRate: episodes.filter((e) => e.success).length / episodes.length,
        meanReturn: episodes.reduce((s, e) => s + e.return, 0) / episodes.length,
        loss: 0.5 - it * 0.1,
        kl: 0.01 * (it + 1),
        entropy: 1.2 - it * 0.1,
        clipFraction: 0.05 * it,
        stepsPerSecond: 1000 + it * 100,
        wallTimeMs: 120,
        'charts/env_steps': 100 * (it + 1),
      };
      gigpoEpisodes.push(...store.recordIteration(gigpoRun, it, metrics, episodes));
    }
    store.updateRunStatus(gigpoRun, 'finished');

    const grpoRun = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'grpo', name: 'fixture-grpo', config: { ...config, algo: 'grpo' }, backend: 'cpu' });
    for (let it = 0; it < 4; it++) {
      const episodes = it === 0 ? await playGroup(rng, it, 0, 2) : [];
      store.recordIteration(grpoRun, it, { successRate: 0.1 * it, meanReturn: 0.1 * it, loss: 0.6 - it * 0.05, kl: 0.02, entropy: 1.1, clipFraction: 0.01, stepsPerSecond: 900, 'charts/env_steps': 70 * (it + 1) }, episodes);
    }
    store.updateRunStatus(grpoRun, 'finished');

    const playRun = store.createRun({ kind: 'play', envId: 'household-v1', name: `hostile ${HOSTILE_SCRIPT}`, config: { seed: 1, options: {} } });
    const hostile = store.recordEpisode(playRun, hostileEpisode());
    store.updateRunStatus(playRun, 'finished');
    return { db, gigpoRun, grpoRun, playRun, hostileEpisode: hostile, gigpoEpisodes };
  } finally {
    store.close();
  }
}
