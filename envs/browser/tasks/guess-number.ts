/**
 * guess-number: guess a number from 0 to 9; after each wrong guess the page says "Higher" or
 * "Lower". The right guess +1 (the episode ends); wrong guesses cost nothing but steps.
 * @module
 */
import { submits, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

interface Instance {
  answer: number;
}

const SCRIPT = `(() => {
const ANSWER = ANSWER_NUM;
document.getElementById('guess').addEventListener('click', () => {
  const v = Number(document.getElementById('n').value);
  document.getElementById('feedback').textContent = v === ANSWER ? 'Correct!' : v < ANSWER ? 'Higher' : 'Lower';
});
})();`;

export const guessNumber: BrowserTask<Instance> = {
  name: 'guess-number',
  description: 'guess a number 0-9 from higher/lower feedback',
  maxTimeMs: 15_000,
  generate: (rng) => ({ answer: rng.int(10) }),
  goal: () => 'Guess the number between 0 and 9 and press Submit. Use the feedback below to find the right number.',
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><label>Guess <input type="text" id="n" name="guess" size="3"></label></div><button id="guess" data-submit="form">Submit</button><p id="feedback" role="status"></p>`;
    return { status: 200, body: htmlPage('guess-number', body, { script: SCRIPT.replace('ANSWER_NUM', String(i.answer)) }) };
  },
  check(i, events) {
    const guesses = submits(events).map((v) => str(v.guess).trim());
    const at = guesses.indexOf(String(i.answer));
    return at < 0 ? PENDING : done(1, { guesses: at + 1 });
  },
  fillValues: () => Array.from({ length: 10 }, (_, k) => String(k)),
  solve(i, view) {
    const box = find(view, 'textbox', 'Guess');
    if (!box) return NOOP;
    if (box.value !== String(i.answer)) return act.fill(box, String(i.answer));
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
