/**
 * Test support for the protocol tests: a raw JSON-RPC WebSocket client (frames in, frames out)
 * and `probe-v0`, an env whose actions sleep, throw or log, to observe ordering and faults.
 */
import { z } from 'zod';
import WebSocket from 'ws';
import { isRegistered, register } from '../../../envs/core/registry.js';
import { UnknownTaskError } from '../../../envs/core/errors.js';
import type { Env, EnvState, ResetOptions, ResetResult, StepResult } from '../../../envs/core/types.js';

export const PROBE_ENV_ID = 'probe-v0';

/** Every probe action, in the order it started and finished: `start:<tag>:<action>` / `end:...`. */
export const probeLog: string[] = [];
/** How many probe envs were made and closed (for leak checks). */
export const probeCounts = { made: 0, closed: 0 };

class ProbeEnv implements Env {
  private steps = 0;
  private closed = false;
  constructor(private readonly tag: string) {
    probeCounts.made += 1;
  }
  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (options.task === 'missing') throw new UnknownTaskError(`No task 'missing' in probe-v0: use split 'train'.`);
    this.steps = 0;
    return { observation: { text: 'ready', actions: ['sleep:1', 'boom', 'end'], anchor: 'ready' }, info: { rewardComponents: {}, stateKey: 'k0' } };
  }
  async step(action: string): Promise<StepResult> {
    probeLog.push(`start:${this.tag}:${action}`);
    const sleep = /^sleep:(\d+)$/.exec(action);
    if (sleep) await new Promise((r) => setTimeout(r, Number(sleep[1])));
    if (action === 'boom') throw new TypeError('probe exploded');
    if (action === 'unserializable') {
      return { observation: { text: 'x', actions: [], anchor: 'x' }, reward: 0, terminated: false, truncated: false, info: { rewardComponents: {}, stateKey: 'k', count: 10n } };
    }
    if (action === 'big') {
      return { observation: { text: 'x'.repeat(2_000_000), actions: [], anchor: 'big' }, reward: 0, terminated: false, truncated: false, info: { rewardComponents: {}, stateKey: 'big' } };
    }
    this.steps += 1;
    probeLog.push(`end:${this.tag}:${action}`);
    const text = `${this.tag}:${action}`;
    return { observation: { text, actions: [], anchor: text }, reward: 0, terminated: action === 'end', truncated: false, info: { rewardComponents: {}, stateKey: `k${this.steps}` } };
  }
  async snapshot(): Promise<EnvState> {
    return { steps: this.steps };
  }
  async restore(state: EnvState): Promise<void> {
    this.steps = (state as { steps: number }).steps;
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    probeCounts.closed += 1;
  }
}

export function registerProbeEnv(): string {
  if (!isRegistered(PROBE_ENV_ID)) {
    register({
      id: PROBE_ENV_ID,
      description: 'Sleeps, throws and logs on command (protocol tests)',
      kind: 'single',
      capabilities: { snapshot: 'native' },
      entryPoint: (o: { tag: string }) => new ProbeEnv(o.tag),
      options: z.object({ tag: z.string().default('p') }).strict(),
      splits: { train: 1 },
    });
  }
  return PROBE_ENV_ID;
}

/** A bare WebSocket speaking raw frames, for testing the server byte by byte. */
export class RawClient {
  private readonly inbox: string[] = [];
  private waiters: ((frame: string) => void)[] = [];
  /** Every frame sent and received, for the schema test. */
  readonly sent: string[] = [];
  readonly received: string[] = [];
  closeCode?: number;
  readonly closedP: Promise<number>;
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.received.push(text);
      const waiter = this.waiters.shift();
      if (waiter) waiter(text);
      else this.inbox.push(text);
    });
    this.closedP = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  sendText(text: string): void {
    this.sent.push(text);
    this.ws.send(text);
  }

  /** The next frame from the server, parsed; rejects after `ms`. */
  next(ms = 2000): Promise<any> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(JSON.parse(queued));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no frame within ${ms} ms`));
      }, ms);
      const waiter = (frame: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(frame));
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves true if no frame arrives within `ms`. */
  async silent(ms = 100): Promise<boolean> {
    try {
      await this.next(ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Sends one request and returns the next frame (callers keep one request in flight). */
  async request(method: string, params?: unknown): Promise<any> {
    const msg: Record<string, unknown> = { jsonrpc: '2.0', id: this.nextId++, method };
    if (params !== undefined) msg.params = params;
    this.sendText(JSON.stringify(msg));
    return this.next();
  }

  /** `request` that expects a result and returns it. */
  async call(method: string, params?: unknown): Promise<any> {
    const reply = await this.request(method, params);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closedP;
  }
}

export async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
