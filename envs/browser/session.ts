/**
 * One browser-v1 session's hold on Chromium: a browser context (closed with the session) with one
 * page, confined to the private origin (confinement.ts), with the page script installed. It
 * serves the current task's pages from memory, dismisses dialogs, closes popups, counts what it
 * blocked, and runs every browser call under a timeout. It knows nothing about rewards.
 *
 * When a call times out the page is hung; when Chromium or the context goes away the session is
 * dead. Either way the session says so (`fault`) and the env ends the episode truncated; the next
 * reset opens a new context (on a relaunched browser if needed).
 * @module
 */
import type { Browser, BrowserContext, Dialog, Locator, Page, Route, WebSocketRoute } from 'playwright';
import type { BrowserAction } from './actions.js';
import type { BrowserHost } from './chromium.js';
import { addBlocked, describeUrl, emptyCounts, isPrivateUrl, pageBlockedKind, PRIVATE_ORIGIN, requestKind, type BlockedCounts, type BlockedKind } from './confinement.js';
import type { Fault } from './errors.js';
import { observeExpression, PAGE_SCRIPT, type PageEvent, type PageObservation } from './page-script.js';
import type { PageRequest, PageResponse } from './tasks/types.js';

export const VIEWPORT = { width: 800, height: 600 } as const;

export interface SessionTimeouts {
  /** Each action (click, fill, ...). */
  actionMs: number;
  /** Loading a page (reset, navigations an action starts). */
  navigationMs: number;
  /** Reading the page (the tree, a screenshot, the HTML). */
  observeMs: number;
}

/** Things that happened besides the action since the last drain: what the agent is told. */
export interface SessionNotices {
  dialogs: { type: string; message: string }[];
  popups: { url: string }[];
  blocked: { kind: BlockedKind; url: string }[];
}

export type PageHandler = (request: PageRequest) => PageResponse | null;

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isTimeout(err: unknown): boolean {
  return err instanceof TimeoutError || (err instanceof Error && err.name === 'TimeoutError');
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? msg).replace(/\s+/g, ' ').slice(0, 300);
}

function queryOf(url: URL): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of url.searchParams) q[k] = v;
  return q;
}

/** Outcome of an action in the page: ok, or why it failed (`fault` when the page is gone or hung). */
export type ActResult = { ok: true } | { ok: false; error: string; fault: Fault | null };

export class BrowserSession {
  private context: BrowserContext | null = null;
  private page: Page | null = null;
  private browser: Browser | null = null;
  private handler: PageHandler | null = null;
  private routeEvents: PageEvent[] = [];
  private notices: SessionNotices = { dialogs: [], popups: [], blocked: [] };
  private counts: BlockedCounts = emptyCounts();
  private deadReason: Fault | null = null;
  private closed = false;
  /** Counts open attempts: a context that finishes opening after its attempt was given up is closed. */
  private openAttempt = 0;
  /** Whether this session counts as a user of the host's browser: while it has a context open. */
  private holdsBrowser = false;

  constructor(
    private readonly host: BrowserHost,
    readonly timeouts: SessionTimeouts,
  ) {}

  /** Why this session can no longer be used (null while it is fine). */
  get fault(): Fault | null {
    // A dead browser explains everything else that closed with it.
    if (this.browser !== null && !this.browser.isConnected()) {
      return { code: 'BROWSER_CRASHED', message: 'Chromium exited during the episode (killed or crashed); the env launches it again on the next reset.' };
    }
    return this.deadReason;
  }

  get isOpen(): boolean {
    return this.context !== null && this.fault === null;
  }

  /** Blocked attempts since the last `resetCounts`. */
  get blocked(): BlockedCounts {
    return this.counts;
  }

  resetCounts(): void {
    this.counts = emptyCounts();
    this.routeEvents = [];
    this.notices = { dialogs: [], popups: [], blocked: [] };
  }

  /** Opens the context and page (launching Chromium if this process has none). Idempotent while healthy. */
  async open(): Promise<void> {
    if (this.closed) throw new Error('session closed');
    if (this.isOpen) return;
    await this.discard();
    const browser = await this.host.get();
    this.browser = browser;
    this.deadReason = null;
    const attempt = ++this.openAttempt;
    const opened = this.host.withOpenSlot(() => withTimeout(this.openContext(browser, attempt), this.timeouts.navigationMs, 'opening a browser context'));
    try {
      await opened;
    } catch (err) {
      this.openAttempt++; // a context that finishes opening after this is closed, not used
      throw err;
    }
  }

