/**
 * Rendering a page state in the four observation modes, and its URL.
 *  - text: WebShop's "simple" mode: `WebShop [SEP] Instruction: [SEP] <instruction> [SEP] <page>`,
 *    the page's visible texts joined by ' [SEP] '.
 *  - text_rich: one line per element, buttons as `[button] X [button_]`, the chosen options as
 *    `[clicked button] X [clicked button_]`, prefixed "You have clicked X." after a click.
 *  - html: the real page, as the web site (`ludus shop serve`) serves it.
 *  - url: the page's URL on that site.
 * The anchor (GiGPO) is the text-mode page after the instruction, in every mode.
 * @module
 */
import type { Catalog } from './catalog.js';
import type { Product } from './catalog-gen.js';
import type { RewardComponents } from './reward.js';
import { pageCount, resultsOnPage, type PageState } from './pages.js';

export const OBSERVATION_MODES = ['text', 'text_rich', 'html', 'url'] as const;
export type ObservationMode = (typeof OBSERVATION_MODES)[number];

type Part = { kind: 'text' | 'button'; text: string } | { kind: 'option'; text: string; on: boolean };

export interface RenderContext {
  catalog: Catalog;
  instruction: string;
  /** The site session the URLs carry (the task, e.g. `test-12`). */
  session: string;
  /** On the done page: the reward and its components. */
  purchase?: RewardComponents | null;
}

function money(x: number): string {
  return `$${x.toFixed(2)}`;
}

function productOf(state: PageState, ctx: RenderContext): Product | null {
  return state.asin === null ? null : ctx.catalog.productByAsin(state.asin);
}

/** The page's visible elements, in order (without the header and instruction). */
export function pageParts(state: PageState, ctx: RenderContext): Part[] {
  const t = (text: string): Part => ({ kind: 'text', text });
  const b = (text: string): Part => ({ kind: 'button', text });
  const product = productOf(state, ctx);
  switch (state.kind) {
    case 'search':
      return [t('Search')];
    case 'results': {
      const parts: Part[] = [b('Back to Search'), t(`Page ${state.page} (Total results: ${state.results.length})`)];
      if (state.page > 1) parts.push(b('< Prev'));
      if (state.page < pageCount(state.results)) parts.push(b('Next >'));
      for (const asin of resultsOnPage(state)) {
        const p = ctx.catalog.productByAsin(asin);
        if (p === null) continue;
        parts.push(b(p.asin), t(p.title), t(money(p.price)));
      }
      return parts;
    }
    case 'item': {
      if (product === null) return [b('Back to Search'), t('Product not found')];
      const parts: Part[] = [b('Back to Search'), b('< Prev')];
      for (const g of product.options) {
        parts.push(t(g.name));
        for (const v of g.values) parts.push({ kind: 'option', text: v, on: state.selected[g.name] === v });
      }
      parts.push(t(product.title), t(`Price: ${money(product.price)}`), t(`Rating: ${product.rating === null ? 'N.A.' : product.rating.toFixed(1)}`));
      parts.push(b('Description'), b('Features'), b('Reviews'), b('Buy Now'));
      return parts;
    }
    case 'sub': {
      const parts: Part[] = [b('Back to Search'), b('< Prev')];
      if (product === null) return parts;
      if (state.sub === 'description') parts.push(t(product.description));
      else if (state.sub === 'features') for (const bullet of product.bullets) parts.push(t(bullet));
      else if (product.reviews.length === 0) parts.push(t('No reviews yet.'));
      else for (const r of product.reviews) parts.push(t(r.title), t(`${r.rating} out of 5 stars`), t(r.body));
      return parts;
    }
    case 'done': {
      const parts: Part[] = [t('Thank you for shopping with us!'), t('Purchased')];
      if (product !== null) {
        parts.push(t(product.asin), t(product.title), t(money(product.price)));
        const chosen = product.options.filter((g) => state.selected[g.name] !== undefined).map((g) => `${g.name}: ${state.selected[g.name]}`);
        parts.push(t(chosen.length > 0 ? `Options: ${chosen.join(', ')}` : 'Options: none chosen'));
      }
      parts.push(t('Your score (min 0.0, max 1.0)'), t((ctx.purchase?.reward ?? 0).toFixed(4)));
      return parts;
    }
  }
}

const HEADER = 'WebShop [SEP] Instruction: [SEP] ';

