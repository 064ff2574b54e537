/**
 * Training the tfjs policy on werewolf-v1, measured per side against `bot:basic`:
 *
 * - for each side (wolves, village) and seed: an SFT warm start on `bot:basic`'s won games in that
 *   side's seats (`demoAgent: 'bot:basic'`), then RL (GRPO, GiGPO) holding that side's seats
 *   (`seats: 'team:<side>'`) against `bot:basic` in the others — groups are per seat, so a group is
 *   the N copies of one deal seen from one role;
 * - each trained policy then plays its side against `bot:basic` in the league (role-rotated deals
 *   of the test split, ≥ 500 games per side by default, Wilson 95% intervals);
 * - baselines in the same run: the `bot:basic` mirror match on the same deals, the SFT-only policy,
 *   and self-play (the policy in every seat, role in the context) evaluated the same way.
 *
 * Run: npx tsx scripts/bench-werewolf-train.ts [--seeds 3] [--iterations 60] [--groups 8]
 *        [--group-size 8] [--demos 512] [--sft-epochs 2] [--games 500] [--algos grpo,gigpo] [--self-play]
 *        [--sides wolves,village] [--only sft,grpo,gigpo] [--no-entity-context] [--also-vs bot:strong]
 *        [--train-vs bot:basic,bot:strong]
 *
 * With `--league` it measures population training instead (`ludus train --league`): per seed, one
 * policy trained against a league (bot:basic, bot:strong and its own checkpoints every
 * `--league-every` iterations, drawn by `--league-meta`, default pfsp) and, as baselines, the same
 * training against one bot only (a league of bot:basic alone, and of bot:strong alone, no
 * checkpoints). All three hold one side per game (both sides over a run) and start from the same
 * SFT warm start. Each plays both sides against bot:basic and bot:strong (compared with each bot's
 * mirror match on the same deals), and the three meet in a round robin (the league's 'sides'
 * schedule). Means over seeds with 95% bootstrap intervals (scripts/mean-ci.ts), differences paired
 * by seed.
 *
 *   npx tsx scripts/bench-werewolf-train.ts --league [--seeds 3] [--iterations 30] [--games 300]
 *        [--league-every 5] [--league-meta pfsp]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../envs/builtin.js';
import { makeBuiltinAgent } from '../agents/builtin-agents.js';
import { loadScorer } from '../agents/policy/checkpoint.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { Rng } from '../envs/core/rng.js';
import { playLeague } from '../league/play-league.js';
import type { Side } from '../envs/werewolf/roles.js';
import type { WinRecord } from '../league/standings.js';
import { latestCheckpoint } from '../trainer/run-checkpoints.js';
import { train } from '../trainer/train.js';
import { meanCi, pctCi } from './mean-ci.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const SEEDS = Number(arg('seeds', '3'));
const ITERATIONS = Number(arg('iterations', '60'));
const GROUPS = Number(arg('groups', '8'));
const GROUP_SIZE = Number(arg('group-size', '8'));
const DEMOS = Number(arg('demos', '512'));
/** A light warm start (2 epochs) leaves the policy enough entropy for RL to find better play than the bot it imitates. */
const SFT_EPOCHS = Number(arg('sft-epochs', '2'));
const GAMES = Number(arg('games', '500'));
const ALGOS = arg('algos', 'grpo,gigpo').split(',');
const SELF_PLAY = process.argv.includes('--self-play');
/** The policy reads what was said about each seat it can name (featurizer `entityContext`); `--no-entity-context` is the ablation. */
const ENTITY_CONTEXT = !process.argv.includes('--no-entity-context');
/** Only these variants (comma-separated: sft, and the algos), e.g. `--only sft` for the warm start alone. */
const ONLY = arg('only', '');
const SIDE_ARG = arg('sides', 'wolves,village');
/** Who the policies train against: one bot, or a mix (`--train-vs bot:basic,bot:strong`: each game group meets one). */
const TRAIN_VS = arg('train-vs', 'bot:basic');
/** Also measure every policy against these bots (same sides, same games), in a table of their own; e.g. `--also-vs bot:strong`. */
const ALSO_VS = arg('also-vs', '').split(',').filter((n) => n !== '');
const SIDES = SIDE_ARG.split(',') as Side[];
const ENV = 'werewolf-v1';

