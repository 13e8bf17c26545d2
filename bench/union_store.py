"""Build an embedded store from `budgetlod convert` output the way `load` writes it (each
document's graph through converter.store.embedded.bulk_load_documents, in flushes of
FLUSH_QUADS quads), and report the store time and size on disk. The code under test is the
``converter`` package on PYTHONPATH, so the same input can be loaded by two revisions:

    PYTHONPATH=OLD python -m bench.union_store all.nq STORE_OLD
    PYTHONPATH=NEW python -m bench.union_store all.nq STORE_NEW
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path


def documents(nquads: Path) -> list[tuple[str, str]]:
    """(graph IRI, its N-Quads lines) per graph of a converter output file."""
    by: dict[str, list[str]] = {}
    with open(nquads, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                g = line.rstrip(" .\n").rsplit(" ", 1)[-1].strip("<>")
                by.setdefault(g, []).append(line)
    return [(g, "".join(lines)) for g, lines in by.items()]


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("nquads", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--flush-quads", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    from converter.store import embedded
    from converter.store.embedded import bulk_load_documents, commit, open_store

    docs = documents(args.nquads)
    if args.store.exists():
        shutil.rmtree(args.store)
    store = open_store(args.store)
    t0 = time.perf_counter()
    batch: list[tuple[str, str]] = []
    quads = 0
    for g, text in docs:
        batch.append((g, text))
        quads += text.count("\n")
        if quads >= args.flush_quads:
            bulk_load_documents(store, batch)
            batch, quads = [], 0
    if batch:
        bulk_load_documents(store, batch)
    commit(store, args.store)
    seconds = time.perf_counter() - t0
    del store
    out = {"code": os.path.dirname(os.path.dirname(embedded.__file__)), "graphs": len(docs),
           "quads_in": sum(t.count("\n") for _, t in docs), "store_seconds": round(seconds, 2),
           "disk_bytes": disk_bytes(args.store)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
