/**
 * `ludus inspect [episode-id] [--db]`: an episode's step timeline in the terminal; without an id,
 * the most recent episodes.
 */
import type { Command } from 'commander';
import { formatEpisodeList, formatTimeline } from '../../replay/inspect.js';
import { StoreError } from '../../replay/errors.js';
import { DEFAULT_STORE_PATH, openStore } from '../../replay/store.js';
import type { AnchorGroupMember, EpisodeFilter } from '../../replay/types.js';
import { ViewerQueries } from '../../replay/viewer/queries.js';
import { parseInteger } from '../errors.js';

interface InspectOptions {
  db: string;
  run?: string;
  limit: string;
  candidates: string;
  json?: boolean;
}

export function registerInspectCommand(program: Command, out: (line: string) => void): void {
  program
    .command('inspect')
    .description('show an episode step by step in the terminal (without an id: list recent episodes)')
    .argument('[episode-id]', 'episode to show')
    .option('--db <file>', 'SQLite run store', DEFAULT_STORE_PATH)
    .option('--run <id>', 'list episodes of this run only')
    .option('--limit <n>', 'episodes to list', '20')
    .option('--candidates <n>', 'candidate actions shown per step, most probable first', '10')
    .option('--json', 'print the episode (or list) as JSON')
    .action((id: string | undefined, opts: InspectOptions) => {
      const store = openStore(opts.db, { readonly: true });
      try {
        if (id === undefined) {
          const filter: EpisodeFilter = opts.run === undefined ? {} : { runId: parseInteger('--run', opts.run, 1) };
          const { episodes } = store.listEpisodes(filter, { limit: Math.min(1000, parseInteger('--limit', opts.limit, 1)), order: 'desc' });
          if (opts.json) out(JSON.stringify(episodes, null, 2));
          else if (episodes.length === 0) out(`no episodes in ${opts.db}`);
          else for (const line of formatEpisodeList(episodes)) out(line);
          return;
        }
        const episodeId = parseInteger('episode-id', id, 1);
        const episode = store.getEpisode(episodeId);
        if (!episode) throw new StoreError('STORE_NOT_FOUND', `There is no episode ${episodeId} in ${opts.db}. Run \`ludus inspect --db ${opts.db}\` to list them.`);
        if (opts.json) {
          out(JSON.stringify(episode, null, 2));
          return;
        }
        const anchors = new Map<number, AnchorGroupMember[]>();
        if (episode.iteration !== null && episode.groupId !== null) {
          const rows = new ViewerQueries(store.db).groupSteps(episode.runId, episode.iteration, episode.groupId);
          for (const step of episode.steps) {
            if (step.anchorGroup !== null) anchors.set(step.t, rows.filter((r) => r.anchorGroup === step.anchorGroup));
          }
        }
        for (const line of formatTimeline(episode, { anchors, maxCandidates: parseInteger('--candidates', opts.candidates, 0) })) out(line);
      } finally {
        store.close();
      }
    });
}
