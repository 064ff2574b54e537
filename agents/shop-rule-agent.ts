/**
 * WebShop's rule baseline as an Agent: search the instruction, click the first result, buy it
 * (no options chosen). The paper's "Rule" row (9.6% success there).
 * @module
 */
import type { Agent, AgentInput, Decision } from './agent.js';

export class ShopRuleAgent implements Agent {
  readonly name = 'rule';

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      const c = input.candidates;
      const action =
        c.find((a) => a === `search[${(input.observation.goal ?? '').toLowerCase()}]`) ??
        c.find((a) => a.startsWith('search[')) ??
        c.find((a) => /^click\[b0[0-9a-z]{8}\]$/.test(a)) ??
        c.find((a) => a === 'click[buy now]') ??
        c[0] ??
        'click[buy now]';
      return { action, logp: null, probs: null };
    });
  }
}
