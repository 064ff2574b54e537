/**
 * `advantages.compute` over a real server: the trainer's estimators on rows a client sends, equal
 * to calling them in process; bad rows and options are INVALID_PARAMS, and the server goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { computeAdvantages } from '../../../trainer/advantages/compute-request.js';
import { gigpoAdvantages, grpoAdvantages } from '../../../trainer/advantages/index.js';
import type { StepRow } from '../../../trainer/rows.js';
import { RawClient } from './test-support.js';

let server: EnvServer;
let client: RawClient;

beforeAll(async () => {
  server = await startServer({ port: 0 }, { advantages: computeAdvantages });
  client = await RawClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Two groups of three trajectories; anchors repeat across trajectories; one invalid row. */
const WIRE = [
  ['g1', 'a', 0, 0, 'start', false], ['g1', 'a', 1, 1, 'kitchen', false],
  ['g1', 'b', 0, 0, 'start', false], ['g1', 'b', 1, 0, 'hall', true], ['g1', 'b', 2, 0, 'kitchen', false],
  ['g1', 'c', 0, 0, 'start', false], ['g1', 'c', 1, 0, 'hall', false],
  ['g2', 'd', 0, 1, 'door', false], ['g2', 'e', 0, 0, 'door', false], ['g2', 'f', 0, 0, 'door', false],
].map(([groupId, trajId, t, reward, anchor, invalid]) => ({ groupId, trajId, t, reward, anchor, invalid })) as { groupId: string; trajId: string; t: number; reward: number; anchor: string; invalid: boolean }[];

function rows(): StepRow[] {
  const ret = new Map<string, number>();
  for (const r of WIRE) ret.set(r.trajId, (ret.get(r.trajId) ?? 0) + r.reward);
  return WIRE.map((r) => ({ ...r, stateKey: '', action: '', candidates: [], logpOld: 0, episodeReturn: ret.get(r.trajId)!, done: false }));
}

describe('advantages.compute', () => {
  it("equals the trainer's GiGPO and GRPO on the same rows", async () => {
    const gigpo = await client.call('advantages.compute', { estimator: 'gigpo', rows: WIRE, options: { gamma: 0.9 } });
    const own = gigpoAdvantages(rows(), { gamma: 0.9 });
    expect(gigpo.advantage).toEqual(Array.from(own.advantage));
    expect(gigpo.stepAdvantage).toEqual(Array.from(own.stepAdvantage));
    expect(gigpo.anchorGroup).toEqual(Array.from(own.anchorGroup));
    expect(gigpo.stepReturn).toEqual(Array.from(own.stepReturn!));
    expect(gigpo.stats).toMatchObject({ estimator: 'gigpo', rows: 10, trajectories: 6, groups: 2 });
    expect(gigpo.stepAdvantage.some((x: number) => x !== 0)).toBe(true); // the anchor groups did something
    const grpo = await client.call('advantages.compute', { estimator: 'grpo', rows: WIRE.map((r) => ({ ...r, episodeReturn: r.trajId === 'a' ? 1 : r.trajId === 'd' ? 1 : 0 })) });
    expect(grpo.advantage).toEqual(Array.from(grpoAdvantages(rows()).advantage));
    expect(grpo.anchorGroup.every((g: number) => g === -1)).toBe(true);
    expect(grpo.stepReturn).toBeNull();
  });

  it('refuses contradicting rows and unknown options with the reason, and serves on', async () => {
    const split = await client.request('advantages.compute', { estimator: 'gigpo', rows: [{ groupId: 'x', trajId: 'a', t: 0, reward: 0 }, { groupId: 'y', trajId: 'a', t: 1, reward: 0 }] });
    expect(split.error).toMatchObject({ code: -32602, data: { code: 'INVALID_PARAMS' }, message: expect.stringMatching(/Trajectory 'a' appears in groups 'x' and 'y'/) });
    const typo = await client.request('advantages.compute', { estimator: 'gigpo', rows: WIRE, options: { stepWieght: 1 } });
    expect(typo.error.message).toMatch(/Unknown advantage option 'stepWieght'/);
    const empty = await client.request('advantages.compute', { estimator: 'rloo', rows: [] });
    expect(empty.error.data.code).toBe('INVALID_PARAMS');
    expect((await client.call('envs.list')).envs.length).toBeGreaterThan(0);
  });

  it('a server started without the estimators says where they come from, and serves on', async () => {
    const bare = await startServer({ port: 0 });
    const c = await RawClient.connect(bare.url);
    try {
      const reply = await c.request('advantages.compute', { estimator: 'gigpo', rows: WIRE });
      expect(reply.error).toMatchObject({ code: -32601, data: { code: 'METHOD_NOT_FOUND' }, message: expect.stringMatching(/without the trainer's estimators.*ludus serve/) });
      expect((await c.call('envs.list')).envs.length).toBeGreaterThan(0);
    } finally {
      await c.close();
      await bare.close();
    }
  });
});
