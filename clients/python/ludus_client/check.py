"""The conformance checks of ``ludus check``, over the wire, from Python: the same checks under the
same names, for single-agent envs and for multi-agent envs (seats, turns, privacy).

    python -m ludus_client.check ws://127.0.0.1:8765 [--env household-v1] [--episodes 3] [--json]

or ``check_env(client, "household-v1")`` → a :class:`Report`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

from .client import Client
from .env import Env, MultiAgentEnv, MultiAgentResult, StepResult
from .errors import LudusError

HOSTILE_ACTIONS: Sequence[str] = [
    "",
    "   ",
    "xyzzy plugh",
    "ünïcödé 🙂 ☃",
    "go to",
    "click[",
    '{"method": "session.close"}',
    "<script>alert(1)</script>",
    "a" * 10_000,
]


@dataclass
class Options:
    episodes: int = 3
    seed: int = 1234
    tasks: List[Any] = field(default_factory=list)
    max_steps: int = 40
    admissible_probe_states: int = 3
    admissible_probe_actions: int = 40
    freeform_actions: List[str] = field(default_factory=list)
    snapshot: str = "native"


@dataclass
class Result:
    name: str
    ok: bool
    ms: float
    message: Optional[str] = None


@dataclass
class Report:
    ok: bool
    results: List[Result]


class CheckFailed(Exception):
    pass


def fail(name: str, message: str) -> NoReturn:
    raise CheckFailed(f"{name}: {message}")


def stable(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def first_difference(a: Sequence[Any], b: Sequence[Any]) -> int:
    for i in range(max(len(a), len(b))):
        if i >= len(a) or i >= len(b) or stable(a[i]) != stable(b[i]):
            return i
    return -1


def reset_kwargs(options: Options, episode: int) -> Dict[str, Any]:
    kw: Dict[str, Any] = {"seed": options.seed + episode}
    if options.tasks:
        kw["task"] = options.tasks[episode % len(options.tasks)]
    return kw


# -- shapes --------------------------------------------------------------------------------------


def check_observation(name: str, where: str, o: Any) -> None:
    if not isinstance(o, dict):
        fail(name, f"{where}: observation must be an object")
    if not isinstance(o.get("text"), str):
        fail(name, f"{where}: observation.text must be a string")
    acts = o.get("actions")
    if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
        fail(name, f"{where}: observation.actions must be an array of strings")
    if not isinstance(o.get("anchor"), str):
        fail(name, f"{where}: observation.anchor must be a string (the raw current observation)")


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and abs(x) != float("inf")


def check_reward_components(name: str, where: str, info: Any) -> None:
    if not isinstance(info, dict):
        fail(name, f"{where}: info must be an object")
    comps = info.get("rewardComponents")
    if not isinstance(comps, dict):
        fail(name, f"{where}: info.rewardComponents must be an object of numbers")
    for k, v in comps.items():
        if not _finite(v):
            fail(name, f"{where}: info.rewardComponents.{k} must be a finite number")
    inv = info.get("invalid")
    if inv is not None and not (isinstance(inv, dict) and isinstance(inv.get("code"), str) and isinstance(inv.get("message"), str) and isinstance(inv.get("suggestions"), list)):
        fail(name, f"{where}: info.invalid must be {{ code, message, suggestions[] }}")
    if "success" in info and not isinstance(info["success"], bool):
        fail(name, f"{where}: info.success must be a boolean")


def check_step_info(name: str, where: str, info: Any) -> None:
    check_reward_components(name, where, info)
    if not isinstance(info.get("stateKey"), str) or not info["stateKey"]:
        fail(name, f"{where}: info.stateKey must be a non-empty string")


def check_reward(name: str, where: str, reward: Any, terminated: Any, truncated: Any) -> None:
    if not _finite(reward):
        fail(name, f"{where}: reward must be a finite number")
    if not isinstance(terminated, bool) or not isinstance(truncated, bool):
        fail(name, f"{where}: terminated and truncated must be booleans")
    if terminated and truncated:
        fail(name, f"{where}: a step must not be both terminated and truncated")


def check_json(name: str, where: str, value: Any) -> None:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as err:
        fail(name, f"{where} is not JSON-serializable: {err}")
    if stable(json.loads(text)) != stable(value):
        fail(name, f"{where} changes under JSON round trip")


# -- what both kinds share -----------------------------------------------------------------------

Check = Tuple[str, Callable[[str, Callable[..., Any], Options], None]]


def _registry() -> Tuple[List[Check], Callable[[str], Callable[[Any], Any]]]:
    """A list of checks and a decorator that appends a check under its name, in definition order."""
    checks: List[Check] = []

    def check(name: str):
        def wrap(fn):
            checks.append((name, fn))
            return fn

        return wrap

    return checks, check


def _with_env(factory: Callable[..., Any], fn: Callable[[Any], Any], options: Optional[Dict[str, Any]] = None) -> Any:
    env = factory(options)
    try:
        return fn(env)
    finally:
        env.close()


def _expect_code(name: str, fn: Callable[[], Any], code: str, what: str) -> None:
    try:
        fn()
    except LudusError as err:
        if err.code == code:
            return
        fail(name, f"{what} must throw {code}, got {err.code}")
    fail(name, f"{what} must throw {code}")


@dataclass(frozen=True)
class EnvPlay:
    """How the checks both kinds share play one kind of env."""

    probe_action: Any
    """any action, sent before reset (it must be refused)"""
    play_random: Callable[[Any, Options, int], Any]
    """plays one episode with seeded random actions; the result has ``actions`` and ``results`` (reset first)"""
    replay: Callable[[Any, Options, int, Sequence[Any]], Any]
    """resets as for the episode and plays exactly the actions (or until the env ends the episode)"""
    as_dict: Callable[[Any], Dict[str, Any]]
    """a step's result as plain data"""


