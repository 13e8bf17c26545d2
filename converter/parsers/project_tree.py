"""Group rows of a project list printed as a tree in one column, read from the list's
own arithmetic.

Some templates print a whole tree of subtotals in one name column with no indentation,
level marks or 小计 labels: the Shaanxi 部门综合预算 专项业务经费支出表 runs 合计 > 全额 >
unit (with its code) > 通用项目/专用项目 > 一级项目 (委托咨询业务, 专项购置 …) > project.
Only the amounts tell a group from a project: a group's amount is the sum of the
subtrees right after it. Read row by row that is ambiguous (two projects of 30.00 in a
row look like a group over its one project), so the whole table is read at once: the
rows under the total row must split into subtrees whose roots add up to the total, and
every group's children into subtrees that add up to the group. A reading that meets all
of these is taken; where none does (or the search grows past ``MAX_STATES``), None, and
the caller keeps its one-level reading.

The search: states (row, amount still to cover), depth first, a row read as a group
before it is read as a project, states that lead nowhere remembered. Each row's own
reading as a group (the first one found over the rows after it) is settled from the
last row up, so a group's search only chooses, for each row, project or group. Where
several readings fit, the first found is taken (deterministic). A table too ambiguous
to settle within ``MAX_STATES`` steps keeps the caller's reading."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

MAX_STATES = 200_000  # far above a real list (185 rows of five levels: about 4,400); bounds a hostile one
_Path = list[tuple[int, int]]  # subtrees of one reading: (first row, row after the last)


class _TooLarge(Exception):
    """The search passed MAX_STATES: the list is not read as a tree."""


class _Tree:
    def __init__(self, amounts: Sequence[Decimal | None], can_group: Sequence[bool], tolerance: Decimal,
                 scale: Decimal) -> None:
        self.scale = scale
        self.amounts = [int(a * scale) if a is not None else 0 for a in amounts]
        self.tol = int(tolerance * scale)
        can = [ok and a > self.tol for ok, a in zip(can_group, self.amounts)]
        self.states = 0
        n = len(self.amounts)
        # what all rows from q on add up to: subtrees from q never cover more
        self.suffix = [0] * (n + 1)
        for q in range(n - 1, -1, -1):
            self.suffix[q] = self.suffix[q + 1] + self.amounts[q]
        self.dead: set[tuple[int, int]] = set()  # states from which no subtrees add up
        # options[q]: the rows that may follow the subtree rooted at q, the group reading
        # first (q + 1: q is a project); children[q]: the group's own reading
        self.options: list[list[int]] = [[] for _ in range(n)]
        self.children: dict[int, _Path] = {}
        for q in range(n - 1, -1, -1):  # a subtree depends only on the rows after it
            inner = self.search(q + 1, self.amounts[q], None) if can[q] else None
            if inner:
                self.children[q] = inner
                self.options[q] = [inner[-1][1], q + 1]
            else:
                self.options[q] = [q + 1]

    def search(self, start: int, target: int, ends: set[int] | None) -> _Path | None:
        """The first reading (depth first, groups first) of the rows from ``start`` as
        subtrees adding up to ``target``, ending anywhere (``ends`` None) or at one of
        ``ends``; failed states are remembered (for any end, across searches)."""
        dead = self.dead if ends is None else set()
        stack = [(start, target, 0)]
        path: _Path = []
        while stack:
            q, r, k = stack[-1]
            if abs(r) <= self.tol and (ends is None or q in ends):
                return path
            if (k >= len(self.options[q]) if q < len(self.options) else True) or abs(r) <= self.tol \
                    or r < -self.tol or r > self.suffix[q] + self.tol or (q, r) in dead:
                dead.add((q, r))
                stack.pop()
                if path:
                    path.pop()
                continue
            e = self.options[q][k]
            stack[-1] = (q, r, k + 1)
            stack.append((e, r - self.amounts[q], 0))
            path.append((q, e))
            self.states += 1
            if self.states > MAX_STATES:
                raise _TooLarge
        return None

    def groups(self, path: _Path) -> dict[int, int]:
        """{group row: depth} of a reading and of its groups' own readings (iterative: a
        chain of one-child groups may be as deep as the list is long)."""
        out: dict[int, int] = {}
        todo = [(path, 1)]
        while todo:
            part, depth = todo.pop()
            for root, end in part:
                if end > root + 1:
                    out[root] = depth
                    todo.append((self.children[root], depth + 1))
        return out


def tree_groups(amounts: Sequence[Decimal | None], can_group: Sequence[bool], total: Decimal,
                tolerance: Decimal) -> dict[int, int] | None:
    """{row: depth (1 = right under the total)} of the group rows of the rows under a
    total row, when they read as a tree adding up to ``total`` (rows with no amount or 0
    at the end may trail); None when no reading fits, an amount is negative, or the
    search is too large."""
    if any(a is not None and a < 0 for a in amounts):
        return None
    n = len(amounts)
    trailing = n
    while trailing > 0 and not amounts[trailing - 1]:
        trailing -= 1
    # whole numbers of the smallest printed fraction (0.01 万元): sums exact and fast
    printed = [a for a in (*amounts, total, tolerance) if a is not None]
    if not all(a.is_finite() for a in printed):
        return None
    places = max([0] + [-int(a.as_tuple().exponent) for a in printed])
    if places > 6:
        return None
    try:
        tree = _Tree(amounts, can_group, tolerance, Decimal(10) ** places)
        path = tree.search(0, int(total * tree.scale), set(range(trailing, n + 1)))
        return None if path is None else tree.groups(path)
    except _TooLarge:
        return None
