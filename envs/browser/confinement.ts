/**
 * Confinement: a session's pages live on one private origin that exists only inside the browser
 * (`https://browser-v1.ludus.invalid`; `.invalid` never resolves anywhere, RFC 2606). Every
 * request to it is answered from memory by the task; every other request — another localhost
 * port, any outside address, by navigation, fetch, XHR, image, script, iframe, WebSocket, beacon or
 * event source — is stopped and counted here, by kind. A navigation away is answered with
 * `204 No Content`, which leaves the page where it was; everything else is aborted. Service and
 * web workers, WebRTC and WebTransport are refused by the page script (page-script.ts) and counted
 * the same way. Pure: the session (session.ts) wires these into Playwright.
 * @module
 */

export const PRIVATE_ORIGIN = 'https://browser-v1.ludus.invalid';

export const BLOCKED_KINDS = [
  'navigation',
  'iframe',
  'fetch',
  'xhr',
  'image',
  'script',
  'stylesheet',
  'font',
  'media',
  'websocket',
  'eventsource',
  'beacon',
  'serviceworker',
  'worker',
  'webrtc',
  'other',
] as const;
export type BlockedKind = (typeof BLOCKED_KINDS)[number];

/** Counts of blocked attempts in an episode, by kind, plus the total. Plain JSON for `info`. */
export type BlockedCounts = { total: number } & Partial<Record<BlockedKind, number>>;

export function isPrivateUrl(url: string): boolean {
  try {
    return new URL(url).origin === PRIVATE_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * The kind of a request Playwright's router saw. `resourceType` is Playwright's
 * (`document`, `fetch`, `xhr`, `image`, `ping`, ...); `isNavigation` and `mainFrame` say whether
 * a top-level page (or a popup) would have been replaced.
 */
export function requestKind(resourceType: string, isNavigation: boolean, mainFrame: boolean): BlockedKind {
  if (isNavigation || resourceType === 'document') return mainFrame ? 'navigation' : 'iframe';
  switch (resourceType) {
    case 'fetch':
    case 'xhr':
    case 'image':
    case 'script':
    case 'stylesheet':
    case 'font':
    case 'media':
    case 'websocket':
    case 'eventsource':
      return resourceType;
    case 'ping':
      return 'beacon';
    case 'texttrack':
      return 'media';
    default:
      return 'other';
  }
}

/** Kinds the page script reports ('serviceworker', 'worker', 'webrtc', ...) as BlockedKind. */
export function pageBlockedKind(kind: string): BlockedKind {
  return (BLOCKED_KINDS as readonly string[]).includes(kind) ? (kind as BlockedKind) : 'other';
}

export function emptyCounts(): BlockedCounts {
  return { total: 0 };
}

export function addBlocked(counts: BlockedCounts, kind: BlockedKind, n = 1): BlockedCounts {
  return { ...counts, total: counts.total + n, [kind]: (counts[kind] ?? 0) + n };
}

/** A short, safe description of a blocked URL for notices (scheme, host, port, a bit of the path). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 40 ? `${u.pathname.slice(0, 39)}…` : u.pathname;
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return url.length > 60 ? `${url.slice(0, 59)}…` : url;
  }
}
