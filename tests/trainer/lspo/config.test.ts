import { describe, expect, it } from 'vitest';
import { DEFAULT_LSPO_CONFIG, resolveLspoConfig } from '../../../trainer/lspo/config.js';
import { LSPO_DOMAINS, lspoDomainFor } from '../../../trainer/lspo/domains/index.js';

describe('LSPO options', () => {
  it('general defaults, then the domain, then the input (scorer merged field by field)', () => {
    const c = resolveLspoConfig({ envId: 'rpssl-v1', games: 7, scorer: { hidden: 4 } }, { games: 50, clusters: 5, scorer: { dim: 512 } });
    expect(c.games).toBe(7);
    expect(c.clusters).toBe(5);
    expect(c.iterations).toBe(DEFAULT_LSPO_CONFIG.iterations);
    expect(c.scorer).toEqual({ ...DEFAULT_LSPO_CONFIG.scorer, dim: 512, hidden: 4 });
    expect(resolveLspoConfig({ envId: 'x', games: undefined }).games).toBe(DEFAULT_LSPO_CONFIG.games);
  });

  it('refuses out-of-range and unknown options in one sentence per issue', () => {
    expect(() => resolveLspoConfig({ envId: 'x', proposals: 0 })).toThrow(expect.objectContaining({ code: 'LSPO_CONFIG_INVALID', message: expect.stringContaining('proposals') }));
    expect(() => resolveLspoConfig({ envId: 'x', beta: -1 })).toThrow(/beta/);
    expect(() => resolveLspoConfig({ envId: 'x', ...({ clusterz: 3 } as object) })).toThrow(/unknown option.*clusterz/);
  });

  it('names the envs LSPO runs on when asked for another', () => {
    expect(lspoDomainFor('rpssl-v1')).toBe(LSPO_DOMAINS['rpssl-v1']);
    expect(() => lspoDomainFor('household-v1')).toThrow(expect.objectContaining({ code: 'LSPO_ENV_UNSUPPORTED', message: expect.stringContaining('rpssl-v1') }));
  });
});
