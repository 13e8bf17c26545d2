"""Presence of the document-level facts on the real PDFs, and where a missing one is printed.

    PYTHONPATH=$PWD .venv/bin/python bench/facts_presence.py [--jobs 1] [--json OUT.json] > presence.md

For every PDF of ../shared/corpus-real and its wide/ folder, except the hold-out files and
the negatives (both as tests/handchecked_real/facts.json marks them: ``holdout``, a
``not_a_disclosure`` fact), ``converter.pipeline.extract`` runs once and the report says,
per file, which of the scored document-level facts its records hold: identity (name, year,
kind, currency unit, department code), totals (收入/支出总计, 基本/项目支出, 三公 and its
items, 政府采购, 机关运行经费), function rows and units. For a fact the records miss, the
page text — read with pypdfium2, independent of the converter's reader — is searched with
a keyword rule of this file (a label followed by a number within a few characters, so a
目录 line or a table title alone does not count): the pages that print it. Those
missing-but-printed facts are the work queue; a fact missing and not printed is no gap.

It also lists every figure stated both by a table and by the prose 情况说明 that disagrees
(the reconciliation's ``prose.matches_table`` checks), beyond a 0.01 rounding gap.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.real_files import page_texts, tuning_files  # noqa: E402

# the scored facts, in report order
IDENTITY = ("department_name", "fiscal_year", "kind", "currency_unit", "department_code")
TOTALS = ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure", "three_public_total",
          "three_public_overseas", "three_public_vehicles", "three_public_reception", "procurement_total",
          "operating_costs")
LISTS = ("function_rows", "units")
FACTS = IDENTITY + TOTALS + LISTS
SHORT = {"department_name": "name", "fiscal_year": "year", "kind": "kind", "currency_unit": "unit",
         "department_code": "code", "income_total": "inc", "expenditure_total": "exp", "basic_expenditure": "basic",
         "project_expenditure": "proj", "three_public_total": "3pub", "three_public_overseas": "3p.os",
         "three_public_vehicles": "3p.veh", "three_public_reception": "3p.rec", "procurement_total": "procure",
         "operating_costs": "opcost", "function_rows": "func", "units": "units"}

# ---- the page text's own evidence (this file's rules, not the converter's) ------------
_NUMBER = r"[\s:：为是共计合安排预算数万元]{0,12}\d[\d,]*(?:\.\d+)?"
PRINTED: dict[str, re.Pattern[str]] = {
    "currency_unit": re.compile(r"单位[:：]?\s*(?:人民币)?\s*(?:万元|元)"),
    "department_code": re.compile(r"(?:部门|单位|预算)(?:预算)?(?:编码|代码)[:：]?\s*\[?\d{3}\b|主管部门及代码\s*\[?\d{3}|"
                                  r"^\s*\d{3}\s*[-_－—]\s*[\u4e00-\u9fff]{4,}", re.M),
    "income_total": re.compile(r"收\s*入\s*(?:总\s*计|合\s*计)" + _NUMBER),
    "expenditure_total": re.compile(r"支\s*出\s*(?:总\s*计|合\s*计)" + _NUMBER),
    # the department's (all funds), not one source's share (一般公共预算基本支出, 财政拨款项目支出)
    "basic_expenditure": re.compile(r"(?<!预算)(?<!拨款)基本支出" + _NUMBER),
    "project_expenditure": re.compile(r"(?<!预算)(?<!拨款)项目支出" + _NUMBER),
    "three_public_total": re.compile(r"三\s*公\s*”?\s*经费" + r"[^\d。]{0,30}\d[\d,]*(?:\.\d+)?"),
    "three_public_overseas": re.compile(r"因公出国[（(]境[)）]" + r"[^\d。]{0,20}\d[\d,]*(?:\.\d+)?"),
    "three_public_vehicles": re.compile(r"公务用车购置[及和]运行(?:维护)?费" + r"[^\d。]{0,20}\d[\d,]*(?:\.\d+)?"),
    "three_public_reception": re.compile(r"公务接待费" + r"[^\d。]{0,20}\d[\d,]*(?:\.\d+)?"),
    "procurement_total": re.compile(r"政府采购" + r"[^\d。]{0,30}\d[\d,]*(?:\.\d+)?\s*万?元"),
    "operating_costs": re.compile(r"(?:机关|拨款)运行(?:经)?费" + r"[^\d。]{0,30}\d[\d,]*(?:\.\d+)?\s*万?元"),
    "function_rows": re.compile(r"^\s*2\d{2}(?:\s*\d{2}){0,2}\s+[\u4e00-\u9fff]", re.M),
    # a list of units opened (not "本单位无下属单位", not a list of 内设机构)
    "units": re.compile(r"(?:单位构成|下属单位|所属单位|二级预算单位|预算单位)[^。]{0,40}?"
                        r"(?:包括|分别是|分别为|如下|有|为)\s*[:：]?\s*[\d（(]?[\u4e00-\u9fff]"),
}
_TOC = re.compile(r"目\s*录|[.…·]{6}")


@dataclass
class Presence:
    path: str
    error: str | None = None
    held: dict[str, str] = field(default_factory=dict)  # fact -> value (or count), as the records hold it
    pages: dict[str, int | None] = field(default_factory=dict)  # total -> page the figure was read on
    origin: dict[str, str] = field(default_factory=dict)  # total -> table / prose
    printed: dict[str, list[int]] = field(default_factory=dict)  # missing fact -> pages printing it
    disagree: list[str] = field(default_factory=list)  # table vs prose figures that differ
    both: int = 0  # figures stated by a table and by the prose (compared)
    seconds: float = 0.0



def printed_pages(fact: str, texts: list[str]) -> list[int]:
    """1-based pages whose text prints the fact by this file's keyword rule (no 目录 page)."""
    rx = PRINTED.get(fact)
    if rx is None:
        return []
    return [i + 1 for i, t in enumerate(texts) if not _TOC.search(t[:400]) and rx.search(t)]