/** The anchor: the text-mode page after the instruction. */
export function anchorText(state: PageState, ctx: RenderContext): string {
  return pageParts(state, ctx)
    .map((p) => p.text)
    .join(' [SEP] ');
}

export function simpleText(state: PageState, ctx: RenderContext): string {
  return `${HEADER}${ctx.instruction} [SEP] ${anchorText(state, ctx)}`;
}

export function richText(state: PageState, ctx: RenderContext): string {
  const lines = pageParts(state, ctx).map((p) =>
    p.kind === 'button' ? `[button] ${p.text} [button_]` : p.kind === 'option' ? (p.on ? `[clicked button] ${p.text} [clicked button_]` : `[button] ${p.text} [button_]`) : p.text,
  );
  const prefix = state.clicked !== null ? `You have clicked ${state.clicked}.\n` : '';
  return `${prefix}WebShop\nInstruction:\n${ctx.instruction}\n${lines.join('\n')}`;
}

// --- URLs -------------------------------------------------------------------------------------

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

function optionParams(selected: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(selected).map(([k, v]) => [`opt-${k}`, v]));
}

export function searchUrl(session: string): string {
  return `/${encodeURIComponent(session)}`;
}

export function resultsUrl(session: string, q: string, page: number): string {
  return `/${encodeURIComponent(session)}/search${query({ q, page })}`;
}

export function itemUrl(session: string, asin: string, q: string, page: number, selected: Readonly<Record<string, string>>, sub?: string | null): string {
  return `/${encodeURIComponent(session)}/item/${asin}${sub ? `/${sub}` : ''}${query({ q, page, ...optionParams(selected) })}`;
}

export function buyUrl(session: string, asin: string, q: string, page: number, selected: Readonly<Record<string, string>>): string {
  return `/${encodeURIComponent(session)}/buy/${asin}${query({ q, page, ...optionParams(selected) })}`;
}

/** The page's URL on the site. */
export function pageUrl(state: PageState, session: string): string {
  switch (state.kind) {
    case 'search':
      return searchUrl(session);
    case 'results':
      return resultsUrl(session, state.query, state.page);
    case 'item':
    case 'sub':
      return itemUrl(session, state.asin ?? '', state.query, state.page, state.selected, state.sub);
    case 'done':
      return buyUrl(session, state.asin ?? '', state.query, state.page, state.selected);
  }
}

