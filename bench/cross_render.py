"""Layout robustness on real content: every real PDF read, its layout IR printed again in
another layout (tests/pdfgen: "paged", "reflow" or "borderless"), read back, and the
scored facts of both readings compared.

    PYTHONPATH=. .venv/bin/python bench/cross_render.py borderless [--jobs 2] [NAME ...] > cross.md

The same tables, prose and forms in another typesetting should give the same records, so
every fact the second reading loses or changes is a reader or parser rule that depends on
how one document happened to be printed (ruling lines, alignment, type sizes, wrapping).
Compared per file: identity (department, year, kind, unit), figures (key, value), budget
lines (table, code, name, amounts), projects (name, budget, number of indicators),
document numbers (canonical) and units (names). The table lists, per category, the facts
of the first reading that the second reproduces; ``--details`` prints what was lost and
gained. Files that are no disclosure, or that the renderer cannot lay out (a cell taller
than a page), are listed as skipped. NAME filters the files by a part of their name.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.real_corpus import real_corpus  # noqa: E402

CATEGORIES = ("identity", "figures", "lines", "projects", "docs", "units")


def facts(d: Any) -> dict[str, set]:
    """The scored facts of a Disclosure, as comparable sets (no source locations)."""
    return {
        "identity": {("department", d.department_name), ("year", d.fiscal_year), ("kind", d.kind),
                     ("unit", d.currency_unit)},
        "figures": {(f.key, str(f.value)) for f in d.figures},
        "lines": {(x.table, x.code or "", x.name, tuple(sorted((k, str(v)) for k, v in x.amounts.items())))
                  for x in d.budget_lines},
        "projects": {(p.name, str(p.budget), len(p.indicators)) for p in d.projects},
        "docs": {r.canonical for r in d.doc_refs},
        "units": {u.name for u in d.units},
    }


def compare(args: tuple[Path, str, Path]) -> tuple[str, dict[str, Any]]:
    """(file name, {"skipped": why} or {category: (kept, total, lost, gained)})."""
    path, layout, out = args
    from converter.errors import InputError
    from converter.parsers import parse_document
    from converter.readers import read_document
    from tests.pdfgen.render import LAYOUTS, render

    try:
        doc = read_document(path)
        first = facts(parse_document(doc))
    except InputError as err:
        return path.name, {"skipped": err.problem}
    try:
        rendered = render(doc.blocks, LAYOUTS[layout], out / f"{path.stem}.{layout}.pdf", title=path.stem)
    except Exception as err:  # reportlab's LayoutError: a cell taller than a page
        return path.name, {"skipped": f"not rendered: {type(err).__name__}"}
    try:
        second = facts(parse_document(read_document(rendered)))
    except InputError as err:
        second = {c: set() for c in CATEGORIES}
        first["error"] = {err.problem}
    return path.name, {c: (len(first[c] & second[c]), len(first[c]), sorted(first[c] - second[c], key=str),
                           sorted(second[c] - first[c], key=str)) for c in CATEGORIES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("layout", choices=("paged", "reflow", "borderless"))
    ap.add_argument("names", nargs="*", help="only files whose name contains one of these")
    ap.add_argument("--folder", type=Path, default=None, help="default: the real corpus and its wide/")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--details", action="store_true", help="list the facts lost and gained")
    args = ap.parse_args()
    base = args.folder or real_corpus()
    if base is None:
        sys.exit("no real corpus (set BUDGETLOD_REAL_CORPUS or pass --folder)")
    files = sorted(base.glob("*.pdf")) + sorted((base / "wide").glob("*.pdf"))
    if args.names:
        files = [f for f in files if any(n in f.name for n in args.names)]
    files.sort(key=lambda p: -p.stat().st_size)  # largest first: the workers finish together
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.jobs) as pool:
        results = dict(pool.map(compare, [(f, args.layout, Path(tmp)) for f in files]))
    print(f"# Real PDFs printed again as “{args.layout}”: facts of the first reading kept by the second\n")
    print("| file | " + " | ".join(CATEGORIES) + " |")
    print("|---" * (len(CATEGORIES) + 1) + "|")
    totals = {c: [0, 0] for c in CATEGORIES}
    skipped = []
    for name in sorted(results):
        r = results[name]
        if "skipped" in r:
            skipped.append(f"- {name}: {r['skipped']}")
            continue
        cells = []
        for c in CATEGORIES:
            kept, total, _, gained = r[c]
            totals[c][0] += kept
            totals[c][1] += total
            cells.append(f"{kept}/{total}" + (f" +{len(gained)}" if gained else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| **all** | " + " | ".join(f"**{k}/{t}**" for k, t in totals.values()) + " |")
    print("\n(+n: facts only the second reading has)\n")
    if skipped:
        print("Skipped:\n" + "\n".join(skipped))
    if args.details:
        for name in sorted(results):
            r = results[name]
            if "skipped" in r or not any(r[c][2] or r[c][3] for c in CATEGORIES):
                continue
            print(f"\n## {name}\n")
            for c in CATEGORIES:
                for fact in r[c][2]:
                    print(f"- lost {c}: {fact}")
                for fact in r[c][3]:
                    print(f"- gained {c}: {fact}")


if __name__ == "__main__":
    main()
