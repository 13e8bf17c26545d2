"""One document, bytes to records: read (text or PDF) -> layout IR -> section parsers
-> typed records -> reconciliation checks. A pure function of the file's bytes."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from converter.errors import InputError
from converter.parsers import parse_document
from converter.readers import read_document
from converter.records.model import Check, Disclosure
from converter.reconcile import reconcile

DEFAULT_TIME_LIMIT = 120.0  # seconds per document; a pathological PDF must not stall a batch


@dataclass
class ExtractResult:
    disclosure: Disclosure
    checks: list[Check]
    pages: int | None = None  # pages of a PDF (None for a text extraction without page marks)


class _Timeout(BaseException):
    """Not an Exception: library code that catches Exception and wraps it in its own
    error (onnxruntime under the OCR engine does) must not turn the deadline into a crash."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise _Timeout in the main thread after ``seconds`` (no-op elsewhere)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _fire(signum: int, frame: object) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, _fire)
    # re-fire every 0.25 s: library code that swallows exceptions (pdfminer's
    # error-tolerant parsing, finalizers) must not absorb the only alarm
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def extract(path: str | Path, time_limit: float | None = DEFAULT_TIME_LIMIT) -> ExtractResult:
    """Records and reconciliation checks of one document, or InputError."""
    try:
        with deadline(time_limit):
            doc = read_document(path)
            disclosure = parse_document(doc)
    except _Timeout:
        raise InputError(str(path), f"time limit exceeded ({time_limit:g} s)") from None
    except InputError:
        raise
    except RecursionError:
        raise InputError(str(path), "document structure too deeply nested") from None
    return ExtractResult(disclosure=disclosure, checks=reconcile(disclosure), pages=doc.pages)
