"""A corpus of synthetic disclosures from (seed, N): departments across regions and
years, each document a pure function of (seed, department, year), so the same seed
and N give byte-identical files."""

from __future__ import annotations

import json
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.synth.budget import build_budget
from bench.synth.catalog import AGENCY_SUFFIXES, DEPT_KINDS, FUNDING_FORMS, GOODS, REGIONS, SERVICES, UNIT_RANKS, WORKS
from bench.synth.docs import DocPool
from bench.synth.document import compose, notice_cite
from bench.synth.layout import STYLES
from bench.synth.projects import document_projects
from bench.synth.spec import Dept, DocSpec, FixedAssetRow, ProcurementRow, ProjectSpec, UnitSpec
from bench.synth.truth import truth_view
from converter.records.jsonify import to_data

YEARS = range(2023, 2026)


def _names(region, rng: random.Random) -> list[tuple[int, str]]:
    """Candidate (kind index, name after the region prefix) of a region's departments:
    the bureaus first, then 事业 agencies that are budget departments of their own."""
    bureaus = [(k, kind.name) for k, kind in enumerate(DEPT_KINDS)]
    agencies = [(k, f"{kind.topic}{s}") for k, kind in enumerate(DEPT_KINDS) for s in AGENCY_SUFFIXES]
    rng.shuffle(bureaus)
    rng.shuffle(agencies)
    seen: set[str] = set()
    out = []
    for k, name in bureaus + agencies:
        if name not in seen:
            seen.add(name)
            out.append((k, name))
    return out


def departments(seed: int, count: int) -> list[Dept]:
    """``count`` departments spread over the regions, unique 3-digit codes per region."""
    rng = random.Random(f"departments:{seed}")
    names = {r.code: _names(r, rng) for r in REGIONS}
    taken: dict[str, int] = {}
    used: dict[str, set[str]] = {}
    out: list[Dept] = []
    for n in range(count):
        region = REGIONS[n % len(REGIONS)]
        i = taken.get(region.code, 0)
        taken[region.code] = i + 1
        k, short = names[region.code][i % len(names[region.code])]
        kind = DEPT_KINDS[k]
        name = f"{region.name}{short}"
        codes = used.setdefault(region.code, set())
        code = str(rng.randint(101, 999))
        while code in codes:
            code = str(rng.randint(101, 999))
        codes.add(code)
        units = [UnitSpec(f"{name}本级", "行政" if short == kind.name else "事业", "", "", f"{code}001")]
        units[0].rank = rng.choice(UNIT_RANKS[units[0].nature])
        units[0].funding_form = rng.choice(FUNDING_FORMS[units[0].nature])
        subs = [u for u in kind.units if u != short] if short == kind.name else []
        for j, u in enumerate(rng.sample(subs, rng.randint(0, len(subs))), start=2):
            units.append(UnitSpec(f"{region.name}{u}", "事业", rng.choice(UNIT_RANKS["事业"]),
                                  rng.choice(FUNDING_FORMS["事业"]), f"{code}{j:03d}"))
        out.append(Dept(region=region, kind=kind, code=code, name=name, units=units))
    return out


