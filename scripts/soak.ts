/**
 * Soak: the properties the hardening issue measured, kept true. Loopback only.
 *
 *   fuzz      N fuzzed frames (broken JSON, wrong types, bad ids, batches, deep nesting, binary
 *             frames, invalid UTF-8) at a real `ludus serve` process: it never crashes, every
 *             request that needs an answer gets exactly one (same id), notifications get none
 *   sessions  S sessions × K steps in batched rounds: no errors; after every session is closed the
 *             server holds no session and its heap is back where it was (flat across two cycles)
 *   kills     a real `ludus train` SIGKILLed at random moments, each time resumed with --resume:
 *             the store passes SQLite's integrity check, holds only whole iterations, reads the
 *             dead run as crashed, and in the end has every iteration 0..I-1 and a finished run
 *   hostile   script/markup in recorded text and in queries stays inert in the replay viewer and
 *             the shop site (escaped; CSP and nosniff on every page)
 *   binds     non-loopback binds are refused without a token (env server, `ludus serve`,
 *             `ludus shop serve`)
 *
 * The CI test (tests/scripts/soak.test.ts) runs every phase small (well under a minute);
 * `npm run soak` runs the sizes the issue measured: `npx tsx scripts/soak.ts [--frames 100000]
 * [--sessions 256] [--steps 1000] [--kills 19] [--seed 1] [--only fuzz,sessions,...]`.
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { main as cliMain } from '../cli/main.js';
import { registerBuiltinEnvs } from '../envs/builtin.js';
import { RemoteEnvClient, type RemoteEnv } from '../envs/client/index.js';
import { Rng } from '../envs/core/rng.js';
import type { Observation } from '../envs/core/types.js';
import { EnvServer, startServer } from '../envs/server/index.js';
import { openCatalog } from '../envs/shop/catalog.js';
import { startShopSite } from '../envs/shop/site.js';
import { openStore } from '../replay/store.js';
import { startViewer } from '../replay/viewer/server.js';

const BIN = fileURLToPath(new URL('../bin/ludus.js', import.meta.url));

export interface SoakSizes {
  /** Fuzzed frames sent to the server. */
  frames: number;
  /** Sessions stepped at once. */
  sessions: number;
  /** Steps per session. */
  steps: number;
  /** SIGKILLs of a training run (each followed by --resume). */
  kills: number;
  seed: number;
}

/** What the issue measured. */
export const FULL_SOAK: SoakSizes = { frames: 100_000, sessions: 256, steps: 1000, kills: 19, seed: 1 };
/** The CI test's sizes: every property checked, in seconds. */
export const CI_SOAK: SoakSizes = { frames: 3000, sessions: 64, steps: 60, kills: 2, seed: 1 };

/** A property that did not hold. */
export class SoakFailure extends Error {
  override name = 'SoakFailure';
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new SoakFailure(message);
}

type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------
// fuzz

export interface FuzzResult {
  frames: number;
  /** Replies checked against what each frame required. */
  answers: number;
  /** Connections the server closed on purpose (invalid UTF-8), all reopened. */
  closedOnPurpose: number;
  /** The server process is alive and wrote nothing to stderr. */
  crashes: number;
}

interface Expectation {
  ids: (string | number)[];
  nulls: number;
  /** The server must close this connection (invalid UTF-8 text frame). */
  closes?: boolean;
}

/** Fuzzed frames, each with the answers it requires. Deterministic per seed. */
class FrameFuzzer {
  private next = 0;
  constructor(
    private readonly rng: Rng,
    private readonly sessions: string[],
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[this.rng.int(xs.length)]!;
  }

  private id(): number | string {
    this.next += 1;
    return this.rng.int(2) === 0 ? this.next : `f${this.next}`;
  }

