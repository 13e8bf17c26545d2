"""Release metadata: VoID and DCAT (Turtle), the README and SHA256SUMS.

Everything here is a function of the release's files and the store's content: no clock,
no host name. The only dates are the fiscal years the sources state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from converter.dumps import config as C
from converter.dumps.csvs import CsvQuery
from converter.dumps.rdf import GraphInfo, RdfSummary
from converter.mapping.iris import REGISTRY_GRAPH
from converter.mapping.vocab import PREFIXES

CHUNK = 1 << 20


@dataclass
class FileRecord:
    path: str  # release-relative, '/'-separated
    size: int
    sha256: str
    media_type: str
    compress: str | None
    triples: int | None = None
    rows: int | None = None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def file_record(root: Path, rel: str) -> FileRecord:
    p = root / rel
    mt, comp = C.media_type(rel)
    return FileRecord(rel, p.stat().st_size, sha256_file(p), mt, comp)


def list_files(root: Path) -> list[str]:
    """Every regular file under ``root`` as sorted release-relative paths."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def sha256sums(records: list[FileRecord]) -> bytes:
    """`sha256sum -c` format: '<hex>  <path>' (two spaces: text mode), sorted by path."""
    return "".join(f"{r.sha256}  {r.path}\n" for r in sorted(records, key=lambda r: r.path)).encode("utf-8")


# ---- Turtle writing

def lit(value: str | int, datatype: str | None = None, lang: str | None = None) -> str:
    if isinstance(value, int) and datatype is None:
        datatype = "http://www.w3.org/2001/XMLSchema#integer"
    if lang:
        return str(ox.Literal(str(value), language=lang))
    if datatype:
        return str(ox.Literal(str(value), datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(str(value)))


def ref(iri: str) -> str:
    return str(ox.NamedNode(iri))


XSD = "http://www.w3.org/2001/XMLSchema#"
NNI = XSD + "nonNegativeInteger"


class Turtle:
    """A tiny deterministic Turtle writer: subject blocks in the order given."""

    def __init__(self, prefixes: list[str]) -> None:
        self.lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(prefixes)] + [""]

    def block(self, subject: str, props: list[tuple[str, list[str]]]) -> None:
        props = [(p, objs) for p, objs in props if objs]
        if not props:
            return
        self.lines.append(subject)
        for i, (p, objs) in enumerate(props):
            end = " ." if i == len(props) - 1 else " ;"
            self.lines.append(f"    {p} " + ", ".join(objs) + end)
        self.lines.append("")

    def text(self) -> bytes:
        return ("\n".join(self.lines).rstrip("\n") + "\n").encode("utf-8")


def checksum(sha: str) -> str:
    return ("[ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
            f"spdx:checksumValue {lit(sha, XSD + 'hexBinary')} ]")


@dataclass
class ReleaseContext:
    release_id: str
    base: str
    dataset: str
    release_url: str  # where this release's files are downloaded from (ends with '/')
    summary: RdfSummary
    files: list[FileRecord]  # data files (not the metadata files themselves)
    queries: list[CsvQuery]

    def url(self, rel: str) -> str:
        return self.release_url + rel

    def distribution(self, rel: str) -> str:
        return f"{self.base}dataset/release/{self.release_id}/{rel}"

    @property
    def documents(self) -> list[GraphInfo]:
        return [g for g in self.summary.graphs if g.is_document]

    def years(self) -> list[int]:
        return sorted({g.year for g in self.documents if g.year is not None})


