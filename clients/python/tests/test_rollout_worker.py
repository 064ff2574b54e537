"""The group-rollout worker (ludus_client.rollout) against a real `ludus serve`: identical resets per
group, every turn recorded with the generator's tokens, GiGPO advantages from the server's
`advantages.compute` equal to ludus's own estimator run from the CLI's store path."""

from __future__ import annotations

import asyncio
import random

import pytest

from ludus_client import Client, LudusError
from ludus_client.rollout import Completion, GroupEnvManager, collect_groups, match_action


def random_generator(seed: int):
    rng = random.Random(seed)

    async def generate(prompts):
        out = []
        for p in prompts:
            block = p[-1]["content"].split("<admissible_actions>\n", 1)[1].split("</admissible_actions>", 1)[0]
            actions = [a for a in block.split("\n") if a]
            pick = rng.choice(actions + ["dance wildly"])  # sometimes an action the env refuses
            text = f"Action: {pick}"
            out.append(Completion(text=text, prompt_ids=[1, 2, 3], completion_ids=list(text.encode()), logprobs=[-0.5] * len(text.encode())))
        return out

    return generate


def test_match_action():
    assert match_action("Look.", ["look", "inventory"]) == "look"
    assert match_action("go  to Desk 1", ["go to desk 1"]) == "go to desk 1"
    assert match_action("fly", ["look"]) == "fly"


def test_groups_of_identical_resets_with_every_turn_and_server_side_gigpo(url: str):
    with Client(url, timeout=60) as client:
        rollout = asyncio.run(collect_groups(client, "household-v1", random_generator(1), tasks=[0, 1], seeds=[5, 6], group_size=3, max_steps=6, difficulty="easy"))
        turns = rollout.turns
        by_traj = {}
        for t in turns:
            by_traj.setdefault(t.traj_id, []).append(t)
        assert sorted(by_traj) == ["i0g0/0", "i0g0/1", "i0g0/2", "i0g1/0", "i0g1/1", "i0g1/2"]
        for g in ("i0g0", "i0g1"):
            firsts = {by_traj[f"{g}/{c}"][0].prompt[-1]["content"] for c in range(3)}
            assert len(firsts) == 1  # the copies of a group start identically
        for ts in by_traj.values():
            assert [t.t for t in ts] == list(range(len(ts))) and ts[-1].done and 1 <= len(ts) <= 6
            assert all(t.episode_return == sum(x.reward for x in ts) for t in ts)
        assert any(t.invalid == "UNKNOWN_VERB" for t in turns)  # "dance wildly" was refused, and recorded
        t0 = turns[0]
        assert t0.prompt[0]["role"] == "system" and "<admissible_actions>" in t0.prompt[-1]["content"]
        assert t0.completion_ids == list(t0.completion.encode()) and t0.loss_mask == [1] * len(t0.completion_ids)

        stats = rollout.advantages("gigpo", invalidPenalty=0.1)
        assert stats["estimator"] == "gigpo" and stats["rows"] == len(turns) and stats["groups"] == 2
        assert all(t.advantage is not None for t in turns)
        # the invalid-action penalty alone gives signal: invalid turns score below the others
        assert any(t.advantage != 0 for t in turns)
        # GiGPO: A = A^E + 1·A^S, and the anchor groups hold the same observation
        for t in turns:
            assert t.advantage == pytest.approx(t.episode_advantage + t.step_advantage, abs=1e-12)
        groups = {}
        for t in turns:
            groups.setdefault((t.group_id, t.anchor_group), set()).add(t.anchor)
        assert all(len(anchors) == 1 for anchors in groups.values())
        # the same rows through GRPO: one advantage per trajectory, no step part
        grpo = rollout.advantages("grpo")
        assert grpo["estimator"] == "grpo" and all(t.step_advantage == 0 and t.anchor_group is None for t in turns)


def test_the_env_manager_api_and_its_errors(url: str):
    with Client(url, timeout=60) as client:
        manager = GroupEnvManager(client, "household-v1", group_size=2, max_steps=2, difficulty="easy")
        prompts = asyncio.run(manager.reset([{"split": "train", "index": 3}], [9]))
        assert len(prompts) == 2 and prompts[0] == prompts[1]
        with pytest.raises(ValueError, match="one completion per live copy"):
            asyncio.run(manager.step(["Action: look"]))
        with pytest.raises(ValueError, match="no trajectory has finished"):
            manager.advantages()
        prompts, rewards, dones, infos = asyncio.run(manager.step(["Action: look", "Action: inventory"]))
        assert rewards == [0.0, 0.0] and dones == [False, False] and len(prompts) == 2
        prompts, rewards, dones, infos = asyncio.run(manager.step(["Action: look", "Action: look"]))
        assert dones == [True, True] and prompts == [] and manager.live == 0
        with pytest.raises(LudusError) as err:
            client.connection.call("advantages.compute", {"estimator": "gigpo", "rows": manager.rows(), "options": {"gama": 1}})
        assert err.value.code == "INVALID_PARAMS" and "gama" in str(err.value)
        manager.close()
