/** `ludus serve` on SIGTERM: drains (open sessions go on, new ones refused), exits 0 once they close; a second signal exits at once. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { RemoteEnvClient } from '../../envs/client/remote-env-client.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ludus.js');

function serve(args: string[] = []): Promise<{ child: ChildProcess; url: string; exited: Promise<number | string | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string, exited });
    });
    void exited.then((c) => reject(new Error(`ludus serve exited (${c})`)));
  });
}

describe('ludus serve and SIGTERM', () => {
  it('drains: the open session goes on, new sessions and connections are refused, it exits 0 once the session closes', async () => {
    const { child, url, exited } = await serve();
    const client = await RemoteEnvClient.connect(url);
    const [env] = await client.open('household-v1', { difficulty: 'easy' }, 1);
    const reset = await env!.reset({ seed: 1 });
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const health = await fetch(url.replace('ws://', 'http://') + '/healthz');
    expect(health.status).toBe(503);
    await expect(client.open('household-v1', {}, 1)).rejects.toMatchObject({ code: 'SERVER_DRAINING' });
    await expect(RemoteEnvClient.connect(url)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(env!.step(reset.observation.actions[0]!)).resolves.toMatchObject({ terminated: false });
    expect(child.exitCode).toBeNull();
    await env!.close();
    expect(await exited).toBe(0);
    await client.close();
  }, 30_000);

  it('a second signal exits at once; --drain-timeout bounds the wait', async () => {
    const first = await serve();
    const c1 = await RemoteEnvClient.connect(first.url);
    await c1.open('household-v1', {}, 1);
    first.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await c1.close();

    const second = await serve(['--drain-timeout', '300']);
    const c2 = await RemoteEnvClient.connect(second.url);
    await c2.open('household-v1', {}, 1);
    const t0 = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    await c2.close();
  }, 30_000);
});
