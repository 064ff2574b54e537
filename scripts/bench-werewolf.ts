/**
 * `npm run bench:werewolf`: werewolf-v1 throughput and the bot ladder.
 *  - games per CPU-second (this process's CPU time, so other work on the machine does not count)
 *    and games/s in process, one thread: 7 `bot:basic` seats (one agent, batched across games);
 *    the baseline, measured in the same run, re-plays exactly those games' actions into a fresh
 *    env with no agent at all — the env's own share of the cost;
 *  - memory per live game: heap growth for N games held mid-game (env only, and env + the bot's
 *    memory of its 7 seats), after a forced GC (run with --expose-gc for exact numbers);
 *  - the ladder: a sides league of bot:random/naive/basic/strong, every level holding each side
 *    against every level, win rate per side with 95% intervals (default 250 games a pairing:
 *    1,000 games per level and side).
 *  - over WebSocket, against `ludus serve` in a child process, every seat held by bot:basic through
 *    `playSeat`: games/s with a game's 7 seats on one connection and on 7 connections, against the
 *    same games in process (same concurrency); then 256 concurrent remote games for 10 s, errors
 *    counted (target 0) and the server's RSS before and after.
 *
 *   node --expose-gc --import tsx scripts/bench-werewolf.ts [--games 2000] [--concurrency 64] [--repeat 3] [--live 1000]
 *     [--league 250] [--remote-games 400] [--remote-concurrency 16] [--soak-games 256] [--seconds 10] [--quick]
 */
import os from 'node:os';
import '../envs/builtin.js';
import type { Agent, AgentInput, Decision } from '../agents/agent.js';
import { playSeat } from '../envs/client/play-seat.js';
import { RemoteEnvClient } from '../envs/client/remote-env-client.js';
import { makeBuiltinAgent } from '../agents/builtin-agents.js';
import { runGames } from '../agents/run-game.js';
import { makeWerewolfBot } from '../agents/werewolf/bots.js';
import { makeMulti } from '../envs/core/registry.js';
import type { MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult } from '../envs/core/types.js';
import { playLeague } from '../league/play-league.js';
import { formatRate } from '../league/report.js';
import { startServerChild } from './server-child.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}
const QUICK = process.argv.includes('--quick');
const GAMES = Number(arg('games', QUICK ? '200' : '2000'));
const CONCURRENCY = Number(arg('concurrency', '64'));
const REPEAT = Number(arg('repeat', QUICK ? '1' : '3'));
const LIVE = Number(arg('live', QUICK ? '100' : '1000'));
const PER_PAIRING = Number(arg('league', QUICK ? '10' : '250'));
const REMOTE_GAMES = Number(arg('remote-games', QUICK ? '32' : '400'));
const REMOTE_CONCURRENCY = Number(arg('remote-concurrency', '16'));
const SOAK_GAMES = Number(arg('soak-games', QUICK ? '32' : '256'));
const SECONDS = Number(arg('seconds', QUICK ? '3' : '10'));
const LEVELS = ['bot:random', 'bot:naive', 'bot:basic', 'bot:strong'];
const SEATS = 7;

/** Advances games and keeps no memory (the memory baseline): first admissible action, one fixed speech. */
class ScriptedAgent implements Agent {
  readonly name = 'scripted';
  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((i) => ({ action: i.observation.actions[0] === 'say[<speech>]' ? 'say[I am a villager.]' : i.observation.actions[0]!, logp: null, probs: null }));
  }
}

/** CPU seconds this process used (all its threads) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

interface Throughput {
  gamesPerSecond: number;
  /** Games per CPU-second of this process: what one core does, whatever else runs on the machine. */
  gamesPerCpuSecond: number;
  stepsPerGame: number;
  /** Every game's actions by step, to re-play without agents. */
  logs: Record<number, string>[][];
}

async function throughput(agent: Agent, games: number, seed0: number): Promise<Throughput> {
  const envs = Array.from({ length: CONCURRENCY }, () => makeMulti('werewolf-v1'));
  const logs: Record<number, string>[][] = [];
  let steps = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let start = 0; start < games; start += CONCURRENCY) {
    const n = Math.min(CONCURRENCY, games - start);
    const out = await runGames(envs.slice(0, n), () => agent, {
      reset: Array.from({ length: n }, (_, i) => ({ seed: seed0 + start + i })),
      keys: Array.from({ length: n }, (_, i) => `g${seed0 + start + i}`),
    });
    for (const o of out) {
      if (!o.ok) throw o.error;
      steps += o.game.log.length;
      logs.push(o.game.log.map((e) => e.actions));
    }
  }
  const ms = performance.now() - t0;
  return { gamesPerSecond: (games / ms) * 1000, gamesPerCpuSecond: games / cpuSeconds(c0), stepsPerGame: steps / games, logs };
}

