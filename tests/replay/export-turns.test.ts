/**
 * The per-turn export on turns without a language-model record (a built-in agent's run): the prompt
 * is rendered in the LLM agent's format from the stored step, token fields are null and counted
 * missing; ARPO-replaced episodes are left out.
 */
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { renderPrompt } from '../../agents/llm/prompt.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { forEachTurn, turnRow, type Turn } from '../../replay/export-turns.js';
import { openStore } from '../../replay/store.js';
import { LocalEnvProvider } from '../../trainer/env-provider.js';
import { episodeRecord } from '../../trainer/records.js';
import { collectGroups } from '../../trainer/rollout.js';

describe('export --format trl|verl without language-model records', () => {
  it('renders the prompt from the step, leaves token fields null and says so', async () => {
    const provider = new LocalEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 4 });
    const { trajectories } = await collectGroups(provider, new RandomAgent(2), [{ groupId: 'g0', task: { split: 'train', index: 1 }, seed: 3 }], { groupSize: 2, historyLength: 8, retries: 0 });
    const store = openStore(':memory:');
    try {
      const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
      const ids = store.recordIteration(runId, 0, {}, trajectories.map((t) => episodeRecord('household-v1', t)));
      store.writeAdvantages(runId, 0, { algo: 'grpo', steps: [], replaced: [{ episodeId: ids[1]!, by: 'g0/replay1' }], added: [], metrics: {} });
      const turns: Turn[] = [];
      const summary = forEachTurn(store, 'verl', { filter: { runId }, history: 2 }, (t) => turns.push(t));
      expect(summary).toMatchObject({ episodes: 1, replacedEpisodes: 1, turns: 4, renderedPrompts: 4, missing: { prompt_ids: 4, completion_ids: 4, old_logprobs: 4, advantage: 4 } });
      const episode = store.getEpisode(ids[0]!)!;
      const s = episode.steps[3]!;
      const expected = renderPrompt({
        envId: 'household-v1',
        goal: s.observation.goal!,
        text: s.observation.text,
        history: episode.steps.slice(1, 3).map((p) => ({ observation: p.observation.text, action: p.action })),
        candidates: s.candidates,
      });
      expect(turns[3]!.prompt).toEqual(expected);
      const row = turnRow('verl', turns[3]!);
      expect(row).toMatchObject({ response_text: `Action: ${s.action}`, prompt_rendered: true, responses: null, old_log_probs: null, advantages: null, uid: `${runId}:0:g0`, done: true });
    } finally {
      store.close();
    }
  });
});
