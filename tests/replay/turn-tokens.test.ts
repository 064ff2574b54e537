import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sequenceLogprob, tokenCount, turnTokensProblem, type PromptMessage, type TurnTokens } from '../../agents/turn-tokens.js';
import { StoreError } from '../../replay/errors.js';
import { MIGRATIONS } from '../../replay/schema.js';
import { openStore } from '../../replay/store.js';
import { decodeTurnTokens, encodeTurnTokens, sharedPrefix } from '../../replay/turn-tokens-codec.js';
import { makeEpisode } from './fixtures/records.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ludus-turn-tokens-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sys: PromptMessage = { role: 'system', content: 'You play household-v1. Task: put a mug in the sink.' };
const user = (t: number): PromptMessage => ({ role: 'user', content: `observation ${t}` });
const assistant = (t: number): PromptMessage => ({ role: 'assistant', content: `go to shelf ${t}` });

function turn(prompt: PromptMessage[], t: number): TurnTokens {
  return {
    prompt,
    promptIds: null,
    completion: `go to shelf ${t}<|end|>`,
    tokens: ['go', ' to', ' shelf', ` ${t}`, '<|end|>'],
    ids: [11, 12, 13, 20 + t, 2],
    logprobs: [-0.5, -0.25, -0.125, -1, -0.0625],
    mask: [1, 1, 1, 1, 0],
    model: 'tiny-lm',
    finishReason: 'stop',
  };
}

/** A chat transcript: each prompt extends the previous one by the reply and the next observation. */
function transcript(n: number): TurnTokens[] {
  const out: TurnTokens[] = [];
  const prompt: PromptMessage[] = [sys, user(0)];
  for (let t = 0; t < n; t++) {
    out.push(turn([...prompt], t));
    prompt.push(assistant(t), user(t + 1));
  }
  return out;
}

describe('turn tokens (pure)', () => {
  it('the sequence log-prob sums the masked token log-probs (−0.5 − 0.25 − 0.125 − 1 = −1.875)', () => {
    const t = turn([sys], 0);
    expect(sequenceLogprob(t)).toBe(-1.875);
    expect(sequenceLogprob({ ...t, mask: null })).toBe(-1.9375);
    expect(sequenceLogprob({ ...t, logprobs: null })).toBeNull();
    expect(tokenCount(t)).toBe(5);
  });

  it('names what is wrong with a record', () => {
    const t = turn([sys], 0);
    expect(turnTokensProblem(t)).toBeNull();
    expect(turnTokensProblem({ ...t, ids: [1, 2] })).toMatch(/ids has 2 entries but tokens has 5/);
    expect(turnTokensProblem({ ...t, logprobs: [-1, 0.5, -1, -1, -1] })).toMatch(/finite and ≤ 0/);
    expect(turnTokensProblem({ ...t, mask: [1, 1, 2, 1, 0] })).toMatch(/0 or 1/);
    expect(turnTokensProblem({ ...t, prompt: [{ role: 'tool', content: 'x' } as unknown as PromptMessage] })).toMatch(/prompt\[0\]/);
  });

  it('keeps a growing transcript as deltas and rebuilds every prompt exactly', () => {
    const turns = transcript(4);
    let previous: PromptMessage[] | null = null;
    const encoded = turns.map((t) => {
      const text = encodeTurnTokens(t, previous, 'test');
      previous = t.prompt;
      return text;
    });
    // turn 3's prompt has 8 messages; stored: the 2 new ones only
    expect(JSON.parse(encoded[3]!)).toMatchObject({ promptShared: 6, promptRest: [assistant(2), user(3)] });
    expect(sharedPrefix(turns[3]!.prompt, turns[2]!.prompt)).toBe(6);
    let prev: PromptMessage[] | null = null;
    const decoded = encoded.map((text) => {
      const d = decodeTurnTokens(text, prev);
      prev = d.prompt;
      return d;
    });
    expect(decoded).toEqual(turns);
  });

  it('refuses to decode a delta whose base is missing', () => {
    const turns = transcript(2);
    const second = encodeTurnTokens(turns[1]!, turns[0]!.prompt, 'test');
    expect(() => decodeTurnTokens(second, null)).toThrow(StoreError);
  });
});

describe('turn tokens in the store', () => {
  it('round-trips every step of an episode, and writes linear rather than quadratic prompt text', () => {
    const store = openStore(join(dir, 'a.db'));
    const runId = store.createRun({ name: 'lm', kind: 'train', envId: 'household-v1' });
    const ep = makeEpisode({ steps: 30 });
    const turns = transcript(30);
    ep.steps.forEach((s, t) => (s.tokens = turns[t]!));
    ep.steps[5]!.tokens = null; // a step without tokens breaks the chain; the next one is stored whole
    const [id] = store.recordIteration(runId, 0, {}, [ep]);
    const back = store.getEpisode(id!)!;
    expect(back.steps.map((s) => s.tokens)).toEqual(ep.steps.map((s) => s.tokens ?? null));
    // turn 29's prompt holds 60 messages, turn 1's 4: stored, both are about one turn's worth
    const size = (t: number) => store.db.prepare('SELECT length(tokens) FROM steps WHERE t = ?').pluck().get(t) as number;
    expect(JSON.stringify(turns[29]!).length).toBeGreaterThan(5 * JSON.stringify(turns[1]!).length);
    expect(size(29)).toBeLessThan(1.2 * size(1));
    expect(size(6)).toBeGreaterThan(size(7)); // after the step without tokens: stored whole
    store.close();
  });

  it('refuses a record whose lengths disagree, naming the step, and writes nothing', () => {
    const store = openStore(':memory:');
    const runId = store.createRun({ name: 'lm', kind: 'train', envId: 'household-v1' });
    const ep = makeEpisode({ steps: 3 });
    ep.steps[2]!.tokens = { ...turn([sys], 2), ids: [1] };
    expect(() => store.recordIteration(runId, 0, {}, [ep])).toThrow(/step 2: tokens: ids has 1 entries/);
    expect(store.db.prepare('SELECT count(*) FROM steps').pluck().get()).toBe(0);
    store.close();
  });

  it('a v4 file (before tokens) is read read-only with tokens null, and migrated by a writer', () => {
    const path = join(dir, 'v4.db');
    // Record an episode with today's code, then take the file back to v4: drop the column, stamp 4.
    const first = openStore(path);
    const runId = first.createRun({ name: 'old', kind: 'play', envId: 'household-v1' });
    const id = first.recordEpisode(runId, makeEpisode({ steps: 2 }));
    first.close();
    const raw = new Database(path);
    raw.exec('ALTER TABLE steps DROP COLUMN tokens');
    // and without what later versions added (the training-league tables of v6)
    raw.exec('DROP TABLE train_league_members; DROP TABLE train_league_ratings; DROP TABLE train_league_payoffs;');
    raw.pragma(`user_version = ${MIGRATIONS[3]!.version}`);
    raw.close();
    const reader = openStore(path, { readonly: true });
    expect(reader.getEpisode(id)!.steps.map((s) => s.tokens)).toEqual([null, null]);
    reader.close();
    const writer = openStore(path);
    expect(writer.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    const ep = makeEpisode({ steps: 1 });
    ep.steps[0]!.tokens = turn([sys], 0);
    const id2 = writer.recordEpisode(runId, ep);
    expect(writer.getEpisode(id2)!.steps[0]!.tokens).toEqual(turn([sys], 0));
    writer.close();
  });
});
