"""Helpers for the store/endpoint tests: a store filled with the fixture graphs (TEST DATA,
tests/fixtures/fixture.nq) and a real `budgetlod serve` process on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_NQ = FIXTURES / "fixture.nq"
FIXTURE_QUERIES = FIXTURES / "queries"
OUTPUT = ROOT / "tests" / "output"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fixture_store(path: Path) -> Path:
    from converter.store.embedded import commit, open_store, replace_graphs

    store = open_store(path)
    replace_graphs(store, FIXTURE_NQ.read_text(encoding="utf-8"))
    commit(store, path)
    del store  # release the RocksDB lock before a server opens it
    return path


class Server:
    """`budgetlod serve` in a child process; ``url`` is its origin."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "converter.cli", "serve", "--host", "127.0.0.1",
               "--port", str(self.port), *args]
        self.log = open(OUTPUT / f"server-{self.port}.log", "wb") if OUTPUT.is_dir() else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            try:
                if httpx.get(self.url + "/sparql", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start in 60 s")

    def children(self) -> set[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return {int(x) for x in out.split()}

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if hasattr(self.log, "close"):
            self.log.close()