const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (r: WinRecord) => `${(r.rate * 100).toFixed(1)} [${(r.low * 100).toFixed(1)}, ${(r.high * 100).toFixed(1)}]`;

/**
 * Win rate per side of `name` against `opponent` (default bot:basic; the league's sides schedule,
 * no mirrors: half the games each way). `name === opponent` plays the mirror match.
 */
async function winRates(name: string, agent: PolicyAgent | ReturnType<typeof makeBuiltinAgent>, seed: number, opponent = 'bot:basic'): Promise<Record<Side, WinRecord>> {
  const opp = { name: opponent, agent: makeBuiltinAgent(ENV, opponent, seed) };
  const mirrorMatch = name === opponent;
  const entrants = mirrorMatch ? [opp] : [{ name, agent }, opp];
  const result = await playLeague({ entrants, games: mirrorMatch ? GAMES : 2 * GAMES, mirrors: mirrorMatch, seed: 0 });
  const standing = result.standings.entrants.find((e) => e.entrant === name)!;
  return standing.sides;
}

async function trained(side: Side | 'all', algo: string, seed: number, iterations: number): Promise<{ agent: PolicyAgent; seconds: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ludus-ww-train-'));
  const t0 = performance.now();
  await train(
    {
      env: ENV,
      algo,
      seats: side === 'all' ? 'all' : `team:${side}`,
      opponent: TRAIN_VS,
      init: 'sft',
      demoAgent: 'bot:basic',
      demos: DEMOS,
      sftEpochs: SFT_EPOCHS,
      iterations,
      groups: GROUPS,
      groupSize: GROUP_SIZE,
      maxSteps: 200,
      seed,
      model: { entityContext: ENTITY_CONTEXT },
      db: join(dir, 'runs.db'),
      checkpointDir: join(dir, 'ck'),
      checkpointEvery: 1000,
    },
    { log: (line) => log(`  [${algo} ${side} seed ${seed}] ${line}`) },
  );
  const seconds = (performance.now() - t0) / 1000;
  const scorer = await loadScorer((await latestCheckpoint(join(dir, 'ck'))) as string);
  return { agent: new PolicyAgent(scorer, { rng: new Rng(`ww-eval:${seed}`), name: `${algo}-${side}` }), seconds, dir };
}

if (process.argv.includes('--league')) {
  await leagueBench();
  process.exit(0);
}

const rows: string[][] = [];
const mirror = await winRates('bot:basic', makeBuiltinAgent(ENV, 'bot:basic', 1), 1);
rows.push(['bot:basic (mirror)', '—', pct(mirror.wolves), pct(mirror.village), '—']);
log(`basic mirror: wolves ${pct(mirror.wolves)}, village ${pct(mirror.village)}`);
/** Per extra opponent: its mirror match, then one row per policy variant. */
const alsoRows = new Map<string, string[][]>();
for (const opponent of ALSO_VS) {
  const m = await winRates(opponent, makeBuiltinAgent(ENV, opponent, 1), 1, opponent);
  alsoRows.set(opponent, [[`${opponent} (mirror)`, pct(m.wolves), pct(m.village)]]);
  log(`${opponent} mirror: wolves ${pct(m.wolves)}, village ${pct(m.village)}`);
}