def _procurement(dept: Dept, projects: list[ProjectSpec], public: int, rng: random.Random) -> list[ProcurementRow]:
    rows: list[ProcurementRow] = []
    for unit in dept.units[: rng.randint(1, len(dept.units))]:
        budget = max(public // len(dept.units), 100)
        label = rng.choice(["公用类项目（三保）", f"{min(2025, 2023 + len(unit.name) % 3)}公用类项目（一）", "日常公用经费"])
        for item, catalog, measure, (lo, hi) in rng.sample(GOODS, rng.randint(1, 5)):
            rows.append(ProcurementRow(label, budget, unit, item, catalog, measure, rng.randint(1, 12),
                                       rng.randint(lo, hi), rng.random() < 0.8))
    for p in rng.sample(projects, min(len(projects), rng.randint(0, 2))):
        item, catalog, measure = rng.choice(SERVICES + WORKS)
        price = max(1, p.budget * rng.randint(20, 100) // 100)
        rows.append(ProcurementRow(p.name, p.budget, p.unit, item, catalog, measure, 1, price, rng.random() < 0.5))
    rows.sort(key=lambda r: [u.code for u in dept.units].index(r.unit.code))
    return rows


def _fixed_assets(rng: random.Random) -> list[FixedAssetRow]:
    house = rng.choice([0, rng.randint(100, 90000)])
    area = rng.randint(200, 3000) if house else 0
    cars, car_value = rng.choice([(0, 0), (1, rng.randint(800, 3000)), (2, rng.randint(1500, 6000))])
    equip = rng.choice([0, 0, rng.randint(2000, 20000)])
    other = rng.randint(500, 80000)
    total = house + car_value + equip + other
    return [
        FixedAssetRow("资产总额", "--", total),
        FixedAssetRow("1、房屋（平方米）", str(area) if area else "", house),
        FixedAssetRow("其中：办公用房（平方米）", str(area) if area else "", house),
        FixedAssetRow("2、车辆（台、辆）", str(cars) if cars else "", car_value),
        FixedAssetRow("3、单价 20 万元以上设备", "--", equip),
        FixedAssetRow("4、其他固定资产", "--", other),
    ]


@dataclass
class Synth:
    seed: int
    n: int

    def __post_init__(self) -> None:
        self.pool = DocPool(self.seed, YEARS)
        self.depts = departments(self.seed, max(1, -(-self.n // len(YEARS))))
        pairs = [(d, y) for d in range(len(self.depts)) for y in YEARS]
        random.Random(f"order:{self.seed}").shuffle(pairs)
        self.plan = pairs[: self.n]

    def spec(self, index: int) -> tuple[DocSpec, random.Random]:
        d, year = self.plan[index]
        dept = self.depts[d]
        rng = random.Random(f"doc:{self.seed}:{dept.region.code}:{dept.code}:{year}")
        projects = document_projects(self.seed, dept, year, self.pool, rng)
        budget = build_budget(dept, projects, rng)
        public = sum(a.get("public", 0) for a in budget.economic.values())
        notice = notice_cite(self.pool.budget_notice(dept.region, year), rng)
        spec = DocSpec(dept=dept, year=year, budget=budget, projects=projects,
                       procurement=_procurement(dept, projects, public, rng), fixed_assets=_fixed_assets(rng),
                       prose_cites=[notice], trim_prose=STYLES[dept.region.style].trim_prose)
        return spec, rng

    def document(self, index: int) -> tuple[str, dict]:
        """(text, truth) of document ``index``."""
        spec, rng = self.spec(index)
        text, disclosure = compose(spec, rng)
        return text, truth_view(to_data(disclosure))

    def final_accounts(self, index: int) -> tuple[str, dict]:
        """(text, truth) of the 部门决算 of document ``index``'s department and year."""
        from bench.synth.finals import compose_final_accounts

        spec, rng = self.spec(index)
        compose(spec, rng)  # the same random stream as the budget, then the 决算's draws
        text, disclosure, _ = compose_final_accounts(spec, rng)
        return text, truth_view(to_data(disclosure))

    def write_one(self, out: Path, index: int, pdf: bool = False, final: bool = False) -> Path:
        text, truth = self.document(index)
        path = out / f"{index:05d}.txt"
        path.write_text(text, encoding="utf-8")
        (out / f"{index:05d}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if final:  # the same department-year's 部门决算 beside its budget
            fa_text, fa_truth = self.final_accounts(index)
            (out / f"{index:05d}.final.txt").write_text(fa_text, encoding="utf-8")
            (out / f"{index:05d}.final.truth.json").write_text(
                json.dumps(fa_truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if pdf:
            from bench.synth.pdf import render_pdf
            render_pdf(path, out / f"{index:05d}.pdf")
        return path

    def write(self, out: Path, pdf: bool = False, workers: int = 1, final: bool = False) -> list[Path]:
        """Write every document (and with ``final`` its 部门决算); with ``workers`` > 1 over a
        process pool (each document is independent, so the files are the same either way)."""
        out.mkdir(parents=True, exist_ok=True)
        if workers <= 1:
            return [self.write_one(out, i, pdf, final) for i in range(self.n)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(self.seed, self.n)) as ex:
            return list(ex.map(_write_in_worker, [(out, i, pdf, final) for i in range(self.n)], chunksize=16))


_WORKER: Synth | None = None


def _init_worker(seed: int, n: int) -> None:
    global _WORKER
    _WORKER = Synth(seed, n)


def _write_in_worker(job: tuple[Path, int, bool, bool]) -> Path:
    assert _WORKER is not None
    return _WORKER.write_one(*job)
