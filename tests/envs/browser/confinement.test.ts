import { describe, expect, it } from 'vitest';
import { addBlocked, describeUrl, emptyCounts, isPrivateUrl, pageBlockedKind, PRIVATE_ORIGIN, requestKind } from '../../../envs/browser/confinement.js';

describe('confinement rules (pure)', () => {
  it('only the exact private origin is served', () => {
    expect(isPrivateUrl(`${PRIVATE_ORIGIN}/x?y=1`)).toBe(true);
    expect(isPrivateUrl('http://browser-v1.ludus.invalid/')).toBe(false);
    expect(isPrivateUrl('https://browser-v1.ludus.invalid:8443/')).toBe(false);
    expect(isPrivateUrl('https://evil.browser-v1.ludus.invalid/')).toBe(false);
    expect(isPrivateUrl('http://127.0.0.1:8080/')).toBe(false);
    expect(isPrivateUrl('not a url')).toBe(false);
  });

  it('classifies requests by how they were made', () => {
    expect(requestKind('document', true, true)).toBe('navigation');
    expect(requestKind('document', true, false)).toBe('iframe');
    expect(requestKind('fetch', false, true)).toBe('fetch');
    expect(requestKind('xhr', false, true)).toBe('xhr');
    expect(requestKind('image', false, false)).toBe('image');
    expect(requestKind('ping', false, true)).toBe('beacon');
    expect(requestKind('websocket', false, true)).toBe('websocket');
    expect(requestKind('manifest', false, true)).toBe('other');
    expect(pageBlockedKind('serviceworker')).toBe('serviceworker');
    expect(pageBlockedKind('weird')).toBe('other');
  });

  it('counts by kind with a total', () => {
    let c = emptyCounts();
    c = addBlocked(c, 'fetch');
    c = addBlocked(c, 'fetch');
    c = addBlocked(c, 'image');
    expect(c).toEqual({ total: 3, fetch: 2, image: 1 });
  });

  it('describes a URL briefly', () => {
    expect(describeUrl('http://127.0.0.1:4000/a/b?secret=1')).toBe('http://127.0.0.1:4000/a/b');
    expect(describeUrl(`https://x.invalid/${'p'.repeat(100)}`)).toMatch(/…$/);
  });
});
