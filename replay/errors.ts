/**
 * Typed store errors with stable codes. A `LudusError` (envs/core/errors.ts) with the store's own codes: `code`,
 * a message that says what to do, optional JSON `data`.
 * @module
 */

import { LudusError } from '../envs/core/errors.js';

export type StoreErrorCode =
  /** The file's schema is newer than this code (or older, on a read-only open). */
  | 'STORE_VERSION'
  /** The file is an SQLite database of something else. */
  | 'STORE_FOREIGN'
  /** The file could not be opened. */
  | 'STORE_OPEN'
  /** A run (or other parent row) does not exist. */
  | 'STORE_NOT_FOUND'
  /** The row already exists (e.g. an iteration recorded twice). */
  | 'STORE_CONFLICT'
  /** A record did not fit the schema (wrong type, missing field, duplicate step index). */
  | 'STORE_INVALID'
  /** The store was closed. */
  | 'STORE_CLOSED'
  /** A write on a store opened read-only. */
  | 'STORE_READONLY';

export class StoreError extends LudusError<StoreErrorCode> {}

/** True for better-sqlite3's `SqliteError` (it carries an `SQLITE_*` code). */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
