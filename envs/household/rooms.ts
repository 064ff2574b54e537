/**
 * Room kinds: which receptacles a kitchen, living room, bedroom or bathroom is furnished with
 * (a recipe of counts and probabilities) and which object types turn up in it.
 * @module
 */
import type { ObjectType } from './objects.js';
import type { ReceptacleType } from './receptacles.js';

export const ROOM_KINDS = ['kitchen', 'livingroom', 'bedroom', 'bathroom'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** One line of a room recipe: with probability `p`, between `min` and `max` instances. */
export interface FurnitureRule {
  type: ReceptacleType;
  min: number;
  max: number;
  p: number;
}

function r(type: ReceptacleType, min: number, max = min, p = 1): FurnitureRule {
  return { type, min, max, p };
}

export const ROOM_FURNITURE: Readonly<Record<RoomKind, readonly FurnitureRule[]>> = {
  kitchen: [
    r('cabinet', 2, 8),
    r('coffeemachine', 1, 1, 0.85),
    r('countertop', 1, 3),
    r('diningtable', 1, 1, 0.5),
    r('drawer', 1, 5),
    r('fridge', 1),
    r('garbagecan', 1),
    r('microwave', 1),
    r('shelf', 1, 3, 0.4),
    r('sinkbasin', 1),
    r('stoveburner', 2, 4),
    r('toaster', 1, 1, 0.7),
  ],
  livingroom: [
    r('armchair', 1, 2, 0.7),
    r('cabinet', 1, 4, 0.5),
    r('coffeetable', 1, 2, 0.7),
    r('diningtable', 1, 1, 0.4),
    r('drawer', 1, 4, 0.5),
    r('dresser', 1, 1, 0.4),
    r('floorlamp', 1, 1, 0.7),
    r('garbagecan', 1),
    r('safe', 1, 1, 0.2),
    r('shelf', 1, 4, 0.6),
    r('sidetable', 1, 2, 0.6),
    r('sofa', 1),
    r('tvstand', 1, 1, 0.5),
  ],
  bedroom: [
    r('armchair', 1, 1, 0.4),
    r('bed', 1),
    r('desk', 1, 2, 0.7),
    r('drawer', 1, 6),
    r('dresser', 1, 1, 0.6),
    r('floorlamp', 1, 1, 0.2),
    r('garbagecan', 1),
    r('laundryhamper', 1, 1, 0.4),
    r('safe', 1, 1, 0.3),
    r('shelf', 1, 4, 0.6),
    r('sidetable', 1, 2, 0.7),
  ],
  bathroom: [
    r('bathtubbasin', 1, 1, 0.6),
    r('cabinet', 1, 4),
    r('countertop', 1),
    r('drawer', 1, 4, 0.6),
    r('garbagecan', 1),
    r('handtowelholder', 1, 1, 0.7),
    r('shelf', 1, 3, 0.5),
    r('sinkbasin', 1, 2),
    r('toilet', 1),
    r('toiletpaperhanger', 1),
    r('towelholder', 1, 1, 0.7),
  ],
};

export const ROOM_OBJECTS: Readonly<Record<RoomKind, readonly ObjectType[]>> = {
  kitchen: [
    'apple', 'bowl', 'bread', 'butterknife', 'cup', 'dishsponge', 'egg', 'fork', 'kettle', 'knife', 'ladle', 'lettuce',
    'mug', 'pan', 'peppershaker', 'plate', 'pot', 'potato', 'saltshaker', 'soapbottle', 'spatula', 'spoon', 'tomato',
    'winebottle',
  ],
  livingroom: [
    'book', 'box', 'cellphone', 'creditcard', 'keychain', 'laptop', 'newspaper', 'pillow', 'remotecontrol', 'statue',
    'tissuebox', 'vase', 'watch',
  ],
  bedroom: [
    'alarmclock', 'basketball', 'book', 'bowl', 'cd', 'cellphone', 'cloth', 'creditcard', 'keychain', 'laptop', 'mug',
    'pen', 'pencil', 'pillow', 'teddybear', 'tennisracket', 'watch',
  ],
  bathroom: ['candle', 'cloth', 'handtowel', 'soapbar', 'soapbottle', 'spraybottle', 'tissuebox', 'toiletpaper', 'towel'],
};
