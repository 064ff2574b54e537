"""ludus_client.Env against a real `ludus serve`: the Gymnasium-style contract over the wire."""

from __future__ import annotations

import threading

import pytest

import ludus_client
from ludus_client import Client, LudusError

TASK = {"split": "train", "index": 3}


def test_lists_the_servers_envs(client: Client):
    envs = {e["id"]: e for e in client.envs()}
    assert {"household-v1", "shop-v1", "kuhn-poker-v1"} <= set(envs)
    assert envs["household-v1"]["kind"] == "single"
    assert envs["kuhn-poker-v1"]["kind"] == "multi"
    assert envs["kuhn-poker-v1"]["seats"]["count"] == 2
    assert client.connection.limits["protocol"] == "1"


def test_reset_step_like_gymnasium(client: Client):
    env = client.make("household-v1", difficulty="easy", maxEpisodeSteps=5)
    obs, info = env.reset(seed=7, options={"task": TASK})
    assert isinstance(obs["text"], str) and obs["actions"] and obs["goal"]
    assert info["task"]["split"] == "train" and info["task"]["index"] == 3
    steps = 0
    terminated = truncated = False
    while not (terminated or truncated):
        obs, reward, terminated, truncated, info = env.step(obs["actions"][0])
        steps += 1
        assert isinstance(reward, (int, float))
    assert truncated and not terminated and steps == 5  # the time limit truncates
    with pytest.raises(LudusError) as over:
        env.step("look")
    assert over.value.code == "EPISODE_OVER" and over.value.rpc_code == -32003
    env.close()
    env.close()  # idempotent


def test_same_seed_and_actions_give_the_same_episode(client: Client):
    def play():
        env = client.make("household-v1", difficulty="easy")
        obs, _ = env.reset(seed=3, task=TASK)
        out = [obs]
        for k in range(6):
            r = env.step(obs["actions"][k % len(obs["actions"])])
            obs = r.observation
            out.append(r)
        env.close()
        return out

    assert play() == play()


def test_snapshot_and_restore_fork_an_episode(client: Client):
    env = client.make("household-v1", difficulty="easy")
    obs, _ = env.reset(seed=1, task=TASK)
    obs = env.step(obs["actions"][0]).observation
    state = env.snapshot()
    first = [env.step(a) for a in obs["actions"][:3]]
    env.restore(state)
    again = [env.step(a) for a in obs["actions"][:3]]
    assert first == again
    other = client.make("household-v1", difficulty="easy")  # a fresh session continues from it too
    other.reset(seed=99)
    other.restore(state)
    assert [other.step(a) for a in obs["actions"][:3]] == first


def test_invalid_actions_are_answered_not_raised(client: Client):
    env = client.make("household-v1", difficulty="easy")
    env.reset(seed=1, task=TASK)
    obs, reward, terminated, truncated, info = env.step("fly to the moon")
    assert info["invalid"]["code"] and info["invalid"]["suggestions"]
    assert not terminated


def test_errors_carry_the_stable_codes(client: Client):
    with pytest.raises(LudusError) as unknown:
        client.make("houshold-v1")
    assert unknown.value.code == "ENV_UNKNOWN" and "household-v1" in unknown.value.data["suggestions"]
    with pytest.raises(LudusError) as bad:
        client.make("household-v1", difficulty="impossible")
    assert bad.value.code == "OPTIONS_INVALID"
    env = client.make("household-v1")
    with pytest.raises(LudusError) as early:
        env.step("look")
    assert early.value.code == "RESET_NEEDED"
    with pytest.raises(LudusError) as task:
        env.reset(seed=0, task={"split": "train", "index": 10**6})
    assert task.value.code == "TASK_UNKNOWN"
    with pytest.raises(LudusError) as state:
        env.restore({"not": "a snapshot"})
    assert state.value.code == "STATE_INVALID"
    env.close()
    with pytest.raises(LudusError) as closed:
        env.connection.call("session.reset", {"session": env.session})
    assert closed.value.code == "SESSION_UNKNOWN"


def test_make_owns_its_connection(url: str):
    with ludus_client.make("household-v1", url=url, difficulty="easy") as env:
        obs, _ = env.reset(seed=0)
        assert env.spec["id"] == "household-v1" and env.spec["splits"]["train"] > 0
    assert env.connection.closed


def test_many_threads_share_one_connection(client: Client):
    envs = [client.make("household-v1", difficulty="easy") for _ in range(8)]
    results = {}

    def run(i):
        obs, _ = envs[i].reset(seed=i, task=TASK)
        for _ in range(4):
            obs = envs[i].step(obs["actions"][-1]).observation
        results[i] = obs["text"]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8


def test_a_refused_connection_says_so():
    with pytest.raises(ludus_client.ConnectionClosed) as err:
        Client("ws://127.0.0.1:9", timeout=2)
    assert "Cannot connect" in str(err.value)
