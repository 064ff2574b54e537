/**
 * Plays a given list of actions in order: re-plays a recorded episode (`replay --verify`, the
 * conformance kit's determinism checks). After the script runs out it answers `fallbackAction`.
 * For a game, give one script per seat: each seat's decisions are taken in order.
 * @module
 */
import type { Agent, AgentInput, Decision } from './agent.js';

export class ScriptedAgent implements Agent {
  readonly name = 'scripted';
  private readonly next = new Map<string, number>();

  /** `script(key)`: the actions of one decision stream (one episode, or one seat of a game). */
  constructor(
    private readonly script: (key: string, input: AgentInput) => readonly string[],
    private readonly fallbackAction = '',
  ) {}

  /** The same actions for every stream. */
  static of(actions: readonly string[]): ScriptedAgent {
    return new ScriptedAgent(() => actions);
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      const k = this.next.get(input.key) ?? 0;
      this.next.set(input.key, k + 1);
      return { action: this.script(input.key, input)[k] ?? this.fallbackAction, logp: null, probs: null };
    });
  }

  end(keys: readonly string[]): void {
    for (const key of keys) this.next.delete(key);
  }
}
