import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { makeMulti } from '../../../envs/core/registry.js';
import { RpsslEnv } from '../../../envs/rpssl/env.js';
import { describeMultiAgentConformance } from '../../helpers/conformance.js';

const ID = 'rpssl-v1';

describeMultiAgentConformance(ID, (o) => makeMulti(ID, o));

describe('rpssl-v1', () => {
  it('both seats speak at once; each sees only its own speech until the end; the winner gets +1', async () => {
    const env = makeMulti(ID);
    const reset = await env.reset({ task: 'rpssl/train/0' });
    expect(reset.actors).toEqual([0, 1]);
    expect(reset.observations[0]!.actions).toEqual(['say[<speech>]']);
    const first = await env.step({ 1: 'say[logical spock]' });
    expect(first.actors).toEqual([0]);
    expect(first.terminated).toBe(false);
    expect(first.observations[1]!.text).toContain('Your speech: logical spock');
    expect(first.observations[0]!.text).not.toContain('logical spock');
    expect(first.info.secrets).toEqual({ 0: [], 1: ['Your speech: logical spock'] });
    const last = await env.step({ 0: 'say[granite rock]' });
    expect(last.terminated).toBe(true);
    expect(last.rewards).toEqual({ 0: -1, 1: 1 });
    expect(last.infos[1]).toMatchObject({ success: true, rewardComponents: { payoff: 1 } });
    expect(last.observations[0]!.text).toContain('Spock vaporizes rock. You lose.');
    expect(last.observations[0]!.text).toContain('Player 1 said: logical spock (Spock).');
    expect(last.info.secrets).toBeUndefined();
  });

  it('a speech without a move loses to any move; an action that is not say[...] is refused and the seat stays to act', async () => {
    const env = makeMulti(ID);
    await env.reset();
    const bad = await env.step({ 0: 'rock', 1: 'say[I will not tell]' });
    expect(bad.infos[0]!.invalid).toMatchObject({ code: 'UNKNOWN_VERB' });
    expect(bad.actors).toEqual([0]);
    const r = await env.step({ 0: 'say[paper wraps]' });
    expect(r.rewards).toEqual({ 0: 1, 1: -1 });
    expect(r.observations[1]!.text).toContain('Paper beats no move.');
  });

  it('speaking twice is NOT_YOUR_TURN; snapshots fork the game; bad snapshots are refused', async () => {
    const env = new RpsslEnv();
    await env.reset();
    await env.step({ 0: 'say[rock]' });
    const again = await env.step({ 0: 'say[paper]' });
    expect(again.infos[0]!.invalid!.code).toBe('NOT_YOUR_TURN');
    const snap = await env.snapshot();
    const a = await env.step({ 1: 'say[paper]' });
    await env.restore(snap);
    const b = await env.step({ 1: 'say[lizard]' });
    expect(a.rewards[0]).toBe(-1);
    expect(b.rewards[0]).toBe(1);
    await expect(env.restore({ said: ['x'] })).rejects.toMatchObject({ code: 'STATE_INVALID' });
  });
});
