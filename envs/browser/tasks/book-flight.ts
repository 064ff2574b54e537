/**
 * book-flight: fill From, To and the date, press Search, then book the cheapest (or the shortest)
 * flight. Booking the best flight of the right search +1; another flight of the right search 0
 * (partial: right route, wrong pick); a flight of a wrong search (it shows made-up flights) −1.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import { firstClick } from './events.js';
import { htmlPage, jsValue } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, findAll, NOOP } from './view.js';
import { CITIES, isoDate, usDate } from './vocab.js';

interface Flight {
  depart: string;
  minutes: number;
  price: number;
}

interface Instance {
  from: string;
  to: string;
  y: number;
  m: number;
  d: number;
  criterion: 'cheapest' | 'shortest';
  flights: Flight[];
  decoys: Flight[];
}

/** Index of the flight the criterion picks (ties cannot happen: generate makes them unique). */
export function bestFlight(flights: readonly Flight[], criterion: 'cheapest' | 'shortest'): number {
  let best = 0;
  flights.forEach((f, k) => {
    const b = flights[best] as Flight;
    if (criterion === 'cheapest' ? f.price < b.price : f.minutes < b.minutes) best = k;
  });
  return best;
}

function makeFlights(rng: Rng, n: number): Flight[] {
  const prices = rng.sample(Array.from({ length: 60 }, (_, k) => 89 + k * 11), n);
  const minutes = rng.sample(Array.from({ length: 60 }, (_, k) => 75 + k * 7), n);
  return prices.map((price, k) => ({ depart: `${String(rng.range(5, 22)).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}`, minutes: minutes[k] as number, price }));
}

function duration(min: number): string {
  return `${Math.floor(min / 60)}h ${String(min % 60).padStart(2, '0')}m`;
}

const SCRIPT = `(() => {
const DATA = DATA_JSON;
const out = document.getElementById('results');
document.getElementById('search').addEventListener('click', () => {
  const from = document.getElementById('from').value.trim().toLowerCase();
  const to = document.getElementById('to').value.trim().toLowerCase();
  const date = document.getElementById('date').value;
  const right = from === DATA.from.toLowerCase() && to === DATA.to.toLowerCase() && date === DATA.date;
  const list = right ? DATA.flights : DATA.decoys;
  out.textContent = '';
  const h = document.createElement('h2'); h.textContent = list.length + ' flights'; out.appendChild(h);
  list.forEach((f, k) => {
    const row = document.createElement('div'); row.className = 'row';
    const p = document.createElement('span'); p.textContent = 'Departs ' + f.depart + ' · ' + f.duration + ' · $' + f.price + ' ';
    const b = document.createElement('button'); b.textContent = 'Book $' + f.price + ' (' + f.duration + ')';
    b.setAttribute('data-key', (right ? 'f' : 'x') + k);
    row.appendChild(p); row.appendChild(b); out.appendChild(row);
  });
});
})();`;

export const bookFlight: BrowserTask<Instance> = {
  name: 'book-flight',
  description: 'search flights (from, to, date) and book the cheapest or shortest',
  maxTimeMs: 30_000,
  generate(rng) {
    const [from, to] = rng.sample(CITIES, 2) as [string, string];
    return { from, to, y: 2026, m: rng.range(1, 12), d: rng.range(1, 28), criterion: rng.pick(['cheapest', 'shortest'] as const), flights: makeFlights(rng, rng.range(3, 5)), decoys: makeFlights(rng, 3) };
  },
  goal: (i) => `Book the ${i.criterion} one-way flight from: ${i.from} to: ${i.to} on ${usDate(i.y, i.m, i.d)}.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const withDuration = (fs: Flight[]) => fs.map((f) => ({ ...f, duration: duration(f.minutes) }));
    const data = { from: i.from, to: i.to, date: isoDate(i.y, i.m, i.d), flights: withDuration(i.flights), decoys: withDuration(i.decoys) };
    const body = `<h1>Book a flight</h1><div class="row"><label>From <input type="text" id="from"></label></div>
<div class="row"><label>To <input type="text" id="to"></label></div>
<div class="row"><label>Departure date <input type="date" id="date"></label></div>
<button id="search">Search</button><div id="results"></div>`;
    return { status: 200, body: htmlPage('book-flight', body, { script: SCRIPT.replace('DATA_JSON', jsValue(data)) }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('f') || k.startsWith('x'));
    if (key === null) return PENDING;
    if (key.startsWith('x')) return done(-1, { rightSearch: 0, bestFlight: 0 });
    const best = Number(key.slice(1)) === bestFlight(i.flights, i.criterion);
    return done(best ? 1 : 0, { rightSearch: 1, bestFlight: best ? 1 : 0 });
  },
  fillValues: (i) => [i.from, i.to, isoDate(i.y, i.m, i.d)],
  solve(i, view) {
    const best = i.flights[bestFlight(i.flights, i.criterion)] as Flight;
    const heading = view.nodes.find((n) => n.role === 'heading' && / flights$/.test(n.name));
    if (heading && heading.name === `${i.flights.length} flights`) {
      const book = find(view, 'button', `Book $${best.price} (${duration(best.minutes)})`);
      if (book) return act.click(book);
    }
    const want: [string, string][] = [
      ['From', i.from],
      ['To', i.to],
      ['Departure date', isoDate(i.y, i.m, i.d)],
    ];
    for (const [label, value] of want) {
      const box = find(view, 'textbox', label);
      if (box && box.value !== value) return act.fill(box, value);
    }
    const search = findAll(view, 'button', 'Search')[0];
    return search ? act.click(search) : NOOP;
  },
};
