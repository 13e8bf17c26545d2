"""The one module that mints IRIs. Every IRI is a pure function of official identifiers
(codes, canonical document numbers, years, names as printed, the source's SHA-256) under a
configurable base, ASCII-only: non-ASCII key parts are percent-encoded UTF-8 (RFC 3987
IRI -> URI mapping), so the same key always gives the same IRI.

Layout (``{b}`` = base):
  {b}department/{region+name key}            one per department, across years and name forms
  {b}department/{key}/unit/{name key}         subordinate unit
  {b}region/{region name}                     fiscal region
  {b}budget/{dept key}/{year}                 budget = department x fiscal year
  {b}budget/{dept key}/{year}/{part...}       records of that budget (lines, figures, goals ...)
  {b}project/{project code}                   project, by its code (stable across years)
  {b}project/{code}/{year}                    the project's allocation in one budget year
  {b}document/{issuer}/{year}/{serial}        funding/policy document by canonical number
  {b}code/{scheme}/{code}                     classification / catalogue concept
  {b}code/{scheme}                            its concept scheme
  {b}source/{sha256}                          the source file (SHA-256 of its bytes)
  {b}graph/{sha256}                           the document's named graph (SHA-256 of its content:
                                              a PDF's bytes, a text's normalized text)

Vocabulary terms (ontology and fixed code lists) are not minted here: they live under the
fixed namespace ``VOCAB`` so that queries and shapes never depend on the deployment base;
so does ``REGISTRY_GRAPH``, the store's derived graph of cited documents
(converter/store/registry.py), which canned queries name.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import quote

DEFAULT_BASE = "https://w3id.org/budget-lod/"
VOCAB_ROOT = DEFAULT_BASE  # where the fixed vocabulary lives, whatever the deployment base
VOCAB = VOCAB_ROOT + "def#"
CODES = VOCAB_ROOT + "def/code/"
REGISTRY_GRAPH = VOCAB_ROOT + "graph/cited-documents"

_SAFE = "-._~"  # RFC 3986 unreserved (letters and digits are always safe)
# leading administrative prefixes dropped from a department name key when a district or
# zone name follows (石家庄市鹿泉区投资促进局 -> 鹿泉区投资促进局)
_ADMIN_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}?省)?(?:[\u4e00-\u9fff]{2,4}?市)(?=[\u4e00-\u9fff]{2,12}?(?:区|县|旗))")
_SPACE = re.compile(r"\s+")


def resolve_base(base: str | None = None) -> str:
    """``base`` if given, else $BUDGETLOD_BASE, else the default; always ends with / or #."""
    b = base or os.environ.get("BUDGETLOD_BASE") or DEFAULT_BASE
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]*$", b) or any(c in b for c in '<>"{}|\\^`'):
        raise ValueError(f"invalid base IRI: {b!r}")
    return b if b.endswith(("/", "#")) else b + "/"


@lru_cache(maxsize=1 << 16)  # the same keys (table, row, column, numbers) recur in every document
def seg(text: str) -> str:
    """One path segment: whitespace removed, percent-encoded UTF-8, ASCII only."""
    return quote(_SPACE.sub("", text), safe=_SAFE)


def name_key(name: str, region: str | None = None) -> str:
    """The identity key of a department or unit name: whitespace removed; the part before
    the region name dropped (石家庄市鹿泉区… -> 鹿泉区…); else leading 省/市 prefixes dropped
    when a district follows."""
    n = _SPACE.sub("", name)
    r = _SPACE.sub("", region or "")
    if r:
        short = region_key(r)
        i = n.find(short)
        if i > 0:
            return n[i:]
    return _ADMIN_PREFIX.sub("", n)


def region_key(region: str) -> str:
    """石家庄市鹿泉区 -> 鹿泉区; 石家庄高新技术产业开发区 stays."""
    return _ADMIN_PREFIX.sub("", _SPACE.sub("", region))


class Minter:
    """IRIs under one base."""

    def __init__(self, base: str | None = None) -> None:
        self.base = resolve_base(base)

    # --- organisations and places
    def region(self, name: str) -> str:
        return f"{self.base}region/{seg(region_key(name))}"

    def department(self, name: str, region: str | None = None) -> str:
        return f"{self.base}department/{seg(name_key(name, region))}"

    def unit(self, department_iri: str, key: str) -> str:
        """``key``: the unit's name key (see name_key); its code is a property, not the key,
        because one year's table prints unit codes and another's does not."""
        return f"{department_iri}/unit/{seg(key)}"

    # --- budgets and their records
    def budget(self, department_iri: str, year: int | None) -> str:
        dept_key = department_iri.rsplit("/", 1)[1]
        return f"{self.base}budget/{dept_key}/{year if year is not None else 'undated'}"

    def final_accounts(self, department_iri: str, year: int | None) -> str:
        """The department's 部门决算 of a year: its own resource, linked to the year's budget."""
        dept_key = department_iri.rsplit("/", 1)[1]
        return f"{self.base}final-accounts/{dept_key}/{year if year is not None else 'undated'}"

    @staticmethod
    def part(parent: str, *keys: str | int) -> str:
        """A record under ``parent`` (budget, project allocation, source)."""
        return parent + "".join(f"/{seg(str(k))}" for k in keys)

    # --- projects
    def project(self, code: str) -> str:
        return f"{self.base}project/{seg(code)}"

    def project_allocation(self, project_iri: str, year: int | None) -> str:
        return f"{project_iri}/{year if year is not None else 'undated'}"

    def uncoded_project(self, budget_iri: str, number: str | None, name: str) -> str:
        """A project table without a printed code: identified within its budget."""
        return f"{budget_iri}/project/{seg(number) + '-' if number else ''}{seg(name)}"

    # --- documents (发文字号)
    def document(self, issuer: str, year: int, serial: int) -> str:
        return f"{self.base}document/{seg(issuer) if issuer else '-'}/{year}/{serial}"

    # --- code lists
    def scheme(self, scheme: str) -> str:
        return f"{self.base}code/{seg(scheme)}"

    def concept(self, scheme: str, code: str) -> str:
        return f"{self.base}code/{seg(scheme)}/{seg(code)}"

    # --- sources, graphs, dataset
    def source(self, sha256: str) -> str:
        return f"{self.base}source/{sha256}"

    def graph(self, sha256: str) -> str:
        return f"{self.base}graph/{sha256}"

    def dataset(self) -> str:
        return f"{self.base}dataset"

    def converter_agent(self) -> str:
        return f"{self.base}agent/converter"