def held_facts(d) -> tuple[dict[str, str], dict[str, str]]:
    held: dict[str, str] = {}
    origin: dict[str, str] = {}
    for k in IDENTITY:
        v = getattr(d, k)
        if v is not None:
            held[k] = str(v)
    for k in TOTALS:
        v = d.figure(k)
        if k == "three_public_vehicles" and v is None:  # printed as its two parts by some templates
            parts = [d.figure("three_public_vehicle_purchase"), d.figure("three_public_vehicle_operation")]
            v = sum(parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
        if v is not None:
            held[k] = str(v)
            origin[k] = next(f.origin for f in d.figures if f.key == k) if any(f.key == k for f in d.figures) \
                else "parts"
    rows = [l for l in d.budget_lines if l.scheme == "function" and not l.is_total and "total" in l.amounts]
    if rows:
        held["function_rows"] = str(len(rows))
    if d.units:
        held["units"] = str(len(d.units))
    return held, origin


def presence(path: Path, rel: str) -> Presence:
    import time

    from converter.errors import InputError
    from converter.pipeline import extract

    start = time.perf_counter()
    out = Presence(rel)
    try:
        result = extract(path, time_limit=600)
    except InputError as err:
        out.error = err.problem
        out.seconds = time.perf_counter() - start
        return out
    d = result.disclosure
    out.held, out.origin = held_facts(d)
    for k in out.origin:
        out.pages[k] = next((f.loc.page for f in d.figures if f.key == k and f.origin == out.origin[k]), None)
    texts = page_texts(path)
    for fact in FACTS:
        if fact not in out.held:
            pages = printed_pages(fact, texts)
            if pages:
                out.printed[fact] = pages
    out.both = sum(c.name == "prose.matches_table" for c in result.checks)
    for c in result.checks:
        if c.name == "prose.matches_table" and c.difference is not None and abs(c.difference) > Decimal("0.01"):
            out.disagree.append(f"{c.subject}: table {c.expected}, prose {c.actual}")
    out.seconds = time.perf_counter() - start
    return out



def _pages(pages: list[int]) -> str:
    return ",".join(str(p) for p in pages[:4]) + ("…" if len(pages) > 4 else "")


def markdown(rows: list[Presence]) -> str:
    out = ["# Document-level facts on the real PDFs: held / missing but printed", "",
           "Cell: ✓ the records hold it (t = from a table, p = from the prose); **p5,6** missing and the page "
           "text prints it on those pages (work queue); · missing and not printed by this file's keyword rule.", "",
           "| file | " + " | ".join(SHORT[f] for f in FACTS) + " | s |", "|---" * (len(FACTS) + 2) + "|"]
    for r in rows:
        name = Path(r.path).name[:28]
        if r.error:
            out.append(f"| {name} | **error:** {r.error[:80]} |" + " |" * len(FACTS))
            continue
        cells = []
        for f in FACTS:
            if f in r.held:
                cells.append("✓" + {"table": "t", "prose": "p", "parts": "t"}.get(r.origin.get(f, ""), ""))
            elif f in r.printed:
                cells.append(f"**p{_pages(r.printed[f])}**")
            else:
                cells.append("·")
        out.append(f"| {name} | " + " | ".join(cells) + f" | {r.seconds:.0f} |")
    ok = [r for r in rows if not r.error]
    out += ["", "## Per fact", "", "| fact | held | missing, printed | missing, not printed |", "|---|---|---|---|"]
    for f in FACTS:
        held = sum(f in r.held for r in ok)
        queue = sum(f in r.printed for r in ok)
        out.append(f"| {f} | {held} | {queue} | {len(ok) - held - queue} |")
    held = sum(len(r.held) for r in ok)
    queue = sum(len(r.printed) for r in ok)
    out += ["", f"**summary: {len(ok)} of {len(rows)} files extracted; {held} facts held, {queue} missing but "
                f"printed, {len(ok) * len(FACTS) - held - queue} missing and not printed; "
                f"{sum(r.both for r in ok)} figures stated by both a table and the prose, "
                f"{sum(len(r.disagree) for r in ok)} of them disagreeing beyond 0.01.**", "",
            "## Table vs prose disagreements (beyond 0.01)", ""]
    for r in ok:
        for line in r.disagree:
            out.append(f"- {Path(r.path).name}: {line}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from tests.real_corpus import real_corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", help="also write the per-file results as JSON (for a before/after diff)")
    ap.add_argument("--only", help="only files whose path contains this text")
    args = ap.parse_args(argv)
    real = real_corpus()
    if real is None:
        print("no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS", file=sys.stderr)
        return 1
    files = [f for f in tuning_files(real) if not args.only or args.only in f]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(presence, [real / f for f in files], files))
    print(markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
