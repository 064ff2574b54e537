/**
 * The household-v1 expert: a hand-written planner that plays from what it OBSERVES, like a person.
 * It never reads the env's true state. It knows:
 *  - the goal sentence (`observation.goal`, read back with parseGoalText) and the receptacles the
 *    intro lists;
 *  - common sense about where things are (the public object catalog's plausible spots), which
 *    orders its search: a receptacle type where the object is likely, split over the instances of
 *    that type, and cheaper when it needs no opening, comes first; goal objects are never searched
 *    in receptacles of the goal's target type first (the task would be pointless otherwise);
 *  - what each feedback text tells (contents seen on arrival and when opening, what it carries,
 *    what it has cleaned/heated/cooled, which lamps it has switched on).
 * It remembers every object it has seen, so a second object (pick_two) or a lamp seen on the way
 * costs nothing to find again. Its plans solve every task of every split within the 50-step limit
 * (tests/agents/household-expert.test.ts checks samples of each type and split).
 *
 * Use `HouseholdExpert` as an agent (`reset(observation)`, then `act(observation)` every step) or
 * `solveWithExpert(env, task, seed)` to record a demonstration (e.g. for SFT).
 * @module
 */
import { PlannerAgent } from './planner-agent.js';
import { runEpisode } from './run-episode.js';
import type { Env, Observation, StepInfo, TaskInfo, TaskRef } from '../envs/core/types.js';
import { parseGoalText, type GoalParts } from '../envs/household/goal-text.js';
import { isObjectType, spotWeight, type ObjectType } from '../envs/household/objects.js';
import { isReceptacleType, LAMP_HOST_TYPES, RECEPTACLE_INFO, TRANSFORM_APPLIANCE, type ReceptacleType } from '../envs/household/receptacles.js';
import { taskCount, taskTransform } from '../envs/household/task-types.js';

type Change = 'clean' | 'heat' | 'cool';

/** `cabinet 3` → `cabinet`. */
function typeOf(name: string): string {
  return name.replace(/ \d+$/, '');
}

/** Parses "a mug 1, a cup 2, and a fork 1" / "nothing" into names. */
function parseList(list: string): string[] {
  const s = list.trim();
  if (s === 'nothing' || s === '') return [];
  return s
    .replace(/^a /, '')
    .split(/, (?:and )?a /)
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
}

export class HouseholdExpert {
  readonly name = 'household-expert';
  private goal: GoalParts | null = null;
  private receptacles: string[] = [];
  /** Receptacle → names last seen in/on it (absent: never looked inside). */
  private contents = new Map<string, string[]>();
  private openNow = new Set<string>();
  private location: string | null = null;
  private holding: string | null = null;
  private changes = new Map<string, Set<Change>>();
  /** Lamp → the receptacle it stands at. */
  private lampAt = new Map<string, string>();
  private lampOn = new Set<string>();
  /** pick_two: the one receptacle both objects go to. */
  private placeTarget: string | null = null;

  /** Starts a new episode from the reset observation (the intro). */
  reset(observation: Observation, _info?: StepInfo): void {
    this.goal = null;
    this.receptacles = [];
    this.contents.clear();
    this.openNow.clear();
    this.location = null;
    this.holding = null;
    this.changes.clear();
    this.lampAt.clear();
    this.lampOn.clear();
    this.placeTarget = null;
    this.observe(observation);
  }

  /** The next command, given the latest observation (call once per step). */
  act(observation: Observation, _info?: StepInfo): string {
    this.observe(observation);
    const plan = this.plan();
    const legal = observation.actions;
    if (legal.length === 0 || legal.includes(plan)) return plan;
    // Should not happen; stay safe: explore somewhere new, else look.
    return legal.find((a) => a.startsWith('go to ') && !this.contents.has(a.slice(6))) ?? 'look';
  }

  // -------------------------------------------------------------------------------------------
  // Reading the feedback.

