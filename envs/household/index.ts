/**
 * household-v1: an ALFWorld-like household text game. The spec is what the registry needs; the
 * rest is exported for tools, tests and the expert.
 * @module
 */
export { householdSpec } from './spec.js';
export { HouseholdEnv, HOUSEHOLD_ENV_ID } from './env.js';
export { householdOptionsSchema, type HouseholdOptions, type HouseholdOptionsInput } from './options.js';
export { DIFFICULTIES, DIFFICULTY_LIMITS, type Difficulty } from './difficulty.js';
export { TASK_TYPES, type TaskType } from './task-types.js';
export { HOUSEHOLD_SPLITS, resolveTaskRef, taskId, isHeldOutPair, type HouseholdSplit } from './splits.js';
export { getTask, type HouseholdTask } from './tasks.js';
export { goalText, parseGoalText, type GoalParts } from './goal-text.js';
export { buildInitialState } from './world-gen.js';
export { stepGame, type GameStep } from './game.js';
export { admissibleCommands, type Admissible } from './admissible.js';
export { parseCommand, type ParseResult } from './parser.js';
export { evaluateGoal, rewardComponents, type GoalStatus } from './goal-check.js';
export { stateKeyOf, type GameState, type World, type Goal, type Dyn } from './state.js';
