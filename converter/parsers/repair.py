"""Confirming split numbers with the tables' own arithmetic.

A cell whose digits were split by layout ("1499 1.60") or joined across a page break
is a candidate. It is accepted only when a relation the table must satisfy holds
exactly with the candidate values: parent code = sum of children, total row = sum of
classes, row identities (合计 = 基本 + 项目 …), or the same figure printed undamaged in
another table. Otherwise the raw text is kept and flagged."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Hashable

from converter.parsers.numbers import CellNumber

Key = Hashable


@dataclass
class Relation:
    lhs: Key
    rhs: list[Key]
    label: str


@dataclass
class Resolution:
    values: dict[Key, Decimal] = field(default_factory=dict)
    evidence: dict[Key, str] = field(default_factory=dict)  # repaired cells
    rejected: dict[Key, str] = field(default_factory=dict)  # key -> raw text


def resolve(
    cells: dict[Key, CellNumber],
    relations: list[Relation],
    external: Callable[[Key, Decimal], str | None] | None = None,
) -> Resolution:
    """Trusted values for every cell; damaged cells only where confirmed."""
    res = Resolution()
    candidates: dict[Key, Decimal] = {}
    for key, cell in cells.items():
        if cell.value is None:
            res.rejected[key] = cell.raw
        elif cell.damaged:
            candidates[key] = cell.value
        else:
            res.values[key] = cell.value

    def value(k: Key) -> Decimal | None:
        if k in res.values:
            return res.values[k]
        if k in candidates:
            return candidates[k]
        if k in res.rejected:
            return None  # unreadable: the relation cannot be evaluated
        return Decimal(0)  # empty cell: contributes nothing to a sum

    changed = True
    while changed and candidates:
        changed = False
        for rel in relations:
            terms = [rel.lhs, *rel.rhs]
            open_terms = [k for k in terms if k in candidates]
            if not open_terms:
                continue
            vals = [value(k) for k in terms]
            if any(v is None for v in vals):
                continue
            lhs, rhs = vals[0], sum(vals[1:], Decimal(0))
            if lhs == rhs and lhs != 0:
                for k in open_terms:
                    res.values[k] = candidates.pop(k)
                    res.evidence[k] = rel.label
                changed = True
        if external is not None:
            for k in list(candidates):
                why = external(k, candidates[k])
                if why:
                    res.values[k] = candidates.pop(k)
                    res.evidence[k] = why
                    changed = True
    for k, v in candidates.items():
        res.rejected[k] = cells[k].raw
    return res
