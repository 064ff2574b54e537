/**
 * Finding and launching Chromium: one browser per process, launched on the first reset of any
 * browser-v1 env (never by `make` or option validation), shared by every session of the process
 * (one browser context each), and launched again when it died (killed, crashed).
 *
 * Lookup order: `$LUDUS_CHROMIUM`; then Playwright's own installed Chromium (`npx playwright
 * install chromium`); then the system's (`/usr/bin/chromium`, `chromium` on the PATH,
 * `chromium-browser`). When none exists the error names the commands that install one.
 * @module
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserType } from 'playwright';
import { BrowserError } from './errors.js';

/** Playwright's Chromium launcher, loaded on first use: a program that never resets a browser env never loads Playwright. */
function playwrightChromium(): BrowserType {
  return (createRequire(import.meta.url)('playwright') as typeof import('playwright')).chromium;
}

/**
 * Chromium features turned off. Playwright passes its own `--disable-features` list and Chromium
 * keeps only the last such flag, so this one repeats Playwright's (1.65) and adds the new-headless
 * browser UI's WebUI omnibox popups, which otherwise cost every browser context a second renderer
 * process (~30 MiB and ~100 ms to open).
 */
export const DISABLED_FEATURES: readonly string[] = [
  // Playwright's defaults.
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  // Ours.
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
  'SpareRendererForSitePerProcess',
];

/** Flags for a quiet, offline, headless Chromium (the host resolver maps every name, and every IP, to nothing: no DNS or connection leaves it). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-domain-reliability',
  '--metrics-recording-only',
  '--mute-audio',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

export type ChromiumSource = 'LUDUS_CHROMIUM' | 'playwright' | 'system';

export interface ChromiumLocation {
  executablePath: string;
  source: ChromiumSource;
}

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export const INSTALL_HINT =
  'install one with `apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install chromium`, or set LUDUS_CHROMIUM to the path of a Chromium or Chrome executable';

/** Where Chromium is, by the lookup order above; a BROWSER_NOT_FOUND error when nowhere. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLocation {
  const fromEnv = env.LUDUS_CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv) || !isExecutable(fromEnv)) {
      throw new BrowserError('BROWSER_NOT_FOUND', `LUDUS_CHROMIUM is set to '${fromEnv}', which is not an executable file: fix the path, unset it, or ${INSTALL_HINT}.`);
    }
    return { executablePath: fromEnv, source: 'LUDUS_CHROMIUM' };
  }
  let bundled: string | null = null;
  try {
    bundled = playwrightChromium().executablePath();
  } catch {
    bundled = null;
  }
  if (bundled && isExecutable(bundled)) return { executablePath: bundled, source: 'playwright' };
  for (const candidate of SYSTEM_CANDIDATES) if (isExecutable(candidate)) return { executablePath: candidate, source: 'system' };
  const found = onPath('chromium') ?? onPath('chromium-browser');
  if (found) return { executablePath: found, source: 'system' };
  throw new BrowserError('BROWSER_NOT_FOUND', `No Chromium found for browser-v1: ${INSTALL_HINT}.`);
}

/**
 * The process's browser: `get()` launches it on first use and again after it died; concurrent
 * callers share one launch. Sessions `acquire` and `release` it: when the last one is released the
 * browser is closed after `idleCloseMs` (unless a session comes back), so a program that is done
 * with its envs can exit — a running Chromium would keep Node's event loop alive.
 */
export class BrowserHost {
  private browser: Browser | null = null;
  private launching: Promise<Browser> | null = null;
  private launchCount = 0;
  private users = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private opening = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly locate: () => ChromiumLocation = findChromium,
    readonly idleCloseMs = 3000,
    readonly maxConcurrentOpens = 4,
  ) {}

  /**
   * Runs `fn` (opening a context: a renderer process starts) with at most `maxConcurrentOpens` at
   * a time: 64 sessions opening at once would each wait behind all the others, and their timeouts
   * would fire. The wait for a slot is not part of `fn`'s own time limit.
   */
  async withOpenSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.opening >= this.maxConcurrentOpens) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.opening += 1;
    try {
      return await fn();
    } finally {
      this.opening -= 1;
      this.waiting.shift()?.();
    }
  }

  /** A session starts using the browser. */
  acquire(): void {
    this.users += 1;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  /** A session is done with the browser; the last one out closes it after the idle delay. */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.users === 0) void this.close();
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  /** How many times a browser was launched (relaunches included). */
  get launches(): number {
    return this.launchCount;
  }

  /** The live browser, if one is running now. */
  get current(): Browser | null {
    return this.browser !== null && this.browser.isConnected() ? this.browser : null;
  }

  async get(): Promise<Browser> {
    const live = this.current;
    if (live) return live;
    if (this.launching) return this.launching;
    this.launching = this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<Browser> {
    const where = this.locate();
    let browser: Browser;
    try {
      browser = await playwrightChromium().launch({ executablePath: where.executablePath, args: [...CHROMIUM_FLAGS], headless: true, timeout: 60_000 });
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new BrowserError('BROWSER_LAUNCH_FAILED', `Chromium at ${where.executablePath} (from ${where.source}) did not start: ${why}. Check that it runs (\`${where.executablePath} --headless --version\`), or ${INSTALL_HINT}.`, undefined, { cause: err });
    }
    this.launchCount += 1;
    browser.on('disconnected', () => {
      if (this.browser === browser) this.browser = null;
    });
    this.browser = browser;
    return browser;
  }

  /** Closes the browser (every session's context with it). The next `get()` launches a new one. */
  async close(): Promise<void> {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const b = this.browser ?? (this.launching ? await this.launching.catch(() => null) : null);
    this.browser = null;
    if (b) await b.close().catch(() => undefined);
  }
}

/** The one browser of this process, shared by every browser-v1 env. */
export const sharedBrowser = new BrowserHost();
