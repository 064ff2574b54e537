"""Fixtures: real ludus env servers started on 127.0.0.1, port 0, for the whole test session."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

REPO = Path(__file__).resolve().parents[3]
NODE = os.environ.get("LUDUS_NODE") or shutil.which("node") or "node"


class Server:
    """A server process; ``url`` is what it printed as ``listening ws://...``."""

    def __init__(self, args: List[str]):
        self.proc = subprocess.Popen([NODE, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = ""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            m = re.search(r"listening (ws://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"the server did not start: {' '.join(args)}\n{err}")
        # keep draining the pipes so the server never blocks on a full one
        self._drains = [threading.Thread(target=stream.read, daemon=True) for stream in (self.proc.stdout, self.proc.stderr)]
        for t in self._drains:
            t.start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self._drains:
            t.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="session")
def ludus_serve() -> Iterator[Server]:
    """`ludus serve --port 0`: the built-in envs, as users run it."""
    server = Server([str(REPO / "bin" / "ludus.js"), "serve", "--port", "0"])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def url(ludus_serve: Server) -> str:
    return ludus_serve.url


@pytest.fixture(scope="session")
def test_envs_url() -> Iterator[str]:
    """A server with the toy env, the toy game and deliberately broken variants of them."""
    server = Server(["--import", "tsx", str(REPO / "tests" / "helpers" / "serve-test-envs.ts")])
    yield server.url
    server.stop()


@pytest.fixture
def client(url: str):
    from ludus_client import Client

    with Client(url, timeout=30) as c:
        yield c


def ludus_cli(*args: str) -> subprocess.CompletedProcess:
    """Runs the `ludus` command."""
    return subprocess.run([NODE, str(REPO / "bin" / "ludus.js"), *args], cwd=REPO, capture_output=True, text=True, timeout=300)


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