  private junk(depth = 0): unknown {
    switch (this.rng.int(depth > 2 ? 6 : 9)) {
      case 0:
        return null;
      case 1:
        return this.rng.int(2) === 0;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 60), 1e308, 42]);
      case 3:
        return this.pick(['', 'look', 'x'.repeat(this.rng.int(2000)), '\u0000\uffff', '😀 ünïcödé', '<script>alert(1)</script>', '{"a":']);
      case 4:
        return this.pick(this.sessions);
      case 5:
        return 's_unknown';
      case 6:
        return Array.from({ length: this.rng.int(4) }, () => this.junk(depth + 1));
      case 7:
        return Object.fromEntries(Array.from({ length: this.rng.int(4) }, (_, i) => [this.pick(['session', 'action', 'seed', 'task', 'state', 'env', `k${i}`]), this.junk(depth + 1)]));
      default:
        return this.nested(this.rng.int(3) === 0 ? 5000 : 80);
    }
  }

  /**
   * A value nested `depth` levels deep, as a placeholder that `serialize` expands into text (no
   * JSON.stringify here can walk thousands of levels).
   */
  private nested(depth: number): unknown {
    return `${DEEP}${depth}:${this.rng.int(2)}`;
  }

  private params(method: string): unknown {
    const session = this.rng.int(4) === 0 ? this.junk() : this.pick(this.sessions);
    const mutate = (p: Record<string, unknown>) => {
      if (this.rng.int(3) === 0) {
        const keys = Object.keys(p);
        if (keys.length > 0 && this.rng.int(2) === 0) delete p[this.pick(keys)];
        else p[this.pick(['extra', 'session', 'action', 'seed', 'copies', 'state'])] = this.junk();
      }
      return this.rng.int(12) === 0 ? this.junk() : p;
    };
    switch (method) {
      case 'session.open':
        return mutate({ env: this.pick(['household-v1', 'household-v2', 'toy', '']), copies: this.pick([1, 2, 0, 65, 1.5]) });
      case 'session.reset':
        return mutate({ session, seed: this.rng.int(100), task: this.pick([{ split: 'train', index: this.rng.int(10) }, 'household/train/00001', { split: 'nope', index: 0 }, { index: -1 }]) });
      case 'session.step':
        return mutate({ session, action: this.pick(['look', 'inventory', 'go to drawer 1', '', 'x'.repeat(300), 'take apple 1 from countertop 1']) });
      case 'session.restore':
        return mutate({ session, state: this.rng.int(3) === 0 ? this.nested(3000) : this.junk() });
      case 'session.snapshot':
      case 'session.close':
        return mutate({ session });
      default:
        return mutate({});
    }
  }

  /** One request object (or not quite one) and the answer it needs. */
  private message(): { value: unknown; id?: string | number; nullReply: boolean } {
    const method = this.pick(['envs.list', 'session.open', 'session.reset', 'session.step', 'session.step', 'session.step', 'session.snapshot', 'session.restore', 'nope.method', 'session.close']);
    const roll = this.rng.int(20);
    if (roll === 0) {
      const junk = this.junk();
      return { value: Array.isArray(junk) ? 0 : junk, nullReply: true }; // not a request object (an array would be a batch)
    }
    if (roll === 1) return { value: { jsonrpc: '2.0', method, params: this.params(method) }, nullReply: false }; // notification
    if (roll === 2) return { value: { jsonrpc: '2.0', id: this.pick([{}, [], 1.5, 2 ** 53 + 2, true]), method }, nullReply: true }; // bad id
    const id = this.id();
    const msg: Record<string, unknown> = { jsonrpc: roll === 3 ? '1.0' : '2.0', id, method: roll === 4 ? 7 : method };
    if (this.rng.int(8) !== 0) msg.params = this.params(method);
    return { value: msg, id, nullReply: false };
  }

  /** A frame: text or binary bytes, and what must come back. */
  frame(): { data: string | Buffer; binary: boolean; expect: Expectation } {
    // Rare: invalid UTF-8 ends the connection (the fuzzer then opens a new one).
    if (this.rng.int(400) === 0) return { data: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), binary: false, expect: { ids: [], nulls: 0, closes: true } };
    const roll = this.rng.int(40);
    if (roll === 0 || roll === 1) return { data: Buffer.from([0xff, 0xfe, 0x00]), binary: true, expect: { ids: [], nulls: 1 } };
    if (roll === 2) {
      const text = serialize(this.message().value);
      return { data: text.slice(0, Math.max(0, this.rng.int(text.length))), binary: false, expect: { ids: [], nulls: 1 } }; // truncated JSON
    }
    if (roll === 3) return { data: '[]', binary: false, expect: { ids: [], nulls: 1 } };
    if (roll < 10) {
      const items = Array.from({ length: 1 + this.rng.int(6) }, () => this.message());
      const expect: Expectation = { ids: [], nulls: 0 };
      for (const m of items) {
        if (m.id !== undefined && (m.value as { id?: unknown }).id === m.id) expect.ids.push(m.id);
        else if (m.nullReply) expect.nulls += 1;
      }
      return { data: serialize(items.map((m) => m.value)), binary: false, expect };
    }
    const m = this.message();
    return { data: serialize(m.value), binary: false, expect: m.id !== undefined ? { ids: [m.id], nulls: 0 } : { ids: [], nulls: m.nullReply ? 1 : 0 } };
  }
}

