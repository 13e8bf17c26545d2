"""Release-wide constants: licence, media types, prefixes, file layout."""

from __future__ import annotations

from pathlib import Path


# The one place the licence of every release is stated (data, CSVs and metadata alike).
LICENSE_IRI = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC-BY-4.0"
LICENSE_TITLE = "Creative Commons Attribution 4.0 International"

DATASET_TITLE_ZH = "部门预算信息公开关联数据"
DATASET_TITLE_EN = "Chinese government budget disclosures as linked open data"
DATASET_DESCRIPTION_EN = (
    "Facts extracted from Chinese government department budget disclosures (部门预算信息公开) and "
    "related reports: departments, subordinate units, budget tables, projects with performance "
    "indicators, funding documents, procurement, each with its source document and SHA-256.")

FORMAT_VERSION = "1"  # bump when the release layout changes (part of the release id)

QUERIES_DIR = Path(__file__).resolve().parent / "queries"

IANA = "https://www.iana.org/assignments/media-types/"

# file suffix -> (media type, compression media type or None)
MEDIA_TYPES: dict[str, tuple[str, str | None]] = {
    ".nq.gz": ("application/n-quads", "application/gzip"),
    ".nt.gz": ("application/n-triples", "application/gzip"),
    ".jsonld.gz": ("application/ld+json", "application/gzip"),
    ".jsonld": ("application/ld+json", None),
    ".ttl": ("text/turtle", None),
    ".csv": ("text/csv", None),
    ".md": ("text/markdown", None),
    "SHA256SUMS": ("text/plain", None),
}


def media_type(name: str) -> tuple[str, str | None]:
    for suffix, mt in MEDIA_TYPES.items():
        if name.endswith(suffix):
            return mt
    return ("application/octet-stream", None)


