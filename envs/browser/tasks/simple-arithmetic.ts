/**
 * simple-arithmetic: solve the sum shown on the page, type the answer and press Submit. The right
 * number +1, anything else −1. The fill values are the answer among four near misses.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

interface Instance {
  a: number;
  b: number;
  op: '+' | '-' | '×';
  choices: number[];
}

export function arithmetic(a: number, op: Instance['op'], b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

export const simpleArithmetic: BrowserTask<Instance> = {
  name: 'simple-arithmetic',
  description: 'solve the arithmetic problem on the page and submit the answer',
  maxTimeMs: 15_000,
  generate(rng) {
    const op = rng.pick(['+', '-', '×'] as const);
    const a = rng.range(1, op === '×' ? 12 : 50);
    const b = rng.range(1, op === '×' ? 12 : 50);
    const answer = arithmetic(a, op, b);
    const near = new Set<number>([answer]);
    for (const d of rng.shuffle([1, -1, 2, -2, 10, -10, a, b])) if (near.size < 5) near.add(answer + d);
    return { a, b, op, choices: rng.shuffle([...near]) };
  },
  goal: () => 'Solve the math problem and type your answer into the textbox. Press Submit when done.',
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<p id="problem">${i.a} ${i.op} ${i.b} =</p><div data-form="form"><label>Answer <input type="text" name="answer"></label></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('simple-arithmetic', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.answer).trim() === String(arithmetic(i.a, i.op, i.b));
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => i.choices.map(String),
  solve(i, view) {
    const box = find(view, 'textbox', 'Answer');
    if (!box) return NOOP;
    const answer = String(arithmetic(i.a, i.op, i.b));
    if (box.value !== answer) return act.fill(box, answer);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
