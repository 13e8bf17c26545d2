"""Build one release from a store and publish it atomically.

Layout of OUTDIR:
    releases/<release-id>/...   one folder per distinct content (id = content hash)
    latest -> releases/<id>      symlink, swapped atomically with rename(2)

A release is written into ``releases/.tmp-*`` (same file system), fsynced, then renamed to
``releases/<id>``: readers see a complete release or none. Dumping an unchanged store
again gives the same id and identical bytes; the existing folder is kept and ``latest``
re-pointed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from converter.dumps import config as C
from converter.dumps.csvs import CsvQuery, load_queries, write_csvs
from converter.dumps.metadata import (
    FileRecord, ReleaseContext, dcat_turtle, file_record, list_files, readme, sha256sums, void_turtle,
)
from converter.dumps.rdf import (
    RdfSummary, count_turtle_triples, default_graph_extra, default_graph_size, fsync_tree, write_context, write_rdf,
)
from converter.mapping.iris import resolve_base
from converter.resources import ontology_dir as default_ontology_dir, shapes_dir as default_shapes_dir

RELEASES = "releases"
LATEST = "latest"
RELEASE_ID = re.compile(r"^[0-9a-f]{16}$")
METADATA_FILES = ("void.ttl", "dcat.ttl", "README.md")


@dataclass
class ReleaseResult:
    path: Path  # OUTDIR/releases/<id>
    release_id: str
    files: list[FileRecord]
    summary: RdfSummary
    csv_rows: dict[str, int]
    reused: bool  # an identical release existed already
    seconds: float


def open_store_read_only(store_dir: str | os.PathLike[str]) -> ox.Store:
    if not Path(store_dir).is_dir():
        raise FileNotFoundError(f"{store_dir}: no store here (create one with budgetlod load)")
    try:
        return ox.Store.read_only(str(store_dir))
    except OSError:
        return ox.Store(str(store_dir))  # e.g. a store that was never closed cleanly


def dataset_iri(store: ox.Store, base: str | None) -> tuple[str, str]:
    """(base, dataset IRI): the store's own dcat:Dataset if it names exactly one, else
    ``{base}dataset`` under the given/configured base."""
    if base is None:
        found = {r["d"].value for r in store.query(
            "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }")}
        if len(found) == 1:
            ds = found.pop()
            if ds.endswith("/dataset"):
                return ds[: -len("dataset")], ds
    b = resolve_base(base)
    return b, b + "dataset"


def copy_vocabulary(out: Path, ontology_dir: Path, shapes_dir: Path) -> list[str]:
    copied = []
    for sub, src in (("ontology", ontology_dir), ("shapes", shapes_dir)):
        files = sorted(src.glob("*.ttl")) if src.is_dir() else []
        if files:
            (out / sub).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copyfile(f, out / sub / f.name)
            copied.append(f"{sub}/{f.name}")
    return copied


def compute_release_id(records: list[FileRecord], base: str, download_base: str) -> str:
    h = hashlib.sha256()
    h.update(f"budget-lod release format {C.FORMAT_VERSION}\n{base}\n{download_base}\n{C.LICENSE_IRI}\n".encode())
    h.update(sha256sums(records))
    return h.hexdigest()[:16]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_latest(outdir: Path, release_id: str) -> None:
    """Point OUTDIR/latest at releases/<id> with one rename (atomic replace)."""
    link = outdir / LATEST
    tmp = outdir / f".{LATEST}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{release_id}", tmp)
    os.replace(tmp, link)
    _fsync_dir(outdir)


def build_release(store_dir: str | os.PathLike[str], outdir: str | os.PathLike[str], *, base: str | None = None,
                  download_base: str | None = None, ontology_dir: Path | None = None,
                  shapes_dir: Path | None = None, queries: list[CsvQuery] | None = None,
                  store: ox.Store | None = None) -> ReleaseResult:
    started = time.perf_counter()
    own_store = store is None
    store = store if store is not None else open_store_read_only(store_dir)
    base, dataset = dataset_iri(store, base)
    download_base = download_base or f"{base}dumps/"
    if not download_base.endswith("/"):
        download_base += "/"
    queries = queries if queries is not None else load_queries()
    out_root = Path(outdir)
    releases = out_root / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=releases))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a published release is world-readable
        # The tables' SPARQL SELECTs run beside the RDF pass, in a second process on its own
        # read-only handle (query evaluation holds the GIL); in-process for a given store.
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) if own_store else None
        try:
            csv_future = pool.submit(csv_process, str(store_dir), str(tmp), [str(q.path) for q in queries],
                                     [q.text for q in queries]) if pool else None
            summary = write_rdf(store, tmp, tmp / ".scratch")
            if default_graph_size(store) != summary.triples:
                # the default graph is neither empty (the layout since issue 14; 0 never
                # equals a store's triples) nor the stored merge of an older store: dump what
                # only it holds, as such (an empty default graph answers the ASK at once)
                extra = default_graph_extra(store)
                if extra:  # same graphs and file names: the second pass overwrites the first
                    summary = write_rdf(store, tmp, tmp / ".scratch", extra)
            csv_rows = csv_future.result() if csv_future else write_csvs(store, tmp, queries)
        finally:
            if pool:
                pool.shutdown(wait=True, cancel_futures=True)  # never leave it writing into tmp
        shutil.rmtree(tmp / ".scratch", ignore_errors=True)
        write_context(tmp)
        vocab = copy_vocabulary(tmp, ontology_dir or default_ontology_dir(), shapes_dir or default_shapes_dir())

        records = [file_record(tmp, rel) for rel in list_files(tmp)]
        for r in records:
            if r.path in summary.file_triples:
                r.triples = summary.file_triples[r.path]
            elif r.path in vocab:
                r.triples = count_turtle_triples(tmp / r.path, base)
            r.rows = csv_rows.get(r.path)
        release_id = compute_release_id(records, base, download_base)
        ctx = ReleaseContext(release_id, base, dataset, f"{download_base}{RELEASES}/{release_id}/",
                             summary, records, queries)
        (tmp / "void.ttl").write_bytes(void_turtle(ctx))
        (tmp / "dcat.ttl").write_bytes(dcat_turtle(ctx))
        (tmp / "README.md").write_bytes(readme(ctx, list(METADATA_FILES)))
        everything = [file_record(tmp, rel) for rel in list_files(tmp)]
        (tmp / "SHA256SUMS").write_bytes(sha256sums(everything))
        for p in [tmp, *(d for d in tmp.rglob("*") if d.is_dir())]:
            os.chmod(p, 0o755)
        fsync_tree(tmp)

        final = releases / release_id
        reused = final.exists() and (final / "SHA256SUMS").read_bytes() == (tmp / "SHA256SUMS").read_bytes()
        if reused:  # same id and same bytes: keep the published folder untouched
            shutil.rmtree(tmp)
        else:
            if final.exists():  # same data, different metadata (a newer converter): replace it
                old = Path(tempfile.mkdtemp(prefix=".old-", dir=releases))
                os.rename(final, old / release_id)
                os.rename(tmp, final)
                shutil.rmtree(old)
            else:
                os.rename(tmp, final)
            _fsync_dir(releases)
        swap_latest(out_root, release_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ReleaseResult(final, release_id, records, summary, csv_rows, reused, time.perf_counter() - started)


def csv_process(store_dir: str, out: str, paths: list[str], texts: list[str]) -> dict[str, int]:
    """write_csvs in a worker process (texts: the queries as given, possibly edited)."""
    from converter.dumps.csvs import parse_query

    queries = []
    for path, text in zip(paths, texts):
        q = parse_query(Path(path))
        q.text = text
        queries.append(q)
    return write_csvs(open_store_read_only(store_dir), Path(out), queries)


def latest_release(outdir: str | os.PathLike[str]) -> Path | None:
    """The folder OUTDIR/latest points at (or ``outdir`` itself if it is a release)."""
    root = Path(outdir)
    if (root / "SHA256SUMS").is_file():
        return root
    link = root / LATEST
    if link.exists():
        return link.resolve()
    return None


def prune(outdir: str | os.PathLike[str], keep: int) -> list[str]:
    """Remove all but the ``keep`` most recently published releases (never ``latest``)."""
    releases = Path(outdir) / RELEASES
    current = latest_release(outdir)
    found = sorted((p for p in releases.iterdir() if p.is_dir() and RELEASE_ID.match(p.name)),
                   key=lambda p: p.stat().st_mtime_ns, reverse=True)
    removed = []
    for p in found[keep:]:
        if current is not None and p.resolve() == current:
            continue
        shutil.rmtree(p)
        removed.append(p.name)
    return removed
