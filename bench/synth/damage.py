"""Extraction damage the converter must repair: layout spaces next to CJK text, numbers
split by a space inside coded tables, rows broken by a page break into a row and a
continuation row (empty 序号 / 指标值)."""

from __future__ import annotations

import random
import re

_CJK = re.compile(r"[\u4e00-\u9fff]")


def cjk_spaces(text: str, rng: random.Random, rate: float) -> str:
    """Insert layout spaces between two CJK characters (a PDF cell wrapping words)."""
    if rate <= 0:
        return text
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if i + 1 < len(text) and _CJK.match(ch) and _CJK.match(text[i + 1]) and rng.random() < rate:
            out.append(" ")
    return "".join(out)


def split_number(text: str, rng: random.Random) -> str:
    """"14991.60" -> "1499 1.60": a space at a random place inside the number."""
    if len(text) < 3:
        return text
    k = rng.randint(1, len(text) - 1)
    return text[:k] + " " + text[k:]


def cut(text: str, rng: random.Random) -> tuple[str, str]:
    """Cut a cell's text in two non-empty parts (never next to a space)."""
    spots = [k for k in range(1, len(text)) if text[k - 1] != " " and text[k] != " "]
    if not spots:
        return text, ""
    k = rng.choice(spots)
    return text[:k], text[k:]


def break_row(cells: list[str], splittable: list[int], rng: random.Random) -> tuple[list[str], list[str]]:
    """A row broken by a page break: the tails of some cells move to a continuation row."""
    first, cont = list(cells), [""] * len(cells)
    for i in splittable:
        text = cells[i]
        if len(text) >= 2 and "<" not in text and rng.random() < 0.8:
            head, tail = cut(text, rng)
            if tail:
                first[i], cont[i] = head, tail
    return first, cont