const DEEP = '\u0000deep:';

/** JSON text of `value`, with nested() placeholders expanded into deeply nested arrays/objects. */
function serialize(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"\\u0000deep:(\d+):(\d)"/g, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === '0' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

/** A raw connection that tallies the replies it gets against what was required. */
class Tally {
  readonly pendingIds = new Map<string, number>();
  nullsOwed = 0;
  answers = 0;
  unexpected: string[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.onFrame(data.toString()));
    this.closed = new Promise((resolve) => ws.once('close', (code) => ((this.closeCode = code), resolve())));
  }

  static async open(url: string): Promise<Tally> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('error', () => undefined);
    return new Tally(ws);
  }

  expect(e: Expectation): void {
    for (const id of e.ids) this.pendingIds.set(JSON.stringify(id), (this.pendingIds.get(JSON.stringify(id)) ?? 0) + 1);
    this.nullsOwed += e.nulls;
  }

  get settled(): boolean {
    return this.pendingIds.size === 0 && this.nullsOwed === 0;
  }

  private onFrame(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.unexpected.push(`a frame that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    for (const reply of Array.isArray(message) ? message : [message]) {
      const r = reply as { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: unknown };
      if (r.jsonrpc !== '2.0' || !('id' in r) || ('result' in r) === ('error' in r)) {
        this.unexpected.push(`a malformed reply: ${JSON.stringify(reply).slice(0, 120)}`);
        continue;
      }
      this.answers += 1;
      if (r.id === null) {
        if (this.nullsOwed > 0) this.nullsOwed -= 1;
        else this.unexpected.push(`an extra id-null reply: ${JSON.stringify(reply).slice(0, 160)}`);
        continue;
      }
      const key = JSON.stringify(r.id);
      const owed = this.pendingIds.get(key) ?? 0;
      if (owed === 0) this.unexpected.push(`a reply to id ${key} that was not owed`);
      else if (owed === 1) this.pendingIds.delete(key);
      else this.pendingIds.set(key, owed - 1);
    }
  }

  /** Waits until every owed reply came (or `ms` passed), then a moment more for extras. */
  async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.settled && this.closeCode === null && Date.now() < deadline) await sleep(5);
    await sleep(30);
  }
}

export async function soakFuzz(sizes: Pick<SoakSizes, 'frames' | 'seed'>, log: Log = () => undefined): Promise<FuzzResult> {
  const server = await spawnServe(['--max-payload', String(256 * 1024)]);
  const rng = new Rng(`soak-fuzz/${sizes.seed}`);
  let answers = 0;
  let closedOnPurpose = 0;
  let sent = 0;
  let reported = 0;
  try {
    while (sent < sizes.frames) {
      const conn = await Tally.open(server.url);
      // A few real sessions to aim at, opened on this connection.
      conn.expect({ ids: ['open'], nulls: 0 });
      const opened = JSON.parse(await request(conn.ws, { jsonrpc: '2.0', id: 'open', method: 'session.open', params: { env: 'household-v1', copies: 2 } })) as { result: { sessions: string[] } };
      const fuzzer = new FrameFuzzer(rng, opened.result.sessions);
      let closing = false;
      // Up to 500 frames per connection, then check the books before the next connection.
      for (let k = 0; k < 500 && sent < sizes.frames; k++) {
        const f = fuzzer.frame();
        sent += 1;
        if (f.expect.closes) {
          // Everything owed before it must still be answered, then the server closes (1007).
          await conn.drain(10_000);
          closing = true;
        }
        conn.expect(f.expect);
        conn.ws.send(f.data, { binary: f.binary });
        if (closing) break;
      }
      if (closing) {
        await Promise.race([conn.closed, sleep(5000)]);
        check(conn.closeCode === 1007, `the server should close a connection that sent invalid UTF-8 with 1007; got ${conn.closeCode}`);
        closedOnPurpose += 1;
      } else {
        await conn.drain(20_000);
        conn.ws.close();
        await conn.closed;
      }
      check(conn.unexpected.length === 0, `unexpected replies: ${conn.unexpected.slice(0, 3).join('; ')}`);
      check(conn.pendingIds.size === 0, `no reply to id(s) ${[...conn.pendingIds.keys()].slice(0, 5).join(', ')} (${conn.pendingIds.size} missing)`);
      check(conn.nullsOwed === 0, `${conn.nullsOwed} error reply(ies) with id null missing`);
      answers += conn.answers;
      check(server.alive(), `the server process exited during the fuzz: ${server.stderr()}`);
      if (Math.floor(sent / 10_000) > Math.floor(reported / 10_000)) log(`fuzz: ${sent} frames, ${answers} answers`);
      reported = sent;
    }
    // It still serves normally.
    const probe = await RemoteEnvClient.connect(server.url);
    check((await probe.listEnvs()).some((e) => e.id === 'household-v1'), 'the server no longer lists its envs after the fuzz');
    await probe.close();
    check(server.alive(), `the server process exited: ${server.stderr()}`);
    check(server.stderr() === '', `the server wrote to stderr: ${server.stderr().slice(0, 500)}`);
  } finally {
    await server.stop();
  }
  return { frames: sent, answers, closedOnPurpose, crashes: 0 };
}

// ---------------------------------------------------------------------------------------------
// sessions

export interface SessionsResult {
  sessions: number;
  steps: number;
  errors: number;
  /** Heap after the second open-step-close cycle minus after the first (after GC), bytes. */
  heapGrowthBytes: number;
  stepsPerSecond: number;
}

/** The bound on heap growth between two identical cycles. */
export const HEAP_GROWTH_LIMIT = 8 * 1024 * 1024;

export async function soakSessions(sizes: Pick<SoakSizes, 'sessions' | 'steps' | 'seed'>, log: Log = () => undefined): Promise<SessionsResult> {
  registerBuiltinEnvs();
  const gc = exposeGc();
  const server = await startServer({ port: 0, maxSessions: Math.max(1024, sizes.sessions), maxSessionsPerConnection: 256, idleTimeoutMs: 0 });
  let steps = 0;
  let ms = 0;
  try {
    const cycle = async () => {
      const clients: RemoteEnvClient[] = [];
      const groups: { client: RemoteEnvClient; envs: RemoteEnv[] }[] = [];
      for (let left = sizes.sessions; left > 0; left -= 256) {
        const client = await RemoteEnvClient.connect(server.url);
        clients.push(client);
        const envs: RemoteEnv[] = [];
        for (let n = Math.min(256, left); n > 0; n -= 64) envs.push(...(await client.open('household-v1', { difficulty: 'easy' }, Math.min(64, n))));
        groups.push({ client, envs });
      }
      const start = performance.now();
      await Promise.all(
        groups.map(async ({ client, envs }, g) => {
          const rng = new Rng(`soak-sessions/${sizes.seed}/${g}`);
          let seed = sizes.seed * 100_000 + g * 10_000;
          const seeds = envs.map(() => (seed += 1));
          let obs: Observation[] = (await client.resetMany(envs, seeds.map((s) => ({ seed: s % 500 })))).map((r) => r.observation);
          for (let k = 0; k < sizes.steps; k++) {
            const results = await client.stepMany(envs, obs.map((o) => o.actions[rng.int(o.actions.length)]!));
            steps += results.length;
            obs = results.map((r) => r.observation);
            const ended = results.flatMap((r, i) => (r.terminated || r.truncated ? [i] : []));
            if (ended.length > 0) {
              const again = await client.resetMany(ended.map((i) => envs[i]!), ended.map((i) => ({ seed: (seeds[i]! += 7) % 500 })));
              ended.forEach((i, j) => (obs[i] = again[j]!.observation));
            }
          }
        }),
      );
      ms += performance.now() - start;
      await Promise.all(groups.flatMap(({ envs }) => envs.map((e) => e.close())));
      await Promise.all(clients.map((c) => c.close()));
      for (let i = 0; i < 100 && (server.sessionCount > 0 || server.connectionCount > 0); i++) await sleep(10);
      check(server.sessionCount === 0, `${server.sessionCount} session(s) still open after every client closed`);
      check(server.connectionCount === 0, `${server.connectionCount} connection(s) still open after every client closed`);
    };
    await cycle();
    const afterFirst = heapAfterGc(gc);
    log(`sessions: cycle 1 done, ${steps} steps, heap ${(afterFirst / 1e6).toFixed(1)} MB`);
    await cycle();
    const afterSecond = heapAfterGc(gc);
    log(`sessions: cycle 2 done, ${steps} steps, heap ${(afterSecond / 1e6).toFixed(1)} MB`);
    const growth = afterSecond - afterFirst;
    check(growth < HEAP_GROWTH_LIMIT, `the heap grew by ${(growth / 1e6).toFixed(1)} MB between two identical cycles (limit ${HEAP_GROWTH_LIMIT / 1e6} MB)`);
    return { sessions: sizes.sessions, steps, errors: 0, heapGrowthBytes: growth, stepsPerSecond: steps / (ms / 1000) };
  } finally {
    await server.close();
  }
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

// ---------------------------------------------------------------------------------------------
// kills

export interface KillsResult {
  kills: number;
  iterations: number;
  /** Kills that happened before the run's first checkpoint (it then started over). */
  beforeFirstCheckpoint: number;
}

export async function soakKills(sizes: Pick<SoakSizes, 'kills' | 'seed'>, log: Log = () => undefined): Promise<KillsResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ludus-soak-kills-'));
  const db = path.join(dir, 'ludus.db');
  const ck = path.join(dir, 'ck');
  const rng = new Rng(`soak-kills/${sizes.seed}`);
  const base = ['train', '--groups', '2', '--group-size', '2', '--max-steps', '6', '--demos', '2', '--checkpoint-every', '1', '--db', db, '--checkpoint-dir', ck, '--option', 'difficulty="easy"'];
  let beforeFirstCheckpoint = 0;
  try {
    for (let k = 0; k < sizes.kills; k++) {
      const resume = await hasCheckpoint(ck);
      // Far more iterations than it can reach before the kill: the run never finishes here.
      const args = [...base, '--iterations', '100000', ...(resume ? ['--resume'] : [])];
      // A random moment: from start-up (0 iterations seen: the process, the SFT warm start) to a few iterations in.
      const waitFor = rng.int(4);
      const extraMs = rng.int(800);
      const killed = await runAndKill(args, waitFor, extraMs);
      log(`kills: #${k + 1} after ${killed.iterationsSeen} iteration line(s) + ${extraMs} ms${resume ? ' (a resumed run)' : ''}`);
      if (!(await hasCheckpoint(ck))) beforeFirstCheckpoint += 1;
      checkStore(db, 'crashed');
    }
    // Resume (or start, if no checkpoint was ever saved) to the end: two iterations past what is recorded.
    const resume = await hasCheckpoint(ck);
    const target = resume ? recordedIterations(db) + 2 : 4;
    const run = await runToEnd([...base, '--iterations', String(target), ...(resume ? ['--resume'] : [])], 120_000);
    check(run.code === 0, `the last ${resume ? 'resume' : 'run'} failed (${run.code}): ${run.stderr.slice(-500)}`);
    const last = checkStore(db, 'finished', target);
    return { kills: sizes.kills, iterations: last, beforeFirstCheckpoint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Iterations the newest training run recorded. */
function recordedIterations(db: string): number {
  const store = openStore(db, { readonly: true });
  try {
    const run = store.listRuns({ kind: 'train' })[0];
    return run === undefined ? 0 : store.listIterations(run.id).length;
  } finally {
    store.close();
  }
}

async function hasCheckpoint(ck: string): Promise<boolean> {
  const { latestCheckpoint } = await import('../trainer/run-checkpoints.js');
  return (await latestCheckpoint(ck)) !== null;
}

/**
 * Integrity, whole iterations in every run, and the newest run's status (a run killed before its
 * first checkpoint is abandoned, crashed, and a new run starts). Returns the newest run's iterations.
 */
function checkStore(db: string, newest: 'crashed' | 'finished', iterations = 0): number {
  let store;
  try {
    store = openStore(db, { readonly: true });
  } catch (err) {
    if (newest === 'finished') throw err;
    return 0; // killed before the store was created
  }
  try {
    const integrity = store.db.pragma('integrity_check', { simple: true });
    check(integrity === 'ok', `SQLite integrity check: ${String(integrity)}`);
    const runs = store.listRuns({ kind: 'train' });
    if (runs.length === 0 && newest === 'crashed') return 0;
    check(runs.length > 0, 'the store holds no training run');
    for (const run of runs) {
      const its = store.listIterations(run.id).map((i) => i.iteration);
      check(its.every((it, i) => it === i), `run ${run.id}: iterations are not contiguous from 0: ${its.join(',')}`);
      for (const it of its) {
        const episodes = store.listEpisodes({ runId: run.id, iteration: it }, { limit: 1000 }).episodes;
        check(episodes.length === 4, `run ${run.id}, iteration ${it} holds ${episodes.length} episodes, not 4 (2 groups × 2)`);
        for (const e of episodes) check(store.getEpisode(e.id)!.steps.length === e.length, `episode ${e.id} of iteration ${it} is not whole`);
      }
      if (run !== runs[0]) check(run.status === 'crashed', `an abandoned run ${run.id} reads as ${run.status}, not crashed`);
    }
    const run = runs[0]!;
    const its = store.listIterations(run.id).length;
    check(run.status === newest, `the ${newest === 'crashed' ? 'SIGKILLed' : 'last'} run reads as ${run.status}, not ${newest}`);
    if (newest === 'finished') check(its === iterations, `the run has ${its} iterations, not ${iterations}`);
    return its;
  } finally {
    store.close();
  }
}

function runAndKill(args: string[], iterations: number, extraMs: number): Promise<{ iterationsSeen: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let seen = 0;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), extraMs);
    };
    if (iterations === 0) kill();
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      seen = (stderr.match(/^iter \d+\//gm) ?? []).length;
      if (seen >= iterations) kill();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ iterationsSeen: seen });
      else reject(new SoakFailure(`ludus train exited with ${code} before it was killed: ${stderr.slice(-500)}`));
    });
  });
}

