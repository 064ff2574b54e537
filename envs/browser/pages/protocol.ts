/**
 * MiniWoB++'s page protocol, as browser-v1 drives it. A task page loads MiniWoB's `core.js`,
 * defines `genProblem()`, and on load calls `core.startEpisode()` (the sync screen). MiniWoB's
 * Python side then seeds the page (`Math.seedrandom(seed)`), runs the episode start hook
 * `core.startEpisodeReal()` (which calls `genProblem()`), reads the utterance with
 * `core.getUtterance()` (the text of `#query`), and polls `WOB_DONE_GLOBAL` and the raw reward
 * `WOB_RAW_REWARD_GLOBAL` that the page's `core.endEpisode(reward, timeProportional, reason)` sets.
 *
 * browser-v1 does the same from a script added at the end of the task page when it is served:
 * seed, start, report the utterance as a `wob-start` event, and report every `core.endEpisode`
 * as a `wob-end` event carrying the raw reward only (the page's time-decayed reward is wall-clock, so
 * it is left out to keep episodes deterministic; the env's reward is the raw one, success only at 1,
 * as MiniWoB's binary reading). MiniWoB's wall-clock episode timer (10 s by default, then
 * `endEpisode(-1)`) is switched off: the step limit bounds episodes, so a run is deterministic.
 * Time decay, when wanted, is the env's `timeDecay` option on the raw reward.
 * @module
 */

/** The script added to a task page (seed as a string, as MiniWoB passes it). */
export function bootstrapScript(seed: number): string {
  return `<script>(function () {
  var emit = function (e) { if (window.__ludus) window.__ludus.emit(e); };
  var start = function () {
    try {
      if (typeof core === 'undefined' || typeof core.startEpisodeReal !== 'function') throw new Error('core.startEpisodeReal is not defined (does the page load core/core.js?)');
      if (typeof genProblem !== 'function') throw new Error('genProblem is not defined');
      if (core.cover_div == null && typeof core.startEpisode === 'function') core.startEpisode();
      if (typeof Math.seedrandom === 'function') Math.seedrandom(${JSON.stringify(String(seed))});
      var end = core.endEpisode;
      core.endEpisode = function () {
        var wasDone = typeof WOB_DONE_GLOBAL !== 'undefined' && WOB_DONE_GLOBAL === true && core.EP_TIMER === null;
        var out = end.apply(this, arguments);
        if (!wasDone && WOB_DONE_GLOBAL === true) emit({ type: 'wob-end', raw: Number(WOB_RAW_REWARD_GLOBAL), reason: WOB_REWARD_REASON == null ? '' : String(WOB_REWARD_REASON) });
        return out;
      };
      core.startEpisodeReal();
      if (core.EP_TIMER !== null) { clearTimeout(core.EP_TIMER); core.EP_TIMER = -1; }
      if (typeof core.clearTimer === 'function') core.clearTimer();
      emit({ type: 'wob-start', utterance: String(core.getUtterance()) });
    } catch (err) {
      emit({ type: 'wob-error', message: String(err && err.message || err) });
    }
  };
  if (document.readyState === 'complete') setTimeout(start, 0); else window.addEventListener('load', function () { setTimeout(start, 0); });
})();</script>`;
}

/** Adds the bootstrap to a page's HTML (before </body>, else at the end). */
export function withBootstrap(html: string, seed: number): string {
  const script = bootstrapScript(seed);
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? `${html}\n${script}` : `${html.slice(0, at)}${script}${html.slice(at)}`;
}

/** What a page file must show to be a MiniWoB++-style task page (null: fine, else the reason). */
export function protocolProblem(html: string): string | null {
  if (!/<script[^>]+src=["'][^"']*core\.js["']/i.test(html)) return 'it does not load core.js (MiniWoB task pages load ../core/core.js)';
  if (!/genProblem\s*=|function\s+genProblem\s*\(/.test(html)) return 'it defines no genProblem() (the episode start hook calls it)';
  return null;
}
