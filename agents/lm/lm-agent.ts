/**
 * The language model as an Agent: it reads each decision as a chat transcript (transcript.ts)
 * and writes its action as free text, not choosing from the admissible list; whatever it writes
 * goes to the env, which answers an action it does not accept with its `invalid` codes, as for any
 * agent. All live decision streams are decoded together (generate.ts), each after the KV cache of
 * its own previous step, so a step reads only the new observation.
 *
 * Each decision carries `tokens` (agents/turn-tokens.ts): the prompt messages and ids, the
 * completion, its token strings, ids and log-probs, and a loss mask of 1 on every completion
 * token (the action's tokens and the end-of-turn that closes it); the store keeps them per step.
 * `logp` is their sum, the action's sequence log-prob; `probs` is null (there is no list).
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';
import type { Agent, AgentInput, Decision } from '../agent.js';
import type { TurnTokens } from '../turn-tokens.js';
import { LmError } from './errors.js';
import { END_OF_TURN } from './chat-template.js';
import { actionTrie } from './constrain.js';
import { generate, type CachedPrefix } from './generate.js';
import { DEFAULT_PROMPT_SETTINGS, fitPrompt, LM_MODEL_NAME, stopIds, type LanguageModel } from './language-model.js';
import { transcriptOf } from './transcript.js';
import { disposeCache } from './transformer.js';

export interface LmAgentOptions {
  /** Sampling temperature (default 1); ignored when greedy. */
  temperature?: number;
  /** Nucleus sampling mass (default 1: no cut). */
  topP?: number;
  /** Most tokens per action (default: the model's prompt settings, 32 for a bare model). */
  maxTokens?: number;
  /** Take the most likely token at every step (evaluation). */
  greedy?: boolean;
  /** The run's seeded RNG (required unless greedy). */
  rng?: Rng;
  /** Alternatives recorded per token (default 0). */
  topLogprobs?: number;
  name?: string;
  /** List the admissible actions after the current observation (default: the model's prompt settings). */
  listActions?: boolean;
  /** History steps put in the transcript, the most recent; 0: all the agent is given (default: the model's prompt settings). */
  historyWindow?: number;
  /**
   * Write only prefixes of the admissible actions (constrain.ts; default: the model's prompt
   * settings, off): every reply is then an action the env accepts. Not free text: an option.
   */
  constrain?: boolean;
  /** Keep each stream's KV cache between steps (default true). */
  reuseCache?: boolean;
  /** Where the once-per-stream warning about a cut prompt goes (default console.warn). */
  warn?: (message: string) => void;
}

export class LmAgent implements Agent {
  readonly name: string;
  private readonly caches = new Map<string, CachedPrefix>();
  private readonly warned = new Set<string>();
  /** Per stream, the admissible actions of each step it was given (to list them in the history too). */
  private readonly lists = new Map<string, (readonly string[])[]>();
  private readonly stop: Set<number>;
  /** Prompt tokens read from kept caches, and read fresh (for the bench and tests). */
  readonly counts = { reusedTokens: 0, prefillTokens: 0, generatedTokens: 0, cutPrompts: 0 };

