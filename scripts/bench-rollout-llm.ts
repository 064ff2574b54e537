/**
 * `npm run bench:rollout-llm`: the same policy collecting the same groups two ways, in one run:
 *
 * - in process: the tfjs policy as a `PolicyAgent` (one batched forward pass per step);
 * - over HTTP: the LLM agent (`agents/llm/`, what `ludus rollout` drives) against that policy behind
 *   `ludus serve-policy` in its own process (the chat-completions API; concurrent requests batched
 *   into one forward pass), `--concurrency` requests in flight;
 *
 * plus the whole `ludus rollout` path (the LLM agent, the group machinery and the store write of
 * every turn's prompt, completion and log-probs) for the HTTP case. Both sample at temperature 1
 * from the same weights on the same tasks and seeds; the table gives env steps (= turns) per second
 * and the ratio to the in-process baseline, repeats alternating so load drifts hit both alike.
 *
 *   npx tsx scripts/bench-rollout-llm.ts [--groups 8] [--group-size 8] [--max-steps 20] [--repeats 3] [--concurrency 64]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import '../envs/builtin.js';
import { LlmAgent } from '../agents/llm/llm-agent.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { selectBackend } from '../agents/policy/backend.js';
import { saveScorer } from '../agents/policy/checkpoint.js';
import { ActionScorer } from '../agents/policy/model.js';
import { Rng } from '../envs/core/rng.js';
import { sampleGroups } from '../trainer/collect.js';
import { LocalEnvProvider } from '../trainer/env-provider.js';
import { collectGroups } from '../trainer/rollout.js';
import { rolloutRun } from '../trainer/rollout-run.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const G = Number(arg('groups', '8'));
const N = Number(arg('group-size', '8'));
const MAX_STEPS = Number(arg('max-steps', '20'));
const REPEATS = Number(arg('repeats', '3'));
const CONCURRENCY = Number(arg('concurrency', '64'));
const HISTORY = 4;
const BIN = path.join(import.meta.dirname, '../bin/ludus.js');
const ENV_OPTIONS = { difficulty: 'easy', maxEpisodeSteps: MAX_STEPS };

const backend = await selectBackend();
const dir = mkdtempSync(path.join(tmpdir(), 'ludus-bench-rollout-llm-'));
const scorer = ActionScorer.create({ featurizer: { dim: 4096, historyLength: HISTORY }, hidden: 64, mlpHidden: 64, seed: 1 });
await saveScorer(scorer, path.join(dir, 'policy'));

const child = spawn(process.execPath, [BIN, 'serve-policy', '--checkpoint', path.join(dir, 'policy'), '--port', '0', '--model', 'bench-policy'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1] as string);
  });
  child.once('exit', (code) => reject(new Error(`serve-policy exited (${code})`)));
});

const provider = new LocalEnvProvider('household-v1', ENV_OPTIONS);
const groups = (r: number) => sampleGroups(new Rng(`bench-rollout-llm:${r}`), r, G, 'train', 3553);
const llm = () => new LlmAgent({ baseURL: url, model: 'bench-policy', temperature: 1, concurrency: CONCURRENCY, historyWindow: HISTORY, maxRetries: 8 });

type Row = { way: string; steps: number; ms: number };
const rows: Row[] = [];
const time = async (way: string, run: () => Promise<number>) => {
  const start = performance.now();
  const steps = await run();
  rows.push({ way, steps, ms: performance.now() - start });
};

// warm-up (tfjs kernels, the server's first passes, tsx caches)
await collectGroups(provider, llm(), groups(99).slice(0, 2), { groupSize: 2, historyLength: HISTORY, retries: 0 });
await collectGroups(provider, new PolicyAgent(scorer, { temperature: 1, rng: new Rng('warm') }), groups(99).slice(0, 2), { groupSize: 2, historyLength: HISTORY, retries: 0 });

for (let r = 0; r < REPEATS; r++) {
  const order = r % 2 === 0 ? ['process', 'http', 'rollout'] : ['rollout', 'http', 'process'];
  for (const way of order) {
    if (way === 'process') {
      await time('in process (PolicyAgent)', async () => (await collectGroups(provider, new PolicyAgent(scorer, { temperature: 1, rng: new Rng(`p${r}`) }), groups(r), { groupSize: N, historyLength: HISTORY, retries: 0 })).steps);
    } else if (way === 'http') {
      await time('LLM agent → serve-policy (collect)', async () => (await collectGroups(provider, llm(), groups(r), { groupSize: N, historyLength: HISTORY, retries: 2 })).steps);
    } else {
      await time('ludus rollout (collect + store)', async () => {
        const res = await rolloutRun(llm(), { env: 'household-v1', envOptions: { difficulty: 'easy' }, maxSteps: MAX_STEPS, envUrl: [], groups: G, groupSize: N, split: 'train', tasks: 0, seed: r, historyLength: HISTORY, groupRetries: 2, db: path.join(dir, 'bench.db') });
        if (res.episodes !== G * N) throw new Error(`rollout recorded ${res.episodes} of ${G * N} episodes`);
        return res.steps;
      });
    }
  }
}

child.kill('SIGTERM');
scorer.dispose();
rmSync(dir, { recursive: true, force: true });

const ways = [...new Set(rows.map((r) => r.way))];
const rate = (w: string) => {
  const rs = rows.filter((r) => r.way === w);
  return rs.reduce((a, r) => a + r.steps, 0) / (rs.reduce((a, r) => a + r.ms, 0) / 1000);
};
const base = rate('in process (PolicyAgent)');
const agentBase = rate('LLM agent → serve-policy (collect)');
console.log(`\nbench:rollout-llm — household-v1 (easy), ${G} groups × ${N} copies = ${G * N} concurrent episodes, max ${MAX_STEPS} steps, ${REPEATS} repeats; tfjs ${backend.name}; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}`);
console.log('| way | env steps | steps/s | time vs the policy in process | time vs the LLM agent driven in process |');
console.log('|---|---|---|---|---|');
for (const w of ways) {
  const steps = rows.filter((r) => r.way === w).reduce((a, r) => a + r.steps, 0);
  const s = rate(w);
  console.log(`| ${w} | ${steps} | ${s.toFixed(0)} | ${(base / s).toFixed(2)}× | ${w.startsWith('in process') ? '—' : `${(agentBase / s).toFixed(2)}×`} |`);
}
process.exit(0);
