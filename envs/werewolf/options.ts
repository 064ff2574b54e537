/**
 * werewolf-v1's own options (validated once by `makeMulti`, defaults applied):
 *  - discussion: 'seat-order' (default; each living player speaks once a day, lowest seat first) or
 *    'bidding' (Werewolf Arena's turn-taking: before each turn every living player except the
 *    previous speaker bids 0–4 and the highest bid speaks; at most `maxTurns` turns a day).
 *  - maxTurns: speeches per day under 'bidding' (default 8, Werewolf Arena's).
 *  - tieRule: what a tied vote does — 'no-exile' (default: nobody leaves) or 'random' (a seeded
 *    draw among the tied players).
 *  - doctorSelfSave: the doctor may protect itself (default true).
 *  - doctorRepeatSave: the doctor may protect the same player two nights running (default false).
 *  - maxRounds: rounds (a night and a day) before the game ends as a draw (default 10).
 *  - speechLimit: characters a speech keeps; longer ones are cut, and the speaker's info says so
 *    (default and maximum 1,000).
 * @module
 */
import { z } from 'zod';

export const MAX_SPEECH_CHARS = 1000;

export const werewolfOptionsSchema = z
  .object({
    discussion: z.enum(['seat-order', 'bidding']).default('seat-order'),
    maxTurns: z.number().int().min(1).max(50).default(8),
    tieRule: z.enum(['no-exile', 'random']).default('no-exile'),
    doctorSelfSave: z.boolean().default(true),
    doctorRepeatSave: z.boolean().default(false),
    maxRounds: z.number().int().min(1).max(100).default(10),
    speechLimit: z.number().int().min(1).max(MAX_SPEECH_CHARS).default(MAX_SPEECH_CHARS),
  })
  .strict();

export type WerewolfOptions = z.infer<typeof werewolfOptionsSchema>;
export type WerewolfOptionsInput = z.input<typeof werewolfOptionsSchema>;

export const DEFAULT_WEREWOLF_OPTIONS: WerewolfOptions = werewolfOptionsSchema.parse({});
