"""A tiny language model that really trains on ludus rollouts, end to end, on a CPU.

The model is a 2-layer Llama built from a config with ``transformers`` (random weights, nothing
downloaded) over a byte-level tokenizer (256 bytes + BOS/EOS/PAD). Each iteration:

``serve`` mode (the path of docs/llm-training.md, with this script standing in for vLLM):
  1. this script serves the model as an OpenAI-compatible endpoint (``/v1/models``,
     ``/v1/chat/completions`` with ``logprobs`` and vLLM's ``return_token_ids``);
  2. ``ludus rollout --return-token-ids`` plays G groups of N household-v1 episodes against it;
  3. ``ludus advantages --algo gigpo`` computes GiGPO's advantages from the store;
  4. ``ludus export --format verl --out batch.parquet`` writes the batch;
  5. one PPO-clip update (verl's token-level loss) on that batch.

``worker`` mode: the same model generates in process, ``ludus_client.rollout.GroupEnvManager``
steps envs on a ``ludus serve`` server, and GiGPO's advantages come from the server's
``advantages.compute``.

Generation is guided over the admissible actions (as vLLM's guided decoding would be): the reply
is ``Action: `` and then an admissible action, byte by byte, but the model may also stop at any
word boundary. A random model therefore writes a mix of admissible actions and cut-off ones that
the env refuses; GiGPO's invalid-action penalty and any successes give the advantages it learns
from (the invalid rate falls over iterations). Log-probs are the model's own (unguided) ones, so
the update's importance ratio starts at 1.

    pip install -e "clients/python[train]"
    python clients/python/examples/train_tiny_lm.py --mode serve --iterations 2 --ludus "node bin/ludus.js"
    ludus serve --port 8765 & python clients/python/examples/train_tiny_lm.py --mode worker --url ws://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shlex
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Sequence

import torch

BOS, EOS, PAD = 256, 257, 258
ACTION_PREFIX = "Action: "
#: A short system prompt keeps the byte-level prompts (and the CPU time) small.
SYSTEM_PROMPT = "Choose the next action. Reply with: Action: <admissible action>"


class ByteTokenizer:
    """UTF-8 bytes as tokens 0..255, plus BOS, EOS and PAD; a plain chat template."""

    vocab_size = 259

    def encode(self, text: str) -> List[int]:
        return list(text.encode("utf-8"))

    def decode(self, ids: Sequence[int]) -> str:
        return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")

    def token_text(self, i: int) -> str:
        return "</s>" if i == EOS else chr(i) if 32 <= i < 127 or i in (9, 10) else f"<0x{i:02X}>"

    def chat(self, messages: Sequence[Dict[str, str]]) -> List[int]:
        """``<|role|>`` lines around each message, then the assistant's header."""
        ids = [BOS]
        for m in messages:
            ids += self.encode(f"<|{m['role']}|>\n{m['content']}\n")
        return ids + self.encode("<|assistant|>\n")


