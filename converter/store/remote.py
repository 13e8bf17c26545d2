"""Pushing named graphs to an external SPARQL 1.1 store: Graph Store Protocol PUT (one
request, atomic at the store) when a GSP URL is given, else SPARQL Update. Large graphs
go over Update in chunks into a staging graph that one MOVE puts in place, so readers never
see a half-loaded document."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from converter.store.embedded import parse_nquads

CHUNK = 1000  # triples per INSERT DATA: Virtuoso rejects very long generated SQL


class RemoteStoreError(Exception):
    """An external store refused or failed an update (message names the store and why)."""


@dataclass
class RemoteStore:
    update_url: str
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth_scheme: str = "digest"  # Virtuoso's authenticated endpoints use HTTP digest
    timeout: float = 120.0

    def client(self) -> httpx.Client:
        auth: httpx.Auth | None = None
        if self.user:
            cls = httpx.DigestAuth if self.auth_scheme == "digest" else httpx.BasicAuth
            auth = cls(self.user, self.password or "")
        return httpx.Client(auth=auth, timeout=self.timeout)

    def _check(self, resp: httpx.Response, what: str) -> None:
        if resp.status_code >= 300:
            raise RemoteStoreError(f"{what}: HTTP {resp.status_code}: {resp.text.strip()[:300]}")

    def _update(self, client: httpx.Client, update: str, what: str) -> None:
        resp = client.post(self.update_url, data={"update": update},
                           headers={"Accept": "*/*"})
        self._check(resp, what)

    def rebuild_registry(self) -> None:
        """The registry graph (converter/store/registry.py) from the graphs the server holds:
        the recipient rows read first (the update clears the graph; they never read it), the
        documents' update, then the rows in chunks, the registry's description last."""
        from converter.store.registry import REGISTRY_GRAPH, UPDATE, recipient_quads

        with self.client() as client:
            rows = self.recipient_rows(client)
            self._update(client, UPDATE, "rebuild the registry graph")
            lines = [f"{q.subject} {q.predicate} {q.object} ." for q in recipient_quads(rows, described=bool(rows))]
            for i in range(0, len(lines), CHUNK):
                body = "\n".join(lines[i:i + CHUNK])
                self._update(client, f"INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{\n{body}\n}} }}",
                             "write the recipient rows of the registry graph")

    def select(self, client: httpx.Client, query: str, what: str) -> list:
        """A SELECT sent to the same URL (a SPARQL 1.1 service may answer queries and updates
        at one URL: Virtuoso, Fuseki's dataset URL), its solutions."""
        resp = client.post(self.update_url, data={"query": query},
                           headers={"Accept": "application/sparql-results+json"})
        self._check(resp, what)
        return list(ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.JSON))

    def recipient_rows(self, client: httpx.Client) -> list:
        """funding-recipients' rows of every cited document, read a block of documents at a
        time and each block counted: a service's row cap (Virtuoso: ResultSetMaxRows) would
        otherwise cut the rows short unseen."""
        from converter.store.registry import cited_documents_query, read_recipient_rows

        documents = self.select(client, cited_documents_query(), "list the cited documents")
        iris = sorted(s["document"].value for s in documents)
        (total,) = self.select(client, cited_documents_query(count=True), "count the cited documents")
        if int(total["n"].value) != len(iris):
            raise RemoteStoreError(f"{self.update_url} returned {len(iris)} of {total['n'].value} cited documents "
                                   f"(a cap on result rows: Virtuoso's ResultSetMaxRows)")

        def counted(got: list, count_query: str) -> None:
            (n,) = self.select(client, count_query, "count the rows of funding-recipients")
            if int(n["n"].value) != len(got):
                raise RemoteStoreError(f"{self.update_url} returned {len(got)} of {n['n'].value} rows of "
                                       f"funding-recipients (a cap on result rows: Virtuoso's ResultSetMaxRows)")

        return read_recipient_rows(lambda query: self.select(client, query, "read the rows of funding-recipients"),
                                   iris, counted)

    def replace_graph(self, graph_iri: str, nquads: str | bytes) -> int:
        quads = parse_nquads(nquads)
        triples: list[ox.Quad] = []
        others: list[ox.Quad] = []
        for q in quads:
            mine = isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph_iri
            (triples if mine else others).append(q)
        lines = [f"{q.subject} {q.predicate} {q.object} ." for q in triples]
        with self.client() as client:
            if self.gsp_url:
                body = ("\n".join(lines) + "\n").encode("utf-8")
                resp = client.put(self.gsp_url, params={"graph": graph_iri}, content=body,
                                  headers={"Content-Type": "text/turtle; charset=utf-8"})
                self._check(resp, f"PUT graph {graph_iri}")
            else:
                self._update_in_chunks(client, graph_iri, lines, any(
                    isinstance(t, ox.BlankNode) for q in triples for t in (q.subject, q.object)))
            if others:  # quads in shared graphs are added, never replaced
                text = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                                 if isinstance(q.graph_name, ox.NamedNode) else
                                 f"{q.subject} {q.predicate} {q.object} ." for q in others)
                self._update(client, "INSERT DATA {\n" + text + "\n}", f"shared quads of {graph_iri}")
        return len(quads)

    def _update_in_chunks(self, client: httpx.Client, g: str, lines: list[str], has_bnodes: bool) -> None:
        # blank node labels are scoped to one request, so a graph with blank nodes goes whole
        if has_bnodes or len(lines) <= CHUNK:
            body = "\n".join(lines)
            self._update(client, f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}",
                         f"replace graph {g}")
            return
        staging = g + ("&" if "?" in g else "?") + "budgetlod-staging"
        self._update(client, f"DROP SILENT GRAPH <{staging}>", f"clear staging graph for {g}")
        for i in range(0, len(lines), CHUNK):
            body = "\n".join(lines[i:i + CHUNK])
            self._update(client, f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}\n}} }}", f"load {g}")
        self._update(client, f"MOVE SILENT <{staging}> TO <{g}>", f"move staging graph to {g}")
