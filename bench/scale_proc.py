"""Process helpers of bench/scale.py (Linux, psutil): run a command in its own process
group while sampling the RSS/PSS of its whole process tree, disk usage of a folder, and
killing every child group this bench started (never anything else)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

import psutil  # a test extra: the benchmark and its tests need it

# process groups started by this bench and not yet reaped: killed on exit/interrupt
_LIVE: dict[int, subprocess.Popen] = {}


def group_members(pgid: int) -> list[int]:
    """Processes alive (not zombies) in process group ``pgid``."""
    # psutil has no process-group query; getpgid also finds members orphaned out of the tree
    out = []
    for p in psutil.process_iter(["status"]):
        try:
            if p.info["status"] != psutil.STATUS_ZOMBIE and os.getpgid(p.pid) == pgid:
                out.append(p.pid)
        except OSError:  # exited since listed
            continue
    return out


def _rss_pss(p: psutil.Process) -> tuple[int, int]:
    """(RSS, PSS) bytes of ``p``; zeros once it has exited."""
    try:
        m = p.memory_full_info()  # one read of /proc/PID/smaps_rollup gives both
        return m.rss, getattr(m, "pss", 0)
    except psutil.AccessDenied:  # smaps unreadable: RSS only
        try:
            return p.memory_info().rss, 0
        except psutil.Error:
            return 0, 0
    except psutil.Error:
        return 0, 0


@dataclass
class TreeSampler:
    """Samples the summed RSS and PSS of a process tree every ``interval`` seconds."""

    pid: int
    interval: float = 0.2
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    peak_leader_rss: int = 0   # the process itself, without its descendants
    peak_at: float = 0.0       # seconds after start() of the peak summed RSS
    samples: int = 0
    last_rss: int = 0
    _t0: float = 0.0
    _root: psutil.Process | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _tree(self) -> list[psutil.Process]:
        """The process and its descendants alive now."""
        try:
            if self._root is None:  # bound once, so psutil notices if the pid gets reused
                self._root = psutil.Process(self.pid)
            return [self._root, *self._root.children(recursive=True)]
        except psutil.NoSuchProcess:  # already reaped
            return []

    def sample(self) -> None:
        procs = self._tree()
        each = {p.pid: _rss_pss(p) for p in procs}
        rss = sum(r for r, _ in each.values())
        pss = sum(q for _, q in each.values())
        self.samples += 1
        self.last_rss = rss
        if rss > self.peak_rss:
            self.peak_rss, self.peak_at = rss, time.perf_counter() - self._t0
        self.peak_leader_rss = max(self.peak_leader_rss, each.get(self.pid, (0, 0))[0])
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, len(procs))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> "TreeSampler":
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)


def start(cmd: list[str], log: IO[bytes] | int, cwd: Path | None = None,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``cmd`` in a new session (its own process group), registered for cleanup."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    _LIVE[proc.pid] = proc
    return proc


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM the process group, then SIGKILL after ``grace`` seconds; reap it."""
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        elif group_members(proc.pid):
            # the leader is gone but members of its group linger (orphaned workers)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    finally:
        _LIVE.pop(proc.pid, None)


def stop_all() -> None:
    for proc in list(_LIVE.values()):
        try:
            stop(proc, grace=3)
        except Exception as err:  # cleanup must go on to the next group
            print(f"warning: could not stop process group {proc.pid}: {err}", file=sys.stderr)


@dataclass
class RunResult:
    returncode: int | None
    wall_seconds: float
    timed_out: bool
    peak_rss_tree_bytes: int
    peak_pss_tree_bytes: int
    peak_processes: int
    peak_leader_rss_bytes: int
    peak_at_seconds: float
    samples: int
    cpu_user_seconds: float | None
    cpu_system_seconds: float | None


def run_monitored(cmd: list[str], log_path: Path, timeout: float | None = None, cwd: Path | None = None,
                  heartbeat: Callable[[float, TreeSampler], None] | None = None,
                  heartbeat_every: float = 60.0) -> RunResult:
    """Run ``cmd`` to completion (or ``timeout`` seconds), output to ``log_path``, sampling
    the memory of its process tree. CPU time comes from wait4's rusage: the leader plus the
    descendants it reaped (the process pool's workers)."""
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = start(cmd, log, cwd=cwd)
        sampler = TreeSampler(proc.pid).start()
        timed_out = False
        rusage = None
        next_beat = heartbeat_every
        try:
            while True:
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    rusage = ru
                    break
                elapsed = time.perf_counter() - t0
                if timeout and elapsed > timeout:
                    timed_out = True
                    break
                if heartbeat and elapsed >= next_beat:
                    heartbeat(elapsed, sampler)
                    next_beat += heartbeat_every
                time.sleep(0.05)
            wall = time.perf_counter() - t0
        finally:
            sampler.stop()
            stop(proc)  # kills leftovers of the group (and the leader on timeout/interrupt)
    return RunResult(
        returncode=None if timed_out else proc.returncode,
        wall_seconds=wall,
        timed_out=timed_out,
        peak_rss_tree_bytes=sampler.peak_rss,
        peak_pss_tree_bytes=sampler.peak_pss,
        peak_processes=sampler.peak_processes,
        peak_leader_rss_bytes=sampler.peak_leader_rss,
        peak_at_seconds=sampler.peak_at,
        samples=sampler.samples,
        cpu_user_seconds=rusage.ru_utime if rusage else None,
        cpu_system_seconds=rusage.ru_stime if rusage else None,
    )


def disk_usage(path: Path) -> tuple[int, int]:
    """(allocated bytes like `du`, apparent bytes) of every file under ``path``."""
    blocks = apparent = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                st = os.lstat(os.path.join(dirpath, f))
            except OSError:
                continue
            blocks += st.st_blocks * 512
            apparent += st.st_size
    return blocks, apparent


def loadavg() -> tuple[float, float, float]:
    return os.getloadavg()
