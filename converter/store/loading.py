"""``load``'s store side: documents converted and validated in worker processes
(converter/pipeline.py, ``prepare``) go into the store as they arrive, as (graph IRI,
N-Quads). A document that fails either step
changes nothing, and the batch goes on.

Streaming keeps memory bounded at any batch size: the worker pool has a bounded number
of documents in flight (converter/batch.py), and a validated graph new to the store is
appended to a spool file in the store directory and its text dropped at once. A spool of
FLUSH_QUADS quads (or the batch's last) is one flush: Store.bulk_load reads it from disk in
the loader thread while the workers fill the next spool. Graphs new to the store go
through Store.bulk_load once a batch has at least ``bulk_threshold`` of them;
graphs already present (and small batches) are replaced one transaction each, so a
re-load is idempotent. Bulk loading is not transactional, so each flush is journaled:
a load killed mid-flush leaves the journal, and the next load (or ``recover``) removes
those graphs before anything else, so no half-written graph stays in the store.

A full disk stops the load at once (StoreFull): every write after it would fail the same
way. What was written stays (transactions that committed, flushes that finished), the
write that hit the full disk changes nothing (a transaction) or stays journaled (a bulk
flush, removed by the next load), and the report says which documents were loaded, which
failed and which were not attempted."""

from __future__ import annotations

import errno
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import pyoxigraph as ox

from converter.store.embedded import bulk_load_file, commit, named_graphs, remove_graph, replace_graph
from converter.store.generation import bump_generation

if TYPE_CHECKING:  # the store takes the pipeline's result; it never runs the pipeline
    from converter.pipeline import Prepared

BULK_THRESHOLD = 20  # new documents in one batch before bulk loading pays off
# quads per bulk flush (one spool file, one Store.bulk_load). Each flush after the first
# ingests SST files that overlap the store's and so sets off RocksDB compactions, which run
# while the workers convert and take the cores from them. At 10,000 synthetic documents
# (66.8 M quads) ten-million-quad flushes took 1,577 s, the loader thread busy 1,169 s; one
# flush took 1,400 s (workers done after 690 s, then the flush 726 s), but left a 19.2 GiB
# store where the seven flushes' compactions had left 14.4 GiB (the bulk loader's files are
# larger than compaction output). At 1,000 documents one flush either way (1.1 GB, the bare
# bulk_load's size). The spool is on disk, so the flush size costs disk (~0.34 GB per
# million quads: 34 GB for a full spool, two spools at most), not memory: Oxigraph's loader
# reads the file in batches (2.6 GB peak RSS at 66.8 M quads).
FLUSH_QUADS = 100_000_000
JOURNAL_NAME = "budgetlod-loading"
SPOOL_GLOB = "budgetlod-spool-*.nq"


@dataclass
class LoadReport:
    loaded: list[Prepared] = field(default_factory=list)
    failed: list[Prepared] = field(default_factory=list)
    replaced: int = 0
    bulk_loaded: int = 0
    store_seconds: float = 0.0  # this process's time writing to the store
    recovered: list[str] = field(default_factory=list)  # graphs a killed load left, removed
    stopped: str = ""  # why the load stopped before the end (the disk is full), else ""
    not_attempted: list[str] = field(default_factory=list)  # prepared, never written (after a stop)

    @property
    def triples(self) -> int:
        return sum(p.triples for p in self.loaded)

    def stats(self, wall_seconds: float) -> dict[str, object]:
        """The figures `load --stats` writes (bench/scale.py reads them)."""
        docs = self.loaded + self.failed
        return {
            "documents": len(docs),
            "loaded": len(self.loaded),
            "failed": len(self.failed),
            "triples": self.triples,
            "pages": sum(p.pages or 0 for p in docs),
            "wall_seconds": round(wall_seconds, 3),
            "convert_seconds": round(sum(p.convert_seconds for p in docs), 3),
            "validate_seconds": round(sum(p.validate_seconds for p in docs), 3),
            "store_seconds": round(self.store_seconds, 3),
            "bulk_loaded": self.bulk_loaded,
            "replaced": self.replaced,
        }


def journal_path(store_dir: str | os.PathLike[str]) -> Path:
    return Path(store_dir) / JOURNAL_NAME


def orphan_bulk_files(store_dir: str | os.PathLike[str]) -> list[Path]:
    """SST files Store.bulk_load wrote into the store directory and never handed to RocksDB:
    it names them ``bulk-<random>.sst`` and ingests (moves) them at the end of each batch,
    so any left while no bulk load runs are a killed or failed load's, unknown to RocksDB,
    which never deletes them itself (issue 15 measured +231 MB of them after a re-load)."""
    return sorted(p for p in Path(store_dir).glob("bulk-*.sst") if p.is_file())


