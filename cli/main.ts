/**
 * The `ludus` command: envs, serve, serve-policy, play, check, train, lspo, eval, shop, replay, inspect, runs, export, league, rollout, advantages.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { registerBuiltinEnvs } from '../envs/builtin.js';
import { registerCheckCommand } from './commands/check.js';
import { registerEnvsCommand } from './commands/envs.js';
import { registerPlayCommand } from './commands/play.js';
import { registerServeCommand } from './commands/serve.js';
import { registerServePolicyCommand } from './commands/serve-policy.js';
import { registerTrainCommand } from './commands/train.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerShopCommand } from './commands/shop.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerExportCommand } from './commands/export.js';
import { registerLspoCommand } from './commands/lspo.js';
import { registerRunsCommand } from './commands/runs.js';
import { registerLeagueCommand } from './commands/league.js';
import { registerRolloutCommand } from './commands/rollout.js';
import { registerAdvantagesCommand } from './commands/advantages.js';
import { registerBenchDataCommand } from './commands/bench-data.js';
import { exitCodeFor, formatError } from './errors.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: () => NodeJS.ReadableStream;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: () => process.stdin,
};

export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command('ludus')
    .description('ludus: agentic-environment gym and multi-turn RL trainer')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerEnvsCommand(program, io.out);
  registerServeCommand(program, io.out);
  registerServePolicyCommand(program, io.out);
  registerPlayCommand(program, io.out, io.stdin);
  registerCheckCommand(program, io.out);
  registerTrainCommand(program, io.out, io.err);
  registerEvalCommand(program, io.out);
  registerShopCommand(program, io.out);
  registerReplayCommand(program, io.out, io.err);
  registerInspectCommand(program, io.out);
  registerRunsCommand(program, io.out);
  registerExportCommand(program, io.out, io.err);
  registerLspoCommand(program, io.out, io.err);
  registerLeagueCommand(program, io.out, io.err);
  registerRolloutCommand(program, io.out, io.err);
  registerAdvantagesCommand(program, io.out);
  registerBenchDataCommand(program, io.out);
  return program;
}

/** `ludus inspect | head`: the reader went away; stop without a stack trace. */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** Runs the CLI; sets process.exitCode instead of exiting so servers can keep running. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<void> {
  registerBuiltinEnvs();
  if (io === defaultIo) exitQuietlyOnClosedPipe();
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode !== 0) process.exitCode = 2;
      return;
    }
    io.err(formatError(err));
    process.exitCode = exitCodeFor(err);
  }
}
