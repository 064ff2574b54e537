/**
 * `ludus replay`: a local web viewer over a run store (node:http, server-rendered HTML, a small
 * JSON API for the charts, uPlot served from node_modules — nothing from a CDN).
 *
 * Routes: `/` runs · `/runs/:id` a run's curves · `/compare?runs=1,2` curves overlaid ·
 * `/episodes?run&env&taskType&split&success&iteration&group&task&cursor&limit&order` ·
 * `/episodes/:id` the step timeline · `/group?run&iteration&group[&anchor]` the N trajectories ·
 * `/runs/:id/latent?iteration&role` an LSPO run's latent strategies (each role's clusters) ·
 * `/leagues` · `/leagues/:id?agent&winner&offset&limit` standings and games · `/leagues/train/:runId` a training league · `/games/:id[?seat=N]`
 * a league game, omniscient or as one seat saw it ·
 * `/api/runs`, `/api/iterations?runs=1,2`, `/api/episodes?…`, `/api/episodes/:id`, `/api/leagues`,
 * `/api/leagues/:id`, `/api/train-leagues/:runId`, `/api/games/:id` · `/static/*`.
 *
 * The store is opened read-only, so it can be viewed while a run writes it.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP, HostGuard, securityHeaders, sendMisdirected } from '../../envs/server/http-hardening.js';
import { openStore, type RunStore } from '../store.js';
import { HttpError, checkParams, intParam, parseEpisodeQuery, parseRunIds, pathId, single } from './params.js';
import { comparePage, episodePage, episodesPage, errorPage, groupPage, iterationsJson, runPage, runsPage } from './pages.js';
import { ViewerQueries } from './queries.js';
import { resumeText } from '../run-liveness.js';
import { LatentStore } from '../latent-store.js';
import { latentLink, latentPage } from './latent-page.js';
import { LeagueStore, type GameWinner } from '../league-store.js';
import { replayLogOf } from '../game-replay.js';
import { leaguePage, leaguesPage } from './league-pages.js';
import { TrainLeagueStore } from '../train-league-store.js';
import { trainLeaguePage } from './train-league-page.js';
import { replayWerewolfGame, werewolfGamePage } from './werewolf-game-page.js';
import { checkViewerBind, viewerAccess } from './viewer-auth.js';

export interface ViewerOptions {
  /** The store file (default ./ludus.db). Ignored when `store` is given. */
  db?: string;
  /** An open store to serve (not closed by the viewer). */
  store?: RunStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Required on a non-loopback host (OPTIONS_INVALID without it): every request must carry it (viewer-auth.ts). */
  token?: string;
}