def spool_files(store_dir: str | os.PathLike[str]) -> list[Path]:
    """Spools a killed or stopped load left (no load runs while the store is open for writing)."""
    return sorted(p for p in Path(store_dir).glob(SPOOL_GLOB) if p.is_file())


class _Spool:
    """One flush's documents as N-Quads in a file of the store directory, each document's
    byte range kept (so a flush that fails can be retried one document at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = open(path, "wb")
        self.spans: dict[str, tuple[Prepared, int, int]] = {}  # graph IRI -> (doc, offset, length)
        self.quads = 0

    def add(self, doc: Prepared) -> None:
        data = doc.nquads if isinstance(doc.nquads, bytes) else doc.nquads.encode("utf-8")
        self.spans[doc.graph_iri] = (doc, self.file.tell(), len(data))
        self.file.write(data)
        self.quads += doc.triples
        doc.nquads = ""  # the spool has it now

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()

    def text(self, graph_iri: str) -> str:
        _, offset, length = self.spans[graph_iri]
        with open(self.path, "rb") as f:
            f.seek(offset)
            return f.read(length).decode("utf-8")

    @property
    def docs(self) -> list[Prepared]:
        return [doc for doc, _, _ in self.spans.values()]

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def recover(store: ox.Store, store_dir: str | os.PathLike[str], spools: bool = True) -> list[str]:
    """Remove the graphs of a bulk flush that never finished (a load killed mid-flush) and
    reclaim the disk it used. Called with the store open for writing, which no other process
    can then have (RocksDB's lock) and before this process starts a bulk load of its own, so
    every ``bulk-*.sst`` file is an orphan, and so is every spool (``spools``: the load's own
    undo of a failed flush keeps them, as it still reads them)."""
    for orphan in [*orphan_bulk_files(store_dir), *(spool_files(store_dir) if spools else [])]:
        orphan.unlink()
    journal = journal_path(store_dir)
    if not journal.exists():
        return []
    graphs = [g for g in journal.read_text(encoding="utf-8").splitlines() if g]
    for g in graphs:
        remove_graph(store, g)
    store.flush()
    journal.unlink()
    return graphs


DISK_FULL_TEXTS = ("No space left on device", "Disk quota exceeded")


def disk_full(err: BaseException) -> bool:
    """Whether a store write failed for want of disk space. pyoxigraph raises RocksDB's I/O
    errors as OSError without an errno ("IO error: No space left on device: While appending
    to file: …"), so the text is read too."""
    if not isinstance(err, OSError):
        return False
    return err.errno in (errno.ENOSPC, errno.EDQUOT) or any(t in str(err) for t in DISK_FULL_TEXTS)


class StoreFull(Exception):
    """The store's disk is full: the load stops (see the module docstring)."""

    def __init__(self, store_dir: str | os.PathLike[str], err: OSError, doing: str) -> None:
        super().__init__(f"{store_dir}: the disk is full ({doing}): {err}")


class _Writer:
    """Puts prepared documents into the store as they come (see the module docstring)."""

    def __init__(self, store: ox.Store, store_dir: str | os.PathLike[str], bulk_threshold: int,
                 flush_quads: int, on_result: Callable[[Prepared], None] | None) -> None:
        self.store, self.store_dir = store, store_dir
        self.bulk_threshold, self.flush_quads = bulk_threshold, flush_quads
        self.on_result = on_result or (lambda doc: None)
        self.report = LoadReport()
        try:
            self.report.recovered = recover(store, store_dir)
        except OSError as err:
            if disk_full(err):
                raise StoreFull(store_dir, err, "while removing the graphs an interrupted load left") from None
            raise
        self.existing = named_graphs(store)
        self.spool: _Spool | None = None  # new graphs waiting for a flush
        self.spools = 0
        self.bulk = False  # switched on once bulk_threshold new graphs were seen
        self.waiting: list[Prepared] = []  # new graphs before that, still in memory
        self.loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-load")
        self.loading: Future | None = None
        self.unwritten: list[Prepared] = []  # taken from a flush, not yet tried when the disk filled

    def add(self, doc: Prepared) -> None:
        if not doc.ok:
            self._failed(doc)
        elif doc.graph_iri in self.existing:
            self._replace(doc)
        elif not self.bulk:
            self.waiting = [d for d in self.waiting if d.graph_iri != doc.graph_iri] + [doc]  # the last wins
            if len(self.waiting) >= self.bulk_threshold:
                self.bulk = True
                while self.waiting:  # one at a time: a full disk leaves the rest accounted for
                    self._spool(self.waiting.pop(0))
        else:
            self._spool(doc)

    def _spool(self, doc: Prepared) -> None:
        if self.spool is not None and doc.graph_iri in self.spool.spans:
            self._flush()  # the same graph again: the flush stores the first, _replace the last
            self._wait()
            self._replace(doc)
            return
        if self.spool is None:
            self.spools += 1
            try:
                self.spool = self._new_spool()
            except StoreFull:
                doc.ok, doc.message = False, f"{doc.path}: not loaded: the disk is full (bulk-load spool)"
                self._failed(doc)
                raise
        try:
            self.spool.add(doc)
        except OSError as err:
            if not disk_full(err):
                raise
            self.unwritten = [d for d in self.spool.docs if d is not doc]
            self.spool.discard()
            self.spool = None
            doc.ok, doc.message = False, f"{doc.path}: not loaded: the disk is full (bulk-load spool)"
            self._failed(doc)
            raise StoreFull(self.store_dir, err, "while writing the bulk-load spool") from None
        if self.spool.quads >= self.flush_quads:
            self._flush()

    def _new_spool(self) -> _Spool:
        try:
            return _Spool(Path(self.store_dir) / SPOOL_GLOB.replace("*", str(self.spools % 2)))
        except OSError as err:
            if disk_full(err):
                raise StoreFull(self.store_dir, err, "while creating the bulk-load spool") from None
            raise

    def finish(self) -> LoadReport:
        if self.bulk:
            self._flush()
            self._wait()
            self.loader.shutdown()
        else:  # a small batch: one transaction per document
            while self.waiting:
                self._replace(self.waiting.pop(0))
        started = time.perf_counter()
        try:
            if self.report.recovered:
                # the killed flush's batches that RocksDB had ingested are deleted now, but stay
                # on disk until compacted, as do the deletions: compact once, at the end (rare)
                self.store.optimize()
            commit(self.store, self.store_dir)
        except OSError as err:
            if disk_full(err):  # what committed is in the write-ahead log: still loaded
                raise StoreFull(self.store_dir, err, "while committing the load") from None
            raise
        self.report.store_seconds += time.perf_counter() - started
        return self.report

    def stop(self, full: StoreFull) -> LoadReport:
        """After a full disk: account for the flush in flight, report the documents that
        were waiting for a flush as not attempted."""
        try:
            self._wait()
        except StoreFull:
            pass  # the flush in flight hit the full disk too: its documents are accounted below
        self.loader.shutdown(wait=True)
        self.report.stopped = str(full)
        spooled = self.spool.docs if self.spool is not None else []
        if self.spool is not None:
            self.spool.discard()
            self.spool = None
        self.report.not_attempted = [d.path for d in [*self.unwritten, *spooled, *self.waiting]]
        self.unwritten.clear()
        self.waiting.clear()
        try:  # running servers see what was loaded (it is in the write-ahead log), if a stamp still fits
            bump_generation(self.store_dir)
        except OSError:
            pass  # no room even for the stamp: servers see the load at their next reopen
        return self.report

    def _failed(self, doc: Prepared) -> None:
        doc.nquads = ""
        self.report.failed.append(doc)
        self.on_result(doc)

    def _replace(self, doc: Prepared) -> None:
        started = time.perf_counter()
        try:
            replace_graph(self.store, doc.graph_iri, doc.nquads)
        except (SyntaxError, OSError, RuntimeError, ValueError) as err:
            full = disk_full(err)
            doc.ok = False
            doc.message = f"{doc.path}: not loaded: the disk is full" if full else f"{doc.path}: not loaded: {err}"
            self._failed(doc)
            if full:  # one transaction: nothing of this document was written
                raise StoreFull(self.store_dir, err, f"while writing {doc.path}") from None
            return
        finally:
            self.report.store_seconds += time.perf_counter() - started
        if doc.graph_iri in self.existing:
            self.report.replaced += 1
        self.existing.add(doc.graph_iri)
        doc.nquads = ""
        self.report.loaded.append(doc)
        self.on_result(doc)

    def _flush(self) -> None:
        """Hand the spool to the loader thread. Store.bulk_load releases the GIL, so the
        workers' next results are taken in (into the other spool) while it runs; one flush
        at a time, so one journal suffices and at most two spools exist."""
        self._wait()
        spool, self.spool = self.spool, None
        if spool is None:
            return
        spool.close()
        journal = journal_path(self.store_dir)
        try:
            journal.write_text("".join(g + "\n" for g in spool.spans), encoding="utf-8")
        except OSError as err:
            if not disk_full(err):
                raise
            journal.unlink(missing_ok=True)  # a cut journal could name a prefix of another graph
            self.unwritten = spool.docs
            spool.discard()
            raise StoreFull(self.store_dir, err, "while writing the bulk-load journal") from None
        self.loading = self.loader.submit(self._bulk, spool)

    def _bulk(self, spool: _Spool) -> tuple[_Spool, float, bool | OSError]:
        """Runs in the loader thread: True when the flush is in the store, False when a bad
        graph stopped it (undone), the OSError when the disk is full."""
        started = time.perf_counter()
        try:
            bulk_load_file(self.store, spool.path)
            self.store.flush()
        except (SyntaxError, OSError, ValueError) as err:
            if disk_full(err):
                return spool, time.perf_counter() - started, err  # type: ignore[return-value]
            # one unreadable graph (possible with --no-validate) stopped the bulk load part
            # way: undo the flush; its documents then go one transaction each
            recover(self.store, self.store_dir, spools=False)
            return spool, time.perf_counter() - started, False
        journal_path(self.store_dir).unlink()
        return spool, time.perf_counter() - started, True

    def _undo_full_flush(self) -> str:
        """A bulk flush the full disk stopped: its unfinished files go (that frees space), then
        its graphs, if the disk lets them; else the journal stays for the next load."""
        for orphan in orphan_bulk_files(self.store_dir):
            orphan.unlink()
        try:
            recover(self.store, self.store_dir, spools=False)
            return "nothing of it stays in the store"
        except OSError:
            return f"the next load removes what it began (journal {journal_path(self.store_dir)})"

    def _wait(self) -> None:
        """Account for the flush in flight (in this thread: reports are not thread-safe)."""
        if self.loading is None:
            return
        spool, seconds, ok = self.loading.result()
        self.loading = None
        self.report.store_seconds += seconds
        docs = spool.docs
        if isinstance(ok, OSError):
            spool.discard()
            undone = self._undo_full_flush()
            for d in docs:
                d.ok, d.message = False, f"{d.path}: not loaded: the disk is full (bulk write; {undone})"
                self._failed(d)
            raise StoreFull(self.store_dir, ok, f"while bulk-writing {len(docs)} document(s)")
        if not ok:
            try:
                for i, d in enumerate(docs):
                    d.nquads = spool.text(d.graph_iri)
                    try:
                        self._replace(d)
                    except StoreFull:
                        self.unwritten = docs[i + 1:]
                        raise
            finally:
                spool.discard()
            return
        spool.discard()
        self.report.bulk_loaded += len(docs)
        for d in docs:
            self.existing.add(d.graph_iri)
            self.report.loaded.append(d)
            self.on_result(d)


def store_prepared(store: ox.Store, store_dir: str | os.PathLike[str], docs: Iterable[Prepared],
                   bulk_threshold: int = BULK_THRESHOLD,
                   on_result: Callable[[Prepared], None] | None = None,
                   flush_quads: int = FLUSH_QUADS) -> LoadReport:
    """Store each prepared document as it arrives (``docs`` is consumed lazily). A full disk
    stops the load: the report then says so (``stopped``) and which documents were given
    but not attempted; ``docs`` is not consumed further. Raises StoreFull only when the
    disk is full before the first document."""
    writer = _Writer(store, store_dir, bulk_threshold, flush_quads, on_result)
    try:
        for doc in docs:
            writer.add(doc)
        return writer.finish()
    except StoreFull as full:
        return writer.stop(full)
    except BaseException:  # interrupted: let the flush in flight finish, journal and all
        writer.loader.shutdown(wait=True)
        if writer.spool is not None:  # never flushed: nothing of it is in the store
            writer.spool.discard()
        raise


def vocabulary_graph_iri(path: Path, base: str) -> str:
    """The graph a vocabulary file goes into: its owl:Ontology or skos:ConceptScheme IRI
    when it declares exactly one (so the ontology IRI dereferences to the whole file), else
    one derived from the file name."""
    text = path.read_bytes()
    found: set[str] = set()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = {"http://www.w3.org/2002/07/owl#Ontology", "http://www.w3.org/2004/02/skos/core#ConceptScheme"}
    for q in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base):
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode) and q.object.value in kinds \
                and isinstance(q.subject, ox.NamedNode):
            found.add(q.subject.value)
    if len(found) == 1:
        return found.pop()
    return f"{base}graph/vocabulary/{path.stem}"


def load_vocabulary(store: ox.Store, directory: Path, base: str) -> list[tuple[str, int]]:
    """(Re)load the ontology and code-list Turtle files so that their terms dereference."""
    out = []
    for path in sorted(directory.glob("*.ttl")):
        g = vocabulary_graph_iri(path, base)
        graph = ox.NamedNode(g)
        quads = (ox.Quad(q.subject, q.predicate, q.object, graph)
                 for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=base))
        nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        out.append((g, replace_graph(store, g, nq)))
    return out
