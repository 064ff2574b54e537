/**
 * Room layouts: for each room kind a fixed family of `LAYOUTS_PER_KIND` furnishings, each derived
 * from its own seed (`kitchen-7` is always the same kitchen). The layout ids are partitioned:
 * ids 1..SEEN_LAYOUTS are the layouts of train and valid_seen, the rest are held out for
 * valid_unseen, so an unseen task never happens in a room that training saw.
 * @module
 */
import { Rng } from '../core/rng.js';
import { LAMP_HOST_TYPES, type ReceptacleType } from './receptacles.js';
import { ROOM_FURNITURE, type RoomKind } from './rooms.js';

export const LAYOUTS_PER_KIND = 30;
/** Layout ids 1..SEEN_LAYOUTS are seen in training; SEEN_LAYOUTS+1..LAYOUTS_PER_KIND are held out. */
export const SEEN_LAYOUTS = 24;

export interface LayoutFurniture {
  type: ReceptacleType;
  count: number;
}

export interface Layout {
  /** e.g. `bedroom-12`. */
  key: string;
  kind: RoomKind;
  id: number;
  /** Receptacle types and counts, sorted by type. */
  furniture: LayoutFurniture[];
  /** Desklamps, each standing on one receptacle instance (`type`, number `n`). */
  desklamps: { type: ReceptacleType; n: number }[];
}

export function isUnseenLayout(id: number): boolean {
  return id > SEEN_LAYOUTS;
}

const cache = new Map<string, Layout>();

/** The layout `kind-id` (1 <= id <= LAYOUTS_PER_KIND). Deterministic and memoized. */
export function getLayout(kind: RoomKind, id: number): Layout {
  const key = `${kind}-${id}`;
  let layout = cache.get(key);
  if (!layout) {
    layout = buildLayout(kind, id);
    cache.set(key, layout);
  }
  return layout;
}

function buildLayout(kind: RoomKind, id: number): Layout {
  if (!Number.isInteger(id) || id < 1 || id > LAYOUTS_PER_KIND) throw new RangeError(`layout id must be 1..${LAYOUTS_PER_KIND}, got ${id}`);
  const rng = new Rng(`household-v1/layout/${kind}/${id}`);
  const counts = new Map<ReceptacleType, number>();
  for (const rule of ROOM_FURNITURE[kind]) {
    if (rule.p >= 1 || rng.bool(rule.p)) counts.set(rule.type, rng.range(rule.min, rule.max));
  }
  const desklamps: Layout['desklamps'] = [];
  const hostsPresent = () => LAMP_HOST_TYPES.filter((t) => counts.has(t));
  const wantsDesklamp =
    kind === 'bedroom' || (kind === 'livingroom' && (!counts.has('floorlamp') || (hostsPresent().length > 0 && rng.bool(0.4))));
  if (wantsDesklamp) {
    if (hostsPresent().length === 0) counts.set(kind === 'bedroom' ? 'desk' : 'sidetable', 1);
    const hosts = hostsPresent().flatMap((type) => Array.from({ length: counts.get(type) ?? 0 }, (_, i) => ({ type, n: i + 1 })));
    desklamps.push(rng.pick(hosts));
  }
  const furniture = [...counts.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => (a.type < b.type ? -1 : 1));
  return { key: `${kind}-${id}`, kind, id, furniture, desklamps };
}

/** The receptacle types present in a layout. */
export function layoutTypes(layout: Layout): Set<ReceptacleType> {
  return new Set(layout.furniture.map((f) => f.type));
}
