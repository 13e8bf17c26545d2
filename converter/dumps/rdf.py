"""The RDF files of a release, written in one pass over the store's graphs.

Order (byte-determinism): graphs by IRI (the default graph, if not empty, first), and
within a graph the N-Triples lines sorted as UTF-8 bytes (== code-point order). Every
file is a pure function of the store's content."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from converter.mapping.vocab import PREFIXES
from converter.dumps.gz import GzipWriter, ThreadedGzipWriter
from converter.mapping.iris import VOCAB
from converter.sortmerge import SortedLines

BL = VOCAB
RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SPILL_LINES = 2_000_000  # distinct merged triples held in memory before a sorted run is spilled
CONTEXT_FILE = "context.jsonld"


@dataclass
class GraphInfo:
    """One graph of the store; document graphs carry their source's metadata."""

    iri: str | None  # None: the default graph
    triples: int = 0
    source_iri: str | None = None
    source_file: str | None = None
    sha256: str | None = None
    kind: str | None = None
    year: int | None = None
    region_iri: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    department_name: str | None = None
    turtle: str | None = None  # release-relative path of the document's Turtle file

    @property
    def is_document(self) -> bool:
        return self.sha256 is not None

    @property
    def year_key(self) -> str:
        return str(self.year) if self.year is not None else "undated"

    @property
    def region_key(self) -> str:
        if self.region_code:
            return self.region_code
        if self.region_iri:  # ASCII-safe and stable, named in the README
            return "region-" + hashlib.sha256(self.region_iri.encode()).hexdigest()[:12]
        return "unknown"


@dataclass
class RdfSummary:
    graphs: list[GraphInfo]
    quads: int = 0
    triples: int = 0  # distinct triples of the merged graph
    distinct_subjects: int = 0
    classes: dict[str, int] = field(default_factory=dict)  # class -> typed entities
    properties: dict[str, int] = field(default_factory=dict)  # property -> triples
    blank_nodes: bool = False
    file_triples: dict[str, int] = field(default_factory=dict)  # release path -> triples
    partitions: dict[str, dict[str, list[GraphInfo]]] = field(default_factory=dict)  # kind -> key -> graphs
    # wall seconds from the start of the pass until each file was complete (for benchmarks
    # and the command's report; never written into the release)
    seconds: dict[str, float] = field(default_factory=dict)


# ---- reading the store

_DOCS_QUERY = """
PREFIX bl: <%(bl)s>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?src ?file ?sha ?kind ?year ?region ?regionName ?deptName WHERE {
  GRAPH ?g {
    ?g a bl:DocumentGraph ; prov:wasDerivedFrom ?src .
    ?src bl:fileName ?file ; bl:sha256 ?sha .
    OPTIONAL { ?src dct:type ?kind }
    OPTIONAL { ?src bl:fiscalYear ?year }
    OPTIONAL { ?src bl:describesBudget/bl:department ?dept .
               OPTIONAL { ?dept skos:prefLabel ?deptName }
               OPTIONAL { ?dept bl:region ?region . OPTIONAL { ?region skos:prefLabel ?regionName } } }
  }
}""" % {"bl": BL}

# Nothing is stored in the default graph (queries take the union of the named graphs, see
# converter/store/embedded.py); a store written before issue 14 held the RDF merge of its
# named graphs there: derived data, so dumps leave it out. Only default-graph triples that no
# named graph states are dumped (as default-graph quads).
_DEFAULT_EXTRA_WHERE = "WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_DEFAULT_EXTRA_ASK = "ASK " + _DEFAULT_EXTRA_WHERE
_DEFAULT_EXTRA = "SELECT ?s ?p ?o " + _DEFAULT_EXTRA_WHERE

_REGION_CODES = "PREFIX bl: <%s> SELECT DISTINCT ?r ?code WHERE { GRAPH ?g { ?r a bl:Region ; bl:regionCode ?code } }" % BL


