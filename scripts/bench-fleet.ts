/**
 * `npm run bench:fleet`: the trainer's rollout throughput against 1, 2, 4 and 8 env server
 * processes (`ludus serve`), with the same rollout in process as the baseline, and where the time
 * goes: the trainer process's CPU and event-loop utilization against the servers' CPU (from their
 * own /metrics). Then load-aware spreading against round-robin with one server kept busy by another
 * client (a noisy neighbour).
 *
 *   npx tsx scripts/bench-fleet.ts [--env household-v1] [--servers 1,2,4,8] [--waves 1,2] [--groups 32] [--group-size 8] [--max-steps 30] [--repeats 5] [--agents random,policy] [--no-noise]
 *
 * Every rollout is household-v1 (easy; `--env shop-v1` for an env whose steps cost more: BM25
 * search over a 100k-product catalog): G groups × N copies, stepped together, one `act` call per
 * step for every live session (the trainer's collector, trainer/rollout.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import '../envs/builtin.js';
import type { Agent } from '../agents/agent.js';
import { proposerFor } from '../agents/candidates.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { selectBackend } from '../agents/policy/backend.js';
import { ActionScorer } from '../agents/policy/model.js';
import { RandomAgent } from '../agents/random-agent.js';
import { RemoteEnvClient } from '../envs/client/remote-env-client.js';
import type { RemoteEnv } from '../envs/client/remote-env.js';
import { Rng } from '../envs/core/rng.js';
import { LocalEnvProvider, RemoteEnvProvider, type EnvProvider } from '../trainer/env-provider.js';
import { collectGroups, type GroupSpec } from '../trainer/rollout.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const BIN = path.join(import.meta.dirname, '../bin/ludus.js');
const ENV = arg('env', 'household-v1');
const OPTIONS: Record<string, unknown> & { maxEpisodeSteps: number } = { ...(ENV === 'household-v1' ? { difficulty: 'easy' } : {}), maxEpisodeSteps: Number(arg('max-steps', '30')) };
const PROPOSE = proposerFor(ENV);

// -- a noisy neighbour: another client stepping many sessions on one server, as fast as it can --
if (process.argv.includes('--noise')) {
  const client = await RemoteEnvClient.connect(arg('noise', ''));
  const envs = [];
  for (let left = Number(arg('sessions', '128')); left > 0; left -= 64) envs.push(...(await client.open(ENV, OPTIONS, Math.min(64, left)))); // maxCopies is 64
  const rng = new Rng('noise');
  // every session plays episodes back to back: reset when its episode ends
  await Promise.all(
    envs.map(async (env, i) => {
      for (let episode = 0; ; episode++) {
        let obs = (await env.reset({ seed: i * 100_000 + episode })).observation;
        for (;;) {
          const step = await env.step(rng.pick(PROPOSE(obs)));
          if (step.terminated || step.truncated) break;
          obs = step.observation;
        }
      }
    }),
  );
}

const SERVERS = arg('servers', '1,2,4,8').split(',').map(Number);
const GROUPS = Number(arg('groups', '32'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const REPEATS = Number(arg('repeats', '5'));
const AGENTS = arg('agents', 'random,policy').split(',');
/** Waves for the remote rollouts (trainer/rollout.ts RolloutOptions.waves); in process always 1. */
const WAVES = arg('waves', '1').split(',').map(Number);

function serve(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node flags for the servers.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--max-sessions', '4096'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`ludus serve exited (${code})`)));
  });
}

