/**
 * `npm run bench:werewolf`: werewolf-v1 throughput and the bot ladder.
 *  - games/s in process, one thread: 7 `bot:basic` seats (one agent, batched across games), and
 *    the same games with a scripted agent (first admissible action, a fixed speech) — the env's
 *    own cost, the baseline measured in the same run;
 *  - memory per live game: heap growth for N games held mid-game (env only, and env + the bot's
 *    memory of its 7 seats), after a forced GC (run with --expose-gc for exact numbers);
 *  - the ladder: a sides league of bot:random/naive/basic/strong, every level holding each side
 *    against every level, win rate per side with 95% intervals (default 250 games a pairing:
 *    1,000 games per level and side).
 * Over WebSocket (7 seats on one connection and on 7, 256 concurrent games) needs the server's
 * seat protocol; until it is on main this prints that it was not measured.
 *
 *   node --expose-gc --import tsx scripts/bench-werewolf.ts [--games 2000] [--concurrency 64] [--live 1000] [--league 250] [--quick]
 */
import '../envs/builtin.js';
import type { Agent, AgentInput, Decision } from '../agents/agent.js';
import { makeBuiltinAgent } from '../agents/builtin-agents.js';
import { runGames } from '../agents/run-game.js';
import { makeWerewolfBot } from '../agents/werewolf/bots.js';
import { makeMulti } from '../envs/core/registry.js';
import type { MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult } from '../envs/core/types.js';
import { playLeague } from '../league/play-league.js';
import { formatRate } from '../league/report.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}
const QUICK = process.argv.includes('--quick');
const GAMES = Number(arg('games', QUICK ? '200' : '2000'));
const CONCURRENCY = Number(arg('concurrency', '64'));
const LIVE = Number(arg('live', QUICK ? '100' : '1000'));
const PER_PAIRING = Number(arg('league', QUICK ? '10' : '250'));
const LEVELS = ['bot:random', 'bot:naive', 'bot:basic', 'bot:strong'];

/** The env's own cost: first admissible action, one fixed speech. */
class ScriptedAgent implements Agent {
  readonly name = 'scripted';
  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((i) => ({ action: i.observation.actions[0] === 'say[<speech>]' ? 'say[I am a villager.]' : i.observation.actions[0]!, logp: null, probs: null }));
  }
}

