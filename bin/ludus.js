#!/usr/bin/env node
// The `ludus` command. The sources are TypeScript; tsx loads them without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
// Every command has finished here (servers resolve only once closed). Anything still open now is
// a leak; a script must not hang on it, so exit anyway after a short grace and say so.
setTimeout(() => {
  process.stderr.write('ludus: the command finished but handles were still open 2 s later; exiting.\n');
  process.exit();
}, 2000).unref();