def build_model(seed: int = 0, hidden: int = 48, layers: int = 2):
    """A random-initialised causal LM from a config (no weights are downloaded)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=ByteTokenizer.vocab_size,
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=16384,
        bos_token_id=BOS,
        eos_token_id=EOS,
        pad_token_id=PAD,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config)
    model.eval()
    return model


def admissible_actions(messages: Sequence[Dict[str, str]]) -> List[str]:
    """The candidates of a prompt in the ludus format (the ``<admissible_actions>`` block)."""
    text = messages[-1]["content"]
    start = text.rfind("<admissible_actions>\n")
    end = text.find("</admissible_actions>", start)
    if start < 0 or end < 0:
        return []
    return [line for line in text[start + len("<admissible_actions>\n") : end].split("\n") if line]


class GuidedSampler:
    """Samples ``Action: <admissible action>`` byte by byte from the model, allowing a stop at word
    boundaries; returns the text, the prompt and completion ids and the model's log-probs."""

    def __init__(self, model, tokenizer: ByteTokenizer, max_tokens: int = 96):
        self.model = model
        self.tok = tokenizer
        self.max_tokens = max_tokens
        self.lock = threading.Lock()

    @torch.no_grad()
    def sample(self, messages: Sequence[Dict[str, str]], temperature: float = 1.0, seed: Optional[int] = None, max_tokens: Optional[int] = None) -> Dict[str, Any]:
        targets = [(ACTION_PREFIX + a).encode("utf-8") for a in admissible_actions(messages)] or [ACTION_PREFIX.encode()]
        limit = min(max_tokens or self.max_tokens, self.max_tokens)
        prompt_ids = self.tok.chat(messages)
        gen = torch.Generator().manual_seed(seed if seed is not None else int(time.time_ns() % 2**31))
        with self.lock:
            self.model.eval()
            out = self.model(torch.tensor([prompt_ids]), use_cache=True)
            past, logits = out.past_key_values, out.logits[0, -1]
            made: List[int] = []
            logprobs: List[float] = []
            finish = "length"
            while len(made) < limit:
                prefix = bytes(made)
                nxt = sorted({t[len(prefix)] for t in targets if t.startswith(prefix) and len(t) > len(prefix)})
                can_stop = prefix in targets or (len(prefix) > len(ACTION_PREFIX) and 32 in nxt)
                allowed = nxt + ([EOS] if can_stop or not nxt else [])
                raw = torch.log_softmax(logits.float(), -1)
                scaled = raw[allowed] / max(temperature, 1e-4)
                choice = allowed[int(torch.multinomial(torch.softmax(scaled, -1), 1, generator=gen))] if temperature > 0 else allowed[int(torch.argmax(scaled))]
                made.append(choice)
                logprobs.append(float(raw[choice]))
                if choice == EOS:
                    finish = "stop"
                    break
                out = self.model(torch.tensor([[choice]]), past_key_values=past, use_cache=True)
                past, logits = out.past_key_values, out.logits[0, -1]
        return {"text": self.tok.decode(made), "prompt_ids": prompt_ids, "ids": made, "logprobs": logprobs, "finish": finish}


# ------------------------------------------------------------------------------------------------
# The model behind an OpenAI-compatible endpoint (what vLLM would be)


def serve(sampler: GuidedSampler, model_name: str = "tiny-lm") -> ThreadingHTTPServer:
    """Starts the endpoint on 127.0.0.1, a free port, in a daemon thread; ``server.url`` is its base URL."""
    tok = sampler.tok

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: Dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._send(200, {"object": "list", "data": [{"id": model_name, "object": "model", "owned_by": "ludus-example"}]})
            else:
                self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            messages = [{"role": m["role"], "content": m.get("content") or ""} for m in body["messages"]]
            r = sampler.sample(messages, float(body.get("temperature", 1.0)), body.get("seed"), body.get("max_tokens"))
            choice: Dict[str, Any] = {"index": 0, "message": {"role": "assistant", "content": r["text"]}, "finish_reason": r["finish"]}
            if body.get("logprobs"):
                choice["logprobs"] = {"content": [{"token": tok.token_text(i), "logprob": lp, "top_logprobs": []} for i, lp in zip(r["ids"], r["logprobs"])]}
            response: Dict[str, Any] = {
                "id": f"chatcmpl-{time.time_ns()}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model_name,
                "choices": [choice],
                "usage": {"prompt_tokens": len(r["prompt_ids"]), "completion_tokens": len(r["ids"]), "total_tokens": len(r["prompt_ids"]) + len(r["ids"])},
            }
            if body.get("return_token_ids"):  # vLLM's field names
                choice["token_ids"] = r["ids"]
                response["prompt_token_ids"] = r["prompt_ids"]
            self._send(200, response)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ------------------------------------------------------------------------------------------------
# The update: verl's token-level PPO-clip loss on a batch of turns


