/**
 * The receptacle catalog: every kind of furniture or appliance a household room can hold, with
 * the two properties the rules need (can it be opened, can things be put in or on it).
 * Receptacles are named `<type> <n>` ("cabinet 3"). Lamps are listed here too: a floorlamp is a
 * place you can go to (it holds nothing); a desklamp is a fixture standing on a desk, sidetable or
 * dresser (see `LAMP_HOST_TYPES`).
 * @module
 */

export const RECEPTACLE_TYPES = [
  'armchair',
  'bathtubbasin',
  'bed',
  'cabinet',
  'coffeemachine',
  'coffeetable',
  'countertop',
  'desk',
  'diningtable',
  'drawer',
  'dresser',
  'floorlamp',
  'fridge',
  'garbagecan',
  'handtowelholder',
  'laundryhamper',
  'microwave',
  'safe',
  'shelf',
  'sidetable',
  'sinkbasin',
  'sofa',
  'stoveburner',
  'toaster',
  'toilet',
  'toiletpaperhanger',
  'towelholder',
  'tvstand',
] as const;

export type ReceptacleType = (typeof RECEPTACLE_TYPES)[number];

export interface ReceptacleInfo {
  /** Starts closed; must be opened before taking from or putting into it. */
  openable: boolean;
  /** Objects can be moved to it (false only for the floorlamp). */
  holds: boolean;
}

const OPENABLE = new Set<ReceptacleType>(['cabinet', 'drawer', 'fridge', 'microwave', 'safe']);

export const RECEPTACLE_INFO: Readonly<Record<ReceptacleType, ReceptacleInfo>> = Object.fromEntries(
  RECEPTACLE_TYPES.map((t) => [t, { openable: OPENABLE.has(t), holds: t !== 'floorlamp' }]),
) as Record<ReceptacleType, ReceptacleInfo>;

export const LAMP_TYPES = ['desklamp', 'floorlamp'] as const;
export type LampType = (typeof LAMP_TYPES)[number];

/** Where a desklamp can stand. */
export const LAMP_HOST_TYPES: readonly ReceptacleType[] = ['desk', 'sidetable', 'dresser'];

/** The appliance each transformation uses. */
export const TRANSFORM_APPLIANCE = {
  clean: 'sinkbasin',
  heat: 'microwave',
  cool: 'fridge',
} as const satisfies Record<string, ReceptacleType>;
export type Transform = keyof typeof TRANSFORM_APPLIANCE;

const RECEPTACLE_SET = new Set<string>(RECEPTACLE_TYPES);
export function isReceptacleType(s: string): s is ReceptacleType {
  return RECEPTACLE_SET.has(s);
}
export function isLampType(s: string): s is LampType {
  return s === 'desklamp' || s === 'floorlamp';
}
