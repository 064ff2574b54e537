/**
 * `npm run bench:browser`: browser-v1 against raw Playwright, measured in the same run.
 *
 *  - latency: reset (load a task page + read the tree) and step (a click + read the tree) p50/p99,
 *    interleaved with raw Playwright doing the same on the same page in the same Chromium (goto +
 *    `page.ariaSnapshot()`; `locator.click()` + `page.ariaSnapshot()`). Target: ≤ 1.5×.
 *  - concurrency: N sessions (one browser context each) on one Chromium, each stepping as fast as
 *    it can for a few seconds: aggregate steps/s, step p50, and memory per context (PSS of every
 *    Chromium process, from /proc, over the browser alone, divided by N). Targets at 16 sessions:
 *    ≥ 100 steps/s, ≤ 30 MiB per context.
 *  - `--expert`: the expert's and the random agent's success on every task's test seeds.
 *  - `--shop N`: the shop in GUI modality vs shop-v1 (text) on N test goals, expert and random.
 *  - `--learning`: per-task success of the random agent, the expert and trained policies (greedy,
 *    from `ludus train` checkpoint dirs), all on the same test instances.
 *
 *   npx tsx scripts/bench-browser.ts [--iterations 200] [--sessions 1,2,4,8,16,32,64] [--seconds 5]
 *   npx tsx scripts/bench-browser.ts --expert [--seeds 50] [--parallel 8] [--tasks '["click-button",...]']
 *   npx tsx scripts/bench-browser.ts --shop 50 [--products 1000]
 *   npx tsx scripts/bench-browser.ts --learning --tasks '["click-button",...]' --runs name=checkpointDir,... [--seeds 20] [--max-steps 8]
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { Browser } from 'playwright';
import '../envs/builtin.js';
import type { Agent } from '../agents/agent.js';
import { ExpertAgent } from '../agents/experts.js';
import { RandomAgent } from '../agents/random-agent.js';
import { runEpisode, type Episode } from '../agents/run-episode.js';
import { sharedBrowser } from '../envs/browser/chromium.js';
import { PRIVATE_ORIGIN } from '../envs/browser/confinement.js';
import { BUILTIN_TASKS, DEFAULT_TASK_NAMES } from '../envs/browser/tasks/index.js';
import { taskInstance } from '../envs/browser/tasks/instance.js';
import { make } from '../envs/core/registry.js';
import type { Env } from '../envs/core/types.js';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { selectBackend } from '../agents/policy/backend.js';
import { loadScorer } from '../agents/policy/checkpoint.js';
import { PolicyAgent } from '../agents/policy-agent.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined && !process.argv[i + 1]!.startsWith('--') ? (process.argv[i + 1] as string) : fallback;
}
const has = (name: string) => process.argv.includes(`--${name}`);

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function chromiumPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { id: number }[] };
    return info.processInfo.map((p) => p.id);
  } catch {
    return [];
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** PSS (KiB) of every Chromium process of `browser`, from /proc (Linux). */
async function chromiumPssKiB(browser: Browser): Promise<number | null> {
  const pids = await chromiumPids(browser);
  if (pids.length === 0) return null;
  let total = 0;
  for (const id of pids) {
    const file = `/proc/${id}/smaps_rollup`;
    if (!existsSync(file)) continue;
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(file, 'utf8'));
    if (m) total += Number(m[1]);
  }
  return total;
}

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU time (ms) used so far by this Node process and by every Chromium process of `browser`. */
async function cpuMs(browser: Browser): Promise<{ node: number; chromium: number }> {
  const u = process.cpuUsage();
  let chromium = 0;
  for (const id of await chromiumPids(browser)) {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      chromium += (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
    } catch {
      // the process ended
    }
  }
  return { node: (u.user + u.system) / 1000, chromium };
}

const SPINNER = 'use-spinner';
const spinnerId = (k: number) => `${SPINNER}/train/${String(k).padStart(5, '0')}`;

function increaseId(text: string): string {
  const m = /\[(\d+)\] button 'Increase'/.exec(text);
  if (!m) throw new Error(`no Increase button in\n${text}`);
  return m[1]!;
}

// ---------------------------------------------------------------------------------------------
// Latency vs raw Playwright

