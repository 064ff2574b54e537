/**
 * A language model as ludus uses it: the transformer, the tokenizer it was trained with, and how a
 * chat becomes a prompt that fits its context.
 *
 * A prompt longer than the context (less the room kept for the reply) is cut from the front: the
 * oldest observation/action turns go first, in blocks of `dropBlock` turns (so the prompt's start
 * changes rarely and the next steps still extend the cached prefix), the system message stays;
 * if the system message and the last turn alone are too long, tokens are cut from the front of
 * what is left. The cut is a pure function of the messages, reported so the caller can warn.
 * @module
 */
import type { PromptMessage } from '../turn-tokens.js';
import type { BpeTokenizer } from './bpe.js';
import { CHAT_SPECIAL_TOKENS, END_OF_TURN, renderChat } from './chat-template.js';
import { LmError } from './errors.js';
import type { TransformerLm } from './transformer.js';

/** How the model is prompted and how much it may write: part of what it was trained on, saved with it. */
export interface PromptSettings {
  /** The admissible actions are listed after the current observation (transcript.ts). */
  listActions: boolean;
  /** History steps in the transcript, the most recent (0: all). */
  historyWindow: number;
  /** Most tokens per action. */
  maxTokens: number;
  /** Decoding constrained to the admissible actions (constrain.ts; off: free text). */
  constrain: boolean;
}

export const DEFAULT_PROMPT_SETTINGS: Readonly<PromptSettings> = { listActions: false, historyWindow: 0, maxTokens: 32, constrain: false };

export interface LanguageModel {
  model: TransformerLm;
  tokenizer: BpeTokenizer;
  /** How it was trained to read episodes (default DEFAULT_PROMPT_SETTINGS). */
  prompt?: PromptSettings;
}

/** The model id recorded with every turn the LM writes. */
export const LM_MODEL_NAME = 'ludus-lm';

export interface FittedPrompt {
  messages: PromptMessage[];
  ids: number[];
  /** History turns (user + assistant messages) dropped from the front. */
  droppedMessages: number;
  /** Tokens cut from the front after dropping turns (0 almost always). */
  cutTokens: number;
  /** Tokens of the whole prompt before any cut. */
  fullTokens: number;
}

/** Refuses a tokenizer that the model cannot read (a different vocabulary, no chat tokens). */
export function checkTokenizerFits(model: TransformerLm, tokenizer: BpeTokenizer): void {
  if (tokenizer.vocabSize !== model.config.vocabSize) {
    throw new LmError(
      'LM_TOKENIZER_MISMATCH',
      `The tokenizer has ${tokenizer.vocabSize} tokens but the model's embedding has ${model.config.vocabSize} rows: they come from different runs. Use the tokenizer.json saved with these weights.`,
      { tokenizer: tokenizer.vocabSize, model: model.config.vocabSize },
    );
  }
  for (const name of CHAT_SPECIAL_TOKENS) tokenizer.special(name);
}

/**
 * The prompt ids of `messages` (with the assistant turn opened), cut from the front to at most
 * `budget` tokens as the module doc says.
 */
export function fitPrompt(tokenizer: BpeTokenizer, messages: readonly PromptMessage[], budget: number, dropBlock = 4): FittedPrompt {
  const full = renderChat(tokenizer, messages, { generation: true });
  if (full.length <= budget) return { messages: [...messages], ids: full, droppedMessages: 0, cutTokens: 0, fullTokens: full.length };
  const head = messages[0]?.role === 'system' ? [messages[0]] : [];
  const body = messages.slice(head.length);
  const last = body.length - 1; // the current observation always stays
  // History pairs are (user, assistant) messages before the last; drop them in blocks.
  const pairs = Math.floor(last / 2);
  for (let blocks = 1; blocks * dropBlock < pairs + dropBlock; blocks++) {
    const drop = Math.min(pairs, blocks * dropBlock) * 2;
    const kept = [...head, ...body.slice(drop)];
    const ids = renderChat(tokenizer, kept, { generation: true });
    if (ids.length <= budget) return { messages: kept, ids, droppedMessages: drop, cutTokens: 0, fullTokens: full.length };
  }
  const kept = [...head, ...body.slice(pairs * 2)];
  const ids = renderChat(tokenizer, kept, { generation: true });
  const cut = ids.length - budget;
  if (cut > 0 && budget < 2) throw new LmError('LM_INPUT_INVALID', `A prompt budget of ${budget} tokens leaves no room for a prompt: raise lm.context or lower maxTokens.`);
  return { messages: kept, ids: cut > 0 ? ids.slice(cut) : ids, droppedMessages: pairs * 2, cutTokens: Math.max(0, cut), fullTokens: full.length };
}

/** The ids that end a reply. */
export function stopIds(tokenizer: BpeTokenizer): Set<number> {
  return new Set([tokenizer.special(END_OF_TURN)]);
}

/**
 * A turn the model did not write (an expert demonstration), as the model would have read and
 * written it: the prompt ids of the transcript, and the completion ids of the action text closed by
 * end-of-turn, every one trained on.
 */
export function teacherTurn(lm: LanguageModel, messages: readonly PromptMessage[], action: string, maxTokens: number): { promptIds: number[]; ids: number[]; mask: number[] } {
  const ids = [...lm.tokenizer.encode(action), lm.tokenizer.special(END_OF_TURN)].slice(0, maxTokens);
  const prompt = fitPrompt(lm.tokenizer, messages, lm.model.config.context - Math.max(maxTokens, ids.length));
  return { promptIds: prompt.ids, ids, mask: ids.map(() => 1) };
}
