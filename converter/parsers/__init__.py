"""Section parsers: layout IR -> typed records (``parse_document``)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from converter.errors import InputError, NothingRecognised
from converter.parsers.catalogue import CODED, KINDS, UNCODED, figure_sources
from converter.parsers.classify import classify, find_title, is_toc
from converter.parsers.docnumbers import DocNumber, find_docnumbers, find_in_cells
from converter.parsers.evaluation import is_project_evaluation, parse_project_evaluation
from converter.parsers.identity import Identity, read_identity
from converter.parsers.others import parse_fixed_assets, parse_procurement, parse_units
from converter.parsers.project_dispatch import PROJECT_KINDS, continued_indicators, join_form_pages, project_tables
from converter.parsers.project_merge import amounts_from_procurement, merge_projects
from converter.parsers.project_prose import prose_projects
from converter.parsers.project_prose_list import prose_project_list
from converter.parsers.numbers import HEADER_UNIT, UNIT_LINE
from converter.parsers.quarantine import coded_fault, procurement_fault, quarantine
from converter.parsers.prose import (
    _UNIT_CODE_LINE, department_goals, overall_goal, prose_figures, self_evaluation,
)
from converter.parsers.units import units_from_prose
from converter.parsers.tables import (
    TableResult, finish_coded, parse_coded, parse_overview, parse_three_public,
)
from converter.readers.ir import Block, Document, Heading, Loc, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import DocRef, Disclosure, Figure, Flag, Project, Unit

__all__ = ["parse_document"]

def _truncation(doc: Document) -> str | None:
    """The catalogue's last entry must appear in the body; otherwise the text ends early."""
    tocs = [b for b in doc.blocks if isinstance(b, Table) and is_toc(b)]
    if not tocs:
        return None
    last = tocs[-1].rows[-1]
    title = re.sub(r"[.…·\s]+$", "", norm_key(last.cell(0)))
    title = re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", title)
    if not title:
        return None
    for b in doc.blocks:
        if not isinstance(b, Table) and title in norm_key(b.text):
            return None
    return f"truncated: the catalogue lists '{title}' but the text ends before it"


# the currency unit as printed: "单位：万元", "金额单位：元", "单位：人民币万元", and
# scrambled forms ("单位万元:") from reflowed title areas
_UNIT_LINE = re.compile(UNIT_LINE + r"(?![\u4e00-\u9fff])")


def _unit_of(blocks: list[Block], i: int, max_back: int = 8) -> str | None:
    """The currency unit a table prints: on a line (or a one-row label table) between
    it and its title, or in its first rows (a unit cell inside the grid's header)."""
    for j in range(i - 1, max(-1, i - 1 - max_back), -1):
        b = blocks[j]
        if isinstance(b, Table):
            if len([r for r in b.rows if not r.is_blank()]) > 1:
                break
            text = "".join(norm_key(c) for c in b.rows[0].cells) if b.rows else ""
        else:
            text = norm_key(b.text)
        m = _UNIT_LINE.search(text)
        if m:
            return m.group(1)
    table = blocks[i]
    assert isinstance(table, Table)
    for row in table.rows[:3]:
        for c in row.cells:
            m = _UNIT_LINE.search(norm_key(c))
            if m:
                return m.group(1)
    # no unit line: amount columns headed with their unit, "合计（万元）", "预算数(元)", all alike
    headed = {m.group(1) for row in table.rows[:3] for c in row.cells if (m := HEADER_UNIT.search(norm_key(c)))}
    return headed.pop() if len(headed) == 1 else None