def _val(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def graph_infos(store: ox.Store) -> list[GraphInfo]:
    """Every graph of the store, sorted; document graphs with their source metadata."""
    infos: dict[str | None, GraphInfo] = {}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode):
            infos[g.value] = GraphInfo(g.value)
    codes: dict[str, str] = {}
    for row in store.query(_REGION_CODES):
        r, c = row["r"].value, row["code"].value
        codes[r] = min(c, codes.get(r, c))
    # several rows per graph can come back (two labels...): keep the smallest value of each
    for row in store.query(_DOCS_QUERY):
        info = infos.get(row["g"].value)
        if info is None:
            continue
        for attr, var in (("source_iri", "src"), ("source_file", "file"), ("sha256", "sha"), ("kind", "kind"),
                          ("region_iri", "region"), ("region_name", "regionName"), ("department_name", "deptName")):
            v = _val(row[var])
            if v is not None and (getattr(info, attr) is None or v < getattr(info, attr)):
                setattr(info, attr, v)
        y = _val(row["year"])
        if y is not None and (info.year is None or int(y) < info.year):
            info.year = int(y)
    for info in infos.values():
        if info.region_iri:
            info.region_code = codes.get(info.region_iri)
        if info.kind:
            info.kind = info.kind.rstrip("/").rsplit("/", 1)[-1]
    return sorted(infos.values(), key=lambda i: (i.iri is not None, i.iri or ""))


def graph_lines(store: ox.Store, info: GraphInfo) -> list[bytes]:
    """A named graph's triples as sorted N-Triples lines (each ending in b' .\\n')."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(info.iri)) or b""
    lines = data.splitlines(keepends=True)
    lines.sort()
    return lines


def default_graph_size(store: ox.Store) -> int:
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)


def default_graph_extra(store: ox.Store) -> list[bytes]:
    """Default-graph triples that no named graph states, as sorted N-Triples lines. Slow
    (one lookup per triple): only called when the default graph is not the plain merge."""
    if not store.query(_DEFAULT_EXTRA_ASK):
        return []
    return sorted(f"{r['s']} {r['p']} {r['o']} .\n".encode("utf-8") for r in store.query(_DEFAULT_EXTRA))


# ---- per-format writers

_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def turtle_name(info: GraphInfo, taken: set[str]) -> str:
    stem = Path(info.source_file or "").stem
    stem = _SAFE_STEM.sub("-", stem).strip("-.")[:80]
    name = f"documents/{stem + '_' if stem else ''}{(info.sha256 or '')[:12]}.ttl"
    if name in taken:
        name = f"documents/{info.sha256}.ttl"
    taken.add(name)
    return name


def turtle_bytes(lines: list[bytes]) -> bytes:
    """Turtle of sorted N-Triples lines, with the release's prefixes (sorted by name)."""
    triples = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    head: list[bytes] = []
    rest = body.splitlines(keepends=True)
    while rest and rest[0].startswith(b"@prefix "):
        head.append(rest.pop(0))
    return b"".join(sorted(head)) + b"".join(rest)


def context_document() -> dict:
    """The published JSON-LD @context: the release's prefixes."""
    return {"@context": {k: PREFIXES[k] for k in sorted(PREFIXES)}}


@lru_cache(maxsize=8)
def _key_patterns(prefixes: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[bytes], bytes]]:
    """Regexes that turn full-IRI keys of expanded JSON-LD into compact IRIs. A key is an
    unescaped '"' after '{' or ',' and before '":' -- an unescaped quote never occurs inside
    a JSON string, so literal values cannot match."""
    out = []
    for prefix, ns in sorted(prefixes, key=lambda kv: -len(kv[1])):
        pat = re.compile(rb'([{,])"' + re.escape(ns.encode()) + rb'([A-Za-z_][A-Za-z0-9_-]*)":')
        out.append((pat, rb'\1"' + prefix.encode() + rb':\2":'))
    xsd = next((k for k, ns in prefixes if ns == "http://www.w3.org/2001/XMLSchema#"), None)
    if xsd:
        out.append((re.compile(rb'"@type":"http://www\.w3\.org/2001/XMLSchema#([A-Za-z]+)"'),
                    b'"@type":"' + xsd.encode() + rb':\1"'))
    return out