const variants = [{ algo: 'grpo', iterations: 0, label: 'SFT on bot:basic only', key: 'sft' }, ...ALGOS.map((algo) => ({ algo, iterations: ITERATIONS, label: `${algo} vs ${TRAIN_VS}`, key: algo }))].filter(
  (v) => ONLY === '' || ONLY.split(',').includes(v.key),
);
for (const v of variants) {
  const bySide: Record<Side, WinRecord[]> = { wolves: [], village: [] };
  const alsoBySide = new Map(ALSO_VS.map((o) => [o, { wolves: [], village: [] } as Record<Side, WinRecord[]>]));
  let seconds = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const side of SIDES) {
      const t = await trained(side, v.algo, seed, v.iterations);
      seconds += t.seconds;
      const rates = await winRates(`${v.algo}-${side}`, t.agent, seed);
      bySide[side].push(rates[side]);
      log(`${v.label}, seed ${seed}, trained as ${side}: ${pct(rates[side])}`);
      for (const opponent of ALSO_VS) {
        const other = await winRates(`${v.algo}-${side}`, t.agent, seed, opponent);
        alsoBySide.get(opponent)![side].push(other[side]);
        log(`  ... against ${opponent}: ${pct(other[side])}`);
      }
      t.agent.scorer.dispose();
      rmSync(t.dir, { recursive: true, force: true });
    }
  }
  rows.push([v.label, `${v.iterations} it × ${GROUPS}×${GROUP_SIZE}, ${SEEDS} seeds`, bySide.wolves.map(pct).join('; '), bySide.village.map(pct).join('; '), `${(seconds / (SEEDS * SIDES.length)).toFixed(0)} s`]);
  for (const [opponent, r] of alsoBySide) alsoRows.get(opponent)!.push([v.label, r.wolves.map(pct).join('; '), r.village.map(pct).join('; ')]);
}
if (SELF_PLAY) {
  for (const algo of ALGOS) {
    const bySide: Record<Side, WinRecord[]> = { wolves: [], village: [] };
    let seconds = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const t = await trained('all', algo, seed, ITERATIONS);
      seconds += t.seconds;
      const rates = await winRates(`${algo}-self-play`, t.agent, seed);
      bySide.wolves.push(rates.wolves);
      bySide.village.push(rates.village);
      t.agent.scorer.dispose();
      rmSync(t.dir, { recursive: true, force: true });
    }
    rows.push([`${algo} self-play (all seats)`, `${ITERATIONS} it × ${GROUPS}×${GROUP_SIZE}, ${SEEDS} seeds`, bySide.wolves.map(pct).join('; '), bySide.village.map(pct).join('; '), `${(seconds / SEEDS).toFixed(0)} s`]);
  }
}