function runToEnd(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// hostile

export const HOSTILE = [
  `<script>alert('xss')</script>`,
  `<img src=x onerror="alert('xss')">`,
  `"><svg onload=alert(1)>`,
  `javascript:alert(1)`,
  `</textarea><iframe srcdoc="<script>alert(1)</script>">`,
];

export interface HostileResult {
  pages: number;
}

export async function soakHostile(): Promise<HostileResult> {
  let pages = 0;
  const get = async (where: string, url: string) => {
    const res = await fetch(url);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    inert(where, res.status, headers, await res.text());
  };
  const inert = (where: string, status: number, headers: Record<string, string>, body: string) => {
    pages += 1;
    check(headers['x-content-type-options'] === 'nosniff', `${where}: no nosniff header`);
    check(/default-src 'none'/.test(headers['content-security-policy'] ?? ''), `${where}: no strict CSP`);
    if (!/json/.test(headers['content-type'] ?? '')) {
      for (const h of HOSTILE) if (h.includes('<')) check(!body.includes(h), `${where} (${status}) echoes ${h} unescaped`);
    }
  };

  // The viewer over a store whose recorded text is hostile.
  const store = openStore(':memory:');
  try {
    const [a, b, c, d, e] = HOSTILE as [string, string, string, string, string];
    const runId = store.createRun({ kind: 'play', envId: 'household-v1', name: `run ${a}`, config: { note: b } });
    const obs = { text: `You see ${a} and ${b}`, actions: [c, 'look'], anchor: e, goal: `win ${d}` };
    store.recordEpisode(runId, {
      envId: 'household-v1',
      taskId: c,
      taskType: e,
      return: 0,
      success: false,
      terminated: true,
      truncated: false,
      invalidActionPolicy: 'noop',
      startedAt: 0,
      finishedAt: 1,
      finalObservation: obs,
      steps: [{ t: 0, observation: obs, candidates: obs.actions, action: c, reward: 0, terminated: true, truncated: false, invalid: { code: 'UNKNOWN_VERB', message: a, suggestions: [b] } }],
    });
    store.updateRunStatus(runId, 'finished');
    const viewer = await startViewer({ store, port: 0 });
    try {
      for (const url of ['/', `/runs/${runId}`, '/episodes', '/episodes/1', '/api/episodes/1', '/api/runs', `/episodes?task=${encodeURIComponent(a)}`, `/nowhere/${encodeURIComponent(b)}`]) {
        await get(`viewer ${url}`, viewer.url + url);
      }
    } finally {
      await viewer.close();
    }
  } finally {
    store.close();
  }

  // The shop site, over HTTP.
  const site = await startShopSite(openCatalog({ seed: 0, products: 1000 }), { port: 0 });
  try {
    for (const h of HOSTILE) {
      const q = encodeURIComponent(h);
      for (const url of [`/test-1/search?q=${q}`, `/test-1/item/${encodeURIComponent(h)}?q=${q}`, `/${q}`, `/test-1/search?q=${q}&page=${q}&opt-${q}=${q}`]) {
        await get(`shop ${url}`, site.url + url);
      }
    }
  } finally {
    await site.close();
  }
  return { pages };
}

// ---------------------------------------------------------------------------------------------
// binds

export interface BindsResult {
  refused: number;
}

export async function soakBinds(): Promise<BindsResult> {
  let refused = 0;
  for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
    let error: unknown;
    try {
      new EnvServer({ host, port: 0 });
    } catch (err) {
      error = err;
    }
    check((error as { code?: string } | undefined)?.code === 'OPTIONS_INVALID', `EnvServer accepted host ${host} without a token`);
    refused += 1;
    new EnvServer({ host, port: 0, token: 'secret' }); // with a token it may (not bound here: loopback only)
  }
  for (const args of [['serve', '--host', '0.0.0.0', '--port', '0'], ['shop', 'serve', '--host', '0.0.0.0', '--port', '0', '--products', '1000']]) {
    const err: string[] = [];
    const before = process.exitCode;
    process.exitCode = 0;
    try {
      await cliMain(['node', 'ludus', ...args], { out: () => undefined, err: (l) => err.push(l), stdin: () => process.stdin });
      check(Number(process.exitCode) !== 0, `ludus ${args.join(' ')} did not refuse the bind`);
      check(/token|loopback/.test(err.join('\n')), `ludus ${args.join(' ')} refused without saying why: ${err.join(' ')}`);
    } finally {
      process.exitCode = before;
    }
    refused += 1;
  }
  return { refused };
}

