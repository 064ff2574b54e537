/**
 * The language model as a TrainablePolicy: it rolls out as the LM agent (free-text actions,
 * agents/lm/lm-agent.ts) and trains on tokens.
 *
 * - The Batch's token side (trainer/token-batch.ts): each turn's prompt and completion ids come
 *   from the step's recorded tokens when this model wrote them, else (an expert demonstration, an
 *   ARPO replay, another model's turn) from the transcript and the action text, as the model would
 *   read and write them; the mask covers the completion (the action's tokens and end-of-turn).
 * - π_old and π_ref per token: one forward pass per packed sequence, without gradient; the turn's
 *   sequence log-prob (their masked sum) goes to `batch.logpOld` / `batch.logpRef`.
 * - PPO: the per-token ratio exp(log π_θ − log π_old), clipped (ε low/high, dual clip), the turn's
 *   advantage broadcast over its tokens, k3 KL to the frozen reference and the entropy bonus, all
 *   token-means over the minibatch (trainer/losses/ppo.ts on token vectors).
 * - REFUEL: each pair's two turn-h completions, their summed token log-ratios regressed onto
 *   η·(R¹ − R²) (trainer/losses/sequence-log-ratio.ts gives the plain-number version).
 * - SFT: −mean log π over the action tokens of the demonstrations.
 * A NaN or infinite loss stops the run with TRAINING_DIVERGED.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BpeTokenizer } from '../agents/lm/bpe.js';
import { loadLmCheckpoint, saveLmCheckpoint } from '../agents/lm/checkpoint.js';
import { LM_MODEL_NAME, teacherTurn, type LanguageModel } from '../agents/lm/language-model.js';
import { LmAgent } from '../agents/lm/lm-agent.js';
import { transcriptOf } from '../agents/lm/transcript.js';
import type { TransformerLm } from '../agents/lm/transformer.js';
import { AdamClip } from '../agents/policy/optimizer.js';
import { matMulFast } from '../agents/policy/sparse-ops.js';
import type { Batch } from './batch.js';
import { TrainerError } from './errors.js';
import { ppoLoss, type PpoLossConfig } from './losses/ppo.js';
import { refuelLoss } from './losses/refuel.js';
import type { CollectedTrajectory } from './rollout.js';
import {
  broadcastAdvantages,
  gatherPerToken,
  packTurns,
  rowSums,
  scatterPerToken,
  sequenceMinibatches,
  trainedTokens,
  type PackedSequence,
  type TokenTurn,
} from './token-batch.js';
import type { AgentOptions, SftOptions, SftResult, TrainablePolicy } from './trainable-policy.js';
import type { LossName, UpdateOptions, UpdateStats } from './update.js';

export interface LmPolicyOptions {
  /** The env id the transcripts name. */
  envId: string;
  /** Most tokens per action. */
  maxTokens: number;
  topP: number;
  /** Tokens per optimizer step (sequences are grouped up to this many). */
  minibatchTokens: number;
  historyLength: number;
  /** List the admissible actions in the current turn. */
  listActions: boolean;
  /** History steps in the transcript (0: all). */
  historyWindow: number;
  /** Decode only prefixes of the admissible actions (agents/lm/constrain.ts). */
  constrain: boolean;
  /** Where the agent's warnings go (a cut prompt). */
  warn?: (line: string) => void;
}

function assertFinite(what: string, value: number, hint: string): void {
  if (!Number.isFinite(value)) {
    throw new TrainerError(
      'TRAINING_DIVERGED',
      `The ${what} became ${value} ${hint}. Lower --lr (lm.lr), keep gradient clipping on (maxGradNorm), or resume from the last checkpoint.`,
    );
  }
}

export class LmPolicy implements TrainablePolicy {
  readonly kind = 'lm' as const;

  readonly lm: LanguageModel;

  constructor(
    lm: LanguageModel,
    /** null for a frozen copy (the reference). */
    readonly optimizer: AdamClip | null,
    readonly options: LmPolicyOptions,
  ) {
    this.lm = { ...lm, prompt: { listActions: options.listActions, historyWindow: options.historyWindow, maxTokens: options.maxTokens, constrain: options.constrain } };
  }

  get model(): TransformerLm {
    return this.lm.model;
  }

  get tokenizer(): BpeTokenizer {
    return this.lm.tokenizer;
  }

  get canUpdate(): boolean {
    return this.optimizer !== null;
  }

  get historyLength(): number {
    return this.options.historyLength;
  }

