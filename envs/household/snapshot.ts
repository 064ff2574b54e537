/**
 * The env's snapshot format (plain JSON) and its validation: `restore` accepts only a well-formed
 * snapshot of household-v1 and throws InvalidStateError saying what is wrong otherwise.
 * @module
 */
import { InvalidStateError } from '../core/errors.js';
import type { RngState } from '../core/rng.js';
import type { TaskInfo } from '../core/types.js';
import { isObjectType } from './objects.js';
import { isLampType, isReceptacleType } from './receptacles.js';
import { ROOM_KINDS } from './rooms.js';
import { HOUSEHOLD_SPLITS } from './splits.js';
import type { GameState } from './state.js';
import { isTaskType } from './task-types.js';

export const SNAPSHOT_FORMAT = 'household-v1';
export const SNAPSHOT_VERSION = 1;

export interface HouseholdSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  task: TaskInfo & { type: string };
  seed: number;
  /** The last observation text. */
  text: string;
  game: GameState;
  /** The stream that seeds resets called without a seed. */
  seeds: RngState;
}

type Rec = Record<string, unknown>;

function bad(what: string): never {
  throw new InvalidStateError(`Not a valid household-v1 snapshot: ${what}.`);
}

/** An object with exactly the keys `keys` (none missing is checked by the field checks; none extra here). */
function obj(v: unknown, what: string, keys: readonly string[]): Rec {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(`${what} must be an object`);
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length > 0) bad(`${what} has unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}`);
  return v as Rec;
}

function arr(v: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(v)) bad(`${what} must be an array`);
  if (length !== undefined && v.length !== length) bad(`${what} must have ${length} entries`);
  return v;
}

function int(v: unknown, what: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) bad(`${what} must be an integer in ${lo}..${hi}`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') bad(`${what} must be a string`);
  return v;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') bad(`${what} must be a boolean`);
  return v;
}

/** Checks the shape and every cross-reference; returns the same value typed. */
export function validateSnapshot(value: unknown): HouseholdSnapshot {
  const s = obj(value, 'the state', ['format', 'version', 'task', 'seed', 'text', 'game', 'seeds']);
  if (s.format !== SNAPSHOT_FORMAT) bad(`format must be '${SNAPSHOT_FORMAT}'`);
  if (s.version !== SNAPSHOT_VERSION) bad(`version must be ${SNAPSHOT_VERSION}`);
  const task = obj(s.task, 'task', ['id', 'split', 'index', 'type', 'game']);
  str(task.id, 'task.id');
  if (task.game !== undefined) str(task.game, 'task.game');
  const split = str(task.split, 'task.split');
  if (!Object.hasOwn(HOUSEHOLD_SPLITS, split)) bad('task.split is unknown');
  int(task.index, 'task.index', 0, HOUSEHOLD_SPLITS[split as keyof typeof HOUSEHOLD_SPLITS] - 1);
  if (!isTaskType(str(task.type, 'task.type'))) bad('task.type is unknown');
  if (typeof s.seed !== 'number' || !Number.isFinite(s.seed)) bad('seed must be a finite number');
  str(s.text, 'text');
  arr(s.seeds, 'seeds', 4).forEach((x, i) => int(x, `seeds[${i}]`, 0, 0xffffffff));

  const game = obj(s.game, 'game', ['world', 'goal', 'dyn']);
  const world = obj(game.world, 'game.world', ['roomKind', 'layout', 'receptacles', 'objects', 'lamps']);
  if (!(ROOM_KINDS as readonly unknown[]).includes(world.roomKind)) bad('game.world.roomKind is unknown');
  str(world.layout, 'game.world.layout');
  const names = new Set<string>();
  const recs = arr(world.receptacles, 'game.world.receptacles');
  recs.forEach((r, i) => {
    const rec = obj(r, `receptacle ${i}`, ['name', 'type']);
    if (!isReceptacleType(str(rec.type, `receptacle ${i} type`))) bad(`receptacle ${i} has an unknown type`);
    names.add(str(rec.name, `receptacle ${i} name`));
  });
  const objects = arr(world.objects, 'game.world.objects');
  objects.forEach((o, i) => {
    const item = obj(o, `object ${i}`, ['name', 'type']);
    if (!isObjectType(str(item.type, `object ${i} type`))) bad(`object ${i} has an unknown type`);
    names.add(str(item.name, `object ${i} name`));
  });
  if (names.size !== recs.length + objects.length) bad('names of receptacles and objects must be unique');
  const lamps = arr(world.lamps, 'game.world.lamps');
  lamps.forEach((l, i) => {
    const lamp = obj(l, `lamp ${i}`, ['name', 'type', 'at']);
    if (!isLampType(str(lamp.type, `lamp ${i} type`))) bad(`lamp ${i} has an unknown type`);
    str(lamp.name, `lamp ${i} name`);
    int(lamp.at, `lamp ${i} at`, 0, recs.length - 1);
  });

  const goal = obj(game.goal, 'game.goal', ['type', 'object', 'target', 'text']);
  if (!isTaskType(str(goal.type, 'game.goal.type'))) bad('game.goal.type is unknown');
  if (!isObjectType(str(goal.object, 'game.goal.object'))) bad('game.goal.object is unknown');
  const target = str(goal.target, 'game.goal.target');
  if (!isReceptacleType(target) && !isLampType(target)) bad('game.goal.target is unknown');
  str(goal.text, 'game.goal.text');

  const dyn = obj(game.dyn, 'game.dyn', ['location', 'holding', 'where', 'flags', 'open', 'lit', 'found', 'picked', 'done']);
  int(dyn.location, 'game.dyn.location', -1, recs.length - 1);
  const holding = int(dyn.holding, 'game.dyn.holding', -1, objects.length - 1);
  arr(dyn.where, 'game.dyn.where', objects.length).forEach((w, i) => {
    int(w, `game.dyn.where[${i}]`, -1, recs.length - 1);
    if ((w === -1) !== (holding === i)) bad(`object ${i} must be carried exactly when game.dyn.holding says so`);
  });
  arr(dyn.flags, 'game.dyn.flags', objects.length).forEach((f, i) => int(f, `game.dyn.flags[${i}]`, 0, 7));
  arr(dyn.open, 'game.dyn.open', recs.length).forEach((b, i) => bool(b, `game.dyn.open[${i}]`));
  arr(dyn.lit, 'game.dyn.lit', lamps.length).forEach((b, i) => bool(b, `game.dyn.lit[${i}]`));
  bool(dyn.found, 'game.dyn.found');
  bool(dyn.picked, 'game.dyn.picked');
  bool(dyn.done, 'game.dyn.done');
  return value as HouseholdSnapshot;
}
