"""Reader for text extractions of disclosures: markdown-ish text where tables are
tab-separated lines. Builds the layout IR with line numbers as source locations."""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from converter.errors import InputError
from converter.readers.ir import Block, Document, Heading, Loc, Paragraph, Row, Table, text_sha256, unify_cjk
from converter.readers.layout import drop_rule_rows, join_fragments, join_paragraphs
from converter.readers.markup import strip_markup

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+•]\s+")
_LATIN_END = re.compile(r"[A-Za-z,;:!?]$")
_LATIN_START = re.compile(r"^[A-Za-z(]")
# A line opening with a section number starts a paragraph of its own (a plain extraction
# puts "三、“三公”经费支出情况说明" on the line above its text, without a blank line between);
# when it is short and ends no sentence it is a title, and the next line starts a paragraph too
_NUMBERED_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]{1,3}部分"
                            r"|[（(][一二三四五六七八九十]{1,3}[)）])")
_SENTENCE_END = re.compile(r"[。；;，,：:]$")
_TITLE_MAX = 40


def _join_lines(parts: list[str]) -> str:
    """Join wrapped lines: a space only between two Latin words; Chinese text and
    numbers wrap anywhere and rejoin without one."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(part):
            out += " "
        out += part
    return out


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 with its byte-order mark (Windows "Unicode" text); the BOM says which order
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(str(path), "starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    if b"\x00" in data[:4096]:
        raise InputError(str(path), "binary data, not a text extraction or PDF")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InputError(str(path), "not valid UTF-8 or GB18030 text")
    bad = len(_BAD_CHARS.findall(text))
    if bad > max(8, len(text) // 200):
        raise InputError(str(path), "binary data, not a text extraction or PDF")
    return text


def parse_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    para_start = 0
    rows: list[Row] = []

    def flush_para(end: int) -> None:
        nonlocal para
        if para:
            joined = _join_lines(para)
            if joined:
                blocks.append(Paragraph(text=joined, loc=Loc(line=para_start, end_line=end)))
        para = []

    def flush_table() -> None:
        nonlocal rows
        if rows:
            t = drop_rule_rows(Table(rows=rows, loc=Loc(line=rows[0].loc.line, end_line=rows[-1].loc.line)))
            if t.rows:
                blocks.append(t)
        rows = []

    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    for n, raw in enumerate(lines, start=1):
        if "\t" in raw:
            flush_para(n - 1)
            cells = [strip_markup(c).strip() for c in raw.split("\t")]
            rows.append(Row(cells=cells, loc=Loc(line=n)))
            continue
        flush_table()
        line = strip_markup(raw).rstrip()
        if not line.strip():
            flush_para(n - 1)
            continue
        m = _HEADING.match(line.strip())
        if m:
            flush_para(n - 1)
            title = m.group(2).strip()
            if title:
                blocks.append(Heading(text=title, level=len(m.group(1)), loc=Loc(line=n)))
            continue
        if _BULLET.match(line):
            flush_para(n - 1)
            line = _BULLET.sub("", line)
        numbered = _NUMBERED_LINE.match(line)
        if numbered:
            flush_para(n - 1)
        if not para:
            para_start = n
        para.append(line)
        if numbered and len(line.strip()) <= _TITLE_MAX and not _SENTENCE_END.search(line.strip()):
            flush_para(n)
    flush_para(len(lines))
    flush_table()
    return blocks


def read_text(path: Path, data: bytes) -> Document:
    text = _decode(path, data)
    blocks = join_paragraphs(join_fragments(parse_blocks(unify_cjk(text))))
    return Document(path=str(path), sha256=hashlib.sha256(data).hexdigest(), blocks=blocks, kind="text",
                    content_sha256=text_sha256(text))
