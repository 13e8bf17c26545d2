"""Readers turn input files into the layout IR (see ``ir``).

``read_document(path)`` picks the reader by content: PDF magic bytes go to the PDF
reader, UTF-8 text to the text-extraction reader. With ``ocr=True`` a PDF without a
text layer is read by OCR (``ocr``), and the text-less pages of a PDF that has one
(scanned covers, stamped pages) are OCR'd and put in their place.
"""

from __future__ import annotations

import os
from pathlib import Path

from converter.errors import InputError, NoTextLayer
from converter.readers.ir import Block, Document


# set by the command line, so batch workers inherit it: "1" (--ocr) OCRs scans and the
# text-less pages of text PDFs; "0" (--no-ocr) never OCRs; unset, a scan (a PDF without
# any text layer) is OCR'd when the OCR engine is installed (``scan_ocr``)
OCR_ENV = "BUDGETLOD_OCR"


def ocr_enabled() -> bool:
    return os.environ.get(OCR_ENV) == "1"


def ocr_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def auto_ocr() -> bool:
    """Neither --ocr nor --no-ocr, and the engine installed: what the text layer cannot
    give is read by OCR (a scan; the text-less pages of a document whose identity the text
    layer leaves unread)."""
    return os.environ.get(OCR_ENV) is None and ocr_installed()


def scan_ocr(err: NoTextLayer) -> NoTextLayer | None:
    """None when a scan is to be read by OCR after all (``auto_ocr``); else the error to
    report, saying how it could be read."""
    setting = os.environ.get(OCR_ENV)
    if setting == "1":
        return err  # --ocr was on: the reader already tried
    if setting == "0":
        return NoTextLayer(err.path, f"{err.problem}; not read by OCR (--no-ocr)")
    if auto_ocr():
        return None
    return NoTextLayer(err.path, f"{err.problem}; OCR would read it: pip install 'budget-lod[ocr]'")


def has_textless_pages(path: str | Path) -> bool:
    """A PDF with pages that carry no text (an image cover, a stamped page)."""
    from converter.readers.ocr import textless_pages

    try:
        return bool(textless_pages(Path(path).read_bytes()))
    except Exception:  # noqa: BLE001 - the reader has already read it; a failure here only skips OCR
        return False


def page_count(path: str | Path) -> int | None:
    """Pages of a PDF, read from its page tree alone (milliseconds, before the document is
    read: the per-document time limit grows with it); None for text or an unreadable file
    (whose reader then says what is wrong)."""
    try:
        with open(path, "rb") as fh:
            if not fh.read(1024).lstrip().startswith(b"%PDF-"):
                return None
        import pypdfium2 as pdfium  # pdfplumber's own renderer: always installed with it

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - any failure here is the reader's to report
        return None


def read_document(path: str | Path, ocr: bool | None = None) -> Document:
    if ocr is None:
        ocr = ocr_enabled()
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(str(path), "empty file")
    if data[:5] == b"%PDF-" or data[:1024].lstrip().startswith(b"%PDF-"):
        from converter.readers.pdf import read_pdf

        try:
            doc = read_pdf(p, data)
        except NoTextLayer:
            if not ocr:
                raise
            return _ocr_document(p, data)
        if ocr:
            _ocr_textless_pages(doc, data)
        return doc
    from converter.readers.text import read_text

    return read_text(p, data)


def _ocr_document(path: Path, data: bytes) -> Document:
    import hashlib

    from converter.readers.ocr import ocr_pages

    try:
        blocks = ocr_pages(data)
    except RuntimeError as exc:  # the OCR component is not installed
        raise InputError(str(path), str(exc)) from None
    if not blocks:
        raise InputError(str(path), "no text layer, and OCR found no text")
    pages = max((b.loc.page or 0) for b in blocks)
    return Document(path=str(path), sha256=hashlib.sha256(data).hexdigest(), blocks=blocks, kind="ocr", pages=pages)


def _ocr_textless_pages(doc: Document, data: bytes) -> None:
    """Insert the OCR'd blocks of text-less pages before the first block of a later page."""
    from converter.readers.ocr import ocr_pages, textless_pages

    pages = textless_pages(data)
    if not pages:
        return
    try:
        extra = ocr_pages(data, pages)
    except RuntimeError as exc:
        raise InputError(doc.path, str(exc)) from None
    merged: list[Block] = []
    pending = sorted(extra, key=lambda b: b.loc.page or 0)
    for b in doc.blocks:
        while pending and (b.loc.page or 0) > (pending[0].loc.page or 0):
            merged.append(pending.pop(0))
        merged.append(b)
    merged.extend(pending)
    doc.blocks = merged
