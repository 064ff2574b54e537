/**
 * Multi-agent play over the WebSocket protocol, against a ludus server in a child process
 * (`ludus serve --port 0`), kuhn-poker-v1 throughout:
 *
 *   step RTT        one connection steps a game as its opener (`session.step {actions}`): the
 *                   request/response round trip of one env step — the baseline
 *   pushed turn     the same connection holds both seats of a game played by seats: the time from
 *                   sending `seat.act` to receiving the other seat's `seat.turn` (one env step and
 *                   one push) — target ≤ 1.3 × the step RTT
 *   concurrent      256 games, each seat held by its own connection (512 connections), random
 *                   play for 10 s: games/s, errors (target 0), and the server's RSS before/after
 *
 * Run: npx tsx scripts/bench-seats.ts [--games 256] [--seconds 10] [--steps 3000]
 */
import { RandomAgent } from '../agents/random-agent.js';
import { playSeat } from '../envs/client/play-seat.js';
import { RemoteEnvClient } from '../envs/client/remote-env-client.js';
import type { SeatEvent } from '../envs/client/remote-game.js';
import { Rng } from '../envs/core/rng.js';
import { startServerChild } from './server-child.js';

const args = Object.fromEntries(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1] ?? '']] : [])));
const GAMES = Number(args.games ?? 256);
const SECONDS = Number(args.seconds ?? 10);
const STEPS = Number(args.steps ?? 3000);
const ENV = 'kuhn-poker-v1';
const RTT_TARGET = 1.3;

const server = await startServerChild();
const { url, rssMiB } = server;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** Opener-stepped games: RTT of session.step with the actor's random legal move. */
async function stepRtt(client: RemoteEnvClient, steps: number): Promise<number[]> {
  const rng = new Rng('bench-seats:step');
  const [env] = await client.openMulti(ENV);
  const rtts: number[] = [];
  let game = 0;
  while (rtts.length < steps) {
    let r: { observations: Record<number, { actions: string[] }>; actors: number[] } = await env!.reset({ seed: game++ });
    while (r.actors.length > 0 && rtts.length < steps) {
      const seat = r.actors[0] as number;
      const action = rng.pick(r.observations[seat]!.actions);
      const t0 = performance.now();
      r = await env!.step({ [seat]: action });
      rtts.push((performance.now() - t0) * 1000);
    }
  }
  await env!.close();
  return rtts;
}

/** One connection holding both seats: time from seat.act to the other seat's seat.turn. */
async function pushedTurn(client: RemoteEnvClient, steps: number): Promise<number[]> {
  const rng = new Rng('bench-seats:push');
  const game = await client.openGame(ENV, { turnTimeoutMs: 0 });
  const seats = [await client.claimSeat(game.session, 0), await client.claimSeat(game.session, 1)];
  const rtts: number[] = [];
  let g = 0;
  while (rtts.length < steps) {
    const started = await game.reset({ seed: g++ });
    let actor = started.game.actors[0] as number;
    let ev: SeatEvent = await seats[actor]!.next();
    while (ev.kind === 'turn') {
      const t0 = performance.now();
      await seats[actor]!.act(rng.pick(ev.turn.observation.actions), ev.turn.turn);
      const other = 1 - actor;
      ev = await seats[other]!.next(); // the other seat's turn, or its game.over
      if (ev.kind === 'turn') {
        rtts.push((performance.now() - t0) * 1000);
        actor = ev.turn.seat;
      } else {
        await seats[actor]!.next(); // the acting seat's game.over
      }
    }
    await game.over();
  }
  await game.close();
  return rtts;
}

/** N games at once, each seat on its own connection, random play until the deadline. */
async function concurrent(games: number, seconds: number): Promise<{ games: number; errors: number; connections: number; seconds: number }> {
  const deadline = Date.now() + seconds * 1000;
  let finished = 0;
  let errors = 0;
  const clients: RemoteEnvClient[] = [];
  const tables = await Promise.all(
    Array.from({ length: games }, async (_, i) => {
      const a = await RemoteEnvClient.connect(url);
      const b = await RemoteEnvClient.connect(url);
      clients.push(a, b);
      const game = await a.openGame(ENV, { turnTimeoutMs: 30_000 });
      return { i, game, seats: [await a.claimSeat(game.session, 0), await b.claimSeat(game.session, 1)] };
    }),
  );
  const t0 = performance.now();
  await Promise.all(
    tables.map(async ({ i, game, seats }) => {
      for (let round = 0; Date.now() < deadline; round++) {
        try {
          const players = seats.map((seat, s) => playSeat(seat, new RandomAgent(`${i}:${round}:${s}`)));
          await game.reset({ seed: i * 100_000 + round });
          const overs = await Promise.all(players);
          await game.over();
          if (!overs.every((o) => o.terminated)) errors += 1;
          finished += 1;
        } catch (err) {
          errors += 1;
          console.error(`game ${i}: ${(err as Error).message}`);
          return;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  return { games: finished, errors, connections: clients.length, seconds: elapsed };
}

const client = await RemoteEnvClient.connect(url);
await stepRtt(client, 300); // warm-up
await pushedTurn(client, 300);
const step = await stepRtt(client, STEPS);
const push = await pushedTurn(client, STEPS);
await client.close();
const rssBefore = rssMiB();
const run = await concurrent(GAMES, SECONDS);
const rssAfter = rssMiB();
server.process.kill('SIGTERM');

const ratio = quantile(push, 0.5) / quantile(step, 0.5);
console.log(`bench-seats: ${ENV}, node ${process.version}, server in a child process\n`);
console.log('| measure | p50 µs | p99 µs | samples |');
console.log('|---|---|---|---|');
console.log(`| session.step RTT (opener steps the game) | ${quantile(step, 0.5).toFixed(0)} | ${quantile(step, 0.99).toFixed(0)} | ${step.length} |`);
console.log(`| pushed turn (seat.act → next seat.turn) | ${quantile(push, 0.5).toFixed(0)} | ${quantile(push, 0.99).toFixed(0)} | ${push.length} |`);
console.log(`\npushed turn / step RTT (p50): ${ratio.toFixed(2)}× (target ≤ ${RTT_TARGET}×) ${ratio <= RTT_TARGET ? 'met' : 'NOT met'}\n`);
console.log('| concurrent games | connections | seconds | games | games/s | errors | server RSS before → after (MiB) |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${GAMES} | ${run.connections} | ${run.seconds.toFixed(1)} | ${run.games} | ${(run.games / run.seconds).toFixed(0)} | ${run.errors} | ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} |`);
process.exit(run.errors === 0 ? 0 : 1);
