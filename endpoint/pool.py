"""A pool of query worker processes with a hard per-query time limit.

A query that runs past its limit has its worker killed (SIGKILL) and replaced, so the
time limit really stops the computation and frees the slot; callers await results without
blocking the event loop (the blocking pipe wait runs in a thread)."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from endpoint.worker import worker_main


class QueryTimeout(Exception):
    pass


class WorkerCrashed(Exception):
    pass


@dataclass
class _Worker:
    proc: Any  # multiprocessing.Process (spawn context)
    conn: Connection


class QueryPool:
    def __init__(self, store_path: str, size: int = 4, network: bool = False, reserved: int = 1) -> None:
        self.store_path = store_path
        # ``size`` workers for any query, plus ``reserved`` that caller-written queries
        # (/sparql) never take: pages and canned queries stay answered while hostile
        # queries fill the others
        self.reserved = max(0, reserved)
        self.size = size + self.reserved
        self._untrusted: asyncio.Semaphore | None = None
        self.network = network  # workers keep network access only when SERVICE calls are allowed
        # spawn, not fork: the server process has threads and an event loop
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=size * 2 + 2, thread_name_prefix="sparql-wait")
        self._all: set[int] = set()
        self.killed = 0  # workers killed for running past the limit (for tests and /status)

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=worker_main, args=(child, self.store_path, self.network), daemon=True,
                                 name="budgetlod-sparql-worker")
        proc.start()
        child.close()
        self._all.add(proc.pid)
        return _Worker(proc, parent)

    def _retire(self, w: _Worker) -> None:
        w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        self._all.discard(w.proc.pid)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        self._untrusted = asyncio.Semaphore(self.size - self.reserved)
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn)
                                         for _ in range(self.size)))
        # a ping proves each worker opened the store before we accept traffic
        for w in workers:
            await loop.run_in_executor(self._threads, self._roundtrip, w, {"op": "ping"}, 60.0)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        if self._idle is None:
            return
        while not self._idle.empty():
            self._retire(self._idle.get_nowait())
        self._threads.shutdown(wait=False, cancel_futures=True)

    def worker_pids(self) -> set[int]:
        return set(self._all)

    @staticmethod
    def _roundtrip(w: _Worker, request: dict, timeout: float) -> tuple:
        try:
            w.conn.send(request)
            if not w.conn.poll(timeout):
                raise QueryTimeout()
            return w.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError) as err:
            raise WorkerCrashed(str(err)) from err

    async def run(self, request: dict, timeout: float, trusted: bool = True) -> tuple:
        """The worker's answer; ``trusted`` False for query text a client wrote, which waits
        for one of the unreserved workers."""
        assert self._idle is not None and self._untrusted is not None, "pool not started"
        if trusted:
            return await self._run(request, timeout)
        async with self._untrusted:
            return await self._run(request, timeout)

    async def _run(self, request: dict, timeout: float) -> tuple:
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        w = await self._idle.get()
        started = time.monotonic()
        try:
            return await loop.run_in_executor(self._threads, self._roundtrip, w, request, timeout)
        except (QueryTimeout, WorkerCrashed):
            await loop.run_in_executor(self._threads, self._retire, w)
            if time.monotonic() - started >= timeout:
                self.killed += 1
            w = await loop.run_in_executor(self._threads, self._spawn)
            raise
        except asyncio.CancelledError:
            # the request went away mid-query; the worker's answer would desynchronise the pipe
            await asyncio.shield(loop.run_in_executor(self._threads, self._retire, w))
            w = await asyncio.shield(loop.run_in_executor(self._threads, self._spawn))
            raise
        finally:
            self._idle.put_nowait(w)
