import { beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import type { Agent, AgentInput } from '../../../agents/agent.js';
import { ActionScorer, selectBackend } from '../../../agents/policy/index.js';
import { RPSSL_UTTERANCES } from '../../../agents/rpssl/utterances.js';
import type { SpeechRecord } from '../../../trainer/lspo/domain.js';
import { rpsslDomain } from '../../../trainer/lspo/domains/rpssl.js';
import { SpeakerAgent } from '../../../trainer/lspo/speaker-agent.js';
import { selfPlay } from '../../../trainer/lspo/self-play.js';

const POOL = RPSSL_UTTERANCES.map((u) => `say[${u}]`);
const input = (key: string, candidates = POOL): AgentInput => ({
  key,
  envId: 'rpssl-v1',
  observation: { text: 'Say your move.', actions: ['say[<speech>]'], anchor: '' },
  info: { rewardComponents: {} },
  candidates,
  history: [],
  seat: 0,
});

describe('the LSPO speaker agent', () => {
  let speaker: ActionScorer;
  beforeAll(async () => {
    await selectBackend();
    speaker = ActionScorer.create({ featurizer: { dim: 256, historyLength: 0 }, hidden: 8, mlpHidden: 8, seed: 1 });
  });

  it('propose mode: N distinct proposals from the pool, one of them said, the turn reported', async () => {
    const records: SpeechRecord[] = [];
    const agent = new SpeakerAgent({ domain: rpsslDomain, speaker, mode: 'propose', proposals: 4, seed: 0, onSpeech: (r) => records.push(r) });
    const decisions = await agent.act([input('g0/seat0'), input('g1/seat1')]);
    expect(records).toHaveLength(2);
    for (const [i, r] of records.entries()) {
      expect(new Set(r.proposals).size).toBe(4);
      expect(r.proposals).toContain(r.said);
      expect(decisions[i]!.action).toBe(r.pool[r.said]);
      expect(decisions[i]!.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r.role).toBe('player');
      expect(r.embedTexts[0]).toBe('rock');
    }
    expect(records[0]!.game).toBe('g0');
  });

  it('the same stream key gives the same choices whatever else is in the batch', async () => {
    const a = new SpeakerAgent({ domain: rpsslDomain, speaker, mode: 'sample', seed: 5 });
    const b = new SpeakerAgent({ domain: rpsslDomain, speaker, mode: 'sample', seed: 5 });
    const alone = await a.act([input('x/seat0')]);
    const batched = await b.act([input('y/seat0'), input('x/seat0')]);
    expect(batched[1]!.action).toBe(alone[0]!.action);
  });

  it('greedy mode says the most likely utterance; non-speech decisions go to the action agent', async () => {
    const { probs } = speaker.scoreBatch([{ text: 'Say your move.', history: [], candidates: POOL }]);
    const best = POOL[probs[0]!.indexOf(Math.max(...probs[0]!))];
    const greedy = new SpeakerAgent({ domain: rpsslDomain, speaker, mode: 'greedy', seed: 0 });
    expect((await greedy.act([input('k/seat0')]))[0]!.action).toBe(best);
    await expect(greedy.act([input('k/seat0', ['vote[1]'])])).rejects.toThrow(/no action agent/);
    const fixed: Agent = { name: 'fixed', act: async (xs) => xs.map(() => ({ action: 'vote[1]', logp: null, probs: null })) };
    const withActions = new SpeakerAgent({ domain: rpsslDomain, speaker, mode: 'greedy', seed: 0, actions: fixed });
    expect((await withActions.act([input('k/seat0', ['vote[1]'])]))[0]!.action).toBe('vote[1]');
  });

  it('self-play collects every speech turn of every game', async () => {
    const r = await selfPlay(rpsslDomain, speaker, { games: 5, concurrency: 2, proposals: 3, seed: 2, keepGames: 2 });
    expect(r.played).toBe(5);
    expect(r.failed).toBe(0);
    expect(r.speech).toHaveLength(10);
    expect(r.games).toHaveLength(2);
    expect(new Set(r.speech.map((s) => `${s.game}/${s.seat}`)).size).toBe(10);
  });
});