  makeAgent(options: AgentOptions): LmAgent {
    return new LmAgent(this.lm, {
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.greedy === undefined ? {} : { greedy: options.greedy }),
      ...(options.rng === undefined ? {} : { rng: options.rng }),
      ...(options.name === undefined ? {} : { name: options.name }),
      topP: this.options.topP,
      ...(this.options.warn === undefined ? {} : { warn: this.options.warn }),
    });
  }

  /** The tokens of step k of a trajectory: as recorded when this model wrote them, else as it would read and write them. */
  turnOf(t: CollectedTrajectory, k: number): TokenTurn {
    const s = t.steps[k]!;
    const rec = s.tokens;
    const V = this.model.config.vocabSize;
    if (rec?.model === LM_MODEL_NAME && rec.promptIds != null && rec.ids != null && rec.ids.length > 0 && [...rec.promptIds, ...rec.ids].every((id) => id < V)) {
      return { promptIds: rec.promptIds, ids: rec.ids, mask: rec.mask ?? rec.ids.map(() => 1) };
    }
    const history = this.options.historyWindow > 0 ? s.history.slice(-this.options.historyWindow) : s.history;
    const messages = transcriptOf({
      envId: this.options.envId,
      ...(s.observation.goal === undefined ? {} : { goal: s.observation.goal }),
      text: s.observation.text,
      history,
      ...(t.seat === undefined ? {} : { seat: t.seat }),
      // the steps before this one carry their own lists, as the agent rendered them
      ...(this.options.listActions ? { actions: s.record.candidates, historyActions: history.map((_, j) => t.steps[k - history.length + j]?.record.candidates) } : {}),
    });
    return teacherTurn(this.lm, messages, s.record.action, this.options.maxTokens);
  }

  /** Turns of the batch's rows and their packing, trajectory by trajectory in step order. */
  private tokenRows(batch: Batch): { turns: TokenTurn[]; sequences: PackedSequence[] } {
    const turns: TokenTurn[] = [];
    const byTrajectory = new Map<number, number[]>();
    for (let i = 0; i < batch.rows.length; i++) {
      const tr = batch.rowTrajectory[i] as number;
      turns.push(this.turnOf(batch.trajectories[tr] as CollectedTrajectory, batch.rowStep[i] as number));
      const list = byTrajectory.get(tr) ?? [];
      list.push(i);
      byTrajectory.set(tr, list);
    }
    const order = [...byTrajectory.values()].map((rows) => rows.sort((a, b) => (batch.rowStep[a] as number) - (batch.rowStep[b] as number)));
    return { turns, sequences: packTurns(turns, order, this.model.config.context) };
  }

  /** log π of every trained token of `sequences` (no gradient), in position order. */
  private tokenLogprobs(model: TransformerLm, sequences: readonly PackedSequence[]): Float32Array {
    const out = new Float32Array(trainedTokens(sequences));
    let m = 0;
    for (const chunk of sequenceMinibatches(sequences, sequences.map((_, i) => i), this.options.minibatchTokens)) {
      const values = tf.tidy(() => model.tokenLogProbs({ sequences: chunk.map((i) => sequences[i] as PackedSequence) }).logp.dataSync() as Float32Array);
      out.set(values, m);
      m += values.length;
    }
    return out;
  }

  scoreBatch(batch: Batch, reference: TrainablePolicy | null): void {
    const { turns, sequences } = this.tokenRows(batch);
    const perRow = () => turns.map((t) => new Float32Array(t.ids.length));
    const logpOld = perRow();
    scatterPerToken(sequences, this.tokenLogprobs(this.model, sequences), logpOld);
    let logpRef: Float32Array[] | null = null;
    if (reference !== null) {
      logpRef = perRow();
      scatterPerToken(sequences, this.tokenLogprobs((reference as LmPolicy).model, sequences), logpRef);
    }
    batch.tokens = { turns, sequences, logpOld, logpRef };
    batch.logpOld = rowSums(turns, logpOld);
    batch.logpRef = logpRef === null ? null : rowSums(turns, logpRef);
  }

  update(loss: LossName, batch: Batch, lossConfig: PpoLossConfig, options: UpdateOptions, hint: string): UpdateStats {
    if (this.optimizer === null) throw new RangeError('LmPolicy.update: this copy is frozen (no optimizer).');
    if (batch.tokens === null) throw new RangeError('LmPolicy.update: score the batch first (scoreBatch fills its tokens).');
    return loss === 'refuel' ? this.refuelUpdate(batch, options, hint) : this.ppoUpdate(batch, lossConfig, options, hint);
  }

  private run(units: number[][], rowsOf: (unit: number[]) => number, tokensOf: (unit: number[]) => number, what: string, hint: string, lossOf: (unit: number[]) => () => { loss: tf.Scalar; stats: Record<string, tf.Scalar> }): UpdateStats {
    const optimizer = this.optimizer as AdamClip;
    const vars = this.model.trainableVariables();
    const start = performance.now();
    let loss = 0;
    let gradNorm = 0;
    let rows = 0;
    let tokens = 0;
    const sums: Record<string, number> = {};
    for (const unit of units) {
      const step = optimizer.step(lossOf(unit), vars);
      assertFinite(what, step.loss, hint);
      loss += step.loss;
      gradNorm += step.gradNorm;
      rows += rowsOf(unit);
      tokens += tokensOf(unit);
      for (const [k, v] of Object.entries(step.stats)) sums[k] = (sums[k] ?? 0) + v;
    }
    const n = Math.max(1, units.length);
    const ms = performance.now() - start;
    return {
      loss: loss / n,
      gradNorm: gradNorm / n,
      rowsPerSecond: ms > 0 ? rows / (ms / 1000) : 0,
      minibatches: units.length,
      ms,
      stats: { ...Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n])), tokensPerSecond: ms > 0 ? tokens / (ms / 1000) : 0, trainedTokens: tokens },
    };
  }

  /** Shuffled minibatches of sequences for each epoch. */
  private epochs(sequences: readonly PackedSequence[], options: UpdateOptions): number[][] {
    const out: number[][] = [];
    const order = sequences.map((_, i) => i);
    for (let e = 0; e < options.epochs; e++) out.push(...sequenceMinibatches(sequences, options.rng.shuffle(order), this.options.minibatchTokens));
    return out;
  }

  private ppoUpdate(batch: Batch, lossConfig: PpoLossConfig, options: UpdateOptions, hint: string): UpdateStats {
    const tokens = batch.tokens!;
    const useRef = tokens.logpRef !== null && lossConfig.klCoef > 0;
    const cfg = useRef ? lossConfig : { ...lossConfig, klCoef: 0 };
    const seqs = tokens.sequences;
    const rowsIn = (unit: number[]) => new Set(unit.flatMap((i) => Array.from((seqs[i] as PackedSequence).row))).size;
    return this.run(this.epochs(seqs, options), rowsIn, (unit) => unit.reduce((n, i) => n + (seqs[i] as PackedSequence).positions.length, 0), 'token loss', hint, (unit) => {
      const chosen = unit.map((i) => seqs[i] as PackedSequence);
      const logpOld = gatherPerToken(chosen, tokens.logpOld);
      const adv = broadcastAdvantages(chosen, batch.advantage);
      const logpRef = useRef ? gatherPerToken(chosen, tokens.logpRef as Float32Array[]) : null;
      return () => {
        const out = this.model.tokenLogProbs({ sequences: chosen });
        const { loss, stats } = ppoLoss(
          {
            logp: out.logp,
            logpOld: tf.tensor1d(logpOld),
            advantages: tf.tensor1d(adv),
            entropy: out.entropy,
            ...(logpRef === null ? {} : { logpRef: tf.tensor1d(logpRef) }),
          },
          cfg,
        );
        return { loss, stats: { ...stats } };
      };
    });
  }

  private refuelUpdate(batch: Batch, options: UpdateOptions, hint: string): UpdateStats {
    const pairs = batch.pairs;
    if (pairs === null) throw new RangeError('LmPolicy.refuelUpdate: the batch has no pairs.');
    const turns = batch.tokens!.turns;
    // Each row's own sequence: its prompt and completion; its trained tokens summed in the graph.
    const single = (r: number): PackedSequence => packTurns(turns, [[r]], this.model.config.context)[0] ?? { ids: Int32Array.from([...(turns[r] as TokenTurn).promptIds]), positions: new Int32Array(0), row: new Int32Array(0), token: new Int32Array(0) };
    const pairsPerMinibatch = Math.max(1, Math.floor(options.minibatchSize / 2));
    const units: number[][] = [];
    const order = Array.from({ length: pairs.a.length }, (_, p) => p);
    for (let e = 0; e < options.epochs; e++) {
      const shuffled = options.rng.shuffle(order);
      for (let s = 0; s < shuffled.length; s += pairsPerMinibatch) units.push(shuffled.slice(s, s + pairsPerMinibatch));
    }
    return this.run(units, (unit) => 2 * unit.length, (unit) => unit.reduce((n, p) => n + (turns[pairs.a[p] as number] as TokenTurn).ids.length + (turns[pairs.b[p] as number] as TokenTurn).ids.length, 0), 'REFUEL loss', hint, (unit) => {
      const rows = [...unit.map((p) => pairs.a[p] as number), ...unit.map((p) => pairs.b[p] as number)];
      const seqs = rows.map(single);
      // [rows, positions] 0/1: which trained token belongs to which row, to sum in the graph.
      const M = trainedTokens(seqs);
      const owner = new Float32Array(rows.length * M);
      let m = 0;
      seqs.forEach((s, j) => {
        for (let i = 0; i < s.positions.length; i++) owner[j * M + m++] = 1;
      });
      const old = Array.from(rows, (r) => batch.logpOld[r] as number);
      const target = unit.map((p) => pairs.target[p] as number);
      const P = unit.length;
      return () => {
        const { logp } = this.model.tokenLogProbs({ sequences: seqs });
        const sums = tf.reshape(matMulFast(tf.tensor2d(owner, [rows.length, M]), tf.reshape(logp, [M, 1]) as tf.Tensor2D), [rows.length]) as tf.Tensor1D;
        const oldT = tf.tensor1d(old);
        const { loss, stats } = refuelLoss({ logpA: sums.slice(0, P), logpB: sums.slice(P, P), logpOldA: oldT.slice(0, P), logpOldB: oldT.slice(P, P), target: tf.tensor1d(target) });
        return { loss, stats: { ...stats } };
      };
    });
  }

  sft(demos: readonly CollectedTrajectory[], options: SftOptions): SftResult {
    const turns: TokenTurn[] = [];
    const order: number[][] = [];
    for (const t of demos.filter((d) => d.success)) {
      order.push(t.steps.map((_, k) => turns.push(this.turnOf(t, k)) - 1));
    }
    const sequences = packTurns(turns, order, this.model.config.context);
    const optimizer = new AdamClip({ lr: options.lr, maxGradNorm: options.maxGradNorm });
    const vars = this.model.trainableVariables();
    const losses: number[] = [];
    try {
      const indices = sequences.map((_, i) => i);
      for (let e = 0; e < options.epochs; e++) {
        let sum = 0;
        let count = 0;
        for (const unit of sequenceMinibatches(sequences, options.rng.shuffle(indices), this.options.minibatchTokens)) {
          const chosen = unit.map((i) => sequences[i] as PackedSequence);
          const step = optimizer.step(() => tf.neg(tf.mean(this.model.tokenLogProbs({ sequences: chosen }).logp)) as tf.Scalar, vars);
          assertFinite('SFT token loss', step.loss, 'during the SFT warm start');
          sum += step.loss;
          count += 1;
        }
        losses.push(count === 0 ? Number.NaN : sum / count);
      }
    } finally {
      optimizer.dispose();
    }
    return { loss: losses.at(-1) ?? Number.NaN, losses, decisions: turns.length };
  }

  cloneFrozen(): LmPolicy {
    return new LmPolicy({ model: this.model.clone({ trainable: false }), tokenizer: this.tokenizer }, null, this.options);
  }

  async save(dir: string, parts: Parameters<TrainablePolicy['save']>[1] = {}): Promise<void> {
    await saveLmCheckpoint(dir, {
      lm: this.lm,
      ...(parts.withOptimizer === true && this.optimizer !== null ? { optimizer: this.optimizer } : {}),
      ...(parts.runState === undefined ? {} : { runState: parts.runState }),
    });
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer?.dispose();
  }

  /** An LM checkpoint as a policy; a trainable one keeps its saved optimizer, or gets a fresh one at `lr`. */
  static async load(dir: string, options: LmPolicyOptions & { trainable: boolean; lr?: number; maxGradNorm?: number }): Promise<{ policy: LmPolicy; runState?: { iteration: number; [key: string]: unknown } }> {
    const loaded = await loadLmCheckpoint(dir, { trainable: options.trainable });
    // What the model was trained to read wins over the caller's defaults.
    if (loaded.lm.prompt !== undefined) options = { ...options, ...loaded.lm.prompt };
    const optimizer = options.trainable ? (loaded.optimizer ?? (options.lr === undefined ? null : new AdamClip({ lr: options.lr, maxGradNorm: options.maxGradNorm ?? 1 }))) : null;
    if (!options.trainable) loaded.optimizer?.dispose();
    return { policy: new LmPolicy(loaded.lm, optimizer, options), ...(loaded.runState === undefined ? {} : { runState: loaded.runState }) };
  }
}

