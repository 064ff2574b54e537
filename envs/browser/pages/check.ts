/**
 * Checking a task-page directory for `ludus bench-data check`: each page is read (protocol.ts)
 * and then started once in Chromium (test instance 0) to see that its episode really starts and
 * says an utterance; a page that fails either way is listed with the reason.
 * @module
 */
import { BrowserEnv } from '../env.js';
import { pageSuite } from './suite.js';

export interface PageCheck {
  root: string;
  ok: { name: string; utterance: string }[];
  skipped: { file: string; reason: string }[];
}

export async function checkTaskPages(dir: string): Promise<PageCheck> {
  const suite = pageSuite(dir);
  const result: PageCheck = { root: suite.root, ok: [], skipped: [...suite.skipped] };
  if (Object.keys(suite.tasks).length === 0) return result;
  const env = new BrowserEnv({ tasks: { dir: suite.root } });
  try {
    for (const [name, task] of Object.entries(suite.tasks)) {
      try {
        const r = await env.reset({ task: `${name}/test/00000` });
        result.ok.push({ name, utterance: r.observation.goal ?? '' });
      } catch (err) {
        result.skipped.push({ file: task.description.replace(/^MiniWoB\+\+-style task page /, ''), reason: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    await env.close();
  }
  return result;
}
