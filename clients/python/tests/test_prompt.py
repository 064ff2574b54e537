"""The Python prompt renders exactly what the TypeScript LLM agent sends, and reads replies alike."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import NODE, REPO

from ludus_client.prompt import parse_action, render_prompt

CASES = [
    {"envId": "household-v1", "goal": "put a mug in the sink.", "text": "You see a mug 1.\nAnd a sink.", "history": [{"observation": "Start.", "action": "look"}], "candidates": ["take mug 1", "look", "", '"q"', "two\nlines"]},
    {"envId": "kuhn-poker-v1", "seat": 1, "text": "Your card: K.", "history": [], "candidates": ["check", "bet"]},
]


def ts_render(case):
    script = "import { renderPrompt } from './agents/llm/prompt.ts'; let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => process.stdout.write(JSON.stringify(renderPrompt(JSON.parse(s)))));"
    out = subprocess.run([NODE, "--import", "tsx", "--input-type=module", "-e", script], cwd=REPO, input=json.dumps(case), capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("case", CASES)
def test_same_messages_as_the_typescript_agent(case):
    observation = {"text": case["text"], "actions": case["candidates"], **({"goal": case["goal"]} if "goal" in case else {})}
    ours = render_prompt(case["envId"], observation, case["history"], seat=case.get("seat"))
    assert ours == ts_render(case)


@pytest.mark.parametrize(
    "reply,action",
    [
        ("Action: go to desk 1", "go to desk 1"),
        ("I think.\n**Action:** `open drawer 2`", "open drawer 2"),
        ("<think>Action: look</think>\nAction: inventory", "inventory"),
        ("just this line\n", "just this line"),
        ('Action: "take key"\r\n', "take key"),
    ],
)
def test_parse_action(reply, action):
    assert parse_action(reply) == action
