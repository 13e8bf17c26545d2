"""A throwaway Virtuoso (Debian package virtuoso-opensource) on 127.0.0.1 with its
database in a temporary folder: for the external-store tests and benchmarks.

    python scripts/virtuoso.py DIR      # start in the foreground, print the SPARQL URL
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_installed() -> str | None:
    """Install virtuoso-opensource with apt-get when missing (once per machine); returns
    None when it is available, else the reason it is not."""
    if shutil.which("virtuoso-t") and shutil.which("isql-vt"):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "virtuoso-t is not installed and apt-get is not usable here (need root on Debian)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "virtuoso-opensource"]):
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            return f"{' '.join(cmd)} failed: {r.stderr.strip()[-300:]}"
    return None if shutil.which("virtuoso-t") else "virtuoso-t still missing after apt-get install"


INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
DirsAllowed = ., {d}, {vad}
VADInstallDir = {vad}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 16
ServerThreads = 16

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    def __init__(self, directory: Path, buffers: int = 20000) -> None:
        """``buffers``: Virtuoso's page cache in 8 KB pages (20,000, ~170 MB, is enough for the
        tests; Virtuoso's own virtuoso.ini suggests 680,000 where 8 GB of memory are free)."""
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = _free_port(), _free_port()
        (self.dir / "virtuoso.ini").write_text(
            INI.format(d=self.dir, sql=self.sql_port, http=self.http_port, vad=VAD_DIR,
                       buffers=buffers, dirty=buffers * 3 // 4))
        self.proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(self.dir / "virtuoso.ini")],
                                     cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.sparql = f"http://127.0.0.1:{self.http_port}/sparql"
        self.gsp = f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode}; see {self.dir}/virtuoso.log")
            try:
                if httpx.get(self.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("Virtuoso did not start in 120 s")
        # a scratch database: let the anonymous SPARQL user write, for loading over HTTP
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        self.isql("GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO \"SPARQL\";")

    def isql(self, statement: str) -> str:
        r = subprocess.run(["isql-vt", str(self.sql_port), "dba", "dba", f"exec={statement}"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"isql failed: {r.stdout[-300:]} {r.stderr[-300:]}")
        return r.stdout

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


if __name__ == "__main__":
    reason = ensure_installed()
    if reason:
        sys.exit(reason)
    v = Virtuoso(Path(sys.argv[1] if len(sys.argv) > 1 else "build/virtuoso"))
    print(v.sparql, flush=True)
    try:
        v.proc.wait()
    except KeyboardInterrupt:
        v.stop()
