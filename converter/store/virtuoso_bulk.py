"""Loading documents into Virtuoso with its bulk loader instead of one SPARQL Update per
document: each document's N-Quads are written to a file in a directory the server may read
(DirsAllowed in virtuoso.ini), and over isql the loader clears the documents' graphs,
registers the files (``ld_dir``), loads them (``rdf_loader_run``) and makes the result
durable (``checkpoint``: the loader writes no transaction log).

A batch is not one transaction, so it is made to leave nothing half-written:
- a file is written under a temporary name and renamed, so the loader never reads a
  partial file;
- a re-load replaces: the graphs about to be loaded are cleared first;
- a file whose load fails (``ll_error`` in DB.DBA.LOAD_LIST) is that document's failure,
  reported with the file's name, and its graphs are cleared again (the loader may have
  inserted part of it before the error);
- the batch's files, its directory and its LOAD_LIST rows are removed afterwards, whatever
  happened, so the next ``ld_dir`` of a same-named file is not skipped as already listed.

One file per document: blank node labels are scoped to a file, and an error names one
document. Between the clear and the load a replaced document is briefly absent, as with
SPARQL Update's DROP + INSERT. ``rdf_loader_run`` loads every pending row of LOAD_LIST,
so two bulk loads into one server at the same time are not supported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ISQL_TIMEOUT = 3600.0  # seconds for one isql call; rdf_loader_run over a large batch is long
BATCH_QUADS = 1_000_000  # quads per bulk batch: bounds the disk the batch's files take
# an IRI goes into SPARQL <...> and a SQL string literal: refuse what could break out of either
_BAD_IRI = re.compile(r"[\s<>\"{}|^`\\']")


class BulkLoadError(Exception):
    """isql or the bulk loader failed for the whole batch (message says which step and why)."""


@dataclass
class Isql:
    """Virtuoso's interactive SQL client, fed a script on stdin. isql keeps going after a
    failed statement and exits 0, so failure is read from its '*** Error' lines."""

    address: str  # HOST:PORT of the server's SQL port (ServerPort in [Parameters])
    user: str = "dba"
    password: str = ""
    command: str = "isql-vt"  # Debian's name; upstream builds call it isql

    def run(self, script: str, what: str) -> str:
        args = [self.command, self.address, self.user, self.password,
                "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"]
        try:
            r = subprocess.run(args, input=script, capture_output=True, text=True, timeout=ISQL_TIMEOUT)
        except FileNotFoundError:
            raise BulkLoadError(f"{what}: isql command {self.command!r} not found "
                                f"(--isql-command; Debian's package virtuoso-opensource installs isql-vt)") from None
        except subprocess.TimeoutExpired:
            raise BulkLoadError(f"{what}: isql did not finish in {ISQL_TIMEOUT:.0f} s") from None
        errors = [line for line in (r.stderr + "\n" + r.stdout).splitlines() if line.startswith("*** Error")]
        if r.returncode != 0 or errors:
            detail = " ".join(errors) or (r.stderr.strip() or r.stdout.strip())[-300:]
            raise BulkLoadError(f"{what}: isql {self.address}: {detail}")
        return r.stdout


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def checked_iri(iri: str) -> str:
    if not iri or _BAD_IRI.search(iri):
        raise BulkLoadError(f"graph IRI {iri!r} cannot be written into a SPARQL/SQL statement")
    return iri


@dataclass
class BulkFile:
    """One document's file in a batch, and what became of it."""

    key: object  # the caller's handle for the document
    graphs: list[str]  # the graphs this file replaces (cleared before it is loaded)
    name: str
    quads: int
    error: str = ""  # "" when loaded