  constructor(
    readonly lm: LanguageModel,
    private readonly options: LmAgentOptions = {},
  ) {
    this.name = options.name ?? 'lm';
    this.stop = stopIds(lm.tokenizer);
    if (options.greedy !== true && options.rng === undefined) {
      throw new LmError('LM_INPUT_INVALID', "The LM agent samples with the run's seeded Rng: pass { rng } (or { greedy: true }).");
    }
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    if (inputs.length === 0) return [];
    const { model, tokenizer } = this.lm;
    const settings = { ...DEFAULT_PROMPT_SETTINGS, ...(this.lm.prompt ?? {}) };
    const maxTokens = this.options.maxTokens ?? settings.maxTokens;
    const listActions = this.options.listActions ?? settings.listActions;
    const constrain = this.options.constrain ?? settings.constrain;
    const endId = tokenizer.special(END_OF_TURN);
    const greedy = this.options.greedy === true;
    const temperature = greedy ? 0 : (this.options.temperature ?? 1);
    const topP = this.options.topP ?? 1;
    const topLogprobs = this.options.topLogprobs ?? 0;
    const budget = model.config.context - maxTokens;
    const window = this.options.historyWindow ?? settings.historyWindow;
    const prompts = inputs.map((input) => {
      const history = window > 0 ? input.history.slice(-window) : input.history;
      let historyActions: (readonly string[] | undefined)[] | undefined;
      if (listActions) {
        // The lists of the steps this stream was given, aligned with the end of its history.
        const seen = this.lists.get(input.key) ?? [];
        historyActions = history.map((_, j) => seen[seen.length - history.length + j]);
        this.lists.set(input.key, [...seen, input.candidates]);
      }
      const messages = transcriptOf({
        envId: input.envId,
        ...(input.observation.goal === undefined ? {} : { goal: input.observation.goal }),
        text: input.observation.text,
        history,
        ...(input.seat === undefined ? {} : { seat: input.seat }),
        ...(listActions ? { actions: input.candidates, historyActions } : {}),
      });
      const fitted = fitPrompt(tokenizer, messages, budget);
      if (fitted.droppedMessages > 0 || fitted.cutTokens > 0) {
        this.counts.cutPrompts += 1;
        if (!this.warned.has(input.key)) {
          this.warned.add(input.key);
          (this.options.warn ?? ((m: string) => console.warn(m)))(
            `[ludus] lm: the prompt of ${input.key} holds ${fitted.fullTokens} tokens, more than the context of ${model.config.context} less ${maxTokens} for the reply: ` +
              `dropped the ${fitted.droppedMessages / 2} oldest turns${fitted.cutTokens > 0 ? ` and cut ${fitted.cutTokens} tokens from the front` : ''} (raise lm.context to keep them; warned once per episode).`,
          );
        }
      }
      return fitted;
    });
    const reuse = this.options.reuseCache !== false;
    const generations = generate(
      model,
      prompts.map((p, i) => {
        const key = (inputs[i] as AgentInput).key;
        const prefix = reuse ? (this.caches.get(key) ?? null) : null;
        this.caches.delete(key);
        const candidates = (inputs[i] as AgentInput).candidates;
        const trie = constrain && candidates.length > 0 ? actionTrie(tokenizer, candidates, endId) : null;
        return {
          prompt: p.ids,
          maxTokens,
          sampling: { temperature, topP, topLogprobs },
          rng: this.options.rng as Rng,
          prefix,
          ...(trie === null ? {} : { allowed: (ids: readonly number[]) => trie.next(ids) }),
        };
      }),
      { stop: this.stop, keepCaches: reuse },
    );
    return generations.map((g, i) => {
      const input = inputs[i] as AgentInput;
      const prompt = prompts[i]!;
      if (reuse) this.caches.set(input.key, g.prefix);
      this.counts.reusedTokens += g.reused;
      this.counts.prefillTokens += prompt.ids.length - g.reused;
      this.counts.generatedTokens += g.ids.length;
      const text = tokenizer.decode(g.ids);
      const tokens: TurnTokens = {
        prompt: prompt.messages,
        promptIds: prompt.ids,
        completion: text,
        tokens: g.ids.map((id) => tokenizer.tokenText(id)),
        ids: g.ids,
        logprobs: g.logprobs,
        ...(topLogprobs > 0 ? { top: g.top.map((alts) => alts.map((a) => ({ token: tokenizer.tokenText(a.id), logprob: a.logprob }))) } : {}),
        mask: g.ids.map(() => 1),
        model: LM_MODEL_NAME,
        finishReason: g.finishReason,
        sampling: { temperature, topP, maxTokens },
      };
      const logp = g.logprobs.reduce((a, b) => a + b, 0);
      return {
        action: text.trim(),
        logp,
        probs: null,
        meta: { promptTokens: prompt.ids.length, completionTokens: g.ids.length, reusedTokens: g.reused, ...(prompt.droppedMessages > 0 || prompt.cutTokens > 0 ? { droppedTurns: prompt.droppedMessages / 2, cutTokens: prompt.cutTokens } : {}) },
        tokens,
      };
    });
  }

  end(keys: readonly string[]): void {
    for (const key of keys) {
      const c = this.caches.get(key);
      if (c !== undefined) disposeCache(c.cache);
      this.caches.delete(key);
      this.warned.delete(key);
      this.lists.delete(key);
    }
  }

  async close(): Promise<void> {
    this.end([...this.caches.keys()]);
  }
}
