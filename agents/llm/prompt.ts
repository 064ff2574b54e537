/**
 * The chat prompt the LLM agent sends, and how to read it back (docs/llm.md, "The prompt").
 *
 * ```
 * system     the instructions (free text; `systemPrompt` replaces them)
 * user       <observation>\n{an earlier observation}\n</observation>      ┐ one pair per step of
 * assistant  Action: {the action taken there}                             ┘ the history window
 * user       <goal>\n{goal}\n</goal>                      (only when the observation has a goal)
 *            <observation>\n{current observation}\n</observation>
 *            <admissible_actions>\n{one action per line}\n</admissible_actions>
 *            {the closing instruction}
 * ```
 *
 * An action containing a line break, starting with a double quote, or empty is written as a JSON
 * string on its line. The format is exact both ways: `readPrompt(renderPrompt(x))` gives back the
 * goal, the observation text, the history and the candidates unchanged, which is what lets a
 * policy served behind the same API (`ludus serve-policy`) score exactly what the agent saw.
 * @module
 */
import type { HistoryStep } from '../agent.js';

/** What a prompt carries: one decision of one stream. */
export interface PromptInput {
  envId: string;
  seat?: number;
  goal?: string;
  /** The current observation text. */
  text: string;
  /** Earlier steps, oldest first (already cut to the window). */
  history: readonly HistoryStep[];
  /** The admissible actions (or a proposer's candidates). */
  candidates: readonly string[];
  /** Free-form action templates (e.g. `search[<query>]`) the reply may fill in. */
  templates?: readonly string[];
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export const DEFAULT_SYSTEM_PROMPT = [
  'You are an agent acting in a text environment. Each turn you get your goal, the current observation and the admissible actions.',
  'Think briefly if it helps, then end your reply with exactly one line of the form',
  'Action: <one admissible action, copied exactly>',
].join('\n');

const CLOSING = 'Choose the next action. End your reply with one line: Action: <one of the admissible actions>';
const TEMPLATE_NOTE = 'Actions with a <placeholder> are templates: fill the placeholder in.';

const OBS_OPEN = '<observation>\n';
const OBS_CLOSE = '\n</observation>';
const GOAL_OPEN = '<goal>\n';
const GOAL_CLOSE = '\n</goal>\n';
const ACTIONS_OPEN = '<admissible_actions>\n';
const ACTIONS_CLOSE = '</admissible_actions>';
export const ACTION_PREFIX = 'Action: ';

/** One action as a line of the list. */
export function actionLine(action: string): string {
  return action === '' || /[\r\n]/.test(action) || action.startsWith('"') ? JSON.stringify(action) : action;
}

function readActionLine(line: string): string {
  if (!line.startsWith('"')) return line;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // not JSON: a plain action that happens to start with a quote
  }
  return line;
}

function observationBlock(text: string): string {
  return `${OBS_OPEN}${text}${OBS_CLOSE}`;
}

/** The messages for one decision. */
export function renderPrompt(input: PromptInput, systemPrompt: string = DEFAULT_SYSTEM_PROMPT): ChatMessage[] {
  const who = input.seat === undefined ? '' : `, holding seat ${input.seat}`;
  const messages: ChatMessage[] = [{ role: 'system', content: `${systemPrompt}\nEnvironment: ${input.envId}${who}.` }];
  for (const step of input.history) {
    messages.push({ role: 'user', content: observationBlock(step.observation) });
    messages.push({ role: 'assistant', content: `${ACTION_PREFIX}${step.action}` });
  }
  const listed = input.candidates.map(actionLine).map((l) => `${l}\n`).join('');
  const templates = input.templates ?? [];
  const last = [
    input.goal === undefined ? '' : `${GOAL_OPEN}${input.goal}${GOAL_CLOSE}`,
    `${observationBlock(input.text)}\n`,
    `${ACTIONS_OPEN}${listed}${ACTIONS_CLOSE}\n`,
    templates.length > 0 && !templates.every((t) => input.candidates.includes(t)) ? `${TEMPLATE_NOTE} Templates: ${templates.join(' | ')}\n` : '',
    CLOSING,
  ].join('');
  messages.push({ role: 'user', content: last });
  return messages;
}

/** What `readPrompt` recovers: the policy's input. */
export interface ReadPrompt {
  goal?: string;
  text: string;
  history: HistoryStep[];
  candidates: string[];
}

/** Why a chat could not be read as a ludus prompt (the server answers 400 with it). */
export class PromptFormatError extends Error {}

/**
 * Reads the goal, the observation, the history and the candidates back from a chat in the format
 * above. System (and developer) messages are skipped; the last message must be the user's turn.
 * Throws PromptFormatError naming what is missing.
 */
export function readPrompt(messages: readonly ChatMessage[]): ReadPrompt {
  const turns = messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  const last = turns[turns.length - 1];
  if (last === undefined || last.role !== 'user') {
    throw new PromptFormatError('the last message must be the user turn with <observation> and <admissible_actions> blocks (see docs/llm.md)');
  }
  const history: HistoryStep[] = [];
  const earlier = turns.slice(0, -1);
  for (let i = 0; i < earlier.length; i++) {
    const m = earlier[i] as ChatMessage;
    if (m.role !== 'user') continue;
    const next = earlier[i + 1];
    if (next === undefined || next.role !== 'assistant') throw new PromptFormatError(`message ${i}: an earlier observation must be followed by the assistant's action`);
    const observation = readObservation(m.content, `history message ${i}`);
    const action = next.content.startsWith(ACTION_PREFIX) ? next.content.slice(ACTION_PREFIX.length) : next.content.trim();
    history.push({ observation, action });
    i += 1;
  }
  const content = last.content;
  let goal: string | undefined;
  let rest = content;
  if (content.startsWith(GOAL_OPEN)) {
    const end = content.indexOf(`${GOAL_CLOSE}${OBS_OPEN}`, GOAL_OPEN.length - 1);
    if (end < 0) throw new PromptFormatError('the <goal> block is not closed before the <observation> block');
    goal = content.slice(GOAL_OPEN.length, end);
    rest = content.slice(end + GOAL_CLOSE.length);
  }
  const actionsAt = rest.lastIndexOf(`${OBS_CLOSE}\n${ACTIONS_OPEN}`);
  if (!rest.startsWith(OBS_OPEN) || actionsAt < 0) {
    throw new PromptFormatError('the user turn needs an <observation> block followed by an <admissible_actions> block (see docs/llm.md)');
  }
  const text = rest.slice(OBS_OPEN.length, Math.max(OBS_OPEN.length, actionsAt));
  const listStart = actionsAt + OBS_CLOSE.length + 1 + ACTIONS_OPEN.length;
  const listEnd = rest.indexOf(ACTIONS_CLOSE, listStart);
  if (listEnd < 0) throw new PromptFormatError('the <admissible_actions> block is not closed');
  const body = rest.slice(listStart, listEnd);
  const candidates = body === '' ? [] : body.replace(/\n$/, '').split('\n').map(readActionLine);
  return { ...(goal === undefined ? {} : { goal }), text, history, candidates };
}

function readObservation(content: string, where: string): string {
  if (!content.startsWith(OBS_OPEN) || !content.endsWith(OBS_CLOSE) || content.length < OBS_OPEN.length + OBS_CLOSE.length - 1) {
    throw new PromptFormatError(`${where} must be an <observation> block`);
  }
  return content.slice(OBS_OPEN.length, content.length - OBS_CLOSE.length);
}
