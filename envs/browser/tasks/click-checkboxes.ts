/**
 * click-checkboxes: tick exactly the listed boxes and press Submit. The reward is MiniWoB's:
 * each box in the right state +1, in the wrong state −1, divided by the number of boxes — so a
 * mostly-right answer earns partial credit, and only all-right is success.
 * @module
 */
import { firstSubmit } from './events.js';
import { esc, htmlPage, listWords } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  boxes: string[];
  targets: number[];
}

/** MiniWoB's click-checkboxes score: Σ (right ? 1 : −1) / n over the boxes. */
export function checkboxScore(checked: readonly boolean[], wanted: readonly boolean[]): number {
  if (wanted.length === 0) return 0;
  let s = 0;
  for (let k = 0; k < wanted.length; k++) s += checked[k] === wanted[k] ? 1 : -1;
  return s / wanted.length;
}

export const clickCheckboxes: BrowserTask<Instance> = {
  name: 'click-checkboxes',
  description: 'tick exactly the listed checkboxes and submit (partial credit per box)',
  maxTimeMs: 10_000,
  generate(rng) {
    const n = rng.range(3, 6);
    const boxes = rng.sample(WORDS, n);
    const targets = rng.sample([...boxes.keys()], rng.range(0, Math.min(3, n))).sort((a, b) => a - b);
    return { boxes, targets };
  },
  goal: (i) => (i.targets.length === 0 ? 'Select nothing and click Submit.' : `Select ${listWords(i.targets.map((k) => i.boxes[k] as string))} and click Submit.`),
  serve(i, req) {
    if (req.path !== '/') return null;
    const boxes = i.boxes.map((b, k) => `<div class="row"><label><input type="checkbox" name="c${k}"> ${esc(b)}</label></div>`).join('\n');
    return { status: 200, body: htmlPage('click-checkboxes', `<div data-form="form">${boxes}</div><button data-submit="form">Submit</button>`) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const checked = i.boxes.map((_, k) => v[`c${k}`] === true);
    const wanted = i.boxes.map((_, k) => i.targets.includes(k));
    const right = checked.filter((c, k) => c === wanted[k]).length;
    return done(checkboxScore(checked, wanted), { rightBoxes: right, boxes: i.boxes.length });
  },
  fillValues: () => [],
  solve(i, view) {
    for (let k = 0; k < i.boxes.length; k++) {
      const box = find(view, 'checkbox', i.boxes[k]);
      if (!box) return NOOP;
      const want = i.targets.includes(k);
      if (box.states.checked !== want) return want ? act.check(box) : act.uncheck(box);
    }
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
