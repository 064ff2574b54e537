/**
 * bench:lspo — latent space policy optimisation, measured.
 *
 * Part 1, the toy with a known answer (rpssl-v1): the speaker's exact exploitability after each of
 * 3 iterations, over seeds, for the default recipe and two ablations measured in the same run
 * (the paper's plain reading — prefer the latent policy's favoured strategies, hard labels — and a
 * small β); time per iteration and the stage that dominates.
 *
 * Part 2 (werewolf-v1, when its domain is available): see the werewolf section below.
 *
 * Run: npx tsx scripts/bench-lspo.ts [--part toy|werewolf|all] [--seeds 3] [--games 200]
 */
import '../envs/builtin.js';
import { selectBackend } from '../agents/policy/backend.js';
import { LSPO_DOMAINS } from '../trainer/lspo/domains/index.js';
import { runLspo, type LspoIteration, type StageTimes } from '../trainer/lspo/run-lspo.js';
import type { LspoConfigInput } from '../trainer/lspo/config.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const PART = arg('part', 'all');
const SEEDS = Number(arg('seeds', '3'));
const TOY_GAMES = Number(arg('games', '200'));

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

const backend = await selectBackend({ warn: () => {} });
console.log(`bench-lspo: node ${process.version}, tfjs backend ${backend.name}\n`);
if (PART === 'toy' || PART === 'all') await toy();
if (PART === 'werewolf' || PART === 'all') {
  if (!('werewolf-v1' in LSPO_DOMAINS)) console.log('## werewolf-v1\n\nNot measured: werewolf-v1 has no LSPO domain in this build.\n');
}
