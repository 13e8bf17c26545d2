"""The real PDFs of ../shared/corpus-real (and wide/), each extracted once per test
session: every test that reads real files asks here, so a file is never extracted twice.

The first request extracts every real PDF over two worker processes (largest first, so
the workers finish together); later requests are dictionary look-ups. Under pytest-xdist
the workers share that one extraction through a file. The corpus is
found through BUDGETLOD_REAL_CORPUS, else the shared folder beside the checkout (also
from a git worktree one level deeper)."""

from __future__ import annotations

import fcntl
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PER_FILE_LIMIT = 300.0  # seconds: far above any file alone (the largest takes ~25 s), room for a loaded box
# pytest-timeout for a test that reads the real corpus (tests/conftest.py): the first one pays
# the whole extraction (~2 min on a quiet 2-core box, 5 min on a slow one, longer beside the
# other test worker), the other worker's first one waits for it; still bounded, so a hang stops
TEST_TIMEOUT = 1500


def real_corpus() -> Path | None:
    env = os.environ.get("BUDGETLOD_REAL_CORPUS")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in Path(__file__).resolve().parents[2:]:
        candidate = parent / "shared" / "corpus-real"
        if candidate.is_dir():
            return candidate
    return None


REAL = real_corpus()


@dataclass(frozen=True)
class Outcome:
    """What extract gave for one file: the records and checks, or the InputError's problem."""

    disclosure: Any | None
    checks: list | None
    error: str | None
    seconds: float


def extract_file(path: Path) -> Outcome:
    """Run the pipeline on one file (in a worker process); never raises for bad input."""
    from converter.errors import InputError
    from converter.pipeline import extract

    start = time.perf_counter()
    try:
        result = extract(path, time_limit=PER_FILE_LIMIT)
    except InputError as err:
        return Outcome(None, None, err.problem, time.perf_counter() - start)
    return Outcome(result.disclosure, result.checks, None, time.perf_counter() - start)


_CACHE: dict[str, Outcome] = {}


def all_pdfs() -> list[str]:
    """Paths of every real PDF, relative to the corpus folder."""
    if REAL is None:
        return []
    return sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*.pdf"))


def outcomes() -> dict[str, Outcome]:
    """Every real PDF's outcome, by path relative to the corpus (``wide/…`` for the wide
    set); skips the calling test when the corpus is absent."""
    if REAL is None:
        pytest.skip("no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS")
    if not _CACHE:
        shared = _shared_file()
        if shared is None:
            _CACHE.update(_extract_all())
        else:
            _CACHE.update(_through_shared_file(shared))
    return _CACHE


def _extract_all() -> dict[str, Outcome]:
    todo = sorted(all_pdfs(), key=lambda p: -(REAL / p).stat().st_size)  # type: ignore[operator]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip(todo, pool.map(extract_file, [REAL / p for p in todo])))  # type: ignore[operator]


# set by tests/conftest.py under pytest-xdist: the run's base temporary folder, which every
# worker's own temporary folder sits in (pytest removes it with the run's other old folders)
SHARED_DIR: Path | None = None


def _shared_file() -> Path | None:
    """Under pytest-xdist, the file the run's workers share the extraction through (the
    first worker to ask extracts, the others wait for it and read it); else None."""
    return SHARED_DIR / "real-corpus-outcomes.pickle" if SHARED_DIR is not None else None


def _through_shared_file(path: Path) -> dict[str, Outcome]:
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this worker dies
        if path.exists():
            return pickle.loads(path.read_bytes())
        found = _extract_all()
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(found))
        partial.replace(path)
        return found


def outcome(rel: str) -> Outcome:
    return outcomes()[rel]