  /** Creates the context and its page; they become the session's only if no newer attempt began meanwhile. */
  private async openContext(browser: Browser, attempt: number): Promise<void> {
    const context = await browser.newContext({
      viewport: { ...VIEWPORT },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
      acceptDownloads: false,
      javaScriptEnabled: true,
    });
    const stale = () => attempt !== this.openAttempt || this.closed;
    try {
      context.setDefaultTimeout(this.timeouts.actionMs);
      context.setDefaultNavigationTimeout(this.timeouts.navigationMs);
      await context.addInitScript({ content: PAGE_SCRIPT });
      await context.route('**/*', (route) => this.onRoute(route));
      await context.routeWebSocket(/.*/, (ws) => this.onWebSocket(ws));
      const page = await context.newPage();
      if (stale()) throw new Error('stale');
      this.context = context;
      this.page = page;
      this.host.acquire(); // released when the context is discarded
      this.holdsBrowser = true;
      context.on('close', () => {
        if (this.context === context && !this.closed) this.deadReason ??= { code: 'PAGE_CLOSED', message: 'The browser context closed during the episode; the next reset opens a new one.' };
      });
      // Registered after our own page exists: every later page is a window the page script did not
      // stop (it blocks window.open and target=_blank): close it and report it.
      context.on('page', (p) => {
        if (p === this.page) return;
        this.notices.popups.push({ url: describeUrl(p.url()) });
        void p.close().catch(() => undefined);
      });
      page.on('dialog', (d) => this.onDialog(d));
      page.on('crash', () => {
        this.deadReason ??= { code: 'PAGE_CLOSED', message: 'The page crashed during the episode; the next reset opens a new one.' };
      });
      page.on('close', () => {
        if (this.page === page && !this.closed) this.deadReason ??= { code: 'PAGE_CLOSED', message: 'The page closed during the episode; the next reset opens a new one.' };
      });
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  }

  /** The current episode's pages. */
  serve(handler: PageHandler): void {
    this.handler = handler;
  }

  /** Loads `path` on the private origin. Throws on timeout (the caller treats the page as hung). */
  async load(path: string): Promise<void> {
    const page = this.requirePage();
    await page.goto(`${PRIVATE_ORIGIN}${path}`, { waitUntil: 'domcontentloaded', timeout: this.timeouts.navigationMs });
    // Playwright sets up its element-finding script in a new document on first use: do it now, as
    // part of the reset, rather than inside the episode's first action.
    await page.locator(':root').count();
  }

  /** Reads the page: tree, focus, events (route events first), blocked attempts reported by the page. */
  async observe(nextId: number): Promise<PageObservation> {
    const page = this.requirePage();
    const obs = (await withTimeout(page.evaluate(observeExpression(nextId)), this.timeouts.observeMs, 'reading the page')) as PageObservation;
    if (obs === null || typeof obs !== 'object' || !Array.isArray(obs.nodes)) throw new Error('the page script did not answer (was it replaced by the page?)');
    for (const b of obs.blocked) this.block(pageBlockedKind(b.kind), b.url);
    for (const p of obs.popups) this.notices.popups.push({ url: describeUrl(p.url) });
    obs.events = [...this.routeEvents.splice(0, this.routeEvents.length), ...obs.events];
    return obs;
  }

  /** What happened besides the action since the last call (dialogs, popups, blocked requests). */
  drainNotices(): SessionNotices {
    const out = this.notices;
    this.notices = { dialogs: [], popups: [], blocked: [] };
    return out;
  }

  async screenshot(): Promise<string> {
    const page = this.requirePage();
    const png = await page.screenshot({ type: 'png', timeout: this.timeouts.observeMs, animations: 'disabled', caret: 'hide' });
    return png.toString('base64');
  }

  async html(): Promise<string> {
    const page = this.requirePage();
    return withTimeout(page.content(), this.timeouts.observeMs, 'reading the HTML');
  }

  /** Runs one parsed action. A failure is an error message; a hung or closed page is also a fault. */
  async act(action: BrowserAction): Promise<ActResult> {
    const page = this.requirePage();
    const t = this.timeouts.actionMs;
    const loc = (id: number): Locator => page.locator(`[data-ludus-id="${id}"]`).first();
    try {
      switch (action.verb) {
        case 'click':
          await loc(action.id).click({ force: true, timeout: t });
          break;
        case 'check':
        case 'uncheck':
          // The env turns these into a click (or nothing) from the tree's state; kept for direct callers.
          await loc(action.id).setChecked(action.verb === 'check', { force: true, timeout: t });
          break;
        case 'hover':
          await loc(action.id).hover({ force: true, timeout: t });
          break;
        case 'fill':
          await loc(action.id).fill(action.text, { force: true, timeout: t });
          break;
        case 'select_option': {
          const l = loc(action.id);
          try {
            await l.selectOption({ label: action.value }, { force: true, timeout: t });
          } catch (err) {
            if (isTimeout(err)) throw err;
            await l.selectOption({ value: action.value }, { force: true, timeout: t });
          }
          break;
        }
        case 'press':
          await loc(action.id).press(action.key, { timeout: t });
          break;
        case 'scroll':
          await withTimeout(page.evaluate(`window.scrollBy(${action.dx}, ${action.dy})`), t, 'scrolling');
          break;
        case 'noop':
          break;
      }
      await page.waitForLoadState('domcontentloaded', { timeout: this.timeouts.navigationMs });
      return { ok: true };
    } catch (err) {
      const fault = this.fault ?? (await this.probeAfterFailure(err));
      return { ok: false, error: `${err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : ''}${firstLine(err)}`, fault };
    }
  }

  /** After a failed action: is the page still answering? A timed-out action on a page that does not answer is a hung page. */
  private async probeAfterFailure(err: unknown): Promise<Fault | null> {
    if (this.fault) return this.fault;
    if (!isTimeout(err)) return null;
    try {
      await withTimeout(this.requirePage().evaluate('1'), Math.min(1000, this.timeouts.observeMs), 'probing the page');
      return null;
    } catch {
      return this.markHung('The page stopped responding (a script that never yields?) and was discarded.');
    }
  }

  /** Marks the page as hung (the episode ends; the next reset opens a new context). */
  markHung(message: string): Fault {
    this.deadReason ??= { code: 'PAGE_UNRESPONSIVE', message };
    return this.deadReason;
  }

  /** Classifies an error thrown by a browser call into a fault (or null if the page is fine). */
  faultFrom(err: unknown): Fault | null {
    if (this.fault) return this.fault;
    if (isTimeout(err)) return this.markHung(`The page stopped responding (${firstLine(err)}) and was discarded.`);
    const msg = firstLine(err);
    if (/closed|crash|detached|Target page|has been disconnected/i.test(msg)) {
      this.deadReason = { code: 'PAGE_CLOSED', message: `The page went away during the episode (${msg}); the next reset opens a new one.` };
      return this.deadReason;
    }
    return null;
  }

  /** Closes the context (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    await this.discard();
  }

  /** Drops the current context (hung, dead or replaced), without waiting long for a hung renderer. */
  async discard(): Promise<void> {
    const ctx = this.context;
    this.context = null;
    this.page = null;
    if (ctx) await withTimeout(ctx.close(), 5000, 'closing the context').catch(() => undefined);
    if (this.holdsBrowser) {
      this.holdsBrowser = false;
      this.host.release();
    }
  }

  private requirePage(): Page {
    if (this.page === null) throw new Error('no page: the session is not open');
    return this.page;
  }

  private block(kind: BlockedKind, url: string): void {
    this.counts = addBlocked(this.counts, kind);
    if (this.notices.blocked.length < 20) this.notices.blocked.push({ kind, url: describeUrl(url) });
  }

  private async onRoute(route: Route): Promise<void> {
    const request = route.request();
    const url = request.url();
    try {
      if (isPrivateUrl(url)) {
        const u = new URL(url);
        const req: PageRequest = { path: u.pathname, query: queryOf(u), method: request.method(), url: `${u.pathname}${u.search}` };
        if (request.resourceType() === 'document' && this.isMainFrame(request)) {
          this.routeEvents.push({ type: 'navigate', path: req.path, query: req.query });
        }
        let res: PageResponse | null = null;
        try {
          res = this.handler?.(req) ?? null;
        } catch (err) {
          res = { status: 500, body: `<!doctype html><title>Error</title><p>The task failed to serve this page: ${firstLine(err).replace(/[<&>]/g, ' ')}</p>` };
        }
        const out = res ?? { status: 404, body: '<!doctype html><title>Not found</title><p>Not found.</p>' };
        await route.fulfill({ status: out.status, contentType: out.contentType ?? 'text/html; charset=utf-8', body: out.bytes ?? out.body, headers: { 'cache-control': 'no-store' } });
        return;
      }
      let mainFrame = true;
      try {
        mainFrame = request.frame().parentFrame() === null;
      } catch {
        // A popup's first request, or a service worker's, comes before (or without) a frame.
      }
      const kind = requestKind(request.resourceType(), request.isNavigationRequest(), mainFrame);
      this.block(kind, url);
      // A page that is left for elsewhere stays put: 204 cancels a navigation without an error page.
      if (kind === 'navigation') await route.fulfill({ status: 204, body: '' });
      else await route.abort('blockedbyclient');
    } catch {
      // Never leave a request hanging: whatever went wrong, it does not go out.
      await route.abort('blockedbyclient').catch(() => undefined);
    }
  }

  /** Whether a request is our page's own top-level navigation (a popup's request has no frame yet). */
  private isMainFrame(request: ReturnType<Route['request']>): boolean {
    try {
      return request.frame() === this.page?.mainFrame();
    } catch {
      return false;
    }
  }

  private onWebSocket(ws: WebSocketRoute): void {
    this.block('websocket', ws.url());
    void ws.close({ code: 1008, reason: 'blocked by browser-v1' }).catch(() => undefined);
  }

  private onDialog(dialog: Dialog): void {
    const type = dialog.type();
    this.notices.dialogs.push({ type, message: dialog.message().replace(/\s+/g, ' ').slice(0, 200) });
    // Leaving a page must not be stopped by it; every other dialog is dismissed (Cancel).
    void (type === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => undefined);
  }
}
