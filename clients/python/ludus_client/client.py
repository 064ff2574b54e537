"""The entry point: a :class:`Client` (one connection) makes envs, groups, multi-agent envs and
games; :func:`make` is the one-liner for a single env with a connection of its own."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from .connection import Connection
from .env import Env, EnvGroup, MultiAgentEnv
from .errors import LudusError
from .seats import Game, Seat

DEFAULT_URL = "ws://127.0.0.1:8765"


class Client:
    """One connection to a ludus env server; everything it opens lives on that connection (and is
    closed by the server when the connection closes).

    >>> with Client("ws://127.0.0.1:8765") as client:
    ...     env = client.make("household-v1", difficulty="easy")
    ...     obs, info = env.reset(seed=1, task={"split": "train", "index": 0})
    """

    def __init__(self, url: str = DEFAULT_URL, token: Optional[str] = None, *, timeout: float = 60.0):
        self.connection = Connection(url, token, timeout=timeout)
        self._specs: Optional[Dict[str, Dict[str, Any]]] = None

    def envs(self) -> List[Dict[str, Any]]:
        """The server's envs (``envs.list``): id, kind, seats, splits, limits, capabilities."""
        envs = self.connection.call("envs.list")["envs"]
        self._specs = {e["id"]: e for e in envs}
        return envs

    def spec(self, env_id: str) -> Dict[str, Any]:
        """One env's summary, or ``ENV_UNKNOWN`` naming the ones the server has."""
        if self._specs is None or env_id not in self._specs:
            self.envs()
        assert self._specs is not None
        if env_id not in self._specs:
            raise LudusError("ENV_UNKNOWN", f"The server has no env '{env_id}': it serves {', '.join(sorted(self._specs))}.", None, {"id": env_id})
        return self._specs[env_id]

    def _open(self, env_id: str, options: Mapping[str, Any], copies: int = 1, **extra: Any) -> Dict[str, Any]:
        params: Dict[str, Any] = {"env": env_id, "options": dict(options), **extra}
        if copies != 1:
            params["copies"] = copies
        return self.connection.call("session.open", params)

    def make(self, env_id: str, **options: Any) -> Env:
        """A single-agent env (``options`` as for ``make``: ``maxEpisodeSteps``, ``invalidActionPolicy``, the env's own)."""
        opened = self._open(env_id, options)
        return Env(self.connection, opened["sessions"][0], env_id, self._known(env_id))

    def make_group(self, env_id: str, copies: int, **options: Any) -> EnvGroup:
        """``copies`` identical envs (a GRPO / GiGPO group), stepped in one frame per step."""
        opened = self._open(env_id, options, copies)
        return EnvGroup(self.connection, opened["sessions"], env_id, self._known(env_id))

    def make_multi(self, env_id: str, **options: Any) -> MultiAgentEnv:
        """A multi-agent env whose seats this client steps itself (``step({seat: action})``)."""
        opened = self._open(env_id, options)
        return MultiAgentEnv(self.connection, opened["sessions"][0], env_id, int(opened["seats"]), self._known(env_id))

    def open_game(
        self,
        env_id: str,
        seats: Optional[Mapping[int, str]] = None,
        *,
        turn_timeout_ms: Optional[int] = None,
        claim_timeout_ms: Optional[int] = None,
        fallback: Optional[str] = None,
        **options: Any,
    ) -> Game:
        """A game played by seats: ``seats`` puts built-in agents in some seats (``{1: "bot:nash"}``);
        the others wait for :meth:`claim_seat` (from this or any connection)."""
        extra: Dict[str, Any] = {"seats": {str(k): v for k, v in (seats or {}).items()}}
        if turn_timeout_ms is not None:
            extra["turnTimeoutMs"] = turn_timeout_ms
        if claim_timeout_ms is not None:
            extra["claimTimeoutMs"] = claim_timeout_ms
        if fallback is not None:
            extra["fallback"] = fallback
        opened = self._open(env_id, options, **extra)
        return Game(self.connection, opened["sessions"][0], env_id, int(opened["seats"]))

    def claim_seat(self, session: str, seat: int) -> Seat:
        """Holds ``seat`` of a game opened by seats; its turns are pushed to this connection."""
        events = self.connection.subscribe(session)  # before the claim: the first turn may follow at once
        try:
            claimed = self.connection.call("seat.claim", {"session": session, "seat": seat})
        except BaseException:
            self.connection.unsubscribe(session, events)
            raise
        return Seat(self.connection, session, seat, claimed, events)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _known(self, env_id: str) -> Optional[Dict[str, Any]]:
        try:
            return self.spec(env_id)
        except LudusError:
            return None


def make(env_id: str, url: str = DEFAULT_URL, token: Optional[str] = None, *, timeout: float = 60.0, **options: Any) -> Env:
    """A single env on a connection of its own (closed with the env).

    >>> env = make("household-v1", url="ws://127.0.0.1:8765", difficulty="easy")
    >>> obs, info = env.reset(seed=0)
    >>> obs, reward, terminated, truncated, info = env.step(obs["actions"][0])
    >>> env.close()
    """
    connection = Connection(url, token, timeout=timeout)
    try:
        opened = connection.call("session.open", {"env": env_id, "options": options})
        envs = connection.call("envs.list")["envs"]
    except BaseException:
        connection.close()
        raise
    spec = next((e for e in envs if e["id"] == env_id), None)
    return Env(connection, opened["sessions"][0], env_id, spec, owns_connection=True)
