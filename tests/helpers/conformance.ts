/**
 * The one-line contract test every env calls:
 *   describeConformance('household-v1', (o) => make('household-v1', o));
 * Each conformance check becomes its own vitest case.
 */
import { describe, it } from 'vitest';
import { CONFORMANCE_CHECKS, DEFAULT_CONFORMANCE_OPTIONS, type ConformanceOptions, type EnvFactory } from '../../envs/core/conformance.js';

export function describeConformance(name: string, factory: EnvFactory, options: Partial<ConformanceOptions> = {}): void {
  const resolved = { ...DEFAULT_CONFORMANCE_OPTIONS, ...options };
  describe(`${name} conformance`, () => {
    for (const check of CONFORMANCE_CHECKS) {
      it(check.name, () => check.run(factory, resolved));
    }
  });
}
