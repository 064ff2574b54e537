/**
 * Env step throughput, in process and over the WebSocket protocol, against a bare `ws` echo
 * baseline measured in the same run with the same payload sizes.
 *
 * Phases (each bounded by a step count and a time budget, after a warm-up):
 *   in-process        make(env) stepped in a loop
 *   in-process, interleaved  the same, in chunks alternating with the round trips below (the
 *                     in-process step time of the RTT target)
 *   ws sequential     one session, one step in flight: round-trip latency and steps/s; measured in
 *                     chunks alternating with the echo round trips below
 *   ws concurrent     64 sessions on one connection in lockstep rounds, one frame per request, all
 *                     of a round in flight at once; measured in chunks of rounds alternating with
 *                     the batched rounds below, so both see the same machine load
 *   ws batched        the same rounds, one batch frame per round (client.batch / stepMany)
 *   ws free-running   64 sessions each in its own step loop, no rounds (one connection, then one
 *                     connection per session): for reference
 *   bare ws + env     a bare ws server stepping the same env with no protocol (no ids, validation,
 *                     sessions): WS RTT over this is what the protocol layer costs
 *   echo              a bare ws server answering a frame of the measured step-request size with a
 *                     frame of the measured step-response size: the transport floor (for the
 *                     sequential phases, steps/s is 1 / mean round trip)
 *
 * Each server (env, bare env, echo) runs in a child process (this script with `--child KIND`), as a
 * server and a trainer would; `--same-thread` runs them in this thread instead. Either way the WS
 * phases and the baselines share one setup, so the ratios compare like with like. `--env
 * bench-noop-v0` (an env that answers at once) measures the protocol with no env cost at all. Actions are drawn with a seeded RNG from the admissible list; an ended episode is reset
 * with the next seed. Binds 127.0.0.1 only; children exit when this process closes their stdin.
 *
 * Run: npx tsx scripts/bench-env.ts [--env household-v1|toy-guess-v0|bench-noop-v0] [--sessions 64]
 *        [--steps 20000] [--seconds 3] [--same-thread]
 * Targets: WS step RTT <= 1.5 x (echo RTT + in-process step time), p50s of the interleaved chunks;
 * batched / unbatched-concurrent steps/s >= 3x on 64 sessions.
 * Also: `--cpu-prof` (node's) on the `--same-thread` run profiles server and client together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { isRegistered, make, register } from '../envs/core/registry.js';
import { Rng } from '../envs/core/rng.js';
import type { Env, EnvState, Observation, ResetOptions, ResetResult, StepResult } from '../envs/core/types.js';
import { RemoteEnv, RemoteEnvClient, type BatchCall } from '../envs/client/index.js';
import { startServer } from '../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../tests/helpers/toy-env.js';

const args = parseArgs(process.argv.slice(2));
const ENV_ID = args.env ?? 'household-v1';
const SESSIONS = Number(args.sessions ?? 64);
const MAX_STEPS = Number(args.steps ?? 20_000);
const SECONDS = Number(args.seconds ?? 3);
const SAME_THREAD = args['same-thread'] !== undefined;
const WARMUP_STEPS = 300;
const RTT_TARGET = 1.5;
const BATCH_TARGET = 3;

interface PhaseResult {
  name: string;
  steps: number;
  seconds: number;
  p50us?: number;
  p99us?: number;
  /** CPU time of client and server per step, µs (load-independent, unlike steps/s). */
  cpuUsPerStep?: number;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  await loadEnvs();
  const rows: PhaseResult[] = [];

  rows.push(await benchInProcess());

  const server = await startServed('server');
  const client = await RemoteEnvClient.connect(server.url);
  let sizes = { requestBytes: 0, responseBytes: 0 };
  try {
    const { ws, bare, echo, local, ...measured } = await benchRoundTrips(client);
    sizes = measured;
    rows.push(local);
    rows.push(ws);
    rows.push(bare);
    rows.push(...(await benchLockstep(client, server)));
    rows.push(await benchFreeRunning(client));
    rows.push(await benchFreeRunning(client, server.url));
    rows.push(echo);
  } finally {
    await client.close();
    await server.stop();
  }

  report(rows, sizes.requestBytes, sizes.responseBytes);
}

