/**
 * BrowserEnv: the browser-v1 Env, a thin adapter between the pure parts (actions.ts, axtree.ts,
 * candidates.ts, the tasks, reward.ts, splits.ts) and one browser session (session.ts).
 *
 *   reset:  resolve the task → generate the instance from its seed → serve its pages on the
 *           private origin → load → observe
 *   step:   parse the call → check it against the last tree (unknown id, wrong kind of element:
 *           invalid, no browser call) → run it under a timeout → observe → the task's check over the
 *           episode's events → reward
 *
 * The env is deterministic per (task, seed, actions): pages are fixed HTML, the page script seeds
 * `Math.random`, ids are handed out in page order from 1, and nothing in the observation or info
 * depends on time (except the optional time-decayed reward). `make` stacks the replay snapshot on it
 * (spec `capabilities.snapshot: 'replay'`), so its own snapshot/restore refuse.
 * @module
 */
import { closest, distance } from 'fastest-levenshtein';
import { EnvClosedError, EpisodeOverError, LudusError, OptionsError, ResetNeededError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';
import { Rng } from '../core/rng.js';
import { stateHash } from '../core/state-hash.js';
import type { Env, EnvState, InvalidAction, JsonValue, Observation, ResetOptions, ResetResult, StepInfo, StepResult } from '../core/types.js';
import { openCatalog, type Catalog } from '../shop/catalog.js';
import { formatAction, isInvalid, nearestAdmissible, parseAction, type BrowserAction } from './actions.js';
import { anchorText, formatTree } from './axtree.js';
import { candidateActions } from './candidates.js';
import { sharedBrowser, type BrowserHost } from './chromium.js';
import { PRIVATE_ORIGIN, type BlockedCounts } from './confinement.js';
import { BrowserError, type Fault } from './errors.js';
import { browserOptionsSchema, type BrowserOptions, type BrowserOptionsInput } from './options.js';
import type { PageObservation, RawNode } from './page-script.js';
import { stepReward } from './reward.js';
import { BrowserSession, type SessionNotices } from './session.js';
import { resolveBrowserTask, splitSizes, type BrowserSplit, type ResolvedTask } from './splits.js';
import { BUILTIN_TASKS, DEFAULT_TASK_NAMES, type BrowserSuite } from './tasks/index.js';
import { taskInstance } from './tasks/instance.js';
import type { BrowserTask, TaskContext, TaskEvent } from './tasks/types.js';
import { pageSuite } from './pages/suite.js';

export const BROWSER_ENV_ID = 'browser-v1';

/** The spec's split sizes: those of the default suite. */
export const BROWSER_SPLITS = splitSizes(DEFAULT_TASK_NAMES.length);

interface Episode {
  task: ResolvedTask;
  def: BrowserTask;
  instance: JsonValue;
  goal: string;
  fillValues: string[];
  nextId: number;
  page: PageObservation;
  candidates: string[];
  events: TaskEvent[];
  over: boolean;
  startedAt: number;
  /** The last screenshot and HTML, reused by steps that did not touch the page (invalid actions). */
  lastScreenshot: string | null;
  lastHtml: string | null;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === PRIVATE_ORIGIN ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

function nodeLabel(n: RawNode): string {
  return `[${n.id}] ${n.r} '${n.n.length > 40 ? `${n.n.slice(0, 39)}…` : n.n}'`;
}

const CHECKABLE = new Set(['checkbox', 'radio', 'switch', 'menuitemcheckbox', 'menuitemradio']);

export class BrowserEnv implements Env {
  readonly options: BrowserOptions;
  readonly taskNames: readonly string[];
  private readonly suite: BrowserSuite;
  private readonly host: BrowserHost;
  private session: BrowserSession | null = null;
  private episode: Episode | null = null;
  private readonly seeds = new Rng('browser-v1/seeds');
  private readonly indexRange: Record<BrowserSplit, number>;
  private catalogHandle: Catalog | null = null;
  private closed = false;
  private readonly taskContext: TaskContext;

  /** The served root of a task-page directory (`tasks: { dir }`), else null. */
  readonly pagesRoot: string | null = null;

  constructor(options: BrowserOptionsInput = {}, suite: BrowserSuite = BUILTIN_TASKS, host: BrowserHost = sharedBrowser) {
    const parsed = browserOptionsSchema.safeParse(options);
    if (!parsed.success) throw new OptionsError(BROWSER_ENV_ID, formatIssues(parsed.error));
    this.options = parsed.data;
    const listed = this.options.tasks;
    if (listed !== undefined && !Array.isArray(listed)) {
      const pages = pageSuite(listed.dir);
      if (Object.keys(pages.tasks).length === 0) throw new OptionsError(BROWSER_ENV_ID, [`tasks.dir: no page of ${pages.root} follows MiniWoB's page protocol (${pages.skipped.map((x) => `${x.file}: ${x.reason}`).slice(0, 3).join('; ')}); see \`ludus bench-data check ${pages.root}\``]);
      suite = pages.tasks;
      this.pagesRoot = pages.root;
    }
    this.suite = suite;
    this.host = host;
    const names = Array.isArray(listed) ? listed : suite === BUILTIN_TASKS ? DEFAULT_TASK_NAMES : Object.keys(suite);
    const known = Object.keys(suite);
    const unknown = names.filter((n) => !Object.hasOwn(suite, n));
    if (unknown.length > 0) {
      const hints = unknown.map((n) => `'${n}'${known.length > 0 && distance(n, closest(n, known)) <= 3 ? ` (did you mean '${closest(n, known)}'?)` : ''}`);
      throw new OptionsError(BROWSER_ENV_ID, [`tasks: unknown task(s) ${hints.join(', ')}; the tasks are: ${known.join(', ')}`]);
    }
    this.taskNames = names;
    const own = splitSizes(names.length);
    this.indexRange = { train: Math.max(own.train, BROWSER_SPLITS.train), test: Math.max(own.test, BROWSER_SPLITS.test) };
    this.taskContext = { catalog: () => this.catalog() };
  }

  private catalog(): Catalog {
    this.catalogHandle ??= openCatalog({ seed: this.options.shopCatalogSeed, products: this.options.shopProducts });
    return this.catalogHandle;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (this.closed) throw new EnvClosedError();
    const { seed: given, task: ref } = options ?? {};
    if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given))) {
      throw new OptionsError(`${BROWSER_ENV_ID} reset`, [`seed must be a finite number, got ${JSON.stringify(given)}`]);
    }
    const seed = given ?? this.seeds.nextUint32();
    const task =
      ref !== undefined && ref !== null
        ? resolveBrowserTask(ref, this.taskNames, this.indexRange)
        : resolveBrowserTask({ split: 'train', index: new Rng(`browser-v1/draw/${seed}`).int(this.indexRange.train) }, this.taskNames, this.indexRange);
    const def = this.suite[task.name] as BrowserTask;
    const instance = taskInstance(def, task.seed, this.taskContext) as JsonValue;
    let goal = def.goal(instance);
    this.episode = null;

    let lastError: unknown = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      let session: BrowserSession;
      try {
        session = await this.openSession();
      } catch (err) {
        if (err instanceof BrowserError) throw err; // no Chromium, or it does not start
        lastError = err;
        continue;
      }
      session.resetCounts();
      session.serve((req) => def.serve(instance, req, this.taskContext));
      try {
        await session.load(def.startPath?.(instance) ?? '/');
        let page = await session.observe(1);
        let fillValues: string[] | null = null;
        if (def.goalFromEvents !== undefined) {
          // A task page says its instruction when its episode starts (after load): wait for it.
          const events = [...page.events];
          const deadline = performance.now() + this.options.navigationTimeoutMs;
          let started = def.goalFromEvents(instance, events);
          while ('error' in started && !events.some((e) => e.type === 'wob-error') && performance.now() < deadline) {
            await new Promise((r) => setTimeout(r, 20));
            page = await session.observe(page.nextId);
            events.push(...page.events);
            started = def.goalFromEvents(instance, events);
          }
          if ('error' in started) throw new BrowserError('TASK_INVALID', started.error, { task: task.id });
          page.events = events;
          goal = started.goal;
          fillValues = def.fillValuesFromGoal?.(goal) ?? [];
        }
        const episode: Episode = {
          task,
          def,
          instance,
          goal,
          fillValues: fillValues ?? def.fillValues(instance),
          nextId: page.nextId,
          page,
          candidates: [],
          events: [...page.events],
          over: false,
          startedAt: performance.now(),
          lastScreenshot: null,
          lastHtml: null,
        };
        episode.candidates = this.candidates(episode);
        this.episode = episode;
        const notices = session.drainNotices();
        const observation = await this.observation(episode, { error: null, notices, end: false });
        return { observation, info: this.info(episode, { components: {}, success: false, events: page.events, error: null, notices }) };
      } catch (err) {
        if (err instanceof BrowserError && err.code === 'TASK_INVALID') {
          await session.discard();
          throw err;
        }
        lastError = err;
        session.faultFrom(err);
        await session.discard();
      }
    }
    const why = lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError);
    throw new BrowserError('PAGE_UNRESPONSIVE', `The page of ${task.id} did not load, twice (${why}). If Chromium is overloaded, raise navigationTimeoutMs.`, { task: task.id });
  }

  async step(action: string): Promise<StepResult> {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    if (ep.over) throw new EpisodeOverError();
    const session = this.session as BrowserSession;

    const parsed = parseAction(action, ep.candidates);
    if (isInvalid(parsed)) return this.invalidStep(ep, parsed);
    const refusal = this.refuse(ep, parsed);
    if (refusal) return this.invalidStep(ep, refusal);

    const noFault = session.fault;
    if (noFault) return this.faultStep(ep, noFault);
    const result = await session.act(this.toRun(ep, parsed));
    if (!result.ok && result.fault) return this.faultStep(ep, result.fault);

    let page: PageObservation;
    try {
      page = await session.observe(ep.nextId);
    } catch (err) {
      return this.faultStep(ep, session.faultFrom(err) ?? session.markHung(`The page could not be read after the action (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`));
    }
    ep.page = page;
    ep.nextId = page.nextId;
    ep.events.push(...page.events);
    ep.candidates = this.candidates(ep);
    const notices = session.drainNotices();
    const error = result.ok ? null : `${formatAction(parsed)} failed: ${result.error}`;

    const check = ep.def.check(ep.instance, ep.events, this.taskContext);
    const decay = this.options.timeDecay ? { elapsedMs: performance.now() - ep.startedAt, maxTimeMs: ep.def.maxTimeMs } : null;
    const r = stepReward(check, decay);
    if (check.done) ep.over = true;
    const observation = await this.observation(ep, { error, notices, end: check.done });
    const info = this.info(ep, { components: r.components, success: r.success, events: page.events, error, notices });
    info.canonicalAction = formatAction(parsed);
    if (!result.ok) info.invalid = { code: 'NOT_ADMISSIBLE', message: error as string, suggestions: nearestAdmissible(action, ep.candidates) };
    return { observation, reward: r.reward, terminated: check.done, truncated: false, info };
  }

  /** Raw browser-v1 cannot serialise a browser: `make('browser-v1')` snapshots by replay instead. */
  async snapshot(): Promise<EnvState> {
    throw new LudusError('SNAPSHOT_UNSUPPORTED', `${BROWSER_ENV_ID} snapshots by replaying its action log: build it with make('${BROWSER_ENV_ID}'), whose wrapper does that, instead of constructing BrowserEnv directly.`);
  }

  async restore(_state: EnvState): Promise<void> {
    throw new LudusError('SNAPSHOT_UNSUPPORTED', `${BROWSER_ENV_ID} restores by replaying its action log: build it with make('${BROWSER_ENV_ID}'), whose wrapper does that, instead of constructing BrowserEnv directly.`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.episode = null;
    const s = this.session;
    this.session = null;
    if (s) await s.close();
  }

  // -------------------------------------------------------------------------------------------

  private async openSession(): Promise<BrowserSession> {
    if (this.session === null || this.session.fault !== null) {
      if (this.session) await this.session.discard();
      this.session ??= new BrowserSession(this.host, {
        actionMs: this.options.actionTimeoutMs,
        navigationMs: this.options.navigationTimeoutMs,
        observeMs: this.options.observeTimeoutMs,
      });
    }
    await this.session.open();
    return this.session;
  }

  /** Checks a parsed action against the last tree; an InvalidAction when it cannot apply. */
  private refuse(ep: Episode, a: BrowserAction): InvalidAction | null {
    if (a.verb === 'noop' || a.verb === 'scroll') return null;
    const nodes = ep.page.nodes;
    const index = nodes.findIndex((n) => n.id === a.id);
    const suggest = (near: string) => nearestAdmissible(near, ep.candidates);
    const text = formatAction(a);
    if (index < 0) {
      const ids = nodes.filter((n) => n.id !== undefined).map((n) => n.id);
      return { code: 'UNKNOWN_OBJECT', message: `There is no element [${a.id}] on the page now (ids here: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', ...' : ''}).`, suggestions: suggest(text) };
    }
    const node = nodes[index] as RawNode;
    const p = node.p ?? {};
    const no = (why: string): InvalidAction => ({ code: 'NOT_ADMISSIBLE', message: `${text}: ${nodeLabel(node)} ${why}.`, suggestions: suggest(text) });
    if (p.disabled === true) return no('is disabled');
    if (p.covered === true) return no('is covered by another element (close what is on top of it first)');
    switch (a.verb) {
      case 'click':
      case 'hover':
        return node.c === 1 ? null : no('cannot be clicked now');
      case 'press':
        return node.c === 1 || node.e === 1 ? null : no('cannot take key presses now');
      case 'check':
      case 'uncheck':
        if (!CHECKABLE.has(node.r)) return no(`is not a checkbox or radio button (use click("${a.id}"))`);
        if (a.verb === 'uncheck' && (node.r === 'radio' || node.r === 'menuitemradio')) return no('is a radio button: check another one of its group instead');
        return node.c === 1 ? null : no('cannot be clicked now');
      case 'fill':
        if (node.e !== 1) return no(p.readonly === true ? 'is read-only' : 'does not take text (fill works on text fields)');
        if (node.t === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(a.text)) return no('is a date field: fill it with YYYY-MM-DD');
        if (node.t === 'time' && !/^\d{2}:\d{2}(:\d{2})?$/.test(a.text)) return no('is a time field: fill it with HH:MM');
        if (node.r === 'spinbutton' && a.text !== '' && !/^[-+]?\d+(\.\d+)?$/.test(a.text)) return no('takes a number');
        return null;
      case 'select_option': {
        const options: string[] = [];
        for (let i = index + 1; i < nodes.length && (nodes[i] as RawNode).d > node.d; i++) {
          const o = nodes[i] as RawNode;
          if (o.r === 'option' && o.id === undefined && o.d === node.d + 1) options.push(o.n);
        }
        if (options.length === 0) return no('is not a drop-down list (select_option works on <select> lists)');
        if (!options.includes(a.value)) {
          return { code: 'NOT_ADMISSIBLE', message: `${text}: ${nodeLabel(node)} has no option '${a.value.slice(0, 60)}' (options: ${options.slice(0, 12).join(', ')}).`, suggestions: options.slice(0, 3).map((o) => `select_option("${a.id}", ${JSON.stringify(o)})`) };
        }
        return node.c === 1 ? null : no('cannot be used now');
      }
    }
  }

  /** check/uncheck are a click when the box is in the other state, and nothing when it already is. */
  private toRun(ep: Episode, a: BrowserAction): BrowserAction {
    if (a.verb !== 'check' && a.verb !== 'uncheck') return a;
    const node = ep.page.nodes.find((n) => n.id === a.id);
    const checked = node?.p?.checked === true;
    return checked === (a.verb === 'check') ? { verb: 'noop' } : { verb: 'click', id: a.id };
  }

  private candidates(ep: Episode): string[] {
    return candidateActions({ nodes: ep.page.nodes, fillValues: ep.fillValues, scroll: ep.page.scroll });
  }

  private async invalidStep(ep: Episode, invalid: InvalidAction): Promise<StepResult> {
    const notices: SessionNotices = { dialogs: [], popups: [], blocked: [] };
    const error = invalid.message;
    const observation = await this.observation(ep, { error, notices, end: false, reuse: true });
    const info = this.info(ep, { components: {}, success: false, events: [], error, notices });
    info.invalid = invalid;
    return { observation, reward: 0, terminated: false, truncated: false, info };
  }

  private async faultStep(ep: Episode, fault: Fault): Promise<StepResult> {
    ep.over = true;
    const session = this.session as BrowserSession;
    const notices = session.drainNotices();
    const observation = this.textObservation(ep, { error: `The episode was cut: ${fault.message}`, notices });
    const info = this.info(ep, { components: { raw: 0 }, success: false, events: [], error: fault.message, notices });
    info.fault = { ...fault };
    await session.discard();
    return { observation, reward: 0, terminated: false, truncated: true, info };
  }

  private noticeLines(notices: SessionNotices): string[] {
    const lines: string[] = [];
    for (const d of notices.dialogs) lines.push(`notice: a ${d.type} dialog ('${d.message.slice(0, 80)}') was ${d.type === 'beforeunload' ? 'accepted' : 'dismissed'}`);
    for (const p of notices.popups) lines.push(`notice: a new window (${p.url}) was blocked`);
    if (notices.blocked.length > 0) {
      const shown = notices.blocked.slice(0, 3).map((b) => `${b.kind} ${b.url}`).join('; ');
      lines.push(`notice: ${notices.blocked.length} request${notices.blocked.length === 1 ? '' : 's'} outside the task blocked (${shown}${notices.blocked.length > 3 ? '; ...' : ''})`);
    }
    return lines;
  }

  /** The observation of the current page (no browser call). */
  private textObservation(ep: Episode, extra: { error: string | null; notices: SessionNotices }): Observation {
    const page = ep.page;
    const tree = formatTree(page.nodes, page.title, page.focused);
    const header = [`goal: ${ep.goal}`, `url: ${pathOf(page.url)}`, `focused: ${page.focused === null ? 'none' : `[${page.focused}]`}`];
    if (extra.error) header.push(`error: ${extra.error}`);
    header.push(...this.noticeLines(extra.notices));
    return {
      text: `${header.join('\n')}\n\n${tree}`,
      actions: ep.over ? [] : ep.candidates.slice(),
      anchor: anchorText(page.nodes, page.title, pathOf(page.url)),
      goal: ep.goal,
      url: pathOf(page.url),
      axtree: tree,
    };
  }

  private async observation(ep: Episode, extra: { error: string | null; notices: SessionNotices; end: boolean; reuse?: boolean }): Promise<Observation> {
    const obs = this.textObservation(ep, extra);
    const session = this.session as BrowserSession;
    if (extra.reuse === true) {
      // An invalid action: nothing in the page changed, so the last picture still shows it.
      if (this.options.html && ep.lastHtml !== null) obs.html = ep.lastHtml;
      if (this.options.screenshots === 'step' && ep.lastScreenshot !== null) obs.screenshot = ep.lastScreenshot;
      return obs;
    }
    if (this.options.html) {
      try {
        obs.html = await session.html();
      } catch {
        obs.html = '';
      }
      ep.lastHtml = obs.html;
    }
    const shoot = this.options.screenshots === 'step' || (this.options.screenshots === 'end' && extra.end);
    if (shoot) {
      try {
        obs.screenshot = await session.screenshot();
        ep.lastScreenshot = obs.screenshot;
      } catch {
        // A page too busy to paint: the observation goes without a picture.
      }
    }
    return obs;
  }

  private info(ep: Episode, x: { components: Record<string, number>; success: boolean; events: TaskEvent[]; error: string | null; notices: SessionNotices }): StepInfo {
    const page = ep.page;
    const blocked: BlockedCounts = this.session?.blocked ?? { total: 0 };
    const task: Record<string, JsonValue> = { id: ep.task.id, split: ep.task.split, index: ep.task.index, type: ep.task.name, instance: ep.task.instance, seed: ep.task.seed };
    if (this.pagesRoot !== null) task.pages = this.pagesRoot;
    if (ep.task.name === 'shop') task.catalog = { seed: this.options.shopCatalogSeed, products: this.options.shopProducts };
    const info: StepInfo = {
      success: x.success,
      rewardComponents: { ...x.components },
      stateKey: stateHash({ task: ep.task.id, url: pathOf(page.url), page: anchorText(page.nodes, page.title, '') }),
      task: task as StepInfo['task'],
      url: pathOf(page.url),
      focusedId: page.focused,
      lastActionError: x.error,
      events: JSON.parse(JSON.stringify(x.events)) as JsonValue,
      blocked: { ...blocked },
    };
    if (x.notices.dialogs.length > 0) info.dialogs = x.notices.dialogs.map((d) => ({ ...d }));
    if (x.notices.popups.length > 0) info.popups = x.notices.popups.map((p) => ({ ...p }));
    return info;
  }
}