async function throughput(agent: () => Agent, games: number): Promise<{ gamesPerSecond: number; stepsPerGame: number; ms: number }> {
  const a = agent();
  const envs = Array.from({ length: CONCURRENCY }, () => makeMulti('werewolf-v1'));
  // Warm up (JIT) on a few games first.
  await runGames(envs.slice(0, 8), () => a, { reset: Array.from({ length: 8 }, (_, i) => ({ seed: 1_000_000 + i })), keys: Array.from({ length: 8 }, (_, i) => `warm${i}`) });
  let steps = 0;
  const t0 = performance.now();
  for (let start = 0; start < games; start += CONCURRENCY) {
    const n = Math.min(CONCURRENCY, games - start);
    const out = await runGames(envs.slice(0, n), () => a, {
      reset: Array.from({ length: n }, (_, i) => ({ seed: start + i })),
      keys: Array.from({ length: n }, (_, i) => `g${start + i}`),
    });
    for (const o of out) {
      if (!o.ok) throw o.error;
      steps += o.game.log.length;
    }
  }
  const ms = performance.now() - t0;
  return { gamesPerSecond: (games / ms) * 1000, stepsPerGame: steps / games, ms };
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Heap per live game, held after `steps` steps (bot memory included when withBot). */
async function memoryPerGame(withBot: boolean, steps = 10): Promise<number> {
  const bot = makeWerewolfBot('basic', 1);
  const scripted = new ScriptedAgent();
  const before = heapMiB();
  const live: { env: MultiAgentEnv; last: MultiAgentResetResult | MultiAgentStepResult }[] = [];
  for (let g = 0; g < LIVE; g++) {
    const env = makeMulti('werewolf-v1');
    let last: MultiAgentResetResult | MultiAgentStepResult = await env.reset({ seed: g });
    for (let t = 0; t < steps && last.actors.length > 0; t++) {
      const inputs = last.actors.map((seat) => ({ key: `live${g}/seat${seat}`, envId: 'werewolf-v1', observation: last.observations[seat]!, info: last.infos[seat]!, candidates: last.observations[seat]!.actions, history: [], seat }));
      const decisions = await (withBot ? bot : scripted).act(inputs);
      last = await env.step(Object.fromEntries(last.actors.map((s, i) => [s, decisions[i]!.action])));
    }
    live.push({ env, last });
  }
  const after = heapMiB();
  const perGame = ((after - before) * 1024) / LIVE;
  if (live.length !== LIVE) throw new Error('unreachable');
  return perGame;
}

const lines: string[] = [];
const out = (l: string) => {
  lines.push(l);
  console.log(l);
};

console.error(`throughput: ${GAMES} games, ${CONCURRENCY} at a time...`);
const scripted = await throughput(() => new ScriptedAgent(), GAMES);
const basic = await throughput(() => makeBuiltinAgent('werewolf-v1', 'bot:basic', 1), GAMES);
out(`## werewolf-v1 in process (Node ${process.version}, one thread)`);
out('');
out('| seats held by | games | games/s | steps/game | vs the env alone |');
out('|---|---|---|---|---|');
out(`| scripted agent (the env alone: first admissible action) | ${GAMES} | ${scripted.gamesPerSecond.toFixed(0)} | ${scripted.stepsPerGame.toFixed(1)} | 1.00× |`);
out(`| 7 × bot:basic (one agent, batched) | ${GAMES} | ${basic.gamesPerSecond.toFixed(0)} | ${basic.stepsPerGame.toFixed(1)} | ${(basic.gamesPerSecond / scripted.gamesPerSecond).toFixed(2)}× |`);
out('');

console.error(`memory: ${LIVE} live games...`);
const gcNote = (globalThis as { gc?: () => void }).gc ? 'after a forced GC' : 'no --expose-gc: approximate';
const envOnly = await memoryPerGame(false);
const withBots = await memoryPerGame(true);
out(`## memory per live game (${LIVE} games held after 10 steps, ${gcNote})`);
out('');
out('| what is held | KiB per game |');
out('|---|---|');
out(`| env (makeMulti wrapper stack, state, 7 records) | ${envOnly.toFixed(1)} |`);
out(`| env + bot:basic's memory of its 7 seats | ${withBots.toFixed(1)} |`);
out('');

out('## over WebSocket');
out('');
out("Not measured: the server's seat protocol (seat claims, pushed turns) is not on main yet.");
out('');

console.error(`ladder: ${16 * PER_PAIRING} games...`);
const t0 = performance.now();
const entrants = LEVELS.map((name, i) => ({ name, agent: makeBuiltinAgent('werewolf-v1', name, i) }));
const league = await playLeague({ entrants, games: 16 * PER_PAIRING, split: 'test', seed: 0 });
const leagueMs = performance.now() - t0;
out(`## the bot ladder: ${16 * PER_PAIRING} games, sides schedule (${PER_PAIRING} per pairing, ${4 * PER_PAIRING} per level and side), test split, ${((16 * PER_PAIRING) / (leagueMs / 1000)).toFixed(0)} games/s`);
out('');
out('| level | as werewolves [95% CI] | as village [95% CI] | Elo | OpenSkill ordinal |');
out('|---|---|---|---|---|');
for (const name of LEVELS) {
  const e = league.standings.entrants.find((x) => x.entrant === name)!;
  out(`| ${name} | ${formatRate(e.sides.wolves)} | ${formatRate(e.sides.village)} | ${e.rating!.elo.toFixed(0)} | ${e.rating!.ordinal.toFixed(2)} |`);
}
const ordered = (side: 'wolves' | 'village') =>
  LEVELS.every((l, i) => i === 0 || league.standings.entrants.find((e) => e.entrant === l)!.sides[side].rate > league.standings.entrants.find((e) => e.entrant === LEVELS[i - 1])!.sides[side].rate);
out('');
out(`Ordered strong > basic > naive > random: as werewolves ${ordered('wolves') ? 'yes' : 'NO'}, as village ${ordered('village') ? 'yes' : 'NO'}.`);
out('');
out("Werewolves' win rate by pairing (rows: the werewolves' level):");
out('');
out(`| wolves \\ village | ${LEVELS.join(' | ')} |`);
out(`|---|${LEVELS.map(() => '---').join('|')}|`);
for (const w of LEVELS) {
  out(`| ${w} | ${LEVELS.map((v) => {
    const p = league.standings.pairings.find((x) => x.wolves === w && x.village === v)!;
    return `${(100 * p.wolvesWin.rate).toFixed(1)}%`;
  }).join(' | ')} |`);
}
