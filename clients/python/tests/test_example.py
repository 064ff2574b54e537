"""The worked example: a GRPO-style rollout loop over ludus envs, with a random policy and with an
OpenAI-compatible model (`ludus serve-policy` serving a policy trained here)."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
from pathlib import Path

import pytest
import rollout_loop
from conftest import NODE, REPO, ludus_cli

from ludus_client import Client


def test_random_policy_rollouts_become_grpo_rows(url: str, tmp_path: Path):
    with Client(url) as client:
        trajs = rollout_loop.collect(client, "household-v1", rollout_loop.random_policy(3), groups=2, group_size=3, max_steps=5, difficulty="easy")
    assert len(trajs) == 6 and all(1 <= len(t.steps) <= 5 for t in trajs)
    rows = rollout_loop.grpo_rows(trajs)
    assert len(rows) == sum(len(t.steps) for t in trajs)
    for g in (0, 1):
        advs = {r["trajectory"]: r["advantage"] for r in rows if r["group"] == g}
        assert abs(sum(advs.values())) < 1e-9  # group-relative: zero mean per group
    row = rows[0]
    assert row["messages"][-1]["role"] == "user" and "<admissible_actions>" in row["messages"][-1]["content"]
    summary = rollout_loop.main(["--url", url, "--groups", "2", "--group-size", "2", "--max-steps", "3", "--option", "difficulty=\"easy\"", "--out", str(tmp_path / "rows.jsonl")])
    assert summary["trajectories"] == 4
    lines = (tmp_path / "rows.jsonl").read_text().splitlines()
    assert len(lines) == summary["rows"] and "advantage" in json.loads(lines[0])


@pytest.fixture(scope="module")
def serve_policy(tmp_path_factory):
    pytest.importorskip("openai")
    d = tmp_path_factory.mktemp("policy")
    config = {"iterations": 1, "groups": 2, "groupSize": 2, "maxSteps": 8, "demos": 16, "sftEpochs": 30, "sftLr": 0.03, "model": {"featureDim": 512, "hidden": 16, "mlpHidden": 16}}
    (d / "tiny.json").write_text(json.dumps(config))
    trained = ludus_cli("train", "--config", str(d / "tiny.json"), "--db", str(d / "ludus.db"), "--checkpoint-dir", str(d / "ck"))
    assert trained.returncode == 0, trained.stderr
    proc = subprocess.Popen([NODE, str(REPO / "bin" / "ludus.js"), "serve-policy", "--checkpoint", str(d / "ck"), "--port", "0", "--model", "tiny"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    base = None
    for line in proc.stdout:
        m = re.search(r"listening (http://\S+)", line)
        if m:
            base = m.group(1)
            break
    assert base, "serve-policy did not start"
    yield base
    proc.terminate()
    assert proc.wait(timeout=15) == 0  # drains and exits cleanly on SIGTERM
    proc.stdout.close()


def test_an_openai_compatible_policy_drives_the_loop(url: str, serve_policy: str):
    policy = rollout_loop.openai_policy(serve_policy, "tiny", temperature=0, concurrency=4)
    with Client(url) as client:
        trajs = rollout_loop.collect(client, "household-v1", policy, groups=2, group_size=2, max_steps=6, difficulty="easy")
    for t in trajs:
        for s in t.steps:
            assert s["completion"] == f"Action: {s['action']}" and not s["invalid"]
    # greedy on identical copies: the two trajectories of a group are the same
    for g in (0, 1):
        a, b = [t for t in trajs if t.group == g]
        assert [s["action"] for s in a.steps] == [s["action"] for s in b.steps]
    assert statistics.fmean(len(t.steps) for t in trajs) > 0
