"""Projects of a department-year: codes (region + year + P + serial), names citing
allocation documents in several ways, purpose, spending plan, goal and indicators.

A department's projects of year Y are a pure function of (seed, department, Y), so the
projects carried over into Y+1 (上年结转) are the very projects of the Y document."""

from __future__ import annotations

import random
import string

from bench.synth.docs import DocPool, FundingDoc, write_number
from bench.synth.money import amount, prose
from bench.synth.spec import Dept, DocCite, IndicatorSpec, ProjectSpec

_SERIAL = string.digits + string.ascii_uppercase
_PLAIN_BASES = ["工作计划", "历史标准", "计划标准", "行业标准", "历年经验", "合作协议", "实施方案"]
_TEXT_EFFECTS = ["持续提升", "显著增强", "积极影响", "较上年提高", "有效改善", "稳步提升"]
_COUNT_UNITS = ["次", "家", "个", "场", "人次", "项"]


def project_code(dept: Dept, year: int, rng: random.Random) -> str:
    tail = "".join(rng.choice(_SERIAL) for _ in range(4)) + "".join(rng.choice(string.digits) for _ in range(6))
    return f"{dept.region.code}{year % 100:02d}P00{tail}"


def _cite(doc: FundingDoc, context: str, rng: random.Random) -> DocCite:
    return DocCite(doc=doc, written=write_number(doc, rng), context=context)


def _target(kind: str, rng: random.Random, budget: int, year: int, words: bool) -> tuple[str, tuple | None]:
    """(printed target, parsed (comparator, number, unit) or None for a text target)."""
    ge, le = ("大于等于", "小于等于") if words else ("≥", "≤")
    sp = " " if rng.random() < 0.3 else ""  # layout space before a CJK unit
    if kind == "count":
        n, unit = str(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200])), rng.choice(_COUNT_UNITS)
        return f"{ge}{n}{sp}{unit}", ("≥", n, unit)
    if kind == "quality":
        if rng.random() < 0.5:
            return "100%", (None, "100", "%")
        n = str(rng.choice([90, 95, 98]))
        return f"{ge}{n}%", ("≥", n, "%")
    if kind == "time":
        r = rng.random()
        if r < 0.4:
            return f"{year}年12月31日前", None
        if r < 0.7:
            return "按计划完成", None
        n = str(rng.choice([90, 95]))
        return f"{ge}{n}%", ("≥", n, "%")
    if kind == "cost":
        n = prose(budget, trim=True)
        return f"{le}{n}{sp}万元", ("≤", n, "万元")
    if kind == "effect":
        if rng.random() < 0.6:
            return rng.choice(_TEXT_EFFECTS), None
        n, unit = str(rng.choice([2, 3, 5, 10, 20])), rng.choice(["家", "个", "项"])
        return f"{ge}{n}{sp}{unit}", ("≥", n, unit)
    n = str(rng.choice([85, 90, 95]))
    return f"{ge}{n}%", ("≥", n, "%")


def _indicators(activity: str, budget: int, year: int, basis: list[tuple[str, DocCite | None]], policy: DocCite | None,
                rng: random.Random, words: bool) -> list[IndicatorSpec]:
    rows: list[tuple[str, str, str, str]] = [
        ("产出指标", "数量指标", f"{activity}数量", "count"),
        ("产出指标", "质量指标", f"{activity}完成率", "quality"),
        ("产出指标", "时效指标", rng.choice(["完成时间", "预算执行率", "资金拨付时间"]), "time"),
        ("产出指标", "成本指标", rng.choice(["项目总成本", "用于本项目的资金总额", f"{activity}成本"]), "cost"),
        ("效益指标", rng.choice(["社会效益指标", "经济效益指标"]), f"{activity}社会影响", "effect"),
        ("效益指标", "可持续影响指标", "长效机制建设", "effect"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "satisfaction"),
    ]
    if rng.random() < 0.5:
        rows.insert(1, ("产出指标", "数量指标", f"覆盖{rng.choice(['企业', '单位', '群众', '项目'])}数量", "count"))
    if rng.random() < 0.4:
        del rows[5]
    out: list[IndicatorSpec] = []
    for n, (l1, l2, l3, kind) in enumerate(rows):
        target, parsed = _target(kind, rng, budget, year, words)
        desc, desc_doc = (l3 if rng.random() < 0.5 else f"反映{l3}情况"), None
        if policy is not None and n == 1:
            desc, desc_doc = f"符合《关于印发实施细则的通知》（{policy.written}）的有关规定", policy
        text, basis_doc = rng.choice(basis)
        out.append(IndicatorSpec(l1, l2, l3, desc, target, parsed, text, basis_doc, desc_doc))
    return out


