/**
 * A ludus env server for the Python client's tests: the built-in envs, the toy test env and game,
 * and deliberately broken variants (so the Python conformance checks are shown to fail where the
 * contract is broken). Prints `listening ws://HOST:PORT`; stops on SIGTERM or SIGINT.
 *
 *     node --import tsx tests/helpers/serve-test-envs.ts
 * @module
 */
import { z } from 'zod';
import '../../envs/builtin.js';
import { register } from '../../envs/core/registry.js';
import { EnvWrapper } from '../../envs/core/wrappers.js';
import type { Env, EnvState, StepResult } from '../../envs/core/types.js';
import { startServer } from '../../envs/server/env-server.js';
import { registerToyEnv, ToyGuessEnv } from './toy-env.js';
import { registerToyGame, ToyCountGame, type ToyGameBreakage } from './toy-game.js';

type Breakage = 'nondeterministic' | 'rejects-listed' | 'bad-restore' | 'throws-on-invalid';

/** The toy env with one rule of the contract broken. */
class BrokenGuess extends EnvWrapper {
  constructor(
    inner: Env,
    private readonly how: Breakage,
  ) {
    super(inner);
  }
  override async step(action: string): Promise<StepResult> {
    if (this.how === 'throws-on-invalid' && !action.startsWith('guess')) throw new Error('boom');
    const r = await this.inner.step(action);
    if (this.how === 'nondeterministic') r.observation.text += ` (${Math.random()})`;
    if (this.how === 'rejects-listed' && action === 'guess 3') r.info.invalid = { code: 'NOT_ADMISSIBLE', message: 'no', suggestions: [] };
    return r;
  }
  override async restore(state: EnvState): Promise<void> {
    if (this.how !== 'bad-restore') await this.inner.restore(state);
  }
}

registerToyEnv();
registerToyGame();
const guessOptions = z.object({ maxNumber: z.number().int().min(1).max(1000).default(9) }).strict();
for (const how of ['nondeterministic', 'rejects-listed', 'bad-restore', 'throws-on-invalid'] as const) {
  register({
    id: `broken-guess-${how}-v0`,
    description: `toy-guess-v0 that is ${how} (conformance test)`,
    kind: 'single',
    capabilities: { snapshot: 'native' },
    entryPoint: (o: { maxNumber: number }) => new BrokenGuess(new ToyGuessEnv(o), how),
    options: guessOptions,
    maxEpisodeSteps: 20,
    splits: { train: 10 },
  });
}
const countOptions = z.object({ seats: z.number().int().min(2).max(8).default(3), target: z.number().int().min(1).max(100).default(7) }).strict();
for (const how of ['leaks-secret', 'nondeterministic', 'no-actors'] as const satisfies readonly ToyGameBreakage[]) {
  register({
    id: `broken-count-${how}-v0`,
    kind: 'multi',
    description: `toy-count-v0 that ${how} (conformance test)`,
    seats: { count: 3, agents: ['random'] },
    capabilities: { snapshot: 'native' },
    entryPoint: (o: { seats: number; target: number }) => new ToyCountGame(o, how),
    options: countOptions,
    maxEpisodeSteps: 30,
    splits: { train: 10 },
  });
}

const server = await startServer({ port: Number(process.env.PORT ?? 0) });
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`listening ${server.url}\n`);
