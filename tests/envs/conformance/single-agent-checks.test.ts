import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../envs/conformance/index.js';
import { make } from '../../../envs/core/registry.js';
import { EnvWrapper } from '../../../envs/core/wrappers.js';
import type { Env, StepResult } from '../../../envs/core/types.js';
import { describeConformance } from '../../helpers/conformance.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';

registerToyEnv();

describeConformance(TOY_ENV_ID, (o) => make(TOY_ENV_ID, o));

/** A wrapper that breaks one rule of the contract, to prove each check can fail. */
class Broken extends EnvWrapper {
  private calls = 0;
  constructor(
    inner: Env,
    private readonly how: 'nondeterministic' | 'throws-on-invalid' | 'rejects-listed' | 'not-json' | 'bad-restore' | 'limit-terminates',
  ) {
    super(inner);
  }
  override async step(action: string): Promise<StepResult> {
    if (this.how === 'throws-on-invalid' && !action.startsWith('guess')) throw new Error('boom');
    const r = await this.inner.step(action);
    this.calls += 1;
    if (this.how === 'nondeterministic') r.observation.text += ` (${Date.now() + Math.random()})`;
    if (this.how === 'rejects-listed' && action === 'guess 3') r.info.invalid = { code: 'NOT_ADMISSIBLE', message: 'no', suggestions: [] };
    if (this.how === 'not-json') (r.info as Record<string, unknown>).when = new Date(0);
    if (this.how === 'limit-terminates' && r.truncated) {
      // A time limit that says "the task ended" when it only cut the episode.
      r.truncated = false;
      r.terminated = true;
    }
    return r;
  }
  override async restore(): Promise<void> {
    if (this.how === 'bad-restore') return; // forgets to restore
  }
}

describe('the conformance kit catches broken envs', () => {
  const cases = [
    ['nondeterministic', 'same seed, task and actions give the same trajectory'],
    ['throws-on-invalid', 'invalid actions are answered with info.invalid, never thrown'],
    ['rejects-listed', 'every listed admissible action is accepted'],
    ['not-json', 'everything is JSON-serializable'],
    ['bad-restore', 'snapshot and restore behave as the env declares (continue identically, same env and a fresh one)'],
    ['limit-terminates', 'the time limit truncates (not terminates) and the ended episode refuses steps'],
  ] as const;
  for (const [how, check] of cases) {
    it(`fails '${check}' for an env that is ${how}`, async () => {
      const report = await checkEnv((o) => new Broken(make(TOY_ENV_ID, o), how), { episodes: 2, maxSteps: 8 });
      const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
      expect(report.ok).toBe(false);
      expect(failed).toContain(check);
    });
  }

  it('passes a conforming env with every check ok', async () => {
    const report = await checkEnv((o) => make(TOY_ENV_ID, o), { episodes: 2 });
    expect(report.results.map((r) => [r.name, r.ok, r.message])).toEqual(report.results.map((r) => [r.name, true, undefined]));
  });
});
