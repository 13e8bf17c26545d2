"""One function over many documents in worker processes, for the batch commands.

Results come back in input order with at most ``window`` jobs in flight, so however large
the batch, only a bounded number of converted graphs exist at once (the caller streams
each result on to the store or a file and drops it). A worker that dies (killed for
memory, a crash in native code) does not end the batch: the pool is rebuilt, the jobs
that were in flight are run again, and a job that kills a worker twice is reported as
that document's failure. A progress bar goes to stderr when it is a terminal."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from tqdm import tqdm

T = TypeVar("T")
R = TypeVar("R")

def _die_with_parent(parent: int) -> None:
    """Worker initializer: a worker ends when the batch command that started it does, even
    when that command is killed with SIGKILL and cannot shut its pool down (Linux
    PR_SET_PDEATHSIG; elsewhere the pool's own shutdown is all there is)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _process_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))


class WorkerDied(Exception):
    """The job's worker process ended without a result, twice."""


class Pool(Generic[T, R]):
    """``with Pool(fn, workers) as pool: for item, result in pool.map(items): ...``

    ``result`` is fn(item), or a WorkerDied exception instance. With workers <= 1 the
    jobs run in this process (no pickling, plain tracebacks). The pool is started on
    entering, before the caller opens a store: forked workers then inherit no store
    handles."""

    def __init__(self, fn: Callable[[T], R], workers: int, window: int | None = None) -> None:
        self.fn = fn
        self.workers = max(1, workers)
        self.window = window or self.workers * 4
        self._pool: ProcessPoolExecutor | None = None
        self._cluster = None

    def __enter__(self) -> "Pool[T, R]":
        from converter.executors import cluster_executor

        self._cluster = cluster_executor()  # --executor dask://HOST:PORT: the jobs run on that cluster
        if self._cluster is not None:
            self._pool = self._cluster.executor  # type: ignore[assignment]
            self.window = max(self.window, self._cluster.slots * 4)
        elif self.workers > 1:
            self._pool = _process_pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster, self._pool = None, None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, items: Iterable[T]) -> Iterator[tuple[T, R | WorkerDied]]:
        if self._pool is None:
            for item in items:
                yield item, self.fn(item)
            return
        pending: deque[tuple[T, Future[R]]] = deque()
        source = iter(items)
        while True:
            for item in source:
                pending.append((item, self._submit(item)))
                if len(pending) >= self.window:
                    break
            if not pending:
                return
            item, future = pending.popleft()
            try:
                yield item, future.result()
            except Exception as exc:
                if self._cluster is not None and self._cluster.died(exc):
                    yield item, WorkerDied("worker died while working on it (the cluster gave up on the job)")
                    continue
                if not isinstance(exc, BrokenProcessPool):
                    raise
                # every job in flight died with the pool and the culprit is unknown: run
                # each again alone, so only a job that kills its worker again is failed
                suspects = [item] + [i for i, _ in pending]
                pending.clear()
                self._restart()
                for suspect in suspects:
                    yield suspect, self._alone(suspect)

    def _alone(self, item: T) -> R | WorkerDied:
        try:
            return self._submit(item).result()
        except BrokenProcessPool:
            self._restart()
            return WorkerDied("worker process died while working on it")

    def _submit(self, item: T) -> Future[R]:
        assert self._pool is not None
        if self._cluster is not None:
            from converter.executors import call_with_settings, settings_snapshot

            return self._pool.submit(call_with_settings, settings_snapshot(), self.fn, item)
        try:
            return self._pool.submit(self.fn, item)
        except BrokenProcessPool as exc:
            # a worker died after the last result was taken: this job joins the suspects
            # when its turn comes, instead of the error escaping from the submission loop
            failed: Future[R] = Future()
            failed.set_exception(exc)
            return failed

    def _restart(self) -> None:
        assert self._pool is not None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = _process_pool(self.workers)


def progress(total: int, label: str, enabled: bool | None = None) -> tqdm:
    """A progress bar on stderr; by default only when stderr is a terminal, so logs and
    tests get the per-document lines and the summary, not bar redraws."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, desc=label, unit="doc", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True, smoothing=0.05)


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    """The options every batch command shares."""
    parser.add_argument("--workers", "--jobs", dest="workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")
    parser.add_argument("--stats", metavar="FILE.json", help="write the batch's figures (counts, seconds) as JSON")
    parser.add_argument("--executor", metavar="URL",
                        help="run the documents on a cluster instead of local processes: dask://HOST:PORT "
                             "(a Dask distributed scheduler)")
    add_time_limit_option(parser)
    add_reader_options(parser)


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """Options of how documents are read, shared by every command that reads them."""
    ocr = parser.add_mutually_exclusive_group()
    ocr.add_argument("--ocr", action="store_true",
                     help="also OCR the pages without a text layer inside text PDFs (scanned covers, stamped "
                          "pages); a scan, a PDF with no text layer at all, is OCR'd by default whenever the OCR "
                          "engine is installed (pip install 'budget-lod[ocr]')")
    ocr.add_argument("--no-ocr", action="store_true", help="never OCR: a scan fails with its one-line error")


def add_time_limit_option(parser: argparse.ArgumentParser) -> None:
    from converter.deadline import DEFAULT_OCR_TIME_LIMIT, DEFAULT_TIME_LIMIT, OCR_SECONDS_PER_PAGE, SECONDS_PER_PAGE

    parser.add_argument("--time-limit", type=float, metavar="S", default=None,
                        help=f"seconds to read and parse one document; a document over it fails "
                             f"alone (default {DEFAULT_TIME_LIMIT:g}, with --ocr {DEFAULT_OCR_TIME_LIMIT:g}, or "
                             f"{SECONDS_PER_PAGE:g} s a page, with --ocr {OCR_SECONDS_PER_PAGE:g}, when that is more; "
                             f"0: no limit)")


def failure_list(messages: list[str]) -> None:
    """The batch's failures again, together at the end, so none scrolls away."""
    if messages:
        print(f"{len(messages)} document(s) failed:", file=sys.stderr)
        for m in messages:
            print(f"  {m}", file=sys.stderr)


def write_stats(path: str, stats: dict[str, object]) -> None:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out)
