/**
 * enter-password: type the quoted password into both fields and press Submit. Both equal to it
 * +1, anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, findAll, NOOP } from './view.js';

interface Instance {
  password: string;
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

export const enterPassword: BrowserTask<Instance> = {
  name: 'enter-password',
  description: 'type a password into two fields and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    return { password: Array.from({ length: rng.range(4, 8) }, () => rng.pick([...ALPHABET])).join('') };
  },
  goal: (i) => `Enter the password "${i.password}" into both text fields and press Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><div class="row"><label>Password <input type="password" name="password"></label></div>
<div class="row"><label>Verify password <input type="password" name="verify"></label></div></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('enter-password', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = [str(v.password), str(v.verify)].filter((x) => x === i.password).length;
    return done(right === 2 ? 1 : -1, { rightFields: right });
  },
  fillValues: (i) => [i.password],
  solve(i, view, memory) {
    // Password values show masked: the expert remembers which fields it filled.
    const filled = (memory.filled ??= []) as number[];
    for (const box of findAll(view, 'textbox')) {
      if (box.id !== null && !filled.includes(box.id)) {
        filled.push(box.id);
        return act.fill(box, i.password);
      }
    }
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
