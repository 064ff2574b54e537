import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, HOSTILE_SCRIPT, type Fixture } from '../replay/viewer/fixture.js';
import { runCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/ludus.js');

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture();
});

describe('ludus replay', () => {
  it('serves the viewer from the bin on a free loopback port and stops on SIGTERM', async () => {
    const server = spawn(process.execPath, [BIN, 'replay', '--db', fx.db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
      const url = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(chunk.toString())?.[1];
      expect(url, stderr).toBeDefined();
      const res = await fetch(`${url}/runs/${fx.gigpoRun}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('fixture-gigpo');
    } finally {
      server.kill('SIGTERM');
      const [code] = await once(server, 'exit');
      expect(code).toBe(0);
    }
  });

  it('refuses a missing store and a bad port', async () => {
    const missing = await runCli(['replay', '--db', join(fx.db, '..', 'nope.db'), '--port', '0']);
    expect(missing.exitCode).toBe(1);
    expect(missing.err.join('\n')).toMatch(/Cannot open the store '.*nope\.db'/);
    const port = await runCli(['replay', '--db', fx.db, '--port', 'http']);
    expect(port.exitCode).toBe(2);
    expect(port.err.join('\n')).toMatch(/--port must be an integer/);
    const verify = await runCli(['replay', '--db', fx.db, '--verify', 'x']);
    expect(verify.exitCode).toBe(2);
  });
});

describe('ludus inspect', () => {
  it('lists recent episodes without an id', async () => {
    const run = await runCli(['inspect', '--db', fx.db, '--run', String(fx.gigpoRun), '--limit', '3']);
    expect(run.exitCode).toBe(0);
    expect(run.out[0]).toMatch(/^id\s+run\s+it\s+group\s+env\s+task\s+split\s+return\s+ok\s+steps\s+goal$/);
    expect(run.out.slice(1).map((l) => Number(l.split(/\s+/)[0]))).toEqual([18, 17, 16]);
  });

  it('prints the step timeline of an episode with probabilities, advantages and anchor groups', async () => {
    const id = fx.gigpoEpisodes[1]!;
    const run = await runCli(['inspect', String(id), '--db', fx.db, '--candidates', '3']);
    expect(run.exitCode).toBe(0);
    const text = run.out.join('\n');
    expect(text).toMatch(new RegExp(`^episode ${id} · run ${fx.gigpoRun} · iteration 0 · group i0g0 · traj i0g0/1`));
    expect(text.match(/^── t=\d+ /gm)).toHaveLength(10);
    expect(text).toMatch(/candidates \(\d+\), π\(a\|s\):\n {3}[▶ ] +\d+\.\d% /);
    expect(text).toMatch(/reward -?[\d.]+ · advantage -?[\d.]+ = episode -?[\d.]+ \+ step -?[\d.]+ · log π/);
    expect(text).toMatch(/anchor group 0: 2 other step\(s\): i0g0\/0@t0→/);
    expect(text).toMatch(/── final /);
  });

  it('keeps hostile text inert in the terminal and reports unknown ids', async () => {
    const run = await runCli(['inspect', String(fx.hostileEpisode), '--db', fx.db]);
    expect(run.exitCode).toBe(0);
    expect(run.out.join('\n')).toContain(HOSTILE_SCRIPT);
    expect(run.out.join('\n')).toMatch(/\[screenshot: \d+ base64 chars/);
    const missing = await runCli(['inspect', '424242', '--db', fx.db]);
    expect(missing.exitCode).toBe(1);
    expect(missing.err.join('\n')).toMatch(/There is no episode 424242/);
    const json = await runCli(['inspect', String(fx.gigpoEpisodes[0]), '--db', fx.db, '--json']);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ id: fx.gigpoEpisodes[0], length: 10 });
  });
});
