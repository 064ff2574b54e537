/**
 * choose-date: a calendar widget (previous/next month buttons, one button per day) fills a
 * read-only date field; pick the goal's date and press Submit. The calendar opens on a month up to
 * three away from the target. The right date +1, anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage, jsValue } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { MONTHS, usDate } from './vocab.js';

interface Instance {
  y: number;
  m: number;
  d: number;
  /** The month the calendar opens on. */
  startY: number;
  startM: number;
}

const SCRIPT = `(() => {
const MONTHS = MONTHS_JSON;
let y = START_Y, m = START_M;
const grid = document.getElementById('days');
const title = document.getElementById('month');
const field = document.getElementById('date');
const pad = (n) => String(n).padStart(2, '0');
function days(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
function render() {
  title.textContent = MONTHS[m - 1] + ' ' + y;
  grid.textContent = '';
  for (let d = 1; d <= days(y, m); d++) {
    const b = document.createElement('button');
    b.textContent = String(d);
    b.setAttribute('aria-label', MONTHS[m - 1] + ' ' + d + ', ' + y);
    b.addEventListener('click', () => { field.value = pad(m) + '/' + pad(d) + '/' + y; });
    grid.appendChild(b);
  }
}
document.getElementById('prev').addEventListener('click', () => { m -= 1; if (m < 1) { m = 12; y -= 1; } render(); });
document.getElementById('next').addEventListener('click', () => { m += 1; if (m > 12) { m = 1; y += 1; } render(); });
render();
})();`;

export const chooseDate: BrowserTask<Instance> = {
  name: 'choose-date',
  description: 'pick a date in a calendar widget (month by month) and submit',
  maxTimeMs: 20_000,
  generate(rng) {
    const y = rng.range(2000, 2030);
    const m = rng.range(1, 12);
    const d = rng.range(1, 28);
    let offset = rng.range(-3, 3);
    if (offset === 0) offset = 1;
    const total = y * 12 + (m - 1) + offset;
    return { y, m, d, startY: Math.floor(total / 12), startM: (total % 12) + 1 };
  },
  goal: (i) => `Select ${usDate(i.y, i.m, i.d)} as the date and hit Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const script = SCRIPT.replace('MONTHS_JSON', jsValue(MONTHS)).replace('START_Y', String(i.startY)).replace('START_M', String(i.startM));
    const body = `<div data-form="form"><label>Date <input type="text" id="date" name="date" readonly></label></div>
<div role="group" aria-label="Calendar"><button id="prev">Prev month</button> <span id="month"></span> <button id="next">Next month</button>
<div id="days" style="max-width:330px"></div></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('choose-date', body, { script }) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.date) === usDate(i.y, i.m, i.d);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const field = find(view, 'textbox', 'Date');
    if (field && field.value === usDate(i.y, i.m, i.d)) {
      const submit = find(view, 'button', 'Submit');
      return submit ? act.click(submit) : NOOP;
    }
    const day = find(view, 'button', `${MONTHS[i.m - 1]} ${i.d}, ${i.y}`);
    if (day) return act.click(day);
    const shown = view.nodes.find((n) => n.role === 'StaticText' && /^[A-Z][a-z]+ \d{4}$/.test(n.name));
    if (!shown) return NOOP;
    const [name, year] = shown.name.split(' ') as [string, string];
    const at = Number(year) * 12 + MONTHS.indexOf(name);
    const want = i.y * 12 + (i.m - 1);
    const button = find(view, 'button', want < at ? 'Prev month' : 'Next month');
    return button ? act.click(button) : NOOP;
  },
};
