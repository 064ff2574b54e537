/**
 * The one-line contract test every env calls:
 *   describeConformance('household-v1', (o) => make('household-v1', o));
 *   describeMultiAgentConformance('kuhn-poker-v1', (o) => makeMulti('kuhn-poker-v1', o));
 * Each conformance check becomes its own vitest case. When `name` is a registered env id, the
 * spec's snapshot capability is used unless the options say otherwise.
 */
import { describe, it } from 'vitest';
import { isRegistered, spec } from '../../envs/core/registry.js';
import {
  DEFAULT_CONFORMANCE_OPTIONS,
  MULTI_AGENT_CHECKS,
  SINGLE_AGENT_CHECKS,
  type ConformanceOptions,
  type EnvFactory,
  type MultiAgentEnvFactory,
} from '../../envs/conformance/index.js';

function resolve(name: string, options: Partial<ConformanceOptions>): ConformanceOptions {
  const id = name.split(' ')[0] as string;
  const snapshot = isRegistered(id) ? spec(id).capabilities.snapshot : DEFAULT_CONFORMANCE_OPTIONS.snapshot;
  return { ...DEFAULT_CONFORMANCE_OPTIONS, snapshot, ...options };
}

export function describeConformance(name: string, factory: EnvFactory, options: Partial<ConformanceOptions> = {}): void {
  const resolved = resolve(name, options);
  describe(`${name} conformance`, () => {
    for (const check of SINGLE_AGENT_CHECKS) it(check.name, () => check.run(factory, resolved));
  });
}

export function describeMultiAgentConformance(name: string, factory: MultiAgentEnvFactory, options: Partial<ConformanceOptions> = {}): void {
  const resolved = resolve(name, options);
  describe(`${name} multi-agent conformance`, () => {
    for (const check of MULTI_AGENT_CHECKS) it(check.name, () => check.run(factory, resolved));
  });
}
