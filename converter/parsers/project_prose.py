"""Projects described in prose: "XX经费情况说明" followed by numbered sections
(一、项目概述 二、立项依据 三、实施主体 … 六、年度预算安排 七、绩效目标), as Shanghai
district budgets print them. The amount is the one the 年度预算安排 section states as
the project's total ("2025年度项目总预算1720.00万"); nothing else is read as an amount."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.readers.ir import Block, Table
from converter.readers.markup import squeeze_cjk
from converter.records.model import Project, ProjectSource

_TITLE = re.compile(r"^(?P<name>.{2,60}?)(?:项目)?(?:经费)?情况说明$")
# the numbered sections; "项目" before a section's name is optional (六、项目年度预算安排),
# 项目概况 / 项目基本情况 stand for 项目概述
_FIRST_SECTION = re.compile(r"^一、项目(?:概述|概况|基本情况)")
_SECTION = re.compile(r"[一二三四五六七八九十]+、(?:项目)?(概述|概况|基本情况|立项依据|实施主体|实施方案|实施周期|"
                      r"年度预算安排|预算安排|绩效目标)")
_SECTION_NAMES = {"概述": "项目概述", "概况": "项目概述", "基本情况": "项目概述", "预算安排": "年度预算安排"}
# the project's total in the 年度预算安排 section: "2025年度项目总预算1720.00万", "项目预算为
# 500.00万元", "本项目年度预算资金共计1,200万元"; the first such figure (the parts follow it)
_TOTAL = re.compile(r"(?:项目)?总?预算(?:金额|资金|数)?(?:为|是|共计|合计|安排)?[:：]?\s*"
                    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|万|元)")


def prose_projects(blocks: list[Block]) -> list[tuple[Project, list[tuple[str, str, object]]]]:
    """(project, its texts with citation context and location) for each prose project."""
    out: list[tuple[Project, list[tuple[str, str, object]]]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        m = _TITLE.match(squeeze_cjk(b.text)) if not isinstance(b, Table) else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not m or nxt is None or isinstance(nxt, Table) or not _FIRST_SECTION.match(squeeze_cjk(nxt.text)):
            i += 1
            continue
        parts: list[tuple[str, object]] = []
        j = i + 1
        while j < len(blocks) and not isinstance(blocks[j], Table):
            text = squeeze_cjk(blocks[j].text)
            if j > i + 1 and _TITLE.match(text):
                break
            parts.append((text, blocks[j].loc))
            j += 1
        out.append(_project(m.group("name"), squeeze_cjk(b.text), b.loc, parts))
        i = j
    return out


def _project(name: str, title: str, loc, parts: list[tuple[str, object]]):
    """Cut the joined text at its section headings ("三、实施主体" may share a line with the text before)."""
    sections: dict[str, str] = {}
    cited: list[tuple[str, str, object]] = []
    current = None
    for text, where in parts:
        pos = 0
        for m in _SECTION.finditer(text):
            if current:
                sections[current] = sections.get(current, "") + text[pos:m.start()]
                cited.append((text[pos:m.start()], current, where))
            current, pos = _SECTION_NAMES.get(m.group(1), m.group(1)), m.end()
        if current:
            sections[current] = sections.get(current, "") + text[pos:]
            cited.append((text[pos:], current, where))
    goal = sections.get("绩效目标") or None
    if goal and goal.startswith("详见"):
        goal = None  # "详见单位的项目绩效目标表": a pointer, not a goal
    p = Project(name=name, loc=loc, purpose=sections.get("项目概述") or None, goal=goal,
                unit_name=sections.get("实施主体") or None)
    total = _TOTAL.search(sections.get("年度预算安排", ""))
    if total:
        p.budget = Decimal(total.group(1).replace(",", ""))
        p.currency_unit = "元" if total.group(2) == "元" else "万元"
    p.sources.append(ProjectSource(layout="prose", title=title, loc=loc,
                                   gave=[g for g, v in (("name", name), ("amount", p.budget), ("goal", p.goal)) if v]))
    contexts = {"立项依据": "basis", "绩效目标": "goal", "项目概述": "purpose"}
    return p, [(text, contexts.get(sec, "prose"), where) for text, sec, where in cited]
