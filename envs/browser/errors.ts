/**
 * Typed errors of browser-v1, with stable codes and messages that say what to do.
 * Invalid actions are never errors (they are `info.invalid`); faults that end an episode (a hung
 * page, a killed browser) are reported in `info.fault` of a truncated step. These errors are for
 * what cannot be answered with a step: no browser to launch, a reset whose page never loads.
 * @module
 */
import { LudusError } from '../core/errors.js';

export type BrowserErrorCode =
  /** No Chromium executable was found (LUDUS_CHROMIUM, Playwright's browsers, the system's). */
  | 'BROWSER_NOT_FOUND'
  /** Chromium was found but did not start. */
  | 'BROWSER_LAUNCH_FAILED'
  /** A reset's page did not load in time (twice, in a fresh context the second time). */
  | 'PAGE_UNRESPONSIVE'
  /** A task definition is malformed (a custom suite). */
  | 'TASK_INVALID';

export class BrowserError extends LudusError<BrowserErrorCode> {}

/** Why an episode was cut by the browser rather than by the task (`info.fault`). */
export type FaultCode = 'PAGE_UNRESPONSIVE' | 'BROWSER_CRASHED' | 'PAGE_CLOSED';

export interface Fault {
  code: FaultCode;
  message: string;
}