console.log(`bench-werewolf-train: ${ENV}, win rate % [95% CI] per side against bot:basic, ${GAMES} games per side per policy (test split), entityContext ${ENTITY_CONTEXT}, SFT ${DEMOS} demos × ${SFT_EPOCHS} epochs, node ${process.version}\n`);
console.log('| policy | training | as werewolves (one entry per seed) | as village (one entry per seed) | training time per run |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
for (const [opponent, r] of alsoRows) {
  console.log(`\nThe same policies against ${opponent} (trained against ${TRAIN_VS}):\n`);
  console.log('| policy | as werewolves (one entry per seed) | as village (one entry per seed) |');
  console.log('|---|---|---|');
  for (const row of r) console.log(`| ${row.join(' | ')} |`);
}

/** `--league`: one league-trained policy against the bots and against policies trained against one bot. */
async function leagueBench(): Promise<void> {
  const every = Number(arg('league-every', '5'));
  const meta = arg('league-meta', 'pfsp');
  const kinds = [
    { key: 'league', label: `league (bot:basic, bot:strong, checkpoints every ${every}; ${meta})`, bots: 'bot:basic,bot:strong', every },
    { key: 'basic-only', label: 'vs bot:basic only', bots: 'bot:basic', every: ITERATIONS + 1 },
    { key: 'strong-only', label: 'vs bot:strong only', bots: 'bot:strong', every: ITERATIONS + 1 },
  ];
  const bots = ['bot:basic', 'bot:strong'];
  const mirrors = new Map<string, Record<Side, WinRecord>>();
  for (const b of bots) {
    mirrors.set(b, await winRates(b, makeBuiltinAgent(ENV, b, 1), 1, b));
    log(`${b} mirror: wolves ${pct(mirrors.get(b)!.wolves)}, village ${pct(mirrors.get(b)!.village)}`);
  }
  // rates[kind][bot][side] = one win rate per seed
  const rates = new Map(kinds.map((k) => [k.key, new Map(bots.map((b) => [b, { wolves: [] as number[], village: [] as number[] }]))]));
  // robin[a][b][side]: a's win rate on `side` against b, per seed
  const robin = new Map<string, Map<string, Record<Side, number[]>>>();
  const seconds = new Map<string, number[]>(kinds.map((k) => [k.key, []]));
  for (let seed = 1; seed <= SEEDS; seed++) {
    const agents: { name: string; agent: PolicyAgent }[] = [];
    const dirs: string[] = [];
    for (const k of kinds) {
      const dir = mkdtempSync(join(tmpdir(), 'ludus-ww-league-'));
      dirs.push(dir);
      const t0 = performance.now();
      await train(
        {
          env: ENV, algo: ALGOS[0], seats: 'all', init: 'sft', demoAgent: 'bot:basic', demos: DEMOS, sftEpochs: SFT_EPOCHS, iterations: ITERATIONS, groups: GROUPS, groupSize: GROUP_SIZE, maxSteps: 200, seed,
          model: { entityContext: ENTITY_CONTEXT }, db: join(dir, 'runs.db'), checkpointDir: join(dir, 'ck'), checkpointEvery: 1000,
          league: { enabled: true, bots: k.bots, every: k.every, meta },
        },
        { log: (line) => log(`  [${k.key} seed ${seed}] ${line}`), onIteration: (it) => log(`  [${k.key} seed ${seed}] iteration ${it.iteration}: score ${(it.metrics['league/score'] ?? 0).toFixed(3)}, members ${it.metrics['league/members']}, learner mu ${(it.metrics['league/learner_mu'] ?? 0).toFixed(2)}`) },
      );
      seconds.get(k.key)!.push((performance.now() - t0) / 1000);
      const scorer = await loadScorer((await latestCheckpoint(join(dir, 'ck'))) as string);
      agents.push({ name: k.key, agent: new PolicyAgent(scorer, { rng: new Rng(`ww-league-eval:${seed}:${k.key}`), name: k.key }) });
    }
    for (const a of agents) {
      for (const b of bots) {
        const r = await winRates(a.name, a.agent, seed, b);
        rates.get(a.name)!.get(b)!.wolves.push(r.wolves.rate);
        rates.get(a.name)!.get(b)!.village.push(r.village.rate);
        log(`seed ${seed} ${a.name} vs ${b}: wolves ${pct(r.wolves)}, village ${pct(r.village)}`);
      }
    }
    const rr = await playLeague({ entrants: agents, games: GAMES * agents.length * (agents.length - 1), mirrors: false, seed: 0 });
    for (const cell of rr.standings.pairings) {
      // cell: `wolves` entrant held the wolves against `village`; wolvesWin its rate.
      const w = robin.get(cell.wolves) ?? new Map();
      robin.set(cell.wolves, w);
      const wv = w.get(cell.village) ?? { wolves: [], village: [] };
      w.set(cell.village, wv);
      wv.wolves.push(cell.wolvesWin.rate);
      const v = robin.get(cell.village) ?? new Map();
      robin.set(cell.village, v);
      const vw = v.get(cell.wolves) ?? { wolves: [], village: [] };
      v.set(cell.wolves, vw);
      vw.village.push(1 - cell.wolvesWin.rate - (cell.wolvesWin.draws ?? 0) / Math.max(1, cell.wolvesWin.trials));
    }
    log(`seed ${seed} round robin: ${rr.standings.pairings.map((c) => `${c.wolves} wolves vs ${c.village}: ${pct(c.wolvesWin)}`).join('; ')}`);
    for (const a of agents) a.agent.scorer.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  const ci = (xs: number[]) => pctCi(xs);
  const diff = (xs: number[], ref: number) => {
    const c = meanCi(xs.map((x) => x - ref));
    return `${(100 * c.mean).toFixed(1)} [${(100 * c.lo).toFixed(1)}, ${(100 * c.hi).toFixed(1)}]`;
  };
  console.log(`bench-werewolf-train --league: ${ENV}, ${ALGOS[0]}, ${ITERATIONS} it × ${GROUPS}×${GROUP_SIZE}, SFT ${DEMOS} bot:basic demos × ${SFT_EPOCHS} epochs, entityContext ${ENTITY_CONTEXT}, ${SEEDS} seeds, ${GAMES} games per side per cell (test split); mean over seeds [95% bootstrap interval], node ${process.version}\n`);
  console.log(`Mirror matches (same deals): ${bots.map((b) => `${b} wolves ${pct(mirrors.get(b)!.wolves)}, village ${pct(mirrors.get(b)!.village)}`).join('; ')}.\n`);
  console.log('| policy | wolves vs bot:basic | village vs bot:basic | wolves vs bot:strong | village vs bot:strong | training s per run |');
  console.log('|---|---|---|---|---|---|');
  for (const k of kinds) {
    const r = rates.get(k.key)!;
    console.log(`| ${k.label} | ${ci(r.get('bot:basic')!.wolves)} | ${ci(r.get('bot:basic')!.village)} | ${ci(r.get('bot:strong')!.wolves)} | ${ci(r.get('bot:strong')!.village)} | ${meanCi(seconds.get(k.key)!).mean.toFixed(0)} |`);
  }
  console.log('\nMinus the mirror match of the same bot (percentage points; > 0 with the interval above 0: beats the bot on that side):\n');
  console.log('| policy | wolves vs bot:basic | village vs bot:basic | wolves vs bot:strong | village vs bot:strong |');
  console.log('|---|---|---|---|---|');
  for (const k of kinds) {
    const r = rates.get(k.key)!;
    console.log(`| ${k.label} | ${bots.flatMap((b) => (['wolves', 'village'] as const).map((side) => diff(r.get(b)![side], mirrors.get(b)![side].rate))).join(' | ')} |`);
  }
  console.log('\nRound robin (row policy\'s win rate on each side against the column policy):\n');
  console.log(`| policy | ${kinds.flatMap((k) => [`wolves vs ${k.key}`, `village vs ${k.key}`]).join(' | ')} |`);
  console.log(`|---|${kinds.map(() => '---|---').join('|')}|`);
  for (const a of kinds) {
    const cells = kinds.flatMap((b) => {
      const c = robin.get(a.key)?.get(b.key);
      return c === undefined ? ['—', '—'] : [ci(c.wolves), ci(c.village)];
    });
    console.log(`| ${a.key} | ${cells.join(' | ')} |`);
  }
  const league = robin.get('league');
  if (league !== undefined) {
    console.log('\nLeague policy minus its opponent, paired by seed (both sides averaged; percentage points):\n');
    for (const other of kinds.slice(1)) {
      const c = league.get(other.key);
      const o = robin.get(other.key)?.get('league');
      if (c === undefined || o === undefined) continue;
      const paired = c.wolves.map((w, i) => (w + (c.village[i] as number)) / 2 - ((o.wolves[i] as number) + (o.village[i] as number)) / 2);
      const m = meanCi(paired);
      console.log(`- league vs ${other.key}: ${(100 * m.mean).toFixed(1)} [${(100 * m.lo).toFixed(1)}, ${(100 * m.hi).toFixed(1)}]`);
    }
  }
}