def describe(rel: str, ctx: ReleaseContext) -> str:
    """One line saying what a release file holds."""
    s = ctx.summary
    if rel == "all.nq.gz":
        others = [g.iri for g in s.graphs if g.iri is not None and not g.is_document]
        parts = [f"the registry of cited documents and their recipients <{REGISTRY_GRAPH}> "
                 f"(which funding-documents and funding-recipients read)"] if REGISTRY_GRAPH in others else []
        if len(others) > len(parts):
            parts.append(f"{len(others) - len(parts)} other graph(s) such as the loaded vocabulary")
        extra = ", plus " + " and ".join(parts) if parts else ""
        return f"Every named graph (one per source document{extra}), N-Quads."
    if rel == "all.nt.gz":
        return "The merged graph: distinct triples of all graphs, N-Triples."
    if rel == "all.jsonld.gz":
        return "Every named graph as JSON-LD, referencing context.jsonld."
    if rel == "context.jsonld":
        return "The published JSON-LD @context (prefixes) of all.jsonld.gz."
    if rel.startswith("documents/"):
        g = next((g for g in s.graphs if g.turtle == rel), None)
        return f"Turtle of the named graph of source document {g.source_file}." if g else "Turtle of one source document."
    if rel.startswith("ontology/"):
        return "The budget-lod ontology / code lists (Turtle)."
    if rel.startswith("shapes/"):
        return "SHACL shapes used for validation (Turtle)."
    if rel.startswith(("by-region/", "by-year/")):
        kind, key = rel.split("/", 1)
        key = key.removesuffix(".nq.gz")
        members = s.partitions.get(kind, {}).get(key, [])
        what = "fiscal region" if kind == "by-region" else "fiscal year"
        label = key
        if kind == "by-region" and members and members[0].region_name:
            label = f"{key} ({members[0].region_name})"
        if kind == "by-year" and key == "undated":
            return f"Named graphs of the {len(members)} source document(s) without a stated fiscal year, N-Quads."
        return f"Named graphs of the {len(members)} source document(s) of {what} {label}, N-Quads."
    if rel.startswith("csv/"):
        q = next((q for q in ctx.queries if q.file == rel), None)
        return f"CSV table: {q.title}." if q else "CSV table."
    return ""


def partition_iri(ctx: ReleaseContext, kind: str, key: str) -> str:
    return f"{ctx.dataset}/{kind}/{key}"


def void_turtle(ctx: ReleaseContext) -> bytes:
    s = ctx.summary
    t = Turtle(["bl", "dct", "rdfs", "void", "xsd"])
    dumps = [ref(ctx.url(r.path)) for r in ctx.files if r.path in ("all.nq.gz", "all.nt.gz", "all.jsonld.gz")]
    used = set(s.properties) | set(s.classes)
    vocabularies = sorted({ns for ns in PREFIXES.values() if any(i.startswith(ns) for i in used)})
    subsets = [ref(g.iri) for g in s.graphs if g.iri is not None]
    subsets += [ref(partition_iri(ctx, kind, key)) for kind in sorted(s.partitions) for key in sorted(s.partitions[kind])]
    t.block(ref(ctx.dataset), [
        ("a", ["void:Dataset"]),
        ("dct:title", [lit(C.DATASET_TITLE_ZH, lang="zh"), lit(C.DATASET_TITLE_EN, lang="en")]),
        ("dct:license", [ref(C.LICENSE_IRI)]),
        ("void:uriSpace", [lit(ctx.base)]),
        ("void:feature", [ref("http://www.w3.org/ns/formats/" + f) for f in ("JSON-LD", "N-Quads", "N-Triples", "Turtle")]),
        ("void:dataDump", dumps),
        ("void:vocabulary", [ref(v) for v in vocabularies]),
        ("void:triples", [lit(s.triples)]),
        ("void:distinctSubjects", [lit(s.distinct_subjects)]),
        ("void:properties", [lit(len(s.properties))]),
        ("void:classes", [lit(len(s.classes))]),
        ("void:documents", [lit(len(ctx.documents))]),
        ("void:classPartition", [f"[ void:class {ref(c)} ; void:entities {lit(n)} ]" for c, n in sorted(s.classes.items())]),
        ("void:propertyPartition", [f"[ void:property {ref(p)} ; void:triples {lit(n)} ]"
                                    for p, n in sorted(s.properties.items())]),
        ("void:subset", subsets),
    ])
    for g in s.graphs:
        if g.iri is None:
            continue
        t.block(ref(g.iri), [
            ("a", ["void:Dataset"]),
            ("dct:source", [ref(g.source_iri)] if g.source_iri else []),
            ("dct:title", [lit(g.source_file)] if g.source_file else []),
            ("void:triples", [lit(g.triples)]),
            ("void:dataDump", [ref(ctx.url(g.turtle))] if g.turtle else []),
        ])
    for kind in sorted(s.partitions):
        for key, members in sorted(s.partitions[kind].items()):
            rel = f"{kind}/{key}.nq.gz"
            t.block(ref(partition_iri(ctx, kind, key)), [
                ("a", ["void:Dataset"]),
                ("rdfs:label", [lit(describe(rel, ctx), lang="en")]),
                ("void:triples", [lit(sum(m.triples for m in members))]),
                ("void:dataDump", [ref(ctx.url(rel))]),
                ("void:subset", [ref(m.iri) for m in members if m.iri]),
            ])
    return t.text()


