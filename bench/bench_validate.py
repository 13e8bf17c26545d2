"""Validation benchmark: seconds per document (one process, one core) for a synthetic
corpus, with the time by stage.

    python bench/bench_validate.py [--n 50] [--seed 1] [DIR]
    python bench/bench_validate.py --compare 3 [--n 50] [DIR]

--compare R: R rounds, each validating every document with the compiled detector
(converter/validation/compiled.py) and then with it switched off (pyshacl on every graph,
the path before it), interleaved so that both see the same machine load; prints CPU
s/doc of each path per round, the medians and their ratio, and checks that both give the
same violations and warnings.

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
from converter.pipeline import convert_document  # noqa: E402
from converter.validation import engine  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)

# (module, function name, stage label): the stages of one document's validation
STAGES = [
    (validation, "own_triples", "N-Quads -> N-Triples"),
    (engine, "fast_store", "Oxigraph store + compiled detector"),
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


def _pass(docs: list, detector: bool) -> tuple[float, int, int]:
    """CPU s/doc of validating each document alone, with or without the detector."""
    engine.compiled_core.cache_clear()
    real = engine.compile_core
    if not detector:
        engine.compile_core = lambda shapes: None  # type: ignore[assignment]
    try:
        validation.validate_documents(docs[:1], workers=1)  # warm-up
        cpu0 = time.process_time()
        v = w = 0
        for doc in docs:
            r = validation.validate_documents([doc], workers=1)
            v, w = v + r.violations, w + r.warnings
        return (time.process_time() - cpu0) / len(docs), v, w
    finally:
        engine.compile_core = real
        engine.compiled_core.cache_clear()


def compare(docs: list, rounds: int) -> None:
    import statistics
    fast, plain = [], []
    for r in range(rounds):
        f, fv, fw = _pass(docs, True)
        p, pv, pw = _pass(docs, False)
        assert (fv, fw) == (pv, pw), f"findings differ: detector {fv}/{fw}, pyshacl {pv}/{pw}"
        fast.append(f)
        plain.append(p)
        print(f"round {r + 1}: detector {f:.4f} s/doc, pyshacl everywhere {p:.4f} s/doc, ratio {p / f:.2f}x "
              f"({fv} violation(s), {fw} warning(s))")
    mf, mp = statistics.median(fast), statistics.median(plain)
    print(f"median of {rounds}: detector {mf:.4f} s/doc, pyshacl everywhere {mp:.4f} s/doc -> {mp / mf:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", type=int, default=0, metavar="R", help="R interleaved before/after rounds")
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
    if args.compare:
        compare(docs, args.compare)
        return
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
