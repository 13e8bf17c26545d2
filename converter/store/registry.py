"""The registry graph (``REGISTRY_GRAPH``): derived data that canned queries read instead of
a pass over every document graph.

- Every cited document (bl:Document) once, with its canonical number, issuer prefix, year,
  serial and finance flag. The documents' own graphs state these facts, once per citing
  graph, so a list of all cited documents read from them costs a pass over every citation
  in the store, which grows with the number of documents loaded (funding-documents: 45 ms
  at 1,000 synthetic documents, and rising); read from the registry it is one row per
  document.
- Every row of funding-recipients (a project citing a document, with the department, names,
  year and budget its citing graph states), numbered through the registry by document and
  then in the answer's order (year, department name, project code, project name). The
  numbers of a document's rows are stated of the document (``bl:recipientOrder``), each row
  states its own (``bl:recipientNumber``): a page scans the document's numbers in one index range,
  sorts integers and looks up its own rows, where a join over the citing graphs read and
  sorted every row for each page (826 rows for the most cited synthetic document at 10,000
  documents: ~42 ms of join and sort on Oxigraph). The numbers need the whole answer
  sorted, so they are computed here, in Python: SPARQL has no row number. They change at
  every rebuild; the rows' IRIs (``…/cited-documents/recipient/N``) with them.
- Every cited document's count of departments and total budget over those rows
  (``bl:recipientCount``, ``bl:recipientTotal``), which funding-documents lists: joined
  per page with every citing graph and grouped, they cost 74 ms a page at 10,000 documents.

Rebuilt from the document graphs whenever the store is committed (converter/store/embedded.py
``commit``), after bulk loads of converter output, and after ``load --endpoint`` / the
Virtuoso bulk loader have pushed their graphs. A document that stops being cited leaves it at
the next rebuild. The registry's description (``dcterms:description`` of the graph) is
written last, after the recipient rows (on the embedded store, once the bulk load of the rest
is done): a registry without it is incomplete, and ``registry_missing`` says so. The update is standard SPARQL 1.1
and has no ';' inside an operation, so isql can run each operation as one statement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, groupby
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from converter.mapping.iris import REGISTRY_GRAPH, VOCAB

# a registry written without a fact this text names is another text: registry_missing then
# reports it, and load rebuilds it
DESCRIPTION = ("Every document the disclosures cite, once, with its canonical number, issuer prefix, year, "
               "serial and finance flag, every project citing it (the rows of funding-recipients, "
               "numbered in their order), and the count of their departments and the sum of their "
               "budgets: derived from the document graphs by budget-lod")
_PREFIXES = f"PREFIX bl: <{VOCAB}>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
CLEAR = f"CLEAR SILENT GRAPH <{REGISTRY_GRAPH}>"
# a document with all five facts, as funding-documents lists them; one DISTINCT subquery per
# fact (each a single pattern over the graphs, which Oxigraph answers fast; a join of the five
# inside one GRAPH pattern took 1 s at 1,000 documents)
_CITED_DOCUMENTS = "\n".join(
    f"{{ SELECT DISTINCT ?document ?{v} WHERE {{ GRAPH ?g{k} {{ ?document {p} ?{v} }} FILTER(?g{k} != <{REGISTRY_GRAPH}>) }} }}"
    for k, (p, v) in enumerate((("eli:id_local", "number"), ("bl:issuerPrefix", "issuerPrefix"),
                                ("bl:documentYear", "year"), ("bl:serialNumber", "serial"),
                                ("bl:financeDocument", "fiscal")), 1))
_FACTS = ("?document eli:id_local ?number . ?document bl:issuerPrefix ?issuerPrefix . ?document bl:documentYear ?year .\n"
          "  ?document bl:serialNumber ?serial . ?document bl:financeDocument ?fiscal")
INSERT = f"INSERT {{ GRAPH <{REGISTRY_GRAPH}> {{\n  {_FACTS} }} }}\nWHERE {{ {_CITED_DOCUMENTS} }}"
# the same facts as triples, for the embedded store's bulk write (rebuild_registry)
FACTS = f"{_PREFIXES}CONSTRUCT {{\n  {_FACTS} }}\nWHERE {{ {_CITED_DOCUMENTS} }}"
INSERT_OPERATION = _PREFIXES + INSERT  # alone, after the bulk loader has cleared and filled the graph
UPDATE = _PREFIXES + CLEAR + " ;\n" + INSERT  # both as one request (one transaction)
# is there a document for the registry to hold? (stops at the first)
_ANY_CITED = _PREFIXES + "ASK { " + _CITED_DOCUMENTS + " }"

# The rows of funding-recipients for every cited document at once: within the citing graph,
# the project's department, the name that graph prints for it, the project's year, code,
# name and budget. DISTINCT: a document stated by several graphs gives each row once.
_RECIPIENTS_PREFIXES = _PREFIXES + ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                                     "PREFIX dcterms: <http://purl.org/dc/terms/>\n")
_RECIPIENTS_WHERE = """WHERE {
  %s
  GRAPH ?g {
    ?project dcterms:references ?document ;
             bl:department ?department ;
             bl:projectName ?projectName .
    ?document eli:id_local ?number .
    ?department skos:prefLabel ?departmentName .
    OPTIONAL { ?project bl:fiscalYear ?year }
    OPTIONAL { ?project bl:projectCode ?projectCode }
    OPTIONAL { ?project bl:amountWan ?amount }
  }
  FILTER(?g != <%s>)
}"""
_RECIPIENTS_SELECT = "SELECT DISTINCT ?document ?number ?department ?departmentName ?year ?project ?projectCode ?projectName ?amount\n"
# every citation at once: the reference the block reads below are tested against
RECIPIENTS = _RECIPIENTS_PREFIXES + _RECIPIENTS_SELECT + _RECIPIENTS_WHERE % ("", REGISTRY_GRAPH)
# cited documents per read of their rows. The query over every citation at once is planned
# without a start: 2.4 s at 1,000 synthetic documents, ~12 min at 10,000; bound by VALUES to a
# block of documents it starts from their citations (1,000 documents: 0.96 s in blocks)
RECIPIENT_BLOCK = 200


def recipient_block_queries(documents: list[str]) -> tuple[str, str]:
    """RECIPIENTS for the given cited documents (IRIs), and the count of its rows."""
    values = "VALUES ?document { " + " ".join(f"<{d}>" for d in documents) + " }"
    where = _RECIPIENTS_WHERE % (values, REGISTRY_GRAPH)
    rows = _RECIPIENTS_PREFIXES + _RECIPIENTS_SELECT + where
    count = (_RECIPIENTS_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { " + _RECIPIENTS_SELECT + where + " }")
    return rows, count


def cited_documents_query(count: bool = False) -> str:
    """The documents some project cites (or their count)."""
    inner = ("SELECT DISTINCT ?document WHERE { GRAPH ?g { ?project dcterms:references ?document } "
             f"FILTER(?g != <{REGISTRY_GRAPH}>) }}")
    return _RECIPIENTS_PREFIXES + (f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}" if count else inner)
RECIPIENT_FIELDS = ("document", "number", "department", "departmentName", "year", "project", "projectCode",
                    "projectName", "amount")
# row property per field (the document is bl:recipientOf; its number is stated of the
# document, as for every registered document)
RECIPIENT_PROPERTY = {
    "document": "recipientOf", "department": "recipientDepartment", "departmentName": "recipientDepartmentName",
    "year": "recipientYear", "project": "recipientProject", "projectCode": "recipientProjectCode",
    "projectName": "recipientProjectName", "amount": "recipientAmount",
}
ROW_BASE = REGISTRY_GRAPH + "/recipient/"
_GRAPH = ox.NamedNode(REGISTRY_GRAPH)
_ROW_ORDER = ox.NamedNode(VOCAB + "recipientOrder")
# the row's own number: a property of its own, as Virtuoso finds a (property, value) pair
# across every graph first, and bl:order's small numbers are in every document's graph
_ROW_NUMBER = ox.NamedNode(VOCAB + "recipientNumber")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
_COUNT = ox.NamedNode(VOCAB + "recipientCount")
_TOTAL = ox.NamedNode(VOCAB + "recipientTotal")
_CITED = ox.NamedNode("http://data.europa.eu/eli/ontology#id_local")
_DESCRIBED = ox.Quad(_GRAPH, ox.NamedNode("http://purl.org/dc/terms/description"),
                     ox.Literal(DESCRIPTION, language="en"), _GRAPH)


@dataclass(frozen=True)
class Recipient:
    """One row of funding-recipients: field name -> term (None where the graph states none)."""

    terms: tuple[ox.NamedNode | ox.Literal | None, ...]  # in RECIPIENT_FIELDS order

    def get(self, field: str) -> ox.NamedNode | ox.Literal | None:
        return self.terms[RECIPIENT_FIELDS.index(field)]


def _year_key(term: ox.Literal | None) -> tuple:
    # SPARQL ORDER BY: an unbound year first, then numbers by value (bl:fiscalYear is xsd:integer)
    if term is None:
        return (0, 0, "")
    try:
        return (1, int(term.value), "")
    except ValueError:
        return (2, 0, term.value)


def order_key(row: Recipient) -> tuple:
    """funding-recipients' order: year, then department name, project code (an unbound code
    first) and project name compared in turn, as SPARQL compares strings (by code point, as
    Python does); then the rest of the row, so that equal keys still order one way."""
    name, code, project_name = (row.get(f) for f in ("departmentName", "projectCode", "projectName"))
    rest = tuple("" if t is None else str(t) for t in row.terms)
    return (_year_key(row.get("year")), name.value, "" if code is None else code.value,
            project_name.value, rest)


def recipient_rows(solutions: Iterable) -> list[Recipient]:
    """The RECIPIENTS solutions as rows, by document (IRI) and then in funding-recipients'
    order."""
    rows = [Recipient(tuple(s[f] for f in RECIPIENT_FIELDS)) for s in solutions]
    rows.sort(key=lambda row: (row.get("document").value, order_key(row)))
    return rows


def read_recipient_rows(select: Callable[[str], list], documents: list[str],
                        check: Callable[[list, str], None] | None = None) -> list[Recipient]:
    """The rows of the given cited documents (IRIs), read a block of documents at a time by
    ``select`` (a SELECT's text -> its solutions); ``check`` gets each block's solutions and
    the query counting them (a remote service's row cap)."""
    solutions: list = []
    for i in range(0, len(documents), RECIPIENT_BLOCK):
        rows_query, count_query = recipient_block_queries(documents[i:i + RECIPIENT_BLOCK])
        got = select(rows_query)
        if check is not None:
            check(got, count_query)
        solutions += got
    return recipient_rows(solutions)


def _decimal_lexical(value: Decimal) -> str:
    # the form Oxigraph gives a SUM of decimals (no exponent, no trailing zeros: 600, 12.35)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def summary_quads(document: ox.NamedNode, rows: list[Recipient]) -> Iterator[ox.Quad]:
    """What funding-documents says of a cited document: the number of departments in its
    funding-recipients rows and the sum of their budgets, each (project, department, budget)
    once however many rows (names, years) state it, a budget the graph does not state
    counted 0. Summed here with Decimal, as SPARQL sums xsd:decimal exactly."""
    stated = {(row.get("project").value, row.get("department").value,
               Decimal(0) if row.get("amount") is None else Decimal(row.get("amount").value)) for row in rows}
    departments = {department for _, department, _ in stated}
    total = sum((amount for _, _, amount in stated), Decimal(0))
    yield ox.Quad(document, _COUNT, ox.Literal(str(len(departments)), datatype=_INTEGER), _GRAPH)
    yield ox.Quad(document, _TOTAL, ox.Literal(_decimal_lexical(total), datatype=_DECIMAL), _GRAPH)


def recipient_quads(rows: Iterable[Recipient], described: bool = True) -> Iterator[ox.Quad]:
    """The registry's recipient rows (``recipient_rows``) numbered 1.. through the registry
    (so a document's rows have consecutive numbers in its answer's order): the numbers of a
    document's rows stated of the document (``bl:recipientOrder``: a page scans them in one
    index range and sorts integers), each row found by its number (``bl:recipientNumber``: one index
    seek) and stating its fields; each document's count of departments and total
    (``summary_quads``), which funding-documents reads instead of joining a page's documents
    with every citing graph; the registry's description last (it marks the registry
    complete; ``described`` False: a registry with nothing to hold is no graph at all)."""
    n = 0
    for _, group in groupby(rows, key=lambda row: row.get("document").value):
        of_document = list(group)
        document = of_document[0].get("document")
        # a document cited without all five registry facts is still found by its number
        yield ox.Quad(document, _CITED, of_document[0].get("number"), _GRAPH)
        yield from summary_quads(document, of_document)
        for row in of_document:
            n += 1
            number = ox.Literal(str(n), datatype=_INTEGER)
            node = ox.NamedNode(f"{ROW_BASE}{n}")
            yield ox.Quad(document, _ROW_ORDER, number, _GRAPH)
            yield ox.Quad(node, _ROW_NUMBER, number, _GRAPH)
            for field, term in zip(RECIPIENT_FIELDS, row.terms):
                if term is not None and field != "number":
                    yield ox.Quad(node, ox.NamedNode(VOCAB + RECIPIENT_PROPERTY[field]), term, _GRAPH)
    if described:
        yield _DESCRIBED


def rebuild_registry(store: ox.Store) -> None:
    """The registry from the store's document graphs, written by Oxigraph's bulk loader: the
    documents' facts (``FACTS``) and the recipient rows are read before the graph is cleared
    (they never read it), then written in one bulk call that ends with the description. A
    transaction of the same quads (1,000 documents: 54,000) went through the memtable and left
    level-0 files whose compaction rewrote ~300 MB of the bulk-loaded store uncompressed
    (1.17x the bare store, against 1.0x). The bulk loader is not atomic and may write its
    batches in any order, but nothing reads the store being loaded (a server reopens its
    read-only handle after the commit), and the description is added on its own after it: a
    stop before that leaves a registry ``registry_missing`` reports."""
    documents = sorted(s["document"].value for s in store.query(cited_documents_query()))
    rows = read_recipient_rows(lambda query: list(store.query(query)), documents)
    facts = [ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in store.query(FACTS)]
    if next(iter(store.quads_for_pattern(None, None, None, _GRAPH)), None) is not None:
        store.update(CLEAR)
    if facts or rows:
        store.bulk_extend(chain(facts, recipient_quads(rows, described=False)))
        store.add(_DESCRIBED)


def registry_missing(store: ox.Store) -> bool:
    """A store with documents for the registry but no complete registry (written before it
    existed or before it held the recipient rows, by hand, or stopped between its two
    writes). A store without the registry graph rarely cites anything, so the query over
    the citations seldom runs."""
    if next(iter(store.quads_for_pattern(_GRAPH, _DESCRIBED.predicate, _DESCRIBED.object, _GRAPH)), None) is not None:
        return False
    return next(iter(store.quads_for_pattern(None, _CITED, None, None)), None) is not None and bool(store.query(_ANY_CITED))

