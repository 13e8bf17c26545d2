"""A pool of query worker processes with a hard per-query time limit.

A query that runs past its limit has its worker killed (SIGKILL) and replaced, so the
time limit really stops the computation and frees the slot; callers await results without
blocking the event loop (the blocking pipe wait runs in a thread).

Two kinds of worker. ``size`` general workers run any query, at a lower CPU priority
(nice ``general_nice``); ``reserved`` workers, at the server's own priority, run only the
queries the server wrote (pages, canned queries), which take a reserved worker first and a
general one when none is free. Query text a client wrote (/sparql) runs only on general
workers. A reserved worker alone is not enough against hostile queries: on a machine with
fewer cores than workers, the general workers' cartesian products took the CPU from it
(canned queries past 1 s, some past the time limit, with 8 of them running on 2 cores);
at nice 10 the kernel gives a nice-0 worker about nine times their share."""

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


GENERAL_NICE = 10  # CPU priority of the general workers, relative to the server's


@dataclass
class _Worker:
    proc: Any  # multiprocessing.Process (spawn context)
    conn: Connection
    reserved: bool  # a replacement is of the same kind


class QueryPool:
    def __init__(self, store_path: str, size: int = 4, network: bool = False, reserved: int = 1,
                 general_nice: int = GENERAL_NICE) -> None:
        self.store_path = store_path
        # ``size`` general workers for any query, plus ``reserved`` that caller-written
        # queries (/sparql) never take: pages and canned queries stay answered while
        # hostile queries fill the others (see the module docstring)
        self.general = max(1, size)
        self.reserved = max(0, reserved)
        self.size = self.general + self.reserved
        self.general_nice = general_nice
        self.network = network  # workers keep network access only when SERVICE calls are allowed
        # spawn, not fork: the server process has threads and an event loop
        self._ctx = mp.get_context("spawn")
        self._idle_reserved: asyncio.Queue[_Worker] | None = None
        self._idle_general: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.size * 2 + 2, thread_name_prefix="sparql-wait")
        self._all: set[int] = set()
        self._renewals: set[asyncio.Future] = set()  # replacements being started (see _renew)
        self.killed = 0  # workers killed for running past the limit (for tests and /status)

    def _spawn(self, reserved: bool) -> _Worker:
        parent, child = self._ctx.Pipe()
        nice = 0 if reserved else self.general_nice
        proc = self._ctx.Process(target=worker_main, args=(child, self.store_path, self.network, nice), daemon=True,
                                 name="budgetlod-sparql-worker")
        proc.start()
        child.close()
        self._all.add(proc.pid)
        return _Worker(proc, parent, reserved)

    def _idle_of(self, w: _Worker) -> asyncio.Queue[_Worker]:
        queue = self._idle_reserved if w.reserved else self._idle_general
        assert queue is not None, "pool not started"
        return queue

    def _retire(self, w: _Worker) -> None:
        w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        self._all.discard(w.proc.pid)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle_reserved, self._idle_general = asyncio.Queue(), asyncio.Queue()
        kinds = [True] * self.reserved + [False] * self.general
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn, k) for k in kinds))
        # a ping proves each worker opened the store before we accept traffic
        for w in workers:
            await loop.run_in_executor(self._threads, self._roundtrip, w, {"op": "ping"}, 60.0)
            self._idle_of(w).put_nowait(w)

    async def close(self) -> None:
        for task in list(self._renewals):
            task.cancel()
        for queue in (self._idle_reserved, self._idle_general):
            while queue is not None and not queue.empty():
                self._retire(queue.get_nowait())
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
        """The worker's answer; ``trusted`` False for query text a client wrote, which runs
        on a general worker only."""
        assert self._idle_general is not None, "pool not started"
        w = await (self._take_trusted() if trusted else self._idle_general.get())
        return await self._run(w, request, timeout)

    async def _take_trusted(self) -> _Worker:
        """An idle reserved worker, else an idle general one, else whichever frees first."""
        assert self._idle_reserved is not None and self._idle_general is not None
        queues = (self._idle_reserved, self._idle_general)
        for queue in queues:
            if not queue.empty():
                return queue.get_nowait()
        getters = [asyncio.ensure_future(q.get()) for q in queues]
        chosen: _Worker | None = None
        try:
            await asyncio.wait(getters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # cancel the other wait; a worker it got meanwhile (or both, when the request
            # itself was cancelled) goes back to its queue
            for getter in getters:
                if not getter.done():
                    getter.cancel()
                elif not getter.cancelled() and getter.exception() is None:
                    if chosen is None and not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                        chosen = getter.result()
                    else:
                        self._idle_of(getter.result()).put_nowait(getter.result())
        assert chosen is not None
        return chosen

    async def _run(self, w: _Worker, request: dict, timeout: float) -> tuple:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        healthy = False
        try:
            answer = await loop.run_in_executor(self._threads, self._roundtrip, w, request, timeout)
            healthy = True
            return answer
        except (QueryTimeout, WorkerCrashed):
            if time.monotonic() - started >= timeout:
                self.killed += 1
            raise
        finally:
            # a worker past its limit, crashed, or whose request went away mid-query (its
            # answer would desynchronise the pipe) is replaced
            if healthy:
                self._idle_of(w).put_nowait(w)
            else:
                task = asyncio.ensure_future(self._renew(w))
                self._renewals.add(task)
                task.add_done_callback(self._renewals.discard)

    async def _renew(self, old: _Worker) -> None:
        """Kill ``old`` and put a replacement in the idle queue once it has opened the store.
        In the background: the failed request does not wait for it, and no query's time
        limit pays for a worker's start (Python, imports, the store's opening: seconds at
        nice 10 while hostile queries hold the CPU, which made small queries on a fresh
        worker run past the limit)."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self._retire, old)
        for attempt in range(3):
            w = await loop.run_in_executor(self._threads, self._spawn, old.reserved)
            try:
                await loop.run_in_executor(self._threads, self._roundtrip, w, {"op": "ping"}, 60.0)
            except (QueryTimeout, WorkerCrashed):
                if attempt < 2:
                    await loop.run_in_executor(self._threads, self._retire, w)
                    continue
            self._idle_of(w).put_nowait(w)  # the last attempt's worker in any case: the pool keeps its size
            return
