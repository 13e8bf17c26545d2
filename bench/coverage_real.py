"""Coverage of the real PDFs: what ``budgetlod extract`` recognises in each file.

    .venv/bin/python bench/coverage_real.py [FOLDER] [--jobs N] [--time-limit S] > coverage.md

FOLDER defaults to ../shared/corpus-real. Every PDF goes through the same pipeline
(``converter.pipeline.extract``, no per-file settings); the markdown on stdout lists
per file: pages, document kind/year/department, currency unit, the standard tables
recognised against the standard tables the file prints, project (performance-target)
tables with indicators, document numbers, reconciliation checks passed/failed,
quarantined tables and flags — or the one-line error — and a summary line: the share
of files whose printed standard tables are all recognised, and the check pass rate.

The printed tables are counted independently of the parser: title lines of the page
text (pypdfium2, not the reader's pdfplumber pass) matched by this file's own simple
keyword rules, on pages that print a currency-unit line and are not a 目录.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pypdfium2  # noqa: E402

from converter.errors import InputError  # noqa: E402
from converter.pipeline import extract  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"
from converter.parsers.catalogue import STANDARD  # noqa: E402


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
    printed: list[str] = field(default_factory=list)  # standard tables the page text prints
    quarantined: int = 0

    @property
    def recognised(self) -> list[str]:
        return [t for t in self.printed if t in self.tables]


# ---- the printed standard tables, from the page text (independent of the parser) ----------
_WS = re.compile(r"\s+")
_UNIT = re.compile(r"单位[:：]?(?:人民币)?(?:万元|元)")
_TOC = re.compile(r"目录|[.…·]{4}")
_PREFIX = re.compile(r"^(?:表[0-9一二三四五六七八九十-]+[:：]?|公开[0-9]+表|[一二三四五六七八九十]+、|[0-9]+[、.．]|"
                     r"[（(][一二三四五六七八九十0-9]+[)）])")


def printed_kind(line: str) -> str | None:
    """The standard table a title line names, by simple keywords (bench's own rules)."""
    t = _PREFIX.sub("", _WS.sub("", line))
    if len(t) > 60 or not re.search(r"表(?:[（(][^）)]*[)）])?$", t) or "绩效" in t or "说明" in t:
        return None
    t = re.sub(r"^\d{4}年度?", "", t)
    if "三公" in t:
        return "three_public"
    if "政府性基金" in t:
        return "gov_fund"
    if "国有资本经营" in t:
        return "soe_capital"
    if "财政拨款" in t and ("收支" in t or "收入支出" in t):
        return "fiscal_overview"
    if "收支" in t or "收入支出" in t:
        return "overview"
    if "基本支出" in t:
        if "功能" in t:
            return "basic_function"
        if "一般公共预算" in t:
            return "basic"
        return "fiscal_basic" if "财政拨款" in t else "basic_all_funds"
    if "项目支出" in t and "经济" in t:
        return "project_economic"
    if "一般公共预算" in t and "支出" in t and "机关运行" not in t:
        return "gpb_economic" if "经济" in t else "gpb_expenditure"
    if re.search(r"财政拨款支出", t):
        return "fiscal_expenditure"
    if re.search(r"(?:^|部门|单位|综合预算)收入(?:预算|决算)?(?:总|情况|表)", t):
        return "income"
    if re.search(r"(?:^|部门|单位|综合预算|本年)支出(?:预算|决算)?(?:总|情况|表)", t):
        return "expenditure"
    return None


def printed_tables(path: Path) -> list[str]:
    """The standard tables a PDF prints: title lines on pages with a unit line, no 目录."""
    out: list[str] = []
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            text = pdf[i].get_textpage().get_text_range()
            if not _UNIT.search(_WS.sub("", text)) or _TOC.search(text):
                continue
            for line in text.splitlines():
                kind = printed_kind(line)
                if kind and kind not in out:
                    out.append(kind)
    finally:
        pdf.close()
    return out


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
    try:
        cov.printed = printed_tables(path)
    except Exception:  # noqa: BLE001 - the independent count is informative only
        cov.printed = []
    cov.quarantined = sum(1 for f in d.flags if f.kind == "quarantined-table")
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


def summary(rows: list[Coverage]) -> str:
    """Files whose printed standard tables are all recognised; check pass rate."""
    ok = [c for c in rows if not c.error]
    printing = [c for c in ok if c.printed]
    complete = [c for c in printing if len(c.recognised) == len(c.printed)]
    passed = sum(c.passed for c in ok)
    failed = sum(len(c.failed) + c.rounding for c in ok)
    rounding = sum(c.rounding for c in ok)
    total = passed + failed
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "n/a"  # noqa: E731
    return (f"**summary: {len(ok)} of {len(rows)} files extracted; printed standard tables all recognised in "
            f"{len(complete)} of {len(printing)} files ({pct(len(complete), len(printing))}); "
            f"{sum(len(c.recognised) for c in printing)} of {sum(len(c.printed) for c in printing)} printed standard "
            f"tables recognised; checks {passed} pass / {failed} fail ({pct(passed, total)} pass; "
            f"{pct(passed + rounding, total)} counting 0.01 rounding gaps of the source as holding); "
            f"{sum(c.projects for c in ok)} projects; {sum(c.quarantined for c in ok)} tables quarantined.**")


def markdown(rows: list[Coverage], folder: Path) -> str:
    out = [f"# Coverage of the real PDFs ({folder.name})", "",
           "Produced by `bench/coverage_real.py` with `converter.pipeline.extract`; no per-file settings. "
           "`printed` counts the standard tables whose title lines the page text prints (independent of the parser).",
           "",
           "| file | pages | kind, year, department | unit | standard tables recognised / printed | other tables "
           "| projects (indicators) | doc numbers | checks pass / fail (of which ±0.01) | quarantined | flags | repairs | s |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in rows:
        if c.error:
            out.append(f"| {_cell(c.name)} | {c.pages} | **error:** {_cell(c.error)} | | | | | | | | | | {c.seconds:.1f} |")
            continue
        who = " ".join(str(x) for x in (c.kind, c.year or "", c.department) if x)
        other = [t for t in c.tables if t not in STANDARD]
        out.append(
            f"| {_cell(c.name)} | {c.pages} | {_cell(who)} | {_cell(c.unit)} "
            f"| {len(c.recognised)} / {len(c.printed)} | {_cell(', '.join(other))} | {c.projects} ({c.indicators}) "
            f"| {len(c.doc_refs)} | {c.passed} / {len(c.failed) + c.rounding} ({c.rounding}) | {c.quarantined} "
            f"| {c.flags} | {c.repairs} | {c.seconds:.1f} |"
        )
    out += ["", "## Details", ""]
    for c in rows:
        out.append(f"### {c.name}")
        if c.error:
            out += [f"- error: {c.error}", ""]
            continue
        out.append(f"- standard tables recognised: {', '.join(t for t in c.tables if t in STANDARD) or 'none'}")
        missing = [t for t in c.printed if t not in c.tables]
        out.append(f"- printed but not recognised: {', '.join(missing) or 'none'}")
        out.append(f"- document numbers: {' '.join(c.doc_refs) or 'none'}")
        for f in c.failed[:12]:
            out.append(f"- FAIL {f}")
        if len(c.failed) > 12:
            out.append(f"- … {len(c.failed) - 12} more failed checks")
        out.append("")
    out.append(summary(rows))
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
