/**
 * Summarizes `.cpuprofile` files (written by `node --cpu-prof`): the functions with the most self
 * time, as a share of the profile's samples, and the share spent idle, in GC and in the program.
 *
 *   npx tsx scripts/cpu-profile-summary.ts PROFILE.cpuprofile [--top 15]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** Self samples per function (name + file:line), largest first. */
export function selfTimes(profile: Profile): { name: string; share: number }[] {
  const byNode = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byNode.set(n.id, n);
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byNode.get(id);
    if (node === undefined) continue;
    const f = node.callFrame;
    const where = f.url === '' ? '' : ` ${path.basename(f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
    const name = `${f.functionName || '(anonymous)'}${where}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts].map(([name, c]) => ({ name, share: c / total })).sort((a, b) => b.share - a.share);
}

const file = process.argv[2];
if (file !== undefined) {
  const i = process.argv.indexOf('--top');
  const top = i >= 0 ? Number(process.argv[i + 1]) : 15;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const rows = selfTimes(profile);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`${path.basename(file)}: ${seconds.toFixed(1)} s, ${profile.samples.length} samples`);
  for (const r of rows.slice(0, top)) console.log(`${(r.share * 100).toFixed(1).padStart(5)}%  ${r.name}`);
}
