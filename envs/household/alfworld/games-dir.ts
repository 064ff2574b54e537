/**
 * Finding and reading ALFWorld's games on disk: `json_2.1.1/<split>/<task>/trial_N/`, each with
 * traj_data.json and game.tw-pddl (JSON: pddl_problem, solvable, ...) or initial_state.pddl.
 * Point it at json_2.1.1 (every split found under it) or at one split directory. Games are in
 * sorted path order, so index i of a split is the same game on every machine.
 *
 * Skipped, with the reason, never silently: ALFWorld's own skips (movable and sliced trajectories,
 * game files not marked solvable), games whose files are missing or malformed (the reason names the
 * file and the field), and games the world model cannot express (game.ts).
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../core/data-errors.js';
import type { GameState } from '../state.js';
import type { TaskType } from '../task-types.js';
import { gameFromAlfworld, type TrajData } from './game.js';
import { parseProblem, PddlError } from './pddl.js';

export const ALFWORLD_SPLITS = ['train', 'valid_seen', 'valid_unseen'] as const;
export type AlfworldSplit = (typeof ALFWORLD_SPLITS)[number];

export interface GameEntry {
  split: AlfworldSplit;
  /** The trial directory, relative to the data root. */
  path: string;
}

export interface LoadedGame extends GameEntry {
  state: GameState;
  type: TaskType;
}

export interface SkippedGame extends GameEntry {
  reason: string;
}

export interface SplitLoad {
  games: LoadedGame[];
  skipped: SkippedGame[];
}

/** The split directories under `dir` (json_2.1.1, or one split). */
export function locateSplits(dir: string): { root: string; splits: Partial<Record<AlfworldSplit, string>> } {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new DataError('DATA_MISSING', `No ALFWorld game directory at ${root}: pass json_2.1.1 (with train/, valid_seen/, valid_unseen/) or one of those split directories (docs/real-benchmarks.md).`, { file: root });
  const splits: Partial<Record<AlfworldSplit, string>> = {};
  for (const s of ALFWORLD_SPLITS) if (existsSync(path.join(root, s)) && statSync(path.join(root, s)).isDirectory()) splits[s] = path.join(root, s);
  if (Object.keys(splits).length === 0 && (ALFWORLD_SPLITS as readonly string[]).includes(path.basename(root))) splits[path.basename(root) as AlfworldSplit] = root;
  if (Object.keys(splits).length === 0) {
    const hint = existsSync(path.join(root, 'traj_data.json')) ? ' (this is one trial directory: pass the json_2.1.1 directory above it)' : '';
    throw new DataError('DATA_MISSING', `${root} is not ALFWorld's json_2.1.1 nor a split directory: no train/, valid_seen/ or valid_unseen/ in it${hint}.`, { file: root });
  }
  return { root, splits };
}

/** Every trial directory of a split, sorted. */
export function listGames(root: string, split: AlfworldSplit, splitDir: string): GameEntry[] {
  const out: GameEntry[] = [];
  for (const task of readdirSync(splitDir).sort()) {
    const taskDir = path.join(splitDir, task);
    if (!statSync(taskDir).isDirectory()) continue;
    for (const trial of readdirSync(taskDir).sort()) {
      if (!trial.startsWith('trial_') || !statSync(path.join(taskDir, trial)).isDirectory()) continue;
      out.push({ split, path: path.relative(root, path.join(taskDir, trial)) });
    }
  }
  return out;
}

function readJson(file: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { ok: false, reason: `${path.basename(file)} is not valid JSON (${err instanceof Error ? err.message : String(err)}; truncated?)` };
  }
}

function checkTraj(v: unknown): string | TrajData {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'traj_data.json must hold an object';
  const t = v as Record<string, unknown>;
  if (typeof t.task_type !== 'string') return "traj_data.json: field 'task_type' must be a string";
  const p = t.pddl_params;
  if (typeof p !== 'object' || p === null) return "traj_data.json: field 'pddl_params' must be an object";
  const pp = p as Record<string, unknown>;
  for (const k of ['object_target', 'parent_target', 'toggle_target', 'mrecep_target']) if (typeof pp[k] !== 'string') return `traj_data.json: field 'pddl_params.${k}' must be a string`;
  if (typeof pp.object_sliced !== 'boolean') return "traj_data.json: field 'pddl_params.object_sliced' must be a boolean";
  return t as unknown as TrajData;
}

/** Reads one game; a skip says why. */
export function loadGame(root: string, entry: GameEntry): LoadedGame | SkippedGame {
  const dir = path.join(root, entry.path);
  const skip = (reason: string): SkippedGame => ({ ...entry, reason });
  if (/movable|Sliced/.test(entry.path)) return skip('a movable or sliced trajectory (ALFWorld skips these too)');
  const trajFile = path.join(dir, 'traj_data.json');
  if (!existsSync(trajFile)) return skip('traj_data.json is missing');
  const traj = readJson(trajFile);
  if (!traj.ok) return skip(traj.reason);
  const checked = checkTraj(traj.value);
  if (typeof checked === 'string') return skip(checked);
  let problemText: string;
  const gameFile = path.join(dir, 'game.tw-pddl');
  if (existsSync(gameFile)) {
    const g = readJson(gameFile);
    if (!g.ok) return skip(g.reason);
    const gv = g.value as Record<string, unknown>;
    if (typeof gv !== 'object' || gv === null) return skip('game.tw-pddl must hold an object');
    if (!('solvable' in gv)) return skip("game.tw-pddl has no 'solvable' key (ALFWorld skips these too)");
    if (gv.solvable !== true) return skip('game.tw-pddl is not marked solvable (ALFWorld skips these too)');
    if (typeof gv.pddl_problem !== 'string') return skip("game.tw-pddl: field 'pddl_problem' must be a string");
    problemText = gv.pddl_problem;
  } else if (existsSync(path.join(dir, 'initial_state.pddl'))) {
    problemText = readFileSync(path.join(dir, 'initial_state.pddl'), 'utf8');
  } else {
    return skip('neither game.tw-pddl nor initial_state.pddl is there');
  }
  let problem;
  try {
    problem = parseProblem(problemText);
  } catch (err) {
    if (err instanceof PddlError) return skip(`the PDDL problem is malformed: ${err.message}`);
    throw err;
  }
  const verdict = gameFromAlfworld(checked, problem, entry.path);
  return verdict.ok ? { ...entry, state: verdict.state, type: verdict.type } : skip(verdict.reason);
}

/** Reads every game of a split. */
export function loadSplit(root: string, split: AlfworldSplit, splitDir: string): SplitLoad {
  const games: LoadedGame[] = [];
  const skipped: SkippedGame[] = [];
  for (const entry of listGames(root, split, splitDir)) {
    const r = loadGame(root, entry);
    if ('state' in r) games.push(r);
    else skipped.push(r);
  }
  return { games, skipped };
}
