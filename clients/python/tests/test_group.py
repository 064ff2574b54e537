"""Groups of copies (GRPO / GiGPO groups): identical after the same reset, stepped in one frame."""

from __future__ import annotations

import pytest

from ludus_client import Client, LudusError


def test_copies_are_identical_after_the_same_reset_and_diverge_only_by_action(client: Client):
    group = client.make_group("household-v1", 4, difficulty="easy")
    assert len(group) == 4 and len({e.session for e in group}) == 4
    resets = group.reset(seed=11, task={"split": "train", "index": 5})
    assert all(r == resets[0] for r in resets)
    first = resets[0][0]["actions"]
    same = group.step([first[0]] * 4)
    assert all(s == same[0] for s in same)
    different = group.step([first[0], first[1], first[0], first[1]])
    assert different[0] == different[2] and different[1] == different[3]
    assert different[0].observation != different[1].observation
    group.close()


def test_none_skips_a_copy_and_the_group_plays_to_the_end(client: Client):
    group = client.make_group("household-v1", 3, difficulty="easy", maxEpisodeSteps=4)
    obs = [o for o, _ in group.reset(seed=2)]
    done = [False] * 3
    lengths = [0] * 3
    while not all(done):
        actions = [None if done[i] else obs[i]["actions"][i % len(obs[i]["actions"])] for i in range(3)]
        for i, r in enumerate(group.step(actions)):
            if r is None:
                continue
            assert not done[i]
            lengths[i] += 1
            obs[i] = r.observation
            done[i] = r.terminated or r.truncated
    assert lengths == [4, 4, 4] or all(1 <= n <= 4 for n in lengths)
    with pytest.raises(ValueError):
        group.step(["look"])
    group.close()
    with pytest.raises(LudusError) as gone:
        group[0].step("look")
    assert gone.value.code == "SESSION_UNKNOWN"


def test_copies_over_the_server_limit_are_refused(client: Client):
    with pytest.raises(LudusError) as err:
        client.make_group("household-v1", 10_000)
    assert err.value.code in ("INVALID_PARAMS", "SESSION_LIMIT")