async function latency(iterations: number): Promise<void> {
  const env = make('browser-v1', { tasks: [SPINNER], maxEpisodeSteps: 0 });
  await env.reset({ task: spinnerId(0) }); // launches Chromium
  const browser = await sharedBrowser.get();
  const task = BUILTIN_TASKS[SPINNER]!;
  const ctx = { catalog: () => { throw new Error('no catalog'); } };
  const raw = await browser.newContext({ viewport: { width: 800, height: 600 } });
  let page = '';
  await raw.route('**/*', (route) => (route.request().url().startsWith(PRIVATE_ORIGIN) ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page }) : route.abort()));
  const rawPage = await raw.newPage();

  const t = { envReset: [] as number[], rawReset: [] as number[], envStep: [] as number[], rawStep: [] as number[], rawForceStep: [] as number[] };
  const clicksPerEpisode = 3;
  for (let i = 0; i < iterations; i++) {
    page = task.serve(taskInstance(task, i, ctx), { path: '/', query: {}, method: 'GET', url: '/' }, ctx)!.body;
    let t0 = performance.now();
    const r = await env.reset({ task: spinnerId(i) });
    t.envReset.push(performance.now() - t0);
    t0 = performance.now();
    await rawPage.goto(`${PRIVATE_ORIGIN}/`, { waitUntil: 'domcontentloaded' });
    await rawPage.ariaSnapshot();
    t.rawReset.push(performance.now() - t0);
    const inc = increaseId(r.observation.text);
    for (let k = 0; k < clicksPerEpisode; k++) {
      t0 = performance.now();
      await env.step(`click("${inc}")`);
      t.envStep.push(performance.now() - t0);
      t0 = performance.now();
      await rawPage.getByRole('button', { name: 'Increase' }).click();
      await rawPage.ariaSnapshot();
      t.rawStep.push(performance.now() - t0);
      t0 = performance.now();
      await rawPage.getByRole('button', { name: 'Increase' }).click({ force: true });
      await rawPage.ariaSnapshot();
      t.rawForceStep.push(performance.now() - t0);
    }
  }
  await raw.close();
  await env.close();

  const row = (what: string, ours: number[], base: number[], note: string) =>
    console.log(`| ${what} | ${ms(pct(ours, 0.5))} / ${ms(pct(ours, 0.99))} | ${ms(pct(base, 0.5))} / ${ms(pct(base, 0.99))} | ${(pct(ours, 0.5) / pct(base, 0.5)).toFixed(2)}× / ${(pct(ours, 0.99) / pct(base, 0.99)).toFixed(2)}× | ${note} |`);
  console.log(`\n### Latency: browser-v1 vs raw Playwright (${iterations} resets, ${iterations * clicksPerEpisode} steps, interleaved; task ${SPINNER})\n`);
  console.log('| measure | browser-v1 p50 / p99 | raw Playwright p50 / p99 | ratio p50 / p99 | raw baseline |');
  console.log('|---|---|---|---|---|');
  row('reset', t.envReset, t.rawReset, '`goto` + `page.ariaSnapshot()`');
  row('step (click + tree)', t.envStep, t.rawStep, '`locator.click()` + `page.ariaSnapshot()`');
  row('step (click + tree)', t.envStep, t.rawForceStep, '`locator.click({force: true})` + `page.ariaSnapshot()`');
}

// ---------------------------------------------------------------------------------------------
// Concurrency and memory

