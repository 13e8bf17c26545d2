"""Quarantine: a table whose cells fail their shape is kept out of the records (and so
out of the graph) and reported with its page and the reason, so that one bad table never
costs a document its good ones. A table is quarantined when a row code is not a code of
its scheme, when its own arithmetic is broken beyond rounding in most of its checks, or
when its cells are garbled (text and numbers of several columns run together)."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.records.model import BudgetLine, Disclosure, Flag, ProcurementItem

# the shapes a row code must have, by scheme (shapes/structure.ttl checks the same)
_CODE_SHAPE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")  # 类 / 款 / 项 (regional economic 项 codes: 3010201)
CODE_SHAPES = {"function": _CODE_SHAPE, "economic": _CODE_SHAPE}
ROUNDING = Decimal("1.00")  # a gap up to this is rounding (万元 or 元 tables), not a broken identity
_CATALOG_CODE = re.compile(r"^[ABC](?:\d{2,})?$")  # A / B / C alone: the class (货物 / 工程 / 服务)
# an item cell holding another column's code or several numbers: cells run together
_GARBLED = re.compile(r"[ABC]\d{6,}|(?<!\d)\d+\.\d{2}\D*\d+\.\d{2}")  # (?<!\d): one try per digit run (linear)


def _where(lines) -> str:
    pages = sorted({l.loc.page for l in lines if l.loc.page is not None})
    line_nos = sorted({l.loc.line for l in lines if l.loc.line is not None})
    if pages:
        return f"page {pages[0]}" + (f"–{pages[-1]}" if len(pages) > 1 else "")
    return f"line {line_nos[0]}" if line_nos else "an unknown place"


def coded_fault(lines: list[BudgetLine]) -> str | None:
    """Why a coded table's lines fail their shape, or None."""
    from converter.reconcile import coded_checks

    for line in lines:
        rx = CODE_SHAPES.get(line.scheme or "")
        if line.code and rx is not None and not rx.match(line.code):
            return f"row code '{line.code}' ({line.name}) is not a {line.scheme} classification code"
    garbled = sum(len(l.unparsed) for l in lines)
    read = sum(len(l.amounts) for l in lines)
    if garbled >= 3 and garbled > read:
        return f"{garbled} of {garbled + read} amount cells cannot be read as numbers"
    checks = coded_checks(lines)
    broken = [c for c in checks if c.difference is not None and abs(c.difference) > ROUNDING]
    if len(broken) >= 3 and 2 * len(broken) > len(checks):
        c = broken[0]
        return (f"{len(broken)} of {len(checks)} identities broken beyond rounding "
                f"(first: {c.subject}: {c.expected} vs {c.actual})")
    return None


def procurement_fault(items: list[ProcurementItem]) -> str | None:
    """Why a procurement table's rows fail their shape, or None."""
    for it in items:
        if it.catalog_code and not _CATALOG_CODE.match(it.catalog_code):
            return f"catalogue code '{it.catalog_code}' of '{it.item}' is not a procurement catalogue code"
        for text in (it.item, it.project_name or ""):
            if _GARBLED.search(text):
                return f"cells run together in '{text}'"
    return None


def quarantine(d: Disclosure, kind: str, title: str, lines, reason: str) -> None:
    """Report a table kept out of the records."""
    d.flags.append(Flag(kind="quarantined-table", raw=title,
                        loc=next((l.loc for l in lines), None) or Flag("", "").loc,
                        message=f"{title} ({kind}, {_where(lines)}) quarantined: {reason}; "
                                f"its rows are left out, the rest of the document is kept"))


def quarantined(d: Disclosure) -> list[Flag]:
    return [f for f in d.flags if f.kind == "quarantined-table"]