def dcat_turtle(ctx: ReleaseContext) -> bytes:
    s = ctx.summary
    t = Turtle(["bl", "dcat", "dct", "owl", "prov", "spdx", "void", "xsd"])
    years = ctx.years()
    temporal = []
    if years:
        temporal = [f"[ a dct:PeriodOfTime ; dcat:startDate {lit(years[0], XSD + 'gYear')} ; "
                    f"dcat:endDate {lit(years[-1], XSD + 'gYear')} ]"]
    regions = sorted({g.region_iri for g in ctx.documents if g.region_iri})
    sources = sorted({g.source_iri for g in ctx.documents if g.source_iri})
    t.block(ref(ctx.dataset), [
        ("a", ["dcat:Dataset"]),
        ("dct:title", [lit(C.DATASET_TITLE_ZH, lang="zh"), lit(C.DATASET_TITLE_EN, lang="en")]),
        ("dct:description", [lit(C.DATASET_DESCRIPTION_EN, lang="en")]),
        ("dct:license", [ref(C.LICENSE_IRI)]),
        ("owl:versionInfo", [lit(ctx.release_id)]),
        ("dcat:version", [lit(ctx.release_id)]),
        ("dcat:landingPage", [ref(ctx.release_url)]),
        ("dct:temporal", temporal),
        ("dct:spatial", [ref(r) for r in regions]),
        ("dct:source", [ref(x) for x in sources]),
        ("void:triples", [lit(s.triples)]),
        ("dcat:distribution", [ref(ctx.distribution(r.path)) for r in ctx.files]),
    ])
    for r in ctx.files:
        props: list[tuple[str, list[str]]] = [
            ("a", ["dcat:Distribution"]),
            ("dct:title", [lit(r.path)]),
            ("dct:description", [lit(describe(r.path, ctx) + (f" {r.rows} rows." if r.rows is not None else ""), lang="en")]),
            ("dcat:downloadURL", [ref(ctx.url(r.path))]),
            ("dcat:accessURL", [ref(ctx.release_url)]),
            ("dcat:mediaType", [ref(C.IANA + r.media_type)]),
            ("dcat:compressFormat", [ref(C.IANA + r.compress)] if r.compress else []),
            ("dcat:byteSize", [lit(r.size, NNI)]),
            ("spdx:checksum", [checksum(r.sha256)]),
            ("dct:license", [ref(C.LICENSE_IRI)]),
            ("void:triples", [lit(r.triples)] if r.triples is not None else []),
            ("dct:conformsTo", [ref("https://www.rfc-editor.org/rfc/rfc4180")] if r.path.endswith(".csv") else []),
        ]
        t.block(ref(ctx.distribution(r.path)), props)
    for g in sorted(ctx.documents, key=lambda g: g.source_iri or ""):
        if not g.source_iri:
            continue
        t.block(ref(g.source_iri), [
            ("a", ["bl:SourceDocument", "prov:Entity"]),
            ("dct:title", [lit(g.source_file or "")]),
            ("bl:fileName", [lit(g.source_file or "")]),
            ("bl:sha256", [lit(g.sha256 or "")]),
            ("spdx:checksum", [checksum(g.sha256 or "")]),
            ("bl:fiscalYear", [lit(g.year)] if g.year is not None else []),
        ])
    return t.text()


# ---- README

