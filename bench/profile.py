"""Where each CPU-second of a load goes, per document (issue 14's profile table).

    .venv/bin/python -m bench.profile [--n 40] [--seed 1] [DIR]

Synthetic documents (``python -m bench.synth``; DIR reuses a corpus) go through the load's
own stages one at a time in this process, each timed in CPU seconds of the process (all
threads; steadier than wall time on a shared machine): read (text -> layout IR), parse
(IR -> records + reconciliation), map (records -> N-Quads), validate (SHACL, as a load
worker runs it), store (the documents' N-Quads bulk-loaded into a fresh on-disk store in
one flush, as `load` does, divided by N). Prints a Markdown table: stage, CPU ms per
document (median and mean) and share of the total."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter.mapping import convert_disclosure  # noqa: E402
from converter.parsers import parse_document  # noqa: E402
from converter.readers import read_document  # noqa: E402
from converter.reconcile import reconcile  # noqa: E402
from converter.store.embedded import bulk_load_documents, open_store  # noqa: E402
from converter.validation import validate_documents  # noqa: E402

STAGES = ("read", "parse", "map", "validate", "store")


def profile(files: list[Path]) -> dict[str, list[float]]:
    spent: dict[str, list[float]] = {s: [] for s in STAGES}
    docs: list[tuple[str, str]] = []
    for f in files:
        t = time.process_time()
        doc = read_document(f)
        t, spent["read"] = _lap(t, spent["read"])
        d = parse_document(doc)
        reconcile(d)
        t, spent["parse"] = _lap(t, spent["parse"])
        conv = convert_disclosure(d)
        t, spent["map"] = _lap(t, spent["map"])
        result = validate_documents([conv], workers=1)
        t, spent["validate"] = _lap(t, spent["validate"])
        if not result.conforms:
            raise SystemExit(f"{f}: not valid: {result.summary[:300]}")
        docs.append((conv.graph_iri, conv.nquads))
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        t = time.process_time()
        bulk_load_documents(store, docs)
        store.flush()
        per_doc = (time.process_time() - t) / len(docs)
        del store
    spent["store"] = [per_doc] * len(docs)
    return spent


def _lap(t: float, into: list[float]) -> tuple[float, list[float]]:
    now = time.process_time()
    into.append(now - t)
    return now, into


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    corpus = args.corpus
    if corpus is None:
        corpus = Path(tempfile.mkdtemp(prefix="profile-"))
        subprocess.run([sys.executable, "-m", "bench.synth", "--seed", str(args.seed), "--n", str(args.n),
                        "--out", str(corpus), "--workers", "1"], check=True, cwd=ROOT)
    files = sorted(corpus.glob("*.txt"))[: args.n]
    read_document(files[0])  # imports and caches outside the timed loop
    spent = profile(files)
    total = sum(statistics.fmean(v) for v in spent.values())
    print(f"CPU seconds per document, {len(files)} synthetic documents (seed {args.seed}), one process:")
    print()
    print("| stage | median ms/doc | mean ms/doc | share |")
    print("|---|---:|---:|---:|")
    for s in STAGES:
        v = spent[s]
        print(f"| {s} | {statistics.median(v) * 1000:,.1f} | {statistics.fmean(v) * 1000:,.1f} | "
              f"{statistics.fmean(v) / total:.0%} |")
    print(f"| **total** | | **{total * 1000:,.1f}** | 100% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
