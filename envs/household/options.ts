/**
 * household-v1's own options (validated by `make`, defaults applied):
 *  - difficulty: 'easy' (≤ 6 receptacles, ≤ 2 distractor types), 'medium' (≤ 12, ≤ 4) or
 *    'full' (the whole layout; default). Receptacles the task needs are always kept.
 *  - taskTypes: the task types a reset without a task draws from (default: all six). A task
 *    named explicitly in reset is played whatever its type.
 *  - games: { dir }: play ALFWorld's own games (json_2.1.1, or one split directory of it) instead of
 *    generated tasks; task ids index each split's playable games in sorted path order, and games
 *    the loader cannot express are reported (stderr and `ludus bench-data check`), not played.
 *    difficulty and taskTypes do not apply to them.
 * @module
 */
import { z } from 'zod';
import { DIFFICULTIES } from './difficulty.js';
import { TASK_TYPES } from './task-types.js';

export const householdOptionsSchema = z
  .object({
    difficulty: z.enum(DIFFICULTIES).default('full'),
    taskTypes: z
      .array(z.enum(TASK_TYPES))
      .min(1)
      .refine((types) => new Set(types).size === types.length, { message: 'task types must not repeat' })
      .default([...TASK_TYPES]),
    games: z.object({ dir: z.string().min(1) }).strict().optional(),
  })
  .strict();

export type HouseholdOptions = z.infer<typeof householdOptionsSchema>;
export type HouseholdOptionsInput = z.input<typeof householdOptionsSchema>;
