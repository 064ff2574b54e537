/**
 * login-user: type the username and password the goal gives and press Login. The reward is
 * (fields right − fields wrong) / 2: both right +1 (success), one right 0, none −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { USERNAMES, WORDS } from './vocab.js';

interface Instance {
  username: string;
  password: string;
}

export const loginUser: BrowserTask<Instance> = {
  name: 'login-user',
  description: 'log in with a given username and password',
  maxTimeMs: 10_000,
  generate(rng) {
    return { username: rng.pick(USERNAMES), password: `${rng.pick(WORDS)}${rng.range(10, 99)}` };
  },
  goal: (i) => `Enter the username "${i.username}" and the password "${i.password}" into the text fields and press Login.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<h1>Sign in</h1><div data-form="form"><div class="row"><label>Username <input type="text" name="username"></label></div>
<div class="row"><label>Password <input type="password" name="password"></label></div></div><button data-submit="form">Login</button>`;
    return { status: 200, body: htmlPage('login-user', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = (str(v.username) === i.username ? 1 : 0) + (str(v.password) === i.password ? 1 : 0);
    return done((right - (2 - right)) / 2, { rightFields: right });
  },
  fillValues: (i) => [i.username, i.password],
  solve(i, view, memory) {
    const user = find(view, 'textbox', 'Username');
    const pass = find(view, 'textbox', 'Password');
    if (!user || !pass) return NOOP;
    if (user.value !== i.username) return act.fill(user, i.username);
    if (memory.password !== true) {
      memory.password = true;
      return act.fill(pass, i.password);
    }
    const login = find(view, 'button', 'Login');
    return login ? act.click(login) : NOOP;
  },
};
