import { describe, expect, it } from 'vitest';
import { buildLatentSpace, roleSpace } from '../../../trainer/lspo/latent-space.js';
import { TextEmbedder } from '../../../trainer/lspo/text-embedding.js';
import { realiseClusters, werewolfLatentGame, type WerewolfLatentNode } from '../../../trainer/lspo/domains/werewolf-game.js';
import { solveExternalSamplingMccfr } from '../../../trainer/cfr/mccfr.js';
import { Rng } from '../../../envs/core/rng.js';

const embedder = new TextEmbedder({ dim: 256 });
const TEXTS = ['I have nothing to add yet.', 'i am the villager', 'someone is a werewolf . i will vote someone', 'i am the seer . i checked someone a werewolf', 'i will vote none', 'i am the seer . i checked partner not a werewolf'];
const space = buildLatentSpace(
  ['werewolf', 'seer', 'doctor', 'villager'].flatMap((role) => TEXTS.map((embedText) => ({ role, utterance: `say[${embedText}]`, embedText }))),
  embedder,
  { k: 3, seed: 0 },
);

/** Plays the abstracted game from the root, taking a seeded random latent strategy at every turn. */
function playOut(game: ReturnType<typeof werewolfLatentGame>, seed: number): { turns: number; node: WerewolfLatentNode } {
  const rng = new Rng(`t${seed}`);
  let node = game.root();
  let turns = 0;
  while (!game.isTerminal(node)) {
    if (game.currentPlayer(node) === 'chance') {
      const outcomes = game.chanceOutcomes(node);
      node = outcomes[rng.int(outcomes.length)]!.state;
    } else {
      const actions = game.legalActions(node);
      node = game.next(node, actions[rng.int(actions.length)]!);
      turns++;
    }
  }
  return { turns, node };
}

describe('the abstracted werewolf game', () => {
  it('says each cluster as the pool utterance nearest its centroid, or the nearest of all when none falls in it', () => {
    const pool = ['say[a]', 'say[b]'];
    const realised = realiseClusters(space, 'villager', pool, ['i am the villager', 'i will vote none'], embedder);
    expect(realised).toHaveLength(roleSpace(space, 'villager').clusters.length);
    for (const u of realised) expect(pool).toContain(u);
    const own = roleSpace(space, 'villager').clusters.findIndex((c) => c.members.some((m) => m.embedText === 'i am the villager'));
    expect(realised[own]).toBe('say[a]');
  });

  it('plays from a deal to the end with a latent strategy at every speech turn; the sides get ±1', () => {
    const game = werewolfLatentGame(space, embedder, { deals: 8, seed: 1, brain: 'basic' });
    expect(game.chanceOutcomes(game.root())).toHaveLength(8);
    for (const seed of [1, 2, 3]) {
      const { turns, node } = playOut(game, seed);
      expect(turns).toBeGreaterThan(3);
      const u = game.utilities(node);
      expect(u).toHaveLength(7);
      expect(u.filter((x) => x === 1).length + u.filter((x) => x === -1).length).toBe(7);
      expect(u.reduce((a, b) => a + b, 0)).toSatisfy((s: number) => s === -3 || s === 3);
    }
  });

  it('a turn node has every cluster of its role as actions, is expanded once, and children() agrees with next()', () => {
    const game = werewolfLatentGame(space, embedder, { deals: 4, seed: 2, brain: 'basic' });
    const start = game.chanceOutcomes(game.root())[0]!.state;
    const first = game.chanceOutcomes(start)[0]!.state;
    expect(first.kind).toBe('turn');
    expect(game.legalActions(first)).toEqual(['0', '1', '2']);
    expect(game.infoSetKey(first)).toMatch(/^(werewolf|seer|doctor|villager)\|d1\|/);
    const twin = game.chanceOutcomes(start)[0]!.state;
    const kids = game.children!(first, ['0', '1', '2']);
    expect(kids).toHaveLength(3);
    expect(() => game.next(first, '0')).toThrow(/expanded already/);
    // The same state expanded by next() gives the same child as children() did.
    const viaNext = game.next(twin, '2');
    const strip = (n: WerewolfLatentNode) => (n.kind === 'turn' ? { seat: n.seat, infoSet: n.infoSet, realise: n.realise, step: n.step } : n);
    expect(strip(viaNext)).toEqual(strip(kids[2]!));
  });

  it('external-sampling MCCFR runs on it and fills the latent policy of the roles it meets', () => {
    const game = werewolfLatentGame(space, embedder, { deals: 16, seed: 3, brain: 'basic' });
    const { tables, average } = solveExternalSamplingMccfr(game, 2, { seed: 3 });
    expect(tables.infoSets).toBeGreaterThan(3);
    for (const [key, p] of average) {
      expect(key).toMatch(/^(werewolf|seer|doctor|villager)\|d[123]\|/);
      expect(p).toHaveLength(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  }, 30_000);
});
