/**
 * The abstracted werewolf-v1 game: werewolf where every speech is a latent strategy (a cluster of
 * the speaker's role), as an ExtensiveGame for external-sampling MCCFR (trainer/cfr/mccfr.ts).
 *
 * - The root is a chance node over `deals` game seeds (task and seed); each leads, by simulation,
 *   to the game's first speech turn.
 * - At a speech turn the speaker's information set is `werewolfInfoSet` of its view; its actions
 *   are the k clusters of its role, always all of them. A cluster is said as the speaker's pool
 *   utterance (its speech proposer's candidates now) nearest the centroid among those in the
 *   cluster — or, when none of the pool falls in it, the pool utterance nearest the centroid.
 * - Everything else — night actions, votes — is played by a rule brain (`bot:basic` by default),
 *   part of the game's dynamics, deterministic per state.
 * - The payoffs are the seats' team rewards (+1 / −1, 0 for a draw).
 *
 * Transitions run werewolf-v1's synchronous session (`WerewolfSession`) and keep each seat's view
 * read incrementally. A node holds its live game and hands it to its child: `next` for the one
 * child of a sampled node, `children` for all children of a traverser's node (external sampling),
 * which snapshots the game once and restores copies for all but the last child. A node is
 * expanded once.
 * @module
 */
import type { AgentInput } from '../../../agents/agent.js';
import { BOT_BRAINS } from '../../../agents/werewolf/bots.js';
import type { BotBrain, BotLevel, NightVerb, Turn } from '../../../agents/werewolf/rule-bot.js';
import { newSeatView, readObservation, type SeatView } from '../../../agents/werewolf/seat-view.js';
import { speechCandidates } from '../../../agents/werewolf/speech-candidates.js';
import { Rng } from '../../../envs/core/rng.js';
import type { EnvState, MultiAgentResetResult, MultiAgentStepResult, Observation } from '../../../envs/core/types.js';
import { PLAYER_COUNT, SPEECH_PLACEHOLDER, WEREWOLF_SPLITS, WerewolfSession, type WerewolfOptionsInput } from '../../../envs/werewolf/index.js';
import type { ExtensiveGame } from '../../cfr/game.js';
import { roleSpace, type LatentSpace } from '../latent-space.js';
import { nearestCentroid, squaredDistance, type TextEmbedder } from '../text-embedding.js';
import { speechEmbedTexts, speechOfAction, werewolfInfoSet } from './werewolf-speech.js';

export interface WerewolfLatentGameOptions {
  /** Chance outcomes at the root: game seeds, each with a train task drawn from it. */
  deals: number;
  seed: number;
  /** Who takes the non-speech actions. */
  brain: BotLevel;
  envOptions?: WerewolfOptionsInput;
}

export type WerewolfLatentNode =
  | { kind: 'root' }
  | { kind: 'start'; game: number }
  | {
      kind: 'turn';
      game: number;
      /** Env steps so far (seeds the brains' choices). */
      step: number;
      seat: number;
      role: string;
      infoSet: string;
      /** The utterance each latent strategy is said as (by cluster id). */
      realise: string[];
      /** The game at this node, until a child takes it over. */
      live: WerewolfSession | null;
      /** The seats' views read so far (incrementally), handed over with the session. */
      views: (SeatView | null)[];
    }
  | { kind: 'end'; utilities: number[] };

type TurnNode = Extract<WerewolfLatentNode, { kind: 'turn' }>;

/** The rule bot's routing of a non-speech decision (mirrors `WerewolfBot`, without its per-stream memory). */
export function brainAction(brain: BotBrain, observation: Observation, seat: number, rng: Rng, view: SeatView): string {
  const actions = observation.actions;
  if (actions.length === 0) return '';
  const input: AgentInput = { key: `lspo/${seat}`, envId: 'werewolf-v1', observation, info: { rewardComponents: {} }, candidates: actions, history: [], seat };
  const turn: Turn = { view, actions, rng, notes: {}, input };
  if (actions.includes(SPEECH_PLACEHOLDER)) return `say[${brain.speak(turn)}]`;
  const first = actions[0] as string;
  if (first.startsWith('bid[')) {
    const action = `bid[${brain.bid(turn)}]`;
    return actions.includes(action) ? action : first;
  }
  const verb = first.slice(0, first.indexOf('['));
  const targets = actions.flatMap((a) => {
    const m = /^[a-z]+\[(\d+)\]$/.exec(a);
    return m === null ? [] : [Number(m[1])];
  });
  const action = verb === 'vote' ? `vote[${brain.vote(turn, targets) ?? 'none'}]` : `${verb}[${brain.night(turn, verb as NightVerb, targets)}]`;
  return actions.includes(action) ? action : first;
}

/** For each cluster of `role`, the pool utterance that says it (see the module doc). */
export function realiseClusters(space: LatentSpace, role: string, pool: readonly string[], embedTexts: readonly string[], embedder: TextEmbedder): string[] {
  const clusters = roleSpace(space, role).clusters;
  const vectors = embedTexts.map((t) => embedder.embed(t));
  const centroids = clusters.map((c) => c.centroid);
  const own = vectors.map((v) => nearestCentroid(v, centroids));
  return clusters.map((c, z) => {
    let best = -1;
    let bestDistance = Infinity;
    let bestOwn = -1;
    let bestOwnDistance = Infinity;
    vectors.forEach((v, i) => {
      const d = squaredDistance(v, c.centroid);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
      if (own[i] === z && d < bestOwnDistance) {
        bestOwnDistance = d;
        bestOwn = i;
      }
    });
    return pool[bestOwn >= 0 ? bestOwn : best] as string;
  });
}

