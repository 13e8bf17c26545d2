"""Where the batch commands' documents run: local worker processes (converter.batch.Pool,
the default) or a Dask distributed cluster (``--executor dask://HOST:PORT``), an existing
engine that spreads the per-document pipeline over many machines. Each document is a
pure function of its bytes, so the cluster gives the same results in the same order."""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

EXECUTOR_ENV = "BUDGETLOD_EXECUTOR"  # set by the command line's --executor, read by every Pool
SCHEMES = ("dask://", "tcp://")
# settings a worker must see as the command line set them (cluster workers are not the
# command's children, so they do not inherit its environment)
FORWARDED = ("BUDGETLOD_OCR", "BUDGETLOD_BASE", "BUDGETLOD_TIME_LIMIT")


def settings_snapshot() -> dict[str, str | None]:
    return {k: os.environ.get(k) for k in FORWARDED}


def call_with_settings(settings: dict[str, str | None], fn: Any, item: Any) -> Any:
    """Run ``fn(item)`` on a cluster worker under the command's settings."""
    for k, v in settings.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    return fn(item)


def executor_url() -> str | None:
    return os.environ.get(EXECUTOR_ENV) or None


def check_url(url: str) -> str:
    """The scheduler address of an --executor URL, or ValueError naming what is wrong."""
    if not url.startswith(SCHEMES):
        raise ValueError(f"--executor {url!r}: expected dask://HOST:PORT")
    rest = url.split("://", 1)[1]
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--executor {url!r}: expected dask://HOST:PORT")
    return f"tcp://{rest}"


@dataclass
class Cluster:
    client: Any
    executor: Executor
    slots: int

    def died(self, exc: BaseException) -> bool:
        """Did the cluster give up on a job because its workers kept dying?"""
        from distributed.scheduler import KilledWorker

        return isinstance(exc, KilledWorker)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self.client.close()


def cluster_executor() -> Cluster | None:
    """A concurrent.futures executor on the configured cluster, or None (local processes)."""
    url = executor_url()
    if url is None:
        return None
    try:
        from distributed import Client
    except ImportError as exc:
        raise RuntimeError("--executor dask://… needs the 'distributed' package (pip install distributed)") from exc
    client = Client(check_url(url), timeout=30)
    slots = max(1, sum(client.nthreads().values()))
    return Cluster(client=client, executor=client.get_executor(pure=False), slots=slots)
