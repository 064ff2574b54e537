/**
 * What an env server reports about itself: Prometheus metrics (prom-client, one registry per
 * server) for `/metrics`, and a load summary for `/healthz` that trainers read to spread groups by
 * load (trainer/load-balancer.ts).
 *
 * | metric | type | |
 * |---|---|---|
 * | `ludus_sessions_open` | gauge | open sessions |
 * | `ludus_sessions_capacity` | gauge | the server's `maxSessions` |
 * | `ludus_connections_open` | gauge | open WebSocket connections |
 * | `ludus_requests_total{method,outcome}` | counter | requests answered, `outcome` ok or error |
 * | `ludus_errors_total{code}` | counter | failed requests by stable error code |
 * | `ludus_steps_total` | counter | env steps (`session.step`, every request of a batch, every entry of a `session.stepMany`) |
 * | `ludus_steps_per_second` | gauge | env steps per second over the last 10 s |
 * | `ludus_request_duration_seconds{method}` | histogram | time from reading a request to its answer (queueing on the session included) |
 * | `ludus_event_loop_utilization` | gauge | share of the last 10 s the event loop was busy (0..1): near 1, the server is saturated |
 * | `ludus_draining` | gauge | 1 while the server drains (SIGTERM) |
 *
 * plus prom-client's default process metrics, prefixed `ludus_` (CPU, memory, event-loop lag, GC).
 * @module
 */
import { availableParallelism } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The load summary `/healthz` reports. */
export interface ServerLoad {
  status: 'ok' | 'draining';
  sessions: number;
  capacity: number;
  connections: number;
  /** Env steps per second over the last window. */
  stepsPerSecond: number;
  /** Share of the last window the event loop was busy, 0..1. */
  eventLoopUtilization: number;
  /** Requests being handled now. */
  inFlight: number;
  cpus: number;
  uptimeSeconds: number;
}

/** What the metrics read from the server when scraped. */
export interface MetricsSource {
  sessions(): number;
  capacity(): number;
  connections(): number;
  draining(): boolean;
}

const WINDOW_MS = 10_000;
const BUCKET_MS = 1000;

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'outcome'>;
  private readonly errors: Counter<'code'>;
  private readonly steps: Counter;
  private readonly duration: Histogram<'method'>;
  /** Steps per 1 s bucket over the window (a ring), for steps/s. */
  private readonly stepBuckets = new Array<number>(WINDOW_MS / BUCKET_MS).fill(0);
  private bucketStart = Math.floor(Date.now() / BUCKET_MS);
  /** ELU samples, the oldest first: the utilization over the window is their difference. */
  private readonly eluSamples: { at: number; elu: EventLoopUtilization }[] = [];
  private readonly timer: NodeJS.Timeout;
  private inFlight = 0;
  private readonly started = Date.now();

  constructor(
    private readonly source: MetricsSource,
    options: { processMetrics?: boolean } = {},
  ) {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('ludus_sessions_open', 'Open env sessions.', () => source.sessions());
    gauge('ludus_sessions_capacity', "The server's maxSessions.", () => source.capacity());
    gauge('ludus_connections_open', 'Open WebSocket connections.', () => source.connections());
    gauge('ludus_steps_per_second', 'Env steps per second over the last 10 s.', () => this.stepsPerSecond());
    gauge('ludus_event_loop_utilization', 'Share of the last 10 s the event loop was busy (0..1).', () => this.eventLoopUtilization());
    gauge('ludus_draining', '1 while the server drains.', () => (source.draining() ? 1 : 0));
    this.requests = new Counter({ name: 'ludus_requests_total', help: 'JSON-RPC requests answered, by method and outcome.', labelNames: ['method', 'outcome'], registers });
    this.errors = new Counter({ name: 'ludus_errors_total', help: 'Failed requests by stable error code.', labelNames: ['code'], registers });
    this.steps = new Counter({ name: 'ludus_steps_total', help: 'Env steps (session.step requests, batched ones included).', registers });
    this.duration = new Histogram({
      name: 'ludus_request_duration_seconds',
      help: 'Time from reading a request to answering it (queueing on the session included).',
      labelNames: ['method'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'ludus_' });
    this.eluSamples.push({ at: Date.now(), elu: performance.eventLoopUtilization() });
    this.timer = setInterval(() => this.sampleElu(), BUCKET_MS).unref();
  }

  /** A request started; call the returned function when it is answered (`code`: its error code, or null). */
  start(method: string): (code: string | null) => void {
    const t0 = performance.now();
    this.inFlight += 1;
    return (code) => {
      this.inFlight -= 1;
      const known = KNOWN_METHODS.has(method) ? method : 'other';
      this.duration.observe({ method: known }, (performance.now() - t0) / 1000);
      this.requests.inc({ method: known, outcome: code === null ? 'ok' : 'error' });
      if (code !== null) this.errors.inc({ code });
      if (method === 'session.step' && code === null) this.countStep();
    };
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  load(): ServerLoad {
    return {
      status: this.source.draining() ? 'draining' : 'ok',
      sessions: this.source.sessions(),
      capacity: this.source.capacity(),
      connections: this.source.connections(),
      stepsPerSecond: round(this.stepsPerSecond()),
      eventLoopUtilization: round(this.eventLoopUtilization()),
      inFlight: this.inFlight,
      cpus: availableParallelism(),
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A `session.stepMany`'s entries: `stepped` env steps, and the error codes of the entries that failed. */
  countEntries(stepped: number, errorCodes: readonly string[]): void {
    if (stepped > 0) this.countStep(stepped);
    for (const code of errorCodes) this.errors.inc({ code });
  }

  private countStep(count = 1): void {
    this.steps.inc(count);
    this.rotate();
    const i = this.bucketStart % this.stepBuckets.length;
    this.stepBuckets[i] = (this.stepBuckets[i] as number) + count;
  }

  /** Moves the ring to the current second, zeroing the seconds skipped. */
  private rotate(): void {
    const now = Math.floor(Date.now() / BUCKET_MS);
    const n = this.stepBuckets.length;
    for (let s = Math.max(this.bucketStart + 1, now - n + 1); s <= now; s++) this.stepBuckets[s % n] = 0;
    this.bucketStart = Math.max(this.bucketStart, now);
  }

  private stepsPerSecond(): number {
    this.rotate();
    const elapsed = Math.min(WINDOW_MS, Date.now() - this.started) / 1000;
    const total = this.stepBuckets.reduce((a, b) => a + b, 0);
    return elapsed > 0 ? total / Math.max(elapsed, 1) : 0;
  }

  private sampleElu(): void {
    this.eluSamples.push({ at: Date.now(), elu: performance.eventLoopUtilization() });
    while (this.eluSamples.length > 2 && Date.now() - (this.eluSamples[1] as { at: number }).at >= WINDOW_MS) this.eluSamples.shift();
  }

  private eventLoopUtilization(): number {
    const oldest = this.eluSamples[0];
    if (oldest === undefined) return 0;
    return performance.eventLoopUtilization(performance.eventLoopUtilization(), oldest.elu).utilization;
  }
}

const KNOWN_METHODS = new Set(['envs.list', 'session.open', 'session.reset', 'session.step', 'session.stepMany', 'session.snapshot', 'session.restore', 'session.close', 'seat.claim', 'seat.release', 'seat.act']);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
