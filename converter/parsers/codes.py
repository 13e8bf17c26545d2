"""Classification codes of budget lines: reading a code printed with its name in one cell
("[201]一般公共服务支出", "201 一般公共服务支出", "2010301行政运行"), the scheme a code
belongs to, and resolving a name printed without a code (Zhejiang) through the national
code lists shipped in ``ontology/`` (function-codes.ttl, economic-codes.ttl, built by
scripts/build_codelists.py from every coded table seen).

Resolution never guesses: a name becomes a code only when exactly one listed concept of
the table's scheme carries that name and fits the rows above it (a 类, or a child of a
known row above that is still open, coming after the previous code in the table's
ascending code order); a name that fits no or several concepts stays a name and is
flagged. A name is never placed under a parent that is not known.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from converter.mapping.iris import CODES
from converter.resources import ontology_dir

FUNCTION, ECONOMIC, GOV_ECONOMIC = "function", "economic", "gov-economic"
SCHEMES = (FUNCTION, ECONOMIC, GOV_ECONOMIC)
CODELIST_FILES = {FUNCTION: "function-codes.ttl", ECONOMIC: "economic-codes.ttl", GOV_ECONOMIC: "economic-codes.ttl"}
CODELIST_BASE = CODES  # national lists live in the fixed vocabulary namespace, not under the data base

# a code and its name in one cell: optional bracket, 3/5/7 digits, optional bracket or
# separator, the name (which must not start with a digit: "2024年" is no code)
_CODE_CELL = re.compile(r"^[\[【〔(（]?(\d{3}(?:\d{2}){0,2})[\]】〕)）]?[-－—:：.．、]?(?![\d.,])(.*)$")
_SPACE = re.compile(r"\s+")
# numbering and lead words that are layout, not part of a classification name
_LEAD = re.compile(r"^(?:其中[:：]|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d)|[(][一二三四五六七八九十\d]{1,3}[)])")


def split_code_cell(text: str) -> tuple[str | None, str]:
    """(code, name) of a cell holding a code and/or a name; (None, name) when it holds no
    code. Spaces anywhere are layout ("201 一般公共服务支出", "[ 20103 ] 政府办公厅…")."""
    t = _SPACE.sub("", text or "")
    m = _CODE_CELL.match(t)
    if not m:
        return None, t
    return m.group(1), m.group(2)


_SCHEME_BY_HEAD = {"2": FUNCTION, "3": ECONOMIC, "5": GOV_ECONOMIC}


def scheme_of(code: str, default: str) -> str:
    """The scheme a code belongs to by its shape (3, 5 or 7 digits): function codes are
    2xx, departmental economic codes 3xx (7 digits where a region extends them:
    3010201 规范性津补贴, 重庆), government economic codes 5xx; anything else (a unit's
    code, 120001) keeps ``default``."""
    if len(code) in (3, 5, 7) and code[:1] in _SCHEME_BY_HEAD:
        return _SCHEME_BY_HEAD[code[:1]]
    return default


def parent_code(code: str) -> str | None:
    """201 <- 20113 <- 2011301 (类 3 digits, then 2 per level)."""
    return code[:-2] if len(code) > 3 else None


def name_key(name: str) -> str:
    """Comparison key of a classification name: NFKC (full-width brackets as ASCII),
    no whitespace, no leading numbering or 其中."""
    t = _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))
    t = _LEAD.sub("", t)
    return t.rstrip("*")


@dataclass
class CodeLists:
    """Code -> (preferred label, alternative labels) per scheme, and name key -> codes."""

    labels: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    by_name: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, scheme: str, code: str, label: str) -> None:
        self.labels.setdefault((scheme, code), [])
        if label not in self.labels[(scheme, code)]:
            self.labels[(scheme, code)].append(label)
        self.by_name.setdefault((scheme, name_key(label)), set()).add(code)

    def codes_named(self, scheme: str, name: str) -> set[str]:
        return self.by_name.get((scheme, name_key(name)), set())

    def names(self, scheme: str, code: str) -> list[str]:
        return self.labels.get((scheme, code), [])

    def has(self, scheme: str, code: str) -> bool:
        return (scheme, code) in self.labels


@lru_cache(maxsize=4)
def load_codelists(directory: Path | None = None) -> CodeLists:
    """The national code lists from the ontology's SKOS files (prefLabel and altLabel;
    editorial notes of conflicting names are not labels and never resolve a name)."""
    import pyoxigraph as ox

    directory = directory or ontology_dir()
    lists = CodeLists()
    skos = "http://www.w3.org/2004/02/skos/core#"
    for fname in sorted(set(CODELIST_FILES.values())):
        path = directory / fname
        if not path.exists():
            continue
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if t.predicate.value not in (skos + "prefLabel", skos + "altLabel"):
                continue
            iri = t.subject.value
            if not iri.startswith(CODELIST_BASE):
                continue
            scheme, _, code = iri[len(CODELIST_BASE):].partition("/")
            if scheme in SCHEMES and code.isdigit():
                lists.add(scheme, code, t.object.value)
    return lists


@dataclass
class Resolution:
    code: str | None
    problem: str | None = None  # why a name stayed without a code


class NameResolver:
    """Resolves the names of one table's rows, top to bottom, in one scheme.

    The tables print a parent before its children and codes in ascending order, so a
    name's code must come after the previous known code and its parent must be the row
    above or one of that row's ancestors. A row left unresolved may have closed some of
    those ancestors (a new 款 closes the previous 款): until a row is known again, only
    ancestors shallower than every level that row could be at remain possible parents.
    That level is bounded by the levels its name has in the lists (any level for a name
    not listed) and by the table's arithmetic: while the children of a known row so far
    add up to less than its amount, the rows below are still inside it."""

    TOLERANCE = Decimal("0.1")  # above the sources' 0.01 rounding gaps

    def __init__(self, lists: CodeLists, scheme: str) -> None:
        self.lists = lists
        self.scheme = scheme
        self.stack: list[str] = []  # the last known row and its ancestors, top first
        self.last: str | None = None
        self.used: set[str] = set()
        self.closed_from = 99  # stack entries this long or longer may have been closed
        self.amount: dict[str, Decimal | None] = {}
        self.filled: dict[str, Decimal | None] = {}  # upper bound of the direct children's sum so far
        self.pending: set[str] = set()  # names of the unresolved rows since the last known one

    @staticmethod
    def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None or b < 0 else a + b

    def _known(self, code: str, amount: Decimal | None) -> None:
        parent = parent_code(code)
        if parent in self.stack:
            self.filled[parent] = self._add(self.filled.get(parent), amount)
        # a code's ancestors are known by its prefix, printed above or not
        self.stack = [code[:n] for n in range(3, len(code), 2)] + [code]
        self.amount[code], self.filled[code] = amount, Decimal(0)
        self.last = code
        self.used.add(code)
        self.closed_from = 99
        self.pending = set()

    def printed(self, code: str, amount: Decimal | None = None) -> None:
        if scheme_of(code, self.scheme) == self.scheme:
            self._known(code, amount)

    def _unresolved(self, name: str, cands: list[str], amount: Decimal | None) -> None:
        level = min((len(c) for c in cands), default=3)
        for c in reversed(self.stack):  # the deepest known row whose children are still missing
            total, filled = self.amount.get(c), self.filled.get(c)
            if total is not None and filled is not None and total - filled > self.TOLERANCE:
                level = max(level, len(c) + 2)
                break
        self.closed_from = min(self.closed_from, level)
        self.pending.add(name_key(name))
        for c in self.stack:  # a direct child of any of them it may be: a bound, not a sum
            if len(c) + 2 >= level:
                self.filled[c] = self._add(self.filled.get(c), amount)

    def resolve(self, name: str, amount: Decimal | None = None) -> Resolution:
        cands = sorted(self.lists.codes_named(self.scheme, name))
        if not cands:
            self._unresolved(name, cands, amount)
            return Resolution(None, "name not in the national code lists")

        def possible(c: str) -> bool:
            if c in self.used or (self.last is not None and c <= self.last):
                return False  # the tables print codes in ascending order, each once
            parent = parent_code(c)
            if parent is None or parent in self.stack:
                return True
            # its parent may be an unresolved row above: unless the lists name that parent
            # and no such row bears its name (every ancestor is printed)
            names = {name_key(n) for n in self.lists.names(self.scheme, parent)}
            return bool(self.pending) and (not names or bool(names & self.pending))

        def known_parent(c: str) -> bool:
            parent = parent_code(c)
            return parent is None or (parent in self.stack and len(parent) < self.closed_from)

        fit = [c for c in cands if possible(c)]
        if len(fit) == 1 and known_parent(fit[0]):
            self._known(fit[0], amount)
            return Resolution(fit[0])
        self._unresolved(name, cands, amount)
        if not fit:
            return Resolution(None, f"no listed concept of that name fits the rows above (candidates {' '.join(cands)})")
        if len(fit) == 1:
            return Resolution(None, f"an unresolved row above may have closed its parent or be it ({fit[0]})")
        return Resolution(None, f"several listed concepts fit ({' '.join(fit)})")
