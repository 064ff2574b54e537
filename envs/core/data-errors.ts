/**
 * Errors of the benchmark-data loaders (WebShop's files, ALFWorld's games, MiniWoB++-style task
 * pages): stable codes, and messages that name the file, the record and the field, and say what
 * to do.
 * @module
 */
import { LudusError } from './errors.js';

export type DataErrorCode =
  /** A file or directory the loader needs is not there. */
  | 'DATA_MISSING'
  /** A file is there but is not what the loader expects (malformed JSON, truncated, a wrong field). */
  | 'DATA_INVALID'
  /** Several candidate files, or a layout the loader cannot tell apart: the user must name one. */
  | 'DATA_AMBIGUOUS';

export class DataError extends LudusError<DataErrorCode> {}

/** `file: record: message` (the record part omitted when empty). */
export function dataInvalid(file: string, record: string, message: string, data: Record<string, unknown> = {}): DataError {
  return new DataError('DATA_INVALID', `${file}: ${record === '' ? '' : `${record}: `}${message}`, { file, ...data });
}