/** The same games with no agent: reset and step each env with the recorded actions. */
async function replayOnly(logs: Record<number, string>[][], seed0: number): Promise<{ wall: number; cpu: number }> {
  const env = makeMulti('werewolf-v1');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let g = 0; g < logs.length; g++) {
    await env.reset({ seed: seed0 + g });
    for (const actions of logs[g]!) await env.step(actions);
  }
  return { wall: (logs.length / (performance.now() - t0)) * 1000, cpu: logs.length / cpuSeconds(c0) };
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
  // Keep what is measured alive until after the measurement.
  if (live.length !== LIVE || (bot as { liveStreams: number }).liveStreams < 0 || (scripted.name as string) === '') throw new Error('unreachable');
  return perGame;
}

const lines: string[] = [];
const out = (l: string) => {
  lines.push(l);
  console.log(l);
};

console.error(`throughput: ${GAMES} games, ${CONCURRENCY} at a time...`);
const basicBot = makeBuiltinAgent('werewolf-v1', 'bot:basic', 1);
await throughput(basicBot, Math.min(GAMES, 200), 1_000_000); // warm-up (JIT)
// Three rounds (other work on the machine slows single runs): median and best reported.
const rounds = Array.from({ length: REPEAT }, () => ({ bots: 0, botsCpu: 0, env: 0, envCpu: 0 }));
let basic: Throughput | null = null;
for (const r of rounds) {
  basic = await throughput(basicBot, GAMES, 0);
  r.bots = basic.gamesPerSecond;
  r.botsCpu = basic.gamesPerCpuSecond;
  const env = await replayOnly(basic.logs, 0);
  r.env = env.wall;
  r.envCpu = env.cpu;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = (k: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[k]));
out(`## werewolf-v1 in process (Node ${process.version}, one thread, ${CONCURRENCY} games at a time; median of ${REPEAT} rounds)`);
out('');
out('Games per CPU-second count only the CPU time this process used (all its threads), so they say what one core does even when other work shares the machine; games/s are wall-clock.');
out('');
out('| what runs | games | games per CPU-second | games/s (wall) | steps/game | vs the env alone (CPU) |');
out('|---|---|---|---|---|---|');
out(`| the env alone: the same games' actions re-played, no agent | ${GAMES} | ${m('envCpu').toFixed(0)} | ${m('env').toFixed(0)} | ${basic!.stepsPerGame.toFixed(1)} | 1.00× |`);
out(`| 7 × bot:basic (one agent, batched through runGames) | ${GAMES} | ${m('botsCpu').toFixed(0)} | ${m('bots').toFixed(0)} | ${basic!.stepsPerGame.toFixed(1)} | ${(m('botsCpu') / m('envCpu')).toFixed(2)}× |`);
out('');

console.error(`memory: ${LIVE} live games...`);
const gcNote = (globalThis as { gc?: () => void }).gc ? 'after a forced GC' : 'no --expose-gc: approximate';
const envOnly = await memoryPerGame(false);
const withBots = await memoryPerGame(true);
out(`Machine load while measuring (1-minute load average, ${os.cpus().length} CPUs): ${os.loadavg()[0]!.toFixed(1)}.`);
out('');
out(`## memory per live game (${LIVE} games held after 10 steps, ${gcNote})`);
out('');
out('| what is held | KiB per game |');
out('|---|---|');
out(`| env (makeMulti wrapper stack, state, 7 records) | ${envOnly.toFixed(1)} |`);
out(`| env + bot:basic's memory of its 7 seats | ${withBots.toFixed(1)} |`);
out('');

// ---------------------------------------------------------------------------------------------
// Over WebSocket: a ludus server in a child process; seats claimed and played with playSeat.

const server = await startServerChild(['--max-sessions', String(Math.max(4096, 4 * SOAK_GAMES))]);
const { url, rssMiB } = server;
const serverCpu = server.cpuSeconds;

