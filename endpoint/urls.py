"""The one place that turns a resource IRI into its path on this server and back
(datasette's ``url_builder`` is the model). Every page, link, search result and redirect
asks this module; nothing else strips namespaces or builds ``/page/…`` paths.

    IRI  {namespace}{path}  ->  /page/{path} (HTML), /data/{path}.{ext} (RDF), /{path} (the IRI's own path)
    path                    ->  candidate IRIs, one per served namespace (most specific first)
"""

from __future__ import annotations

from fastapi import Request

PAGE, DATA = "/page/", "/data/"


class Urls:
    def __init__(self, namespaces: list[str]) -> None:
        self.namespaces = list(namespaces)

    def local_path(self, iri: str) -> str | None:
        """``iri`` minus the served namespace it falls under, else None (not ours)."""
        for ns in self.namespaces:
            if iri.startswith(ns):
                return iri[len(ns):]
        return None

    def candidates(self, path: str) -> list[str]:
        """The IRIs a server path may stand for."""
        return [ns + path for ns in self.namespaces]

    def page(self, iri: str) -> str:
        """Link target for an IRI: its HTML page when it is ours, else the IRI itself."""
        path = self.local_path(iri)
        return iri if path is None else PAGE + path

    def data(self, iri: str, ext: str = ".ttl") -> str | None:
        path = self.local_path(iri)
        return None if path is None else DATA + path + ext


def urls(request: Request) -> Urls:
    """The application's URL builder (built from the settings' namespaces)."""
    st = request.app.state
    built = getattr(st, "urls", None)
    if built is None:
        built = st.urls = Urls(st.settings.namespaces())
    return built