def step_before_reset_check(play: EnvPlay) -> Check:
    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        _with_env(factory, lambda env: _expect_code(name, lambda: env.step(play.probe_action), "RESET_NEEDED", "step() before reset()"))

    return ("step before reset is refused with RESET_NEEDED", run)


def _result_place(played: Any, episode: int, t: int) -> str:
    """Where result ``t`` of an episode stands: its reset, or a step and the action taken."""
    return f"episode {episode} " + ("reset" if t == 0 else f"step {t - 1} ({json.dumps(played.actions[t - 1], ensure_ascii=False)[:60]})")


def shape_check(check_name: str, play: EnvPlay, check_result: Callable[[str, str, Dict[str, Any], Any], None]) -> Check:
    """Every result of seeded random episodes has the contract shape (``check_result`` fails where it does not)."""

    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        def each(env):
            for e in range(options.episodes):
                p = play.play_random(env, options, e)
                for t, r in enumerate(p.results):
                    check_result(name, _result_place(p, e, t), r, env)

        _with_env(factory, each)

    return (check_name, run)


def json_check(play: EnvPlay) -> Check:
    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        def each(env):
            for e in range(options.episodes):
                p = play.play_random(env, options, e)
                for t, r in enumerate(p.results):
                    check_json(name, f"episode {e} {'reset' if t == 0 else f'step {t - 1}'} result", r)
                if options.snapshot != "none":
                    check_json(name, f"episode {e} snapshot", env.snapshot())

        _with_env(factory, each)

    return ("everything is JSON-serializable", run)


def determinism_check(check_name: str, play: EnvPlay) -> Check:
    """Same seed, task and actions give the same results; ``check_name`` says what an episode is called."""

    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        for e in range(options.episodes):
            a = _with_env(factory, lambda env: play.play_random(env, options, e))
            b = _with_env(factory, lambda env: play.replay(env, options, e, a.actions))
            at = first_difference(a.results, b.results)
            if at >= 0:
                fail(name, f"episode {e}: {'the reset results differ' if at == 0 else f'step {at - 1} ({json.dumps(a.actions[at - 1], ensure_ascii=False)}) differs between two envs'}")

    return (check_name, run)


