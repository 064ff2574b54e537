"""The chat prompt format of ludus's LLM agent (docs/llm.md, "The prompt"), in Python: what an
OpenAI-compatible model (or ``ludus serve-policy``) is sent for one decision, and how its reply's
action is read. Rendering here gives the same messages as ``agents/llm/prompt.ts``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

DEFAULT_SYSTEM_PROMPT = "\n".join(
    [
        "You are an agent acting in a text environment. Each turn you get your goal, the current observation and the admissible actions.",
        "Think briefly if it helps, then end your reply with exactly one line of the form",
        "Action: <one admissible action, copied exactly>",
    ]
)
CLOSING = "Choose the next action. End your reply with one line: Action: <one of the admissible actions>"
ACTION_PREFIX = "Action: "


def action_line(action: str) -> str:
    """One action as a line of the list (JSON-quoted when it could not be a plain line)."""
    if action == "" or "\n" in action or "\r" in action or action.startswith('"'):
        return json.dumps(action, ensure_ascii=False)
    return action


def render_prompt(
    env_id: str,
    observation: Mapping[str, Any],
    history: Sequence[Mapping[str, str]] = (),
    candidates: Optional[Sequence[str]] = None,
    seat: Optional[int] = None,
    system_prompt: str = DEFAULT_SYSTEM_PROMPT,
) -> List[Dict[str, str]]:
    """The chat messages for one decision. ``history``: earlier ``{"observation", "action"}``
    steps, oldest first; ``candidates`` default to the observation's admissible actions."""
    who = "" if seat is None else f", holding seat {seat}"
    messages = [{"role": "system", "content": f"{system_prompt}\nEnvironment: {env_id}{who}."}]
    for step in history:
        messages.append({"role": "user", "content": f"<observation>\n{step['observation']}\n</observation>"})
        messages.append({"role": "assistant", "content": f"{ACTION_PREFIX}{step['action']}"})
    listed = "".join(f"{action_line(a)}\n" for a in (observation["actions"] if candidates is None else candidates))
    goal = observation.get("goal")
    last = (
        ("" if goal is None else f"<goal>\n{goal}\n</goal>\n")
        + f"<observation>\n{observation['text']}\n</observation>\n"
        + f"<admissible_actions>\n{listed}</admissible_actions>\n"
        + CLOSING
    )
    messages.append({"role": "user", "content": last})
    return messages


_ACTION = re.compile(r"^[ \t>*_#-]*(?:\*\*|__)?action(?:\*\*|__)?[ \t]*(?:\*\*|__)?[:：](?:\*\*|__)?[ \t]*(.*?)[ \t\r]*$", re.IGNORECASE | re.MULTILINE)


def parse_action(reply: str) -> str:
    """The action of a reply: its last ``Action:`` line, else its last non-empty line (after any
    ``</think>``), with wrapping backticks, quotes and bold removed."""
    body = reply[reply.rfind("</think>") + len("</think>") :] if "</think>" in reply else reply
    found = [m.group(1) for m in _ACTION.finditer(body) if m.group(1)]
    text = found[-1] if found else next((line.strip() for line in reversed(body.split("\n")) if line.strip()), "")
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "`\"'":
        text = text[1:-1]
    return text.strip("*") if text.startswith("**") and text.endswith("**") else text
