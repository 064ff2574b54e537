/**
 * The object catalog: what can be picked up, what each thing can undergo (cleaned in a sinkbasin,
 * heated in a microwave, cooled in a fridge, looked at under a lamp) and where it plausibly lies
 * (receptacle type → relative weight). World generation places objects by these weights, goals put
 * objects only where they plausibly belong, and the expert searches in the same order a person
 * would. Objects are named `<type> <n>` ("mug 2").
 * @module
 */
import type { ReceptacleType } from './receptacles.js';

export interface ObjectInfo {
  clean: boolean;
  heat: boolean;
  cool: boolean;
  /** Can be the object of a look_at_obj_in_light task. */
  look: boolean;
  /** Plausible locations, with weights. */
  spots: Partial<Record<ReceptacleType, number>>;
}

type Props = Partial<Pick<ObjectInfo, 'clean' | 'heat' | 'cool' | 'look'>>;

function obj(props: Props, spots: ObjectInfo['spots']): ObjectInfo {
  return { clean: false, heat: false, cool: false, look: false, ...props, spots };
}

const FOOD = { clean: true, heat: true, cool: true };
const CUTLERY_SPOTS = { drawer: 3, countertop: 2, diningtable: 2, sinkbasin: 1 } as const;
const SMALL_THING_SPOTS = { desk: 2, drawer: 2, sidetable: 2, shelf: 1, dresser: 1, garbagecan: 1 } as const;