def snapshot_restore_check(play: EnvPlay) -> Check:
    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        if options.snapshot == "none":

            def refuse(env):
                env.reset(**reset_kwargs(options, 0))
                _expect_code(name, env.snapshot, "SNAPSHOT_UNSUPPORTED", "an env declaring snapshot 'none'")

            _with_env(factory, refuse)
            return
        for e in range(options.episodes):
            p = _with_env(factory, lambda env: play.play_random(env, options, e))
            k = len(p.actions) // 2
            rest = p.actions[k:]
            box: Dict[str, Any] = {}

            def same(env):
                play.replay(env, options, e, p.actions[:k])
                box["snap"] = json.loads(json.dumps(env.snapshot()))
                box["tail"] = [play.as_dict(env.step(a)) for a in rest]
                env.restore(box["snap"])
                at = first_difference(box["tail"], [play.as_dict(env.step(a)) for a in rest])
                if at >= 0:
                    fail(name, f"episode {e}: after restore on the same env, step {k + at} differs")

            def fresh(env):
                env.reset(**reset_kwargs(options, e + 1000))
                env.restore(box["snap"])
                at = first_difference(box["tail"], [play.as_dict(env.step(a)) for a in rest])
                if at >= 0:
                    fail(name, f"episode {e}: after restore on a fresh env, step {k + at} differs")

            _with_env(factory, same)
            _with_env(factory, fresh)

    return ("snapshot and restore behave as the env declares (continue identically, same env and a fresh one)", run)


def close_check() -> Check:
    def run(name: str, factory: Callable[..., Any], options: Options) -> None:
        env = factory(None)
        env.reset(**reset_kwargs(options, 0))
        env.close()
        env.close()

    return ("close is idempotent", run)


def check_cut_by_limit(name: str, what: str, steps: int, terminated: bool, truncated: bool, ended_without_limit: bool) -> None:
    """The verdict of the time-limit checks: the limited run ended at ``steps`` (``terminated``,
    ``truncated``); without the limit the same actions ended the episode there or not. Where they
    did not, the limit cut it: truncated, not terminated. ``what`` names the episode."""
    if not ended_without_limit:
        if terminated:
            fail(name, f"step {steps} hit the time limit but says terminated; the limit must set truncated (the {what} did not end there)")
        if not truncated:
            fail(name, f"step {steps} hit the time limit but is not truncated")
    elif not terminated:
        fail(name, f"the {what} ended at step {steps} (terminated without a limit) but the limited run says otherwise")


# -- single-agent --------------------------------------------------------------------------------

@dataclass
class Trajectory:
    reset: Dict[str, Any]
    actions: List[str]
    steps: List[Dict[str, Any]]

    @property
    def results(self) -> List[Dict[str, Any]]:
        return [self.reset, *self.steps]


def _as_dict(r: StepResult) -> Dict[str, Any]:
    return {"observation": r.observation, "reward": r.reward, "terminated": r.terminated, "truncated": r.truncated, "info": r.info}


def _choices(obs: Dict[str, Any], options: Options) -> List[str]:
    return obs["actions"] if obs["actions"] else options.freeform_actions


def play_random(env: Env, options: Options, episode: int) -> Trajectory:
    """Seeded random admissible actions, with a hostile action as the second decision."""
    rng = random.Random(f"conformance:{options.seed}:{episode}")
    obs, info = env.reset(**reset_kwargs(options, episode))
    traj = Trajectory({"observation": obs, "info": info}, [], [])
    while len(traj.actions) < options.max_steps:
        legal = _choices(obs, options)
        hostile = len(traj.actions) == 1 or not legal
        action = rng.choice(list(HOSTILE_ACTIONS[:4]) if hostile else legal)
        step = env.step(action)
        traj.actions.append(action)
        traj.steps.append(_as_dict(step))
        obs = step.observation
        if step.terminated or step.truncated:
            break
    return traj


def replay(env: Env, options: Options, episode: int, actions: Sequence[str]) -> Trajectory:
    obs, info = env.reset(**reset_kwargs(options, episode))
    traj = Trajectory({"observation": obs, "info": info}, [], [])
    for action in actions:
        step = env.step(action)
        traj.actions.append(action)
        traj.steps.append(_as_dict(step))
        if step.terminated or step.truncated:
            break
    return traj


def _shape(name: str, where: str, r: Dict[str, Any]) -> None:
    check_observation(name, where, r["observation"])
    check_step_info(name, where, r["info"])
    if "reward" in r:
        check_reward(name, where, r["reward"], r["terminated"], r["truncated"])


SINGLE_AGENT = EnvPlay(probe_action="look", play_random=play_random, replay=replay, as_dict=_as_dict)


