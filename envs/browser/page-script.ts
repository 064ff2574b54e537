/**
 * The script browser-v1 installs in every document of a session (`context.addInitScript`), before
 * any page script runs. It is plain JavaScript in a string: the project compiles without the DOM
 * library, and a string cannot be rewritten by a TypeScript transpiler on its way into the page.
 *
 * It defines one frozen global, `__ludus`, with:
 *  - `observe(nextId)`: walks the DOM once and returns the page as compact nodes (see
 *    {@link RawNode}): the roles and names of what a person sees, with a stable integer id on
 *    every interactive element (stored in the element's `data-ludus-id` attribute, so it survives
 *    re-renders of its parents; new elements get `nextId`, `nextId + 1`, ...). It also returns the
 *    focused id, the task events emitted since the last call, the blocked attempts the page made
 *    and the scroll position. One round trip per observation.
 *  - the task runtime: a capture-phase listener that turns clicks on `[data-key]` elements into
 *    `{type: 'click', key}` events, clicks on `[data-submit]` elements into `{type: 'submit', form,
 *    values}` events (every named field of the form), focus on `[data-key]` into `{type: 'focus'}`;
 *    and `__ludus.emit(event)` for task pages with widgets of their own.
 *
 * Instrumentation, so every interactive element gets an id and the page stays deterministic:
 *  - `addEventListener` is wrapped to remember elements with click/mouse/pointer/key listeners;
 *  - `Math.random` is a seeded generator (seeded from the page URL);
 *  - `navigator.serviceWorker.register`, `Worker`, `SharedWorker`, `RTCPeerConnection` and
 *    `WebTransport` are refused and reported as blocked (confinement.ts);
 *  - new windows (`window.open`, `target=_blank` links and forms) are not opened but reported, as
 *    a popup blocker does (`window.open` returns null).
 *
 * Interactive: native controls (a[href], button, input except hidden, select, textarea, summary),
 * elements with an interactive ARIA role, an `onclick` attribute or a click listener, a
 * non-negative tabindex, contenteditable, or `cursor: pointer` where the parent has none.
 * Clickable: interactive, visible, enabled, and (when its centre is in the viewport) not covered
 * by another element there. Invisible subtrees (display none, visibility hidden, aria-hidden) are
 * left out of the tree.
 * @module
 */

/** One node of an observation, as the page script returns it (compact keys: it crosses CDP every step). */
export interface RawNode {
  /** Depth in the tree (0 = child of the root). */
  d: number;
  /** Role: an ARIA role, or 'StaticText' for text. */
  r: string;
  /** Accessible name (text for StaticText), whitespace collapsed, at most 200 characters. */
  n: string;
  /** The stable id, on interactive elements only. */
  id?: number;
  /** Value of a textbox, slider, spinbutton or combobox (passwords masked). */
  v?: string;
  /** Clickable now (visible, enabled, not covered). */
  c?: 1;
  /** Accepts text (a textbox that is neither disabled nor read-only). */
  e?: 1;
  /** A native <input type=date/time/...> (fill takes its ISO form). */
  t?: string;
  /** States: checked, expanded, selected, disabled, required, readonly, pressed, covered, haspopup, level. */
  p?: Record<string, string | number | boolean>;
}

export interface PageEvent {
  type: string;
  [key: string]: unknown;
}

export interface PageObservation {
  nodes: RawNode[];
  nextId: number;
  focused: number | null;
  events: PageEvent[];
  blocked: { kind: string; url: string }[];
  /** New windows the page asked for since the last observation (not opened: reported). */
  popups: { url: string }[];
  url: string;
  title: string;
  /** Scroll position and how far the page can scroll (CSS pixels). */
  scroll: { y: number; maxY: number };
}

/** The name of the page global. */
export const PAGE_GLOBAL = '__ludus';