@dataclass
class BulkBatch:
    """The documents of one bulk load: files written as documents arrive, loaded by run()."""

    isql: Isql
    local_dir: Path  # where this process writes the batch's files
    server_dir: str  # the same directory as the Virtuoso server sees it
    files: list[BulkFile] = field(default_factory=list)

    @property
    def quads(self) -> int:
        return sum(f.quads for f in self.files)

    def holds_graph(self, graph: str) -> bool:
        return any(graph in f.graphs for f in self.files)

    def add(self, key: object, graphs: list[str], nquads: str | bytes) -> None:
        """Write one document's file: under a temporary name first, then renamed, so no
        reader (the loader, or a crash leaving it behind) ever sees half a file."""
        for g in graphs:
            checked_iri(g)
        self.local_dir.mkdir(parents=True, exist_ok=True)
        name = f"{len(self.files):06d}.nq"
        tmp = self.local_dir / (name + ".part")  # not matched by ld_dir's '*.nq'
        data = nquads if isinstance(nquads, bytes) else nquads.encode("utf-8")
        with open(tmp, "wb") as out:
            out.write(data)
            if data and not data.endswith(b"\n"):
                out.write(b"\n")
        os.replace(tmp, self.local_dir / name)
        quads = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        self.files.append(BulkFile(key, graphs, name, quads))

    def server_path(self, f: BulkFile) -> str:
        return f"{self.server_dir}/{f.name}"

    def run(self) -> list[BulkFile]:
        """Clear, register, load, check, clean up. Returns the files with .error set on the
        ones that failed; raises BulkLoadError when the batch as a whole could not be loaded
        (then every graph it touched has been cleared again, as far as the server answers)."""
        if not self.files:
            return []
        names = ", ".join(sql_string(self.server_path(f)) for f in self.files)
        try:
            self.isql.run(self._clear(g for f in self.files for g in f.graphs), "clear the graphs to be replaced")
            self.isql.run(f"ld_dir({sql_string(self.server_dir)}, '*.nq', 'urn:budgetlod:bulk-default');\n",
                          f"register {self.server_dir} with ld_dir (is it in DirsAllowed of virtuoso.ini?)")
            self._check_registered(names)
            self.isql.run("rdf_loader_run();\n", "rdf_loader_run")
            states = self._rows(names)
            for f in self.files:
                state, error = states.get(self.server_path(f), ("0", ""))
                # state 1 without an error is a loaded file: Virtuoso 7.2's loader rolls back the
                # 'done' mark of the file before one that fails, after that file was loaded
                if error:
                    f.error = f"bulk loader: {self.server_path(f)}: {error}"
                elif state not in ("1", "2"):
                    f.error = f"bulk loader: {self.server_path(f)}: not loaded (LOAD_LIST state {state})"
            failed = [g for f in self.files if f.error for g in f.graphs]
            if failed:  # the loader may have inserted the part before the error
                self.isql.run(self._clear(failed), "clear the graphs of files that failed")
            self.isql.run("checkpoint;\n", "checkpoint")
        except BulkLoadError:
            try:  # whatever part of the batch got in, take it out again
                self.isql.run(self._clear(g for f in self.files for g in f.graphs) + "checkpoint;\n",
                              "clear the graphs of a failed batch")
            except BulkLoadError:
                pass  # the server is unreachable; the first error is the one to report
            raise
        finally:
            self._clean_up(names)
        return self.files

    @staticmethod
    def _clear(graphs) -> str:
        return "".join(f"SPARQL CLEAR GRAPH <{checked_iri(g)}>;\n" for g in dict.fromkeys(graphs))

    def _rows(self, names: str) -> dict[str, tuple[str, str]]:
        out = self.isql.run(
            "SELECT concat('LL|', cast(ll_state AS varchar), '|', replace(coalesce(ll_error, ''), chr(10), ' '), '|', ll_file) "
            f"FROM DB.DBA.LOAD_LIST WHERE ll_file IN ({names});\n", "read DB.DBA.LOAD_LIST")
        rows: dict[str, tuple[str, str]] = {}
        for line in out.splitlines():
            if line.startswith("LL|"):
                _, state, rest = line.rstrip().split("|", 2)
                error, _, path = rest.rpartition("|")
                rows[path] = (state, error.strip())
        return rows

    def _check_registered(self, names: str) -> None:
        rows = self._rows(names)
        missing = [self.server_path(f) for f in self.files if self.server_path(f) not in rows]
        if missing:
            raise BulkLoadError(f"ld_dir registered {len(rows)} of {len(self.files)} file(s); "
                                f"the server does not see {missing[0]} (is --bulk-server-dir the path "
                                f"of --bulk-dir as the Virtuoso server sees it?)")

    def _clean_up(self, names: str) -> None:
        try:
            self.isql.run(f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file IN ({names});\n",
                          "remove the batch's rows from DB.DBA.LOAD_LIST")
        except BulkLoadError:
            pass  # rows left are harmless: the files are gone and the batch directory is never reused
        shutil.rmtree(self.local_dir, ignore_errors=True)


