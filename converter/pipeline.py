"""The per-document pipeline, one place: read (text or PDF) -> layout IR -> section
parsers -> typed records (+ reconciliation checks) -> map (one named graph, N-Quads) ->
validate (SHACL), with the one error wrapper that turns a bad document (or a bug) into a
failure naming its file. Every step is a pure function of the file's bytes (and the base
IRI). The stages below it (readers, parsers, mapping, validation) never import it; the
store takes its result, (graph IRI, N-Quads), and knows nothing of how it was made.

``extract``: records; ``convert_document``: + mapping; ``prepare``: + validation (what a
load worker runs); ``convert_paths``: a batch over the worker pool."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from converter.deadline import DEFAULT_TIME_LIMIT, DeadlineExceeded, configured_time_limit, deadline
from converter.errors import InputError, NoTextLayer, NothingRecognised
from converter.mapping import ConvertedDocument, convert_disclosure
from converter.mapping.iris import resolve_base
from converter.parsers import parse_document
from converter.readers import auto_ocr, has_textless_pages, page_count, read_document, scan_ocr
from converter.readers.ir import Document
from converter.records.model import Check, Disclosure
from converter.reconcile import reconcile

__all__ = ["DEFAULT_TIME_LIMIT", "ExtractResult", "Prepared", "convert_document", "convert_paths", "deadline",
           "extract", "prepare"]
_CONFIGURED = -1.0  # "the configured limit" (None already means "no limit")


@dataclass
class ExtractResult:
    disclosure: Disclosure
    checks: list[Check]
    pages: int | None = None  # pages of a PDF (None for a text extraction without page marks)


def _read_and_parse(path: str | Path, ocr: bool | None) -> tuple[Document, Disclosure]:
    doc = read_document(path, ocr=ocr)
    return doc, parse_document(doc)


def extract(path: str | Path, time_limit: float | None = _CONFIGURED) -> ExtractResult:
    """Records and reconciliation checks of one document, or InputError (also when reading
    and parsing take longer than ``time_limit`` seconds; by default the configured limit).

    What the text layer cannot give is read by OCR where ``readers.auto_ocr`` allows, under
    the OCR time limit: a scan, and the text-less pages (an image cover) of a PDF whose text
    layer leaves its identity unread or shows no disclosure at all."""
    pages = page_count(path)
    configured = time_limit == _CONFIGURED
    limit = configured_time_limit(pages) if configured else time_limit
    ocr_limit = configured_time_limit(pages, ocr=True) if configured else time_limit
    try:
        try:
            with deadline(limit):
                doc, disclosure = _read_and_parse(path, None)
        except NoTextLayer as err:
            problem = scan_ocr(err)
            if problem is not None:
                raise problem from None
            limit = ocr_limit
            with deadline(limit):
                doc, disclosure = _read_and_parse(path, True)
        except NothingRecognised:
            if pages is None or not auto_ocr() or not has_textless_pages(path):
                raise
            limit = ocr_limit
            with deadline(limit):
                doc, disclosure = _read_and_parse(path, True)  # its error, if any, is the one to report
        else:
            if disclosure.identity_problem() and pages is not None and auto_ocr() and has_textless_pages(path):
                try:  # a second reading that may fail or run out of time: the first one stands
                    with deadline(ocr_limit):
                        again: tuple[Document, Disclosure] | None = _read_and_parse(path, True)
                except (InputError, DeadlineExceeded):
                    again = None
                if again is not None and again[1].identity_problem() is None:
                    doc, disclosure = again
    except DeadlineExceeded:
        raise InputError(str(path), f"time limit exceeded ({limit:g} s)") from None
    except InputError:
        raise
    except RecursionError:
        raise InputError(str(path), "document structure too deeply nested") from None
    return ExtractResult(disclosure=disclosure, checks=reconcile(disclosure), pages=doc.pages)


def convert_document(path: str | Path, base: str | None = None) -> ConvertedDocument:
    """Extract and map one document; InputError for a document that cannot be read."""
    base = resolve_base(base)
    result = extract(path)
    problem = result.disclosure.identity_problem()
    if problem:  # the one document-level reason to refuse a graph (a bad table never is)
        raise InputError(str(path), problem)
    doc = convert_disclosure(result.disclosure, base)
    doc.pages = result.pages
    return doc


def _convert_one(args: tuple[str, str]) -> ConvertedDocument | InputError:
    """Runs in a worker: a bad document comes back as its InputError, a converter bug as
    an InputError naming the file, so one document never ends the batch."""
    path, base = args
    try:
        return convert_document(path, base)
    except InputError as err:
        return err
    except Exception as err:
        return InputError(path, f"conversion failed: {type(err).__name__}: {err}")


def convert_paths(
    paths: Iterable[str | Path], base: str | None = None, workers: int | None = None
) -> Iterator[ConvertedDocument | InputError]:
    """Results in input order, streamed (a bounded number in flight): a
    ConvertedDocument or the InputError of that input."""
    from converter.batch import Pool, WorkerDied

    base = resolve_base(base)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    with Pool(_convert_one, workers) as pool:
        for (path, _), result in pool.map((str(p), base) for p in paths):
            yield InputError(path, str(result)) if isinstance(result, WorkerDied) else result


@dataclass
class Prepared:
    """One document after convert + validate (or why it failed)."""

    path: str
    ok: bool
    message: str = ""
    graph_iri: str = ""
    # UTF-8 once validated (the worker encodes it once for validation, the pipe and the
    # spool); dropped once the graph is in the store
    nquads: str | bytes = ""
    triples: int = 0
    sha256: str = ""
    warnings: int = 0
    violations: int = 0
    pages: int | None = None
    convert_seconds: float = 0.0  # worker time: read + parse + map
    validate_seconds: float = 0.0  # worker time: SHACL
    quarantined: list[str] = field(default_factory=list)  # tables left out of the graph, why
    warning_lines: list[str] = field(default_factory=list)  # what the SHACL warnings say, one a line


def prepare(job: tuple) -> Prepared:
    """Convert and validate one document; never raises for a bad document. The job is
    (path, base, validate[, strict]): strict fails a document with a quarantined table."""
    path, base, validate = job[:3]
    strict = len(job) > 3 and bool(job[3])
    started = time.perf_counter()
    try:
        doc = convert_document(path, base=base)
    except InputError as err:
        return Prepared(path, False, str(err))
    except Exception as err:  # a converter bug must not stop the batch either
        return Prepared(path, False, f"{path}: conversion failed: {type(err).__name__}: {err}")
    prepared = Prepared(path, True, "", doc.graph_iri, doc.nquads, doc.triples, doc.sha256, pages=doc.pages,
                        convert_seconds=time.perf_counter() - started)
    if strict and doc.quarantined:
        return Prepared(path, False, f"{path}: --strict: {len(doc.quarantined)} table(s) quarantined: "
                                     + "; ".join(doc.quarantined))
    prepared.quarantined = list(doc.quarantined)
    if validate:
        from converter.validation import own_triples, validate_graphs

        started = time.perf_counter()
        try:
            # the converter's own one-graph text: no re-split of the N-Quads by a parser
            prepared.nquads = doc.nquads.encode("utf-8")
            result = validate_graphs([(doc.graph_iri, own_triples(prepared.nquads), "document")], workers=1)
        except Exception as err:  # a validator failure fails this document, not the batch
            return Prepared(path, False, f"{path}: validation failed: {type(err).__name__}: {err}")
        prepared.validate_seconds = time.perf_counter() - started
        prepared.warnings, prepared.violations = result.warnings, result.violations
        prepared.warning_lines = [f.line() for f in result.findings if f.severity == "Warning"]
        if not result.conforms and result.violations:
            prepared.ok = False
            prepared.message = f"{path}: {result.violations} SHACL violation(s): {result.summary.strip()}"
            prepared.nquads = ""
    return prepared