export function werewolfLatentGame(space: LatentSpace, embedder: TextEmbedder, options: WerewolfLatentGameOptions): ExtensiveGame<WerewolfLatentNode> {
  const brain = BOT_BRAINS[options.brain];
  const kOf = (role: string) => roleSpace(space, role).clusters.length;
  const actionNames = new Map<number, string[]>();
  const namesFor = (k: number) => {
    let names = actionNames.get(k);
    if (names === undefined) {
      names = Array.from({ length: k }, (_, i) => String(i));
      actionNames.set(k, names);
    }
    return names;
  };

  // The utterance of each cluster depends only on the role and the pool's embedding texts.
  const realised = new Map<string, number[]>();
  const realiseFor = (role: string, pool: string[], embedTexts: string[]): string[] => {
    const key = `${role}\u0000${embedTexts.join('\u0000')}`;
    let picks = realised.get(key);
    if (picks === undefined) {
      const said = realiseClusters(space, role, pool, embedTexts, embedder);
      picks = said.map((u) => pool.indexOf(u));
      realised.set(key, picks);
    }
    return picks.map((i) => pool[i] as string);
  };

  /** Plays on with the brain until a speech turn or the end. */
  const playOn = (session: WerewolfSession, first: MultiAgentResetResult | MultiAgentStepResult, game: number, step: number, views: (SeatView | null)[]): WerewolfLatentNode => {
    let result = first;
    const viewAt = (seat: number): SeatView => {
      const o = result.observations[seat] as Observation;
      const v = views[seat] ?? newSeatView();
      views[seat] = v;
      return readObservation(v, o.text, o.anchor);
    };
    for (;;) {
      if ('terminated' in result && (result.terminated || result.truncated)) {
        return { kind: 'end', utilities: Array.from({ length: PLAYER_COUNT }, (_, s) => result.infos[s]?.success === true ? 1 : ((result as MultiAgentStepResult).rewards[s] ?? 0)) };
      }
      const speaker = result.actors.find((a) => result.observations[a]?.actions.includes(SPEECH_PLACEHOLDER));
      if (speaker !== undefined) {
        const observation = result.observations[speaker] as Observation;
        const view = viewAt(speaker);
        const role = view.role ?? 'unknown';
        const pool = speechCandidates(view).map((t) => `say[${t}]`);
        const embedTexts = speechEmbedTexts(view, pool.map(speechOfAction));
        return { kind: 'turn', game, step, seat: speaker, role, infoSet: werewolfInfoSet(view), realise: realiseFor(role, pool, embedTexts), live: session, views };
      }
      const actions: Record<number, string> = {};
      for (const a of result.actors) actions[a] = brainAction(brain, result.observations[a] as Observation, a, new Rng(`lspo/werewolf/${options.seed}/${game}/${step}/${a}`), viewAt(a));
      result = session.step(actions);
      step++;
    }
  };

  const newSession = () => new WerewolfSession(options.envOptions ?? {});
  const start = (game: number): WerewolfLatentNode => {
    const s = newSession();
    const seed = options.seed * 1_000_003 + game;
    const task = new Rng(`lspo/werewolf/deal/${seed}`).int(WEREWOLF_SPLITS.train);
    return playOn(s, s.reset({ task: { split: 'train', index: task }, seed }), game, 0, new Array<SeatView | null>(PLAYER_COUNT).fill(null));
  };

  /** A turn node's game, handed to its (only, or last) child. */
  const take = (n: WerewolfLatentNode): [TurnNode, WerewolfSession, (SeatView | null)[]] => {
    if (n.kind !== 'turn') throw new RangeError(`Nobody speaks at a ${n.kind} node.`);
    if (n.live === null) throw new RangeError('This node was expanded already: expand a node once, with next() or children().');
    const session = n.live;
    n.live = null;
    return [n, session, n.views];
  };
  const say = (n: TurnNode, session: WerewolfSession, views: (SeatView | null)[], action: string): WerewolfLatentNode => {
    const utterance = n.realise[Number(action)];
    if (utterance === undefined) throw new RangeError(`'${action}' is not a latent strategy of the ${n.role} (k = ${n.realise.length}).`);
    return playOn(session, session.step({ [n.seat]: utterance }), n.game, n.step + 1, views);
  };

  return {
    players: PLAYER_COUNT,
    root: () => ({ kind: 'root' }),
    isTerminal: (n) => n.kind === 'end',
    utilities: (n) => (n.kind === 'end' ? n.utilities : new Array<number>(PLAYER_COUNT).fill(0)),
    currentPlayer: (n) => (n.kind === 'turn' ? n.seat : 'chance'),
    chanceOutcomes: (n) => {
      if (n.kind === 'root') return Array.from({ length: options.deals }, (_, game) => ({ state: { kind: 'start', game } as WerewolfLatentNode, probability: 1 / options.deals }));
      if (n.kind === 'start') return [{ state: start(n.game), probability: 1 }];
      throw new RangeError(`A ${n.kind} node has no chance outcomes.`);
    },
    infoSetKey: (n) => (n.kind === 'turn' ? n.infoSet : ''),
    legalActions: (n) => (n.kind === 'turn' ? namesFor(kOf(n.role)) : []),
    next: (n, action) => {
      const [turn, session, views] = take(n);
      return say(turn, session, views, action);
    },
    children: (n, actions) => {
      // Copies of the game for all but the last child; the last one continues the node's own.
      const [turn, session, views] = take(n);
      const snapshot = actions.length > 1 ? session.snapshot() : null;
      return actions.map((action, i) => {
        if (i === actions.length - 1) return say(turn, session, views, action);
        const copy = newSession();
        copy.restore(snapshot as EnvState);
        return say(turn, copy, structuredClone(views), action);
      });
    },
  };
}
