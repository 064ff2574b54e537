/**
 * copy-paste: copy the text of a read-only text area into the text field and press Submit. The
 * exact text +1, anything else −1. The fill values are the texts on the page (the one to copy and
 * two notes beside it): the answer is read from the page, not the goal.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { SENTENCES } from './vocab.js';

interface Instance {
  text: string;
  notes: string[];
}

export const copyPaste: BrowserTask<Instance> = {
  name: 'copy-paste',
  description: 'copy the text of a text area into a field and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    const [text, ...notes] = rng.sample(SENTENCES, 3) as [string, ...string[]];
    return { text, notes };
  },
  goal: () => 'Copy the text from the text area below, paste it into the answer field and press Submit.',
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<p class="muted">Note: ${esc(i.notes[0] ?? '')}</p><div class="row"><label>Text to copy <textarea readonly rows="2" cols="40">${esc(i.text)}</textarea></label></div>
<p class="muted">Note: ${esc(i.notes[1] ?? '')}</p><div data-form="form"><label>Answer <input type="text" name="answer" size="40"></label></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('copy-paste', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.answer) === i.text;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => [i.notes[0] ?? '', i.text, i.notes[1] ?? ''].filter((x) => x !== ''),
  solve(i, view) {
    const source = find(view, 'textbox', 'Text to copy');
    const answer = find(view, 'textbox', 'Answer');
    if (!source || !answer) return NOOP;
    const text = source.value ?? i.text;
    if (answer.value !== text) return act.fill(answer, text);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
