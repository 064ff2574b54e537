/**
 * Making and loading the policy a run trains, by kind (`config.policy`): the scorer
 * (trainer/scorer-policy.ts) or the language model (trainer/lm-policy.ts). A new LM first gets a
 * tokenizer trained on the env's own text (the demonstrations, plus a random agent's episodes so
 * the actions nobody demonstrated are in the vocabulary).
 * @module
 */
import { BpeTokenizer, trainBpe } from '../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS } from '../agents/lm/chat-template.js';
import { isLmCheckpoint } from '../agents/lm/checkpoint.js';
import { tokenizerCorpus } from '../agents/lm/tokenizer-corpus.js';
import { TransformerLm } from '../agents/lm/transformer.js';
import { ActionScorer } from '../agents/policy/model.js';
import { AdamClip } from '../agents/policy/optimizer.js';
import { proposerFor } from '../agents/candidates.js';
import { RandomAgent } from '../agents/random-agent.js';
import { Rng } from '../envs/core/rng.js';
import type { EnvSummary } from '../envs/core/spec.js';
import { sampleGroups, trainPoolSize } from './collect.js';
import { collectorFor } from './collectors.js';
import type { TrainConfig } from './config.js';
import type { EnvProvider } from './env-provider.js';
import { TrainerError } from './errors.js';
import { LmPolicy, type LmPolicyOptions } from './lm-policy.js';
import type { CollectedTrajectory } from './rollout.js';
import { ScorerPolicy } from './scorer-policy.js';
import type { TrainablePolicy } from './trainable-policy.js';

/** What the LM policy needs of the config. */
export function lmPolicyOptions(config: TrainConfig, log?: (line: string) => void): LmPolicyOptions {
  return {
    envId: config.env,
    maxTokens: config.lm.maxTokens,
    topP: config.lm.topP,
    minibatchTokens: config.lm.minibatchTokens,
    historyLength: config.historyLength,
    listActions: config.lm.listActions,
    historyWindow: config.lm.historyWindow,
    constrain: config.lm.constrain,
    ...(log === undefined ? {} : { warn: log }),
  };
}

/** Episodes of a random agent over train tasks (their own rng: the run's draws are untouched). */
async function randomEpisodes(provider: EnvProvider, config: TrainConfig, env: EnvSummary, count: number): Promise<CollectedTrajectory[]> {
  if (count === 0) return [];
  const rng = new Rng(`lm-tokenizer:${config.seed}`);
  const groups = sampleGroups(rng, 'tok', count, config.trainSplit, trainPoolSize(env, config)).map((g, i) => ({ ...g, groupId: `tok${i}` }));
  const { trajectories } = await collectorFor(config, env)(provider, new RandomAgent(`lm-tokenizer:${config.seed}`), groups, {
    groupSize: 1,
    historyLength: config.historyLength,
    retries: config.groupRetries,
    propose: proposerFor(config.env),
  });
  return trajectories;
}

/** A fresh policy of the config's kind (with its optimizer at the RL learning rate). */
export async function createPolicy(
  config: TrainConfig,
  context: { provider: EnvProvider; env: EnvSummary; demos: readonly CollectedTrajectory[]; log: (line: string) => void },
): Promise<TrainablePolicy> {
  if (config.policy === 'scorer') {
    const m = config.model;
    const scorer = ActionScorer.create(
      {
        featurizer: { dim: m.featureDim, memory: m.memory, historyLength: config.historyLength, recentSteps: m.recentSteps, goalMatch: m.goalMatch, entityContext: m.entityContext },
        hidden: m.hidden,
        mlpHidden: m.mlpHidden,
        seed: config.seed,
      },
      { trainable: true },
    );
    return new ScorerPolicy(scorer, new AdamClip({ lr: config.lr, maxGradNorm: config.maxGradNorm }));
  }
  const c = config.lm;
  const extra = await randomEpisodes(context.provider, config, context.env, context.demos.length > 0 ? c.tokenizerEpisodes : Math.max(c.tokenizerEpisodes, 64));
  const corpus = tokenizerCorpus(config.env, [...context.demos, ...extra]);
  const tokenizer = new BpeTokenizer(trainBpe(corpus, { vocabSize: c.vocabSize, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  const model = TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: c.dModel, layers: c.layers, heads: c.heads, dFf: c.dFf, context: c.context, seed: config.seed }, { trainable: true });
  context.log(
    `lm: ${model.parameterCount()} parameters (d ${c.dModel}, ${c.layers} layers × ${c.heads} heads, MLP ${c.dFf}, context ${c.context}, ALiBi positions); ` +
      `tokenizer: byte-level BPE of ${tokenizer.vocabSize} tokens from ${corpus.length} texts of ${context.demos.length + extra.length} episodes`,
  );
  return new LmPolicy({ model, tokenizer }, new AdamClip({ lr: c.lr, maxGradNorm: config.maxGradNorm }), lmPolicyOptions(config, context.log));
}

/** A saved policy of the config's kind; refuses a checkpoint of the other kind. */
export async function loadPolicy(dir: string, config: TrainConfig, options: { trainable: boolean; log?: (line: string) => void }): Promise<{ policy: TrainablePolicy; runState?: { iteration: number; [key: string]: unknown } }> {
  const kind = isLmCheckpoint(dir) ? 'lm' : 'scorer';
  if (kind !== config.policy) {
    throw new TrainerError('CHECKPOINT_NOT_FOUND', `${dir} holds a ${kind === 'lm' ? 'language-model' : 'scorer'} checkpoint, but the run's policy is '${config.policy}': pass --policy ${kind} (or use the run's own checkpoint folder).`);
  }
  if (kind === 'scorer') return ScorerPolicy.load(dir, { trainable: options.trainable });
  return LmPolicy.load(dir, { ...lmPolicyOptions(config, options.log), trainable: options.trainable });
}