/** A server's own CPU seconds so far, from its /metrics. */
async function serverCpu(url: string): Promise<number> {
  const text = await (await fetch(url.replace('ws://', 'http://') + '/metrics')).text();
  const m = /^ludus_process_cpu_seconds_total (\S+)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

interface Measured {
  stepsPerSecond: number;
  steps: number;
  trainerCpu: number;
  trainerElu: number;
  serversCpu: number;
  maxServerCpu: number;
  retried: number;
}

function groups(r: number): GroupSpec[] {
  return Array.from({ length: GROUPS }, (_, g) => ({ groupId: `r${r}g${g}`, task: { split: 'train', index: (r * GROUPS + g) % 3553 }, seed: r * 1000 + g }));
}

async function rollout(provider: EnvProvider, makeAgent: (r: number) => Agent, urls: readonly string[], r: number, waves = 1): Promise<Measured> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const s0 = await Promise.all(urls.map(serverCpu));
  const t0 = performance.now();
  const res = await collectGroups(provider, makeAgent(r), groups(r), { groupSize: GROUP_SIZE, historyLength: 2, retries: 0, propose: PROPOSE, waves });
  const wall = (performance.now() - t0) / 1000;
  const s1 = await Promise.all(urls.map(serverCpu));
  const cpu = process.cpuUsage(cpu0);
  const per = s1.map((x, i) => (x - (s0[i] as number)) / wall);
  return {
    stepsPerSecond: res.steps / wall,
    steps: res.steps,
    trainerCpu: (cpu.user + cpu.system) / 1e6 / wall,
    trainerElu: performance.eventLoopUtilization(elu0).utilization,
    serversCpu: per.reduce((a, b) => a + b, 0),
    maxServerCpu: per.length ? Math.max(...per) : 0,
    retried: res.retriedGroups,
  };
}

interface Config {
  label: string;
  provider: EnvProvider;
  urls: readonly string[];
  waves?: number;
}

/**
 * Every config gets a warm-up rollout, then REPEATS rounds in which each config runs once, in
 * turn (interleaved, so a neighbour's burst on a shared machine hits every config alike); each
 * config's median round by steps/s is reported.
 */
