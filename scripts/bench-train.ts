/**
 * `npm run bench:train`: the trainer's hot paths, each against a baseline measured in the same run.
 *   1. GiGPO advantages for 6,400 rows (vs GRPO)               scripts/bench-advantages.ts
 *   2. policy update rows/s on wasm (vs the cpu backend)       scripts/bench-policy.ts
 *   3. rollout steps/s with the policy (vs a random chooser)    scripts/bench-rollout.ts
 *   4. store write per iteration, 6,400 steps (vs raw inserts)  scripts/bench-store.ts
 * Each part runs in its own process (a fresh heap and tfjs backend), one after another.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const PARTS = ['bench-advantages.ts', 'bench-policy.ts', 'bench-rollout.ts', 'bench-store.ts'];
const tsx = path.join(import.meta.dirname, '../node_modules/.bin/tsx');
let failed = 0;
for (const part of PARTS) {
  console.log(`\n## ${part}\n`);
  const res = spawnSync(tsx, [path.join(import.meta.dirname, part)], { stdio: 'inherit' });
  if (res.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
