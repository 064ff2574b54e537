/**
 * LLM agents by name, where agents are named (seats of `ludus play`, `--opponent`, leagues):
 * `llm:<model>@<base URL>`, e.g. `llm:qwen2.5-7b-instruct@http://127.0.0.1:8000/v1`. The model
 * may itself contain `:` or `@` (Ollama's `llama3.1:8b`); the URL is what follows the last
 * `@http://` or `@https://`.
 * @module
 */
import { LlmError } from './errors.js';
import { LlmAgent } from './llm-agent.js';
import type { LlmAgentOptionsInput } from './options.js';

export const LLM_AGENT_PREFIX = 'llm:';

export function isLlmAgentName(name: string): boolean {
  return name.startsWith(LLM_AGENT_PREFIX);
}

/** `llm:<model>@<url>` → its model and base URL, or LLM_AGENT_NAME_INVALID saying the form. */
export function parseLlmAgentName(name: string): { model: string; baseURL: string } {
  const m = /^llm:(.+)@(https?:\/\/\S+)$/.exec(name);
  if (m === null) {
    throw new LlmError('LLM_AGENT_NAME_INVALID', `'${name}' is not an LLM agent name: write llm:<model>@<base URL>, e.g. llm:qwen2.5-7b-instruct@http://127.0.0.1:8000/v1.`, { name });
  }
  return { model: m[1] as string, baseURL: m[2] as string };
}

/** An LLM agent from its name; `options` adds the rest (temperature, timeout, ...). */
export function makeLlmAgent(name: string, options: Partial<Omit<LlmAgentOptionsInput, 'baseURL' | 'model'>> = {}): LlmAgent {
  return new LlmAgent({ ...options, ...parseLlmAgentName(name), name: `llm:${parseLlmAgentName(name).model}` });
}
