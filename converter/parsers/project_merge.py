"""One record per project across the tables of a document.

A project listed in a summary table and described in its own form (or row) is one
project only where the document's own evidence says so:
  1. the same project code;
  2. the same full name once layout damage is normalised away (whitespace, punctuation,
     bracket widths), and the same amount where both state one;
  3. a name variant — one name is the other with words added at its start or end
     ("信息化运行维护" / "信息化运行维护项目", "XX经费" / "XX") — printed by tables of
     different layouts (a list and a form …) with the same amount (in 元 where their
     units differ), and no other record fits that way.
Both tables are kept as its sources and every printed name stays as an alias
(``Project.aliases``); the first name read is the record's name. A project whose own
table prints no amount takes it from another table of the same document that states it
(a list, the procurement table's 预算资金), with that table as the amount's source."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from converter.readers.markup import norm_key
from converter.records.model import ProcurementItem, Project, ProjectSource

_MONEY = ("budget", "fiscal_funds", "other_funds")


# dashes a name is printed with in one table and another (科技研发资金-平台载体专项 / …—…)
_DASHES = str.maketrans({c: "-" for c in "—–－‐‑﹣―\ufffe"})


def name_key(name: str) -> str:
    """Normalised full name: no whitespace or punctuation, full-width forms as ASCII
    (brackets, letters, digits), every dash as '-'."""
    t = unicodedata.normalize("NFKC", norm_key(name)).translate(str.maketrans("（）【】［］：，", "()[][]:,"))
    return re.sub(r"[\s\"'“”‘’《》、,.:;；。·]", "", t.translate(_DASHES))


def merge_projects(projects: list[Project]) -> tuple[list[Project], dict[int, Project]]:
    """Fold records of the same project (the module docstring's three rules) into the first
    one, which keeps the other's name as an alias; order of first appearance. Returns the
    records and, for each folded record (by id), the record it was folded into."""
    out: list[Project] = []
    folded: dict[int, Project] = {}
    by_code: dict[str, Project] = {}
    by_name: dict[str, list[Project]] = {}
    for p in projects:
        target = by_code.get(p.code) if p.code else None
        if target is None:
            for cand in by_name.get(name_key(p.name), []):
                if p.code and cand.code and p.code != cand.code:
                    continue
                if p.budget is not None and cand.budget is not None and not _same_amount(p, cand):
                    continue
                if p.unit_name and cand.unit_name and name_key(p.unit_name) != name_key(cand.unit_name):
                    continue  # the same name in two units: two projects
                target = cand
                break
        if target is None:
            target = _variant_of(p, out)
        if target is None:
            out.append(p)
            if p.code:
                by_code[p.code] = p
            by_name.setdefault(name_key(p.name), []).append(p)
            if p.unit_name:  # "专项工作经费（广州市人民政府办公厅）" names the same project
                by_name.setdefault(name_key(f"{p.name}({p.unit_name})"), []).append(p)
            continue
        _fold(target, p)
        folded[id(p)] = target
        if name_key(p.name) != name_key(target.name):  # its name is the project's too
            by_name.setdefault(name_key(p.name), []).append(target)
        if target.code:
            by_code.setdefault(target.code, target)
    return out, folded


_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


def _same_amount(a: Project, b: Project) -> bool:
    """The same budget; where the two tables print different units (a list in 元 and its
    projects' forms in 万元: Shaanxi 表10 / 表14), the finer amount in the coarser unit,
    rounded as the coarser one is printed (1,909,136.00 元 is 190.91 万元); as printed
    where a unit is not known."""
    if a.currency_unit in _YUAN and b.currency_unit in _YUAN and a.currency_unit != b.currency_unit:
        fine, coarse = (a, b) if _YUAN[a.currency_unit] < _YUAN[b.currency_unit] else (b, a)
        scaled = fine.budget * _YUAN[fine.currency_unit] / _YUAN[coarse.currency_unit]
        places = Decimal(1).scaleb(min(0, coarse.budget.as_tuple().exponent))
        return scaled.quantize(places, rounding=ROUND_HALF_UP) == coarse.budget
    return a.budget == b.budget


# the shorter name of a variant pair must name something on its own (not "经费", "维护")
_MIN_VARIANT = 4


def _is_variant(a: str, b: str) -> bool:
    """One normalised name is the other with words added at its start or its end."""
    short, long_ = sorted((name_key(a), name_key(b)), key=len)
    return len(short) >= _MIN_VARIANT and short != long_ and (long_.startswith(short) or long_.endswith(short))


def _variant_of(p: Project, records: list[Project]) -> Project | None:
    """The one record ``p`` is a name variant of (rule 3 of the module docstring): both
    state the same amount, no code or unit tells them apart, and they come from tables of
    different layouts (one table never prints a project twice); None when no record or
    more than one fits."""
    if not p.budget:  # no amount, or 0.00: an equal amount says nothing
        return None
    layouts = {s.layout for s in p.sources}
    fits = [c for c in records
            if c.budget is not None and _same_amount(p, c) and _is_variant(p.name, c.name)
            and not (p.code and c.code) and not layouts & {s.layout for s in c.sources}
            and not (p.unit_name and c.unit_name and name_key(p.unit_name) != name_key(c.unit_name))]
    return fits[0] if len(fits) == 1 else None


def _alias(into: Project, name: str) -> None:
    """Keep ``name`` as printed where it is not one of the names ``into`` already has
    (differences of layout alone — spaces, punctuation, bracket width — are no new name)."""
    if name_key(name) and name_key(name) not in {name_key(n) for n in (into.name, *into.aliases)}:
        into.aliases.append(name.strip())


def _fold(into: Project, other: Project) -> None:
    """Fill what ``into`` does not state from ``other``; the richer description
    (goal, indicators) wins; both keep their sources and printed names."""
    _alias(into, other.name)
    for name in other.aliases:
        _alias(into, name)
    richer = len(other.indicators) > len(into.indicators)
    for f in ("code", "number", "unit_code", "unit_name", "purpose", "goal", "region_code", "code_year",
              "carried_over", "department", "category"):
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
    # a record's amounts come from one table, in its unit: where the two print different
    # units, the one that states more of them (a form's 资金总额 and 其中财政拨款 over a
    # list's bare amount)
    stated = [sum(getattr(p, f) is not None for f in _MONEY) for p in (into, other)]
    if (into.budget is None and other.budget is not None) or (
            into.currency_unit != other.currency_unit and stated[1] > stated[0]):
        for f in _MONEY:
            setattr(into, f, getattr(other, f))
        into.funds = dict(other.funds)
        into.currency_unit = other.currency_unit
    elif not into.funds and other.funds and into.currency_unit == other.currency_unit:
        into.funds = dict(other.funds)  # the parts of the same amount, from the list that prints them
    if richer:
        into.indicators = other.indicators
        into.spending_plan = other.spending_plan or into.spending_plan
        into.loc = other.loc
    into.sources.extend(other.sources)


def amounts_from_procurement(projects: list[Project], items: list[ProcurementItem], unit: str | None,
                             title: str | None) -> None:
    """A project with no amount of its own takes the procurement table's 预算资金 of the
    project of the same full name, when that table states one value for it."""
    budgets: dict[str, set] = {}
    locs: dict[str, object] = {}
    for it in items:
        if it.project_name and it.project_budget is not None:
            k = name_key(it.project_name)
            budgets.setdefault(k, set()).add(it.project_budget)
            locs.setdefault(k, it.loc)
    for p in projects:
        k = name_key(p.name)
        if p.budget is None and len(budgets.get(k, ())) == 1:
            p.budget = next(iter(budgets[k]))
            p.currency_unit = unit
            p.sources.append(ProjectSource(layout="procurement", title=title, gave=["amount"], loc=locs[k]))
