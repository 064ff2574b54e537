/**
 * Difficulty levels for small curricula: how many receptacles the room keeps (the ones the task
 * needs are always kept) and how many distractor object types it holds.
 * @module
 */
export const DIFFICULTIES = ['easy', 'medium', 'full'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface DifficultyLimits {
  /** Receptacles kept at most (null = the whole layout). */
  maxReceptacles: number | null;
  /** Distractor object types kept at most (null = all the task has). */
  maxDistractorTypes: number | null;
}

export const DIFFICULTY_LIMITS: Readonly<Record<Difficulty, DifficultyLimits>> = {
  easy: { maxReceptacles: 6, maxDistractorTypes: 2 },
  medium: { maxReceptacles: 12, maxDistractorTypes: 4 },
  full: { maxReceptacles: null, maxDistractorTypes: null },
};
