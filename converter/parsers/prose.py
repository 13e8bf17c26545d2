"""The prose of a disclosure: document identity (kind, year, department, region),
summary figures stated in sentences, department-level performance goals and the
self-evaluation's items, score and grade (never the evaluation team's names)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from converter.readers.ir import Block, Heading, Paragraph, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import DepartmentGoal, EvaluationItem, Figure, SelfEvaluation

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元"  # 46,507.65 万元 too
_TOP_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]\s*(.{2,40})$")
_ORGAN_END = re.compile(r"(?:局|委员会|委|办公室|办|院|中心|所|站|厅|部|处|队|馆|社|室|会|政府|管委会|研究院|集团|公司|学校|医院)$")


@dataclass
class Section:
    title: str
    blocks: list[Block]


def sections(blocks: list[Block]) -> list[Section]:
    """Split at top-level numbered titles (一、… 二、…) of the 情况说明."""
    out: list[Section] = [Section("", [])]
    for b in blocks:
        if not isinstance(b, Table):
            key = squeeze_cjk(b.text)
            m = _TOP_SECTION.match(key)
            if m and not re.search(r"[.…]{3,}\s*\d*$", key) and len(key) <= 40:
                out.append(Section(key, [b]))
                continue
        out[-1].blocks.append(b)
    return out


def _text(blocks: list[Block]) -> str:
    return "\n".join(squeeze_cjk(b.text) for b in blocks if not isinstance(b, Table))


# ---- identity ------------------------------------------------------------------

_TITLE = re.compile(
    r"^(?P<name>.*?)\s*(?:部门)?\s*(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*(?:部门|单位)?(?:整体支出)?"
    r"(?P<kind>预算信息公开|预算公开|部门预算|预算|决算|整体支出绩效自评报告|绩效自评报告|.*?自评报告)"
)
_CODE_LINE = re.compile(r"^(\d{3})\s*([^\d，。；,;:：]{4,40})$")
_UNIT_CODE_LINE = re.compile(r"^(\d{6,9})\s*([^\d，。；,;:：]{4,40})$")
_YEAR_LINE = re.compile(r"预算年度[:：]?\s*((?:19|20)\d{2})")


@dataclass
class Identity:
    kind: str | None = None
    year: int | None = None
    code: str | None = None
    names: list[str] | None = None


def identity(blocks: list[Block]) -> Identity:
    ident = Identity(names=[])
    kinds: list[str] = []
    years: Counter[int] = Counter()
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        m = _YEAR_LINE.search(norm_key(text))
        if m:
            years[int(m.group(1))] += 1
        if len(text) > 80:
            continue
        m = _CODE_LINE.match(text)
        if m and _ORGAN_END.search(m.group(2)):
            ident.code = ident.code or m.group(1)
            ident.names.append(m.group(2).strip())
            continue
        m = _TITLE.match(text)
        if m and ("公开" in text or "自评" in text or "决算" in text or "说明" in text or "目录" in text):
            years[int(m.group("year"))] += 2
            k = m.group("kind")
            kinds.append("self_evaluation" if "自评" in k else "final_accounts" if "决算" in k else "budget")
            name = re.sub(r"(?:部门|单位)$", "", m.group("name").strip())
            if name and _ORGAN_END.search(name) and re.fullmatch(r"[\u4e00-\u9fff（）()]{4,40}", name):
                ident.names.append(name)
    if kinds:
        ident.kind = Counter(kinds).most_common(1)[0][0]
    if years:
        ident.year = years.most_common(1)[0][0]
    return ident


def region_of(name: str) -> str | None:
    """The administrative region a department name starts with:
    石家庄市鹿泉区科学技术和工业信息化局 -> 石家庄市鹿泉区."""
    best = None
    for m in re.finditer(r"(?:开发区|新区|自治县|县|区|市|旗)", name):
        prefix, rest = name[: m.end()], name[m.end():]
        if len(prefix) >= 2 and len(rest) >= 2 and not re.search(r"(?:开发区|新区|县|区|市)$", rest[:1]):
            if not re.search(r"开发区|新区|县|区|市|旗", rest):
                best = prefix
    return best


def aliases(primary_names: list[str], full_text: str) -> list[str]:
    """Every name form of the department the document uses: the printed forms plus the
    same name with a city/province prefix (石家庄市 + 鹿泉区投资促进局)."""
    forms = {n for n in primary_names if n}
    for n in list(forms):
        for m in re.finditer(rf"([\u4e00-\u9fff]{{2,6}}[市省])\s*{re.escape(n)}", full_text):
            forms.add(m.group(1) + n)
    return sorted(forms, key=lambda s: (-len(s), s))


# ---- figures -------------------------------------------------------------------

_FIGURE_PATTERNS: list[tuple[str, str, str]] = [
    # (section keyword, key, regex); section keyword "" = anywhere
    ("总体情况", "income_total", rf"(?:预算收入|收入总计(?:[（(]含结转和?结余[)）])?)(?:为)?{_NUM}"),
    ("总体情况", "general_public_budget_income", rf"一般公共预算(?:拨款)?收入(?:为)?{_NUM}"),
    ("总体情况", "carryover_income", rf"上年结转(?:结余)?(?:为)?{_NUM}"),
    ("总体情况", "expenditure_total", rf"(?:支出预算(?:为)?|支出总计(?:[（(]含结转和?结余[)）])?(?:为)?){_NUM}"),
    ("总体情况", "basic_expenditure", rf"基本支出(?:为)?{_NUM}"),
    ("总体情况", "personnel_expenditure", rf"人员经费(?:为)?{_NUM}"),
    ("总体情况", "public_expenditure", rf"公用经费(?:为)?{_NUM}"),
    ("总体情况", "project_expenditure", rf"项目支出(?:为)?{_NUM}"),
    ("机关运行", "operating_costs", rf"机关运行(?:经)?费(?:共计|预算)?(?:安排)?(?:为)?{_NUM}"),
    ("三公", "three_public_total", rf"“?三公”?经费(?:财政拨款)?(?:支出)?(?:预算)?(?:安排|为)*{_NUM}"),
    ("三公", "three_public_overseas", rf"因公出国[（(]境[)）](?:经)?费(?:支出)?(?:预算)?(?:为)?{_NUM}"),
    ("三公", "three_public_vehicles", rf"公务用车购置及运(?:行)?(?:维护?)?费(?:支出)?(?:预算)?(?:为)?{_NUM}"),
    ("三公", "three_public_vehicle_purchase", rf"公务用车购置费(?:为)?{_NUM}"),
    ("三公", "three_public_vehicle_operation", rf"公务用车(?:运行维护|运维|运行|维护)费(?:为)?{_NUM}"),
    ("三公", "three_public_reception", rf"公务接待费(?:支出)?(?:预算)?(?:为)?{_NUM}"),
    ("政府采购", "procurement_total", rf"政府采购预算(?:总额)?(?:为)?{_NUM}"),
    ("资产", "fixed_assets_total", rf"(?:上年末)?固定资产(?:金额|总额|原值)(?:为)?{_NUM}"),
    ("资产", "planned_asset_purchases", rf"拟购置固定资产(?:总额|金额)?(?:为)?{_NUM}"),
]


_SUB_SECTION = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d))\s*([^：:。，,]{2,30})")


def _contexts(blocks: list[Block]) -> list[tuple[Block, str]]:
    """Each text block with the titles it stands under: its top-level section (一、…),
    its sub-section ((四)… / 2.…) and its own leading label ("（四）政府采购情况：2026年…").
    Regional templates put a figure under a sub-section of a differently named section."""
    out: list[tuple[Block, str]] = []
    top = sub = ""
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        m = _TOP_SECTION.match(text)
        if m and len(text) <= 40 and not re.search(r"[.…]{3,}\s*\d*$", text):
            top, sub = text, ""
            continue
        m = _SUB_SECTION.match(text)
        label = m.group(1) if m else ""
        if m and len(text) <= 40:
            sub = label  # a sub-section title, and read as text too: "（一）因公出国（境）费 13 万元"
        out.append((b, " ".join((top, sub, label))))
    return out


def prose_figures(blocks: list[Block], self_evaluation: bool) -> list[Figure]:
    """One figure per key: the first sentence stating it under a title naming its topic."""
    figures: list[Figure] = []
    contexts = _contexts(blocks)
    for want, key, pattern in _FIGURE_PATTERNS:
        rx = re.compile(pattern)
        for b, context in contexts:
            if not self_evaluation and want and want not in context:
                continue
            m = rx.search(squeeze_cjk(b.text))
            if m:
                figures.append(Figure(key=key, value=Decimal(m.group(1).replace(",", "")), origin="prose", loc=b.loc))
                break
    return figures


# ---- department goals -----------------------------------------------------------

_GOAL_ITEM = re.compile(r"^(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*(?P<rest>.+)$")
_GOAL_START = re.compile(r"分项绩效目标$|绩效目标、指标$")
_GOAL_END = re.compile(r"工作保障措施|第二部分|部门主管专项|自评工作开展|预算项目绩效|分项绩效目标实现")


def overall_goal(blocks: list[Block]) -> str | None:
    texts: list[str] = []
    on = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        key = norm_key(b.text)
        if re.search(r"总体绩效目标$", key):
            on = True
            continue
        if on and (_GOAL_START.search(key) or _GOAL_END.search(key)):
            break
        if on:
            texts.append(squeeze_cjk(b.text))
    return "\n".join(texts) or None


def department_goals(blocks: list[Block]) -> list[DepartmentGoal]:
    goals: list[DepartmentGoal] = []
    on = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        key = norm_key(text)
        if _GOAL_START.search(key):
            on = True
            continue
        if not on:
            continue
        if _GOAL_END.search(key) or (_TOP_SECTION.match(text) and len(text) < 40):
            break
        m = re.match(r"^(?:年度)?绩效(目标|指标)[:：]\s*(.*)$", text)
        if m and goals:
            if m.group(1) == "目标":
                goals[-1].goal = m.group(2) or None
            else:
                goals[-1].indicators = m.group(2) or None
            continue
        m = _GOAL_ITEM.match(text)
        if m and (isinstance(b, Heading) or len(text) < 200 or re.search(r"[:：。]", text[:40])):
            rest = m.group("rest")
            parts = re.split(r"(?<=[:：。])", rest, maxsplit=1)
            title = parts[0].rstrip("：:。").strip()
            desc = parts[1].strip() if len(parts) > 1 else None
            goals.append(DepartmentGoal(title=title, description=desc or None, loc=b.loc))
            continue
        if goals:
            g = goals[-1]
            g.description = (g.description + "\n" + text) if g.description else text
    return goals


# ---- self-evaluation -------------------------------------------------------------

_EVAL_ITEM = re.compile(r"^\d{1,2}[、.．]\s*(?P<title>.+?)完成情况[:：]?$")
_SCORE = re.compile(r"(?:得分|评分|评价结果|综合得分)[^。；]*?(\d+(?:\.\d+)?)\s*分(以上)?")
_GRADE = re.compile(r"(?:等级|评价等级|评级)(?:为|是|：|:)?\s*[“\"]?(优秀|良好|优|良|中等|中|合格|及格|一般|差|不合格)")
_NAMES_SECTION = re.compile(r"人员名单|签字|工作组成员")


def self_evaluation(blocks: list[Block]) -> SelfEvaluation | None:
    ev = SelfEvaluation()
    current: EvaluationItem | None = None
    in_items = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        key = norm_key(text)
        if _NAMES_SECTION.search(key):
            break  # the evaluation team: personal names are not published
        if "目标实现情况" in key or "分项绩效目标实现" in key:
            in_items = True
            continue
        m = _EVAL_ITEM.match(text)
        if in_items and m:
            current = EvaluationItem(title=m.group("title").strip(), loc=b.loc)
            ev.items.append(current)
            continue
        if _TOP_SECTION.match(text):
            in_items = in_items and "评价结论" not in key and "存在的问题" not in key
            if "评价结论" in key:
                current = None
                in_items = False
            continue
        if in_items and current is not None:
            current.outcomes.append(text)
            continue
        sm = _SCORE.search(text)
        gm = _GRADE.search(text)
        if sm or gm:
            ev.conclusion = ev.conclusion or text
            ev.loc = b.loc
            if sm and ev.score is None:
                ev.score = ("≥" if sm.group(2) else "") + sm.group(1)
            if gm and ev.grade is None:
                ev.grade = gm.group(1)
    if not ev.items and ev.score is None and ev.grade is None:
        return None
    return ev
