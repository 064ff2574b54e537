"""Feeding ludus envs to a Python trainer's rollout loop (GRPO-style).

For each task, a group of N identical copies is reset on the same task and seed and stepped in
one frame per step; a policy answers each live copy with a chat reply (any OpenAI-compatible
model through the `openai` package, e.g. vLLM or `ludus serve-policy`, or a random baseline);
the loop keeps, per step, the chat prompt, the reply, the action and the reward, and at the end
gives each trajectory its group-relative advantage, (R - mean R) / (std R + eps), as GRPO does.
The rows are what a Python trainer (TRL, verl, OpenRLHF) consumes: prompt messages, completion,
advantage.

    ludus serve --port 8765 &
    python examples/rollout_loop.py --url ws://127.0.0.1:8765 --env household-v1 --groups 4 --group-size 4
    python examples/rollout_loop.py ... --base-url http://127.0.0.1:8000/v1 --model ludus-policy
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from ludus_client import Client
from ludus_client.prompt import parse_action, render_prompt

Messages = List[Dict[str, str]]
#: A policy answers a batch of prompts with one reply each.
Policy = Callable[[Sequence[Messages], Sequence[Dict[str, Any]]], List[str]]


def random_policy(seed: int = 0) -> Policy:
    rng = random.Random(seed)

    def act(prompts: Sequence[Messages], observations: Sequence[Dict[str, Any]]) -> List[str]:
        return [f"Action: {rng.choice(o['actions'])}" for o in observations]

    return act


def openai_policy(base_url: str, model: str, temperature: float = 1.0, concurrency: int = 8, api_key: str = "none") -> Policy:
    """Any OpenAI-compatible chat endpoint (needs the `openai` package)."""
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key=api_key)

    def one(messages: Messages) -> str:
        reply = client.chat.completions.create(model=model, messages=messages, temperature=temperature, max_tokens=256)
        return reply.choices[0].message.content or ""

    def act(prompts: Sequence[Messages], observations: Sequence[Dict[str, Any]]) -> List[str]:
        with ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(one, prompts))

    return act


@dataclass
class Trajectory:
    group: int
    copy: int
    steps: List[Dict[str, Any]] = field(default_factory=list)
    ret: float = 0.0
    success: bool = False


def collect(client: Client, env_id: str, policy: Policy, *, groups: int, group_size: int, seed: int = 0, max_steps: int = 10, history: int = 2, split: str = "train", **env_options: Any) -> List[Trajectory]:
    """Plays `groups` tasks (split indices 0..groups-1) with `group_size` copies each."""
    out: List[Trajectory] = []
    for g in range(groups):
        group = client.make_group(env_id, group_size, maxEpisodeSteps=max_steps, **env_options)
        try:
            resets = group.reset(seed=seed + g, task={"split": split, "index": g})
            obs = [o for o, _ in resets]
            trajs = [Trajectory(g, c) for c in range(group_size)]
            past: List[List[Dict[str, str]]] = [[] for _ in range(group_size)]
            done = [False] * group_size
            while not all(done):
                live = [c for c in range(group_size) if not done[c]]
                prompts = [render_prompt(env_id, obs[c], past[c][-history:] if history else []) for c in live]
                replies = policy(prompts, [obs[c] for c in live])
                actions: List[Optional[str]] = [None] * group_size
                for c, reply in zip(live, replies):
                    actions[c] = parse_action(reply)
                results = group.step(actions)
                for c, prompt, reply in zip(live, prompts, replies):
                    r = results[c]
                    assert r is not None
                    trajs[c].steps.append({"messages": prompt, "completion": reply, "action": actions[c], "reward": r.reward, "invalid": "invalid" in r.info})
                    trajs[c].ret += r.reward
                    past[c].append({"observation": obs[c]["text"], "action": actions[c]})
                    obs[c] = r.observation
                    if r.terminated or r.truncated:
                        done[c] = True
                        trajs[c].success = bool(r.info.get("success"))
            out.extend(trajs)
        finally:
            group.close()
    return out


def grpo_rows(trajectories: Sequence[Trajectory], eps: float = 1e-6) -> List[Dict[str, Any]]:
    """One row per step with its trajectory's group-relative advantage (sample std, as TRL and verl)."""
    by_group: Dict[int, List[Trajectory]] = {}
    for t in trajectories:
        by_group.setdefault(t.group, []).append(t)
    rows = []
    for g, trajs in sorted(by_group.items()):
        returns = [t.ret for t in trajs]
        mean = statistics.fmean(returns)
        std = statistics.stdev(returns) if len(returns) > 1 else 0.0
        for t in trajs:
            advantage = 0.0 if std == 0 else (t.ret - mean) / (std + eps)
            for k, s in enumerate(t.steps):
                rows.append({"group": g, "trajectory": f"{g}/{t.copy}", "t": k, "messages": s["messages"], "completion": s["completion"], "reward": s["reward"], "return": t.ret, "advantage": advantage})
    return rows


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="ws://127.0.0.1:8765")
    p.add_argument("--env", default="household-v1")
    p.add_argument("--groups", type=int, default=4)
    p.add_argument("--group-size", type=int, default=4)
    p.add_argument("--max-steps", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--option", action="append", default=[], help="env option key=value (JSON values), e.g. difficulty=easy")
    p.add_argument("--base-url", help="an OpenAI-compatible API root; default: a random policy")
    p.add_argument("--model", default="ludus-policy")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--out", help="write the rows as JSON lines here")
    args = p.parse_args(argv)
    options = {}
    for kv in args.option:
        k, _, v = kv.partition("=")
        try:
            options[k] = json.loads(v)
        except ValueError:
            options[k] = v
    policy = openai_policy(args.base_url, args.model, args.temperature) if args.base_url else random_policy(args.seed)
    with Client(args.url) as client:
        trajs = collect(client, args.env, policy, groups=args.groups, group_size=args.group_size, seed=args.seed, max_steps=args.max_steps, **options)
    rows = grpo_rows(trajs)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    summary = {
        "trajectories": len(trajs),
        "rows": len(rows),
        "successRate": sum(t.success for t in trajs) / len(trajs),
        "meanReturn": statistics.fmean(t.ret for t in trajs),
        "invalidActions": sum(s["invalid"] for t in trajs for s in t.steps),
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
