"""Gymnasium-style envs over the protocol: one session (:class:`Env`), a group of identical copies
stepped in one frame per step (:class:`EnvGroup`), and a multi-agent game whose opener steps every
seat (:class:`MultiAgentEnv`).

Observations are plain dicts, as the server sends them: ``text`` (what a text agent reads),
``actions`` (the admissible actions now), ``anchor``, and per env ``goal``, ``html``,
``screenshot``, ``url``, ``seat``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, TypeVar

from .connection import Connection

Observation = Dict[str, Any]
Info = Dict[str, Any]


class StepResult(NamedTuple):
    """What ``step`` returns, unpackable like Gymnasium's 5-tuple."""

    observation: Observation
    reward: float
    terminated: bool
    truncated: bool
    info: Info


def _reset_params(session: str, seed: Optional[int], options: Optional[Mapping[str, Any]], task: Any) -> Dict[str, Any]:
    params: Dict[str, Any] = {"session": session}
    if seed is not None:
        params["seed"] = seed
    task = task if task is not None else (options or {}).get("task")
    if task is not None:
        params["task"] = task
    return params


_S = TypeVar("_S", bound="_Session")


class _Session:
    """One server session, as both env kinds hold it: fork (``snapshot`` / ``restore``) and an
    idempotent ``close`` that also closes the connection if this env opened it."""

    def __init__(self, connection: Connection, session: str, env_id: str, spec: Optional[Mapping[str, Any]], owns_connection: bool):
        self.connection = connection
        self.session = session
        self.id = env_id
        #: The env's summary as ``envs.list`` reports it (splits, limits, capabilities), when known.
        self.spec = dict(spec) if spec is not None else None
        self._owns = owns_connection
        self._closed = False

    def snapshot(self) -> Any:
        """The env's complete state as plain JSON (opaque)."""
        return self.connection.call("session.snapshot", {"session": self.session})["state"]

    def restore(self, state: Any) -> None:
        """Continues exactly from a state ``snapshot()`` gave (of this or another session of the same env)."""
        self._restored(self.connection.call("session.restore", {"session": self.session, "state": state}))

    def _restored(self, reply: Mapping[str, Any]) -> None:
        pass

    def close(self) -> None:
        """Closes the session (idempotent); closes the connection too if this env opened it."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self.connection.closed:
                self.connection.call("session.close", {"session": self.session})
        finally:
            if self._owns:
                self.connection.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Env(_Session):
    """One env session, with Gymnasium's API:

    ``reset(*, seed=None, options=None) -> (observation, info)`` (``options={"task": ...}`` or
    ``task=`` picks the task: a task id, or ``{"split": "train", "index": 0}``),
    ``step(action) -> (observation, reward, terminated, truncated, info)``, plus ``snapshot()`` /
    ``restore(state)`` to fork an episode, and ``close()``.
    """

    metadata: Dict[str, Any] = {"render_modes": []}

    def __init__(self, connection: Connection, session: str, env_id: str, spec: Optional[Mapping[str, Any]] = None, *, owns_connection: bool = False):
        super().__init__(connection, session, env_id, spec, owns_connection)

    def reset(self, *, seed: Optional[int] = None, options: Optional[Mapping[str, Any]] = None, task: Any = None) -> Tuple[Observation, Info]:
        r = self.connection.call("session.reset", _reset_params(self.session, seed, options, task))
        return r["observation"], r["info"]

    def step(self, action: str) -> StepResult:
        r = self.connection.call("session.step", {"session": self.session, "action": action})
        return StepResult(r["observation"], r["reward"], r["terminated"], r["truncated"], r["info"])

    def __repr__(self) -> str:
        return f"<ludus Env {self.id} session={self.session}>"


class EnvGroup:
    """N copies of one env that are identical after a reset with the same task and seed (a group
    for GRPO / GiGPO), reset and stepped together in one frame per call."""

    def __init__(self, connection: Connection, sessions: Sequence[str], env_id: str, spec: Optional[Mapping[str, Any]] = None):
        self.connection = connection
        self.envs = [Env(connection, s, env_id, spec) for s in sessions]
        self.id = env_id

    def __len__(self) -> int:
        return len(self.envs)

    def __iter__(self):
        return iter(self.envs)

    def __getitem__(self, i: int) -> Env:
        return self.envs[i]

    def reset(self, *, seed: int, task: Any = None) -> List[Tuple[Observation, Info]]:
        """Resets every copy on the same task and seed."""
        results = self.connection.batch([("session.reset", _reset_params(e.session, seed, None, task)) for e in self.envs])
        return [(r["observation"], r["info"]) for r in results]

    def step(self, actions: Sequence[Optional[str]]) -> List[Optional[StepResult]]:
        """Steps copy i with ``actions[i]`` (None skips it, e.g. once its episode ended)."""
        if len(actions) != len(self.envs):
            raise ValueError(f"step() needs one action per copy ({len(self.envs)}), got {len(actions)}")
        live = [(i, a) for i, a in enumerate(actions) if a is not None]
        results = self.connection.batch([("session.step", {"session": self.envs[i].session, "action": a}) for i, a in live])
        out: List[Optional[StepResult]] = [None] * len(self.envs)
        for (i, _), r in zip(live, results):
            out[i] = StepResult(r["observation"], r["reward"], r["terminated"], r["truncated"], r["info"])
        return out

    def close(self) -> None:
        open_ = [e for e in self.envs if not e._closed]
        for e in open_:
            e._closed = True
        if open_ and not self.connection.closed:
            self.connection.batch_settled([("session.close", {"session": e.session}) for e in open_])


def _by_seat(d: Mapping[str, Any]) -> Dict[int, Any]:
    return {int(k): v for k, v in d.items()}


class MultiAgentResult(NamedTuple):
    """A multi-agent reset or step: every seat's own observation and info, who acts now, the
    omniscient info; rewards, terminated and truncated for steps (PettingZoo's parallel API)."""

    observations: Dict[int, Observation]
    infos: Dict[int, Info]
    actors: List[int]
    info: Info
    rewards: Dict[int, float]
    terminated: bool
    truncated: bool


def _multi(r: Mapping[str, Any]) -> MultiAgentResult:
    return MultiAgentResult(
        _by_seat(r["observations"]),
        _by_seat(r["infos"]),
        list(r["actors"]),
        r["info"],
        _by_seat(r.get("rewards", {})),
        bool(r.get("terminated", False)),
        bool(r.get("truncated", False)),
    )


class MultiAgentEnv(_Session):
    """A multi-agent env whose opener steps every seat: ``reset`` and ``step({seat: action})``.
    The opener sees every seat's observation and the omniscient info: it hosts the game."""

    def __init__(self, connection: Connection, session: str, env_id: str, seats: int, spec: Optional[Mapping[str, Any]] = None, *, owns_connection: bool = False):
        super().__init__(connection, session, env_id, spec, owns_connection)
        self.seats = seats
        self._actors: List[int] = []

    def reset(self, *, seed: Optional[int] = None, options: Optional[Mapping[str, Any]] = None, task: Any = None) -> MultiAgentResult:
        r = _multi(self.connection.call("session.reset", _reset_params(self.session, seed, options, task)))
        self._actors = r.actors
        return r

    def step(self, actions: Mapping[int, Optional[str]]) -> MultiAgentResult:
        r = _multi(self.connection.call("session.step", {"session": self.session, "actions": {str(k): v for k, v in actions.items()}}))
        self._actors = r.actors
        return r

    def actors(self) -> List[int]:
        """The seats that must act now (as of the last reset, step or restore)."""
        return list(self._actors)

    def _restored(self, reply: Mapping[str, Any]) -> None:
        self._actors = list(reply.get("actors", self._actors))
