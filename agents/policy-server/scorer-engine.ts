/**
 * The scorer behind the chat API: the request is read back into the policy's input (the ludus
 * prompt format, agents/llm/prompt.ts), each choice is one decision of the micro-batched policy
 * (policy-batcher.ts), and the reply is `Action: <action>` (completion.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import type { Rng } from '../../envs/core/rng.js';
import { PromptFormatError, readPrompt } from '../llm/prompt.js';
import { tokenize, type PolicyInput } from '../policy/featurizer.js';
import type { ActionScorer } from '../policy/model.js';
import type { ChatRequest } from './chat-request.js';
import { choiceReply } from './completion.js';
import type { CompletionEngine, EngineReply } from './completion-engine.js';
import { badRequest, OpenAiHttpError } from './openai-errors.js';
import { PolicyBatcher } from './policy-batcher.js';

export class ScorerEngine implements CompletionEngine {
  readonly fingerprint: string;
  readonly streams = false;
  private readonly batcher: PolicyBatcher;

  constructor(
    scorer: ActionScorer,
    private readonly limits: { maxBatch: number; batchWindowMs: number; maxQueue: number },
  ) {
    this.batcher = new PolicyBatcher(scorer, limits.maxBatch, limits.batchWindowMs);
    this.fingerprint = weightsFingerprint(scorer);
  }

  get pending(): number {
    return this.batcher.pending;
  }

  get batches(): { passes: number; rows: number } {
    return { passes: this.batcher.passes, rows: this.batcher.rows };
  }

  async complete(request: ChatRequest, rng: Rng): Promise<EngineReply> {
    const input = policyInputOf(request);
    if (this.batcher.pending + request.n > this.limits.maxQueue) {
      throw new OpenAiHttpError(503, `The server is overloaded (${this.batcher.pending} decisions queued): retry shortly.`, 'service_unavailable', 'overloaded');
    }
    const choices = await Promise.all(Array.from({ length: request.n }, () => this.batcher.choose({ input, temperature: request.temperature, rng })));
    const replies = choices.map((c) => choiceReply(c, input.candidates, request.logprobs ? request.topLogprobs : 0, request.maxTokens));
    const promptTokens = request.messages.reduce((n, m) => n + tokenize(m.content).length, 0);
    return { replies, promptTokens, promptIds: null };
  }
}

/** The policy's input from a request in the ludus prompt format, or a 400 saying what is wrong. */
function policyInputOf(request: ChatRequest): PolicyInput {
  let prompt;
  try {
    prompt = readPrompt(request.messages);
  } catch (err) {
    if (err instanceof PromptFormatError) throw badRequest(`messages: ${err.message}`, 'messages', 'prompt_format');
    throw err;
  }
  if (prompt.candidates.length === 0) {
    throw badRequest('messages: the <admissible_actions> block is empty: the policy chooses among admissible actions (see docs/llm.md)', 'messages', 'prompt_format');
  }
  return { ...(prompt.goal === undefined ? {} : { goal: prompt.goal }), text: prompt.text, history: prompt.history, candidates: prompt.candidates };
}

/** A short hash of the weights: `system_fingerprint` changes when the checkpoint does. */
export function weightsFingerprint(model: { getWeights(): { name: string; tensor: { dataSync(): ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }; dispose(): void } }[] }): string {
  const hash = createHash('sha256');
  const weights = model.getWeights();
  try {
    for (const w of weights) {
      hash.update(w.name);
      const data = w.tensor.dataSync();
      hash.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    }
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
  return `fp_${hash.digest('hex').slice(0, 12)}`;
}

