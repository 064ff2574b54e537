import { z } from 'zod';
import { make, register } from '../envs/core/registry.js';
import { stateHash } from '../envs/core/state-hash.js';
import type { Env, StepResult } from '../envs/core/types.js';
import { describeConformance } from './helpers/conformance.js';
class Countdown implements Env {
  private left = 0;
  constructor(private readonly opts: { from: number }) {}
  private obs = () => ({ text: `${this.left} to go.`, actions: ['tick', 'wait'], anchor: `${this.left} to go.` });
  private info = () => ({ rewardComponents: { left: this.left }, stateKey: stateHash(this.left) });
  async reset() { this.left = this.opts.from; return { observation: this.obs(), info: this.info() }; }
  async step(action: string): Promise<StepResult> {
    if (action !== 'tick' && action !== 'wait') {
      const invalid = { code: 'NOT_ADMISSIBLE' as const, message: 'say tick or wait', suggestions: ['tick'] };
      return { observation: this.obs(), reward: 0, terminated: false, truncated: false, info: { ...this.info(), invalid } };
    }
    if (action === 'tick') this.left -= 1;
    const done = this.left === 0;
    return { observation: this.obs(), reward: done ? 1 : 0, terminated: done, truncated: false, info: { ...this.info(), success: done } };
  }
  async snapshot() { return { left: this.left }; }
  async restore(state: unknown) { this.left = (state as { left: number }).left; }
  async close() {}
}
register({ id: 'countdown-v1', kind: 'single', description: 'Tick down to zero', capabilities: { snapshot: 'native' }, entryPoint: (o: { from: number }) => new Countdown(o),
  options: z.object({ from: z.number().int().min(1).default(3) }).strict(), maxEpisodeSteps: 10, splits: { train: 1 } });
describeConformance('countdown-v1', (o) => make('countdown-v1', o));