@dataclass
class BulkLoader:
    """Makes batches in their own subdirectory of the bulk directory: ld_dir then sees only
    this batch's files (never a user's global.graph or another load's files)."""

    isql: Isql
    local_dir: Path
    server_dir: str | None = None
    batch_quads: int = BATCH_QUADS
    _count: int = 0

    @property
    def _server(self) -> str:
        return (self.server_dir or str(Path(self.local_dir).resolve())).rstrip("/")

    def rebuild_registry(self, recipients: list) -> None:
        """The registry graph (converter/store/registry.py): the recipient rows (read from the
        server by the caller, ``RemoteStore.recipient_rows``) by the bulk loader, which clears
        the graph first, then the documents' INSERT over isql, one SPARQL statement."""
        import pyoxigraph as ox

        from converter.store.registry import INSERT_OPERATION, REGISTRY_GRAPH, recipient_quads

        batch = self.new_batch()
        rows = recipient_quads(recipients, described=bool(recipients))
        batch.add("registry", [REGISTRY_GRAPH], ox.serialize(rows, format=ox.RdfFormat.N_QUADS))
        failed = [f.error for f in batch.run() if f.error]
        if failed:
            raise BulkLoadError(f"the recipient rows of the registry graph: {failed[0]}")
        self.isql.run(f"SPARQL {' '.join(INSERT_OPERATION.split())};\n", "rebuild the registry graph")

    def preflight(self) -> None:
        """Before any document is converted: the server answers over isql, may read the
        bulk directory (DirsAllowed) and sees there the file this process writes (so
        --bulk-server-dir names the same directory)."""
        local = Path(self.local_dir)
        local.mkdir(parents=True, exist_ok=True)
        probe = f"budgetlod-probe-{os.getpid()}.txt"
        (local / probe).write_text("probe\n", encoding="utf-8")
        try:
            out = self.isql.run(f"SELECT concat('PROBE|', cast(position({sql_string(probe)}, "
                                f"sys_dirlist({sql_string(self._server)}, 1)) AS varchar));\n",
                                f"list {self._server} on the server (is it in DirsAllowed of virtuoso.ini?)")
        finally:
            (local / probe).unlink(missing_ok=True)
        seen = [line.split("|", 1)[1].strip() for line in out.splitlines() if line.startswith("PROBE|")]
        if not seen or seen[0] in ("", "0"):
            raise BulkLoadError(f"the server does not see {probe} written to {local} in its {self._server}; "
                                f"--bulk-server-dir must be --bulk-dir as the Virtuoso server sees it")

    def new_batch(self) -> BulkBatch:
        self._count += 1
        sub = f"budgetlod-{os.getpid()}-{int(time.time() * 1000)}-{self._count}"
        return BulkBatch(self.isql, Path(self.local_dir) / sub, f"{self._server}/{sub}")


def parse_isql_address(text: str) -> str:
    """HOST:PORT or PORT (localhost) of the server's SQL port."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--isql {text!r}: expected HOST:PORT (Virtuoso's SQL port, e.g. localhost:1111)")
    return f"{host or 'localhost'}:{port}"