// ---------------------------------------------------------------------------------------------

interface ServeProcess {
  url: string;
  alive(): boolean;
  stderr(): string;
  stop(): Promise<void>;
}

async function spawnServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new SoakFailure(`ludus serve exited (${code}): ${err}`)));
  });
  return {
    url,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function request(ws: WebSocket, msg: object): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(data.toString()));
    ws.send(JSON.stringify(msg));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------

const PHASES = ['fuzz', 'sessions', 'kills', 'hostile', 'binds'] as const;

async function main(argv: string[]): Promise<void> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) flags.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
  const sizes: SoakSizes = {
    frames: Number(flags.get('frames') ?? FULL_SOAK.frames),
    sessions: Number(flags.get('sessions') ?? FULL_SOAK.sessions),
    steps: Number(flags.get('steps') ?? FULL_SOAK.steps),
    kills: Number(flags.get('kills') ?? FULL_SOAK.kills),
    seed: Number(flags.get('seed') ?? FULL_SOAK.seed),
  };
  const only = new Set((flags.get('only') ?? PHASES.join(',')).split(','));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const rows: string[][] = [];
  let failed = false;
  const phase = async (name: (typeof PHASES)[number], run: () => Promise<object>) => {
    if (!only.has(name)) return;
    const start = performance.now();
    try {
      const result = await run();
      rows.push([name, 'ok', ((performance.now() - start) / 1000).toFixed(1), JSON.stringify(result)]);
    } catch (err) {
      failed = true;
      rows.push([name, 'FAILED', ((performance.now() - start) / 1000).toFixed(1), err instanceof Error ? err.message : String(err)]);
    }
  };
  await phase('fuzz', () => soakFuzz(sizes, log));
  await phase('sessions', () => soakSessions(sizes, log));
  await phase('kills', () => soakKills(sizes, log));
  await phase('hostile', () => soakHostile());
  await phase('binds', () => soakBinds());
  console.log(`soak: ${JSON.stringify(sizes)}, node ${process.version}\n`);
  console.log('| phase | result | seconds | measured |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main(process.argv.slice(2));
