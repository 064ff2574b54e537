import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/helpers.js';

const BIN = path.join(import.meta.dirname, '../../../bin/ludus.js');
const work = mkdtempSync(path.join(tmpdir(), 'ludus-shop-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ludus shop', () => {
  it('build --products N --out file writes a catalog', async () => {
    const out = path.join(work, 'c.db');
    const run = await runCli(['shop', 'build', '--products', '300', '--out', out, '--seed', '2']);
    expect(run.exitCode).toBe(0);
    expect(run.out[0]).toMatch(/^built 300 products \(seed 2\) in \d+\.\d s: /);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses bad sizes and non-loopback hosts with a usage error', async () => {
    expect((await runCli(['shop', 'build', '--products', 'many'])).exitCode).toBe(2);
    expect((await runCli(['shop', 'serve', '--host', '0.0.0.0', '--products', '1000'])).exitCode).toBe(2);
  });

  it('serve prints its URL and serves the shop on 127.0.0.1', async () => {
    const child = spawn(process.execPath, [BIN, 'shop', 'serve', '--port', '0', '--products', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let buffer = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(buffer);
          if (m) resolve(m[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const page = await fetch(`${url}/test-0`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="search_input"');
      expect((await fetch(`${url}/test-0/item/B000000000`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