export interface Viewer {
  /** `http://HOST:PORT` */
  readonly url: string;
  readonly server: Server;
  readonly store: RunStore;
  /** Handles one request (exposed for benchmarks and tests that skip the socket). */
  readonly handle: (method: string, url: string) => { status: number; type: string; body: string | Buffer };
  close(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

interface Asset {
  type: string;
  body: Buffer;
}

let assets: Map<string, Asset> | null = null;

/** uPlot's dist files and the viewer's own, read once. */
function staticAssets(): Map<string, Asset> {
  if (assets) return assets;
  const uplotDir = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  assets = new Map([
    ['uPlot.iife.min.js', { type: js, body: readFileSync(join(uplotDir, 'uPlot.iife.min.js')) }],
    ['uPlot.min.css', { type: css, body: readFileSync(join(uplotDir, 'uPlot.min.css')) }],
    ['viewer.js', { type: js, body: readFileSync(join(HERE, 'static', 'viewer.js')) }],
    ['viewer.css', { type: css, body: readFileSync(join(HERE, 'static', 'viewer.css')) }],
  ]);
  return assets;
}

// Defence in depth: the pages escape every recorded string; even so, no inline script may run.
const SECURITY_HEADERS = securityHeaders(CSP.viewer);

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

type Reply = { status: number; type: string; body: string | Buffer };

const page = (body: string): Reply => ({ status: 200, type: HTML, body });
const json = (value: unknown): Reply => ({ status: 200, type: JSON_TYPE, body: JSON.stringify(value) });

/** Builds the request router over an open store. */
export function createHandler(store: RunStore): (method: string, rawUrl: string) => Reply {
  const q = new ViewerQueries(store.db);
  const latent = new LatentStore(store);
  const leagues = new LeagueStore(store);
  const trainLeagues = new TrainLeagueStore(store);
  const mustTrainLeague = (runId: number) => {
    const summary = trainLeagues.list().find((l) => l.runId === runId);
    if (!summary) throw new HttpError(404, `Run ${runId} has no training league in this store (train with --league).`);
    return summary;
  };
  const mustLeague = (id: number) => {
    const league = leagues.getLeague(id);
    if (!league) throw new HttpError(404, `There is no league ${id} in this store.`);
    return league;
  };
  const mustGame = (id: number) => {
    const game = leagues.getGame(id);
    if (!game) throw new HttpError(404, `There is no league game ${id} in this store.`);
    return game;
  };

  const routeGet = (path: string, search: URLSearchParams): Reply => {
    let m: RegExpExecArray | null;
    if (path === '/' || path === '/runs') {
      checkParams(search, []);
      return page(runsPage(store.listRuns(), q.runStats()));
    }
    if ((m = /^\/runs\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      const id = pathId(m[1]!, 'Run');
      const run = store.getRun(id);
      if (!run) throw new HttpError(404, `There is no run ${id} in this store.`);
      return page(runPage(run, store.listIterations(id), q.runStats().get(id), store.listRuns(), resumeText(store, run), latent.hasLatentSpace(id) ? latentLink(id) : undefined));
    }
    if ((m = /^\/runs\/([^/]+)\/latent$/.exec(path))) {
      checkParams(search, ['iteration', 'role']);
      const run = mustRun(pathId(m[1]!, 'Run'));
      const clusters = latent.clusters(run.id);
      if (clusters.length === 0) throw new HttpError(404, `Run ${run.id} has no latent strategies: only LSPO runs (ludus lspo) record them.`);
      const iteration = intParam(search, 'iteration', 0) ?? Math.max(...clusters.map((c) => c.iteration));
      return page(latentPage({ run, clusters, policies: latent.policies(run.id, { iteration }), iteration, role: single(search, 'role') ?? null }));
    }
    if (path === '/compare') {
      checkParams(search, ['runs']);
      return page(comparePage(parseRunIds(search).map((id) => mustRun(id))));
    }
    if (path === '/episodes') {
      const { filter, page: pg, params } = parseEpisodeQuery(search);
      const result = store.listEpisodes(filter, pg);
      return page(
        episodesPage({
          ...result,
          total: store.countEpisodes(filter),
          params,
          runs: store.listRuns(),
          choices: q.filterChoices(),
          isFirstPage: pg.cursor === undefined,
        }),
      );
    }
    if ((m = /^\/episodes\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      return page(episodePage(episodeData(pathId(m[1]!, 'Episode'))));
    }
    if (path === '/group') {
      checkParams(search, ['run', 'iteration', 'group', 'anchor']);
      const runId = intParam(search, 'run', 1);
      const iteration = intParam(search, 'iteration', 0);
      const groupId = single(search, 'group');
      if (runId === undefined || iteration === undefined || groupId === undefined) {
        throw new HttpError(400, `A group is named by run, iteration and group, e.g. /group?run=1&iteration=0&group=i0g0.`);
      }
      const episodes = store.getGroup(runId, iteration, groupId);
      if (episodes.length === 0) throw new HttpError(404, `Run ${runId} has no group '${groupId}' in iteration ${iteration}.`);
      const highlight = single(search, 'anchor') ?? null;
      const anchor = highlight === null ? null : store.getAnchorGroup({ runId, iteration, groupId, anchorGroup: highlight });
      return page(groupPage({ runId, iteration, groupId }, episodes, q.groupSteps(runId, iteration, groupId), highlight, anchor));
    }
    if (path === '/leagues') {
      checkParams(search, []);
      return page(leaguesPage(leagues.listLeagues(), trainLeagues.list()));
    }
    if ((m = /^\/leagues\/train\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      const summary = mustTrainLeague(pathId(m[1]!, 'Run'));
      return page(trainLeaguePage({ summary, members: trainLeagues.members(summary.runId), ratings: trainLeagues.ratings(summary.runId), latest: trainLeagues.latest(summary.runId) }));
    }
    if ((m = /^\/leagues\/([^/]+)$/.exec(path))) {
      checkParams(search, ['agent', 'winner', 'offset', 'limit']);
      const league = mustLeague(pathId(m[1]!, 'League'));
      const agent = single(search, 'agent');
      const winner = single(search, 'winner');
      if (winner !== undefined && !['wolves', 'village', 'draw'].includes(winner)) throw new HttpError(400, `Query parameter 'winner' must be wolves, village or draw; got '${winner}'.`);
      const offset = intParam(search, 'offset', 0) ?? 0;
      const limit = intParam(search, 'limit', 1, 1000) ?? 50;
      const filter = { ...(agent === undefined ? {} : { agent }), ...(winner === undefined ? {} : { winner: winner as GameWinner }) };
      const { games, total } = leagues.listGames(league.id, { ...filter, offset, limit });
      return page(leaguePage({ league, ratings: leagues.ratings(league.id), games, total, filter, offset, limit }));
    }
    if ((m = /^\/games\/([^/]+)$/.exec(path))) {
      checkParams(search, ['seat']);
      const game = mustGame(pathId(m[1]!, 'Game'));
      if (game.envId !== 'werewolf-v1') throw new HttpError(404, `The viewer has no game page for ${game.envId} games.`);
      const seat = intParam(search, 'seat', 0, game.seats.length - 1);
      const replay = replayWerewolfGame(replayLogOf(game.replay));
      return page(werewolfGamePage({ game, league: leagues.getLeague(game.leagueId), replay, view: seat ?? 'all' }));
    }
    // JSON API
    if (path === '/api/leagues') {
      checkParams(search, []);
      return json(leagues.listLeagues());
    }
    if ((m = /^\/api\/leagues\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      const league = mustLeague(pathId(m[1]!, 'League'));
      return json({ ...league, ratings: leagues.ratings(league.id) });
    }
    if ((m = /^\/api\/train-leagues\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      const summary = mustTrainLeague(pathId(m[1]!, 'Run'));
      return json({ ...summary, members: trainLeagues.members(summary.runId), ratings: trainLeagues.ratings(summary.runId), latest: trainLeagues.latest(summary.runId) });
    }
    if ((m = /^\/api\/games\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      return json(mustGame(pathId(m[1]!, 'Game')));
    }
    if (path === '/api/runs') {
      checkParams(search, []);
      return json(store.listRuns());
    }
    if (path === '/api/iterations') {
      checkParams(search, ['runs']);
      return json(iterationsJson(parseRunIds(search).map((id) => ({ run: mustRun(id), iterations: store.listIterations(id) }))));
    }
    if (path === '/api/episodes') {
      const { filter, page: pg } = parseEpisodeQuery(search);
      return json(store.listEpisodes(filter, pg));
    }
    if ((m = /^\/api\/episodes\/([^/]+)$/.exec(path))) {
      checkParams(search, []);
      const id = pathId(m[1]!, 'Episode');
      const episode = store.getEpisode(id);
      if (!episode) throw new HttpError(404, `There is no episode ${id} in this store.`);
      return json(episode);
    }
    if ((m = /^\/static\/([\w.-]+)$/.exec(path))) {
      const asset = staticAssets().get(m[1]!);
      if (!asset) throw new HttpError(404, `No static file '${m[1]}'.`);
      return { status: 200, type: asset.type, body: asset.body };
    }
    if (path === '/favicon.ico') return { status: 204, type: 'text/plain', body: '' };
    throw new HttpError(404, `No page at ${path}.`);
  };

  const mustRun = (id: number) => {
    const run = store.getRun(id);
    if (!run) throw new HttpError(404, `There is no run ${id} in this store.`);
    return run;
  };

  const episodeData = (id: number) => {
    const episode = store.getEpisode(id);
    if (!episode) throw new HttpError(404, `There is no episode ${id} in this store.`);
    const groupSteps = episode.iteration !== null && episode.groupId !== null ? q.groupSteps(episode.runId, episode.iteration, episode.groupId) : [];
    return { episode, run: store.getRun(episode.runId), groupSteps, neighbours: q.neighbours(episode.runId, episode.id) };
  };

  return (method, rawUrl) => {
    let path = '/';
    try {
      const url = new URL(rawUrl, 'http://viewer.invalid');
      path = url.pathname;
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `Method ${method} is not allowed: the viewer is read-only.`);
      return routeGet(path, url.searchParams);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (path.startsWith('/api/')) return { status, type: JSON_TYPE, body: JSON.stringify({ error: message, status }) };
      return { status, type: HTML, body: errorPage(status, message) };
    }
  };
}

/** Starts the viewer; resolves once it listens. */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  checkViewerBind(host, options.token);
  const store = options.store ?? openStore(options.db ?? './ludus.db', { readonly: true });
  const ownsStore = options.store === undefined;
  const handle = createHandler(store);
  staticAssets();
  // Host names a loopback viewer answers to (refusing others defeats DNS rebinding).
  const hosts = new HostGuard(host);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.allows(req.headers.host)) {
      sendMisdirected(res, req.method === 'HEAD');
      return;
    }
    const access = viewerAccess(req, options.token);
    if (!access.ok) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : 'The viewer needs its token: open the URL with ?token=<token> once, or send Authorization: Bearer <token>.\n');
      return;
    }
    if (access.setCookie !== undefined) {
      res.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': access.setCookie, Location: access.cleanUrl ?? '/', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const reply = handle(req.method ?? 'GET', req.url ?? '/');
    res.writeHead(reply.status, {
      ...SECURITY_HEADERS,
      'Content-Type': reply.type,
      'Content-Length': Buffer.byteLength(reply.body),
      'Cache-Control': req.url?.startsWith('/static/') ? 'max-age=3600' : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  });
  server.keepAliveTimeout = 5000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (ownsStore) store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  hosts.setPort(port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    server,
    store,
    handle,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (ownsStore) store.close();
          resolve();
        });
      }),
  };
}
