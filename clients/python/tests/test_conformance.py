"""The conformance checks of `ludus check`, run from Python over the wire: the same checks under
the same names pass on the server's envs, and fail on envs that break the contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ludus_cli

from ludus_client import Client
from ludus_client.check import check_env


@pytest.mark.parametrize("env_id", ["household-v1", "kuhn-poker-v1"])
def test_the_same_checks_as_ludus_check_pass(url: str, client: Client, env_id: str):
    report = check_env(client, env_id, episodes=1, max_steps=12)
    failed = [(r.name, r.message) for r in report.results if not r.ok]
    assert report.ok, failed
    cli = ludus_cli("check", url, "--env", env_id, "--episodes", "1", "--json")
    assert cli.returncode == 0, cli.stderr
    ts = json.loads(cli.stdout)[0]["report"]
    assert [r.name for r in report.results] == [r["name"] for r in ts["results"]]
    assert ts["ok"]


def test_the_toy_env_and_game_pass(test_envs_url: str):
    with Client(test_envs_url) as client:
        for env_id in ("toy-guess-v0", "toy-count-v0"):
            report = check_env(client, env_id, episodes=2)
            assert report.ok, [(r.name, r.message) for r in report.results if not r.ok]


BROKEN = [
    ("broken-guess-nondeterministic-v0", "same seed, task and actions give the same trajectory"),
    ("broken-guess-rejects-listed-v0", "every listed admissible action is accepted"),
    ("broken-guess-bad-restore-v0", "snapshot and restore behave as the env declares (continue identically, same env and a fresh one)"),
    ("broken-guess-throws-on-invalid-v0", "invalid actions are answered with info.invalid, never thrown"),
    ("broken-count-leaks-secret-v0", "no seat's observation contains another seat's private strings"),
    ("broken-count-nondeterministic-v0", "same seed, task and actions give the same game"),
    ("broken-count-no-actors-v0", "actors are valid until the end (someone acts while the game runs, nobody after)"),
]


@pytest.mark.parametrize("env_id,check", BROKEN)
def test_a_broken_env_fails_the_check_it_breaks(test_envs_url: str, env_id: str, check: str):
    with Client(test_envs_url) as client:
        report = check_env(client, env_id, episodes=2, max_steps=20)
    failed = {r.name: r.message for r in report.results if not r.ok}
    assert not report.ok
    assert check in failed, failed
    assert failed[check].startswith(check + ": ")


def test_the_command_line(test_envs_url: str):
    ok = subprocess.run([sys.executable, "-m", "ludus_client.check", test_envs_url, "--env", "toy-guess-v0", "--episodes", "1"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "toy-guess-v0 (ws://" in ok.stdout and "9/9 checks passed" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "ludus_client.check", test_envs_url, "--env", "broken-guess-rejects-listed-v0", "--episodes", "1", "--json"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    report = json.loads(bad.stdout)[0]["report"]
    assert not report["ok"]