/** A table: one opener connection, and the 7 seats on 1 connection or on 7. */
async function openTable(connections: 1 | 7): Promise<{ clients: RemoteEnvClient[]; play: (seed: number, bot: Agent, key: string) => Promise<boolean>; close: () => Promise<void> }> {
  const clients = await Promise.all(Array.from({ length: connections }, () => RemoteEnvClient.connect(url)));
  const game = await clients[0]!.openGame('werewolf-v1', { turnTimeoutMs: 60_000, claimTimeoutMs: 60_000 });
  const seats = await Promise.all(Array.from({ length: SEATS }, (_, s) => clients[s % connections]!.claimSeat(game.session, s)));
  return {
    clients,
    play: async (seed, bot, key) => {
      const players = seats.map((seat, s) => playSeat(seat, bot, { key: `${key}/seat${s}` }));
      await game.reset({ seed });
      const overs = await Promise.all(players);
      await game.over();
      return overs.every((o) => o.terminated || o.truncated);
    },
    close: async () => {
      await game.close();
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

/** `games` games over WebSocket, `concurrency` tables at once, every seat played by one bot:basic. */
async function remoteThroughput(connections: 1 | 7, games: number, concurrency: number): Promise<{ gamesPerSecond: number; gamesPerCpuSecond: number; errors: number }> {
  const bot = makeBuiltinAgent('werewolf-v1', 'bot:basic', 1);
  const tables = await Promise.all(Array.from({ length: concurrency }, () => openTable(connections)));
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const s0 = serverCpu();
  await Promise.all(
    tables.map(async (table, i) => {
      for (let g = next++; g < games; g = next++) {
        try {
          if (!(await table.play(g, bot, `t${i}/g${g}`))) errors++;
        } catch (err) {
          errors++;
          console.error(`game ${g}: ${(err as Error).message}`);
        }
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(c0) + (serverCpu() - s0);
  await Promise.all(tables.map((t) => t.close()));
  return { gamesPerSecond: (games / ms) * 1000, gamesPerCpuSecond: games / cpu, errors };
}

/** `tables` games at once for `seconds` seconds, 7 seats on one connection each: errors and RSS. */
async function soak(tables: number, seconds: number): Promise<{ games: number; errors: number; seconds: number; connections: number }> {
  const bot = makeBuiltinAgent('werewolf-v1', 'bot:basic', 2);
  const open = await Promise.all(Array.from({ length: tables }, () => openTable(1)));
  const deadline = Date.now() + seconds * 1000;
  let games = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    open.map(async (table, i) => {
      for (let round = 0; Date.now() < deadline; round++) {
        try {
          if (await table.play(i * 100_000 + round, bot, `soak${i}/${round}`)) games++;
          else errors++;
        } catch (err) {
          errors++;
          console.error(`table ${i}: ${(err as Error).message}`);
          return;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(open.map((t) => t.close()));
  return { games, errors, seconds: elapsed, connections: tables };
}

console.error(`over WebSocket: ${REMOTE_GAMES} games, ${REMOTE_CONCURRENCY} at a time...`);
await remoteThroughput(1, Math.min(REMOTE_CONCURRENCY, REMOTE_GAMES), REMOTE_CONCURRENCY); // warm-up
const inProcessSame = await (async () => {
  const bot = makeBuiltinAgent('werewolf-v1', 'bot:basic', 1);
  const envs = Array.from({ length: REMOTE_CONCURRENCY }, () => makeMulti('werewolf-v1'));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let start = 0; start < REMOTE_GAMES; start += REMOTE_CONCURRENCY) {
    const n = Math.min(REMOTE_CONCURRENCY, REMOTE_GAMES - start);
    const outs = await runGames(envs.slice(0, n), () => bot, { reset: Array.from({ length: n }, (_, i) => ({ seed: start + i })), keys: Array.from({ length: n }, (_, i) => `ip${start + i}`) });
    for (const o of outs) if (!o.ok) throw o.error;
  }
  return { wall: (REMOTE_GAMES / (performance.now() - t0)) * 1000, cpu: REMOTE_GAMES / cpuSeconds(c0) };
})();
const oneConnection = await remoteThroughput(1, REMOTE_GAMES, REMOTE_CONCURRENCY);
const sevenConnections = await remoteThroughput(7, REMOTE_GAMES, REMOTE_CONCURRENCY);
out(`## over WebSocket (ludus serve in a child process; ${REMOTE_GAMES} games, ${REMOTE_CONCURRENCY} at a time; every seat bot:basic via playSeat)`);
out('');
out('Games per CPU-second add the client\'s and the server\'s CPU time.');
out('');
out('| seats | games per CPU-second | vs in process (CPU) | games/s (wall) | vs in process (wall) | errors |');
out('|---|---|---|---|---|---|');
out(`| in process (runGames, same concurrency) | ${inProcessSame.cpu.toFixed(0)} | 1.00× | ${inProcessSame.wall.toFixed(0)} | 1.00× | 0 |`);
for (const [label, r] of [['7 seats on one connection', oneConnection], ['7 seats on 7 connections', sevenConnections]] as const) {
  out(`| ${label} | ${r.gamesPerCpuSecond.toFixed(0)} | ${(r.gamesPerCpuSecond / inProcessSame.cpu).toFixed(2)}× | ${r.gamesPerSecond.toFixed(0)} | ${(r.gamesPerSecond / inProcessSame.wall).toFixed(2)}× | ${r.errors} |`);
}
out('');

console.error(`soak: ${SOAK_GAMES} concurrent remote games for ${SECONDS} s...`);
const rssBefore = rssMiB();
const soaked = await soak(SOAK_GAMES, SECONDS);
const rssAfter = rssMiB();
server.process.kill('SIGTERM');
out(`## ${SOAK_GAMES} concurrent remote games for ${SECONDS} s`);
out('');
out('| games at once | connections | seconds | games finished | games/s | errors | server RSS before → after (MiB) |');
out('|---|---|---|---|---|---|---|');
out(`| ${SOAK_GAMES} | ${soaked.connections} | ${soaked.seconds.toFixed(1)} | ${soaked.games} | ${(soaked.games / soaked.seconds).toFixed(0)} | ${soaked.errors} | ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} |`);
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
