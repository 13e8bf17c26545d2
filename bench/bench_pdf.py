"""PDF path throughput beside pdfplumber's own bare pass, in one run, on one core.

    .venv/bin/python bench/bench_pdf.py [PDF-or-folder ...] [--max-pages N] [--repeat R]

Default input: the five samples rendered as PDFs in every layout (tests/pdfgen) and,
where present, every PDF in ../shared/corpus-real (files without a text layer are
skipped). For every file, the same first N pages go through
  floor: pdfplumber.open + per page extract_words() + find_tables()
  ours:  converter.readers.pdf.read_pdf (chars, dedupe, tables, lines, blocks, joins)
alternately, so machine load hits both alike; each figure is the best of R runs.
Prints pages/s per core for both and their ratio (issue 11 target: ours >= 0.85x the
bare pass).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from converter.errors import InputError  # noqa: E402
from converter.readers.pdf import read_pdf  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"


def floor_pass(data: bytes, max_pages: int | None) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages[:max_pages]
        for page in pages:
            page.extract_words()
            page.find_tables()
            page.close()
        return len(pages)


def our_pass(path: Path, data: bytes, max_pages: int | None) -> int:
    return read_pdf(path, data, max_pages=max_pages).pages or 0


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def default_inputs(tmp: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.pdfgen import generate

    files = sorted(generate(tmp).values())
    if REAL.is_dir():
        files += sorted(REAL.glob("*.pdf"))
    return files


def expand(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--max-pages", type=int, default=40, help="pages per file (default 40; 0 = all)")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    max_pages = args.max_pages or None
    with tempfile.TemporaryDirectory() as tmp:
        files = expand(args.inputs) if args.inputs else default_inputs(Path(tmp))
        total_pages, t_floor, t_ours = 0, 0.0, 0.0
        print(f"{'file':48} {'pages':>5} {'floor p/s':>9} {'ours p/s':>9} {'ratio':>6}")
        for path in files:
            data = path.read_bytes()
            try:
                pages = our_pass(path, data, max_pages)  # warm-up and text-layer check
            except InputError as err:
                print(f"{path.name[:48]:48} skipped: {err.problem}")
                continue
            tf = _best(lambda: floor_pass(data, max_pages), args.repeat)
            to = _best(lambda: our_pass(path, data, max_pages), args.repeat)
            total_pages, t_floor, t_ours = total_pages + pages, t_floor + tf, t_ours + to
            print(f"{path.name[:48]:48} {pages:5d} {pages / tf:9.1f} {pages / to:9.1f} {to / tf:6.2f}")
    if not total_pages:
        print("no readable PDF")
        return 1
    print(f"\n{total_pages} pages, one core")
    print(f"pdfplumber bare pass (extract_words + find_tables): {total_pages / t_floor:.1f} pages/s")
    print(f"budget-lod PDF reader (read_pdf):                   {total_pages / t_ours:.1f} pages/s")
    print(f"speed: {t_floor / t_ours:.2f}x the bare pass (target >= 0.85x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
