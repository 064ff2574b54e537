"""The end-to-end example that really trains: a tiny random-initialised causal LM (transformers,
from a config, byte-level tokenizer), household-v1 rollouts through ludus, two PPO updates.

Serve mode goes through the whole CLI path of docs/llm-training.md (the script serves the model as
an OpenAI-compatible endpoint with vLLM's token-id fields; ludus rollout → advantages → export
--format verl as Parquet); worker mode steps envs in process with ludus_client.rollout and gets
GiGPO from the server. Each checks that every loss is finite and that the parameters changed."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch", reason="the training example needs the [train] extra: pip install -e 'clients/python[train]'")
pytest.importorskip("transformers")
pytest.importorskip("pyarrow")

import train_tiny_lm  # noqa: E402
from conftest import NODE, REPO  # noqa: E402


def check(history):
    assert len(history) == 2
    for h in history:
        assert math.isfinite(h["loss"]) and math.isfinite(h["grad_norm"])
        assert h["trained_rows"] > 0  # the batch had advantages to learn from
        assert h["param_change"] > 0  # and the update moved the weights
        assert 0.5 < h["mean_ratio"] < 2  # old log-probs are the served model's own: ρ starts near 1


def test_sampler_stays_on_admissible_actions_or_stops_at_a_word_boundary():
    tok = train_tiny_lm.ByteTokenizer()
    sampler = train_tiny_lm.GuidedSampler(train_tiny_lm.build_model(1), tok)
    messages = [{"role": "user", "content": "<observation>\nx\n</observation>\n<admissible_actions>\ngo to desk 1\nlook\n</admissible_actions>\nChoose"}]
    for seed in range(12):
        r = sampler.sample(messages, 1.0, seed=seed)
        assert r["text"].startswith("Action: ")
        assert any(("Action: " + a).startswith(r["text"]) for a in ("go to desk 1", "look"))
        assert len(r["ids"]) == len(r["logprobs"]) and all(lp <= 0 for lp in r["logprobs"])
        assert r["prompt_ids"] == tok.chat(messages)


def test_serve_mode_trains_through_rollout_advantages_and_a_parquet_export(tmp_path):
    history = train_tiny_lm.main(["--mode", "serve", "--iterations", "2", "--groups", "2", "--group-size", "3", "--max-steps", "3", "--ludus", f"{NODE} {REPO / 'bin' / 'ludus.js'}", "--workdir", str(tmp_path)])
    check(history)
    assert history[0]["run"] == history[1]["run"]  # the second iteration appended to the same rollout run
    assert (tmp_path / "batch-1.parquet").exists()


def test_worker_mode_trains_with_server_side_gigpo(url):
    history = train_tiny_lm.main(["--mode", "worker", "--url", url, "--iterations", "2", "--groups", "2", "--group-size", "3", "--max-steps", "3"])
    check(history)
