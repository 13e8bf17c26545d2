"""Budget amounts whose arithmetic holds exactly: basic spending by economic
classification, mapped onto function-classification leaves (养老/医疗/公积金 lines equal
their economic counterparts, the rest is 行政运行 / 事业运行), project spending from the
projects, carry-over from the carried-over projects."""

from __future__ import annotations

import random

from bench.synth.catalog import ECONOMIC, FUNCTION_NAMES
from bench.synth.money import amount, split
from bench.synth.spec import Budget, Dept, ProjectSpec

_ALWAYS_PERSONNEL = ["30101", "30102", "30107", "30108", "30110", "30112", "30113"]
_SOMETIMES_PERSONNEL = ["30103", "30109", "30199", "30302", "30305", "30309", "30399"]
_PUBLIC = ["30201", "30202", "30205", "30206", "30207", "30211", "30213", "30215", "30216", "30217", "30228",
           "30229", "30231", "30239", "30299", "31002", "31003"]


def shiye_xiang(kuan: str) -> str | None:
    """The 事业运行 项 of a 款, where the classification has one."""
    return next((c for c, n in FUNCTION_NAMES.items() if len(c) == 7 and c.startswith(kuan) and n == "事业运行"), None)


def _economic(rng: random.Random, staff: int) -> dict[str, dict[str, int]]:
    eco: dict[str, dict[str, int]] = {}
    wage = staff * amount(rng, 4.2, 6.5)
    eco["30101"] = {"personnel": wage * 30 // 100}
    eco["30102"] = {"personnel": wage * 28 // 100 + rng.randint(0, 999)}
    eco["30107"] = {"personnel": wage * 22 // 100 + rng.randint(0, 999)}
    eco["30108"] = {"personnel": wage * 16 // 100}
    eco["30110"] = {"personnel": wage * 8 // 100 + rng.randint(0, 99)}
    eco["30112"] = {"personnel": wage * 3 // 100 + rng.randint(1, 99)}
    eco["30113"] = {"personnel": wage * 12 // 100}
    for code in rng.sample(_SOMETIMES_PERSONNEL, rng.randint(1, 4)):
        eco[code] = {"personnel": amount(rng, 0.02, 2.0) * staff}
    for code in rng.sample(_PUBLIC, rng.randint(5, 11)):
        eco[code] = {"public": amount(rng, 0.3, 3.0) * max(1, staff // 6)}
    return eco


def build_budget(dept: Dept, projects: list[ProjectSpec], rng: random.Random) -> Budget:
    staff = rng.randint(8, 70)
    eco = _economic(rng, staff)
    has_shiye = any(u.nature == "事业" for u in dept.units)
    leaves: dict[str, dict[str, int]] = {}

    def add(code: str, key: str, cents: int) -> None:
        if cents:
            leaves.setdefault(code, {"basic": 0, "project": 0, "carry": 0})[key] += cents

    def eco_total(*codes: str) -> int:
        return sum(v for c in codes for v in eco.get(c, {}).values())

    retire = eco_total("30302", "30305")
    if retire:
        admin, shiye = (split(retire, 2, rng) if has_shiye and retire > 2 else (retire, 0))
        add("2080501", "basic", admin)
        add("2080502", "basic", shiye)
    add("2080505", "basic", eco_total("30108", "30109"))
    med = eco_total("30110")
    admin, shiye = (split(med, 2, rng) if has_shiye else (med, 0))
    add("2101101", "basic", admin)
    add("2101102", "basic", shiye)
    add("2210201", "basic", eco_total("30113"))
    rest = sum(v for c in eco for v in eco[c].values()) - sum(l["basic"] for l in leaves.values())
    shiye_code = shiye_xiang(dept.kind.kuan)
    if has_shiye and shiye_code:
        admin, shiye = split(rest, 2, rng)
        add(dept.kind.kuan + "01", "basic", admin)
        add(shiye_code, "basic", shiye)
    else:
        add(dept.kind.kuan + "01", "basic", rest)
    for p in projects:
        add(p.xiang, "project", p.budget)
        if p.carried:
            add(p.xiang, "carry", p.budget)
    three = {
        "overseas": sum(p.budget for p in projects if "出国" in p.name),
        "vehicle_purchase": 0,
        "vehicle_operation": eco_total("30231"),
        "reception": eco_total("30217"),
    }
    return Budget(leaves=leaves, economic=eco, three_public=three)


def function_rows(leaves: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """(code, amounts) of every 类, 款 and 项 in code order; parents are sums."""
    sums: dict[str, dict[str, int]] = {}
    for code, a in leaves.items():
        for prefix in (code[:3], code[:5], code):
            s = sums.setdefault(prefix, {"basic": 0, "project": 0, "carry": 0})
            for k, v in a.items():
                s[k] += v
    return sorted(sums.items())


def economic_rows(eco: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    sums: dict[str, dict[str, int]] = {}
    for code, a in eco.items():
        for prefix in (code[:3], code):
            s = sums.setdefault(prefix, {"personnel": 0, "public": 0})
            for k, v in a.items():
                s[k] += v
    return sorted(sums.items())


def economic_name(code: str) -> str:
    return ECONOMIC[code][0]