def _plan(rng: random.Random) -> dict[int, int]:
    r = rng.random()
    if r < 0.4:
        return {12: 100}
    if r < 0.7:
        return {3: 25, 6: 50, 10: 75, 12: 100}
    return {6: rng.choice([10, 30, 50]), 10: rng.choice([60, 80]), 12: 100}


def year_projects(seed: int, dept: Dept, year: int, pool: DocPool) -> list[ProjectSpec]:
    """The new projects a department budgets in ``year``."""
    rng = random.Random(f"projects:{seed}:{dept.region.code}:{dept.code}:{year}")
    kind, words = dept.kind, dept.region.style == "C"
    out: list[ProjectSpec] = []
    for n in range(rng.randint(2, 7)):
        activity = kind.activities[n % len(kind.activities)]
        unit = dept.units[0] if rng.random() < 0.75 else rng.choice(dept.units)
        budget = amount(rng, 1, 900, round_to=rng.choice([1, 100, 1000]))
        cites: list[DocCite] = []
        funded = rng.random() < 0.65
        basis: list[tuple[str, DocCite | None]] = [(b, None) for b in rng.sample(_PLAIN_BASES, 2)]
        goal = f"1.围绕{kind.topic}工作，做好{activity}，提升服务质量和资金使用效益。"
        name = f"{year}年{activity}经费"
        if funded:
            doc = pool.allocation(dept.region, kind.fin, year, rng)
            style = rng.random()
            if style < 0.3:
                c = _cite(doc, "project_name", rng)
                name = f"{year}年{doc.title}（{c.written}）"
            elif style < 0.5:
                c = _cite(doc, "project_name", rng)
                name = f"{c.written}{year}年{doc.title}"
            elif style < 0.7:
                c = _cite(doc, "goal", rng)
                name = f"{year}年{doc.title}"
                goal = f"1.根据{c.written}文件要求，做好{activity}，提升{kind.topic}资金使用效益。"
            else:
                c = _cite(doc, "basis", rng)
                name = f"{year}年{doc.title}"
            cites.append(c)
            basis = [(c.written, c)] * 3 + [("工作计划", None)]
        policy = None
        if rng.random() < 0.2:
            policy = _cite(pool.policy_doc(dept.region, year, rng), "indicator", rng)
            cites.append(policy)
        if not funded and rng.random() < 0.3:
            pdoc = _cite(pool.policy_doc(dept.region, year, rng), "basis", rng)
            cites.append(pdoc)
            basis = [(pdoc.written, pdoc)]
        xiang = rng.choice(kind.project_xiang)
        purpose = f"用于{activity}相关工作，保障{kind.topic}任务顺利完成。"
        out.append(ProjectSpec(
            code=project_code(dept, year, rng), name=name, unit=unit, xiang=xiang, budget=budget, carried=False,
            purpose=purpose, plan=_plan(rng), goal=goal,
            indicators=_indicators(activity, budget, year, basis, policy, rng, words), cites=cites,
        ))
    return out


def document_projects(seed: int, dept: Dept, year: int, pool: DocPool, rng: random.Random) -> list[ProjectSpec]:
    """Projects of the ``year`` document: this year's plus some of last year's, carried
    over with their remaining funds (上年结转)."""
    projects = year_projects(seed, dept, year, pool)
    for p in year_projects(seed, dept, year - 1, pool):
        if rng.random() < 0.2:
            p.carried = True
            p.budget = max(1, p.budget * rng.randint(10, 60) // 100)
            p.indicators = [i for i in p.indicators if i.level2 != "成本指标"]
            projects.append(p)
    return projects
