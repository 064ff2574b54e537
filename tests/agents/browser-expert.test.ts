/**
 * The browser-v1 expert solves every task through the same tree and calls an agent has, and its
 * actions are admissible candidates (so its episodes are SFT demonstrations). One test seed per
 * task here; `npm run bench:browser -- --expert` measures it on every test seed (docs/browser.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { BrowserExpert, pageView, treeText } from '../../agents/browser-expert.js';
import { ExpertAgent } from '../../agents/experts.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { runEpisode } from '../../agents/run-episode.js';
import { sharedBrowser } from '../../envs/browser/chromium.js';
import { DEFAULT_TASK_NAMES } from '../../envs/browser/tasks/index.js';
import { make } from '../../envs/core/registry.js';

const env = make('browser-v1');
afterAll(async () => {
  await env.close();
  await sharedBrowser.close();
});

describe('browser-v1 expert', () => {
  it('solves a test instance of every task, with admissible actions only', async () => {
    const failures: string[] = [];
    for (const [k, task] of DEFAULT_TASK_NAMES.entries()) {
      const id = `${task}/test/${String(k % 50).padStart(5, '0')}`;
      const ep = await runEpisode(env, new ExpertAgent('browser-v1'), { reset: { task: id, seed: k } });
      if (!ep.success) failures.push(`${id}: return ${ep.return}, ${ep.steps.length} steps, last ${ep.steps.at(-1)?.decision.action}`);
      for (const s of ep.steps) {
        if (!s.candidates.includes(s.decision.action)) failures.push(`${id}: '${s.decision.action}' is not a candidate`);
        if (s.result.info.invalid) failures.push(`${id}: '${s.decision.action}' was invalid: ${s.result.info.invalid.message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('beats the random agent by far on the same instances', async () => {
    let random = 0;
    const sample = DEFAULT_TASK_NAMES.filter((_, k) => k % 5 === 0);
    for (const [k, task] of sample.entries()) {
      const ep = await runEpisode(env, new RandomAgent(k), { reset: { task: `${task}/test/00001`, seed: 1 }, maxSteps: 15 });
      random += ep.success ? 1 : 0;
    }
    expect(random).toBeLessThan(sample.length / 2);
  }, 60_000);

  it('waits (noop) when the task is unknown to it, and reads the tree from the text when axtree is absent', async () => {
    const planner = new BrowserExpert();
    planner.reset({ text: '', actions: ['noop()'], anchor: '' }, { rewardComponents: {}, stateKey: 'x', task: { id: 'x', split: 'train', index: 0, type: 'nope' } });
    expect(planner.act({ text: '', actions: ['noop()'], anchor: '' })).toBe('noop()');
    const obs = { text: "url: /\nfocused: none\n\nRootWebArea 't'\n\t[3] button 'OK', clickable", actions: [], anchor: '', url: '/' };
    expect(treeText(obs)).toBe("RootWebArea 't'\n\t[3] button 'OK', clickable");
    expect(pageView(obs).nodes[1]).toMatchObject({ id: 3, role: 'button', name: 'OK', clickable: true });
  });
});
