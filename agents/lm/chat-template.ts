/**
 * The chat template: how a conversation becomes token ids for the language model.
 *
 * ```
 * <|system|> {system text} <|end|> <|user|> {observation} <|end|> <|assistant|> {action} <|end|> ... <|assistant|>
 * ```
 *
 * Each message is its role token, the BPE tokens of its content and the end-of-turn token. A
 * prompt for generation ends with `<|assistant|>`; the model writes the reply and stops by
 * writing `<|end|>`. The special tokens are ids of their own, never produced from text, so a
 * message that contains the characters `<|end|>` cannot forge a turn boundary. Pure.
 * @module
 */
import type { PromptMessage } from '../turn-tokens.js';
import type { BpeTokenizer } from './bpe.js';

/** The chat special tokens, in the order they take the last ids of the vocabulary. */
export const CHAT_SPECIAL_TOKENS = ['<|system|>', '<|user|>', '<|assistant|>', '<|end|>'] as const;
export const END_OF_TURN = '<|end|>';

const ROLE_TOKEN: Record<PromptMessage['role'], string> = { system: '<|system|>', user: '<|user|>', assistant: '<|assistant|>' };

/** Ids of the messages, each closed by end-of-turn; with `generation`, the opening `<|assistant|>` after them. */
export function renderChat(tokenizer: BpeTokenizer, messages: readonly PromptMessage[], options: { generation?: boolean } = {}): number[] {
  const end = tokenizer.special(END_OF_TURN);
  const ids: number[] = [];
  for (const m of messages) {
    ids.push(tokenizer.special(ROLE_TOKEN[m.role]));
    for (const id of tokenizer.encode(m.content)) ids.push(id);
    ids.push(end);
  }
  if (options.generation === true) ids.push(tokenizer.special(ROLE_TOKEN.assistant));
  return ids;
}

/** The ids of one message as it appears inside a chat (role token, content, end-of-turn). */
export function messageIds(tokenizer: BpeTokenizer, message: PromptMessage): number[] {
  return renderChat(tokenizer, [message]);
}

/** A completion's ids as the template closes it: the content's tokens, then end-of-turn. */
export function completionIds(tokenizer: BpeTokenizer, content: string): number[] {
  return [...tokenizer.encode(content), tokenizer.special(END_OF_TURN)];
}