async function measureAll(configs: readonly Config[], makeAgent: (r: number) => Agent): Promise<Measured[]> {
  for (const c of configs) await rollout(c.provider, makeAgent, c.urls, 99, c.waves);
  const runs: Measured[][] = configs.map(() => []);
  for (let r = 0; r < REPEATS; r++) {
    for (const [i, c] of configs.entries()) runs[i]!.push(await rollout(c.provider, makeAgent, c.urls, r, c.waves));
  }
  return runs.map((all) => {
    all.sort((x, y) => x.stepsPerSecond - y.stepsPerSecond);
    return all[Math.floor(all.length / 2)] as Measured;
  });
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

const backend = await selectBackend({});
const scorer = AGENTS.includes('policy') ? ActionScorer.create({ seed: 1 }) : undefined;
const agents: Record<string, (r: number) => Agent> = {
  random: (r) => new RandomAgent(new Rng(`bench-fleet:${r}`)),
  policy: (r) => new PolicyAgent(scorer as ActionScorer, { rng: new Rng(`bench-fleet:${r}`) }),
};

const maxServers = Math.max(...SERVERS);
console.log(`starting ${maxServers} ludus serve processes...`);
const fleet = await Promise.all(Array.from({ length: maxServers }, () => serve()));
const stopAll = () => {
  // SIGTERM (the servers drain and exit, writing a CPU profile when asked for one); SIGKILL 3 s later.
  for (const s of fleet) s.child.kill('SIGTERM');
  const late = setTimeout(() => fleet.forEach((s) => s.child.kill('SIGKILL')), 3000);
  late.unref();
};
process.on('exit', stopAll);

try {
  console.log(`\nmachine load average before: ${loadavg().map((x) => x.toFixed(1)).join(', ')}`);
  console.log(`rollout: ${ENV}${ENV === 'household-v1' ? ' easy' : ''}, ${GROUPS} groups × ${GROUP_SIZE} copies (${GROUPS * GROUP_SIZE} sessions), max ${OPTIONS.maxEpisodeSteps} steps; median of ${REPEATS} interleaved rounds after a warm-up; ${availableParallelism()} cores, Node ${process.version}, policy backend ${backend.name}`);
  for (const name of AGENTS) {
    const make = agents[name];
    if (make === undefined) throw new Error(`unknown agent '${name}' (random, policy)`);
    console.log(`\n### agent: ${name}\n`);
    console.log('| env servers | steps/s | vs in process | trainer CPU | trainer event loop busy | servers CPU (sum) | busiest server CPU |');
    console.log('|---|---|---|---|---|---|---|');
    const configs: Config[] = [
      { label: 'in process (baseline)', provider: new LocalEnvProvider(ENV, OPTIONS), urls: [] },
      ...SERVERS.flatMap((n) =>
        WAVES.map((waves) => {
          const urls = fleet.slice(0, n).map((s) => s.url);
          return { label: WAVES.length > 1 || waves > 1 ? `${n}, ${waves} wave${waves > 1 ? 's' : ''}` : String(n), provider: new RemoteEnvProvider(ENV, OPTIONS, urls), urls, waves };
        }),
      ),
    ];
    try {
      const measured = await measureAll(configs, make);
      const local = measured[0] as Measured;
      measured.forEach((m, i) => {
        const remote = i > 0;
        console.log(`| ${configs[i]!.label} | ${m.stepsPerSecond.toFixed(0)} | ${(m.stepsPerSecond / local.stepsPerSecond).toFixed(2)}× | ${pct(m.trainerCpu)} | ${pct(m.trainerElu)} | ${remote ? pct(m.serversCpu) : '—'} | ${remote ? pct(m.maxServerCpu) : '—'} |`);
      });
    } finally {
      for (const c of configs) await c.provider.close();
    }
  }

  // -- load-aware vs round-robin with a noisy neighbour on server 0 --
  const n = Math.min(4, maxServers);
  if (n >= 2 && !process.argv.includes('--no-noise')) {
    const urls = fleet.slice(0, n).map((s) => s.url);
    console.log(`\n### ${n} servers, server 0 also stepping 128 sessions for another client\n`);
    const noise = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--noise', urls[0] as string, '--sessions', '128', '--env', ENV, '--max-steps', String(OPTIONS.maxEpisodeSteps)], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 4000));
    console.log('| spreading | steps/s | vs round-robin | groups on the busy server |');
    console.log('|---|---|---|---|');
    const onBusy = { 'round-robin': 0, load: 0 };
    const configs = (['round-robin', 'load'] as const).map((mode): Config => {
      const provider = new RemoteEnvProvider(ENV, OPTIONS, urls);
      provider.balancer.mode = mode;
      const counting: EnvProvider = {
        where: provider.where,
        describe: () => provider.describe(),
        openGameGroup: (c, s) => provider.openGameGroup(c, s),
        close: () => provider.close(),
        openGroup: async (copies, slot) => {
          const envs = await provider.openGroup(copies, slot);
          if ((envs[0] as RemoteEnv).client.url === urls[0]) onBusy[mode] += 1;
          return envs;
        },
      };
      return { label: mode, provider: counting, urls };
    });
    try {
      const [rr, load] = await measureAll(configs, agents.random!);
      const rollouts = REPEATS + 1;
      for (const [mode, m] of [['round-robin', rr], ['load', load]] as const) {
        console.log(`| ${mode} | ${m!.stepsPerSecond.toFixed(0)} | ${(m!.stepsPerSecond / rr!.stepsPerSecond).toFixed(2)}× | ${(onBusy[mode] / rollouts).toFixed(1)} of ${GROUPS} per rollout |`);
      }
    } finally {
      noise.kill('SIGKILL');
      for (const c of configs) await c.provider.close();
    }
  }
  console.log(`\nmachine load average after: ${loadavg().map((x) => x.toFixed(1)).join(', ')}`);
} finally {
  scorer?.dispose();
  stopAll();
}
process.exit(0);