def ppo_update(model, optimizer, batch: Sequence[Dict[str, Any]], clip: float = 0.2, max_grad_norm: float = 1.0) -> Dict[str, float]:
    """One step over the batch. Each row: ``prompts`` and ``responses`` (token ids), ``response_mask``,
    ``old_log_probs`` and ``advantage``. The loss is the masked token mean of
    −min(ρ·A, clip(ρ, 1−ε, 1+ε)·A), ρ = exp(log π − log π_old); rows with A = 0 add nothing."""
    model.train()
    optimizer.zero_grad()
    tokens = sum(sum(r["response_mask"]) for r in batch)
    if tokens == 0:
        raise ValueError("the batch has no trainable tokens")
    loss_total = 0.0
    ratios: List[float] = []
    for r in batch:
        adv = float(r["advantage"])
        if adv == 0.0:
            continue
        prompt, response = list(r["prompts"]), list(r["responses"])
        ids = torch.tensor([prompt + response])
        logits = model(ids).logits[0, len(prompt) - 1 : -1].float()
        new = torch.log_softmax(logits, -1).gather(1, torch.tensor(response)[:, None])[:, 0]
        old = torch.tensor(r["old_log_probs"], dtype=torch.float32)
        mask = torch.tensor(r["response_mask"], dtype=torch.float32)
        ratio = torch.exp(new - old)
        pg = -torch.minimum(ratio * adv, torch.clamp(ratio, 1 - clip, 1 + clip) * adv)
        loss = (pg * mask).sum() / tokens
        loss.backward()
        loss_total += float(loss.detach())
        ratios.extend(ratio.detach().tolist())
    norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm))
    optimizer.step()
    model.eval()
    return {"loss": loss_total, "grad_norm": norm, "rows": float(len(batch)), "trained_rows": float(sum(1 for r in batch if float(r["advantage"]) != 0)), "mean_ratio": sum(ratios) / len(ratios) if ratios else 1.0}


def parameter_vector(model) -> torch.Tensor:
    return torch.cat([p.detach().flatten().clone() for p in model.parameters()])


# ------------------------------------------------------------------------------------------------
# Iterations