def single_agent_checks() -> List[Check]:
    checks, check = _registry()
    checks.append(step_before_reset_check(SINGLE_AGENT))

    checks.append(shape_check("observations and infos have the contract shape", SINGLE_AGENT, lambda name, where, r, env: _shape(name, where, r)))
    checks.append(json_check(SINGLE_AGENT))
    checks.append(determinism_check("same seed, task and actions give the same trajectory", SINGLE_AGENT))

    @check("every listed admissible action is accepted")
    def _(name, factory, options):
        def run(env):
            for e in range(options.episodes):
                t = play_random(env, options, e)
                states = [t.reset] + [s for s in t.steps if not s["terminated"] and not s["truncated"]]
                stride = max(1, len(states) // options.admissible_probe_states)
                i = 0
                while i < len(states) and i / stride < options.admissible_probe_states:
                    state = states[i]
                    snap = None
                    if options.snapshot != "none":
                        replay(env, options, e, t.actions[:i])
                        snap = env.snapshot()
                    for action in state["observation"]["actions"][: options.admissible_probe_actions]:
                        if snap is None:
                            replay(env, options, e, t.actions[:i])
                        else:
                            env.restore(snap)
                        step = env.step(action)
                        inv = step.info.get("invalid")
                        if inv:
                            fail(name, f"episode {e} state {i}: listed action '{action}' was answered as invalid ({inv['code']}: {inv['message']})")
                    i += stride

        _with_env(factory, run)

    checks.append(snapshot_restore_check(SINGLE_AGENT))

    @check("the time limit truncates (not terminates) and the ended episode refuses steps")
    def _(name, factory, options):
        limit = 3
        rng = random.Random(f"time-limit:{options.seed}")

        def limited_run(env):
            obs, _ = env.reset(**reset_kwargs(options, 0))
            actions: List[str] = []
            ended = None
            while len(actions) < limit + 2:
                legal = _choices(obs, options)
                action = rng.choice(legal) if legal else "xyzzy"
                step = env.step(action)
                actions.append(action)
                obs = step.observation
                if step.terminated or step.truncated:
                    ended = step
                    break
            if ended is None:
                fail(name, f"with maxEpisodeSteps={limit} the episode was still running after {len(actions)} steps")
            if len(actions) > limit:
                fail(name, f"with maxEpisodeSteps={limit} the episode ended only at step {len(actions)}")
            _expect_code(name, lambda: env.step((_choices(obs, options) or ["look"])[0]), "EPISODE_OVER", "a step after the episode ended")
            return actions, ended

        actions, ended = _with_env(factory, limited_run, {"maxEpisodeSteps": limit})
        free = _with_env(factory, lambda env: replay(env, options, 0, actions), {"maxEpisodeSteps": 0})
        last = free.steps[len(actions) - 1] if len(free.steps) >= len(actions) else None
        check_cut_by_limit(name, "task", len(actions), ended.terminated, ended.truncated, last is not None and last["terminated"])

    @check("invalid actions are answered with info.invalid, never thrown")
    def _(name, factory, options):
        def run(env):
            for action in HOSTILE_ACTIONS:
                obs0, info0 = env.reset(**reset_kwargs(options, 0))
                try:
                    step = env.step(action)
                except LudusError as err:
                    fail(name, f"action {json.dumps(action[:40])} threw {err.code}: {err}; it must be answered with info.invalid")
                if not step.info.get("invalid"):
                    fail(name, f"action {json.dumps(action[:40])} was accepted; expected info.invalid")
                _shape(name, f"invalid action {json.dumps(action[:40])}", _as_dict(step))
                base = obs0 if step.terminated else step.observation
                nxt = (_choices(base, options) or [None])[0]
                if not step.terminated and not step.truncated and nxt is not None:
                    if env.step(nxt).info.get("invalid"):
                        fail(name, f"after an invalid action the admissible '{nxt}' was refused")

        _with_env(factory, run, {"invalidActionPolicy": "noop"})

    checks.append(close_check())

    return checks


# -- multi-agent ---------------------------------------------------------------------------------

def _mr(r: MultiAgentResult, step: bool) -> Dict[str, Any]:
    d: Dict[str, Any] = {"observations": r.observations, "infos": r.infos, "actors": r.actors, "info": r.info}
    if step:
        d.update(rewards=r.rewards, terminated=r.terminated, truncated=r.truncated)
    return d


@dataclass
class Played:
    actions: List[Dict[int, str]]
    results: List[Dict[str, Any]]


def _over(r: Dict[str, Any]) -> bool:
    return bool(r.get("terminated") or r.get("truncated"))


def play_game(env: MultiAgentEnv, options: Options, episode: int, scripted: Optional[List[Dict[int, str]]] = None, hostile_at: int = 1, max_steps: Optional[int] = None) -> Played:
    """Every actor acts each step (random admissible, one hostile decision per seat), or re-plays a log."""
    rng = random.Random(f"conformance:{options.seed}:{episode}")
    r = env.reset(**reset_kwargs(options, episode))
    played = Played([], [_mr(r, False)])
    decisions: Dict[int, int] = {}
    queues = None
    if scripted is not None:
        queues = {}
        for step in scripted:
            for seat, action in step.items():
                queues.setdefault(seat, []).append(action)
    limit = options.max_steps if max_steps is None else max_steps
    last = played.results[0]
    while len(played.actions) < limit and not _over(last):
        actions: Dict[int, str] = {}
        for seat in last["actors"]:
            if queues is not None:
                if not queues.get(seat):
                    continue
                actions[seat] = queues[seat].pop(0)
                continue
            legal = _choices(last["observations"][seat], options)
            n = decisions.get(seat, 0)
            decisions[seat] = n + 1
            hostile = n == hostile_at or not legal
            actions[seat] = rng.choice(list(HOSTILE_ACTIONS[:4]) if hostile else legal)
        if not actions:
            break
        last = _mr(env.step(actions), True)
        played.actions.append(actions)
        played.results.append(last)
    return played


def _multi_shape(name: str, where: str, r: Dict[str, Any], seats: int) -> None:
    for s in range(seats):
        o = r["observations"].get(s)
        if o is None:
            fail(name, f"{where}: observations must hold every seat (seat {s} is missing)")
        check_observation(name, f"{where} seat {s}", o)
        if o.get("seat") != s:
            fail(name, f"{where}: observation of seat {s} must say seat: {s} (got {json.dumps(o.get('seat'))})")
        info = r["infos"].get(s)
        if info is None:
            fail(name, f"{where}: infos must hold every seat (seat {s} is missing)")
        check_reward_components(name, f"{where} seat {s}", info)
        if "rewards" in r and not _finite(r["rewards"].get(s)):
            fail(name, f"{where}: rewards[{s}] must be a finite number")
    check_step_info(name, where, r["info"])
    actors = r["actors"]
    if len(set(actors)) != len(actors) or not all(isinstance(a, int) and 0 <= a < seats for a in actors):
        fail(name, f"{where}: actors must be distinct seats in 0..{seats - 1} (got {json.dumps(actors)})")
    if "terminated" in r and r["terminated"] and r["truncated"]:
        fail(name, f"{where}: a step must not be both terminated and truncated")


def _probe_indexes(played: Played, options: Options) -> List[int]:
    running = [i for i, r in enumerate(played.results) if not _over(r)]
    stride = max(1, len(running) // options.admissible_probe_states)
    return [i for k, i in enumerate(running) if k % stride == 0][: options.admissible_probe_states]


def _reach(env: MultiAgentEnv, options: Options, episode: int, played: Played, i: int) -> Callable[[], None]:
    def again() -> None:
        play_game(env, options, episode, played.actions[:i], max_steps=i)

    again()
    if options.snapshot == "none":
        return again
    snap = env.snapshot()
    return lambda: env.restore(snap)


def _for_each_probed_state(env: MultiAgentEnv, options: Options, fn: Callable[[MultiAgentEnv, Dict[str, Any], Callable[[], None], str], None]) -> None:
    """For each episode and each probed state of a random game: ``fn(env, state, back, where)``,
    where ``back()`` puts the env back in that state."""
    for e in range(options.episodes):
        p = play_game(env, options, e)
        for i in _probe_indexes(p, options):
            fn(env, p.results[i], _reach(env, options, e, p, i), f"episode {e} state {i}")


def _replay_game(env: MultiAgentEnv, options: Options, episode: int, actions: Sequence[Dict[int, str]]) -> Played:
    return play_game(env, options, episode, list(actions), max_steps=len(actions))


MULTI_AGENT = EnvPlay(probe_action={0: "look"}, play_random=play_game, replay=_replay_game, as_dict=lambda r: _mr(r, True))


def multi_agent_checks() -> List[Check]:
    checks, check = _registry()
    checks.append(step_before_reset_check(MULTI_AGENT))

    checks.append(shape_check("observations, infos, rewards and actors have the contract shape for every seat", MULTI_AGENT, lambda name, where, r, env: _multi_shape(name, where, r, env.seats)))
    checks.append(json_check(MULTI_AGENT))
    checks.append(determinism_check("same seed, task and actions give the same game", MULTI_AGENT))

    @check("actors are valid until the end (someone acts while the game runs, nobody after)")
    def _(name, factory, options):
        def run(env):
            for e in range(options.episodes):
                p = play_game(env, options, e)
                if not p.results[0]["actors"]:
                    fail(name, f"episode {e}: no seat is to act after reset")
                for r in p.results[1:]:
                    if _over(r) and r["actors"]:
                        fail(name, f"episode {e}: the game is over but actors is {json.dumps(r['actors'])}")
                    if not _over(r):
                        if not r["actors"]:
                            fail(name, f"episode {e}: the game is running but no seat is to act")
                        for s in r["actors"]:
                            if not _choices(r["observations"][s], options):
                                fail(name, f"episode {e}: actor {s}'s observation lists no actions")
                if _over(p.results[-1]) and env.actors():
                    fail(name, f"episode {e}: actors must be empty once the game is over")

        _with_env(factory, run)

    @check("every listed admissible action is accepted")
    def _(name, factory, options):
        def probe(env, state, back, where):
            for seat in state["actors"]:
                for action in state["observations"][seat]["actions"][: options.admissible_probe_actions]:
                    back()
                    step = env.step({seat: action})
                    inv = step.infos.get(seat, {}).get("invalid")
                    if inv:
                        fail(name, f"{where}: seat {seat}'s listed action '{action}' was answered as invalid ({inv['code']}: {inv['message']})")

        _with_env(factory, lambda env: _for_each_probed_state(env, options, probe))

    @check("actions out of turn are refused with NOT_YOUR_TURN and the game goes on; unknown seats are an error")
    def _(name, factory, options):
        def probe(env, state, back, where):
            idle = [s for s in range(env.seats) if s not in state["actors"]]
            for seat in idle:
                back()
                try:
                    step = env.step({seat: (_choices(state["observations"][seat], options) or ["pass"])[0]})
                except LudusError as err:
                    fail(name, f"{where}: acting for idle seat {seat} threw {err.code}; it must be answered with NOT_YOUR_TURN in that seat's info")
                code = (step.infos.get(seat, {}).get("invalid") or {}).get("code")
                if code != "NOT_YOUR_TURN":
                    fail(name, f"{where}: idle seat {seat} acted and got {code or 'no invalid'}; expected NOT_YOUR_TURN")
                if step.info.get("stateKey") != state["info"].get("stateKey"):
                    fail(name, f"{where}: an off-turn action by seat {seat} changed the game state")
                if sorted(step.actors) != sorted(state["actors"]):
                    fail(name, f"{where}: an off-turn action changed who acts")

        def run(env):
            _for_each_probed_state(env, options, probe)
            env.reset(**reset_kwargs(options, 0))
            _expect_code(name, lambda: env.step({env.seats: "x"}), "SEAT_UNKNOWN", f"acting for seat {env.seats} (which does not exist)")

        _with_env(factory, run)

    checks.append(snapshot_restore_check(MULTI_AGENT))

    @check("the time limit truncates (not terminates) and the ended game refuses steps")
    def _(name, factory, options):
        limit = 3

        def limited_run(env):
            p = play_game(env, options, 0, hostile_at=-1, max_steps=limit + 2)
            last = p.results[-1]
            steps = len(p.actions)
            if not _over(last):
                fail(name, f"with maxEpisodeSteps={limit} the game was still running after {steps} steps")
            if steps > limit:
                fail(name, f"with maxEpisodeSteps={limit} the game ended only at step {steps}")
            _expect_code(name, lambda: env.step({0: "pass"}), "EPISODE_OVER", "a step after the game ended")
            return p

        limited = _with_env(factory, limited_run, {"maxEpisodeSteps": limit})
        free = _with_env(factory, lambda env: _replay_game(env, options, 0, limited.actions), {"maxEpisodeSteps": 0})
        last = free.results[-1]
        ended = limited.results[-1]
        game_ended = len(free.results) == len(limited.actions) + 1 and bool(last.get("terminated"))
        check_cut_by_limit(name, "game", len(limited.actions), ended["terminated"], ended["truncated"], game_ended)

    @check("invalid actions are answered in the seat's info, never thrown")
    def _(name, factory, options):
        def run(env):
            for action in HOSTILE_ACTIONS:
                r = env.reset(**reset_kwargs(options, 0))
                if not r.actors:
                    fail(name, "no seat is to act after reset")
                seat = r.actors[0]
                try:
                    step = env.step({seat: action})
                except LudusError as err:
                    fail(name, f"seat {seat}'s action {json.dumps(action[:40])} threw {err.code}; it must be answered in infos[{seat}].invalid")
                if not step.infos.get(seat, {}).get("invalid"):
                    fail(name, f"seat {seat}'s action {json.dumps(action[:40])} was accepted; expected infos[{seat}].invalid")
                _multi_shape(name, f"invalid action {json.dumps(action[:40])}", _mr(step, True), env.seats)
                nxt = (_choices(step.observations[seat], options) or [None])[0] if seat in step.actors else None
                if not (step.terminated or step.truncated) and nxt is not None:
                    if env.step({seat: nxt}).infos.get(seat, {}).get("invalid"):
                        fail(name, f"after an invalid action seat {seat}'s admissible '{nxt}' was refused")

        _with_env(factory, run, {"invalidActionPolicy": "noop"})

    @check("no seat's observation contains another seat's private strings")
    def _(name, factory, options):
        def run(env):
            for e in range(options.episodes):
                p = play_game(env, options, e)
                for t, r in enumerate(p.results):
                    secrets = r["info"].get("secrets") or {}
                    for s in range(env.seats):
                        seen = json.dumps(r["observations"].get(s), ensure_ascii=False)
                        for owner, strings in secrets.items():
                            if int(owner) == s:
                                continue
                            for secret in strings:
                                if secret and secret in seen:
                                    fail(name, f"episode {e} {'reset' if t == 0 else f'step {t - 1}'}: seat {s}'s observation contains seat {owner}'s private {json.dumps(secret[:60])}")

        _with_env(factory, run)

    checks.append(close_check())

    return checks


# -- running -------------------------------------------------------------------------------------


def run_checks(checks: List[Any], factory: Callable[..., Any], options: Options) -> Report:
    results: List[Result] = []
    for name, fn in checks:
        start = time.perf_counter()
        try:
            fn(name, factory, options)
            results.append(Result(name, True, (time.perf_counter() - start) * 1000))
        except (CheckFailed, LudusError) as err:
            results.append(Result(name, False, (time.perf_counter() - start) * 1000, str(err)))
        except Exception as err:  # a reply the check could not even read is a failure too
            results.append(Result(name, False, (time.perf_counter() - start) * 1000, f"{name}: {type(err).__name__}: {err}"))
    return Report(all(r.ok for r in results), results)


def check_env(client: Client, env_id: str, **options: Any) -> Report:
    """Runs every check of ``ludus check`` on one env of the client's server; never raises for a
    failing check (the report says which failed and why)."""
    spec = client.spec(env_id)
    opts = Options(**{"snapshot": (spec.get("capabilities") or {}).get("snapshot", "native"), **options})
    if spec.get("kind") == "multi":
        return run_checks(multi_agent_checks(), lambda o: client.make_multi(env_id, **(o or {})), opts)
    return run_checks(single_agent_checks(), lambda o: client.make(env_id, **(o or {})), opts)


def _task_ref(text: str) -> Any:
    split, sep, index = text.rpartition(":")
    return {"split": split, "index": int(index)} if sep and index.isdigit() else text


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ludus_client.check", description="the conformance checks of `ludus check`, over the wire")
    parser.add_argument("url", help="ws://HOST:PORT of a ludus env server")
    parser.add_argument("--env", help="the env to check (default: every env the server lists)")
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--task", action="append", default=[], help="split:index or a task id (repeatable)")
    parser.add_argument("--token")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with Client(args.url, args.token) as client:
        ids = [args.env] if args.env else [e["id"] for e in client.envs()]
        reports = [(i, check_env(client, i, episodes=args.episodes, seed=args.seed, tasks=[_task_ref(t) for t in args.task])) for i in ids]
    if args.json:
        print(json.dumps([{"env": i, "where": args.url, "report": asdict(r)} for i, r in reports], indent=2))
    else:
        for i, r in reports:
            print(f"{i} ({args.url})")
            for res in r.results:
                print(f"  {'ok  ' if res.ok else 'FAIL'} {res.name} ({res.ms:.0f} ms)" + ("" if res.ok else f"\n       {res.message}"))
            print(f"  {sum(x.ok for x in r.results)}/{len(r.results)} checks passed")
    return 0 if all(r.ok for _, r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
