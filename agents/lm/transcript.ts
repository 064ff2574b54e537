/**
 * An episode as a chat transcript, the language model's view of a decision:
 *
 * ```
 * system     Environment: {env id}.            (then, when the observation has one)  Task: {goal}
 * user       {the first observation}            ┐ one pair per step of the history
 * assistant  {the action taken there}           ┘
 * ...
 * user       {the current observation}
 *            (with `actions`:)  Admissible actions: {one per line}
 * ```
 *
 * The admissible actions, when given, are listed after the current observation, and after each
 * history observation whose list is known (`historyActions`, aligned with `history`), so the
 * transcript of step t stays a prefix of step t+1's; the model still writes its action as free
 * text, and nothing holds it to the list.
 *
 * The model reads it through the chat template (chat-template.ts) and writes its action as free
 * text. The transcript of step t is a prefix of the transcript of step t+1 (plus the action and
 * the next observation), which is what lets the agent keep its KV cache from one step to the next
 * and the trainer read a whole episode in one forward pass. Pure.
 * @module
 */
import type { HistoryStep } from '../agent.js';
import type { PromptMessage } from '../turn-tokens.js';

export interface TranscriptInput {
  envId: string;
  goal?: string;
  /** The current observation text. */
  text: string;
  history: readonly HistoryStep[];
  seat?: number;
  /** The admissible actions, listed after the current observation. */
  actions?: readonly string[];
  /** The admissible actions of each history step (same order as `history`; undefined: not known). */
  historyActions?: readonly (readonly string[] | undefined)[];
}

/** The current turn's text: the observation, then the admissible actions when there are any. */
export function currentTurn(text: string, actions?: readonly string[]): string {
  return actions === undefined || actions.length === 0 ? text : `${text}\nAdmissible actions:\n${actions.join('\n')}`;
}

/** The system message: the env and, when there is one, the task. */
export function systemMessage(envId: string, goal?: string, seat?: number): PromptMessage {
  const who = seat === undefined ? '' : ` You hold seat ${seat}.`;
  return { role: 'system', content: `Environment: ${envId}.${who}${goal === undefined ? '' : `\nTask: ${goal}`}` };
}

/** The transcript of one decision. */
export function transcriptOf(input: TranscriptInput): PromptMessage[] {
  const messages: PromptMessage[] = [systemMessage(input.envId, input.goal, input.seat)];
  input.history.forEach((step, j) => {
    messages.push({ role: 'user', content: currentTurn(step.observation, input.historyActions?.[j]) }, { role: 'assistant', content: step.action });
  });
  messages.push({ role: 'user', content: currentTurn(input.text, input.actions) });
  return messages;
}

/** The env id and seat named by a system message this module wrote, or null. */
export function readSystemMessage(content: string): { envId: string; seat?: number; goal?: string } | null {
  const m = /^Environment: ([^\s.][^\n]*?)\.(?: You hold seat (\d+)\.)?(?:\nTask: ([\s\S]*))?$/.exec(content);
  if (m === null) return null;
  return { envId: m[1] as string, ...(m[2] === undefined ? {} : { seat: Number(m[2]) }), ...(m[3] === undefined ? {} : { goal: m[3] }) };
}
