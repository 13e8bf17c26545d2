"""Sorted, duplicate-free N-Quads of a whole batch with bounded memory (an external
merge sort), so ``convert`` writes the same bytes for 10 documents or 100,000.

Documents come one at a time as sorted lines. Up to ``run_lines`` lines are held and
sorted in memory; then the run is spilled to a temporary file. At the end the runs are
merged (heapq.merge, streaming) into the output, dropping repeated lines. With a single
run nothing is spilled."""

from __future__ import annotations

import heapq
import os
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

RUN_LINES = 1_000_000  # ~0.35 GB of converter output held at most
MERGE_FAN_IN = 64  # open run files at once; more runs are merged in passes


class SortedNQuadsWriter:
    def __init__(self, run_lines: int = RUN_LINES, tmp_dir: str | None = None) -> None:
        self.run_lines = run_lines
        self._lines: list[str] = []
        self._runs: list[Path] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="budgetlod-sort-", dir=tmp_dir)

    def add(self, nquads: str) -> None:
        self._lines.extend(_lines(nquads))
        if len(self._lines) >= self.run_lines:
            self._spill()

    def write_to(self, out: IO[str]) -> int:
        """Write the merged lines; returns how many. Cleans up the temporary runs."""
        try:
            if not self._runs:
                return _write_unique(out, sorted(self._lines))
            self._spill()
            runs = self._runs
            while len(runs) > MERGE_FAN_IN:  # bound open files: merge in passes
                runs = [self._merge_to_file(runs[i:i + MERGE_FAN_IN]) for i in range(0, len(runs), MERGE_FAN_IN)]
            files = [open(r, encoding="utf-8", newline="\n") for r in runs]
            try:
                return _write_unique(out, heapq.merge(*files))
            finally:
                for f in files:
                    f.close()
        finally:
            self._tmp.cleanup()

    def _spill(self) -> None:
        if not self._lines:
            return
        self._lines.sort()
        path = Path(self._tmp.name) / f"run{len(self._runs):06d}.nq"
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            _write_unique(f, self._lines)
        self._runs.append(path)
        self._lines = []

    def _merge_to_file(self, runs: list[Path]) -> Path:
        fd, name = tempfile.mkstemp(suffix=".nq", dir=self._tmp.name)
        files = [open(r, encoding="utf-8", newline="\n") for r in runs]
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                _write_unique(out, heapq.merge(*files))
        finally:
            for f in files:
                f.close()
        for r in runs:
            r.unlink()
        return Path(name)


def _lines(nquads: str) -> list[str]:
    """Lines split at "\n" only: str.splitlines would also split at U+2028 or U+0085,
    which N-Quads leaves unescaped inside literals."""
    parts = nquads.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p + "\n" for p in parts]


def _write_unique(out: IO[str], lines: Iterable[str]) -> int:
    n, last = 0, None
    for line in lines:
        if line != last:
            out.write(line)
            n += 1
            last = line
    return n


def sorted_unique(chunks: Iterable[str], run_lines: int = RUN_LINES) -> Iterator[str]:
    """For tests and small callers: the merged lines as an iterator over a temp file."""
    writer = SortedNQuadsWriter(run_lines)
    for c in chunks:
        writer.add(c)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as tmp:
        writer.write_to(tmp)
        tmp.seek(0)
        yield from tmp
