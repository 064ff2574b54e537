/**
 * What answers a chat request behind the policy server: the scorer (scorer-engine.ts, one of the
 * admissible actions) or a language model (lm-engine.ts, real generation). The server does the
 * HTTP, the auth, the errors and the stream; the engine reads the request and writes the replies.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';
import type { ChatRequest } from './chat-request.js';
import type { ChoiceReply, ReplyToken } from './completion.js';

export interface EngineReply {
  replies: ChoiceReply[];
  promptTokens: number;
  /** The prompt's token ids, when the engine has a tokenizer. */
  promptIds: number[] | null;
}

/** Streaming callbacks: a choice's content tokens as they are written. */
export interface TokenSink {
  /** Called once the request is read and accepted, before any token (the stream's head may go out). */
  start?(promptIds: number[] | null): void;
  token(choice: number, token: ReplyToken, id: number | null): void;
}

export interface CompletionEngine {
  /** Identifies the weights (`system_fingerprint`). */
  readonly fingerprint: string;
  /** Decisions (scorer) or choices (LM) waiting to be computed. */
  readonly pending: number;
  /** Forward passes run and rows computed so far. */
  readonly batches: { passes: number; rows: number };
  /**
   * Answers one request; a 4xx OpenAiHttpError is thrown before `sink.start` is called. An engine
   * that computes a whole reply at once may skip the sink (the server then streams the replies).
   */
  complete(request: ChatRequest, rng: Rng, sink?: TokenSink): Promise<EngineReply>;
  /** Whether `complete` streams through the sink. */
  readonly streams: boolean;
}
