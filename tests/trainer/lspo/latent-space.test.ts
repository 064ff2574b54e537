import { describe, expect, it } from 'vitest';
import { RPSSL_PHRASINGS, RPSSL_UTTERANCES } from '../../../agents/rpssl/utterances.js';
import { moveOfSpeech } from '../../../envs/rpssl/rules.js';
import { buildLatentSpace, clusterOf, roleSpace } from '../../../trainer/lspo/latent-space.js';
import { TextEmbedder } from '../../../trainer/lspo/text-embedding.js';

const embedder = new TextEmbedder({ dim: 512 });
// Every phrasing proposed (i % 3) + 1 times, as two roles.
const samples = RPSSL_UTTERANCES.flatMap((u, i) => Array.from({ length: (i % 3) + 1 }, () => ({ role: 'player', utterance: `say[${u}]`, embedText: u })));

describe('per-role latent spaces', () => {
  it('clusters the RPSSL phrasings into one latent strategy per move, each cluster pure', () => {
    const space = buildLatentSpace(samples, embedder, { k: 5, seed: 0 });
    const rs = roleSpace(space, 'player');
    expect(rs.clusters).toHaveLength(5);
    expect(rs.samples).toBe(samples.length);
    const moves = rs.clusters.map((c) => new Set(c.members.map((m) => moveOfSpeech(m.embedText))));
    for (const m of moves) expect(m.size).toBe(1);
    expect(new Set(moves.map((m) => [...m][0])).size).toBe(5);
    expect(rs.clusters.reduce((s, c) => s + c.size, 0)).toBe(samples.length);
    const rock = rs.clusters.find((c) => c.members.some((m) => m.embedText === 'rock'))!;
    expect(rock.distinct).toBe(RPSSL_PHRASINGS.rock.length);
    expect(rock.examples.map((e) => e.count)).toEqual([...rock.examples.map((e) => e.count)].sort((a, b) => b - a));
    expect(rock.representative.distance).toBe(Math.min(...rock.members.map((m) => m.distance)));
  });

  it('maps a new utterance to the nearest centroid of its role', () => {
    const space = buildLatentSpace(samples, embedder, { k: 5, seed: 0 });
    const rs = roleSpace(space, 'player');
    const lizard = rs.clusters.findIndex((c) => c.members.some((m) => m.embedText === 'lizard'));
    expect(clusterOf(space, 'player', 'a lizard again', embedder)).toBe(lizard);
    expect(() => clusterOf(space, 'seer', 'x', embedder)).toThrow(expect.objectContaining({ code: 'LSPO_NO_SPEECH' }));
  });

  it('keeps roles apart and refuses an empty sample', () => {
    const two = buildLatentSpace([...samples, { role: 'other', utterance: 'say[x]', embedText: 'x y' }], embedder, { k: { default: 5, other: 3 }, seed: 0 });
    expect(Object.keys(two.roles)).toEqual(['other', 'player']);
    expect(two.roles.other!.clusters).toHaveLength(1);
    expect(() => buildLatentSpace([], embedder)).toThrow(expect.objectContaining({ code: 'LSPO_NO_SPEECH' }));
  });
});
