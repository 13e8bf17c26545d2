"""Coverage of the real PDFs: what ``budgetlod extract`` recognises in each file.

    .venv/bin/python bench/coverage_real.py [FOLDER] [--jobs N] [--time-limit S] > coverage.md

FOLDER defaults to ../shared/corpus-real. Every PDF goes through the same pipeline
(``converter.pipeline.extract``, no per-file settings); the markdown on stdout lists
per file: pages, document kind/year/department, standard tables recognised and
missing, project (performance-target) tables with indicators, document numbers,
reconciliation checks passed/failed, flags — or the one-line error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from converter.errors import InputError  # noqa: E402
from converter.pipeline import extract  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"
STANDARD = ["overview", "income", "expenditure", "fiscal_overview", "gpb_expenditure", "basic", "gov_fund",
            "soe_capital", "three_public"]


@dataclass
class Coverage:
    name: str
    pages: int | str
    seconds: float
    error: str | None = None
    kind: str = ""
    year: int | None = None
    department: str = ""
    tables: list[str] = field(default_factory=list)
    projects: int = 0
    indicators: int = 0
    doc_refs: list[str] = field(default_factory=list)
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    rounding: int = 0  # failed checks off by 0.01: the source's own rounding gaps
    unit: str = ""
    flags: int = 0
    repairs: int = 0


def _pages(path: Path) -> int | str:
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception as exc:  # noqa: BLE001 - a page count is informative only
        return f"? ({type(exc).__name__})"


def cover(path: Path, time_limit: float) -> Coverage:
    start = time.perf_counter()
    cov = Coverage(name=path.name, pages=_pages(path), seconds=0.0)
    try:
        result = extract(path, time_limit=time_limit)
    except InputError as err:
        cov.error = err.problem
        cov.seconds = time.perf_counter() - start
        return cov
    d = result.disclosure
    cov.kind, cov.year = d.kind, d.fiscal_year
    cov.department = " ".join(x for x in (d.department_code or "", d.department_name or "") if x)
    cov.tables = list(d.tables_found)
    cov.projects = len(d.projects)
    cov.indicators = sum(len(p.indicators) for p in d.projects)
    cov.doc_refs = sorted({r.canonical for r in d.doc_refs})
    cov.passed = sum(1 for c in result.checks if c.status == "pass")
    bad = [c for c in result.checks if c.status != "pass"]
    cov.rounding = sum(1 for c in bad if c.difference is not None and abs(c.difference) <= Decimal("0.01"))
    cov.failed = [f"{c.name}: {c.subject} (expected {c.expected}, got {c.actual})" for c in bad
                  if c.difference is None or abs(c.difference) > Decimal("0.01")]
    cov.unit = d.currency_unit or ", ".join(sorted({f"{u}" for u in d.table_units.values()}))
    cov.flags, cov.repairs = len(d.flags), len(d.repairs)
    cov.seconds = time.perf_counter() - start
    return cov


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def markdown(rows: list[Coverage], folder: Path) -> str:
    out = [f"# Coverage of the real PDFs ({folder.name})", "",
           "Produced by `bench/coverage_real.py` with `converter.pipeline.extract`; no per-file settings.", "",
           "| file | pages | kind, year, department | standard tables (of 9) | other tables | projects (indicators) "
           "| doc numbers | checks pass / fail (of which ±0.01) | unit | flags | repairs | s |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in rows:
        if c.error:
            out.append(f"| {_cell(c.name)} | {c.pages} | **error:** {_cell(c.error)} | | | | | | | | | {c.seconds:.1f} |")
            continue
        who = " ".join(str(x) for x in (c.kind, c.year or "", c.department) if x)
        std = [t for t in c.tables if t in STANDARD]
        other = [t for t in c.tables if t not in STANDARD]
        out.append(
            f"| {_cell(c.name)} | {c.pages} | {_cell(who)} "
            f"| {len(std)}: {_cell(', '.join(std))} | {_cell(', '.join(other))} | {c.projects} ({c.indicators}) "
            f"| {len(c.doc_refs)} | {c.passed} / {len(c.failed) + c.rounding} ({c.rounding}) | {_cell(c.unit)} "
            f"| {c.flags} | {c.repairs} | {c.seconds:.1f} |"
        )
    out += ["", "## Details", ""]
    for c in rows:
        out.append(f"### {c.name}")
        if c.error:
            out += [f"- error: {c.error}", ""]
            continue
        missing = [t for t in STANDARD if t not in c.tables]
        out.append(f"- standard tables missing: {', '.join(missing) or 'none'}")
        out.append(f"- document numbers: {' '.join(c.doc_refs) or 'none'}")
        for f in c.failed[:12]:
            out.append(f"- FAIL {f}")
        if len(c.failed) > 12:
            out.append(f"- … {len(c.failed) - 12} more failed checks")
        out.append("")
    ok = [c for c in rows if not c.error]
    out.append(f"**{len(ok)} of {len(rows)} files extracted; "
               f"{sum(c.projects for c in ok)} projects, {sum(c.passed for c in ok)} checks pass, "
               f"{sum(len(c.failed) + c.rounding for c in ok)} fail, of which {sum(c.rounding for c in ok)} "
               f"are 0.01 rounding gaps of the source.**")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(REAL))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per document")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    files = sorted(folder.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {folder}", file=sys.stderr)
        return 1
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(cover, files, [args.time_limit] * len(files)))
    print(markdown(rows, folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
