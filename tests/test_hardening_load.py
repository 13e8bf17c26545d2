"""Loader faults (issue 15, item 6): a load killed in the middle of a bulk flush leaves no
disk behind once the next load has recovered (its orphan SST files were kept for ever:
+231 MB measured), and a full disk ends a load in one clear error with every document
accounted for and the store consistent."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from converter.store.embedded import open_store
from converter.store.loading import Prepared, journal_path, orphan_bulk_files, store_prepared
from tests.endpoint_support import ROOT

DOCS, QUADS = 20, 7_500  # one bulk flush of ~300,000 quads (+ the merge): seconds to write

CHILD = """
import sys
from converter.store.embedded import open_store
from converter.store.loading import store_prepared
from tests.test_hardening_load import documents
store = open_store(sys.argv[1])
print("open", flush=True)
store_prepared(store, sys.argv[1], documents(), bulk_threshold=2)
print("done", flush=True)
"""


def documents(count: int = DOCS, quads: int = QUADS) -> list[Prepared]:
    out = []
    for i in range(count):
        g = f"https://w3id.org/budget-lod/graph/kill{i}"
        nq = "".join(f'<urn:s{i}_{j}> <urn:p{j % 7}> "value {j} of document {i} 人民政府" <{g}> .\n'
                     for j in range(quads))
        nq += f'<urn:shared> <urn:label> "same in every document" <{g}> .\n'
        out.append(Prepared(f"d{i}.txt", True, "", g, nq, quads + 1))
    return out


def store_bytes(path: Path) -> int:
    """Bytes of the store's data files, once reopened (RocksDB replays and drops its write-ahead
    logs on open); RocksDB's own info logs (LOG*) are not data."""
    del_store = open_store(path)
    del del_store
    gc.collect()
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file() and not f.name.startswith("LOG"))


def contents(path: Path) -> set[str]:
    store = open_store(path)
    out = {str(q) for q in store}
    del store
    gc.collect()
    return out


def _kill_mid_flush(path: Path, orphan_bytes: int) -> None:
    """Run the load in a child and kill -9 it once its bulk flush has written
    ``orphan_bytes`` of SST files not yet handed to RocksDB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "open"
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if journal_path(path).exists() and sum(p.stat().st_size for p in orphan_bulk_files(path)) >= orphan_bytes:
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the load ended before it could be killed mid-flush"


def test_killed_flush_leaves_no_files_after_the_next_load(tmp_path):
    clean = tmp_path / "clean"
    store = open_store(clean)
    store_prepared(store, clean, documents(), bulk_threshold=2)
    del store
    gc.collect()

    killed = tmp_path / "killed"
    _kill_mid_flush(killed, orphan_bytes=10_000_000)
    left = sum(p.stat().st_size for p in orphan_bulk_files(killed))
    assert left >= 10_000_000 and journal_path(killed).exists()

    store = open_store(killed)  # the re-load: recovers, then loads the same documents
    report = store_prepared(store, killed, documents(), bulk_threshold=2)
    del store
    gc.collect()
    assert len(report.loaded) == DOCS and not report.failed
    assert not orphan_bulk_files(killed) and not journal_path(killed).exists()
    assert contents(killed) == contents(clean)
    clean_bytes, killed_bytes = store_bytes(clean), store_bytes(killed)
    # was clean + every orphan byte (never reclaimed); now within a few per cent of clean
    assert killed_bytes <= clean_bytes * 1.05 + 1_000_000, (killed_bytes, clean_bytes, left)


def test_flush_killed_after_ingesting_is_removed_and_compacted(tmp_path):
    """A flush whose batches RocksDB had ingested (killed before its journal was removed):
    the next load removes those graphs and compacts, and the store equals a clean one."""
    from converter.store.embedded import bulk_load_documents

    docs = documents(6, 2_000)
    path = tmp_path / "s"
    store = open_store(path)
    store_prepared(store, path, docs[:2], bulk_threshold=1)
    journal_path(path).write_text("".join(d.graph_iri + "\n" for d in docs[2:]), encoding="utf-8")
    bulk_load_documents(store, [(d.graph_iri, d.nquads) for d in documents(6, 2_000)[2:]])
    report = store_prepared(store, path, documents(6, 2_000)[:3], bulk_threshold=1)
    assert report.recovered == [d.graph_iri for d in docs[2:]]
    named = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert named == {d.graph_iri for d in docs[:3]}
    del store
    gc.collect()
    clean = tmp_path / "clean"
    store = open_store(clean)
    store_prepared(store, clean, documents(6, 2_000)[:3], bulk_threshold=1)
    del store
    gc.collect()
    assert contents(path) == contents(clean)
