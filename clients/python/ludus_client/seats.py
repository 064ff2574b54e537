"""Multi-agent games played by seats (docs/protocol.md section 9): the opener of a game
(:class:`Game`) and the holder of one seat (:class:`Seat`), which the server pushes turns to.

>>> game = client.open_game("kuhn-poker-v1", seats={1: "bot:nash"})
>>> seat = client.claim_seat(game.session, 0)
>>> game.reset(seed=7)
>>> over = seat.play(lambda obs, info: obs["actions"][0])
>>> over["returns"]
"""

from __future__ import annotations

import queue
import time
from typing import Any, Callable, Dict, Iterator, NamedTuple, Optional, Union

from .connection import Connection
from .errors import ConnectionClosed, LudusError

Policy = Callable[[Dict[str, Any], Dict[str, Any]], str]


class Turn(NamedTuple):
    """A ``seat.turn``: the seat's own observation and info, the turn number to answer with, and
    the server's deadline (seconds since the epoch, or None)."""

    seat: int
    turn: int
    observation: Dict[str, Any]
    info: Dict[str, Any]
    deadline: Optional[float]


def _wait(q: "queue.Queue[Dict[str, Any]]", deadline: Optional[float], what: str) -> Dict[str, Any]:
    timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
    try:
        msg = q.get(timeout=timeout)
    except queue.Empty:
        raise LudusError("TIMEOUT", f"no {what} within the timeout") from None
    if msg["method"] == "connection.closed":
        raise ConnectionClosed(msg["params"]["message"])
    return msg


class Game:
    """The opener of a game played by seats: it resets (once every seat is held) and sees ``game.over``."""

    def __init__(self, connection: Connection, session: str, env_id: str, seats: int):
        self.connection = connection
        self.session = session
        self.id = env_id
        self.seats = seats
        self._events = connection.subscribe(session)
        self._closed = False

    def reset(self, *, seed: Optional[int] = None, task: Any = None) -> Dict[str, Any]:
        """Starts a game; waits (server side, up to ``claimTimeoutMs``) for every seat to be held.
        Returns ``{"turn", "actors", "holders"}``; turns are then pushed to the holders."""
        params: Dict[str, Any] = {"session": self.session}
        if seed is not None:
            params["seed"] = seed
        if task is not None:
            params["task"] = task
        return self.connection.call("session.reset", params)["game"]

    def wait_over(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Blocks until this game's ``game.over`` (every seat's returns, the reason, takeovers)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            msg = _wait(self._events, deadline, "game.over")
            if msg["method"] == "game.over":
                return msg["params"]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.connection.unsubscribe(self.session, self._events)
        if not self.connection.closed:
            self.connection.call("session.close", {"session": self.session})


class Seat:
    """One claimed seat: iterate :meth:`turns` and answer each with :meth:`act`, or hand a policy
    to :meth:`play`. ``result`` holds the ``game.over`` params once the game ended."""

    def __init__(self, connection: Connection, session: str, seat: int, claimed: Dict[str, Any], events: "queue.Queue[Dict[str, Any]]"):
        self.connection = connection
        self.session = session
        self.seat = seat
        self.env_id = claimed.get("env")
        self.seats = claimed.get("seats")
        self.result: Optional[Dict[str, Any]] = None
        self._events = events

    def turns(self, timeout: Optional[float] = None) -> Iterator[Turn]:
        """Yields this seat's turns until the game is over (then sets ``result`` and stops).
        ``timeout``: the longest wait for the next event, in seconds."""
        while True:
            deadline = None if timeout is None else time.monotonic() + timeout
            msg = _wait(self._events, deadline, f"turn for seat {self.seat}")
            params = msg["params"]
            if msg["method"] == "game.over":
                self.result = params
                return
            if msg["method"] == "seat.turn" and params.get("seat") == self.seat:
                d = params.get("deadline")
                yield Turn(self.seat, params["turn"], params["observation"], params.get("info", {}), None if d is None else d / 1000.0)

    def act(self, turn: Union[Turn, int], action: str) -> None:
        """Answers a turn. A refused action is not an error: the refusal comes in the next turn's ``info.invalid``."""
        number = turn.turn if isinstance(turn, Turn) else turn
        self.connection.call("seat.act", {"session": self.session, "seat": self.seat, "action": action, "turn": number})

    def play(self, policy: Policy, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Plays every turn with ``policy(observation, info) -> action``; returns the ``game.over`` params."""
        for turn in self.turns(timeout):
            self.act(turn, policy(turn.observation, turn.info))
        assert self.result is not None
        return self.result

    def release(self) -> None:
        """Gives the seat back (the game's fallback agent or a later claim takes it)."""
        self.connection.unsubscribe(self.session, self._events)
        if not self.connection.closed:
            self.connection.call("seat.release", {"session": self.session, "seat": self.seat})
