"""Group rollouts for a Python LLM trainer (TRL, verl, OpenRLHF): ludus envs as the environment
half of the loop, the trainer's model as the policy.

:class:`GroupEnvManager` is a verl-agent-style env manager: ``reset`` opens G groups of N
identical copies (one task and seed per group) and returns one chat prompt per copy; ``step``
takes one completion per live copy, parses its action, steps every group in one frame and returns
the next prompts, rewards and dones. It records every turn (prompt messages, completion text, and
the token ids and log-probs the generator returns), and :meth:`GroupEnvManager.advantages` sends
the turns' rows to the env server's ``advantages.compute`` (GiGPO, GRPO or RLOO, exactly ludus's
trainer estimators, docs/protocol.md) and writes the advantages back onto the turns.

:func:`collect_groups` runs that loop with an async ``generate`` function (any model: an
``AsyncOpenAI`` client on vLLM, a local ``transformers`` model) and returns the turns: what a
trainer's update step needs, per turn::

    prompt (messages), prompt_ids, completion, completion_ids, logprobs (old), loss mask, advantage

>>> async def generate(prompts):            # one completion per prompt
...     return [Completion(text="Action: look") for _ in prompts]
>>> with Client(url) as client:
...     rollout = asyncio.run(collect_groups(client, "household-v1", generate, tasks=[0, 1], group_size=4))
...     rollout.advantages("gigpo")
...     batch = rollout.turns
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .client import Client
from .env import EnvGroup
from .prompt import parse_action, render_prompt

Messages = List[Dict[str, str]]


@dataclass
class Completion:
    """What a generator returned for one prompt. Token fields are optional (None when unknown)."""

    text: str
    prompt_ids: Optional[List[int]] = None
    completion_ids: Optional[List[int]] = None
    logprobs: Optional[List[float]] = None


#: An async generator: one completion (or plain text) per prompt, in order.
Generate = Callable[[List[Messages]], Awaitable[Sequence[Union[Completion, str]]]]


@dataclass
class Turn:
    """One decision of one trajectory: what the model read and wrote, and what the env answered."""

    group_id: str
    traj_id: str
    t: int
    prompt: Messages
    completion: str
    action: str
    prompt_ids: Optional[List[int]]
    completion_ids: Optional[List[int]]
    logprobs: Optional[List[float]]
    #: GiGPO's anchor: the anchor text of the observation acted on; and its state key.
    anchor: str
    state_key: str
    reward: float = 0.0
    #: The env's invalid-action code when it refused the action, else None.
    invalid: Optional[str] = None
    done: bool = False
    episode_return: float = 0.0
    success: bool = False
    advantage: Optional[float] = None
    episode_advantage: Optional[float] = None
    step_advantage: Optional[float] = None
    anchor_group: Optional[int] = None

    @property
    def loss_mask(self) -> Optional[List[int]]:
        """1 on every completion token (the whole completion is trained on); None when no token is known."""
        n = len(self.completion_ids) if self.completion_ids is not None else len(self.logprobs) if self.logprobs is not None else None
        return None if n is None else [1] * n


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower()).rstrip(".")


def match_action(text: str, candidates: Sequence[str]) -> str:
    """The admissible action the text names (exactly, or up to case, spacing and a final period),
    else the text as written (the env's invalid-action policy applies to it)."""
    if text in candidates:
        return text
    wanted = _norm(text)
    for c in candidates:
        if _norm(c) == wanted:
            return c
    return text


@dataclass
class _Copy:
    group: int
    copy: int
    observation: Dict[str, Any]
    info: Dict[str, Any]
    history: List[Dict[str, str]] = field(default_factory=list)
    turns: List[Turn] = field(default_factory=list)
    done: bool = False
    pending: Optional[Messages] = None


class GroupEnvManager:
    """G groups × N copies of one env on a ludus server, stepped as a verl-agent env manager.

    ``reset(tasks, seeds)`` → prompts of every copy; ``step(completions)`` (one per live copy, in
    the order of the last prompts) → ``(prompts, rewards, dones, infos)`` for the copies still
    live. ``turns`` holds every turn so far, trajectory by trajectory.
    """

    def __init__(self, client: Client, env_id: str, *, group_size: int, history: int = 4, max_steps: Optional[int] = None, iteration: Union[int, str] = 0, system_prompt: Optional[str] = None, **options: Any):
        self.client = client
        self.system_prompt = system_prompt
        self.env_id = env_id
        self.group_size = group_size
        self.history = history
        self.iteration = iteration
        self.options = dict(options)
        if max_steps is not None:
            self.options["maxEpisodeSteps"] = max_steps
        self._groups: List[EnvGroup] = []
        self._copies: List[_Copy] = []
        self._live: List[_Copy] = []

    # -- the env manager API --------------------------------------------------------------------

    async def reset(self, tasks: Sequence[Any], seeds: Sequence[int]) -> List[Messages]:
        """Opens one group per task (``{"split": "train", "index": i}``, a task id, or an index into
        the train split) and resets its copies on the task and its seed."""
        if len(tasks) != len(seeds):
            raise ValueError(f"reset() needs one seed per task, got {len(tasks)} tasks and {len(seeds)} seeds")
        self.close()

        def open_one(g: int) -> tuple:
            task = tasks[g]
            ref = {"split": "train", "index": task} if isinstance(task, int) else task
            group = self.client.make_group(self.env_id, self.group_size, **self.options)
            try:
                return group, [_Copy(g, c, obs, info) for c, (obs, info) in enumerate(group.reset(seed=int(seeds[g]), task=ref))]
            except BaseException:
                group.close()
                raise

        opened = await asyncio.gather(*(asyncio.to_thread(open_one, g) for g in range(len(tasks))))
        self._groups = [group for group, _ in opened]
        self._copies = [c for _, copies in opened for c in copies]
        self._live = list(self._copies)
        return [self._prompt(c) for c in self._live]

    async def step(self, completions: Sequence[Union[Completion, str]]) -> tuple:
        """Acts on every live copy; returns ``(prompts, rewards, dones, infos)`` of the copies that
        were live (prompts only for those still live afterwards, in order)."""
        if len(completions) != len(self._live):
            raise ValueError(f"step() needs one completion per live copy ({len(self._live)}), got {len(completions)}")
        by_group: Dict[int, Dict[int, tuple]] = {}
        for copy, raw in zip(self._live, completions):
            comp = raw if isinstance(raw, Completion) else Completion(text=str(raw))
            action = match_action(parse_action(comp.text), copy.observation.get("actions", []))
            by_group.setdefault(copy.group, {})[copy.copy] = (copy, comp, action)

        def step_group(g: int) -> None:
            group = self._groups[g]
            acting = by_group[g]
            actions = [acting[c][2] if c in acting else None for c in range(self.group_size)]
            results = group.step(actions)
            for c, (copy, comp, action) in acting.items():
                r = results[c]
                assert r is not None
                invalid = r.info.get("invalid")
                turn = Turn(
                    group_id=f"i{self.iteration}g{g}",
                    traj_id=f"i{self.iteration}g{g}/{c}",
                    t=len(copy.turns),
                    prompt=copy.pending or [],
                    completion=comp.text,
                    action=action,
                    prompt_ids=comp.prompt_ids,
                    completion_ids=comp.completion_ids,
                    logprobs=comp.logprobs,
                    anchor=copy.observation.get("anchor", copy.observation.get("text", "")),
                    state_key=str(copy.info.get("stateKey", "")),
                    reward=float(r.reward),
                    invalid=invalid.get("code") if isinstance(invalid, dict) else None,
                )
                copy.turns.append(turn)
                copy.history.append({"observation": copy.observation["text"], "action": action})
                copy.observation, copy.info = r.observation, r.info
                if r.terminated or r.truncated:
                    copy.done = True
                    total = sum(x.reward for x in copy.turns)
                    for x in copy.turns:
                        x.episode_return = total
                        x.success = bool(r.info.get("success"))
                    turn.done = True

        await asyncio.gather(*(asyncio.to_thread(step_group, g) for g in by_group))
        stepped = self._live
        rewards = [c.turns[-1].reward for c in stepped]
        dones = [c.done for c in stepped]
        infos = [c.info for c in stepped]
        self._live = [c for c in stepped if not c.done]
        return [self._prompt(c) for c in self._live], rewards, dones, infos

    @property
    def live(self) -> int:
        return len(self._live)

    @property
    def turns(self) -> List[Turn]:
        """Every turn so far, trajectory by trajectory, each in step order."""
        return [t for c in self._copies for t in c.turns]

    def rows(self) -> List[Dict[str, Any]]:
        """The turns as ``advantages.compute`` rows (finished trajectories only)."""
        out = []
        for c in self._copies:
            if not c.done:
                continue
            for t in c.turns:
                out.append({"groupId": t.group_id, "trajId": t.traj_id, "t": t.t, "reward": t.reward, "episodeReturn": t.episode_return, "anchor": t.anchor, "stateKey": t.state_key, "invalid": t.invalid is not None})
        return out

    def advantages(self, estimator: str = "gigpo", **options: Any) -> Dict[str, Any]:
        """Computes the advantages of the finished trajectories on the server (``advantages.compute``,
        ludus's own estimators) and writes them onto the turns; returns the estimator's stats."""
        rows = self.rows()
        if not rows:
            raise ValueError("advantages(): no trajectory has finished yet; step until every copy is done")
        params: Dict[str, Any] = {"estimator": estimator, "rows": rows}
        if options:
            params["options"] = options
        result = self.client.connection.call("advantages.compute", params)
        done = [t for c in self._copies if c.done for t in c.turns]
        for i, t in enumerate(done):
            t.advantage = result["advantage"][i]
            t.episode_advantage = result["episodeAdvantage"][i]
            t.step_advantage = result["stepAdvantage"][i]
            g = result["anchorGroup"][i]
            t.anchor_group = None if g < 0 else g
        return result["stats"]

    def close(self) -> None:
        for g in self._groups:
            g.close()
        self._groups = []

    # -- internals ------------------------------------------------------------------------------

    def _prompt(self, c: _Copy) -> Messages:
        past = c.history[-self.history :] if self.history > 0 else []
        c.pending = render_prompt(self.env_id, c.observation, past) if self.system_prompt is None else render_prompt(self.env_id, c.observation, past, system_prompt=self.system_prompt)
        return c.pending


@dataclass
class Rollout:
    """The turns of a collection, and the manager that made them (for advantages)."""

    manager: GroupEnvManager
    turns: List[Turn]

    def advantages(self, estimator: str = "gigpo", **options: Any) -> Dict[str, Any]:
        return self.manager.advantages(estimator, **options)


async def collect_groups(
    client: Client,
    env_id: str,
    generate: Generate,
    *,
    tasks: Sequence[Any],
    seeds: Optional[Sequence[int]] = None,
    group_size: int,
    history: int = 4,
    max_steps: Optional[int] = None,
    iteration: Union[int, str] = 0,
    system_prompt: Optional[str] = None,
    **options: Any,
) -> Rollout:
    """Plays ``len(tasks)`` groups of ``group_size`` copies to the end with ``generate`` (called once
    per step with the prompts of every live copy) and returns their turns."""
    manager = GroupEnvManager(client, env_id, group_size=group_size, history=history, max_steps=max_steps, iteration=iteration, system_prompt=system_prompt, **options)
    seeds = list(seeds) if seeds is not None else list(range(len(tasks)))
    prompts = await manager.reset(tasks, seeds)
    try:
        while manager.live > 0:
            completions = list(await generate(prompts))
            prompts, _, _, _ = await manager.step(completions)
    finally:
        manager.close()
    return Rollout(manager, manager.turns)


__all__ = ["Completion", "GroupEnvManager", "Rollout", "Turn", "collect_groups", "match_action"]
