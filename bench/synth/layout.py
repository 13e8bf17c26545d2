"""Paginated output in the text-extraction format: page furniture and repeated table
headers at every page break, continuation rows where a break cuts a row."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.synth.damage import break_row


@dataclass
class Style:
    """How a region's documents look."""

    name: str  # A / B / C
    markdown: bool  # "## " headings
    bold: bool  # <b> on totals and project-table labels
    dangci: float  # chance a repeated 栏次 header row reads 档次
    split_rate: float  # chance an amount of a coded table is split by a space
    break_rate: float  # chance a page break cuts a row in two
    name_spaces: float  # layout spaces inside names of coded tables
    trim_prose: bool


STYLES = {
    "A": Style("A", markdown=True, bold=True, dangci=0.6, split_rate=0.35, break_rate=0.5, name_spaces=0.25, trim_prose=True),
    "B": Style("B", markdown=False, bold=False, dangci=0.0, split_rate=0.05, break_rate=0.3, name_spaces=0.0, trim_prose=False),
    "C": Style("C", markdown=False, bold=False, dangci=0.2, split_rate=0.1, break_rate=0.4, name_spaces=0.05, trim_prose=True),
}


@dataclass
class Writer:
    style: Style
    rng: random.Random
    lines: list[str] = field(default_factory=lambda: ["", ""])

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def para(self, text: str) -> None:
        self.blank()
        self.lines.append(text)
        self.lines.append("")

    def heading(self, text: str, level: int = 2) -> None:
        self.para(("#" * level + " " + text) if self.style.markdown else text)

    def bold(self, text: str) -> str:
        return f"<b>{text}</b>" if self.style.bold and text else text

    def row(self, cells: list[str]) -> None:
        self.lines.append("\t".join(cells))

    def table(self, header: list[list[str]], rows: list[list[str]], furniture: list[str], per_page: tuple[int, int],
              splittable: list[int] | None = None, first_furniture: bool = True, lane_row: bool = False) -> None:
        """Rows paginated ``per_page`` rows a page; each page repeats ``furniture`` and
        ``header``. Where a page break falls, the last row may be cut in two, the tails
        of ``splittable`` cells going to a continuation row on the next page."""
        if first_furniture:
            for f in furniture:
                self.para(f)
        self.blank()
        for h in header:
            self.row(h)
        left = self.rng.randint(*per_page)
        pending: list[str] | None = None
        for n, cells in enumerate(rows):
            if left == 0 and n < len(rows):
                self.blank()
                for f in furniture:
                    self.para(f)
                self.blank()
                for h in header:
                    if lane_row and h[0] == "栏次" and self.rng.random() < self.style.dangci:
                        h = ["档次", *h[1:]]
                    self.row(h)
                if pending is not None:
                    self.row(pending)
                    pending = None
                left = self.rng.randint(*per_page)
            if splittable and left == 1 and n + 1 < len(rows) and self.rng.random() < self.style.break_rate:
                first, cont = break_row(cells, splittable, self.rng)
                if any(cont):
                    self.row(first)
                    pending = cont
                    left -= 1
                    continue
            self.row(cells)
            left -= 1
        self.blank()
