"""Bare pyoxigraph baselines for a store the project wrote (issue 14): the same quads
bulk-loaded into a fresh store by ``Store.bulk_load`` alone (time and disk size), and a
gzip N-Quads dump by ``Store.dump`` alone, beside the release's all.nq.gz.

    .venv/bin/python -m bench.bare STORE_DIR [--work DIR]

Both baselines stream through files, so they run at any N: the store's quads are dumped
as N-Quads to a file by Oxigraph (Rust writes it; not timed for the load baseline, it is
the input), ``bulk_load(path=...)`` reads that file into an empty store; the dump baseline
is Oxigraph's dump to a file plus gzip of that file in 1 MiB blocks at the release's level."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.scale_proc import disk_usage  # noqa: E402
from converter.dumps.gz import LEVEL, GzipWriter  # noqa: E402


def bare_baselines(store_dir: Path, work: Path, load: bool = True) -> dict[str, Any]:
    """Dump (and with ``load``, bulk load) of the store's quads by pyoxigraph alone (see the
    module doc)."""
    work.mkdir(parents=True, exist_ok=True)
    nq = work / "bare.nq"
    bare_store = work / "bare-store"
    shutil.rmtree(bare_store, ignore_errors=True)
    out: dict[str, Any] = {"gzip_level": LEVEL}
    try:
        ro = ox.Store.read_only(str(store_dir))
        out["quads"] = len(ro)
        t0 = time.perf_counter()
        ro.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
        t_raw = time.perf_counter() - t0
        t0 = time.perf_counter()
        with open(nq, "rb") as src, GzipWriter(work / "bare.nq.gz") as gz:
            while block := src.read(1 << 20):
                gz.write(block)
        out["dump_seconds"] = t_raw + time.perf_counter() - t0
        del ro
        if not load:
            return out
        t0 = time.perf_counter()
        fresh = ox.Store(str(bare_store))
        fresh.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        fresh.flush()
        del fresh
        out["bulk_load_seconds"] = time.perf_counter() - t0
        out["bulk_store_bytes"], _ = disk_usage(bare_store)
    finally:
        for p in (nq, work / "bare.nq.gz"):
            p.unlink(missing_ok=True)
        shutil.rmtree(bare_store, ignore_errors=True)
    return out


def our_dump(store_dir: Path, work: Path) -> dict[str, Any]:
    """`budgetlod dump`'s release of the store: seconds until all.nq.gz and all.nt.gz were
    complete, and in all."""
    from converter.dumps.release import build_release

    out_dir = work / "release"
    shutil.rmtree(out_dir, ignore_errors=True)
    t0 = time.perf_counter()
    result = build_release(store_dir, out_dir)
    total = time.perf_counter() - t0
    s = result.summary
    shutil.rmtree(out_dir, ignore_errors=True)
    return {"quads": s.quads, "all_nq_seconds": s.seconds["all.nq.gz"], "all_nt_seconds": s.seconds["all.nt.gz"],
            "rdf_seconds": s.seconds["all"], "release_seconds": total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bare-"))
    res = {"bare": bare_baselines(args.store, work), "ours": our_dump(args.store, work)}
    b, o = res["bare"], res["ours"]
    res["dump_rate_ratio"] = (o["quads"] / o["all_nq_seconds"]) / (b["quads"] / b["dump_seconds"])
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