  private observe(observation: Observation): void {
    const text = observation.text;
    if (this.goal === null) {
      const goalText = observation.goal ?? /Your task is to: (.*)$/m.exec(text)?.[1] ?? '';
      this.goal = parseGoalText(goalText);
    }
    let m: RegExpExecArray | null;
    if ((m = /Looking quickly around you, you see (.*)\.$/m.exec(text))) {
      this.receptacles = parseList(m[1]!);
      for (const r of this.receptacles) if (typeOf(r) === 'floorlamp') this.lampAt.set(r, r);
      return;
    }
    if ((m = /^You arrive at (.+?)\. (.*)$/s.exec(text))) {
      this.location = m[1]!;
      this.describe(m[2]!);
    } else if ((m = /^You open the (.+?)\. (.*)$/s.exec(text))) {
      this.describe(m[2]!);
    } else if ((m = /^You close the (.+?)\.$/.exec(text))) {
      this.openNow.delete(m[1]!);
    } else if ((m = /^You pick up the (.+?) from the (.+?)\.$/.exec(text))) {
      this.holding = m[1]!;
      const list = this.contents.get(m[2]!);
      if (list) this.contents.set(m[2]!, list.filter((n) => n !== m![1]));
    } else if ((m = /^You move the (.+?) to the (.+?)\.$/.exec(text))) {
      this.holding = null;
      this.contents.set(m[2]!, [...(this.contents.get(m[2]!) ?? []), m[1]!]);
    } else if ((m = /^You (clean|heat|cool) the (.+?) using the (.+?)\.$/.exec(text))) {
      const set = this.changes.get(m[2]!) ?? new Set<Change>();
      if (m[1] === 'heat') set.delete('cool');
      if (m[1] === 'cool') set.delete('heat');
      set.add(m[1] as Change);
      this.changes.set(m[2]!, set);
    } else if ((m = /^You turn (on|off) the (.+?)\.$/.exec(text))) {
      if (m[1] === 'on') this.lampOn.add(m[2]!);
      else this.lampOn.delete(m[2]!);
    } else {
      this.describe(text);
    }
  }

