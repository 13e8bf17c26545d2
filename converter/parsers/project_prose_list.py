"""Projects listed in the 情况说明's prose: "（五）项目支出 411,130.67 万元，具体包括：
1.非发改立项的建设项目 15.73 万元，主要用于…。2.国有资本经营预算 409,301 万元，主要用于…"
(深圳's 部门预算支出具体情况). Each numbered item is a project with its amount and what it
is used for (its purpose). The items are taken only where the document's own arithmetic
confirms the reading: they are numbered 1, 2, 3 … without a gap and add up to the
项目支出 total the sentence states (within the rounding of its printed figures)."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.readers.ir import Block, Heading, Loc, Table
from converter.readers.markup import squeeze_cjk
from converter.records.model import Flag, Project, ProjectSource

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# the sentence that opens the list: "项目支出 985,764.9 万元，具体包括：" / "…，主要包括："
_HEAD = re.compile(rf"项目支出\s*(?P<total>{_AMOUNT})\s*(?P<unit>万元|元)\s*[，,]\s*(?:具体|主要)?包括[:：]")
# one item: its number, name, amount and unit; what follows up to the next item is its text.
# The name starts with a non-space: else the spaces after the number could be the gap or
# the name, and a long run of them costs quadratic time (test_hardening_linear)
_ITEM = re.compile(rf"(?:^|(?<=[。；;]))\s*(?P<n>\d{{1,2}})[.．、]\s*(?P<name>[^，,。；;:：\s][^，,。；;:：]{{1,59}}?)\s*"
                   rf"(?P<amount>{_AMOUNT})\s*(?P<unit>万元|元)")
# the end of the list: the next numbered section or part
_SECTION = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_PURPOSE = re.compile(r"^[，,]\s*(?:主要用于|主要是|用于)(?P<text>[^。]+)")
_TOLERANCE = Decimal("0.01")  # per item: each printed figure may be rounded to two places


def prose_project_list(blocks: list[Block], flags: list[Flag]) -> list[tuple[Project, list[tuple[str, str, Loc]]]]:
    """(project, its texts with citation context and location) for each item of each
    confirmed prose list of projects."""
    out: list[tuple[Project, list[tuple[str, str, Loc]]]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        head = _HEAD.search(squeeze_cjk(b.text)) if not isinstance(b, Table) else None
        if head is None:
            i += 1
            continue
        text, spans, j = _list_text(blocks, i, head.end())
        out.extend(_items(text, spans, head, squeeze_cjk(b.text), b.loc, flags))
        i = j
    return out


def _list_text(blocks: list[Block], i: int, start: int) -> tuple[str, list[tuple[int, Loc]], int]:
    """The list's text from the opening sentence on, up to the next section, table or
    heading; with the offset where each block's text starts (for locations)."""
    first = squeeze_cjk(blocks[i].text)[start:]
    text, spans = first, [(0, blocks[i].loc)]
    j = i + 1
    while j < len(blocks):
        b = blocks[j]
        if isinstance(b, (Table, Heading)):
            break
        t = squeeze_cjk(b.text)
        if _SECTION.match(t):
            break
        spans.append((len(text), b.loc))
        text += t
        j += 1
    return text, spans, j


def _loc_at(spans: list[tuple[int, Loc]], pos: int) -> Loc:
    return next(loc for off, loc in reversed(spans) if off <= pos)


def _items(text: str, spans: list[tuple[int, Loc]], head: re.Match[str], title: str, loc: Loc,
           flags: list[Flag]) -> list[tuple[Project, list[tuple[str, str, Loc]]]]:
    items: list[re.Match[str]] = []
    for m in _ITEM.finditer(text):
        if int(m.group("n")) != len(items) + 1:
            break  # numbering broken: the list ended
        items.append(m)
    if not items or any(m.group("unit") != head.group("unit") for m in items):
        return []
    total = Decimal(head.group("total").replace(",", ""))
    amounts = [Decimal(m.group("amount").replace(",", "")) for m in items]
    if abs(sum(amounts) - total) > _TOLERANCE * len(items):
        flags.append(Flag(kind="unread-project-list", raw=head.group(0), loc=loc,
                          message=f"a prose list of {len(items)} projects adds up to {sum(amounts)}, not the "
                                  f"项目支出 {total} it lists: which items are projects is not confirmed; left out"))
        return []
    out = []
    for k, (m, amount) in enumerate(zip(items, amounts)):
        rest = text[m.end():items[k + 1].start() if k + 1 < len(items) else len(text)]
        purpose = _PURPOSE.match(rest)
        where = _loc_at(spans, m.start())
        p = Project(name=m.group("name").strip(), budget=amount, currency_unit=head.group("unit"), loc=where,
                    purpose=squeeze_cjk(purpose.group("text")) if purpose else None)
        p.sources.append(ProjectSource(layout="prose", title=title, loc=where, gave=["name", "amount"]))
        out.append((p, [(rest, "purpose", where)]))
    return out
