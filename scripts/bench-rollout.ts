/**
 * Rollout throughput of the trainer's collector on household-v1 (easy), 16 groups × 8 copies:
 * env steps/s with the tfjs policy choosing (one batched forward pass per step for all live
 * sessions) against the same collector with a uniform random chooser (no policy cost) in the
 * same run. The ratio is the share of rollout time the policy costs. The policy is the default
 * memory policy (the whole episode, up to 64 steps) and, for comparison, the 2-step window.
 *
 *   npx tsx scripts/bench-rollout.ts [--groups 16] [--group-size 8] [--max-steps 50] [--repeats 3]
 */
import '../envs/builtin.js';
import { selectBackend } from '../agents/policy/backend.js';
import { ActionScorer } from '../agents/policy/model.js';
import { Rng } from '../envs/core/rng.js';
import type { Agent } from '../agents/agent.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { RandomAgent } from '../agents/random-agent.js';
import { LocalEnvProvider } from '../trainer/env-provider.js';
import { collectGroups, type GroupSpec } from '../trainer/rollout.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const GROUPS = arg('groups', 16);
const GROUP_SIZE = arg('group-size', 8);
const MAX_STEPS = arg('max-steps', 50);
const REPEATS = arg('repeats', 3);

const backend = await selectBackend({});
const provider = new LocalEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: MAX_STEPS });
const scorer = ActionScorer.create({ seed: 1 });
const windowScorer = ActionScorer.create({ seed: 1, featurizer: { memory: 'window', historyLength: 2 } });

function groups(r: number): GroupSpec[] {
  return Array.from({ length: GROUPS }, (_, g) => ({ groupId: `r${r}g${g}`, task: { split: 'train', index: r * GROUPS + g }, seed: g }));
}

async function measure(name: string, make: (r: number) => Agent, historyLength = 64): Promise<{ name: string; stepsPerSecond: number; steps: number; ms: number }> {
  let best = { name, stepsPerSecond: 0, steps: 0, ms: 0 };
  for (let r = 0; r < REPEATS; r++) {
    const res = await collectGroups(provider, make(r), groups(r), { groupSize: GROUP_SIZE, historyLength, retries: 0 });
    const sps = res.steps / (res.ms / 1000);
    if (sps > best.stepsPerSecond) best = { name, stepsPerSecond: sps, steps: res.steps, ms: res.ms };
  }
  return best;
}

const random = await measure('random agent (env + collector only)', (r) => new RandomAgent(new Rng(r)));
const policy = await measure(`tfjs memory policy (${backend.name})`, (r) => new PolicyAgent(scorer, { rng: new Rng(r) }));
const windowPolicy = await measure(`tfjs 2-step window policy (${backend.name})`, (r) => new PolicyAgent(windowScorer, { rng: new Rng(r) }), 2);

console.log(`rollout: household-v1 easy, ${GROUPS} groups × ${GROUP_SIZE} copies, max ${MAX_STEPS} steps, best of ${REPEATS}`);
console.log('| agent | env steps | ms | steps/s | vs random |');
console.log('|---|---|---|---|---|');
for (const m of [random, policy, windowPolicy]) {
  console.log(`| ${m.name} | ${m.steps} | ${m.ms.toFixed(0)} | ${m.stepsPerSecond.toFixed(0)} | ${(m.stepsPerSecond / random.stepsPerSecond).toFixed(2)}× |`);
}
scorer.dispose();
windowScorer.dispose();
