/**
 * The shop as a web site: the same pages the `html` mode shows, over HTTP, for people and for the
 * browser env. Stateless: every URL says the whole page state (session, query, results page,
 * product, chosen options), like WebShop's Flask site with its session in the path.
 *
 *   /                                     start page (links to sessions)
 *   /<session>                            search page (`test-12` plays test goal 12, see sessionTask)
 *   /<session>/search?q=..&page=N         results
 *   /<session>/item/<ASIN>?q=..&page=N&opt-<group>=<value>   item page
 *   /<session>/item/<ASIN>/<description|features|reviews>?.. sub-page
 *   /<session>/buy/<ASIN>?..              done page with the score
 *
 * Unknown products, bad sessions and bad paths get a 404 page; any other failure a 500 page with a
 * one-line message, never a stack trace. Binds 127.0.0.1 by default. Every response carries the
 * project's security headers (a CSP without scripts, nosniff, no framing, no referrer), and a
 * foreign Host header gets 421 (no DNS rebinding), as the replay viewer does.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSP, HostGuard, securityHeaders, sendMisdirected } from '../server/http-hardening.js';
import type { Catalog } from './catalog.js';
import { goalIndexOf, sessionTask } from './goals.js';
import { initialPage, MAX_QUERY_LENGTH, pageCount, SUB_PAGES, type PageState, type SubPage } from './pages.js';
import { escapeHtml, htmlDocument, pageHtml } from './render.js';
import { shopReward } from './reward.js';

export interface ShopSite {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SiteResponse {
  status: number;
  html: string;
}

function notFound(message: string): SiteResponse {
  return {
    status: 404,
    html: htmlDocument('Not found', `<h1>Not found</h1><p>${escapeHtml(message)}</p><p><a href="/">Start page</a></p>`),
  };
}

function startPage(): SiteResponse {
  const links = ['test-0', 'test-1', 'eval-0', 'train-0', 'guest']
    .map((s) => `<li><a href="/${s}">/${s}</a></li>`)
    .join('');
  return {
    status: 200,
    html: htmlDocument(
      'WebShop',
      `<h1>WebShop (ludus shop-v1)</h1><p>Pick a session: <code>/test-N</code>, <code>/eval-N</code> and <code>/train-N</code> play that goal; any other name plays a train goal.</p><ul>${links}</ul>`,
    ),
  };
}

/** Answers one GET: the page for `rawUrl` (path + query). Pure apart from reading the catalog. */
export function handleSiteRequest(catalog: Catalog, rawUrl: string): SiteResponse {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://shop.local');
  } catch {
    return notFound('That address is not a valid URL.');
  }
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return notFound('That address is not valid (bad percent-encoding).');
  }
  if (segments.length === 0) return startPage();
  const session = segments[0] as string;
  if (session === 'favicon.ico') return notFound('No favicon.');
  const task = sessionTask(session);
  if (task === null) return notFound(`'${session.slice(0, 80)}' is not a session name: use letters, digits, '-' or '_' (at most 64).`);
  const goal = catalog.goal(goalIndexOf(task.split, task.index));
  const q = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY_LENGTH).toLowerCase();
  const pageParam = Number(url.searchParams.get('page') ?? '1');
  const selected: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (k.startsWith('opt-') && k.length > 4) selected[k.slice(4)] = v;

  const state: PageState = { ...initialPage() };
  const render = (s: PageState, purchase: ReturnType<typeof shopReward> | null = null): SiteResponse => ({
    status: 200,
    html: pageHtml(s, { catalog, instruction: goal.instruction, session, purchase }),
  });
  const view = segments[1];
  if (view === undefined) return render(state);

  const results = () => catalog.search(q).map((i) => catalog.product(i).asin);
  const page = (n: number) => (Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= n ? pageParam : 1);
  if (view === 'search' && segments.length === 2) {
    const hits = results();
    return render({ ...state, kind: 'results', query: q, results: hits, page: page(pageCount(hits)) });
  }
  if ((view === 'item' || view === 'buy') && segments.length >= 3) {
    const asin = segments[2] as string;
    const product = catalog.productByAsin(asin);
    if (product === null) return notFound(`There is no product ${asin.slice(0, 40)} in this shop.`);
    const valid: Record<string, string> = {};
    for (const g of product.options) {
      const v = selected[g.name];
      if (v !== undefined && g.values.includes(v)) valid[g.name] = v;
    }
    const hits = results();
    const base: PageState = { ...state, query: q, results: hits, page: page(pageCount(hits)), asin: product.asin, selected: valid };
    if (view === 'buy' && segments.length === 3) {
      return render({ ...base, kind: 'done' }, shopReward(goal, product, valid));
    }
    if (view === 'item' && segments.length === 3) return render({ ...base, kind: 'item' });
    if (view === 'item' && segments.length === 4 && (SUB_PAGES as readonly string[]).includes(segments[3] as string)) {
      return render({ ...base, kind: 'sub', sub: segments[3] as SubPage });
    }
  }
  return notFound(`No page at ${url.pathname.slice(0, 120)}.`);
}

/** Serves the site on host:port (port 0: a free one). */
export async function startShopSite(catalog: Catalog, options: { host?: string; port?: number } = {}): Promise<ShopSite> {
  const host = options.host ?? '127.0.0.1';
  const hosts = new HostGuard(host);
  const headers = securityHeaders(CSP.shop);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.allows(req.headers.host)) {
      sendMisdirected(res, req.method === 'HEAD');
      return;
    }
    let out: SiteResponse;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      out = { status: 405, html: htmlDocument('Method not allowed', '<h1>Method not allowed</h1><p>The shop only answers GET.</p>') };
    } else {
      try {
        out = handleSiteRequest(catalog, req.url ?? '/');
      } catch (err) {
        out = { status: 500, html: htmlDocument('Error', `<h1>Something went wrong</h1><p>${escapeHtml(err instanceof Error ? err.message : String(err)).slice(0, 300)}</p>`) };
      }
    }
    res.writeHead(out.status, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : out.html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts.setPort(port);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