  /** Reads a receptacle description ("On the X, you see …", "The X is open. In it, …", …). */
  private describe(text: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^On the (.+?), you see (.*)\.$/.exec(text))) {
      this.seeContents(m[1]!, parseList(m[2]!));
    } else if ((m = /^The (.+?) is open\. In it, you see (.*)\.$/.exec(text))) {
      this.openNow.add(m[1]!);
      this.seeContents(m[1]!, parseList(m[2]!));
    } else if ((m = /^The (.+?) is closed\.$/.exec(text))) {
      this.openNow.delete(m[1]!);
    } else if ((m = /^The (.+?) is turned (on|off)\.$/.exec(text))) {
      this.lampAt.set(m[1]!, m[1]!);
      this.contents.set(m[1]!, []);
      if (m[2] === 'on') this.lampOn.add(m[1]!);
      else this.lampOn.delete(m[1]!);
    }
  }

  private seeContents(receptacle: string, names: string[]): void {
    this.contents.set(receptacle, names);
    for (const n of names) if (typeOf(n) === 'desklamp') this.lampAt.set(n, receptacle);
  }

  // -------------------------------------------------------------------------------------------
  // Planning.

  private isClosed(r: string): boolean {
    const t = typeOf(r);
    return isReceptacleType(t) && RECEPTACLE_INFO[t].openable && !this.openNow.has(r);
  }

  /** Go to `r`, open it if needed, then do `then`. */
  private at(r: string, then: string): string {
    if (this.location !== r) return `go to ${r}`;
    if (this.isClosed(r)) return `open ${r}`;
    return then;
  }

  private plan(): string {
    const g = this.goal;
    if (!g) return 'look';
    if (g.type === 'look_at_obj_in_light') return this.planLook(g);

    const held = this.holding;
    if (held !== null && typeOf(held) !== g.object) {
      // Carrying something useless: put it down here if possible, else somewhere open.
      const here = this.location;
      const spot = here !== null && typeOf(here) !== 'floorlamp' ? here : this.receptacles.find((r) => !this.isClosed(r) && typeOf(r) !== 'floorlamp');
      return spot ? this.at(spot, `move ${held} to ${spot}`) : 'look';
    }
    if (held !== null) {
      const change = taskTransform(g.type);
      if (change !== null && change !== 'light' && !this.changes.get(held)?.has(change)) {
        const appliance = this.receptacles.find((r) => typeOf(r) === TRANSFORM_APPLIANCE[change]);
        if (appliance) return this.location === appliance ? `${change} ${held} with ${appliance}` : `go to ${appliance}`;
      }
      const target = this.chooseTarget(g);
      if (target) return this.at(target, `move ${held} to ${target}`);
    }
    return this.acquire(g);
  }

  private planLook(g: GoalParts): string {
    if (this.holding === null || typeOf(this.holding) !== g.object) return this.acquire(g);
    const lamps = [...this.lampAt.keys()].filter((l) => typeOf(l) === g.target);
    const lamp = lamps.find((l) => this.lampAt.get(l) === this.location) ?? lamps[0];
    if (lamp === undefined) return this.explore((t) => (LAMP_HOST_TYPES as readonly string[]).includes(t) ? 1 : 0);
    const at = this.lampAt.get(lamp)!;
    if (this.location !== at) return `go to ${at}`;
    return `use ${lamp}`;
  }

  /** The receptacle the goal object goes to (fixed once chosen for pick_two). */
  private chooseTarget(g: GoalParts): string | undefined {
    if (this.placeTarget) return this.placeTarget;
    const targets = this.receptacles.filter((r) => typeOf(r) === g.target);
    const best =
      targets.find((r) => r === this.location) ?? targets.find((r) => !this.isClosed(r)) ?? targets[0];
    if (taskCount(g.type) === 2 && best) this.placeTarget = best;
    return best;
  }

  /** Takes a goal-type object: one already seen, or explore for one. */
  private acquire(g: GoalParts): string {
    const skip = this.placeTarget;
    let found: { o: string; r: string } | undefined;
    for (const [r, names] of this.contents) {
      if (r === skip) continue;
      const o = names.find((n) => typeOf(n) === g.object);
      if (o && (!found || r === this.location)) found = { o, r };
    }
    if (found) return this.at(found.r, `take ${found.o} from ${found.r}`);
    const object = g.object;
    const lookTask = g.type === 'look_at_obj_in_light';
    return this.explore((t) => {
      if (!lookTask && t === g.target) return 0;
      return isObjectType(object) && isReceptacleType(t) ? spotWeight(object as ObjectType, t as ReceptacleType) : 0;
    });
  }

  /**
   * Looks into the most promising receptacle not yet looked into: weight of its type, shared over
   * the instances of that type, divided by the steps it costs (go there, open it). Receptacles of weight 0 come
   * last (in list order), so the search is exhaustive.
   */
  private explore(weight: (type: string) => number): string {
    const here = this.location;
    const perType = new Map<string, number>();
    for (const r of this.receptacles) perType.set(typeOf(r), (perType.get(typeOf(r)) ?? 0) + 1);
    let best: string | undefined;
    let bestScore = -1;
    for (const r of this.receptacles) {
      if (this.contents.has(r) || typeOf(r) === 'floorlamp') continue;
      const t = typeOf(r);
      const w = weight(t);
      const steps = (r === here ? 0 : 1) + (this.isClosed(r) ? 1 : 0);
      const score = (w > 0 ? w / perType.get(t)! : 1e-6) / Math.max(1, steps);
      if (score > bestScore) {
        best = r;
        bestScore = score;
      }
    }
    if (best === undefined) return 'look';
    return this.at(best, `examine ${best}`);
  }
}

/** A recorded expert episode: `observations[t]` is what the expert saw before `actions[t]`. */
export interface ExpertEpisode {
  task?: TaskInfo;
  success: boolean;
  actions: string[];
  /** One more than actions: the last is the final observation. */
  observations: Observation[];
  rewards: number[];
}

/**
 * Plays one episode of `env` (household-v1, raw or made) with the expert and records it.
 * Stops at termination, truncation, or after `maxSteps` steps.
 */
export async function solveWithExpert(env: Env, task?: TaskRef, seed?: number, maxSteps = 50): Promise<ExpertEpisode> {
  const agent = new PlannerAgent('expert', () => new HouseholdExpert());
  const reset = { ...(task !== undefined ? { task } : {}), ...(seed !== undefined ? { seed } : {}) };
  const ep = await runEpisode(env, agent, { reset, maxSteps });
  return {
    ...(ep.task ? { task: ep.task } : {}),
    success: ep.success,
    actions: ep.steps.map((s) => s.decision.action),
    observations: [ep.reset.observation, ...ep.steps.map((s) => s.result.observation)],
    rewards: ep.steps.map((s) => s.result.reward),
  };
}
