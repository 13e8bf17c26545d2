"""Serving the bulk releases of ``budgetlod dump`` over HTTP (moved here from
converter/dumps/serve.py: HTTP lives in endpoint/; the converter only builds releases).

    GET /dumps/                      listing of the latest release (HTML; JSON by Accept)
    GET /dumps/<file>                a file of the latest release (OUTDIR/latest, re-read per request)
    GET /dumps/releases/             the releases present
    GET /dumps/releases/<id>/<file>  a file of one release (immutable: cached for a year)

Content types: compressed dumps are served as what they are on disk, ``application/gzip``,
WITHOUT ``Content-Encoding: gzip``. With Content-Encoding, browsers and HTTP libraries
(curl --compressed, requests, httpx) would silently decompress, so the saved file would
no longer match SHA256SUMS nor its ``.gz`` name. The media type of the content inside
(application/n-quads, application/n-triples, application/ld+json) is stated in dcat.ttl
(dcat:mediaType + dcat:compressFormat) and on the listing page. Other files: text/turtle,
text/csv (header=present), application/ld+json, text/markdown, text/plain, all UTF-8.
Only files listed in the release's SHA256SUMS (and SHA256SUMS itself) are served; the
SHA-256 is the ETag. Listings are rendered through the endpoint's Jinja2 templates
(templates/dumps.html), JSON by Accept."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from converter.dumps import config as C
from converter.dumps.release import LATEST, RELEASE_ID, RELEASES, latest_release

HTTP_TYPES: dict[str, str] = {
    ".gz": "application/gzip",
    ".ttl": "text/turtle; charset=utf-8",
    ".csv": "text/csv; charset=utf-8; header=present",
    ".jsonld": "application/ld+json",
    ".md": "text/markdown; charset=utf-8",
    "SHA256SUMS": "text/plain; charset=utf-8",
}
RDF_DUMPS = ("all.nq.gz", "all.nt.gz", "all.jsonld.gz")
# the endpoint's templates; a router mounted on a bare FastAPI app (tests) renders the same pages
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _render(request: Request, name: str, context: dict) -> Response:
    state = getattr(request.app.state, "settings", None)
    return TEMPLATES.TemplateResponse(request, name, {"settings": state, **context})


def http_media_type(name: str) -> str:
    for suffix, mt in HTTP_TYPES.items():
        if name.endswith(suffix):
            return mt
    return "application/octet-stream"


def read_sums(release: Path) -> dict[str, str]:
    """path -> SHA-256 from the release's SHA256SUMS."""
    out: dict[str, str] = {}
    for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            out[name] = digest
    return out


def _release_dirs(root: Path) -> list[Path]:
    d = root / RELEASES
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.is_dir() and RELEASE_ID.match(p.name) and (p / "SHA256SUMS").is_file())


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _listing(request: Request, release: Path, title: str) -> Response:
    sums = read_sums(release)
    files = sorted(sums) + ["SHA256SUMS"]
    rows = []
    for name in files:
        size = (release / name).stat().st_size
        inner, comp = C.media_type(name)
        rows.append({"file": name, "bytes": size, "sha256": sums.get(name, ""), "content_type": http_media_type(name),
                     "media_type": inner, "compression": comp})
    if _wants_json(request):
        return JSONResponse({"release": release.name, "license": C.LICENSE_IRI, "files": rows})
    return _render(request, "dumps.html", {"title": title, "release": release.name, "files": rows,
                                          "license_iri": C.LICENSE_IRI, "license_name": C.LICENSE_NAME,
                                          "is_latest": title.startswith("budget-lod dumps")})


def _serve_file(release: Path, rel: str, immutable: bool, request: Request) -> Response:
    if rel != "SHA256SUMS":
        sums = read_sums(release)
        if rel not in sums:
            return PlainTextResponse(f"not in this release: {rel}\n", status_code=404)
        etag = f'"{sums[rel]}"'
    else:
        st = (release / rel).stat()
        etag = f'"{release.name}-sums-{st.st_size}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
               "X-Content-Type-Options": "nosniff"}
    if rel.endswith(".gz"):
        headers["Content-Disposition"] = f'attachment; filename="{os.path.basename(rel)}"'
    return FileResponse(release / rel, media_type=http_media_type(rel), headers=headers)


def dumps_router(release_dir: str | os.PathLike[str], prefix: str = "/dumps") -> APIRouter:
    """Routes serving the releases under ``release_dir`` (the ``budgetlod dump -o`` folder,
    whose ``latest`` link is followed on every request; or one release folder)."""
    root = Path(release_dir)
    router = APIRouter(prefix=prefix, tags=["dumps"])

    def current() -> Path | None:
        return latest_release(root)

    def missing() -> Response:
        return PlainTextResponse("no release published yet (run budgetlod dump)\n", status_code=404)

    @router.api_route("", methods=["GET", "HEAD"], include_in_schema=False)
    async def bare() -> Response:
        return RedirectResponse(prefix + "/", status_code=301)

    @router.api_route("/", methods=["GET", "HEAD"])
    async def listing(request: Request) -> Response:
        rel = current()
        return _listing(request, rel, "budget-lod dumps (latest release)") if rel else missing()

    @router.api_route("/releases/", methods=["GET", "HEAD"])
    async def releases(request: Request) -> Response:
        found = _release_dirs(root)
        cur = current()
        names = [p.name for p in found]
        if _wants_json(request):
            return JSONResponse({"latest": cur.name if cur else None, "releases": names})
        return _render(request, "dumps_releases.html", {"releases": names, "latest": cur.name if cur else None})

    @router.api_route("/releases/{release_id}/{path:path}", methods=["GET", "HEAD"])
    async def release_file(request: Request, release_id: str, path: str) -> Response:
        if not RELEASE_ID.match(release_id) or not (root / RELEASES / release_id / "SHA256SUMS").is_file():
            return PlainTextResponse(f"no release {release_id}\n", status_code=404)
        release = root / RELEASES / release_id
        if path == "":
            return _listing(request, release, f"budget-lod release {release_id}")
        return _serve_file(release, path, True, request)

    @router.api_route("/{path:path}", methods=["GET", "HEAD"])
    async def latest_file(request: Request, path: str) -> Response:
        rel = current()
        if rel is None:
            return missing()
        if path == LATEST or path == LATEST + "/":
            return RedirectResponse(prefix + "/", status_code=302)
        return _serve_file(rel, path, False, request)

    return router


def void_dump_triples(release_dir: str | os.PathLike[str], dataset: str, origin: str,
                      prefix: str = "/dumps") -> list[str]:
    """N-Triples statements (also valid Turtle) for the endpoint's VoID: ``dataset``
    void:dataDump each whole-dataset dump of the latest release, at ``origin + prefix``."""
    rel = latest_release(release_dir)
    if rel is None:
        return []
    present = read_sums(rel)
    base = origin.rstrip("/") + prefix + "/"
    out = [f"<{dataset}> <http://rdfs.org/ns/void#dataDump> <{base}{name}> ." for name in RDF_DUMPS if name in present]
    out.append(f"<{dataset}> <http://purl.org/dc/terms/license> <{C.LICENSE_IRI}> .")
    return out