export const OBJECT_INFO = {
  // kitchen
  apple: obj(FOOD, { fridge: 3, countertop: 3, diningtable: 2, sinkbasin: 1, garbagecan: 1, microwave: 1 }),
  bread: obj({ heat: true, cool: true }, { countertop: 3, diningtable: 2, fridge: 1, microwave: 1, cabinet: 1 }),
  egg: obj(FOOD, { fridge: 3, countertop: 2, diningtable: 1, sinkbasin: 1, garbagecan: 1, microwave: 1 }),
  lettuce: obj({ clean: true, cool: true }, { fridge: 3, countertop: 2, diningtable: 2, sinkbasin: 1 }),
  potato: obj(FOOD, { fridge: 2, countertop: 2, diningtable: 2, sinkbasin: 1, garbagecan: 1, microwave: 1 }),
  tomato: obj(FOOD, { fridge: 2, countertop: 3, diningtable: 2, sinkbasin: 1, microwave: 1 }),
  mug: obj(
    { ...FOOD, look: true },
    { cabinet: 2, countertop: 3, coffeemachine: 2, sinkbasin: 1, microwave: 1, shelf: 1, diningtable: 1, desk: 2, sidetable: 1, dresser: 1 },
  ),
  cup: obj(FOOD, { cabinet: 2, countertop: 3, sinkbasin: 1, fridge: 1, microwave: 1, shelf: 1, diningtable: 2 }),
  bowl: obj(
    { clean: true, cool: true, look: true },
    { cabinet: 2, countertop: 2, fridge: 1, sinkbasin: 1, shelf: 2, diningtable: 2, microwave: 1, desk: 2, sidetable: 1, dresser: 1 },
  ),
  plate: obj(FOOD, { cabinet: 3, countertop: 2, fridge: 1, diningtable: 2, shelf: 1, sinkbasin: 1 }),
  pan: obj({ clean: true, cool: true }, { stoveburner: 4, cabinet: 2, countertop: 1, sinkbasin: 1, fridge: 1 }),
  pot: obj({ clean: true, cool: true }, { stoveburner: 4, cabinet: 2, countertop: 1, sinkbasin: 1, fridge: 1 }),
  kettle: obj({ clean: true }, { stoveburner: 3, cabinet: 2, countertop: 2, shelf: 1 }),
  knife: obj({ clean: true }, { countertop: 3, drawer: 2, diningtable: 2, sinkbasin: 1 }),
  butterknife: obj({ clean: true }, { countertop: 3, drawer: 2, diningtable: 2, sinkbasin: 1 }),
  fork: obj({ clean: true }, CUTLERY_SPOTS),
  spoon: obj({ clean: true }, CUTLERY_SPOTS),
  spatula: obj({ clean: true }, { drawer: 3, countertop: 2, diningtable: 1, sinkbasin: 1 }),
  ladle: obj({ clean: true }, { drawer: 2, countertop: 2, diningtable: 1, sinkbasin: 1 }),
  dishsponge: obj({ clean: true }, { sinkbasin: 3, countertop: 2, cabinet: 1, drawer: 1 }),
  saltshaker: obj({}, { countertop: 3, cabinet: 2, shelf: 2, drawer: 1, diningtable: 2 }),
  peppershaker: obj({}, { countertop: 3, cabinet: 2, shelf: 2, drawer: 1, diningtable: 2 }),
  soapbottle: obj({}, { countertop: 3, cabinet: 2, shelf: 1, toilet: 2, garbagecan: 1 }),
  winebottle: obj({ cool: true }, { fridge: 2, countertop: 2, cabinet: 1, diningtable: 2, shelf: 1 }),
  // living room and bedroom
  remotecontrol: obj({ look: true }, { sofa: 3, armchair: 2, coffeetable: 3, sidetable: 2, tvstand: 2, dresser: 1, drawer: 1 }),
  keychain: obj(
    { look: true },
    { sofa: 1, armchair: 1, coffeetable: 2, sidetable: 2, drawer: 2, shelf: 1, dresser: 2, safe: 1, desk: 1 },
  ),
  creditcard: obj(
    { look: true },
    { sofa: 1, armchair: 1, coffeetable: 2, sidetable: 2, drawer: 2, shelf: 1, dresser: 1, diningtable: 1, desk: 2 },
  ),
  newspaper: obj({ look: true }, { sofa: 2, armchair: 2, coffeetable: 2, sidetable: 1, diningtable: 1 }),
  pillow: obj({ look: true }, { sofa: 3, armchair: 2, bed: 3 }),
  laptop: obj({ look: true }, { sofa: 2, armchair: 1, coffeetable: 2, diningtable: 1, bed: 3, desk: 3 }),
  box: obj({ look: true }, { sofa: 1, armchair: 1, coffeetable: 2, sidetable: 1, diningtable: 1, shelf: 1, cabinet: 1, dresser: 1 }),
  statue: obj(
    { look: true },
    { shelf: 3, coffeetable: 2, sidetable: 2, dresser: 2, tvstand: 1, diningtable: 1, desk: 1, cabinet: 1 },
  ),
  vase: obj({ look: true }, { shelf: 3, coffeetable: 2, sidetable: 2, tvstand: 1, cabinet: 1, diningtable: 1, dresser: 1 }),
  watch: obj({ look: true }, { coffeetable: 2, sidetable: 2, drawer: 2, shelf: 1, dresser: 2, safe: 1, desk: 1 }),
  tissuebox: obj({}, { coffeetable: 2, sidetable: 2, shelf: 1, dresser: 2, countertop: 2, toilet: 2, desk: 1 }),
  book: obj(
    { look: true },
    { bed: 3, desk: 3, sidetable: 2, shelf: 2, dresser: 1, drawer: 1, sofa: 1, coffeetable: 2, armchair: 1 },
  ),
  cellphone: obj(
    { look: true },
    { bed: 2, desk: 2, sidetable: 2, dresser: 2, drawer: 1, sofa: 2, armchair: 1, coffeetable: 1 },
  ),
  alarmclock: obj({ look: true }, { desk: 3, sidetable: 3, dresser: 2, shelf: 2 }),
  cd: obj({ look: true }, { desk: 2, drawer: 2, shelf: 2, sidetable: 2, safe: 1, garbagecan: 1 }),
  pen: obj({ look: true }, SMALL_THING_SPOTS),
  pencil: obj({ look: true }, SMALL_THING_SPOTS),
  teddybear: obj({ look: true }, { bed: 3, armchair: 2, dresser: 1, shelf: 1 }),
  basketball: obj({}, { bed: 2, armchair: 1, desk: 1 }),
  tennisracket: obj({}, { bed: 2, desk: 1, armchair: 1 }),
  // bathroom
  soapbar: obj({ clean: true }, { bathtubbasin: 2, sinkbasin: 2, countertop: 2, cabinet: 1, toilet: 2, garbagecan: 1 }),
  spraybottle: obj({}, { cabinet: 2, countertop: 2, toilet: 2, shelf: 1, garbagecan: 1 }),
  toiletpaper: obj({}, { toiletpaperhanger: 3, toilet: 2, cabinet: 2, countertop: 1, shelf: 1, drawer: 1, garbagecan: 1 }),
  cloth: obj(
    { clean: true },
    { countertop: 2, cabinet: 2, bathtubbasin: 2, drawer: 1, sinkbasin: 1, toilet: 1, shelf: 1, laundryhamper: 3 },
  ),
  towel: obj({}, { towelholder: 4, countertop: 1, shelf: 1 }),
  handtowel: obj({}, { handtowelholder: 4, countertop: 1, cabinet: 1 }),
  candle: obj({}, { countertop: 2, cabinet: 2, toilet: 2, shelf: 2, drawer: 1, bathtubbasin: 1 }),
  // ALFWorld's other pickupable types: never generated (ROOM_OBJECTS does not list them), present
  // so that its own games holding them can be loaded (envs/household/alfworld/).
  baseballbat: obj({}, { bed: 1, armchair: 1, desk: 1, shelf: 1 }),
  boots: obj({}, { bed: 1, armchair: 1, shelf: 1 }),
  glassbottle: obj({}, { countertop: 2, cabinet: 2, fridge: 1, shelf: 1, diningtable: 1 }),
  papertowel: obj({}, { countertop: 2, cabinet: 1, diningtable: 1 }),
  papertowelroll: obj({}, { countertop: 2, cabinet: 1, diningtable: 1, shelf: 1 }),
  plunger: obj({}, { cabinet: 2, toilet: 1, countertop: 1 }),
  scrubbrush: obj({}, { cabinet: 2, toilet: 1, countertop: 1 }),
  wateringcan: obj({}, { shelf: 2, diningtable: 1, coffeetable: 1, sidetable: 1 }),
} as const satisfies Record<string, ObjectInfo>;

export type ObjectType = keyof typeof OBJECT_INFO;
export const OBJECT_TYPES = Object.keys(OBJECT_INFO).sort() as ObjectType[];

const OBJECT_SET = new Set<string>(OBJECT_TYPES);
export function isObjectType(s: string): s is ObjectType {
  return OBJECT_SET.has(s);
}

/** The catalog entry of an object type (typed loosely, for lookups by string). */
export function objectInfo(type: ObjectType): ObjectInfo {
  return OBJECT_INFO[type] as ObjectInfo;
}

/** The plausibility weight of finding `type` on/in a receptacle of type `recep` (0 if implausible). */
export function spotWeight(type: ObjectType, recep: ReceptacleType): number {
  return objectInfo(type).spots[recep] ?? 0;
}