def _currency_units(units: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The document's currency unit and, where its tables print different units, each
    table's. The document's unit is the one most standard tables print: Shanghai prints every
    table in 元 but the 三公 table in 万元 (table_units keeps that exception); a tie states none."""
    if not units:
        return None, {}
    counts = Counter(units.values()).most_common()
    if len(counts) == 1:
        return counts[0][0], {}
    main = counts[0][0] if counts[0][1] > counts[1][1] else None
    return main, dict(units)


def parse_document(doc: Document) -> Disclosure:
    blocks = join_form_pages(doc.blocks)
    ident = read_identity(blocks)
    if ident.not_disclosure:
        raise InputError(doc.path, f"not a budget disclosure: {ident.not_disclosure}")
    d = Disclosure(source_file=doc.path.rsplit("/", 1)[-1], sha256=doc.sha256, kind=ident.kind,
                   fiscal_year=ident.year, department_code=ident.code, content_sha256=doc.content_sha256)
    flags: list[Flag] = []
    grids: list[dict] = []
    uncoded: list[tuple[str, Table, str]] = []
    unit_code_lines: list[tuple[str, str]] = []
    found: list[str] = []
    units: dict[str, str] = {}
    last_form: tuple[int, Project] | None = None  # the table that gave the last project, and it
    project_cells: list[tuple[Project, str, str, Loc]] = []  # each project's cells: text, context, where
    for i, b in enumerate(blocks):
        if not isinstance(b, Table):
            m = _UNIT_CODE_LINE.match(squeeze_cjk(b.text))
            if m:
                unit_code_lines.append((m.group(1), m.group(2).strip()))
            continue
        if is_project_evaluation(b):  # before project tables: it names a project too
            ev = parse_project_evaluation(b, flags)
            if ev is not None:
                d.project_evaluations.append(ev)
                found.append("project_evaluation")
            continue
        kind = classify(blocks, i)
        if kind in PROJECT_KINDS:  # projects: lists, forms, row-per-project tables
            found_projects = project_tables(blocks, i, ident.year, flags, d.repairs)
            for p, cells in found_projects:
                d.projects.append(p)
                project_cells.extend((p, text, ctx, loc) for text, ctx, loc in cells)
            if found_projects:
                last_form = (i, found_projects[-1][0])
            elif (cells := continued_indicators(blocks, i, last_form, ident.year, flags)) is not None:
                project_cells.extend((last_form[1], text, ctx, loc) for text, ctx, loc in cells)
                last_form = (i, last_form[1])
            continue
        if kind == "toc":
            continue
        title = find_title(blocks, i)[0] or kind
        if (kind in CODED or kind in UNCODED) and KINDS[kind].unit_rule == "printed":
            unit = _unit_of(blocks, i)
            if unit:
                units.setdefault(kind, unit)
        if kind in CODED:
            _, grid = parse_coded(b, kind, title)
            grids.append(grid)
            found.append(kind)
        elif kind in UNCODED:
            uncoded.append((kind, b, title))
            found.append(kind)
        elif kind == "units":
            d.units.extend(parse_units(b))
            found.append(kind)
        elif kind == "procurement":
            items, figs = parse_procurement(b, flags)
            fault = procurement_fault(items)
            if fault is not None:
                quarantine(d, kind, title, items, fault)
                continue
            d.procurement.extend(items)
            d.figures.extend(figs)
            found.append(kind)
        elif kind == "fixed_assets":
            assets, figs = parse_fixed_assets(b, flags)
            d.fixed_assets.extend(assets)
            d.figures.extend(figs)
            found.append(kind)

    if ident.kind is None and not found and not d.projects:
        raise NothingRecognised(doc.path, "not a budget disclosure (no 部门预算/单位预算/决算/绩效自评/绩效评价 title, "
                                   "standard tables or project tables found)")
    problem = _truncation(doc)
    if problem:
        raise InputError(doc.path, problem)

    evaluated = d.kind in ("self_evaluation", "evaluation_report")  # a report with a score and grade
    prose = prose_figures(blocks, self_evaluation=evaluated, final_accounts=ident.kind == "final_accounts",
                          year=ident.year)
    _resolve_tables(d, grids, uncoded, prose)
    d.tables_found = sorted(set(found), key=found.index)
    d.currency_unit, d.table_units = _currency_units(units)
    d.figures = _table_figures(d) + [f for f in d.figures if f.key != "fixed_assets_total" or f.origin == "table"] + prose
    d.figures = _dedupe_figures(d.figures)
    if not d.units:  # no 机构设置 table: the units the 预算单位构成 sentences list
        d.units.extend(units_from_prose(blocks, flags))
    _units(d, unit_code_lines)
    _department(d, ident)
    if gap := d.identity_problem():  # extract shows what was read; convert and load reject it
        flags.append(Flag(kind="identity", message=gap + (f" (cover: {ident.title})" if ident.title else "")))
    for p, cells in [*prose_projects(blocks), *prose_project_list(blocks, flags)]:
        d.projects.append(p)
        project_cells.extend((p, text, ctx, loc) for text, ctx, loc in cells)
    procurement_title = next((find_title(blocks, k)[0] for k, b in enumerate(blocks)
                              if isinstance(b, Table) and classify(blocks, k) == "procurement"), None)
    d.projects, merged = merge_projects(d.projects)
    amounts_from_procurement(d.projects, d.procurement, d.table_units.get("procurement", d.currency_unit),
                             procurement_title)
    d.doc_refs = _doc_refs(d.projects, blocks, project_cells, merged)
    d.overall_goal = overall_goal(blocks)
    d.goals = department_goals(blocks)
    if evaluated:
        d.evaluation = self_evaluation(blocks)
    d.flags.extend(flags)
    return d


def _resolve_tables(d: Disclosure, grids: list[dict], uncoded, prose: list[Figure]) -> None:
    """Resolve split numbers with each table's arithmetic, then with the same figure
    printed undamaged in another table (same code) or in the prose."""
    clean_by_code: dict[str, list[tuple[Decimal, str]]] = {}
    clean_values: dict[Decimal, str] = {}
    for g in grids:
        for (r, _key), cn in g["cells"].items():
            if cn.value is not None and not cn.damaged:
                _row, code, _name, is_total = g["rows"][r]
                if code or is_total:  # a row kept without a code (unresolved name) is neither
                    clean_by_code.setdefault(code or "合计", []).append((cn.value, g["title"]))
                clean_values.setdefault(cn.value, g["title"])
    for f in prose:
        clean_values.setdefault(f.value, "the prose")

    for g in grids:
        def external(k, v, g=g):
            _row, code, _name, is_total = g["rows"][k[0]]
            if not code and not is_total:
                return None
            code = code or "合计"
            for val, title in clean_by_code.get(code, []):
                if val == v and title != g["title"]:
                    return f"same figure for {code} printed in {title}"
            return None

        res: TableResult = finish_coded(g, external)
        fault = coded_fault(res.budget_lines)
        if fault is not None:
            quarantine(d, g["kind"], g["title"], res.budget_lines, fault)
            continue
        d.budget_lines.extend(res.budget_lines)
        d.repairs.extend(res.repairs)
        d.flags.extend(res.flags)
    for kind, table, title in uncoded:
        def ext(k, v):
            src = clean_values.get(v)
            return f"same figure printed in {src}" if src else None

        res = parse_three_public(table, title, ext) if kind == "three_public" else parse_overview(table, kind, title, ext)
        d.overview_lines.extend(res.overview_lines)
        d.repairs.extend(res.repairs)
        d.flags.extend(res.flags)


_OVERVIEW_FIGURES = {
    "income_total": "income_total", "expenditure_total": "expenditure_total",
    "current_year_income": "current_year_income", "current_year_expenditure": "current_year_expenditure",
    "general_public_budget_income": "general_public_budget_income", "carryover_income": "carryover_income",
}
_THREE_PUBLIC_FIGURES = {
    "overseas": "three_public_overseas", "vehicles": "three_public_vehicles",
    "vehicle_purchase": "three_public_vehicle_purchase", "vehicle_operation": "three_public_vehicle_operation",
    "reception": "three_public_reception",
}


def _table_figures(d: Disclosure) -> list[Figure]:
    out: list[Figure] = []
    tp = [l for l in d.overview_lines if l.table == "three_public"]
    tp_amount = {id(l): a for l in tp if (a := _three_public_amount(l.amounts)) is not None}
    # the 三公 total: the 三公 subtotal where the table's 合计 differs from it (a 合计 that
    # also covers 会议费/培训费); otherwise the first of 合计 / 小计
    sub = next((tp_amount[id(l)] for l in tp if l.item == "subtotal" and id(l) in tp_amount), None)
    tot = next((tp_amount[id(l)] for l in tp if l.item == "total" and id(l) in tp_amount), None)
    tp_head = {"subtotal"} if sub is not None and tot is not None and sub != tot else {"subtotal", "total"}
    for line in d.overview_lines:
        if line.table == "overview" and line.item in _OVERVIEW_FIGURES and "total" in line.amounts:
            out.append(Figure(key=_OVERVIEW_FIGURES[line.item], value=line.amounts["total"], origin="table",
                              table="overview", row=line.row, loc=line.loc))
        if line.table == "three_public" and id(line) in tp_amount:
            if line.item in tp_head:
                out.append(Figure(key="three_public_total", value=tp_amount[id(line)], origin="table",
                                  table="three_public", row=line.row, loc=line.loc))
            elif line.item in _THREE_PUBLIC_FIGURES:
                out.append(Figure(key=_THREE_PUBLIC_FIGURES[line.item], value=tp_amount[id(line)], origin="table",
                                  table="three_public", row=line.row, loc=line.loc))
    # 基本/项目支出 from the all-funds 支出总表 where there is one, then the general budget's
    for table, col, key in figure_sources():
        for line in d.budget_lines:
            if line.table == table and line.is_total and col in line.amounts:
                out.append(Figure(key=key, value=line.amounts[col], origin="table", table=table,
                                  row=line.row, loc=line.loc))
    return out


_FUNDS = ("general_public_budget", "gov_fund", "soe_capital")


def _three_public_amount(amounts: dict[str, Decimal]) -> Decimal | None:
    """A 三公 item's amount: its total column; where the table prints each item only by
    fund (一般公共预算 | 政府性基金预算 | 国有资本经营预算 under 总计, 深圳), the one fund
    cell that is not zero, the others printed 0.00: that cell is the item's whole amount
    as printed. Two funds with money: no single printed amount, none given."""
    if "total" in amounts:
        return amounts["total"]
    if not all(k in amounts for k in _FUNDS):
        return None
    nonzero = [amounts[k] for k in _FUNDS if amounts[k] != 0]
    if len(nonzero) > 1:
        return None
    return nonzero[0] if nonzero else amounts["general_public_budget"]


def _dedupe_figures(figs: list[Figure]) -> list[Figure]:
    """One table figure per key (the first table in priority order) and one prose figure."""
    seen: set[tuple[str, str, str | None]] = set()
    out: list[Figure] = []
    for f in figs:
        k = (f.key, f.origin, f.row if f.key == "procurement_unit_subtotal" else None)
        if k in seen:
            continue
        seen.add(k)
        out.append(f)
    return out


def _units(d: Disclosure, code_lines: list[tuple[str, str]]) -> None:
    by_name = {norm_key(u.name): u for u in d.units}
    for code, name in code_lines:
        if len(code) < 6:
            continue
        u = by_name.get(norm_key(name))
        if u is not None:
            u.code = u.code or code
        elif d.department_code and code.startswith(d.department_code) and norm_key(name) not in by_name:
            unit = Unit(name=name, code=code)
            d.units.append(unit)
            by_name[norm_key(name)] = unit


def _department(d: Disclosure, ident: Identity) -> None:
    d.department_name = ident.name
    d.department_aliases = list(ident.aliases)
    d.department_scope = ident.scope
    d.region_name = ident.region
    regions = Counter(p.region_code for p in d.projects if p.region_code)
    d.region_code = regions.most_common(1)[0][0] if regions else None


def _doc_refs(projects: list[Project], blocks: list[Block],
              project_cells: list[tuple[Project, str, str, Loc]], aliases: dict[int, Project]) -> list[DocRef]:
    """Every document number the document prints: in a project's fields and in any cell
    of its rows (cited by that project), in other tables' cells, headings and prose."""
    refs: list[DocRef] = []
    seen: set[tuple] = set()
    cited: set[tuple[int, str]] = set()  # (project, canonical) already cited by a named field

    def add(text: str | None, context: str, loc, project: Project | None) -> None:
        if text:
            add_found(find_docnumbers(text), context, loc, project)

    def add_found(found: list[DocNumber], context: str, loc, project: Project | None) -> None:
        for n in found:
            if project is not None:
                key: tuple = (id(project), n.canonical, context)
                if context in {"cell", "heading"} and (id(project), n.canonical) in cited:
                    continue
                cited.add((id(project), n.canonical))
            else:
                key = (None, n.canonical, context, loc.page, loc.line, loc.bbox)
            if key in seen:
                continue
            seen.add(key)
            refs.append(DocRef(raw=n.raw, canonical=n.canonical, issuer=n.issuer, year=n.year, serial=n.serial,
                               finance=n.finance, context=context,
                               project_code=project.code if project else None,
                               project_name=project.name if project else None, loc=loc))

    def add_cells(cells: list[tuple[str, str, Loc]], project: Project | None) -> None:
        """A run of cells in reading order: a number split over two of them is read joined
        and cited where it starts (``find_in_cells``)."""
        for k, n in find_in_cells([squeeze_cjk(text) for text, _, _ in cells]):
            add_found([n], cells[k][1], cells[k][2], project)

    for p in projects:
        for name in (p.name, *p.aliases):  # a number in any name the document prints for it
            add(name, "project_name", p.loc, p)
        add(p.purpose, "purpose", p.loc, p)
        add(p.goal, "goal", p.loc, p)
        for ind in p.indicators:
            add(ind.basis, "basis", ind.loc, p)
            add(" ".join(x for x in (ind.level3, ind.description, ind.target_raw) if x), "indicator", ind.loc, p)
    # a project's own title line ("1、…（石财外[2023]39号）绩效目标表") is cited by that project
    titled = {norm_key(s.title): p for p in projects for s in p.sources if s.title}
    in_projects: set[int] = set()
    run: list[tuple[str, str, Loc]] = []  # one project's cells in a row, in reading order
    for k, (p, text, context, loc) in enumerate(project_cells):
        in_projects.add(id(loc))
        run.append((text, context, loc))
        if k + 1 == len(project_cells) or project_cells[k + 1][0] is not p:
            add_cells(run, aliases.get(id(p), p))
            run = []
    for b in blocks:
        if isinstance(b, Table):
            # every cell of the table in reading order; a number split over two cells is read joined
            add_cells([(c, "cell", row.loc) for row in b.rows if id(row.loc) not in in_projects
                       for c in row.cells if c.strip()], None)
            continue
        if id(b.loc) in in_projects:
            continue  # a prose project's own text: cited by that project above
        text = squeeze_cjk(b.text)
        add(text, "heading" if isinstance(b, Heading) or norm_key(text) in titled else "prose", b.loc,
            titled.get(norm_key(text)))
    return refs
