"""Expanding command-line INPUTs (files or folders) into document paths."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".txt", ".pdf", ".md")


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files as given; folders expanded to their documents, sorted by path so a batch
    is processed in a stable order. Missing paths are kept so the reader can report
    them by name."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


def content_key(path: Path) -> str | None:
    """What makes two inputs the same document: a PDF's bytes; a text extraction's text,
    whatever its encoding, byte-order mark or line endings. None when unreadable or empty
    (the reader reports it)."""
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf:" + hashlib.sha256(data).hexdigest()
    from converter.errors import InputError
    from converter.readers.ir import normalized_text, text_sha256
    from converter.readers.text import _decode

    try:
        text = _decode(path, data)
    except InputError:
        return None
    if not normalized_text(text).strip():  # no document: each such file gets the reader's own error, not "a repeat"
        return None
    return "text:" + text_sha256(text)


def distinct_documents(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """The inputs without repeats, in order, and each repeat with the input it repeats
    (the same file given twice, a copy, or the same text in another encoding)."""
    seen: dict[str, Path] = {}
    unique: list[Path] = []
    repeats: list[tuple[Path, Path]] = []
    for p in paths:
        key = content_key(p)
        if key is not None and key in seen:
            repeats.append((p, seen[key]))
            continue
        if key is not None:
            seen[key] = p
        unique.append(p)
    return unique, repeats