/** The env server of the WS phases: serves every registered env on 127.0.0.1. */
async function serveEnvs(): Promise<Omit<Served, 'cpu'>> {
  await loadEnvs();
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    idleTimeoutMs: 0,
    heartbeatMs: 0,
    maxSessions: Math.max(1024, SESSIONS * 2),
    maxSessionsPerConnection: Math.max(256, SESSIONS),
  });
  return { url: server.url, stop: () => server.close() };
}

/** The baseline: a bare ws server answering every frame with a frame of `responseBytes`. */
async function serveEcho(responseBytes: number): Promise<Omit<Served, 'cpu'>> {
  const reply = JSON.stringify({ pad: 'x'.repeat(Math.max(0, responseBytes - 10)) });
  return serveWs((ws) => ws.on('message', () => ws.send(reply)));
}

/**
 * The no-protocol baseline: a bare ws server stepping one env per connection. A frame
 * `{"action": "..."}` steps, `{"seed": n}` resets; the answer is the JSON result. No ids, no
 * validation, no sessions: what is left of a server without the protocol.
 */
async function serveBareEnv(): Promise<Omit<Served, 'cpu'>> {
  await loadEnvs();
  return serveWs((ws) => {
    const env = make(ENV_ID);
    ws.on('message', async (data) => {
      const msg = JSON.parse(data.toString()) as { action?: string; seed?: number };
      const result = msg.action === undefined ? await env.reset({ seed: msg.seed ?? 0 }) : await env.step(msg.action);
      ws.send(JSON.stringify(result));
    });
    ws.on('close', () => void env.close());
  });
}

/** This process's CPU time so far (user + system), µs. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function serveWs(onConnection: (ws: WebSocket) => void): Promise<Omit<Served, 'cpu'>> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', onConnection);
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

type ServedKind = 'server' | 'echo' | 'bare-env';

interface Served {
  url: string;
  stop(): Promise<void>;
  /** CPU time (user + system) the server's process has used so far, µs. */
  cpu(): Promise<number>;
}

async function serve(kind: ServedKind, responseBytes: number): Promise<Served> {
  const served = kind === 'server' ? await serveEnvs() : kind === 'echo' ? await serveEcho(responseBytes) : await serveBareEnv();
  // In this thread, the server's CPU is already in this process's own count.
  return { ...served, cpu: async () => 0 };
}

/** Starts a server in a child process (this script with --child), or in this thread with --same-thread. */
async function startServed(kind: ServedKind, responseBytes = 0): Promise<Served> {
  if (SAME_THREAD) return serve(kind, responseBytes);
  const cpuReplies: ((us: number) => void)[] = [];
  const childArgs = ['--child', kind, '--env', ENV_ID, '--sessions', String(SESSIONS), '--response-bytes', String(responseBytes)];
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...childArgs], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (m) resolve(m[1]!);
      const cpu = /^CPU (\d+)$/.exec(line);
      if (cpu) cpuReplies.shift()?.(Number(cpu[1]));
    });
    child.once('exit', (code) => reject(new Error(`the ${kind} child exited (${code}) before it was ready`)));
  });
  return {
    url,
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
    cpu: () =>
      new Promise<number>((resolve) => {
        cpuReplies.push(resolve);
        child.stdin!.write('CPU\n');
      }),
  };
}

