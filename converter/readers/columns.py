"""Column boundaries of a table printed without ruling lines, from word boxes alone.

A column is an x-range that the table's words cover; between two columns lies a
vertical band of white that (nearly) every line leaves empty. That band is where
right-aligned numbers end and the next column's text begins, so it is found from the
coverage of all lines together, never from the gaps of one line (one line's gap may be
narrower than a space elsewhere, as in "22.13台式计算机"). Labels that span several
sub-columns (a group label centred over them, a title row) would bridge the band: a
word whose middle lies over a band that the lines above and below leave empty, while
its two ends lie over text of other lines, is a spanning word. It is left out of the
coverage and assigned to the first column it overlaps, as a text extraction prints a
merged header cell in its first column. The wrapped lines of one cell (a long value
centred in its cell, its last line short) would look the same to the coverage alone:
told which words are one cell, a word's own other lines never count as the text on
either side of the band it crosses.

Works on plain (x0, x1) boxes per line: it knows nothing of PDFs, so any source of
word boxes (pdfplumber today) can feed it, and it is tested on synthetic boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

Box = tuple[float, float]  # x0, x1 of one word
STEP = 0.5  # coverage resolution in points

# a band at most this many lines cross, with more text on both sides inside the
# crossing word, marks that word as spanning (a group label, possibly wrapped once)
SPAN_MAX_CROSSINGS = 2


@dataclass(frozen=True)
class Columns:
    """Column extents, left to right, and the spanning words as (line, word) indexes."""

    bounds: list[tuple[float, float]]
    spanning: frozenset[tuple[int, int]]

    def column_of(self, box: Box, spanning: bool = False) -> int:
        """The column a word belongs to: the one holding its centre; a spanning word
        (or one whose centre falls into a band) goes to the first column it overlaps."""
        x0, x1 = box
        if not spanning:
            mid = (x0 + x1) / 2
            for k, (a, b) in enumerate(self.bounds):
                if a - STEP <= mid <= b + STEP:
                    return k
        for k, (a, b) in enumerate(self.bounds):
            if x1 > a and x0 < b:
                return k
        # in a band entirely (cannot happen for a box that took part in the coverage):
        # the nearest column to the left
        k = 0
        for i, (a, _) in enumerate(self.bounds):
            if a <= x0:
                k = i
        return k


def _bins(x0: float, x1: float, origin: float, n: int) -> tuple[int, int]:
    """The STEP-wide bins a box covers, as a half-open range."""
    return max(int((x0 - origin) / STEP), 0), min(int((x1 - origin) / STEP) + 1, n)


def _coverage(boxes: Sequence[Box], origin: float, n: int) -> list[int]:
    """How many boxes cover each STEP-wide bin (difference array, linear)."""
    diff = [0] * (n + 1)
    for x0, x1 in boxes:
        a, b = _bins(x0, x1, origin, n)
        if b > a:
            diff[a] += 1
            diff[b] -= 1
    out, run = [0] * n, 0
    for i in range(n):
        run += diff[i]
        out[i] = run
    return out


def _spans_band(cov: list[int], a: int, b: int, min_bins: int) -> bool:
    """Inside bins a..b (one word): a run covered by at most t boxes (t = 1, then up to
    SPAN_MAX_CROSSINGS), at least ``min_bins`` wide, with bins covered by more than t
    boxes on both sides of it inside the word."""
    for t in range(1, SPAN_MAX_CROSSINGS + 1):
        i = a
        while i < b:
            if cov[i] > t:
                i += 1
                continue
            j = i
            while j < b and cov[j] <= t:
                j += 1
            if j - i >= min_bins and i > a and j < b:
                if max(cov[a:i]) > t and max(cov[j:b]) > t:
                    return True
            i = j
    return False


def _bridges(cov: list[int], a: int, b: int, min_bins: int) -> bool:
    """Does the word over bins a..b cover other words somewhere, and overhang them at an
    end to within ``min_bins`` of coverage beyond it that the gap would otherwise keep
    apart?"""
    inner = [cov[k] - 1 for k in range(a, b)]
    if not any(v > 0 for v in inner):
        return False  # a label over a column of its own
    for step, outside in ((1, range(b, min(b + min_bins, len(cov)))),
                          (-1, range(a - 1, max(a - 1 - min_bins, -1), -1))):
        over = 0  # bins of the word's overhang at this end (nothing else under them)
        for v in (reversed(inner) if step == 1 else inner):
            if v > 0:
                break
            over += 1
        if over == 0:
            continue
        reach = next((d for d, k in enumerate(outside) if cov[k] > 0), None)
        if reach is not None and over + reach >= min_bins:
            return True
    return False


def find_columns(
    lines: Sequence[Sequence[Box]],
    min_gap: float,
    labels: Sequence[Sequence[bool]] | None = None,
    cells: Sequence[Sequence[int]] | None = None,
) -> Columns:
    """Columns of the table whose lines hold these word boxes; bands narrower than
    ``min_gap`` (a space inside a cell) do not separate columns. ``labels`` marks the
    words that may span columns (text, not numbers: a number is never a group label,
    and a wide one beside a narrow one in a right-aligned column is no bridge).
    ``cells`` numbers the words that are wrapped lines of one cell alike: a short last
    line centred under a long first one is that cell's text, not a column on one side
    of a band the long line would cross."""
    boxes = [(li, wi, b) for li, line in enumerate(lines) for wi, b in enumerate(line) if b[1] > b[0]]
    if not boxes:
        return Columns([], frozenset())
    origin = min(b[0] for _, _, b in boxes)
    n = int((max(b[1] for _, _, b in boxes) - origin) / STEP) + 2
    min_bins = max(int(min_gap / STEP), 1)
    cov = _coverage([b for _, _, b in boxes], origin, n)
    # coverage by each multi-line cell's own lines (cell id -> first bin, counts)
    own: dict[int, tuple[int, list[int]]] = {}
    if cells is not None:
        members: dict[int, list[tuple[int, int]]] = {}
        for li, wi, (x0, x1) in boxes:
            members.setdefault(cells[li][wi], []).append(_bins(x0, x1, origin, n))
        for cid, spans in members.items():
            if len(spans) > 1:
                lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
                counts = [0] * (hi - lo)
                for a, b in spans:
                    for k in range(a, b):
                        counts[k - lo] += 1
                own[cid] = (lo, counts)
    spanning: set[tuple[int, int]] = set()
    # top line first: once a group label is known to span, it no longer props up a
    # band-crossing look for the words below it
    for li, wi, (x0, x1) in boxes:
        if labels is not None and not labels[li][wi]:
            continue
        a, b = _bins(x0, x1, origin, n)
        if b - a <= min_bins + 2:
            continue
        cell = own.get(cells[li][wi]) if cells is not None else None
        if cell is None:
            local = cov[a:b]
        else:  # the word's own cell counts once (the word itself), its other lines not
            lo, cc = cell
            local = [cov[k] - cc[k - lo] + 1 if 0 <= k - lo < len(cc) else cov[k] for k in range(a, b)]
        if _spans_band(local, 0, b - a, min_bins):
            spanning.add((li, wi))
            for k in range(max(a, 0), b):
                cov[k] -= 1
                if cell is not None and 0 <= k - cell[0] < len(cell[1]):
                    cell[1][k - cell[0]] -= 1
    # a label over one column's words that overhangs it to within a space of a column it
    # does not cover would join the two: a group label centred over narrow sub-columns
    # (科目编码 over 类 | 款 | 项, its end a point from 款's label in the row below). Like a
    # spanning label it is left out of the coverage and goes to the first column it overlaps
    for li, wi, (x0, x1) in boxes:
        if labels is not None and not labels[li][wi] or (li, wi) in spanning:
            continue
        a, b = _bins(x0, x1, origin, n)
        if b - a <= min_bins + 2:
            continue
        if _bridges(cov, a, b, min_bins):
            spanning.add((li, wi))
            for k in range(max(a, 0), b):
                cov[k] -= 1
    bounds: list[tuple[float, float]] = []
    i = 0
    while i < n:
        if cov[i] == 0:
            i += 1
            continue
        j = i
        while j < n and cov[j] > 0:
            j += 1
        a, b = origin + i * STEP, origin + j * STEP
        if bounds and a - bounds[-1][1] < min_gap:
            bounds[-1] = (bounds[-1][0], b)  # a narrow band: a space inside one column
        else:
            bounds.append((a, b))
        i = j
    return Columns(bounds, frozenset(spanning))


def assign(lines: Sequence[Sequence[Box]], cols: Columns) -> list[list[int]]:
    """The column index of every word, line by line."""
    return [
        [cols.column_of(b, (li, wi) in cols.spanning) for wi, b in enumerate(line)]
        for li, line in enumerate(lines)
    ]


__all__ = ["Box", "Columns", "find_columns", "assign"]