// --- HTML -------------------------------------------------------------------------------------

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
.instruction{background:#f4f4f4;padding:.5rem 1rem;border-left:4px solid #f90}.btn{display:inline-block;margin:.2rem;padding:.3rem .8rem;border:1px solid #888;border-radius:4px;background:#fafafa;color:#222;text-decoration:none;cursor:pointer;font:inherit}
.result{margin:.6rem 0}.product-link{font-weight:bold}.option-group{margin:.4rem 0}.option{margin-right:.8rem}.price{color:#b12704}.score{font-size:1.4rem}`;

export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

function instructionBlock(instruction: string): string {
  return `<div class="instruction" id="instruction-text"><h4>Instruction:</h4><p>${escapeHtml(instruction)}</p></div>`;
}

/** The page as HTML (what the site serves and the `html` mode shows). */
export function pageHtml(state: PageState, ctx: RenderContext): string {
  const s = ctx.session;
  const a = (href: string, text: string, cls = 'btn') => `<a class="${cls}" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const back = a(searchUrl(s), 'Back to Search');
  const product = productOf(state, ctx);
  let body = '';
  switch (state.kind) {
    case 'search':
      body =
        `<h1>WebShop</h1>${instructionBlock(ctx.instruction)}` +
        `<form method="get" action="${escapeHtml(`/${encodeURIComponent(s)}/search`)}"><input id="search_input" type="text" name="q" size="60" placeholder="Search..." autofocus> <button class="btn" type="submit">Search</button></form>`;
      break;
    case 'results': {
      const nav = [back, `<span>Page ${state.page} (Total results: ${state.results.length})</span>`];
      if (state.page > 1) nav.push(a(resultsUrl(s, state.query, state.page - 1), '< Prev'));
      if (state.page < pageCount(state.results)) nav.push(a(resultsUrl(s, state.query, state.page + 1), 'Next >'));
      const rows = resultsOnPage(state)
        .map((asin) => ctx.catalog.productByAsin(asin))
        .filter((p): p is Product => p !== null)
        .map((p) => `<div class="result">${a(itemUrl(s, p.asin, state.query, state.page, {}), p.asin, 'product-link')}<div>${escapeHtml(p.title)}</div><div class="price">${escapeHtml(money(p.price))}</div></div>`);
      body = `${instructionBlock(ctx.instruction)}<div>${nav.join(' ')}</div>${rows.join('\n') || '<p>No results. Go back and try other keywords.</p>'}`;
      break;
    }
    case 'item': {
      if (product === null) {
        body = `${instructionBlock(ctx.instruction)}<div>${back}</div><p>Product not found.</p>`;
        break;
      }
      const groups = product.options
        .map(
          (g) =>
            `<div class="option-group"><h4>${escapeHtml(g.name)}</h4>` +
            g.values
              .map((v) => {
                const href = itemUrl(s, product.asin, state.query, state.page, { ...state.selected, [g.name]: v });
                const checked = state.selected[g.name] === v ? ' checked' : '';
                return `<label class="option"><input type="radio" form="buy" name="opt-${escapeHtml(g.name)}" value="${escapeHtml(v)}"${checked} onchange="location.href=this.dataset.href" data-href="${escapeHtml(href)}"> <a href="${escapeHtml(href)}">${escapeHtml(v)}</a></label>`;
              })
              .join('') +
            `</div>`,
        )
        .join('\n');
      const subs = (['description', 'features', 'reviews'] as const).map((sub) => a(itemUrl(s, product.asin, state.query, state.page, state.selected, sub), sub[0]!.toUpperCase() + sub.slice(1))).join(' ');
      const hidden = `<input type="hidden" name="q" value="${escapeHtml(state.query)}"><input type="hidden" name="page" value="${state.page}">`;
      body =
        `${instructionBlock(ctx.instruction)}<div>${back} ${a(resultsUrl(s, state.query, state.page), '< Prev')}</div>` +
        `<h2>${escapeHtml(product.title)}</h2><div class="price">Price: ${escapeHtml(money(product.price))}</div><div>Rating: ${product.rating === null ? 'N.A.' : product.rating.toFixed(1)}</div>` +
        `${groups}<div>${subs}</div>` +
        `<form id="buy" method="get" action="${escapeHtml(`/${encodeURIComponent(s)}/buy/${product.asin}`)}">${hidden}<button class="btn" type="submit">Buy Now</button></form>`;
      break;
    }
    case 'sub': {
      const prev = product === null ? '' : a(itemUrl(s, product.asin, state.query, state.page, state.selected), '< Prev');
      let content = '<p>Product not found.</p>';
      if (product !== null) {
        if (state.sub === 'description') content = `<p>${escapeHtml(product.description)}</p>`;
        else if (state.sub === 'features') content = `<ul>${product.bullets.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`;
        else content = product.reviews.length === 0 ? '<p>No reviews yet.</p>' : product.reviews.map((r) => `<div class="review"><b>${escapeHtml(r.title)}</b> <span>${r.rating} out of 5 stars</span><p>${escapeHtml(r.body)}</p></div>`).join('');
      }
      body = `${instructionBlock(ctx.instruction)}<div>${back} ${prev}</div>${content}`;
      break;
    }
    case 'done': {
      const chosen = product === null ? [] : product.options.filter((g) => state.selected[g.name] !== undefined).map((g) => `${g.name}: ${state.selected[g.name]}`);
      body =
        `<h1>Thank you for shopping with us!</h1>${instructionBlock(ctx.instruction)}` +
        (product === null ? '<p>Product not found.</p>' : `<h3>Purchased</h3><p>${escapeHtml(product.asin)}: ${escapeHtml(product.title)} (${escapeHtml(money(product.price))})</p><p>Options: ${escapeHtml(chosen.length > 0 ? chosen.join(', ') : 'none chosen')}</p>`) +
        `<p>Your score (min 0.0, max 1.0)</p><p class="score" id="reward">${(ctx.purchase?.reward ?? 0).toFixed(4)}</p>` +
        (ctx.purchase ? `<details><summary>Reward components</summary><pre>${escapeHtml(JSON.stringify(ctx.purchase, null, 2))}</pre></details>` : '') +
        `<p>${a(searchUrl(s), 'Shop again')}</p>`;
      break;
    }
  }
  return htmlDocument('WebShop', body);
}
