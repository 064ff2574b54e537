/**
 * tfjs backend selection: `tensorflow-gpu` (tfjs-node-gpu) → `tensorflow` (tfjs-node) → `wasm` → `cpu`.
 *
 * Each candidate is loaded with a dynamic import, so a missing optional package (npm skips
 * `@tensorflow/tfjs-node-gpu` when its install script cannot download libtensorflow) or one that is
 * present but whose native binding does not load just moves on to the next. The pure-JS `cpu`
 * backend is about 30x slower than wasm, so `auto` never falls to it unless `allowCpu` is set,
 * and using it always prints a loud warning. The result names the backend used and every
 * attempt, for the run to print and record.
 *
 * @example
 * const { name, tried } = await selectBackend(); // 'wasm' on a machine without libtensorflow
 * @module
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PolicyError } from './errors.js';
import { registerMissingKernels } from './kernels.js';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

/** The order `auto` tries. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface SelectBackendOptions {
  /** A backend name forces that backend (an error if it is unavailable); `auto` (default) tries BACKEND_ORDER. */
  prefer?: BackendPreference;
  /** Let `auto` fall to the slow pure-JS cpu backend when nothing faster loads. Default false. */
  allowCpu?: boolean;
  /** Where warnings go. Default `console.warn`. */
  warn?: (message: string) => void;
}

export interface BackendAttempt {
  name: BackendName;
  /** Why it was not used; absent for the backend that was selected. */
  error?: string;
}

export interface BackendSelection {
  /** The backend in use. */
  name: BackendName;
  /** The tfjs backend name (`tensorflow` for both tfjs-node packages). */
  tfBackend: string;
  /** Every backend tried, in order, the selected one last. */
  tried: BackendAttempt[];
  /** Kernels registered because the backend lacked them. */
  addedKernels: string[];
}

interface BackendLoader {
  /** The npm package that provides it. */
  pkg: string;
  /** tfjs's name for it. */
  tfName: string;
  /** What to do when it is missing. */
  installHint: string;
  load(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Imports a package by a runtime string so TypeScript does not need its types (it may be absent). */
async function importOptional(pkg: string): Promise<unknown> {
  return import(pkg);
}

const LOADERS: Record<BackendName, BackendLoader> = {
  'tensorflow-gpu': {
    pkg: '@tensorflow/tfjs-node-gpu',
    tfName: 'tensorflow',
    installHint:
      'run `npm install @tensorflow/tfjs-node-gpu` on Linux x64 with CUDA 11.2 and cuDNN 8.1, with network access to ' +
      'download libtensorflow and its install script allowed (package.json "allowScripts")',
    load: async () => {
      await importOptional('@tensorflow/tfjs-node-gpu');
    },
  },
  tensorflow: {
    pkg: '@tensorflow/tfjs-node',
    tfName: 'tensorflow',
    installHint:
      'run `npm install @tensorflow/tfjs-node` with network access to download libtensorflow and its install script ' +
      'allowed (package.json "allowScripts")',
    load: async () => {
      await importOptional('@tensorflow/tfjs-node');
    },
  },
  wasm: {
    pkg: '@tensorflow/tfjs-backend-wasm',
    tfName: 'wasm',
    installHint: 'run `npm install @tensorflow/tfjs-backend-wasm` (the .wasm binaries ship inside the package)',
    load: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the binaries are read from the package's dist folder; say so explicitly.
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(dist + path.sep);
    },
  },
  cpu: {
    pkg: '@tensorflow/tfjs-backend-cpu',
    tfName: 'cpu',
    installHint: 'run `npm install @tensorflow/tfjs-backend-cpu`',
    load: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
    },
  },
};

const CPU_WARNING =
  '[ludus] WARNING: the tfjs backend is the pure-JS `cpu` backend (~0.6 GFLOP/s, about 30x slower than wasm). ' +
  'Training will be very slow. Install @tensorflow/tfjs-backend-wasm (or tfjs-node) to fix this.';

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split('\n')[0] ?? msg;
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/**
 * Why a backend package did not load, in one line: absent (npm skipped the optional package), or
 * present but unloadable (typically its native libtensorflow binding was never downloaded).
 */
export function explainLoadError(pkg: string, err: unknown, installed: boolean): string {
  const code = (err as { code?: string } | null)?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && !installed) return `${pkg} is not installed`;
  return `${pkg} is installed but did not load: ${describe(err)}`;
}

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName): Promise<string | undefined> {
  const loader = LOADERS[name];
  try {
    await loader.load();
  } catch (err) {
    return explainLoadError(loader.pkg, err, isInstalled(loader.pkg));
  }
  try {
    if (tf.findBackendFactory(loader.tfName) == null) {
      return `${loader.pkg} loaded but registered no '${loader.tfName}' backend`;
    }
    const ok = await tf.setBackend(loader.tfName);
    if (!ok) return `tfjs could not initialise the '${loader.tfName}' backend`;
    await tf.ready();
    if (tf.getBackend() !== loader.tfName) return `tfjs is on '${tf.getBackend()}', not '${loader.tfName}'`;
  } catch (err) {
    return `the '${loader.tfName}' backend failed to initialise: ${describe(err)}`;
  }
  return undefined;
}