/** Child mode: serve, print READY <url>, and stop when the parent closes stdin (or dies). */
async function runChild(kind: ServedKind): Promise<void> {
  const served = await serve(kind, Number(args['response-bytes'] ?? 0));
  process.stdout.write(`READY ${served.url}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'CPU') process.stdout.write(`CPU ${cpuNow()}\n`);
  });
  process.stdin.once('close', () => void served.stop().then(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------

async function loadEnvs(): Promise<void> {
  registerToyEnv();
  registerNoopEnv();
  const builtin = '../envs/builtin.js'; // registers household-v1 once it exists
  try {
    await import(builtin);
  } catch (err) {
    if (ENV_ID !== TOY_ENV_ID && ENV_ID !== NOOP_ENV_ID) {
      const why = err instanceof Error ? err.message : String(err);
      console.error(`Cannot load ${builtin} (${why}). Run with --env ${TOY_ENV_ID} until household-v1 is registered.`);
      process.exit(2);
    }
  }
}

/**
 * `bench-noop-v0`: answers every step at once with a fixed ~250-character observation, so a run
 * with `--env bench-noop-v0` measures the protocol alone (no env cost to hide it).
 */
const NOOP_ENV_ID = 'bench-noop-v0';
function registerNoopEnv(): void {
  if (isRegistered(NOOP_ENV_ID)) return;
  const observation: Observation = {
    text: 'You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a countertop 1, a drawer 2, a fridge 1 and a sinkbasin 1.',
    actions: ['go to cabinet 1', 'go to countertop 1', 'go to drawer 2', 'go to fridge 1', 'inventory', 'look'],
    anchor: 'room',
  };
  const info = () => ({ rewardComponents: { progress: 0 }, stateKey: '0000000000000000' });
  register({
    id: NOOP_ENV_ID,
    description: 'Answers every step at once (protocol benchmark)',
    kind: 'single',
    capabilities: { snapshot: 'native' },
    splits: { train: 1 },
    entryPoint: () => ({
      reset: async () => ({ observation, info: info() }),
      step: async () => ({ observation, reward: 0, terminated: false, truncated: false, info: info() }),
      snapshot: async () => null,
      restore: async () => undefined,
      close: async () => undefined,
    }),
  });
}

/** Picks the next action: a seeded draw from the admissible list ('look' where it is empty). */
function policy(rng: Rng): (obs: Observation) => string {
  return (obs) => (obs.actions.length > 0 ? obs.actions[rng.int(obs.actions.length)]! : 'look');
}

/** One env's episode loop: step, and reset with the next seed when the episode ends. */
class Player {
  private obs!: Observation;
  private seed: number;
  private readonly choose: (obs: Observation) => string;

  constructor(
    readonly env: Env,
    seed: number,
  ) {
    this.seed = seed;
    this.choose = policy(new Rng(seed));
  }

  async start(): Promise<void> {
    this.obs = (await this.env.reset({ seed: this.seed })).observation;
  }

  nextAction(): string {
    return this.choose(this.obs);
  }

  /** Applies a step result; resets (awaited) when the episode ended. */
  async after(result: StepResult): Promise<void> {
    this.obs = result.observation;
    if (result.terminated || result.truncated) await this.restart();
  }

  /** True if the result ended the episode (the caller resets), for batched play. */
  absorb(result: StepResult): boolean {
    this.obs = result.observation;
    return result.terminated || result.truncated;
  }

  resetOptions() {
    this.seed += 1;
    return { seed: this.seed };
  }

  setObservation(obs: Observation): void {
    this.obs = obs;
  }

  async restart(): Promise<void> {
    this.obs = (await this.env.reset(this.resetOptions())).observation;
  }
}

async function benchInProcess(): Promise<PhaseResult> {
  const player = new Player(make(ENV_ID), 1);
  await player.start();
  const step = async () => player.after(await player.env.step(player.nextAction()));
  for (let i = 0; i < WARMUP_STEPS; i++) await step();
  const lat: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  let n = 0;
  while (n < MAX_STEPS && performance.now() < deadline) {
    const s = performance.now();
    await step();
    lat.push(performance.now() - s);
    n += 1;
  }
  await player.env.close();
  return { name: 'in-process', steps: n, seconds: (performance.now() - t0) / 1000, p50us: median(lat) * 1000, p99us: quantile(lat, 0.99) * 1000 };
}

/**
 * Sequential round trips, one in flight: WS steps of one session, and echo round trips of the same
 * frame sizes, alternating in chunks so both see the same machine noise. The frame sizes are
 * measured on warm-up steps first; the echo server is started with them.
 */
async function benchRoundTrips(
  c: RemoteEnvClient,
): Promise<{ ws: PhaseResult; bare: PhaseResult; echo: PhaseResult; local: PhaseResult; requestBytes: number; responseBytes: number }> {
  const [env] = await c.open(ENV_ID);
  const player = new Player(env!, 1);
  await player.start();
  const requestSizes: number[] = [];
  const responseSizes: number[] = [];
  for (let i = 0; i < WARMUP_STEPS; i++) {
    const action = player.nextAction();
    const result = await env!.step(action);
    // The frames as the client and the server serialize them (ids of a typical width).
    requestSizes.push(Buffer.byteLength(`{"jsonrpc":"2.0","id":${1e6},"method":"session.step","params":${JSON.stringify({ session: env!.session, action })}}`));
    responseSizes.push(Buffer.byteLength(`{"jsonrpc":"2.0","id":${1e6},"result":${JSON.stringify(result)}}`));
    await player.after(result);
  }
  const requestBytes = median(requestSizes);
  const responseBytes = median(responseSizes);
  const echoServer = await startServed('echo', responseBytes);
  const bareServer = await startServed('bare-env');
  const echo = await EchoClient.connect(echoServer.url, requestBytes);
  const bare = new Player(await BareEnvClient.connect(bareServer.url), 1);
  const local = new Player(make(ENV_ID), 1);
  try {
    await bare.start();
    await local.start();
    for (let i = 0; i < WARMUP_STEPS; i++) {
      await echo.roundTrip();
      await bare.after(await bare.env.step(bare.nextAction()));
      await local.after(await local.env.step(local.nextAction()));
    }
    const lat = { ws: [] as number[], echo: [] as number[], bare: [] as number[], local: [] as number[] };
    const timedStep = async (p: Player, into: number[]) => {
      const action = p.nextAction();
      const t = performance.now();
      const result = await p.env.step(action);
      into.push(performance.now() - t);
      await p.after(result);
    };
    const chunk = 500;
    const deadline = performance.now() + 3 * SECONDS * 1000;
    while (lat.ws.length < MAX_STEPS && performance.now() < deadline) {
      for (let i = 0; i < chunk; i++) await timedStep(player, lat.ws);
      for (let i = 0; i < chunk; i++) await timedStep(bare, lat.bare);
      for (let i = 0; i < chunk; i++) await timedStep(local, lat.local);
      for (let i = 0; i < chunk; i++) {
        const t = performance.now();
        await echo.roundTrip();
        lat.echo.push(performance.now() - t);
      }
    }
    const phase = (name: string, xs: number[]): PhaseResult => ({
      name,
      steps: xs.length,
      seconds: xs.reduce((a, b) => a + b, 0) / 1000,
      p50us: median(xs) * 1000,
      p99us: quantile(xs, 0.99) * 1000,
    });
    return {
      ws: phase('ws 1 session, sequential', lat.ws),
      bare: phase('bare ws + env step (no protocol)', lat.bare),
      echo: phase('echo (bare ws, same sizes)', lat.echo),
      local: phase('in-process, interleaved', lat.local),
      requestBytes,
      responseBytes,
    };
  } finally {
    await echo.close();
    await bare.env.close();
    await local.env.close();
    await Promise.all([echoServer.stop(), bareServer.stop()]);
    await env!.close();
  }
}

/** The client of the no-protocol baseline: reset and step only, one frame in flight. */
class BareEnvClient implements Env {
  private waiting?: (result: unknown) => void;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.waiting?.(JSON.parse(data.toString())));
  }

  static async connect(url: string): Promise<BareEnvClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new BareEnvClient(ws);
  }

  reset(options: ResetOptions = {}): Promise<ResetResult> {
    return this.send({ seed: options.seed ?? 0 }) as Promise<ResetResult>;
  }

  step(action: string): Promise<StepResult> {
    return this.send({ action }) as Promise<StepResult>;
  }

  async snapshot(): Promise<EnvState> {
    throw new Error('not part of the baseline');
  }

  async restore(): Promise<void> {
    throw new Error('not part of the baseline');
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private send(msg: object): Promise<unknown> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.ws.send(JSON.stringify(msg));
    });
  }
}

/** A bare ws client sending fixed frames of the step-request size and parsing each answer. */
class EchoClient {
  private waiting?: () => void;
  private readonly request: string;

  private constructor(
    private readonly ws: WebSocket,
    requestBytes: number,
  ) {
    this.request = JSON.stringify({ pad: 'y'.repeat(Math.max(0, requestBytes - 10)) });
    ws.on('message', (data) => {
      JSON.parse(data.toString()); // a client must parse what it receives
      this.waiting?.();
    });
  }

  static async connect(url: string, requestBytes: number): Promise<EchoClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new EchoClient(ws, requestBytes);
  }

  roundTrip(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting = resolve;
      this.ws.send(this.request);
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

async function openPlayers(c: RemoteEnvClient): Promise<Player[]> {
  const envs: RemoteEnv[] = [];
  while (envs.length < SESSIONS) envs.push(...(await c.open(ENV_ID, {}, Math.min(64, SESSIONS - envs.length))));
  const players = envs.map((env, i) => new Player(env, 1000 + i));
  await Promise.all(players.map((p) => p.start()));
  return players;
}

/**
 * Lockstep rounds, as a trainer steps a rollout: every session acts once per round (a step, or a
 * reset if its episode ended in the previous round; per-session order makes that safe), and the
 * round ends when all have answered. Unbatched, each request is its own frame, all in flight at
 * once; batched, a round is one batch frame. The two run on separate sessions in alternating
 * chunks of rounds, so both see the same machine load. Only steps are counted.
 */
async function benchLockstep(c: RemoteEnvClient, server: Served): Promise<PhaseResult[]> {
  const modes = (['concurrent', 'batched', 'stepMany'] as const).map((kind) => ({ kind, batched: kind !== 'concurrent', players: [] as Player[], ended: [] as boolean[], steps: 0, ms: 0, cpu: 0 }));
  for (const m of modes) {
    m.players = await openPlayers(c);
    m.ended = m.players.map(() => false);
  }
  const round = async (m: (typeof modes)[number]): Promise<(ResetResult | StepResult)[]> => {
    const { players, ended } = m;
    if (m.kind === 'concurrent') {
      // One frame per request, all in flight at once (session.step itself, not RemoteEnv.step, which coalesces).
      return Promise.all(
        players.map((p, i) =>
          ended[i] ? p.env.reset(p.resetOptions()) : (c.call('session.step', { session: (p.env as RemoteEnv).session, action: p.nextAction() }) as Promise<StepResult>),
        ),
      );
    }
    if (m.kind === 'stepMany') {
      // RemoteEnv.step of every session in one tick: one session.stepMany frame (resets: their own frames).
      return Promise.all(players.map((p, i) => (ended[i] ? p.env.reset(p.resetOptions()) : p.env.step(p.nextAction()))));
    }
    const calls: BatchCall[] = players.map((p, i) => {
      const env = p.env as RemoteEnv;
      return ended[i] ? env.resetCall(p.resetOptions(), c) : env.stepCall(p.nextAction(), c);
    });
    return (await c.batch(calls)).map((o) => {
      if (!o.ok) throw o.error;
      return o.result as ResetResult | StepResult;
    });
  };
  const rounds = async (m: (typeof modes)[number], count: number): Promise<void> => {
    const cpu0 = cpuNow() + (await server.cpu());
    const t0 = performance.now();
    for (let k = 0; k < count; k++) {
      const results = await round(m);
      results.forEach((r, i) => {
        if (m.ended[i]) {
          m.players[i]!.setObservation(r.observation);
          m.ended[i] = false;
        } else {
          m.ended[i] = m.players[i]!.absorb(r as StepResult);
          m.steps += 1;
        }
      });
    }
    m.ms += performance.now() - t0;
    m.cpu += cpuNow() + (await server.cpu()) - cpu0;
  };
  const chunk = 20;
  for (const m of modes) await rounds(m, Math.ceil((WARMUP_STEPS * 4) / SESSIONS));
  for (const m of modes) (m.steps = 0), (m.ms = 0), (m.cpu = 0);
  const deadline = performance.now() + 2 * SECONDS * 1000;
  while (modes[0]!.steps < MAX_STEPS * 2 && performance.now() < deadline) for (const m of modes) await rounds(m, chunk);
  await Promise.all(modes.flatMap((m) => m.players.map((p) => p.env.close())));
  return modes.map((m) => ({
    name: m.kind === 'stepMany' ? `ws ${SESSIONS} sessions, session.stepMany` : m.batched ? `ws ${SESSIONS} sessions, batched` : `ws ${SESSIONS} sessions, concurrent`,
    steps: m.steps,
    seconds: m.ms / 1000,
    cpuUsPerStep: m.cpu / m.steps,
  }));
}

/**
 * Free-running: every session steps in its own loop, one frame per step, never waiting for the
 * others. With `url`, each session gets its own connection (`RemoteEnv.connect`), the naive way
 * to hold many envs; otherwise all share `c`.
 */
async function benchFreeRunning(c: RemoteEnvClient, url?: string): Promise<PhaseResult> {
  const players =
    url === undefined
      ? await openPlayers(c)
      : await Promise.all(
          Array.from({ length: SESSIONS }, async (_, i) => {
            const p = new Player(await RemoteEnv.connect(url, { env: ENV_ID }), 1000 + i);
            await p.start();
            return p;
          }),
        );
  const run = async (budget: number, seconds: number) => {
    let n = 0;
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      players.map(async (p) => {
        while (n < budget && performance.now() < deadline) {
          n += 1;
          await p.after(await p.env.step(p.nextAction()));
        }
      }),
    );
    return n;
  };
  await run(WARMUP_STEPS * 4, SECONDS);
  const t0 = performance.now();
  const n = await run(MAX_STEPS * 2, SECONDS);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(players.map((p) => p.env.close()));
  const name = url === undefined ? `ws ${SESSIONS} sessions, free-running` : `ws ${SESSIONS} connections, free-running`;
  return { name, steps: n, seconds };
}

// ---------------------------------------------------------------------------------------------

function report(results: PhaseResult[], requestBytes: number, responseBytes: number): void {
  const rate = (r: PhaseResult) => r.steps / r.seconds;
  const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;
  const seq = byName('ws 1 session');
  const echo = byName('echo');
  const concurrent = byName(`ws ${SESSIONS} sessions, concurrent`);
  const batched = byName(`ws ${SESSIONS} sessions, batched`);
  const stepMany = byName(`ws ${SESSIONS} sessions, session.stepMany`);

  const where = SAME_THREAD ? 'servers in this thread (--same-thread)' : 'each server in a child process';
  console.log(`bench-env: ${ENV_ID}, node ${process.version}, ${SESSIONS} sessions; ${where}; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`step frames (median): request ${requestBytes} B, response ${responseBytes} B\n`);
  const header = ['phase', 'steps', 'seconds', 'steps/s', 'p50 us', 'p99 us', 'CPU us/step'];
  const table = results.map((r) => [
    r.name,
    String(r.steps),
    r.seconds.toFixed(2),
    rate(r).toFixed(0),
    r.p50us === undefined ? '' : r.p50us.toFixed(1),
    r.p99us === undefined ? '' : r.p99us.toFixed(1),
    r.cpuUsPerStep === undefined ? '' : r.cpuUsPerStep.toFixed(1),
  ]);
  printTable(header, table);

  const local = byName('in-process, interleaved');
  const rttRatio = seq.p50us! / (echo.p50us! + local.p50us!);
  const batchRatio = rate(batched) / rate(concurrent);
  const stepManyRatio = rate(stepMany) / rate(concurrent);
  console.log('');
  printTable(
    ['ratio', 'value', 'target', ''],
    [
      ['WS step RTT p50 / (echo RTT p50 + in-process step p50)', `${rttRatio.toFixed(2)}x`, `<= ${RTT_TARGET}x`, rttRatio <= RTT_TARGET ? 'ok' : 'MISS'],
      ['WS step RTT p50 / echo RTT p50', `${(seq.p50us! / echo.p50us!).toFixed(2)}x`, '', ''],
      ['batched / unbatched-concurrent steps/s', `${batchRatio.toFixed(2)}x`, '', ''],
      ['session.stepMany / unbatched-concurrent steps/s', `${stepManyRatio.toFixed(2)}x`, `>= ${BATCH_TARGET}x`, stepManyRatio >= BATCH_TARGET ? 'ok' : 'MISS'],
      ['unbatched-concurrent / session.stepMany CPU per step (client + server)', `${(concurrent.cpuUsPerStep! / stepMany.cpuUsPerStep!).toFixed(2)}x`, '', ''],
      ['unbatched-concurrent / batched CPU per step (client + server)', `${(concurrent.cpuUsPerStep! / batched.cpuUsPerStep!).toFixed(2)}x`, '', ''],
      ['batched / free-running, one connection steps/s', `${(rate(batched) / rate(byName(`ws ${SESSIONS} sessions, free`))).toFixed(2)}x`, '', ''],
      ['batched / free-running, a connection each steps/s', `${(rate(batched) / rate(byName(`ws ${SESSIONS} connections`))).toFixed(2)}x`, '', ''],
      ['WS step RTT p50 / bare ws + env step RTT p50 (protocol cost)', `${(seq.p50us! / byName('bare ws').p50us!).toFixed(2)}x`, '', ''],
      ['WS sequential / in-process steps/s', `${(rate(seq) / rate(byName('in-process'))).toFixed(3)}x`, '', ''],
    ],
  );
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      console.error(`Unknown argument '${argv[i]}'. Usage: npx tsx scripts/bench-env.ts [--env ID] [--sessions N] [--steps N] [--seconds S]`);
      process.exit(2);
    }
    const next = argv[i + 1];
    out[m[1]!] = m[2] ?? (next !== undefined && !next.startsWith('--') ? argv[++i]! : '');
  }
  return out;
}

// Run after every declaration above is initialized.
if (args.child !== undefined) await runChild(args.child as ServedKind);
else await main();