def run_cli(ludus: List[str], *args: str) -> Dict[str, Any]:
    proc = subprocess.run([*ludus, *args], capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"ludus {args[0]} failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {"stderr": proc.stderr}


def serve_iteration(args: argparse.Namespace, it: int, url: str, run: Optional[int], workdir: str) -> tuple:
    """One iteration through the CLI: rollout → advantages → export (Parquet). Returns (rows, summary)."""
    import pyarrow.parquet as pq

    ludus = shlex.split(args.ludus)
    db = os.path.join(workdir, "ludus.db")
    system = os.path.join(workdir, "system-prompt.txt")
    with open(system, "w", encoding="utf-8") as f:
        f.write(SYSTEM_PROMPT)
    t0 = time.time()
    rollout = run_cli(
        ludus, "rollout", "--base-url", url, "--model", "tiny-lm", "--env", "household-v1", "--groups", str(args.groups), "--group-size", str(args.group_size),
        "--max-steps", str(args.max_steps), "--history", str(args.history), "--seed", str(args.seed + it), "--db", db, "--return-token-ids",
        "--max-tokens", "96", "--min-match-score", "100", "--system-prompt", system, "--concurrency", "4", "--no-progress", *([] if run is None else ["--run", str(run)]),
    )
    t1 = time.time()
    run_cli(ludus, "advantages", "--db", db, "--run", str(rollout["run"]), "--iteration", str(rollout["iteration"]), "--algo", "gigpo")
    out = os.path.join(workdir, f"batch-{it}.parquet")
    run_cli(ludus, "export", "--db", db, "--run", str(rollout["run"]), "--iteration", str(rollout["iteration"]), "--format", "verl", "--out", out, "--require", "prompt_ids", "completion_ids", "old_logprobs", "advantage")
    t2 = time.time()
    rows = pq.read_table(out, columns=["prompts", "responses", "response_mask", "old_log_probs", "advantage"]).to_pylist()
    return rows, {"run": rollout["run"], "invalidRate": rollout["invalidRate"], "successRate": rollout["successRate"], "turns": rollout["turns"], "rollout_s": round(t1 - t0, 2), "advantages_export_s": round(t2 - t1, 2)}


def worker_iteration(args: argparse.Namespace, it: int, sampler: GuidedSampler) -> tuple:
    """One iteration in process: GroupEnvManager on a ludus server, GiGPO from advantages.compute."""
    from ludus_client import Client
    from ludus_client.rollout import Completion, collect_groups

    async def generate(prompts):
        outs = [sampler.sample(p, 1.0, seed=args.seed * 1000 + it * 100 + i) for i, p in enumerate(prompts)]
        return [Completion(text=o["text"], prompt_ids=o["prompt_ids"], completion_ids=o["ids"], logprobs=o["logprobs"]) for o in outs]

    with Client(args.url, timeout=120) as client:
        tasks = [(args.seed + it * args.groups + g) % 3553 for g in range(args.groups)]
        rollout = asyncio.run(collect_groups(client, "household-v1", generate, tasks=tasks, seeds=[args.seed + it * 31 + g for g in range(len(tasks))], group_size=args.group_size, history=args.history, max_steps=args.max_steps, iteration=it, system_prompt=SYSTEM_PROMPT, difficulty="easy"))
        stats = rollout.advantages("gigpo")
    turns = rollout.turns
    rows = [{"prompts": t.prompt_ids, "responses": t.completion_ids, "response_mask": t.loss_mask, "old_log_probs": t.logprobs, "advantage": t.advantage} for t in turns]
    invalid = sum(t.invalid is not None for t in turns) / max(1, len(turns))
    success = sum(t.success for t in turns if t.done) / max(1, sum(t.done for t in turns))
    return rows, {"invalidRate": invalid, "successRate": success, "turns": len(turns), "groups": stats["groups"]}


def train(args: argparse.Namespace) -> List[Dict[str, Any]]:
    model = build_model(args.seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    sampler = GuidedSampler(model, ByteTokenizer())
    history: List[Dict[str, Any]] = []
    server = serve(sampler) if args.mode == "serve" else None
    run: Optional[int] = None
    with tempfile.TemporaryDirectory(prefix="ludus-tiny-lm-") as workdir:
        workdir = args.workdir or workdir
        try:
            for it in range(args.iterations):
                before = parameter_vector(model)
                started = time.time()
                if server is not None:
                    rows, info = serve_iteration(args, it, server.url, run, workdir)  # type: ignore[attr-defined]
                    run = info["run"]
                else:
                    rows, info = worker_iteration(args, it, sampler)
                stats = ppo_update(model, optimizer, rows, clip=args.clip)
                change = float((parameter_vector(model) - before).norm())
                entry = {"iteration": it, **info, **stats, "param_change": change, "seconds": round(time.time() - started, 2)}
                history.append(entry)
                print(json.dumps(entry), flush=True)
        finally:
            if server is not None:
                server.shutdown()
    return history


def main(argv: Optional[Sequence[str]] = None) -> List[Dict[str, Any]]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mode", choices=["serve", "worker"], default="serve")
    p.add_argument("--iterations", type=int, default=2)
    p.add_argument("--groups", type=int, default=2)
    p.add_argument("--group-size", type=int, default=3)
    p.add_argument("--max-steps", type=int, default=4)
    p.add_argument("--history", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--clip", type=float, default=0.2)
    p.add_argument("--ludus", default="npx ludus", help="how to run the ludus command (serve mode), e.g. 'node bin/ludus.js'")
    p.add_argument("--url", default="ws://127.0.0.1:8765", help="a ludus serve server (worker mode)")
    p.add_argument("--workdir", help="keep the store and the batches here (default: a temporary folder)")
    args = p.parse_args(argv)
    history = train(args)
    if not all(math.isfinite(h["loss"]) for h in history):
        raise SystemExit("a loss was not finite")
    return history


if __name__ == "__main__":
    main()
