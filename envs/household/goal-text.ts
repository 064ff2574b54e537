/**
 * Goal sentences in the ALFWorld style ("put a clean mug in coffeemachine.", "look at bowl under
 * the desklamp.") and their inverse, so that an agent (or the expert) can read the goal back.
 * @module
 */
import { isObjectType, type ObjectType } from './objects.js';
import { isLampType, isReceptacleType, type LampType, type ReceptacleType } from './receptacles.js';
import type { TaskType } from './task-types.js';

/** `{o}` = object type, `{r}` = receptacle type or lamp type. Each task type has several phrasings. */
export const GOAL_TEMPLATES: Readonly<Record<TaskType, readonly string[]>> = {
  pick_and_place: ['put a {o} in {r}.', 'put some {o} on {r}.'],
  look_at_obj_in_light: ['look at {o} under the {r}.', 'examine the {o} with the {r}.'],
  pick_clean_then_place: ['put a clean {o} in {r}.', 'clean some {o} and put it in {r}.'],
  pick_heat_then_place: ['put a hot {o} in {r}.', 'heat some {o} and put it in {r}.'],
  pick_cool_then_place: ['put a cool {o} in {r}.', 'cool some {o} and put it in {r}.'],
  pick_two_obj_and_place: ['put two {o} in {r}.', 'find two {o} and put them in {r}.'],
};

export interface GoalParts {
  type: TaskType;
  object: ObjectType;
  target: ReceptacleType | LampType;
}

/** The goal sentence of a task (`variant` picks the phrasing, modulo the number of phrasings). */
export function goalText(type: TaskType, object: string, target: string, variant = 0): string {
  const templates = GOAL_TEMPLATES[type];
  const template = templates[variant % templates.length] as string;
  return template.replace('{o}', object).replace('{r}', target);
}

const PATTERNS: { type: TaskType; re: RegExp }[] = Object.entries(GOAL_TEMPLATES).flatMap(([type, templates]) =>
  templates.map((t) => ({
    type: type as TaskType,
    re: new RegExp(`^${t.replace('.', '\\.').replace('{o}', '(?<o>[a-z]+)').replace('{r}', '(?<r>[a-z]+)')}$`),
  })),
);

/** Reads a goal sentence back (with or without "Your task is to: "); null if it is not one. */
export function parseGoalText(text: string): GoalParts | null {
  const s = text.trim().toLowerCase().replace(/^your task is to:\s*/, '');
  for (const { type, re } of PATTERNS) {
    const m = re.exec(s);
    const o = m?.groups?.o;
    const r = m?.groups?.r;
    if (o === undefined || r === undefined || !isObjectType(o)) continue;
    const lampGoal = type === 'look_at_obj_in_light';
    if (lampGoal ? !isLampType(r) : !isReceptacleType(r)) continue;
    return { type, object: o, target: r as ReceptacleType | LampType };
  }
  return null;
}
