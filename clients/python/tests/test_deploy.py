"""The deploy files (Docker, Compose, Kubernetes) against the code they run: parsed with a real YAML
parser, cross-checked with each other and with `ludus serve`, and the image's health check command
run against a real server. (No Docker engine or cluster here: `docker compose config` and
`kubectl apply --dry-run` are not run.)"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import NODE, REPO, Server, ludus_cli

DEPLOY = REPO / "deploy"


def docs(path: Path):
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def healthcheck_command() -> list:
    m = re.search(r"HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])", dockerfile())
    assert m, "the Dockerfile has a HEALTHCHECK with an exec-form CMD"
    return json.loads(m.group(1))


def serve_flags() -> str:
    return ludus_cli("serve", "--help").stdout


def test_the_image_runs_ludus_serve_as_a_non_root_user():
    text = dockerfile()
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert json.loads(re.search(r"^ENTRYPOINT (\[.*\])", text, re.M).group(1)) == ["node", "bin/ludus.js"]
    cmd = json.loads(re.search(r"^CMD (\[.*\])", text, re.M).group(1))
    assert cmd[0] == "serve" and "--host" in cmd and "0.0.0.0" in cmd
    assert re.search(r"^EXPOSE 8765$", text, re.M) and "STOPSIGNAL SIGTERM" in text
    for src in re.findall(r"^COPY (?!--from)(\S+) \./", text, re.M):
        if src not in ("package.json", "package-lock.json"):
            assert (REPO / src).is_dir(), f"COPY {src}: no such folder"
    help_text = serve_flags()
    for flag in [a for a in cmd if a.startswith("--")]:
        assert flag in help_text, f"ludus serve has no {flag}"


def test_the_health_check_command_passes_on_a_serving_server_and_fails_on_a_draining_one():
    command = healthcheck_command()
    server = Server([str(REPO / "bin" / "ludus.js"), "serve", "--port", "0"])
    try:
        port = server.url.rsplit(":", 1)[1]
        env = {"LUDUS_PORT": port, "PATH": "/usr/bin:/bin"}
        ok = subprocess.run([NODE, *command[1:]], env=env, timeout=30)
        assert ok.returncode == 0
        from ludus_client import Client

        with Client(server.url) as client:
            client.make("household-v1")  # keeps the drain waiting
            server.proc.terminate()  # SIGTERM: drain
            draining = None
            for _ in range(50):
                draining = subprocess.run([NODE, *command[1:]], env=env, timeout=30)
                if draining.returncode != 0:
                    break
            assert draining is not None and draining.returncode == 1
        assert server.proc.wait(timeout=15) == 0  # the session closed with the connection: drained, exit 0
    finally:
        server.stop()


def test_compose_runs_n_servers_with_the_image_health_check_and_drain():
    compose = docs(DEPLOY / "compose.yaml")[0]
    envs = compose["services"]["envs"]
    assert envs["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert "${LUDUS_ENV_SERVERS" in str(envs["deploy"]["replicas"])
    assert "healthcheck" not in envs  # the image's HEALTHCHECK applies
    assert healthcheck_command()[0] == "node"
    assert envs["stop_signal"] == "SIGTERM"
    drain_ms = int(envs["command"][envs["command"].index("--drain-timeout") + 1])
    assert int(envs["stop_grace_period"].rstrip("s")) * 1000 > drain_ms
    assert "LUDUS_TOKEN" in envs["environment"]
    assert any(p.endswith(":8765") and p.startswith("127.0.0.1:") for p in envs["ports"])
    help_text = serve_flags()
    for flag in [a for a in envs["command"] if a.startswith("--")]:
        assert flag in help_text
    prom = docs(DEPLOY / "prometheus.yml")[0]
    job = prom["scrape_configs"][0]
    assert job["metrics_path"] == "/metrics" and job["dns_sd_configs"][0]["names"] == ["envs"]


def pods(kind: str):
    out = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for d in docs(path):
            if d["kind"] == kind:
                out.append((path.name, d))
    return out


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_kubernetes_env_servers_probe_health_drain_and_run_unprivileged(kind: str):
    (name, workload), = pods(kind)
    spec = workload["spec"]["template"]["spec"]
    labels = workload["spec"]["template"]["metadata"]["labels"]
    assert workload["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (container,) = spec["containers"]
    args = container["args"]
    port = int(args[args.index("--port") + 1])
    assert container["ports"][0]["containerPort"] == port
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    drain_ms = int(args[args.index("--drain-timeout") + 1])
    assert spec["terminationGracePeriodSeconds"] * 1000 > drain_ms
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "ludus-env-token"
    help_text = serve_flags()
    for flag in [a for a in args if a.startswith("--")]:
        assert flag in help_text
    services = [d for _, d in pods("Service") if d["spec"]["selector"].items() <= labels.items()]
    assert services, f"no Service selects the {kind}'s pods"
    if kind == "StatefulSet":
        assert workload["spec"]["serviceName"] in [s["metadata"]["name"] for s in services if s["spec"].get("clusterIP") == "None"]


def test_the_trainer_job_lists_every_statefulset_pod():
    (_, job), = [(n, j) for n, j in pods("Job") if j["metadata"]["name"] == "ludus-train"]
    (_, sts), = pods("StatefulSet")
    container = job["spec"]["template"]["spec"]["containers"][0]
    script = container["args"][0]
    servers = next(e["value"] for e in container["env"] if e["name"] == "SERVERS")
    assert int(servers) == sts["spec"]["replicas"]
    assert subprocess.run(["sh", "-n", "-c", script]).returncode == 0
    # run the URL loop for real, with `exec node ...` replaced by printing the command
    probe = script.replace("exec node bin/ludus.js", "echo node bin/ludus.js")
    out = subprocess.run(["sh", "-c", probe], env={"SERVERS": "3", "LUDUS_TOKEN": "t", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True).stdout
    words = shlex.split(out)
    urls = [w for w in words if w.startswith("ws://")]
    assert urls == [f"ws://ludus-env-{i}.{sts['spec']['serviceName']}:8765" for i in range(3)]
    assert "train" in words and "--token" in words
