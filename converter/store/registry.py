"""The registry graph (``REGISTRY_GRAPH``): every cited document (bl:Document) once, with
its canonical number, issuer prefix, year, serial and finance flag. The documents' own
graphs state these facts, once per citing graph, so a list of all cited documents read
from them costs a pass over every citation in the store, which grows with the number of
documents loaded (funding-documents: 45 ms at 1,000 synthetic documents, and rising); read
from the registry it is one row per document.

Derived data: rebuilt from the document graphs in one update (one transaction on
Oxigraph) whenever the store is committed (converter/store/embedded.py ``commit``), after
bulk loads of converter output, and after ``load --endpoint`` / the Virtuoso bulk loader
have pushed their graphs. A document that stops being cited leaves it at the next rebuild.
The update is standard SPARQL 1.1 and has no ';' inside an operation, so isql can run each
operation as one statement."""

from __future__ import annotations

import pyoxigraph as ox

from converter.mapping.iris import REGISTRY_GRAPH, VOCAB

DESCRIPTION = ("Every document the disclosures cite, once, with its canonical number, issuer prefix, year, "
               "serial and finance flag: derived from the document graphs by budget-lod")
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
INSERT = f"""INSERT {{ GRAPH <{REGISTRY_GRAPH}> {{
  <{REGISTRY_GRAPH}> <http://purl.org/dc/terms/description> "{DESCRIPTION}"@en .
  ?document eli:id_local ?number . ?document bl:issuerPrefix ?issuerPrefix . ?document bl:documentYear ?year .
  ?document bl:serialNumber ?serial . ?document bl:financeDocument ?fiscal }} }}
WHERE {{ {_CITED_DOCUMENTS} }}"""
OPERATIONS = (CLEAR, _PREFIXES + INSERT)  # in this order
UPDATE = _PREFIXES + CLEAR + " ;\n" + INSERT  # both as one request (one transaction)
# is there a document for the registry to hold? (stops at the first)
_ANY_CITED = _PREFIXES + "ASK { " + _CITED_DOCUMENTS + " }"


_CITED = ox.NamedNode("http://data.europa.eu/eli/ontology#id_local")


def rebuild_registry(store: ox.Store) -> None:
    store.update(UPDATE)


def registry_missing(store: ox.Store) -> bool:
    """A store with documents for the registry but no registry (written before it existed,
    or by hand). A store without the registry graph rarely cites anything, so the query over
    the citations seldom runs."""
    if next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(REGISTRY_GRAPH))), None) is not None:
        return False
    return next(iter(store.quads_for_pattern(None, _CITED, None, None)), None) is not None and bool(store.query(_ANY_CITED))
