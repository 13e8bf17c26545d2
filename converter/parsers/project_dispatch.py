"""Which project layout a table prints, and its projects with the cells they came from
(so that document numbers in any cell of a project's rows are cited by that project)."""

from __future__ import annotations

import re

from converter.parsers.catalogue import CATALOGUE
from converter.parsers.project_lists import list_columns, parse_project_list
from converter.parsers.project_tables import cell_field, is_header_word, name_from_title, split_forms, title_is
from converter.parsers.projects import indicator_header_at, parse_project, parse_project_rows, row_project_columns
from converter.parsers.prose import _UNIT_CODE_LINE
from converter.readers.ir import Block, Heading, Loc, Table
from converter.readers.layout import is_furniture
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import Flag, Project, ProjectSource, Repair

Cells = list[tuple[str, str, Loc]]
# table kinds (``classify``) that may print projects: the catalogue's kinds whose record is
# projects (forms, lists such as 项目支出及其他支出预算表 / 项目支出总表, indicator tables),
# and tables no standard-table rule claims
PROJECT_KINDS = frozenset({k.key for k in CATALOGUE if k.record == "projects"} | {None})
_NUMBER = re.compile(r"^[（(]?(\d{1,3})[)）]?[、.．]")
_UNIT_IN_TEXT = re.compile(r"(?:单位[:：]?\s*(?:人民币)?|[（(])(万元|元)[)）]?")


def _context(blocks: list[Block], i: int, back: int = 6) -> tuple[str, str | None, str | None,
                                                                 tuple[str | None, str | None]]:
    """(text of the lines before a table, its title line, currency unit, (unit code, unit
    name)); one-row tables between (a "单位名称：… | 单位：万元" strip) are read as lines."""
    parts: list[str] = []
    title = heading = None
    unit = None
    ucode = uname = None
    for j in range(i - 1, max(-1, i - 1 - back), -1):
        b = blocks[j]
        if isinstance(b, Table):
            if len(b.rows) > 1:
                break
            text = squeeze_cjk(" ".join(b.rows[0].cells)) if b.rows else ""
        else:
            text = squeeze_cjk(b.text)
            if isinstance(b, Heading) and heading is None:
                heading = text
        m = _UNIT_IN_TEXT.search(re.sub(r"\s+", "", text))
        if m and unit is None and len(text) < 80:
            unit = m.group(1)
        mc = _UNIT_CODE_LINE.match(text)
        if mc and ucode is None:
            ucode, uname = mc.group(1), mc.group(2).strip()
        parts.append(text)
        if ("表" in text and len(text) > 4) or len(text) > 80:
            title = text if "表" in text else None
            break
    return " ".join(reversed(parts)), title or heading, unit, (ucode, uname)


def _table_unit(table: Table) -> str | None:
    """A unit printed in the table's own labels ("专项资金情况（万元）", "预算数（单位：万元）")."""
    for row in table.rows[:10]:
        for c in row.cells:
            k = norm_key(c)
            if len(k) <= 24:
                m = re.search(r"[（(](?:单位[:：])?(万元|元)[)）]", k)
                if m:
                    return m.group(1)
    return None


def _cells(rows, context: str) -> Cells:
    return [(c, context, r.loc) for r in rows for c in r.cells if c.strip()]


def continued_indicators(blocks: list[Block], i: int, last: tuple[int, Project] | None,
                         fiscal_year: int | None, flags: list[Flag]) -> Cells | None:
    """A form's indicator rows continued on the next page as a table of their own (its
    header repeated, no 项目名称): added to the project of the table right before it."""
    table = blocks[i]
    if last is None or not isinstance(table, Table) or not table.rows or indicator_header_at(table.rows, 0)[0] is None:
        return None
    prev = next((j for j in range(i - 1, -1, -1) if isinstance(blocks[j], Table)), None)
    if prev != last[0] or any(cell_field(c) == "name" for r in table.rows for c in r.cells[:3]):
        return None
    before = last[1].indicators[-1] if last[1].indicators else None
    part = parse_project(table, None, fiscal_year, flags, continues=before)
    if not part.indicators:
        return None
    last[1].indicators.extend(part.indicators)
    return _cells(table.rows, "cell")


