/**
 * bench:lspo — latent space policy optimisation, measured.
 *
 * Part 1, the toy with a known answer (rpssl-v1): the speaker's exact exploitability after each of
 * 3 iterations, over seeds, for the default recipe and two ablations measured in the same run
 * (the paper's plain reading — prefer the latent policy's favoured strategies, hard labels — and a
 * small β); time per iteration and the stage that dominates.
 *
 * Part 2, werewolf-v1: one LSPO run of 3 iterations; the speaker of every iteration (0 = the
 * initial one) plays each side against fixed opponents — bot:basic, bot:strong and the final LSPO
 * agent — in role-rotated games (the league's 'sides' schedule: the same deals for both sides of
 * a pairing, werewolf seats moving with the deal), with 95% Wilson intervals; the rule bots are
 * the baselines, measured in the same cells. Then how the clusters change across iterations, with
 * examples, and the time per iteration by stage.
 *
 * Run: npx tsx scripts/bench-lspo.ts [--part toy|werewolf|all] [--seeds 3] [--games 200]
 *        [--ww-games 300] [--ww-solver 150] [--eval-games 500] [--concurrency 100] [--grpo-iterations 30]
 *
 * The self-play GRPO baseline is trained here with `ludus train`'s loop (werewolf-v1, every seat
 * the policy, GRPO, from scratch; --grpo-iterations 0 leaves it out) and enters twice: deciding
 * everything, and as a speaker only (its speech, bot:basic's night actions and votes — what the
 * LSPO agents are).
 */
import '../envs/builtin.js';
import { selectBackend } from '../agents/policy/backend.js';
import { LSPO_DOMAINS } from '../trainer/lspo/domains/index.js';
import { runLspo, type LspoIteration, type StageTimes } from '../trainer/lspo/run-lspo.js';
import type { LspoConfigInput } from '../trainer/lspo/config.js';
import type { Agent } from '../agents/agent.js';
import type { ActionScorer } from '../agents/policy/model.js';
import { makeWerewolfBot } from '../agents/werewolf/bots.js';
import { playLeague } from '../league/play-league.js';
import { wilson } from '../league/wilson.js';
import { matchClusters, vanishedClusters } from '../replay/latent-changes.js';
import { werewolfDomain } from '../trainer/lspo/domains/werewolf.js';
import { roleOfInfoSet } from '../trainer/lspo/latent-records.js';
import { SpeakerAgent } from '../trainer/lspo/speaker-agent.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScorer } from '../agents/policy/checkpoint.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { Rng } from '../envs/core/rng.js';
import { latestCheckpoint } from '../trainer/run-checkpoints.js';
import { train } from '../trainer/train.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const PART = arg('part', 'all');
const SEEDS = Number(arg('seeds', '3'));
const TOY_GAMES = Number(arg('games', '200'));
const WW_GAMES = Number(arg('ww-games', '300'));
const WW_SOLVER = Number(arg('ww-solver', '150'));
const EVAL_GAMES = Number(arg('eval-games', '500'));
const CONCURRENCY = Number(arg('concurrency', '100'));
const GRPO_ITERATIONS = Number(arg('grpo-iterations', '30'));

