"""Validation benchmark: seconds per document (one process, one core) for a synthetic
corpus, with the time by stage.

    python bench/bench_validate.py [--n 50] [--seed 1] [DIR]

DIR holds synthetic documents (NNNNN.txt, from ``python -m bench.synth``); without it a
corpus of ``--n`` documents is generated in a temporary directory. Documents are converted
first (not timed), then validated one at a time with ``validate_documents([doc],
workers=1)``. Times are CPU seconds of this process (steadier than wall time on a busy
machine); wall seconds are shown too. Stages are timed by wrapping the functions the
validation calls, so they add up to the total up to the untimed glue ("other")."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import converter.validation as validation  # noqa: E402
from converter.mapping import convert_document  # noqa: E402
from converter.validation import engine  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)

# (module, function name, stage label): the stages of one document's validation
STAGES = [
    (validation, "_own_triples", "N-Quads -> N-Triples"),
    (engine, "parse", "Oxigraph N-Triples parser"),
    (engine, "data_graph", "rdflib data graph"),
    (engine, "core_report", "pyshacl core shapes"),
    (engine, "sparql_store", "Oxigraph store"),
    (engine, "evaluate", "SPARQL constraints"),
    (engine, "shared_triples", "shared triples (cross pass input)"),
    (engine, "findings_of", "findings"),
    (validation, "_merge_reports", "merged report (Turtle)"),
    (validation, "_summary", "summary"),
]


def _timed(fn: Callable[..., Any], label: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - t0
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", help="directory of synthetic NNNNN.txt documents")
    ap.add_argument("--n", type=int, default=50, help="documents to validate (default 50)")
    ap.add_argument("--seed", type=int, default=1, help="seed of a generated corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.dir) if args.dir else Path(tmp)
        if not args.dir:
            subprocess.run([sys.executable, "-m", "bench.synth", "--seed", str(args.seed), "--n", str(args.n),
                            "--out", tmp], cwd=ROOT, check=True, capture_output=True)
        paths = sorted(p for p in src.glob("*.txt"))[: args.n]
        if not paths:
            sys.exit(f"no documents in {src}")
        docs = [convert_document(p) for p in paths]
    validation.validate_documents(docs[:1], workers=1)  # warm-up: shapes parsed once per process
    for module, name, label in STAGES:
        setattr(module, name, _timed(getattr(module, name), label))
    SPENT.clear()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    violations = warnings = 0
    for doc in docs:
        r = validation.validate_documents([doc], workers=1)
        violations += r.violations
        warnings += r.warnings
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = len(docs)
    triples = sum(d.triples for d in docs) / n
    print(f"{n} documents ({triples:,.0f} triples each): {cpu / n:.3f} s/doc CPU, {wall / n:.3f} s/doc wall; "
          f"{violations} violation(s), {warnings} warning(s)")
    for _, _, label in STAGES:
        print(f"  {label:36s} {SPENT[label] / n:7.3f} s  {100 * SPENT[label] / cpu:5.1f} %")
    other = cpu - sum(SPENT.values())
    print(f"  {'other':36s} {other / n:7.3f} s  {100 * other / cpu:5.1f} %")


if __name__ == "__main__":
    main()