export const PAGE_SCRIPT = String.raw`(() => {
  if (window.__ludus) return;
  const MAX_NAME = 200;
  const listened = new WeakSet();
  const LISTEN = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick', 'keydown', 'keyup', 'input', 'change']);
  const origAdd = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    if (LISTEN.has(type) && this instanceof Element) listened.add(this);
    return origAdd.call(this, type, fn, opts);
  };
  // Seeded Math.random (mulberry32 over a hash of the URL): pages that use it stay deterministic.
  let seed = 2166136261;
  for (const ch of String(location.href)) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  Math.random = function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const events = [];
  const blocked = [];
  // New windows (popups, new tabs) are not opened: the request is reported and the page goes on, as
  // under a popup blocker (window.open returns null). The env also closes any window that opens anyway.
  const popups = [];
  window.open = function (url) {
    let href = String(url === undefined ? '' : url);
    try { href = new URL(href, location.href).href; } catch (e) {}
    popups.push({ url: href.slice(0, 300) });
    return null;
  };
  const NEW_WINDOW = (t) => t !== '' && t !== '_self' && t !== '_parent' && t !== '_top';
  EventTarget.prototype.addEventListener.call(window, 'click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href][target], area[href][target]') : null;
    if (a && NEW_WINDOW(a.getAttribute('target'))) {
      e.preventDefault();
      popups.push({ url: String(a.href).slice(0, 300) });
    }
  }, true);
  EventTarget.prototype.addEventListener.call(window, 'submit', (e) => {
    const f = e.target;
    if (f instanceof HTMLFormElement && NEW_WINDOW(f.getAttribute('target') || '')) {
      e.preventDefault();
      popups.push({ url: String(f.action).slice(0, 300) });
    }
  }, true);
  try {
    if (navigator.serviceWorker) {
      const refuse = function (url) {
        blocked.push({ kind: 'serviceworker', url: String(url) });
        return Promise.reject(new DOMException('Service workers are blocked in browser-v1', 'SecurityError'));
      };
      Object.defineProperty(navigator.serviceWorker, 'register', { value: refuse, configurable: false, writable: false });
    }
  } catch (e) {}
  // Workers run scripts the page script cannot see into; WebRTC and WebTransport bypass HTTP routing.
  const refuseConstructor = function (name, kind) {
    try {
      if (typeof window[name] !== 'function') return;
      const Blocked = function (url) {
        blocked.push({ kind: kind, url: String(url === undefined ? name : url).slice(0, 300) });
        throw new DOMException(name + ' is blocked in browser-v1', 'SecurityError');
      };
      Object.defineProperty(window, name, { value: Blocked, configurable: false, writable: false });
    } catch (e) {}
  };
  refuseConstructor('Worker', 'worker');
  refuseConstructor('SharedWorker', 'worker');
  refuseConstructor('RTCPeerConnection', 'webrtc');
  refuseConstructor('webkitRTCPeerConnection', 'webrtc');
  refuseConstructor('WebTransport', 'other');

  const collapse = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
  const clip = (s) => (s.length > MAX_NAME ? s.slice(0, MAX_NAME - 1) + '…' : s);

  function fieldValues(root) {
    const values = {};
    if (!root) return values;
    for (const el of root.querySelectorAll('[name]')) {
      const name = el.getAttribute('name');
      const tag = el.tagName;
      if (tag === 'INPUT') {
        const type = (el.type || 'text').toLowerCase();
        if (type === 'checkbox') values[name] = el.checked;
        else if (type === 'radio') { if (el.checked) values[name] = el.value; else if (!(name in values)) values[name] = null; }
        else if (type !== 'submit' && type !== 'button' && type !== 'image' && type !== 'reset') values[name] = el.value;
      } else if (tag === 'SELECT' || tag === 'TEXTAREA') values[name] = el.value;
      else if (el.hasAttribute('data-value')) values[name] = el.getAttribute('data-value');
    }
    return values;
  }

  function emitFor(el, type) {
    if (!(el instanceof Element)) return;
    const keyed = el.closest('[data-key]');
    if (keyed) events.push({ type: type, key: keyed.getAttribute('data-key') });
    if (type === 'click') {
      const submit = el.closest('[data-submit]');
      if (submit) {
        const form = submit.getAttribute('data-submit');
        const root = document.querySelector('[data-form="' + CSS.escape(form) + '"]') || submit.closest('form') || document;
        events.push({ type: 'submit', form: form, values: fieldValues(root) });
      }
    }
  }
  origAdd.call(window, 'click', (e) => emitFor(e.target, 'click'), true);
  origAdd.call(window, 'focusin', (e) => emitFor(e.target, 'focus'), true);

  const ROLE_ATTR_INTERACTIVE = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'treeitem', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'slider', 'spinbutton', 'combobox', 'textbox', 'searchbox', 'gridcell']);
  const NAME_FROM_CONTENT = new Set(['button', 'link', 'tab', 'treeitem', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'heading', 'cell', 'columnheader', 'rowheader', 'gridcell', 'switch', 'checkbox', 'radio', 'tooltip', 'listitem', 'row']);
  const KEEP_ROLES = new Set(['heading', 'list', 'listitem', 'table', 'row', 'cell', 'columnheader', 'rowheader', 'img', 'dialog', 'alertdialog', 'alert', 'status', 'navigation', 'form', 'group', 'tablist', 'tabpanel', 'tree', 'menu', 'menubar', 'listbox', 'radiogroup', 'grid', 'progressbar', 'separator', 'article', 'region', 'banner', 'main', 'search', 'toolbar', 'complementary']);
  const TEXT_TYPES = new Set(['text', 'email', 'password', 'tel', 'url', '']);
  const DATE_TYPES = new Set(['date', 'time', 'datetime-local', 'month', 'week']);
  const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'META', 'LINK', 'TITLE']);

  function implicitRole(el) {
    const tag = el.tagName;
    switch (tag) {
      case 'A': return el.hasAttribute('href') ? 'link' : '';
      case 'BUTTON': return 'button';
      case 'SUMMARY': return 'button';
      case 'SELECT': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'TEXTAREA': return 'textbox';
      case 'INPUT': {
        const type = (el.getAttribute('type') || 'text').toLowerCase();
        if (type === 'hidden') return '';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return 'searchbox';
        if (type === 'submit' || type === 'button' || type === 'reset' || type === 'image') return 'button';
        return 'textbox';
      }
      case 'H1': case 'H2': case 'H3': case 'H4': case 'H5': case 'H6': return 'heading';
      case 'UL': case 'OL': return 'list';
      case 'LI': return 'listitem';
      case 'TABLE': return 'table';
      case 'TR': return 'row';
      case 'TD': return 'cell';
      case 'TH': return 'columnheader';
      case 'IMG': return el.getAttribute('alt') === '' ? '' : 'img';
      case 'NAV': return 'navigation';
      case 'MAIN': return 'main';
      case 'ARTICLE': return 'article';
      case 'ASIDE': return 'complementary';
      case 'SECTION': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : '';
      case 'DIALOG': return 'dialog';
      case 'FIELDSET': return 'group';
      case 'PROGRESS': return 'progressbar';
      case 'HR': return 'separator';
      case 'FORM': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'form' : '';
      default: return '';
    }
  }

  function roleOf(el) {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    if (explicit && explicit !== 'presentation' && explicit !== 'none' && explicit !== 'generic') return explicit;
    const implicit = implicitRole(el);
    if (implicit === '' && el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) return 'textbox';
    return implicit;
  }

  function textOf(el) {
    // Visible text of a subtree, whitespace collapsed (innerText respects CSS visibility).
    return collapse(el.innerText !== undefined ? el.innerText : el.textContent);
  }

  const CONTROL_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON']);
  // A label's text without the controls inside it (their values would make the name change with them).
  function labelText(label) {
    let out = '';
    for (const child of label.childNodes) {
      if (child.nodeType === 3) out += ' ' + child.data;
      else if (child.nodeType === 1 && !CONTROL_TAGS.has(child.tagName)) out += ' ' + (child.querySelector('input,select,textarea,button') ? labelText(child) : textOf(child));
    }
    return collapse(out);
  }

  function nameOf(el, role) {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const parts = labelledby.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(textOf);
      const s = collapse(parts.join(' '));
      if (s) return s;
    }
    const label = collapse(el.getAttribute('aria-label'));
    if (label) return label;
    const tag = el.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (tag === 'INPUT' && (type === 'submit' || type === 'button' || type === 'reset')) return collapse(el.value) || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : '');
      if (tag === 'INPUT' && type === 'image') return collapse(el.getAttribute('alt')) || 'Submit';
      if (el.labels && el.labels.length > 0) {
        const s = collapse(Array.from(el.labels).map(labelText).join(' '));
        if (s) return s;
      }
      const title = collapse(el.getAttribute('title'));
      if (title) return title;
      return collapse(el.getAttribute('placeholder'));
    }
    if (tag === 'IMG') return collapse(el.getAttribute('alt')) || collapse(el.getAttribute('title'));
    if (tag === 'FIELDSET') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return textOf(legend);
    }
    if (NAME_FROM_CONTENT.has(role) || role === '' ) {
      const s = textOf(el);
      if (s) return s;
    }
    return collapse(el.getAttribute('title'));
  }

  function isVisible(el) {
    if (el.getAttribute('aria-hidden') === 'true') return false;
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  }

  function cursorPointer(el) {
    const cs = getComputedStyle(el);
    return cs.cursor === 'pointer';
  }

  function isInteractive(el, role) {
    const tag = el.tagName;
    if (tag === 'A' && el.hasAttribute('href')) return true;
    if (tag === 'BUTTON' || tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'SUMMARY') return true;
    if (tag === 'INPUT') return (el.getAttribute('type') || '').toLowerCase() !== 'hidden';
    if (ROLE_ATTR_INTERACTIVE.has(role)) return true;
    if (el.hasAttribute('onclick') || listened.has(el)) return true;
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) >= 0) return true;
    if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) return true;
    if (cursorPointer(el) && !(el.parentElement && cursorPointer(el.parentElement))) return true;
    return false;
  }

  function isDisabled(el) {
    if (el.getAttribute('aria-disabled') === 'true') return true;
    if ('disabled' in el && el.disabled) return true;
    const fs = el.closest('fieldset[disabled]');
    return Boolean(fs) && !(fs.querySelector(':scope > legend') || { contains: () => false }).contains(el);
  }

  function isCovered(el) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return false;
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false; // Playwright scrolls it into view
    const hit = document.elementFromPoint(x, y);
    if (!hit) return false;
    if (hit === el || el.contains(hit)) return false;
    if (hit.tagName === 'LABEL' && hit.control === el) return false;
    if (el.labels && Array.from(el.labels).some((l) => l === hit || l.contains(hit))) return false;
    if (hit.contains(el) && getComputedStyle(el).pointerEvents !== 'none') return false;
    return true;
  }

  function valueOf(el, role) {
    const tag = el.tagName;
    if (tag === 'INPUT') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      if (type === 'checkbox' || type === 'radio' || type === 'submit' || type === 'button' || type === 'reset' || type === 'image') return undefined;
      if (type === 'password') return '•'.repeat(el.value.length);
      return el.value;
    }
    if (tag === 'TEXTAREA') return el.value;
    if (tag === 'SELECT') {
      const opt = el.selectedOptions && el.selectedOptions[0];
      return opt ? collapse(opt.label || opt.textContent) : '';
    }
    if (role === 'slider' || role === 'spinbutton' || role === 'progressbar') {
      const v = el.getAttribute('aria-valuetext') || el.getAttribute('aria-valuenow');
      return v === null ? undefined : collapse(v);
    }
    if (el.isContentEditable) return collapse(el.textContent);
    if (role === 'textbox' || role === 'searchbox' || role === 'combobox') {
      const v = el.getAttribute('aria-valuetext') || el.getAttribute('data-value');
      return v === null ? collapse(el.textContent) : collapse(v);
    }
    return undefined;
  }

  function statesOf(el, role, interactive) {
    const p = {};
    const tag = el.tagName;
    if (tag === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) p.checked = el.checked;
    else if (el.hasAttribute('aria-checked')) p.checked = el.getAttribute('aria-checked') === 'true';
    if (el.hasAttribute('aria-expanded')) p.expanded = el.getAttribute('aria-expanded') === 'true';
    else if (tag === 'SUMMARY' && el.parentElement && el.parentElement.tagName === 'DETAILS') p.expanded = el.parentElement.open;
    if (el.getAttribute('aria-selected') === 'true') p.selected = true;
    if (el.getAttribute('aria-pressed') === 'true') p.pressed = true;
    if (el.hasAttribute('aria-haspopup') && el.getAttribute('aria-haspopup') !== 'false') p.haspopup = true;
    if (role === 'heading') p.level = Number(el.getAttribute('aria-level')) || Number(tag.slice(1)) || 2;
    if (interactive && isDisabled(el)) p.disabled = true;
    if (el.required || el.getAttribute('aria-required') === 'true') p.required = true;
    if (el.readOnly || el.getAttribute('aria-readonly') === 'true') p.readonly = true;
    return p;
  }

  function observe(nextId) {
    const nodes = [];
    const seen = new Set();
    let next = nextId;
    const active = document.activeElement;
    let focused = null;

    function textNode(node, depth) {
      const s = clip(collapse(node.data));
      if (s) nodes.push({ d: depth, r: 'StaticText', n: s });
    }

    function walk(el, depth) {
      if (SKIP_TAGS.has(el.tagName)) return;
      if (el.getAttribute('aria-hidden') === 'true') return;
      const display = getComputedStyle(el).display;
      if (display === 'none') return; // nothing below is seen
      const transparent = display === 'contents'; // no box of its own; its children have boxes
      const visible = !transparent && isVisible(el);
      const role = roleOf(el);
      const interactive = visible && isInteractive(el, role);
      let emitted = false;
      let childDepth = depth;
      if (visible && (interactive || KEEP_ROLES.has(role))) {
        const node = { d: depth, r: role || 'generic', n: clip(nameOf(el, role)) };
        if (interactive) {
          let id = Number(el.getAttribute('data-ludus-id'));
          if (!Number.isInteger(id) || id <= 0 || seen.has(id)) {
            id = next++;
            el.setAttribute('data-ludus-id', String(id));
          }
          seen.add(id);
          node.id = id;
          if (el === active) focused = id;
        }
        const v = valueOf(el, role);
        if (v !== undefined) node.v = clip(v);
        const p = statesOf(el, role, interactive);
        if (interactive) {
          const covered = !p.disabled && isCovered(el);
          if (covered) p.covered = true;
          else if (!p.disabled) node.c = 1;
          const tag = el.tagName;
          const type = (el.getAttribute('type') || '').toLowerCase();
          const textual = tag === 'TEXTAREA' || (tag === 'INPUT' && (TEXT_TYPES.has(type) || type === 'search' || type === 'number' || DATE_TYPES.has(type))) || (el.isContentEditable && tag !== 'INPUT');
          if (textual && !p.disabled && !p.readonly && !covered) node.e = 1;
          if (tag === 'INPUT' && DATE_TYPES.has(type)) node.t = type;
        }
        if (Object.keys(p).length > 0) node.p = p;
        nodes.push(node);
        emitted = true;
        childDepth = depth + 1;
        if (el.tagName === 'SELECT') {
          for (const opt of el.options) {
            const o = { d: childDepth, r: 'option', n: clip(collapse(opt.label || opt.textContent)) };
            if (opt.selected) o.p = { selected: true };
            if (opt.disabled) o.p = Object.assign(o.p || {}, { disabled: true });
            nodes.push(o);
          }
          return;
        }
        if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') return;
      }
      const skipText = (!visible && !transparent) || (emitted && (NAME_FROM_CONTENT.has(role) || el.isContentEditable));
      const kids = el.shadowRoot ? el.shadowRoot.childNodes : el.childNodes;
      for (const child of kids) {
        if (child.nodeType === 1) walk(child, childDepth);
        else if (child.nodeType === 3 && !skipText) textNode(child, childDepth);
      }
    }

    if (document.body) walk(document.body, 0);
    const doc = document.scrollingElement || document.documentElement;
    const out = {
      nodes: nodes,
      nextId: next,
      focused: focused,
      events: events.splice(0, events.length),
      blocked: blocked.splice(0, blocked.length),
      popups: popups.splice(0, popups.length),
      url: String(location.href),
      title: collapse(document.title),
      scroll: { y: Math.round(doc ? doc.scrollTop : 0), maxY: Math.max(0, Math.round(doc ? doc.scrollHeight - innerHeight : 0)) },
    };
    return out;
  }

  const api = Object.freeze({
    observe: observe,
    emit: (event) => { if (event && typeof event === 'object' && typeof event.type === 'string') events.push(JSON.parse(JSON.stringify(event))); },
    fieldValues: fieldValues,
  });
  Object.defineProperty(window, '__ludus', { value: api, writable: false, configurable: false, enumerable: false });
})();`;

/** The expression `page.evaluate` runs to observe (a string: nothing is transpiled on the way in). */
export function observeExpression(nextId: number): string {
  return `window.${PAGE_GLOBAL}.observe(${Math.max(1, Math.floor(nextId))})`;
}