async function concurrency(levels: number[], seconds: number): Promise<void> {
  await sharedBrowser.close();
  const probe = make('browser-v1', { tasks: [SPINNER] });
  await probe.reset({ task: spinnerId(0) });
  await probe.close(); // the browser stays up, with no context
  const browser = await sharedBrowser.get();
  await new Promise((r) => setTimeout(r, 500));
  const base = await chromiumPssKiB(browser);
  console.log(`\n### Sessions on one Chromium (${os.cpus().length} cores, ${seconds} s per level; browser alone: ${base === null ? 'n/a' : `${(base / 1024).toFixed(0)} MiB PSS`})\n`);
  console.log('| sessions | open + reset all | steps | aggregate steps/s | step p50 / p99 | CPU per step (Node + Chromium) | memory per context (PSS) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const n of levels) {
    const envs: Env[] = Array.from({ length: n }, () => make('browser-v1', { tasks: [SPINNER], maxEpisodeSteps: 0 }));
    let t0 = performance.now();
    const resets = await Promise.all(envs.map((e, k) => e.reset({ task: spinnerId(k) })));
    const openMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    const pss = await chromiumPssKiB(browser);
    const latencies: number[] = [];
    let steps = 0;
    const cpu0 = await cpuMs(browser);
    const deadline = performance.now() + seconds * 1000;
    t0 = performance.now();
    await Promise.all(
      envs.map(async (e, k) => {
        const action = `click("${increaseId(resets[k]!.observation.text)}")`;
        while (performance.now() < deadline) {
          const s0 = performance.now();
          await e.step(action);
          latencies.push(performance.now() - s0);
          steps++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const cpu1 = await cpuMs(browser);
    await Promise.all(envs.map((e) => e.close()));
    const perContext = pss === null || base === null ? 'n/a' : `${((pss - base) / 1024 / n).toFixed(1)} MiB`;
    const cpuPerStep = `${((cpu1.node - cpu0.node) / steps).toFixed(1)} + ${((cpu1.chromium - cpu0.chromium) / steps).toFixed(1)} ms`;
    console.log(`| ${n} | ${(openMs / 1000).toFixed(2)} s | ${steps} | ${(steps / elapsed).toFixed(0)} | ${ms(pct(latencies, 0.5))} / ${ms(pct(latencies, 0.99))} | ${cpuPerStep} | ${perContext} |`);
  }
}

// ---------------------------------------------------------------------------------------------
// Success of the expert and the random agent

async function playAll(tasks: readonly string[], seeds: number, parallel: number, agent: () => Agent, options: Record<string, unknown>, maxSteps: number): Promise<Map<string, Episode[]>> {
  const jobs: { task: string; k: number }[] = [];
  for (const task of tasks) for (let k = 0; k < seeds; k++) jobs.push({ task, k });
  const out = new Map<string, Episode[]>(tasks.map((t) => [t, []]));
  let next = 0;
  let finished = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      const env = make('browser-v1', { ...options, maxEpisodeSteps: maxSteps });
      try {
        for (;;) {
          const job = jobs[next++];
          if (!job) break;
          const ep = await runEpisode(env, agent(), { reset: { task: `${job.task}/test/${String(job.k).padStart(5, '0')}`, seed: job.k } });
          out.get(job.task)!.push(ep);
          if (++finished % 100 === 0) console.error(`  ${finished}/${jobs.length} episodes`);
        }
      } finally {
        await env.close();
      }
    }),
  );
  return out;
}

async function expertTable(tasks: readonly string[], seeds: number, parallel: number): Promise<void> {
  const t0 = performance.now();
  const expert = await playAll(tasks, seeds, parallel, () => new ExpertAgent('browser-v1'), {}, 30);
  let seed = 0;
  const random = await playAll(tasks, seeds, parallel, () => new RandomAgent(seed++), {}, 30);
  const rate = (eps: Episode[]) => eps.filter((e) => e.success).length / Math.max(1, eps.length);
  const meanReturn = (eps: Episode[]) => eps.reduce((s, e) => s + e.return, 0) / Math.max(1, eps.length);
  const meanSteps = (eps: Episode[]) => eps.reduce((s, e) => s + e.steps.length, 0) / Math.max(1, eps.length);
  console.log(`\n### Expert and random agent on every task's ${seeds} test seeds (time limit 30 steps; ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log('| task | expert success | expert steps | random success | random mean return |');
  console.log('|---|---|---|---|---|');
  const allE: Episode[] = [];
  const allR: Episode[] = [];
  let below = 0;
  for (const task of tasks) {
    const e = expert.get(task)!;
    const r = random.get(task)!;
    allE.push(...e);
    allR.push(...r);
    if (rate(e) < 0.95) below++;
    console.log(`| ${task} | ${(rate(e) * 100).toFixed(0)}% | ${meanSteps(e).toFixed(1)} | ${(rate(r) * 100).toFixed(0)}% | ${meanReturn(r).toFixed(2)} |`);
  }
  console.log(`| **all ${tasks.length} tasks** | **${(rate(allE) * 100).toFixed(1)}%** | ${meanSteps(allE).toFixed(1)} | **${(rate(allR) * 100).toFixed(1)}%** | ${meanReturn(allR).toFixed(2)} |`);
  console.log(`\ntasks where the expert is below 95%: ${below}`);
}

async function shopTable(goals: number, products: number): Promise<void> {
  const gui = make('browser-v1', { tasks: ['shop'], shopProducts: products });
  const text = make('shop-v1', { products });
  const rows: { gui: Episode; text: Episode }[] = [];
  const t0 = performance.now();
  for (let k = 0; k < goals; k++) {
    const id = `shop/test/${String(k).padStart(5, '0')}`;
    rows.push({ gui: await runEpisode(gui, new ExpertAgent('browser-v1'), { reset: { task: id, seed: k } }), text: await runEpisode(text, new ExpertAgent('shop-v1'), { reset: { task: id, seed: k } }) });
  }
  let randomGui = 0;
  for (let k = 0; k < goals; k++) {
    const ep = await runEpisode(gui, new RandomAgent(k), { reset: { task: `shop/test/${String(k).padStart(5, '0')}`, seed: k }, maxSteps: 15 });
    randomGui += ep.return;
  }
  await gui.close();
  await text.close();
  const same = rows.filter((r) => r.gui.return === r.text.return).length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`\n### Shop as text and as GUI (${goals} test goals, ${products} products, ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log('| measure | shop-v1 (text) | browser-v1 `shop` (GUI) |');
  console.log('|---|---|---|');
  console.log(`| expert success | ${((rows.filter((r) => r.text.success).length / goals) * 100).toFixed(1)}% | ${((rows.filter((r) => r.gui.success).length / goals) * 100).toFixed(1)}% |`);
  console.log(`| expert mean reward | ${mean(rows.map((r) => r.text.return)).toFixed(3)} | ${mean(rows.map((r) => r.gui.return)).toFixed(3)} |`);
  console.log(`| expert mean steps | ${mean(rows.map((r) => r.text.steps.length)).toFixed(1)} | ${mean(rows.map((r) => r.gui.steps.length)).toFixed(1)} |`);
  console.log(`| same reward, goal by goal | ${same}/${goals} | |`);
  console.log(`| random agent mean reward (15 steps) | | ${(randomGui / goals).toFixed(3)} |`);
}

/** A checkpoint folder, or a run's checkpoint dir (its newest iter-* folder). */
async function checkpointFolder(dir: string): Promise<string> {
  const iters = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^iter-\d{6}$/.test(n)).sort();
  return iters.length > 0 ? path.join(dir, iters[iters.length - 1] as string) : dir;
}

async function learningTable(tasks: string[], runs: [string, string][], seeds: number, maxSteps: number, parallel: number): Promise<void> {
  const t0 = performance.now();
  const options = { tasks };
  let r = 0;
  const columns: [string, Map<string, Episode[]>][] = [
    ['random', await playAll(tasks, seeds, parallel, () => new RandomAgent(r++), options, maxSteps)],
    ['expert', await playAll(tasks, seeds, parallel, () => new ExpertAgent('browser-v1'), options, maxSteps)],
  ];
  if (runs.length > 0) console.error(`policy backend: ${(await selectBackend({ prefer: 'auto', allowCpu: false })).name}`);
  for (const [name, dir] of runs) {
    const scorer = await loadScorer(await checkpointFolder(dir));
    const agent = new PolicyAgent(scorer, { greedy: true });
    columns.push([name, await playAll(tasks, seeds, parallel, () => agent, options, maxSteps)]);
    scorer.dispose();
  }
  const rate = (eps: Episode[]) => eps.filter((e) => e.success).length / Math.max(1, eps.length);
  console.log(`\n### Success on test instances 0..${seeds - 1} of each task (greedy policies, time limit ${maxSteps}; ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log(`| task | ${columns.map(([n]) => n).join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---').join('|')}|`);
  for (const task of tasks) console.log(`| ${task} | ${columns.map(([, m]) => `${(rate(m.get(task)!) * 100).toFixed(0)}%`).join(' | ')} |`);
  console.log(`| **all** | ${columns.map(([, m]) => `**${(rate([...m.values()].flat()) * 100).toFixed(1)}%**`).join(' | ')} |`);
  const meanReturn = (eps: Episode[]) => eps.reduce((a, e) => a + e.return, 0) / Math.max(1, eps.length);
  console.log(`| mean return | ${columns.map(([, m]) => meanReturn([...m.values()].flat()).toFixed(2)).join(' | ')} |`);
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
console.log(`browser-v1 bench: node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
try {
  if (has('expert')) await expertTable(JSON.parse(arg('tasks', JSON.stringify(DEFAULT_TASK_NAMES))) as string[], Number(arg('seeds', '50')), Number(arg('parallel', '8')));
  else if (has('shop')) await shopTable(Number(arg('shop', '50')), Number(arg('products', '1000')));
  else if (has('learning')) {
    const tasks = JSON.parse(arg('tasks', JSON.stringify(DEFAULT_TASK_NAMES))) as string[];
    const runs = arg('runs', '')
      .split(',')
      .filter((x) => x !== '')
      .map((x) => x.split('=') as [string, string]);
    await learningTable(tasks, runs, Number(arg('seeds', '20')), Number(arg('max-steps', '8')), Number(arg('parallel', '4')));
  }
  else {
    await latency(Number(arg('iterations', '200')));
    await concurrency(arg('sessions', '1,2,4,8,16,32,64').split(',').map(Number), Number(arg('seconds', '5')));
  }
} finally {
  await sharedBrowser.close();
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
