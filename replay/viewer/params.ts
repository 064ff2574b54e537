/**
 * Query-string parsing for the viewer: strict (unknown or malformed parameters are a 400 with a
 * message saying what is accepted), empty values mean "any" (what an HTML form sends).
 * @module
 */
import type { EpisodeFilter, Pagination } from '../types.js';

/** An HTTP error with a message meant for the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const EPISODE_PARAMS = ['run', 'env', 'task', 'taskType', 'split', 'success', 'iteration', 'group', 'cursor', 'limit', 'order'] as const;

export interface EpisodeQuery {
  filter: EpisodeFilter;
  page: Pagination & { limit: number; order: 'asc' | 'desc' };
  /** The filter as query params (for links that keep it). */
  params: Record<string, string>;
}

/** Rejects parameters not in `allowed`. */
export function checkParams(search: URLSearchParams, allowed: readonly string[]): void {
  for (const key of new Set(search.keys())) {
    if (!allowed.includes(key)) {
      throw new HttpError(400, `Unknown query parameter '${key}'. Accepted: ${allowed.join(', ')}.`);
    }
  }
}

/** The single non-empty value of a parameter, or undefined. */
export function single(search: URLSearchParams, key: string): string | undefined {
  const values = search.getAll(key).filter((v) => v !== '');
  if (values.length > 1) throw new HttpError(400, `Query parameter '${key}' is given ${values.length} times; give it once.`);
  return values[0];
}

export function intParam(search: URLSearchParams, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = single(search, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new HttpError(400, `Query parameter '${key}' must be an integer; got '${v}'.`);
  const n = Number(v);
  if (n < min || n > max) throw new HttpError(400, `Query parameter '${key}' must be between ${min} and ${max}; got ${v}.`);
  return n;
}

export function parseEpisodeQuery(search: URLSearchParams): EpisodeQuery {
  checkParams(search, EPISODE_PARAMS);
  const filter: EpisodeFilter = {};
  const params: Record<string, string> = {};
  const run = intParam(search, 'run', 1);
  if (run !== undefined) (filter.runId = run), (params.run = String(run));
  for (const [key, field] of [
    ['env', 'envId'],
    ['task', 'taskId'],
    ['taskType', 'taskType'],
    ['split', 'split'],
    ['group', 'groupId'],
  ] as const) {
    const v = single(search, key);
    if (v !== undefined) (filter[field] = v), (params[key] = v);
  }
  const success = single(search, 'success');
  if (success !== undefined) {
    const s = success.toLowerCase();
    if (['true', '1', 'yes'].includes(s)) filter.success = true;
    else if (['false', '0', 'no'].includes(s)) filter.success = false;
    else throw new HttpError(400, `Query parameter 'success' must be true or false; got '${success}'.`);
    params.success = String(filter.success);
  }
  const iteration = single(search, 'iteration');
  if (iteration !== undefined) {
    if (iteration === 'none') filter.iteration = null;
    else {
      if (!/^\d+$/.test(iteration) || !Number.isSafeInteger(Number(iteration))) {
        throw new HttpError(400, `Query parameter 'iteration' must be an integer >= 0 or 'none' (at most ${Number.MAX_SAFE_INTEGER}); got '${iteration}'.`);
      }
      filter.iteration = Number(iteration);
    }
    params.iteration = iteration;
  }
  const limit = intParam(search, 'limit', 1, 1000) ?? 50;
  const cursor = intParam(search, 'cursor', 0);
  const order = single(search, 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new HttpError(400, `Query parameter 'order' must be asc or desc; got '${order}'.`);
  if (limit !== 50) params.limit = String(limit);
  if (order !== 'desc') params.order = order;
  return { filter, page: { limit, order, ...(cursor === undefined ? {} : { cursor }) }, params };
}

/** `runs=1,2` or `runs=1&runs=2`: distinct run ids in order, at least one, at most 12. */
export function parseRunIds(search: URLSearchParams, key = 'runs'): number[] {
  const parts = search
    .getAll(key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (parts.length === 0) throw new HttpError(400, `Query parameter '${key}' is required: run ids, e.g. ${key}=1,2.`);
  const ids: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) < 1 || !Number.isSafeInteger(Number(p))) {
      throw new HttpError(400, `Query parameter '${key}' must list run ids (integers from 1 to ${Number.MAX_SAFE_INTEGER}); got '${p}'.`);
    }
    if (!ids.includes(Number(p))) ids.push(Number(p));
  }
  if (ids.length > 12) throw new HttpError(400, `Compare at most 12 runs at once; got ${ids.length}.`);
  return ids;
}

/** A positive integer id from a path segment. */
export function pathId(segment: string, what: string): number {
  if (!/^\d+$/.test(segment) || Number(segment) < 1 || Number(segment) > Number.MAX_SAFE_INTEGER) {
    throw new HttpError(400, `${what} id must be an integer >= 1; got '${segment}'.`);
  }
  return Number(segment);
}
