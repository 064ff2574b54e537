"""Multi-agent play over the wire: an opener stepping every seat, and seats held by clients with
turns pushed by the server (kuhn-poker-v1, a real 2-seat game)."""

from __future__ import annotations

import threading

import pytest

from ludus_client import Client, LudusError


def test_the_opener_steps_every_seat(client: Client):
    env = client.make_multi("kuhn-poker-v1")
    assert env.seats == 2
    r = env.reset(seed=3, task="kuhn/train/2")
    assert set(r.observations) == {0, 1} and r.actors == env.actors()
    assert "Your card" in r.observations[0]["text"]
    # an off-turn seat is answered in its info, the game goes on
    idle = 1 - r.actors[0]
    off = env.step({idle: "bet"})
    assert off.infos[idle]["invalid"]["code"] == "NOT_YOUR_TURN" and off.actors == r.actors
    while not (r.terminated or r.truncated):
        seat = r.actors[0]
        r = env.step({seat: r.observations[seat]["actions"][0]})
    assert sum(r.rewards.values()) == 0 or r.terminated
    with pytest.raises(LudusError) as over:
        env.step({0: "check"})
    assert over.value.code == "EPISODE_OVER"
    env.close()


def test_one_seat_against_a_built_in_bot(client: Client):
    game = client.open_game("kuhn-poker-v1", seats={1: "bot:nash"})
    seat = client.claim_seat(game.session, 0)
    assert seat.env_id == "kuhn-poker-v1" and seat.seats == 2
    started = game.reset(seed=7)
    assert started["holders"] == {"0": "client", "1": "bot:nash"}
    seen = []

    def policy(observation, info):
        seen.append(observation)
        assert observation["seat"] == 0
        return "call" if "call" in observation["actions"] else "check"

    over = seat.play(policy, timeout=30)
    assert seen and over["returns"]["0"] == -over["returns"]["1"]
    assert over["seats"]["0"]["return"] == over["returns"]["0"]
    assert "1" not in over["seats"]  # never another seat's private view
    assert game.wait_over(timeout=10)["returns"] == over["returns"]
    game.close()


def test_two_clients_hold_the_two_seats(url: str, client: Client):
    game = client.open_game("kuhn-poker-v1")
    results = {}
    errors = []

    def hold(seat_number: int):
        try:
            with Client(url) as other:
                seat = other.claim_seat(game.session, seat_number)
                turns = 0
                for turn in seat.turns(timeout=30):
                    turns += 1
                    # first answer with a refused move: it comes back in the next turn's info
                    if turns == 1 and seat_number == 0:
                        seat.act(turn, "fold the table")
                        continue
                    if turns == 2 and seat_number == 0:
                        assert turn.info["invalid"]["code"]
                    seat.act(turn, turn.observation["actions"][-1])
                results[seat_number] = (turns, seat.result)
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=hold, args=(s,)) for s in (0, 1)]
    for t in threads:
        t.start()
    started = game.reset(seed=11, task="kuhn/train/0")
    assert started["holders"] == {"0": "client", "1": "client"}
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert results[0][1]["returns"] == results[1][1]["returns"]
    assert sum(results[0][1]["returns"].values()) == 0
    assert results[0][0] >= 2
    game.close()


def test_seat_misuse_is_an_error_for_that_request_only(client: Client):
    game = client.open_game("kuhn-poker-v1", seats={1: "bot:nash"})
    with pytest.raises(LudusError) as taken:
        client.claim_seat(game.session, 1)
    assert taken.value.code == "SEAT_TAKEN"
    with pytest.raises(LudusError) as unknown:
        client.claim_seat(game.session, 5)
    assert unknown.value.code == "SEAT_UNKNOWN"
    seat = client.claim_seat(game.session, 0)
    game.reset(seed=1)
    turn = next(seat.turns(timeout=30))
    seat.act(turn, turn.observation["actions"][0])
    with pytest.raises(LudusError) as twice:
        seat.act(turn, turn.observation["actions"][0])
    # refused for this request only (the game may already be over after the bot's answer)
    assert twice.value.code in ("ALREADY_ACTED", "NOT_YOUR_TURN", "EPISODE_OVER")
    for later in seat.turns(timeout=30):
        seat.act(later, later.observation["actions"][0])
    assert seat.result is not None and seat.result["terminated"]
    assert client.envs()  # the connection is fine
    game.close()
