/** The viewer refuses a non-loopback bind without a token, and with one, every request must carry it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LudusError, OptionsError } from '../../../envs/core/errors.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { checkViewerBind, VIEWER_TOKEN_COOKIE } from '../../../replay/viewer/viewer-auth.js';
import { buildFixture, type Fixture } from './fixture.js';

let fx: Fixture;
let viewer: Viewer;
const TOKEN = 's3cret-viewer';

beforeAll(async () => {
  fx = await buildFixture();
  // All interfaces: allowed because a token is given; reached here over loopback.
  viewer = await startViewer({ db: fx.db, port: 0, host: '0.0.0.0', token: TOKEN });
});
afterAll(async () => {
  await viewer?.close();
});

const local = (path: string) => viewer.url.replace('0.0.0.0', '127.0.0.1') + path;

describe('viewer token', () => {
  it('refuses a non-loopback host without a token, with a typed error', async () => {
    for (const host of ['0.0.0.0', '192.168.1.5', '::']) {
      const err = (await startViewer({ db: fx.db, port: 0, host }).catch((e: unknown) => e)) as LudusError;
      expect(err).toBeInstanceOf(OptionsError);
      expect(err.code).toBe('OPTIONS_INVALID');
      expect(err.message).toMatch(/non-loopback host .* without authentication: pass a token/);
    }
    expect(() => checkViewerBind('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkViewerBind('localhost', undefined)).not.toThrow();
    expect(() => checkViewerBind('0.0.0.0', '')).toThrow(OptionsError);
  });

  it('answers 401 without the token, and serves it with Bearer', async () => {
    const none = await fetch(local('/'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.text()).not.toContain('fixture-gigpo');
    expect((await fetch(local('/'), { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(local('/'), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('fixture-gigpo');
  });

  it('a ?token= visit sets an HttpOnly cookie and drops the token from the URL; the cookie then serves', async () => {
    const first = await fetch(local(`/runs?x=1&token=${TOKEN}`), { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/runs?x=1');
    const cookie = first.headers.get('set-cookie') as string;
    expect(cookie).toMatch(new RegExp(`^${VIEWER_TOKEN_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const next = await fetch(local('/'), { headers: { cookie: cookie.split(';')[0] as string } });
    expect(next.status).toBe(200);
    expect((await fetch(local('/?token=nope'), { redirect: 'manual' })).status).toBe(401);
  });
});