def compact_keys(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """Expanded JSON-LD (Oxigraph's) with its property keys and datatypes written as compact
    IRIs of ``prefixes``; valid under a @context that declares those prefixes."""
    for pat, repl in _key_patterns(tuple(sorted(prefixes.items()))):
        expanded = pat.sub(repl, expanded)
    return expanded


def jsonld_graph(quads_blob: bytes) -> bytes:
    """One graph's sorted N-Quads as a JSON-LD graph object (Oxigraph's serializer, nodes
    in subject order), with properties and datatypes compacted by the release @context."""
    data = ox.serialize(ox.parse(quads_blob, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.JSON_LD) or b"[]"
    data = data.strip()
    assert data.startswith(b"[") and data.endswith(b"]")
    return compact_keys(data[1:-1], PREFIXES)


class JsonLdWriter:
    """Streams the dataset as one JSON-LD document that references ``context.jsonld``:
    each named graph is a ``{"@id": g, "@graph": [...]}`` object (default-graph nodes at the
    top level), keys as compact IRIs, literals as value objects (decimals keep their exact
    lexical form under ``"@type": "xsd:decimal"``)."""

    def __init__(self, out: GzipWriter) -> None:
        self.out = out
        self.first = True
        out.write(b'{"@context": "' + CONTEXT_FILE.encode() + b'",\n "@graph": [')

    def item(self, graph_object: bytes) -> None:
        if graph_object:
            self.out.write((b"\n  " if self.first else b",\n  ") + graph_object)
            self.first = False

    def close(self) -> None:
        self.out.write(b"]}\n")
        self.out.close()


# ---- the pass over the store

@dataclass
class GraphOutput:
    lines: list[bytes]  # sorted N-Triples
    quads: bytes  # the same as N-Quads
    jsonld: bytes = b""
    turtle: bytes | None = None


def render_quads(store: ox.Store, info: GraphInfo, default_extra: list[bytes] | None) -> GraphOutput:
    """One graph's sorted lines as N-Triples and N-Quads; runs in worker threads (Oxigraph
    releases the GIL while it reads and serializes)."""
    lines = graph_lines(store, info) if info.iri is not None else list(default_extra or [])
    if info.iri is None:
        quads = b"".join(lines)
    else:
        suffix = b" <" + info.iri.encode("utf-8") + b"> .\n"
        quads = b"".join([line[:-3] + suffix for line in lines])
    return GraphOutput(lines, quads)


def render_formats(store: ox.Store, info: GraphInfo, default_extra: list[bytes] | None) -> GraphOutput:
    """render_quads plus the graph's JSON-LD object and (a document's) Turtle file."""
    out = render_quads(store, info, default_extra)
    out.jsonld = jsonld_graph(out.quads)
    out.turtle = turtle_bytes(out.lines) if info.is_document else None
    return out


def ordered_map(fn: Callable[[GraphInfo], GraphOutput], items: list[GraphInfo], workers: int,
                ahead: int) -> Iterator[tuple[GraphInfo, GraphOutput]]:
    """fn over items in worker threads, results in input order, at most ``ahead`` pending."""
    if workers <= 1:
        for it in items:
            yield it, fn(it)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dump") as pool:
        pending: deque[tuple[GraphInfo, Future[GraphOutput]]] = deque()
        for it in items:
            pending.append((it, pool.submit(fn, it)))
            if len(pending) >= ahead:
                head, fut = pending.popleft()
                yield head, fut.result()
        while pending:
            head, fut = pending.popleft()
            yield head, fut.result()


def write_rdf(store: ox.Store, out: Path, scratch: Path, default_extra: list[bytes] | None = None,
              workers: int | None = None) -> RdfSummary:
    """Write the RDF files. ``default_extra``: default-graph triples to dump as such (first);
    the store's default graph is otherwise taken to be the merge of its named graphs."""
    graphs = graph_infos(store)
    if default_extra:
        graphs.insert(0, GraphInfo(None))
    summary = RdfSummary(graphs)
    docs = [g for g in graphs if g.is_document]
    # partitions only where the corpus spans several keys
    for kind, key in (("by-region", lambda g: g.region_key), ("by-year", lambda g: g.year_key)):
        groups: dict[str, list[GraphInfo]] = {}
        for g in docs:
            groups.setdefault(key(g), []).append(g)
        if len(groups) > 1:
            summary.partitions[kind] = groups
    part_of: dict[str | None, list[str]] = {}
    for kind, groups in summary.partitions.items():
        for k, members in groups.items():
            for g in members:
                part_of.setdefault(g.iri, []).append(f"{kind}/{k}.nq.gz")
    (out / "documents").mkdir(parents=True, exist_ok=True)
    for kind in summary.partitions:
        (out / kind).mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for info in docs:  # names fixed up front, in graph order
        info.turtle = turtle_name(info, taken)

    workers = workers or min(4, (os.cpu_count() or 1) + 1)
    started = time.perf_counter()
    # first the two files most users want, straight from the store: every quad, then the
    # merged graph; the other formats after them, in a second pass over the graphs
    merged = SortedLines(scratch, SPILL_LINES)  # distinct triples across graphs, sorted
    with ThreadedGzipWriter(out / "all.nq.gz") as all_nq:
        quads = lambda info: render_quads(store, info, default_extra)  # noqa: E731
        for info, res in ordered_map(quads, graphs, workers, ahead=2 * workers):
            n = len(res.lines)
            info.triples = n
            summary.quads += n
            if not summary.blank_nodes and b"_:" in res.quads:
                summary.blank_nodes = any(line.startswith(b"_:") or b" _:" in line for line in res.lines)
            all_nq.write(res.quads)
            merged.add(res.lines)
    summary.seconds["all.nq.gz"] = time.perf_counter() - started
    summary.file_triples["all.nq.gz"] = summary.quads
    write_merged(out / "all.nt.gz", merged, summary)
    summary.seconds["all.nt.gz"] = time.perf_counter() - started

    jsonld = JsonLdWriter(ThreadedGzipWriter(out / "all.jsonld.gz"))
    parts: dict[str, GzipWriter] = {}
    counts: Counter[str] = Counter()
    try:
        formats = lambda info: render_formats(store, info, default_extra)  # noqa: E731
        for info, res in ordered_map(formats, graphs, workers, ahead=2 * workers):
            n = len(res.lines)
            for name in part_of.get(info.iri, []):
                if name not in parts:
                    parts[name] = ThreadedGzipWriter(out / name)
                parts[name].write(res.quads)
                counts[name] += n
            jsonld.item(res.jsonld)
            if info.turtle and res.turtle is not None:
                (out / info.turtle).write_bytes(res.turtle)
                summary.file_triples[info.turtle] = n
    finally:
        jsonld.close()
        for w in parts.values():
            w.close()
    summary.file_triples["all.jsonld.gz"] = summary.quads
    summary.file_triples.update(counts)
    summary.seconds["all"] = time.perf_counter() - started
    if summary.blank_nodes:
        print("warning: the store holds blank nodes; their labels are store-internal, so dumps "
              "are not guaranteed byte-identical across stores", file=sys.stderr)
    return summary


def write_merged(path: Path, merged: Iterable[bytes], summary: RdfSummary) -> None:
    """The merged graph (distinct triples of all graphs, sorted) as N-Triples, counting
    the VoID statistics on the way."""
    classes: Counter[str] = Counter()
    properties: Counter[bytes] = Counter()
    last_subject = None
    with ThreadedGzipWriter(path) as nt:
        buf: list[bytes] = []
        for line in merged:
            buf.append(line)
            s, p, rest = line.split(b" ", 2)
            if s != last_subject:
                summary.distinct_subjects += 1
                last_subject = s
            properties[p] += 1
            if p == RDF_TYPE and rest.startswith(b"<"):
                classes[rest[1:rest.index(b">")].decode()] += 1
            summary.triples += 1
            if len(buf) >= 50_000:
                nt.write(b"".join(buf))
                buf = []
        nt.write(b"".join(buf))
    summary.file_triples[path.name] = summary.triples
    summary.classes = dict(classes)
    summary.properties = {p[1:-1].decode(): n for p, n in properties.items()}


def write_context(out: Path) -> None:
    text = json.dumps(context_document(), ensure_ascii=False, indent=2) + "\n"
    (out / CONTEXT_FILE).write_bytes(text.encode("utf-8"))


def count_turtle_triples(path: Path, base: str) -> int | None:
    try:
        return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base))
    except (SyntaxError, OSError, ValueError):
        return None


def fsync_tree(root: Path) -> None:
    """Flush every file of the release before it is renamed into place."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
