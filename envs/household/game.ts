/**
 * One step of the game as a pure function: parse the action, accept it iff its canonical text is
 * admissible, apply it, check the goal. Refused actions leave the state unchanged and come back
 * with "Nothing happens." plus an `invalid` record (code, reason in words, closest admissible
 * commands). Never throws on any action string.
 * @module
 */
import type { InvalidAction } from '../core/types.js';
import { admissibleCommands, type Admissible } from './admissible.js';
import { NOTHING_HAPPENS } from './feedback.js';
import { evaluateGoal, rewardComponents } from './goal-check.js';
import { explainNotAdmissible } from './invalid.js';
import { parseCommand } from './parser.js';
import { applyCommand, withDyn } from './rules.js';
import { worldIndex, type EntityRef, type GameState } from './state.js';
import { suggestCommands } from './suggest.js';

export interface GameStep {
  state: GameState;
  /** The feedback text (the observation). */
  text: string;
  /** 1 when this step reached the goal, else 0. */
  reward: number;
  success: boolean;
  /** Set when the action was refused. */
  invalid?: InvalidAction;
  /** The canonical text of the accepted command. */
  canonical?: string;
  rewardComponents: Record<string, number>;
}

function refuse(state: GameState, invalid: InvalidAction): GameStep {
  return {
    state,
    text: NOTHING_HAPPENS,
    reward: 0,
    success: false,
    invalid,
    rewardComponents: rewardComponents(state, evaluateGoal(state)),
  };
}

/** `admissible` may be passed when already computed for `state` (it must be for this state). */
export function stepGame(state: GameState, action: string, admissible: Admissible = admissibleCommands(state)): GameStep {
  const parsed = parseCommand(typeof action === 'string' ? action : String(action));
  if (!parsed.ok) {
    return refuse(state, { code: parsed.code, message: parsed.message, suggestions: suggestCommands(parsed.normalized, admissible.texts) });
  }
  const at = admissible.texts.indexOf(parsed.canonical);
  if (at < 0) {
    const byName = worldIndex(state.world).byName;
    const refs: EntityRef[] = [];
    for (const name of parsed.names) {
      const ref = byName.get(name);
      if (!ref) {
        const hint = /\s\d+$/.test(name) ? '' : ` Name things with their number, e.g. '${name.split(' ')[0]} 1'.`;
        return refuse(state, {
          code: 'UNKNOWN_OBJECT',
          message: `There is no '${name.slice(0, 60)}' in this room.${hint}`,
          suggestions: suggestCommands(parsed.canonical, admissible.texts),
        });
      }
      refs.push(ref);
    }
    return refuse(state, {
      code: 'NOT_ADMISSIBLE',
      message: explainNotAdmissible(state, parsed.verb, refs),
      suggestions: suggestCommands(parsed.canonical, admissible.texts),
    });
  }
  const transition = applyCommand(state, admissible.commands[at]!);
  const status = evaluateGoal(transition.state);
  const next = status.success ? withDyn(transition.state, { done: true }) : transition.state;
  return {
    state: next,
    text: transition.text,
    reward: status.success ? 1 : 0,
    success: status.success,
    canonical: parsed.canonical,
    rewardComponents: rewardComponents(next, status),
  };
}
