"""Distinct lines in sorted order with bounded memory (an external merge sort), for the
large sorted files the project writes: `convert`'s N-Quads and the dumps' merged triples.

Lines are UTF-8 bytes ending in b"\\n"; UTF-8 byte order is code-point order, so the
result equals sorting the text. Up to ``run_lines`` distinct lines are held in memory;
then the run is sorted and spilled to a scratch file. Iterating merges the runs
(heapq.merge, streaming, in passes of at most MERGE_FAN_IN open files) and drops
repeats. With a single run nothing is spilled."""

from __future__ import annotations

import heapq
import os
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

RUN_LINES = 1_000_000  # ~0.35 GB of converter output held at most
MERGE_FAN_IN = 64  # open run files at once; more runs are merged in passes


def split_lines(text: str) -> list[bytes]:
    """Lines split at "\\n" only (str.splitlines would also split at U+2028 or U+0085,
    which N-Quads leaves unescaped inside literals), as UTF-8 bytes."""
    parts = text.encode("utf-8").split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    return [p + b"\n" for p in parts]


class SortedLines:
    """``add`` lines in any order, then iterate once for them sorted and distinct."""

    def __init__(self, scratch: Path | None = None, run_lines: int = RUN_LINES) -> None:
        self.run_lines = run_lines
        self._scratch = scratch  # None: a private temporary folder, made at the first spill
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._current: set[bytes] = set()
        self._runs: list[Path] = []

    def add(self, lines: Iterable[bytes]) -> None:
        self._current.update(lines)
        if len(self._current) >= self.run_lines:
            self._spill(sorted(self._current))
            self._current = set()

    def __iter__(self) -> Iterator[bytes]:
        try:
            if not self._runs:
                yield from sorted(self._current)
                return
            if self._current:
                self._spill(sorted(self._current))
                self._current = set()
            runs = list(self._runs)  # _spill appends to self._runs while a pass reads these
            while len(runs) > MERGE_FAN_IN:  # bound the open files: merge in passes
                runs = [self._spill(_merged(runs[i:i + MERGE_FAN_IN]))
                        for i in range(0, len(runs), MERGE_FAN_IN)]
            yield from _merged(runs)
        finally:
            for p in self._runs:
                p.unlink(missing_ok=True)
            if self._tmp is not None:
                self._tmp.cleanup()

    def write_to(self, out: IO[bytes]) -> int:
        """Write the sorted distinct lines; returns how many."""
        n = 0
        for line in self:
            out.write(line)
            n += 1
        return n

    def _spill(self, lines: Iterable[bytes]) -> Path:
        if self._scratch is None:
            self._tmp = self._tmp or tempfile.TemporaryDirectory(prefix="budgetlod-sort-")
            folder = Path(self._tmp.name)
        else:
            folder = self._scratch
            folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="run-", suffix=".lines", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.writelines(lines)
        path = Path(name)
        self._runs.append(path)
        return path


def _merged(runs: list[Path]) -> Iterator[bytes]:
    """The runs' lines merged, each once (a line may be in several runs)."""
    files = [open(r, "rb") for r in runs]
    try:
        last = None
        for line in heapq.merge(*files):
            if line != last:
                yield line
                last = line
    finally:
        for f in files:
            f.close()
        for r in runs:
            r.unlink(missing_ok=True)
