/**
 * The `ludus` command: `envs`, `serve`, `play`, `check` (and the trainer's commands as they land).
 * @module
 */
import { Command, CommanderError } from 'commander';
import { registerBuiltinEnvs } from '../envs/builtin.js';
import { registerCheckCommand } from './commands/check.js';
import { registerEnvsCommand } from './commands/envs.js';
import { registerPlayCommand } from './commands/play.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTrainCommand } from './commands/train.js';
import { registerEvalCommand } from './commands/eval.js';
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
  registerPlayCommand(program, io.out, io.stdin);
  registerCheckCommand(program, io.out);
  registerTrainCommand(program, io.out, io.err);
  registerEvalCommand(program, io.out);
  return program;
}

/** Runs the CLI; sets process.exitCode instead of exiting so servers can keep running. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<void> {
  registerBuiltinEnvs();
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
