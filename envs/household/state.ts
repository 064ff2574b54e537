/**
 * The game state: a static world (room, receptacles, objects, lamps), the goal, and the dynamic
 * part that commands change. Everything is plain JSON, so a snapshot is the state itself.
 * Indices, not names, link the parts: `dyn.where[o]` is the receptacle index object `o` is in
 * (-1 while carried), `dyn.location` the receptacle the agent stands at (-1 = middle of the room).
 *
 * Derived look-ups (name tables, "go to" strings, the world's hash) are cached per world object in
 * a WeakMap, so a step never rebuilds them.
 * @module
 */
import { stateHash } from '../core/state-hash.js';
import type { ObjectType } from './objects.js';
import { RECEPTACLE_INFO, type LampType, type ReceptacleType } from './receptacles.js';
import type { RoomKind } from './rooms.js';
import type { TaskType } from './task-types.js';

export interface Receptacle {
  name: string;
  type: ReceptacleType;
}

export interface Item {
  name: string;
  type: ObjectType;
}

export interface Lamp {
  name: string;
  type: LampType;
  /** The receptacle it stands on (desklamp) or is (floorlamp). */
  at: number;
}

export interface World {
  roomKind: RoomKind;
  layout: string;
  /** Sorted by name; the look text lists them in this order. */
  receptacles: Receptacle[];
  /** Pickable objects; contents are listed in this order. */
  objects: Item[];
  lamps: Lamp[];
}

export interface Goal {
  type: TaskType;
  object: ObjectType;
  target: ReceptacleType | LampType;
  /** The goal sentence. */
  text: string;
}

/** Object state bits. */
export const CLEAN = 1;
export const HOT = 2;
export const COOL = 4;

export interface Dyn {
  /** Receptacle index the agent is at, -1 = the middle of the room. */
  location: number;
  /** Object index carried, -1 = nothing. */
  holding: number;
  /** Per object: receptacle index, -1 while carried. */
  where: number[];
  /** Per object: CLEAN | HOT | COOL bits. */
  flags: number[];
  /** Per receptacle: open (only meaningful for openable ones). */
  open: boolean[];
  /** Per lamp: switched on. */
  lit: boolean[];
  /** A goal object has been seen (progress diagnostic, not part of the state key). */
  found: boolean;
  /** A goal object has been picked up (progress diagnostic, not part of the state key). */
  picked: boolean;
  /** The goal was reached. */
  done: boolean;
}

export interface GameState {
  world: World;
  goal: Goal;
  dyn: Dyn;
}

export type EntityRef = { kind: 'receptacle'; index: number } | { kind: 'object'; index: number } | { kind: 'lamp'; index: number };

export interface WorldIndex {
  byName: Map<string, EntityRef>;
  /** `go to <r>` per receptacle. */
  goTo: string[];
  openable: boolean[];
  holds: boolean[];
  /** Lamp indices standing at each receptacle. */
  lampsAt: number[][];
  /** Hash of the static world, part of every state key. */
  signature: string;
}

const indexCache = new WeakMap<World, WorldIndex>();

export function worldIndex(world: World): WorldIndex {
  let idx = indexCache.get(world);
  if (!idx) {
    const byName = new Map<string, EntityRef>();
    world.receptacles.forEach((r, index) => byName.set(r.name, { kind: 'receptacle', index }));
    world.objects.forEach((o, index) => byName.set(o.name, { kind: 'object', index }));
    // A floorlamp is both a receptacle and a lamp under one name: the name resolves to the receptacle.
    world.lamps.forEach((l, index) => {
      if (!byName.has(l.name)) byName.set(l.name, { kind: 'lamp', index });
    });
    const lampsAt: number[][] = world.receptacles.map(() => []);
    world.lamps.forEach((l, i) => lampsAt[l.at]?.push(i));
    idx = {
      byName,
      goTo: world.receptacles.map((r) => `go to ${r.name}`),
      openable: world.receptacles.map((r) => RECEPTACLE_INFO[r.type].openable),
      holds: world.receptacles.map((r) => RECEPTACLE_INFO[r.type].holds),
      lampsAt,
      signature: worldSignature(world),
    };
    indexCache.set(world, idx);
  }
  return idx;
}

/** A hash of the static world from a compact text form (names carry the types). */
function worldSignature(world: World): string {
  const recs = world.receptacles.map((r) => r.name).join(',');
  const objs = world.objects.map((o) => o.name).join(',');
  const lamps = world.lamps.map((l) => `${l.name}@${l.at}`).join(',');
  return stateHash(`${world.roomKind}|${world.layout}|${recs}|${objs}|${lamps}`);
}

/** Whether the inside/top of receptacle `r` can be seen and reached (not a closed openable). */
export function isAccessible(state: GameState, r: number): boolean {
  return !worldIndex(state.world).openable[r] || state.dyn.open[r] === true;
}

/** Per world: state keys already hashed, by their text (episodes revisit states often). */
const keyCache = new WeakMap<World, Map<string, string>>();
/** Entries per world before its cache starts over (a bound, not a tuning knob). */
const KEY_CACHE_SIZE = 4096;

/** A hash of the true state: world, location, inventory, object places and states, doors, lamps. */
export function stateKeyOf(state: GameState): string {
  const d = state.dyn;
  let open = '';
  for (const o of d.open) open += o ? '1' : '0';
  let lit = '';
  for (const l of d.lit) lit += l ? '1' : '0';
  const text = `${d.location}|${d.holding}|${d.where.join(',')}|${d.flags.join(',')}|${open}|${lit}`;
  let cache = keyCache.get(state.world);
  if (cache === undefined) keyCache.set(state.world, (cache = new Map()));
  let key = cache.get(text);
  if (key === undefined) {
    if (cache.size >= KEY_CACHE_SIZE) cache.clear();
    key = stateHash(`${worldIndex(state.world).signature}|${text}`);
    cache.set(text, key);
  }
  return key;
}
