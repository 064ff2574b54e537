/**
 * A fault-injecting HTTP proxy for tests: it forwards requests to a real upstream server (e.g.
 * `ludus serve-policy`) and, for the requests a test picks, injects a fault instead of (or on top
 * of) the upstream's real answer:
 *
 * - `status`: answer with this HTTP status and an OpenAI-style error body (429, 500, 503, ...),
 *   optionally with `Retry-After-Ms`, without forwarding;
 * - `hang`: accept the request and never answer (until the client gives up or the proxy closes);
 * - `content`: forward, then replace the reply's text (an unparsable action, ...);
 * - `pad`: forward, then append a line break and `chars` characters of filler lines to the reply's
 *   text (a runaway reply).
 *
 * Faults are queued with `inject(...)` and consumed one per request, in arrival order; requests
 * with no fault queued pass through unchanged. The proxy counts requests and the most it saw in
 * flight at once.
 * @module
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'status'; status: number; retryAfterMs?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'content'; content: string }
  | { kind: 'pad'; chars: number };

export class FaultProxy {
  private readonly server: Server;
  private readonly faults: Fault[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private inFlight = 0;
  /** Requests received (all paths). */
  requests = 0;
  /** The most requests in flight at once. */
  maxInFlight = 0;
  /** The fault applied to each request, in arrival order ('pass' for none). */
  readonly log: string[] = [];

  private constructor(private readonly upstream: URL) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts a proxy on 127.0.0.1:0 in front of `upstreamBaseUrl` (e.g. `http://127.0.0.1:PORT/v1`). */
  static async start(upstreamBaseUrl: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(upstreamBaseUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's base URL, with the upstream's path (`http://127.0.0.1:PORT/v1`). */
  get url(): string {
    const addr = this.server.address() as { port: number };
    return `http://127.0.0.1:${addr.port}${this.upstream.pathname.replace(/\/$/, '')}`;
  }

  /** Queues faults for the next requests, in order. */
  inject(...faults: Fault[]): this {
    this.faults.push(...faults);
    return this;
  }

  /** Faults still queued. */
  get pending(): number {
    return this.faults.length;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => {
      this.inFlight -= 1;
      this.hanging.delete(res);
    });
    const body = await readBody(req);
    const fault = this.faults.shift();
    this.log.push(fault?.kind ?? 'pass');
    if (fault?.kind === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === 'status') {
      const text = JSON.stringify({ error: { message: fault.message ?? `injected ${fault.status}`, type: fault.status < 500 ? 'invalid_request_error' : 'server_error', param: null, code: 'injected' } });
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfterMs === undefined ? {} : { 'Retry-After-Ms': String(fault.retryAfterMs) }) });
      res.end(text);
      return;
    }
    const upstream = await this.forward(req, body);
    if (fault === undefined || !upstream.json) {
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
      return;
    }
    const reply = JSON.parse(upstream.body.toString('utf8')) as { choices: { message: { content: string }; logprobs: unknown }[] };
    for (const choice of reply.choices) {
      choice.message.content = fault.kind === 'content' ? fault.content : `${choice.message.content}\n${'filler words that go on\n'.repeat(Math.ceil(fault.chars / 24)).slice(0, fault.chars)}`;
      choice.logprobs = null;
    }
    const text = JSON.stringify(reply);
    res.writeHead(upstream.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer; json: boolean }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: this.upstream.host };
      const out = httpRequest({ host: this.upstream.hostname, port: this.upstream.port, path: req.url, method: req.method, headers }, (up) => {
        void readBody(up).then((data) => {
          const type = String(up.headers['content-type'] ?? '');
          const kept: Record<string, string> = { 'Content-Type': type };
          resolve({ status: up.statusCode ?? 502, headers: kept, body: data, json: type.startsWith('application/json') && (up.statusCode ?? 0) < 300 });
        }, reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}
