/**
 * `ludus play <env> [--task] [--seed] [--db]`: a person (or a script) plays in the terminal.
 * One action per line on standard input; `quit` or end of input stops.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { make } from '../../envs/core/registry.js';
import type { ResetResult, StepResult } from '../../envs/core/types.js';
import { parseInteger, parseKeyValues } from '../errors.js';
import { parseTaskRef } from '../task-ref.js';
import { recordPlayedEpisode, type PlayedStep } from '../play-recording.js';

interface PlayOptions {
  task?: string;
  seed: string;
  db?: string;
  option?: string[];
  json?: boolean;
  actions?: boolean;
}

const MAX_LISTED_ACTIONS = 40;

export function registerPlayCommand(program: Command, out: (line: string) => void, input: () => NodeJS.ReadableStream): void {
  program
    .command('play')
    .description('play an env in the terminal: one action per line on stdin, `quit` to stop')
    .argument('<env>', 'env id, e.g. household-v1')
    .option('--task <ref>', 'task as split:index (e.g. valid_unseen:3) or a task id')
    .option('--seed <n>', 'seed', '0')
    .option('--db <file>', 'record the episode in this SQLite store')
    .option('--option <key=value...>', 'env options (values parsed as JSON when they can be)')
    .option('--json', 'print one JSON object per reset/step instead of text')
    .option('--no-actions', 'do not print the admissible actions')
    .action(async (envId: string, opts: PlayOptions) => {
      const seed = parseInteger('--seed', opts.seed, 0);
      const task = parseTaskRef(opts.task);
      const env = make(envId, parseKeyValues(opts.option));
      const steps: PlayedStep[] = [];
      let reset: ResetResult;
      let last: ResetResult | StepResult;
      try {
        reset = await env.reset({ seed, ...(task === undefined ? {} : { task }) });
        last = reset;
        show(out, opts, 'reset', reset);
        const lines = createInterface({ input: input(), terminal: false, crlfDelay: Infinity });
        for await (const raw of lines) {
          const action = raw.trim();
          if (action === 'quit' || action === 'exit') break;
          const step = await env.step(action);
          steps.push({ action, result: step });
          last = step;
          show(out, opts, 'step', step, action);
          if (step.terminated || step.truncated) break;
        }
        lines.close();
      } finally {
        await env.close();
      }
      const ret = steps.reduce((s, x) => s + x.result.reward, 0);
      const done = 'terminated' in last && (last.terminated || last.truncated);
      if (!opts.json) out(`episode ${done ? 'over' : 'stopped'}: ${steps.length} steps, return ${round(ret)}, success ${Boolean(last.info.success)}`);
      if (opts.db) {
        const id = recordPlayedEpisode(opts.db, { envId, seed, options: parseKeyValues(opts.option), reset, steps });
        if (!opts.json) out(`recorded episode ${id} in ${opts.db}`);
      }
    });
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function show(out: (line: string) => void, opts: PlayOptions, kind: 'reset' | 'step', r: ResetResult | StepResult, action?: string): void {
  if (opts.json) {
    out(JSON.stringify({ type: kind, ...(action === undefined ? {} : { action }), ...r }));
    return;
  }
  if (kind === 'step' && 'reward' in r) {
    const flags = [r.terminated ? 'terminated' : '', r.truncated ? 'truncated' : ''].filter(Boolean).join(' ');
    out(`> ${action}`);
    out(r.observation.text);
    if (r.info.invalid) {
      const s = r.info.invalid.suggestions;
      out(`  [invalid ${r.info.invalid.code}] ${r.info.invalid.message}${s.length ? ` — did you mean: ${s.join(' | ')}` : ''}`);
    }
    out(`  reward ${round(r.reward)}${flags ? ` (${flags})` : ''}`);
  } else {
    out(r.observation.text);
  }
  if (opts.actions !== false && r.observation.actions.length > 0 && !('terminated' in r && (r.terminated || r.truncated))) {
    const shown = r.observation.actions.slice(0, MAX_LISTED_ACTIONS);
    const more = r.observation.actions.length - shown.length;
    out(`  actions: ${shown.join(' | ')}${more > 0 ? ` … (+${more})` : ''}`);
  }
}
