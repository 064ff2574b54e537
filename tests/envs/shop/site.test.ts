import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../envs/shop/catalog.js';
import { goalAt } from '../../../envs/shop/goals.js';
import { handleSiteRequest, startShopSite, type ShopSite } from '../../../envs/shop/site.js';

const catalog = openCatalog({ seed: 0, products: 1000 });
let site: ShopSite;

beforeAll(async () => {
  site = await startShopSite(catalog, { port: 0 });
});
afterAll(async () => {
  await site.close();
});

async function get(path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${site.url}${path}`);
  return { status: res.status, html: await res.text() };
}

describe('the shop web site', () => {
  it('binds 127.0.0.1 and serves a search form with the session\'s instruction', async () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await get('/test-4');
    expect(r.status).toBe(200);
    expect(r.html).toContain('<form method="get" action="/test-4/search">');
    expect(r.html).toContain('id="search_input"');
    expect(r.html).toContain(goalAt(0, 1000, 4).instruction.replace(/'/g, '&#39;'));
  });

  it('lets a person search, open a product, choose options through links and radios, and buy', async () => {
    const goal = goalAt(0, 1000, 4);
    const results = await get(`/test-4/search?q=${encodeURIComponent(goal.name)}`);
    expect(results.status).toBe(200);
    expect(results.html).toContain(`/test-4/item/${goal.asin}?`);
    expect(results.html).toMatch(/Page 1 \(Total results: \d+\)/);
    const opts = goal.options.map((o) => `opt-${o.name}=${encodeURIComponent(o.value)}`).join('&');
    const item = await get(`/test-4/item/${goal.asin}?q=x&page=1&${opts}`);
    expect(item.status).toBe(200);
    expect(item.html).toContain(`<form id="buy" method="get" action="/test-4/buy/${goal.asin}">`);
    for (const o of goal.options) expect(item.html).toContain(`name="opt-${o.name}" value="${o.value}" checked`);
    for (const sub of ['description', 'features', 'reviews']) expect((await get(`/test-4/item/${goal.asin}/${sub}?q=x`)).status).toBe(200);
    const done = await get(`/test-4/buy/${goal.asin}?q=x&page=1&${opts}`);
    expect(done.html).toContain('Thank you for shopping with us!');
    expect(done.html).toContain('<p class="score" id="reward">1.0000</p>');
    const partial = await get(`/test-4/buy/${goal.asin}?q=x`);
    if (goal.options.length > 0) expect(partial.html).not.toContain('id="reward">1.0000');
  });

  it('answers unknown products, sessions and paths with a 404 page, never a stack trace', async () => {
    for (const path of ['/test-4/item/B000000000', '/test-4/item/nonsense', '/test-4/buy/B0ZZZZZZZZ', '/test-4/nowhere', '/test-4/item/' + goalAt(0, 1000, 4).asin + '/secrets', '/bad%ZZsession', '/' + 'x'.repeat(100)]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.html).toContain('<h1>Not found</h1>');
      expect(r.html).not.toMatch(/at \w+ \(|Error:/);
    }
    const post = await fetch(`${site.url}/test-4`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('ignores option values a product does not have and bad page numbers', () => {
    const goal = goalAt(0, 1000, 4);
    const r = handleSiteRequest(catalog, `/test-4/item/${goal.asin}?opt-size=gigantic&page=-3`);
    expect(r.status).toBe(200);
    expect(r.html).not.toContain('checked');
    expect(handleSiteRequest(catalog, '/test-4/search?q=%22NEAR(x%20*&page=999').status).toBe(200);
  });
});
