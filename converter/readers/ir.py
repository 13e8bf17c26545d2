"""Layout IR shared by every reader: document -> blocks (heading, paragraph, table).

Each block carries where it came from: a page number (PDF; ``None`` for text
extractions, which have no reliable page breaks) and the 1-based line span (text) or
a bounding box (PDF). Section parsers consume only this IR, so the text and PDF paths
give the same records.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(frozen=True)
class Loc:
    """A source location: page (PDF) and/or first..last line (text), optional bbox."""

    page: int | None = None
    line: int | None = None
    end_line: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None  # OCR recognition confidence (lowest of the block's boxes)

    def to_json(self) -> dict:
        out: dict = {}
        if self.page is not None:
            out["page"] = self.page
        if self.line is not None:
            out["line"] = self.line
        if self.end_line is not None and self.end_line != self.line:
            out["endLine"] = self.end_line
        if self.confidence is not None:
            out["ocrConfidence"] = self.confidence
        return out


@dataclass
class Row:
    """One table row. ``continued`` holds indexes of cells that received text from a
    continuation row (a row broken by a page break); a number in such a cell was split
    and needs arithmetic confirmation before it is trusted."""

    cells: list[str]
    loc: Loc = field(default_factory=Loc)
    continued: set[int] = field(default_factory=set)

    def cell(self, i: int) -> str:
        return self.cells[i] if 0 <= i < len(self.cells) else ""

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class Heading:
    text: str
    level: int
    loc: Loc = field(default_factory=Loc)


@dataclass
class Paragraph:
    text: str
    loc: Loc = field(default_factory=Loc)


@dataclass
class Table:
    rows: list[Row]
    loc: Loc = field(default_factory=Loc)
    # number of physical fragments (pages) joined into this logical table
    fragments: int = 1

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


Block = Union[Heading, Paragraph, Table]


# Kangxi radicals (⼀ U+2F00, ⽀ U+2F40 …) and CJK compatibility ideographs that some PDF
# producers write for ordinary characters (广州市生态环境局's PDF prints ⽣⽀⼊ for 生支入): a
# title, name or label so printed would match nothing. Their NFKC form is the ordinary
# character; NFKC of the whole text would also turn the full-width punctuation to ASCII.
CJK_VARIANT = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")


def unify_cjk(text: str) -> str:
    """``text`` with radical and compatibility forms of CJK characters made ordinary."""
    if not CJK_VARIANT.search(text):
        return text
    return CJK_VARIANT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def normalized_text(text: str) -> str:
    """A text extraction's text whatever its byte-order mark, line endings or Unicode
    normal form: what makes two encodings of one extraction the same document."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")


def text_sha256(text: str) -> str:
    """The content digest of a text extraction (SHA-256 of its normalized text, UTF-8)."""
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()


@dataclass
class Document:
    path: str
    sha256: str  # of the file's bytes: names the source file
    blocks: list[Block]
    kind: str = "text"  # "text", "pdf" or "ocr" (a scan read by OCR)
    pages: int | None = None
    # of the document's content: a PDF's bytes (= sha256), a text's normalized text
    # (text_sha256), so that one extraction in several encodings is one document and names
    # one graph (a second encoding replaces the first instead of stating everything twice)
    content_sha256: str = ""

    def __post_init__(self) -> None:
        if not self.content_sha256:
            self.content_sha256 = self.sha256

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def text_blocks(self) -> Iterator[Heading | Paragraph]:
        return (b for b in self.blocks if not isinstance(b, Table))
