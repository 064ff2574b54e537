/**
 * The envs that ship with ludus. `registerBuiltinEnvs()` is idempotent; importing this module
 * registers them, so `import 'ludus/envs/builtin.js'` then `make('household-v1')` just works.
 * @module
 */
import { isRegistered, register } from './core/registry.js';
import type { EnvSpec } from './core/spec.js';
import { browserSpec } from './browser/spec.js';
import { householdSpec } from './household/spec.js';
import { kuhnSpec } from './kuhn/spec.js';
import { rpsslSpec } from './rpssl/spec.js';
import { shopSpec } from './shop/spec.js';
import { werewolfSpec } from './werewolf/spec.js';

export const BUILTIN_SPECS: readonly EnvSpec<any>[] = [householdSpec, shopSpec, browserSpec, kuhnSpec, werewolfSpec, rpsslSpec];

export function registerBuiltinEnvs(): void {
  for (const spec of BUILTIN_SPECS) if (!isRegistered(spec.id)) register(spec);
}

registerBuiltinEnvs();
