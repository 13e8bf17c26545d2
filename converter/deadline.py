"""The per-document time limit of the converter: its default, the batch commands'
``--time-limit`` (passed through the environment, so worker processes, forked or spawned,
read the same value) and the alarm that enforces it. Kept apart from the pipeline so the
CLI can declare the option without importing the parsers."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

DEFAULT_TIME_LIMIT = 120.0  # seconds per document; a pathological PDF must not stall a batch
# with --ocr: a scan takes ~5 s a page on a quiet core (more on a busy one), so a 100-page
# scan needs far more than a text PDF
DEFAULT_OCR_TIME_LIMIT = 1800.0
# ... and a long document gets more: a text PDF reads at ~0.15 s a page on a quiet core
# (the 171-page 西安 卫健委 决算 in 20 s), so a provincial department's 800-page bundle of
# unit budgets would hit a flat 120 s on a busy machine; the default allows this much a page
# (about 7x the measured rate, 2x the OCR one) when it is above the flat default
SECONDS_PER_PAGE = 1.0
OCR_SECONDS_PER_PAGE = 10.0
TIME_LIMIT_ENV = "BUDGETLOD_TIME_LIMIT"
_OCR_ENV = "BUDGETLOD_OCR"  # converter.readers.OCR_ENV (not imported: this module stays light)


class DeadlineExceeded(BaseException):
    """Not an Exception: library code that catches Exception and wraps it in its own
    error (onnxruntime under the OCR engine does) must not turn the deadline into a crash."""


def set_time_limit(seconds: float | None) -> None:
    """The per-document limit for this process and the workers it starts (0/None: none)."""
    os.environ[TIME_LIMIT_ENV] = repr(float(seconds or 0))


def configured_time_limit(pages: int | None = None, ocr: bool | None = None) -> float | None:
    """Seconds per document: --time-limit when given, else the default (DEFAULT_OCR_TIME_LIMIT
    under --ocr or for a scan read by OCR (``ocr``), DEFAULT_TIME_LIMIT otherwise), raised for
    a document of ``pages`` pages to its per-page allowance; None = no limit."""
    if ocr is None:
        ocr = os.environ.get(_OCR_ENV) == "1"
    default = max(DEFAULT_OCR_TIME_LIMIT if ocr else DEFAULT_TIME_LIMIT,
                  (pages or 0) * (OCR_SECONDS_PER_PAGE if ocr else SECONDS_PER_PAGE))
    raw = os.environ.get(TIME_LIMIT_ENV)
    try:
        seconds = float(raw) if raw is not None else default
    except ValueError:
        seconds = default
    return seconds if seconds > 0 else None


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DeadlineExceeded in the main thread after ``seconds`` (no-op elsewhere)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _fire(signum: int, frame: object) -> None:
        raise DeadlineExceeded()

    old = signal.signal(signal.SIGALRM, _fire)
    # re-fire every 0.25 s: library code that swallows exceptions (pdfminer's
    # error-tolerant parsing, finalizers) must not absorb the only alarm
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
