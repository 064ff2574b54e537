/**
 * The LSPO domains, by env id. An env gets LSPO support by adding an entry here.
 * @module
 */
import type { LspoDomain } from '../domain.js';
import { LspoError } from '../errors.js';
import { rpsslDomain } from './rpssl.js';
import { werewolfDomain } from './werewolf.js';

export const LSPO_DOMAINS: Readonly<Record<string, LspoDomain>> = {
  'rpssl-v1': rpsslDomain,
  'werewolf-v1': werewolfDomain,
};

export function lspoDomainFor(envId: string, domains: Readonly<Record<string, LspoDomain>> = LSPO_DOMAINS): LspoDomain {
  const d = domains[envId];
  if (d === undefined) {
    throw new LspoError('LSPO_ENV_UNSUPPORTED', `LSPO has no domain for '${envId}': it runs on ${Object.keys(domains).join(', ')}. A domain says which decisions are speech, the roles, and the abstracted game (trainer/lspo/domain.ts).`, {
      envId,
      supported: Object.keys(domains),
    });
  }
  return d;
}
