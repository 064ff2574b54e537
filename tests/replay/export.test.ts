import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { episodeToChat, exportJsonl, type ExportedEpisode } from '../../replay/export.js';
import { openStore } from '../../replay/store.js';
import { runCli } from '../cli/helpers.js';
import { buildFixture, HOSTILE_SCRIPT, type Fixture } from './viewer/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture();
});

function exportAll(filter = {}): ExportedEpisode[] {
  const store = openStore(fx.db, { readonly: true });
  try {
    const lines: string[] = [];
    exportJsonl(store, (l) => lines.push(l), { filter });
    return lines.map((l) => JSON.parse(l) as ExportedEpisode);
  } finally {
    store.close();
  }
}

describe('export --format jsonl', () => {
  it('writes one chat record per episode with loss masks and per-turn advantages', () => {
    const records = exportAll({ runId: fx.gigpoRun });
    expect(records).toHaveLength(18);
    expect(records.map((r) => r.episode_id)).toEqual(fx.gigpoEpisodes);
    const store = openStore(fx.db, { readonly: true });
    try {
      for (const r of records) {
        const episode = store.getEpisode(r.episode_id)!;
        expect(r).toMatchObject({ format: 'ludus-chat', version: 1, run_id: fx.gigpoRun, algo: 'gigpo', env_id: 'household-v1', split: 'train', num_steps: episode.length });
        const [system, ...turns] = r.messages;
        expect(system).toMatchObject({ role: 'system', loss_mask: 0 });
        expect(system!.content).toContain(`Your task: ${episode.goal}`);
        expect(turns).toHaveLength(2 * episode.length);
        episode.steps.forEach((s, i) => {
          const user = turns[2 * i]!;
          const assistant = turns[2 * i + 1]!;
          expect(user).toMatchObject({ role: 'user', loss_mask: 0, step: s.t });
          expect(user.content.startsWith(s.observation.text)).toBe(true);
          expect(user.content).toContain(`Admissible actions:\n${s.candidates.join('\n')}`);
          expect(assistant).toEqual({
            role: 'assistant',
            content: s.action,
            loss_mask: 1,
            step: s.t,
            reward: s.reward,
            advantage: s.advantage,
            episode_advantage: s.episodeAdvantage,
            step_advantage: s.stepAdvantage,
            logp: s.logp,
            invalid: null,
          });
        });
        expect(turns.filter((m) => m.role === 'assistant').reduce((sum, m) => sum + (m.reward ?? 0), 0)).toBeCloseTo(r.return, 9);
      }
    } finally {
      store.close();
    }
  });

  it('filters by split and keeps hostile text as data', () => {
    expect(exportAll({ split: 'valid_unseen' })).toEqual([]);
    const [hostile] = exportAll({ runId: fx.playRun });
    expect(hostile!.messages[1]!.content).toContain(HOSTILE_SCRIPT);
    expect(hostile!.messages[2]).toMatchObject({ role: 'assistant', invalid: 'UNKNOWN_VERB', advantage: null });
    expect(hostile!.seat).toBe(1);
  });

  it('can leave the action list out of the user turns', () => {
    const store = openStore(fx.db, { readonly: true });
    try {
      const chat = episodeToChat(store.getEpisode(fx.gigpoEpisodes[0]!)!, null, false);
      expect(chat.messages[1]!.content).not.toContain('Admissible actions');
      expect(chat.run_name).toBeNull();
    } finally {
      store.close();
    }
  });

  it('runs from the CLI to a file or standard output', async () => {
    const out = join(fx.db, '..', 'export.jsonl');
    const run = await runCli(['export', '--format', 'jsonl', '--db', fx.db, '--run', String(fx.gigpoRun), '--split', 'train', '--out', out]);
    expect(run.exitCode).toBe(0);
    expect(run.err).toEqual(['exported 18 episodes to ' + out]);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(18);
    expect(JSON.parse(lines[0]!).episode_id).toBe(fx.gigpoEpisodes[0]);
    const stdout = await runCli(['export', '--db', fx.db, '--iteration', '1', '--limit', '2']);
    expect(stdout.out).toHaveLength(2);
    expect(JSON.parse(stdout.out[0]!).iteration).toBe(1);
    const bad = await runCli(['export', '--format', 'csv', '--db', fx.db]);
    expect(bad.exitCode).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--format must be jsonl/);
  });
});