def project_tables(blocks: list[Block], i: int, fiscal_year: int | None,
                   flags: list[Flag], repairs: list[Repair] | None = None) -> list[tuple[Project, Cells]]:
    table = blocks[i]
    assert isinstance(table, Table)
    before, title, unit, (ucode, uname) = _context(blocks, i)
    if title_is("not_projects", before):
        return []
    unit = _table_unit(table) or unit
    out: list[tuple[Project, Cells]] = []
    rowwise = row_project_columns(table)
    if rowwise is not None:
        header, cols = rowwise
        projects = parse_project_rows(table, header, cols, fiscal_year, flags)
        rows = table.rows[header:]
        starts: list[int] = []
        for p in projects:  # each project's first row, in order
            k = starts[-1] + 1 if starts else 0
            while k < len(rows) and rows[k].loc is not p.loc:
                k += 1
            starts.append(min(k, len(rows)))
        for n, p in enumerate(projects):
            own = rows[starts[n]:starts[n + 1] if n + 1 < len(starts) else len(rows)]
            p.sources.append(ProjectSource(layout="rows", title=title or None, loc=p.loc,
                                           gave=[g for g, v in (("name", p.name), ("amount", p.budget)) if v]))
            out.append((p, _cells(own, "cell")))
    elif (listed := list_columns(table, before)) is not None:
        start, cols = listed
        for p in parse_project_list(table, start, cols, title or None, fiscal_year, flags, repairs):
            row = next((r for r in table.rows[start:] if r.loc is p.loc), None)  # its own row, not an equal place
            out.append((p, _cells([row] if row else [], "cell")))
    else:
        for n, (seg_title, seg) in enumerate(split_forms(table)):
            # the title above the table names its first form only
            tname = name_from_title(seg_title) or (name_from_title(title) if n == 0 else None)
            p = parse_project(seg, tname, fiscal_year, flags)
            if not p.name and p.budget is not None:
                flags.append(Flag(kind="unnamed-project", raw=str(p.budget), loc=seg.loc,
                                  message=f"a project form states {p.budget} but no name (its title line was not "
                                          f"read); left out"))
            if tname and p.name and len(tname) > len(p.name) and tname.startswith(p.name):
                p.name = tname  # the name cell was cut at a page break; the title prints it whole
            if not p.name or is_header_word(p.name) or (
                    p.budget is None and not p.indicators and not p.goal):
                continue  # a blank template or a header word is not a project
            m = _NUMBER.match(norm_key(seg_title or title or ""))
            p.number = m.group(1) if m else None
            p.unit_code = p.unit_code or ucode
            p.unit_name = p.unit_name or uname
            p.sources.append(ProjectSource(layout="form", title=seg_title or title or None, loc=seg.loc,
                                           gave=[g for g, v in (("name", p.name), ("code", p.code),
                                                                ("amount", p.budget)) if v is not None]))
            out.append((p, _cells(seg.rows, "cell")))
    for p, _ in out:
        if p.budget is not None or p.fiscal_funds is not None:
            p.currency_unit = p.currency_unit or unit  # a unit printed with the amount wins
    return out



def _names_a_project(table: Table) -> bool:
    return any(cell_field(c) == "name" for r in table.rows[:3] for c in r.cells[:4])


def _form_like(table: Table) -> bool:
    """Rows a form prints: its labels (其中：财政资金, 年度资金总额) or an indicator header."""
    return any(cell_field(c) is not None for r in table.rows[:6] for c in r.cells[:4]) or any(
        indicator_header_at(table.rows, r)[0] is not None for r in range(min(len(table.rows), 6)))


def join_form_pages(blocks: list[Block]) -> list[Block]:
    """A form (a project's targets or its self-evaluation) continued on the next page in a
    table of other columns: a layout without ruling lines finds each page's columns anew, so
    the fragments differ in width and the readers do not join them (``join_fragments``
    joins tables of one width only). Forms are read by their labels, not by position, so the
    next page's table, untitled (nothing but page furniture between) and naming no project of
    its own, is the rest of the form (named in a cell or by the title line above it): its
    rows join it."""
    out: list[Block] = []
    last: int | None = None  # index in ``out`` of the form the next table may continue
    for b in blocks:
        if isinstance(b, Table):
            prev = out[last] if last is not None else None
            if (isinstance(prev, Table) and prev.width != b.width and b.rows and _form_like(b)
                    and not _names_a_project(b) and prev.loc.page is not None and b.loc.page == prev.loc.page + 1):
                out[last] = Table(rows=prev.rows + b.rows, loc=prev.loc, fragments=prev.fragments + b.fragments)
                continue
            out.append(b)
            # a form naming its project, or named by its title line (泉州: "96196 电梯应急处置
            # 服务平台项目绩效目标表" over a form whose first page holds its money rows only)
            last = len(out) - 1 if _names_a_project(b) or _form_like(b) else None
            continue
        out.append(b)
        if not is_furniture(b):
            last = None
    return out
