"""An env server's /metrics, read by Prometheus's own Python parser, and /healthz, after real traffic."""

from __future__ import annotations

import json
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from ludus_client import Client, LudusError


def http_url(ws_url: str, path: str) -> str:
    return ws_url.replace("ws://", "http://").rstrip("/") + path


def test_metrics_parse_and_follow_the_traffic(url: str):
    with Client(url) as client:
        group = client.make_group("household-v1", 3, difficulty="easy")
        resets = group.reset(seed=4)
        for _ in range(2):
            group.step([o["actions"][0] for o, _ in resets])
        env = client.make("household-v1")
        try:
            env.step("look")
        except LudusError:
            pass
        with urllib.request.urlopen(http_url(url, "/healthz")) as res:
            load = json.loads(res.read())
        assert load["status"] == "ok" and load["sessions"] >= 4 and load["capacity"] == 1024
        with urllib.request.urlopen(http_url(url, "/metrics")) as res:
            assert res.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = res.read().decode()
        group.close()

    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families["ludus_request_duration_seconds"].type == "histogram"
    assert families["ludus_steps"].type == "counter"  # ludus_steps_total
    assert families["ludus_sessions_open"].type == "gauge"

    def value(family: str, sample: str, **labels: str) -> float:
        return next(s.value for s in families[family].samples if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items()))

    assert value("ludus_steps", "ludus_steps_total") >= 6
    assert value("ludus_requests", "ludus_requests_total", method="session.step", outcome="ok") >= 6
    assert value("ludus_errors", "ludus_errors_total", code="RESET_NEEDED") >= 1
    assert value("ludus_sessions_open", "ludus_sessions_open") >= 4
    buckets = [s for s in families["ludus_request_duration_seconds"].samples if s.name.endswith("_bucket") and s.labels["method"] == "session.step"]
    counts = [s.value for s in sorted(buckets, key=lambda s: float(s.labels["le"]))]
    assert counts == sorted(counts) and counts[-1] == value("ludus_request_duration_seconds", "ludus_request_duration_seconds_count", method="session.step")