def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def readme(ctx: ReleaseContext, metadata_files: list[str]) -> bytes:
    s = ctx.summary
    out: list[str] = []
    add = out.append
    add(f"# {C.DATASET_TITLE_EN} ({C.DATASET_TITLE_ZH})")
    add("")
    add(f"Release `{ctx.release_id}` of budget-lod: {len(ctx.documents)} source document(s), "
        f"{s.quads} quads in {sum(1 for g in s.graphs if g.iri)} named graph(s), "
        f"{s.triples} distinct triples.")
    add("")
    add(f"Licence: [{C.LICENSE_TITLE} ({C.LICENSE_NAME})]({C.LICENSE_IRI}) — data, tables and metadata alike.")
    add(f"Dataset IRI: <{ctx.dataset}>. Download location of this release: <{ctx.release_url}>.")
    add("")
    add("The release is a pure function of the store it was dumped from: dumping the same store again "
        "gives byte-identical files and the same release id (a hash of the content). No timestamps are "
        "recorded; the only dates are the fiscal years the sources state.")
    add("")
    add("## Verify")
    add("")
    add("```sh")
    add("sha256sum -c SHA256SUMS")
    add("```")
    add("")
    add("`dcat.ttl` records the same SHA-256 (spdx:checksum), byte size, media type and triple count "
        "for every file, and the SHA-256 of every source document.")
    add("")
    add("## Files")
    add("")
    add("| file | content | media type | size | triples / rows |")
    add("|---|---|---|---|---|")
    for r in ctx.files:
        media = r.media_type + (" (gzip)" if r.compress else "")
        count = str(r.triples) if r.triples is not None else (f"{r.rows} rows" if r.rows is not None else "")
        add(f"| `{r.path}` | {_md(describe(r.path, ctx))} | {media} | {_size(r.size)} | {count} |")
    for name, what in (("void.ttl", "VoID description: statistics, class and property partitions, subsets, dumps."),
                       ("dcat.ttl", "DCAT description: dataset, every distribution (size, media type, SHA-256, "
                                    "triples, licence), source documents with their SHA-256."),
                       ("README.md", "This file."),
                       ("SHA256SUMS", "SHA-256 of every other file, for `sha256sum -c`.")):
        if name in metadata_files or name in ("README.md", "SHA256SUMS"):
            add(f"| `{name}` | {what} | {C.media_type(name)[0]} |  |  |")
    add("")
    add("Order: graphs by IRI; within a graph, N-Triples lines sorted by code point. `all.nq.gz` keeps each "
        "graph's quads together. Gzip files carry no name and no time stamp.")
    add("")
    add("## Loading")
    add("")
    add("```python")
    add("import pyoxigraph, gzip")
    add("store = pyoxigraph.Store()")
    add("store.bulk_load(gzip.open('all.nq.gz').read(), format=pyoxigraph.RdfFormat.N_QUADS)")
    add("")
    add("import pandas, decimal")
    add("flows = pandas.read_csv('csv/funding_flows.csv', dtype=str, keep_default_na=False)  # exact text")
    add("flows['amount'] = flows['amount'].map(lambda v: decimal.Decimal(v) if v else None)")
    add("```")
    add("")
    add("`all.jsonld.gz` refers to its context as `context.jsonld` (a relative reference): keep the two "
        "files side by side, or resolve it against the download location.")
    add("")
    if s.partitions:
        add("## Partitions")
        add("")
        for kind in sorted(s.partitions):
            add(f"- `{kind}/`: " + ", ".join(
                f"`{key}.nq.gz` ({len(m)} document(s)"
                + (f", {m[0].region_name}" if kind == "by-region" and m and m[0].region_name else "") + ")"
                for key, m in sorted(s.partitions[kind].items())))
        add("")
        add("A document without a stated fiscal year is in `by-year/undated.nq.gz`; region keys are the "
            "6-digit fiscal region codes (a region without a known code gets `region-<hash>`).")
        add("")
    add("## CSV tables")
    add("")
    add("UTF-8 (no byte-order mark), comma-separated, RFC 4180 quoting and CRLF line ends, one header row. "
        "An empty cell means the source does not state the value (never zero). Amounts are in 万元 "
        "(10,000 yuan) as exact decimal strings with at least two decimal places — read them as text "
        "or `decimal.Decimal`, not as floats. Rows are sorted by their cells in column order. Each table "
        "is produced by the SPARQL query of the same name in `converter/dumps/queries/`, so it can be "
        "reproduced against the SPARQL endpoint.")
    add("")
    for q in ctx.queries:
        rows = next((r.rows for r in ctx.files if r.path == q.file), None)
        add(f"### `{q.file}` — {q.title}" + (f" ({rows} rows)" if rows is not None else ""))
        add("")
        if q.description:
            add(q.description)
            add("")
        add("| column | type | meaning |")
        add("|---|---|---|")
        for c in q.columns:
            add(f"| `{c.name}` | {c.type} | {_md(c.doc)} |")
        add("")
    add("Types: `text` as printed; `integer`; `decimal` exact canonical decimal; `money` exact decimal, "
        "万元, at least two places; `boolean` true/false; `iri` an IRI of the graph (dereferenceable at "
        "the endpoint); `list` several values, sorted, separated by a space (or ` | ` when values may "
        "contain spaces).")
    add("")
    add("## Source documents")
    add("")
    add("| file | SHA-256 | fiscal year | department | triples | Turtle |")
    add("|---|---|---|---|---|---|")
    for g in sorted(ctx.documents, key=lambda g: (g.source_file or "", g.sha256 or "")):
        add(f"| {_md(g.source_file or '')} | `{g.sha256}` | {g.year if g.year is not None else ''} | "
            f"{_md(g.department_name or '')} | {g.triples} | `{g.turtle or ''}` |")
    add("")
    return ("\n".join(out)).encode("utf-8")