/**
 * tfjs-core's Node build carries no gradient functions; the `@tensorflow/tfjs` bundle registers
 * them (for every op, on every backend) when it loads.
 */
async function loadGradients(): Promise<void> {
  if (tf.getGradient('Sum') != null) return;
  await import('@tensorflow/tfjs');
  if (tf.getGradient('Sum') == null) {
    throw new PolicyError(
      'BACKEND_UNAVAILABLE',
      'Loading @tensorflow/tfjs registered no gradient functions: make sure @tensorflow/tfjs and @tensorflow/tfjs-core are the same version (npm ls @tensorflow/tfjs-core).',
    );
  }
}

let current: { key: string; selection: BackendSelection } | undefined;
let pending: Promise<BackendSelection> | undefined;

/**
 * Selects and initialises the tfjs backend. Idempotent: calling again with the same options
 * returns the same selection without reloading anything.
 *
 * @throws PolicyError `BACKEND_UNAVAILABLE` when a forced backend does not load (the message says
 *   what to install); `BACKEND_CPU_NOT_ALLOWED` when `auto` would fall to cpu without `allowCpu`.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  while (pending !== undefined) await pending.catch(() => undefined);
  const prefer = options.prefer ?? 'auto';
  const allowCpu = options.allowCpu ?? false;
  const key = `${prefer}|${allowCpu}`;
  if (current !== undefined && current.key === key && tf.getBackend() === current.selection.tfBackend) {
    return current.selection;
  }
  pending = doSelect(prefer, allowCpu, options.warn ?? ((m: string) => console.warn(m)));
  try {
    const selection = await pending;
    current = { key, selection };
    return selection;
  } finally {
    pending = undefined;
  }
}

async function doSelect(
  prefer: BackendPreference,
  allowCpu: boolean,
  warn: (message: string) => void,
): Promise<BackendSelection> {
  if (prefer !== 'auto' && !(prefer in LOADERS)) {
    throw new PolicyError(
      'BACKEND_UNAVAILABLE',
      `Unknown backend '${String(prefer)}': use one of auto, ${BACKEND_ORDER.join(', ')}.`,
      { prefer },
    );
  }
  await loadGradients();
  const order: BackendName[] = prefer === 'auto' ? BACKEND_ORDER.filter((n) => n !== 'cpu') : [prefer];
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const error = await tryBackend(name);
    if (error === undefined) return finish(name, tried, warn);
    tried.push({ name, error });
  }
  if (prefer !== 'auto') {
    const loader = LOADERS[prefer];
    throw new PolicyError(
      'BACKEND_UNAVAILABLE',
      `The '${prefer}' tfjs backend is unavailable (${tried[0]?.error}). To use it, ${loader.installHint}; ` +
        `or pass prefer 'auto' to use the best backend that loads.`,
      { prefer, tried },
    );
  }
  const summary = tried.map((t) => `${t.name}: ${t.error}`).join('; ');
  if (!allowCpu) {
    throw new PolicyError(
      'BACKEND_CPU_NOT_ALLOWED',
      `No accelerated tfjs backend loaded (${summary}). Install @tensorflow/tfjs-backend-wasm, ` +
        `or opt in to the ~30x slower pure-JS backend with allowCpu (--backend cpu).`,
      { tried },
    );
  }
  const error = await tryBackend('cpu');
  if (error !== undefined) {
    tried.push({ name: 'cpu', error });
    throw new PolicyError('BACKEND_UNAVAILABLE', `No tfjs backend loaded (${summary}; cpu: ${error}).`, { tried });
  }
  return finish('cpu', tried, warn);
}

function finish(name: BackendName, tried: BackendAttempt[], warn: (message: string) => void): BackendSelection {
  tried.push({ name });
  if (name === 'cpu') warn(CPU_WARNING);
  const tfBackend = LOADERS[name].tfName;
  const addedKernels = registerMissingKernels(tfBackend);
  return { name, tfBackend, tried, addedKernels };
}

/** The current selection, or undefined before `selectBackend()` resolved. */
export function currentBackend(): BackendSelection | undefined {
  return current?.selection;
}

/** Throws `BACKEND_NOT_SELECTED` unless a backend was selected (here or with tf.setBackend). Tensor code calls this first. */
export function assertBackendSelected(): BackendSelection | undefined {
  if (current !== undefined) return current.selection;
  // A backend set directly with tf.setBackend() is accepted as well.
  if (tf.engine().backendName == null) {
    throw new PolicyError(
      'BACKEND_NOT_SELECTED',
      'No tfjs backend selected: `await selectBackend()` (from agents/policy/backend.js) before building or running a policy.',
    );
  }
  return undefined;
}
