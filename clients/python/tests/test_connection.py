"""Timeouts and lost connections: callers get typed errors, never a hang."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import REPO, Server

from ludus_client import Client, ConnectionClosed, LudusError, RequestTimeout


def test_a_request_that_outlives_its_timeout_raises_and_the_connection_stays_usable(client: Client):
    # a seat game's reset waits (server side) for its seats to be claimed: a real slow request
    game = client.open_game("kuhn-poker-v1", claim_timeout_ms=1000)
    start = time.monotonic()
    with pytest.raises(RequestTimeout) as err:
        client.connection.call("session.reset", {"session": game.session, "seed": 1}, timeout=0.3)
    assert err.value.code == "TIMEOUT" and time.monotonic() - start < 1
    assert client.envs()  # still usable
    time.sleep(1.0)  # the late answer (SEAT_UNCLAIMED) arrives for nobody and is dropped
    assert client.envs()


def test_a_server_that_dies_fails_the_requests_in_flight_and_later_ones():
    server = Server([str(REPO / "bin" / "ludus.js"), "serve", "--port", "0"])
    try:
        client = Client(server.url)
        env = client.make("household-v1")
        env.reset(seed=0)
        game = client.open_game("kuhn-poker-v1", claim_timeout_ms=30_000)
        seat_events = client.connection.subscribe(game.session)
        failure = {}

        def waiting():
            try:
                client.connection.call("session.reset", {"session": game.session})
            except LudusError as err:
                failure["err"] = err

        t = threading.Thread(target=waiting)
        t.start()
        time.sleep(0.3)
        server.proc.kill()
        t.join(timeout=10)
        assert isinstance(failure.get("err"), ConnectionClosed)
        assert failure["err"].code == "CONNECTION_CLOSED"
        with pytest.raises(ConnectionClosed):
            env.step("look")
        assert seat_events.get(timeout=5)["method"] == "connection.closed"
        client.close()
    finally:
        server.stop()
