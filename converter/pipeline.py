"""One document, bytes to records: read (text or PDF) -> layout IR -> section parsers
-> typed records -> reconciliation checks. A pure function of the file's bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from converter.deadline import DEFAULT_TIME_LIMIT, DeadlineExceeded, configured_time_limit, deadline
from converter.errors import InputError
from converter.parsers import parse_document
from converter.readers import read_document
from converter.records.model import Check, Disclosure
from converter.reconcile import reconcile

__all__ = ["DEFAULT_TIME_LIMIT", "ExtractResult", "deadline", "extract"]
_CONFIGURED = -1.0  # "the configured limit" (None already means "no limit")


@dataclass
class ExtractResult:
    disclosure: Disclosure
    checks: list[Check]
    pages: int | None = None  # pages of a PDF (None for a text extraction without page marks)


def extract(path: str | Path, time_limit: float | None = _CONFIGURED) -> ExtractResult:
    """Records and reconciliation checks of one document, or InputError (also when reading
    and parsing take longer than ``time_limit`` seconds; by default the configured limit)."""
    if time_limit == _CONFIGURED:
        time_limit = configured_time_limit()
    try:
        with deadline(time_limit):
            doc = read_document(path)
            disclosure = parse_document(doc)
    except DeadlineExceeded:
        raise InputError(str(path), f"time limit exceeded ({time_limit:g} s)") from None
    except InputError:
        raise
    except RecursionError:
        raise InputError(str(path), "document structure too deeply nested") from None
    return ExtractResult(disclosure=disclosure, checks=reconcile(disclosure), pages=doc.pages)
