import { beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, trainBpe } from '../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS } from '../../agents/lm/chat-template.js';
import { tokenizerCorpus } from '../../agents/lm/tokenizer-corpus.js';
import { TransformerLm } from '../../agents/lm/transformer.js';
import { ExpertAgent } from '../../agents/experts.js';
import { selectBackend } from '../../agents/policy/backend.js';
import { AdamClip } from '../../agents/policy/optimizer.js';
import { Rng } from '../../envs/core/rng.js';
import '../../envs/builtin.js';
import { toBatch } from '../../trainer/batch.js';
import { envProviderFor } from '../../trainer/env-provider.js';
import { evaluateWith, evalGroups } from '../../trainer/evaluate.js';
import { DEFAULT_PPO_LOSS_CONFIG } from '../../trainer/losses/ppo.js';
import { LmPolicy } from '../../trainer/lm-policy.js';
import { collectGroups, type CollectedTrajectory } from '../../trainer/rollout.js';

const provider = () => envProviderFor({ env: 'household-v1', envOptions: { difficulty: 'easy' }, maxSteps: 12, envUrl: [] });
let demos: CollectedTrajectory[];

function policyOf(demos: readonly CollectedTrajectory[], seed = 1, lr = 3e-3, listActions = false, context = 512): LmPolicy {
  const tokenizer = new BpeTokenizer(trainBpe(tokenizerCorpus('household-v1', demos), { vocabSize: 400, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  const model = TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: 32, layers: 2, heads: 2, dFf: 64, context, seed });
  return new LmPolicy({ model, tokenizer }, new AdamClip({ lr }), { envId: 'household-v1', maxTokens: 12, topP: 1, minibatchTokens: 4096, historyLength: 64, listActions, historyWindow: 0, constrain: false });
}

beforeAll(async () => {
  await selectBackend();
  // the expert on train tasks 0..3 with seeds 0..3: the same episodes an evaluation of those tasks plays
  const p = provider();
  demos = (await collectGroups(p, new ExpertAgent('household-v1'), evalGroups('train', 4, 3553, 0), { groupSize: 1, historyLength: 64, retries: 0 })).trajectories;
  await p.close();
  expect(demos.every((d) => d.success)).toBe(true);
});

describe('the LM policy trains on tokens', () => {
  it('SFT on action tokens lowers the loss, and the model then plays those household tasks to success', async () => {
    const policy = policyOf(demos, 2);
    const sft = policy.sft(demos, { epochs: 60, minibatchSize: 64, rng: new Rng(1), lr: 1e-2, maxGradNorm: 1 });
    expect(sft.decisions).toBe(demos.reduce((n, d) => n + d.steps.length, 0));
    expect(sft.losses[0]!).toBeGreaterThan(2);
    expect(sft.loss).toBeLessThan(sft.losses[0]! / 4);
    const p = provider();
    const agent = policy.makeAgent({ greedy: true });
    const { summary } = await evaluateWith(p, agent, { split: 'train', episodes: 4, seed: 0, retries: 0 });
    await p.close();
    expect(summary.successRate).toBeGreaterThan(0);
    policy.dispose();
  }, 120_000);

  it('scores a batch per token: π_old sums to the turn\'s sequence log-prob; the first PPO step\'s policy loss is minus the token-mean advantage', async () => {
    const policy = policyOf(demos);
    const batch = toBatch({ trajectories: demos.slice(0, 2), envSteps: 0, ms: 0, metrics: {} }, 'env', { decisions: false });
    expect(batch.decisions).toHaveLength(0);
    policy.scoreBatch(batch, policy.cloneFrozen());
    const tokens = batch.tokens!;
    expect(tokens.sequences).toHaveLength(2); // one packed sequence per episode
    tokens.turns.forEach((t, r) => {
      expect(t.ids.at(-1)).toBe(policy.tokenizer.special('<|end|>'));
      expect(batch.logpOld[r]).toBeCloseTo(tokens.logpOld[r]!.reduce((a, b) => a + b, 0), 4);
      expect(tokens.logpRef![r]!).toEqual(tokens.logpOld[r]!);
    });
    // advantage +1 on the first episode's turns, 0.5 on the second's: the token-mean weighs each turn by its tokens
    batch.advantage = Float64Array.from(batch.rowTrajectory, (tr) => (tr === 0 ? 1 : 0.5));
    const tokensOf = (tr: number) => tokens.turns.filter((_, r) => batch.rowTrajectory[r] === tr).reduce((n, t) => n + t.ids.length, 0);
    const expected = -(tokensOf(0) * 1 + tokensOf(1) * 0.5) / (tokensOf(0) + tokensOf(1));
    const update = policy.update('ppo', batch, { ...DEFAULT_PPO_LOSS_CONFIG, entropyCoef: 0 }, { epochs: 1, minibatchSize: 64, rng: new Rng(0) }, 'in the test');
    expect(update.minibatches).toBe(1);
    expect(update.stats.pgLoss).toBeCloseTo(expected, 5);
    expect(update.stats.kl).toBeCloseTo(0, 6);
    expect(update.stats.trainedTokens).toBe(tokensOf(0) + tokensOf(1));
    policy.dispose();
  }, 60_000);

  it('with the admissible actions listed, an episode\'s turns still pack into one sequence, and the agent reads the same prompts', async () => {
    const policy = policyOf(demos, 1, 3e-3, true, 2048);
    const batch = toBatch({ trajectories: demos.slice(0, 2), envSteps: 0, ms: 0, metrics: {} }, 'env', { decisions: false });
    policy.scoreBatch(batch, null);
    expect(batch.tokens!.sequences).toHaveLength(2);
    const listed = policy.tokenizer.decode(batch.tokens!.turns[1]!.promptIds as number[]);
    expect(listed).toContain('Admissible actions:');
    expect(listed.match(/Admissible actions:/g)).toHaveLength(2); // the history step keeps its list
    const agent = policy.makeAgent({ greedy: true });
    const d = demos[0]!;
    for (let k = 0; k < 2; k++) {
      const s = d.steps[k]!;
      const [decision] = await agent.act([{ key: 'demo', envId: 'household-v1', observation: s.observation, info: s.result.info, candidates: s.record.candidates, history: s.history }]);
      expect(decision!.tokens!.promptIds).toEqual(batch.tokens!.turns[k]!.promptIds);
    }
    await agent.close();
    policy.dispose();
  });

  it('REFUEL\'s first step regresses a zero log-ratio gap: the loss is the mean squared target', () => {
    const policy = policyOf(demos);
    const collection = { trajectories: demos.slice(0, 2), trainSteps: [{ trajectory: 0, t: 1 }, { trajectory: 1, t: 1 }], pairs: [{ a: 0, b: 1 }], envSteps: 0, ms: 0, metrics: {} };
    const batch = toBatch(collection, 'env', { decisions: false });
    policy.scoreBatch(batch, null);
    batch.pairs!.target = Float64Array.of(0.7);
    const update = policy.update('refuel', batch, DEFAULT_PPO_LOSS_CONFIG, { epochs: 1, minibatchSize: 64, rng: new Rng(0) }, 'in the test');
    expect(update.loss).toBeCloseTo(0.49, 4);
    policy.dispose();
  });

  it('a NaN in the token loss stops with TRAINING_DIVERGED', () => {
    const policy = policyOf(demos);
    const batch = toBatch({ trajectories: demos.slice(0, 1), envSteps: 0, ms: 0, metrics: {} }, 'env', { decisions: false });
    policy.scoreBatch(batch, null);
    batch.advantage = batch.advantage.map(() => Number.NaN);
    expect(() => policy.update('ppo', batch, DEFAULT_PPO_LOSS_CONFIG, { epochs: 1, minibatchSize: 64, rng: new Rng(0) }, 'at iteration 3')).toThrow(expect.objectContaining({ code: 'TRAINING_DIVERGED', message: expect.stringMatching(/token loss became NaN at iteration 3/) }));
    policy.dispose();
  });
});
