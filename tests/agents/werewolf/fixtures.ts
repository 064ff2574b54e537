/** Observations of a scripted werewolf game, for the agent-side tests. */
import { WerewolfSession } from '../../../envs/werewolf/session.js';
import type { MultiAgentResetResult, MultiAgentStepResult, Observation } from '../../../envs/core/types.js';

export type Result = MultiAgentResetResult | MultiAgentStepResult;

/**
 * Task valid/0 reset with seed 1, then steps chosen by `pick` (default: the first admissible
 * action; speeches from `speech`). Returns every result.
 */
export function scriptedGame(
  steps: number,
  speech: (seat: number, round: number) => string = () => 'I am a villager.',
  pick: (obs: Observation, seat: number) => string = (obs) => obs.actions[0]!,
): { session: WerewolfSession; results: Result[] } {
  const session = new WerewolfSession();
  const results: Result[] = [session.reset({ seed: 1, task: { split: 'valid', index: 0 } })];
  for (let i = 0; i < steps; i++) {
    const last = results.at(-1)!;
    if (last.actors.length === 0) break;
    const actions: Record<number, string> = {};
    for (const s of last.actors) {
      const obs = last.observations[s]!;
      actions[s] = obs.actions[0] === 'say[<speech>]' ? `say[${speech(s, session.state!.round)}]` : pick(obs, s);
    }
    results.push(session.step(actions));
  }
  return { session, results };
}