/** Self-play GRPO on werewolf-v1 (every seat the policy, shared weights); the final policy. */
async function trainGrpo(): Promise<{ scorer: ActionScorer; seconds: number } | null> {
  if (GRPO_ITERATIONS <= 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-lspo-grpo-'));
  const t0 = performance.now();
  try {
    await train(
      { env: 'werewolf-v1', algo: 'grpo', seats: 'all', init: 'scratch', demos: 0, iterations: GRPO_ITERATIONS, groups: 8, groupSize: 8, maxSteps: 400, seed: 1, model: { entityContext: true }, db: join(dir, 'grpo.db'), checkpointDir: join(dir, 'ck'), checkpointEvery: 1000 },
      { log: () => {} },
    );
    const latest = await latestCheckpoint(join(dir, 'ck'));
    if (latest === null) throw new Error('the GRPO run left no checkpoint');
    return { scorer: await loadScorer(latest), seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const pm = (xs: number[], d = 3) => `${mean(xs).toFixed(d)} ± ${sd(xs).toFixed(d)}`;

const STAGES: [keyof StageTimes, string][] = [
  ['selfPlayMs', 'self-play'],
  ['clusterMs', 'embed + k-means'],
  ['solveMs', 'MCCFR'],
  ['pairsMs', 'pairs'],
  ['dpoMs', 'DPO'],
  ['measureMs', 'measure'],
];

/** Mean stage times over iterations, and the stage that dominates. */
export function stageSummary(iterations: readonly LspoIteration[]): { total: number; stages: Record<string, number>; dominant: string } {
  const stages: Record<string, number> = {};
  for (const [key, label] of STAGES) stages[label] = mean(iterations.map((it) => it.times[key])) / 1000;
  const dominant = Object.entries(stages).sort((a, b) => b[1] - a[1])[0]![0];
  return { total: mean(iterations.map((it) => it.times.totalMs)) / 1000, stages, dominant };
}

async function toy(): Promise<void> {
  const recipes: { name: string; input: Partial<LspoConfigInput> }[] = [
    { name: 'LSPO (ratio reward, soft labels, β = 1)', input: {} },
    { name: 'plain reading (log σ reward, hard labels)', input: { reward: 'probability', labels: 'hard' } },
    { name: 'small β (0.1)', input: { beta: 0.1 } },
  ];
  console.log(`## rpssl-v1: exploitability of the speaker (exact; 0 at the uniform equilibrium), ${SEEDS} seeds, ${TOY_GAMES} self-play games per iteration\n`);
  console.log('| recipe | iteration 0 | 1 | 2 | 3 | latent policy (it. 3, abstracted game) | s / iteration | dominant stage |');
  console.log('|---|---|---|---|---|---|---|---|');
  const timings: LspoIteration[] = [];
  for (const recipe of recipes) {
    const byIteration: number[][] = [[], [], [], []];
    const latent: number[] = [];
    const iterations: LspoIteration[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runLspo({ envId: 'rpssl-v1', iterations: 3, games: TOY_GAMES, seed, ...recipe.input });
      byIteration[0]!.push(r.initial.exploitability!);
      r.iterations.forEach((it, i) => byIteration[i + 1]!.push(it.metrics['speaker/exploitability']!));
      latent.push(r.iterations.at(-1)!.metrics['latent/exploitability']!);
      iterations.push(...r.iterations);
      r.speaker.dispose();
    }
    if (timings.length === 0) timings.push(...iterations);
    const s = stageSummary(iterations);
    console.log(`| ${recipe.name} | ${byIteration.map((xs) => pm(xs)).join(' | ')} | ${pm(latent)} | ${s.total.toFixed(2)} | ${s.dominant} |`);
  }
  const s = stageSummary(timings);
  console.log(`\nStage times of the default recipe (s per iteration, mean): ${Object.entries(s.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}.\n`);
}

/** A's win rate on each side against O, over `games` games per side (A = O: one league, both sides from each game). */
async function sideRates(a: { name: string; agent: Agent }, o: { name: string; agent: Agent }, games: number, seed: number) {
  const same = a.name === o.name;
  const league = await playLeague({ entrants: same ? [a] : [a, o], games: same ? games : 2 * games, schedule: 'sides', mirrors: same, split: 'test', seed, concurrency: CONCURRENCY });
  const count = (side: 'wolves' | 'village') => {
    const mine = league.games.filter((g) => (side === 'wolves' ? g.plan.wolves : g.plan.village) === a.name);
    return wilson(mine.filter((g) => g.winner === side).length, mine.length);
  };
  return { wolves: count('wolves'), village: count('village') };
}

const pct = (p: { rate: number; low: number; high: number; trials: number }) => `${(100 * p.rate).toFixed(1)} [${(100 * p.low).toFixed(1)}, ${(100 * p.high).toFixed(1)}]`;

async function werewolf(): Promise<void> {
  const speakers: ActionScorer[] = [];
  const iterations: LspoIteration[] = [];
  const t0 = performance.now();
  await runLspo(
    { envId: 'werewolf-v1', iterations: 3, games: WW_GAMES, solverIterations: WW_SOLVER, concurrency: CONCURRENCY, seed: 1 },
    {
      onStart: (sp) => void speakers.push(sp.clone()),
      onIteration: (it, sp) => {
        speakers.push(sp.clone());
        iterations.push(it);
        console.error(`werewolf LSPO iteration ${it.iteration}: ${(it.times.totalMs / 1000).toFixed(0)} s`);
      },
    },
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  const agents = speakers.map((speaker, i) => ({ name: `lspo-it${i}`, agent: new SpeakerAgent({ name: `lspo-it${i}`, domain: werewolfDomain, speaker, mode: 'sample', seed: 100 + i }) as Agent }));
  const final = agents[agents.length - 1]!;
  const basic = { name: 'bot:basic', agent: makeWerewolfBot('basic', 11) as Agent };
  const strong = { name: 'bot:strong', agent: makeWerewolfBot('strong', 12) as Agent };
  const opponents = [basic, strong, { ...final, name: final.name }];
  const grpo = await trainGrpo();
  const baselines = [basic, strong];
  if (grpo !== null) {
    baselines.push(
      { name: 'grpo-selfplay', agent: new PolicyAgent(grpo.scorer, { rng: new Rng('bench-lspo/grpo'), name: 'grpo-selfplay' }) },
      { name: 'grpo-speaker', agent: new SpeakerAgent({ name: 'grpo-speaker', domain: werewolfDomain, speaker: grpo.scorer, mode: 'sample', seed: 200 }) },
    );
  }
  const rows: string[] = [];
  const averages: { name: string; vsFinal: number }[] = [];
  for (const a of [...agents, ...baselines]) {
    const cells: string[] = [];
    for (const o of opponents) {
      const r = await sideRates(a, o, EVAL_GAMES, 1);
      cells.push(pct(r.wolves), pct(r.village));
      if (o === opponents[2]) averages.push({ name: a.name, vsFinal: (r.wolves.rate + r.village.rate) / 2 });
    }
    rows.push(`| ${a.name} | ${cells.join(' | ')} |`);
  }
  console.log(`## werewolf-v1: win rate (%) per side against fixed opponents, ${EVAL_GAMES} role-rotated games per cell, [95% Wilson interval]\n`);
  console.log(`LSPO: 3 iterations × ${WW_GAMES} self-play games, N = 4 proposals, k = 6 per role, ${WW_SOLVER} MCCFR iterations; night actions and votes by bot:basic for every LSPO agent. ${trainSeconds.toFixed(0)} s of training.`);
  if (grpo !== null) console.log(`Self-play GRPO: ${GRPO_ITERATIONS} iterations × 8 groups × 8, every seat the policy, from scratch; ${grpo.seconds.toFixed(0)} s of training. grpo-selfplay decides everything; grpo-speaker says what it would say and leaves night actions and votes to bot:basic.`);
  console.log('');
  console.log('| agent | wolves vs basic | village vs basic | wolves vs strong | village vs strong | wolves vs final LSPO | village vs final LSPO |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nAveraged over both sides against the final LSPO agent: ${averages.map((a) => `${a.name} ${(100 * a.vsFinal).toFixed(1)}`).join(', ')}.\n`);

  console.log('## werewolf-v1: time per iteration (s) by stage\n');
  console.log(`| iteration | ${STAGES.map(([, l]) => l).join(' | ')} | total | dominant |`);
  console.log(`|---|${STAGES.map(() => '---').join('|')}|---|---|`);
  for (const it of iterations) {
    const s = stageSummary([it]);
    console.log(`| ${it.iteration} | ${STAGES.map(([, l]) => (s.stages[l] as number).toFixed(1)).join(' | ')} | ${s.total.toFixed(1)} | ${s.dominant} |`);
  }
  console.log('\n## werewolf-v1: the latent strategies per role across iterations\n');
  const roles = [...new Set(iterations.flatMap((it) => Object.keys(it.space.roles)))].sort();
  for (const role of roles) {
    console.log(`### ${role}\n`);
    console.log('| iteration | cluster | proposals | σ (mean over information sets) | representative | new? |');
    console.log('|---|---|---|---|---|---|');
    let previous: { centroid: number[]; representative: { utterance: string } }[] | null = null;
    for (const it of iterations) {
      const clusters = it.space.roles[role]?.clusters ?? [];
      const policies = [...it.latent.policy].filter(([k]) => roleOfInfoSet(k) === role).map(([, p]) => p);
      const sigma = clusters.map((_, z) => (policies.length === 0 ? NaN : policies.reduce((a, p) => a + (p[z] ?? 0), 0) / policies.length));
      const matches = matchClusters(previous, clusters);
      clusters.forEach((c, z) => console.log(`| ${it.iteration} | ${c.id} | ${c.size} | ${sigma[z]!.toFixed(2)} | ${c.representative.utterance.replace(/\|/g, '/')} | ${matches[z]!.isNew ? 'new' : ''} |`));
      if (previous !== null) {
        const gone = vanishedClusters(previous, clusters).map((i) => previous![i]!.representative.utterance);
        if (gone.length > 0) console.log(`| ${it.iteration} | gone | | | ${gone.join('; ').replace(/\|/g, '/')} | |`);
      }
      previous = clusters;
    }
    console.log('');
  }
  for (const s of speakers) s.dispose();
  grpo?.scorer.dispose();
}

const backend = await selectBackend({ warn: () => {} });
console.log(`bench-lspo: node ${process.version}, tfjs backend ${backend.name}\n`);
if (PART === 'toy' || PART === 'all') await toy();
if (PART === 'werewolf' || PART === 'all') await werewolf();
