/**
 * The population a `ludus train --league` run plays against: rule bots and the checkpoints the
 * learner left every K iterations, a payoff table of results (payoff-table.ts), OpenSkill ratings
 * of the learner and of every member, and the meta-strategy that picks the next opponents
 * (meta-strategy.ts). A member whose checkpoint no longer loads is marked `unloadable` (with the
 * error) and never drawn again. The whole state is plain JSON, kept in every training checkpoint,
 * so a resumed run meets the same opponents with the same table.
 * @module
 */
import { ordinal, rate, rating } from 'openskill';
import type { Rng } from '../../envs/core/rng.js';
import { META_STRATEGIES, normalise, pfspDistribution, symmetricNash, type MetaStrategy } from './meta-strategy.js';
import { LEARNER, PayoffTable, type PayoffTableJson } from './payoff-table.js';

export interface LeagueMember {
  name: string;
  kind: 'bot' | 'checkpoint';
  /** The iteration after which the checkpoint was taken (−1 for bots). */
  iteration: number;
  /** The checkpoint folder (null for bots). */
  path: string | null;
  status: 'active' | 'unloadable';
  error: string | null;
}

export interface SkillRating {
  mu: number;
  sigma: number;
  ordinal: number;
  games: number;
}

export interface TrainingLeagueState {
  meta: MetaStrategy;
  members: LeagueMember[];
  ratings: Record<string, SkillRating>;
  payoffs: PayoffTableJson;
}

export interface TrainingLeagueOptions {
  meta: MetaStrategy;
  /** PFSP's exponent (f(p) = (1 − p)^power). */
  pfspPower?: number;
}

const fresh = (): SkillRating => {
  const r = rating();
  return { mu: r.mu, sigma: r.sigma, ordinal: ordinal(r), games: 0 };
};

export class TrainingLeague {
  readonly meta: MetaStrategy;
  private readonly pfspPower: number;
  private readonly members: LeagueMember[];
  private readonly ratings: Map<string, SkillRating>;
  readonly payoffs: PayoffTable;

  private constructor(state: TrainingLeagueState, options: TrainingLeagueOptions) {
    if (!META_STRATEGIES.includes(state.meta)) throw new RangeError(`league: unknown meta-strategy '${String(state.meta)}' (${META_STRATEGIES.join(', ')})`);
    this.meta = state.meta;
    this.pfspPower = options.pfspPower ?? 2;
    this.members = state.members.map((m) => ({ ...m }));
    this.ratings = new Map(Object.entries(state.ratings).map(([k, r]) => [k, { ...r }]));
    if (!this.ratings.has(LEARNER)) this.ratings.set(LEARNER, fresh());
    for (const m of this.members) if (!this.ratings.has(m.name)) this.ratings.set(m.name, fresh());
    this.payoffs = PayoffTable.fromJSON(state.payoffs);
  }

  /** A new league of rule bots (checkpoints join with `addCheckpoint`). */
  static create(bots: readonly string[], options: TrainingLeagueOptions): TrainingLeague {
    return new TrainingLeague({ meta: options.meta, members: bots.map((name) => ({ name, kind: 'bot', iteration: -1, path: null, status: 'active', error: null })), ratings: {}, payoffs: {} }, options);
  }

  /** A league as a checkpoint kept it. */
  static fromState(state: TrainingLeagueState, options: Omit<TrainingLeagueOptions, 'meta'> = {}): TrainingLeague {
    return new TrainingLeague(state, { ...options, meta: state.meta });
  }

  state(): TrainingLeagueState {
    return { meta: this.meta, members: this.members.map((m) => ({ ...m })), ratings: Object.fromEntries([...this.ratings].map(([k, r]) => [k, { ...r }])), payoffs: this.payoffs.toJSON() };
  }

  allMembers(): LeagueMember[] {
    return this.members.map((m) => ({ ...m }));
  }

  /** The members that can be drawn (not unloadable). */
  active(): LeagueMember[] {
    return this.members.filter((m) => m.status === 'active').map((m) => ({ ...m }));
  }

  rating(name: string): SkillRating {
    const r = this.ratings.get(name);
    if (r === undefined) throw new RangeError(`league: no rating for '${name}'`);
    return { ...r };
  }

  /** The learner and every member with their ratings. */
  allRatings(): { name: string; rating: SkillRating }[] {
    return [...this.ratings].map(([name, r]) => ({ name, rating: { ...r } }));
  }

  /** The checkpoint becomes a member, with the learner's rating and record as they are now. */
  addCheckpoint(name: string, path: string, iteration: number): void {
    if (this.members.some((m) => m.name === name) || name === LEARNER) throw new RangeError(`league: a member is already called '${name}'`);
    this.members.push({ name, kind: 'checkpoint', iteration, path, status: 'active', error: null });
    this.ratings.set(name, { ...(this.ratings.get(LEARNER) as SkillRating), games: 0 });
    this.payoffs.copyRow(LEARNER, name);
  }

  markUnloadable(name: string, error: string): void {
    const m = this.members.find((x) => x.name === name);
    if (m === undefined) throw new RangeError(`league: no member '${name}'`);
    m.status = 'unloadable';
    m.error = error;
  }

  /** The meta-strategy's probability of each active member, in `active()` order. */
  distribution(): { member: LeagueMember; probability: number }[] {
    const active = this.active();
    if (active.length === 0) return [];
    const names = active.map((m) => m.name);
    let p: number[];
    if (this.meta === 'uniform') p = normalise(names.map(() => 1));
    else if (this.meta === 'pfsp') p = pfspDistribution(names.map((n) => this.payoffs.meanScore(LEARNER, n) ?? 0.5), this.pfspPower);
    else p = symmetricNash(this.payoffs.matrix(names));
    return active.map((member, i) => ({ member, probability: p[i] as number }));
  }

  /** Draws one opponent by the meta-strategy. */
  sample(rng: Rng): LeagueMember {
    const d = this.distribution();
    if (d.length === 0) throw new RangeError('league: no member left to play (every checkpoint is unloadable and there are no bots)');
    let u = rng.next();
    for (const { member, probability } of d) {
      u -= probability;
      if (u < 0) return member;
    }
    return d[d.length - 1]!.member;
  }

  /** One game of the learner against `opponent`: score 1 (learner won), ½, 0. Updates the table and both ratings. */
  record(opponent: string, score: number): void {
    if (!this.members.some((m) => m.name === opponent)) throw new RangeError(`league: no member '${opponent}'`);
    this.payoffs.record(LEARNER, opponent, score);
    const a = this.ratings.get(LEARNER) as SkillRating;
    const b = this.ratings.get(opponent) as SkillRating;
    const rank = score > 0.5 ? [1, 2] : score < 0.5 ? [2, 1] : [1, 1];
    const [[ra], [rb]] = rate([[{ mu: a.mu, sigma: a.sigma }], [{ mu: b.mu, sigma: b.sigma }]], { rank }) as [[{ mu: number; sigma: number }], [{ mu: number; sigma: number }]];
    Object.assign(a, { mu: ra.mu, sigma: ra.sigma, ordinal: ordinal(ra), games: a.games + 1 });
    Object.assign(b, { mu: rb.mu, sigma: rb.sigma, ordinal: ordinal(rb), games: b.games + 1 });
  }

  /** End of an iteration: the learner's record is discounted (it is changing). */
  endIteration(decay: number): void {
    this.payoffs.decay(LEARNER, decay);
  }
}
