"""Reading numbers from cells and prose. Amounts are Decimal; a cell whose digits are
split by layout whitespace ("1499 1.60", "82.0 5") is only a *candidate* until the
tables' arithmetic confirms it (see ``repair``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CLEAN = re.compile(r"^-?\d+(?:\.\d+)?$")
_WS = re.compile(r"\s+")
_EMPTY = {"", "-", "--", "—", "——", "/", "－", "—-", "-—"}


@dataclass(frozen=True)
class CellNumber:
    """A numeric reading of one cell. ``value`` None with ``raw`` set: unreadable."""

    raw: str
    value: Decimal | None
    damaged: bool  # split by whitespace or joined across a page break: needs confirmation


# full-width point and minus, the minus sign: "１，２３４．５６", "－12.00", "−12.00" (full-width
# digits are digits to the pattern and to Decimal already)
_SIGNS = str.maketrans({"．": ".", "－": "-", "−": "-"})


def to_decimal(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("，", "").translate(_SIGNS).strip()
    if not _CLEAN.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - regex already guards
        return None


def read_cell(raw: str, continued: bool = False) -> CellNumber | None:
    """None for an empty cell (not stated); otherwise a CellNumber."""
    text = raw.strip()
    if text in _EMPTY:
        return None
    plain = to_decimal(text)
    if plain is not None:
        return CellNumber(raw=text, value=plain, damaged=continued)
    squeezed = _WS.sub("", text)
    joined = to_decimal(squeezed)
    if joined is not None:
        return CellNumber(raw=text, value=joined, damaged=True)
    return CellNumber(raw=text, value=None, damaged=True)


# a table's currency-unit line: "单位：万元", "金额单位:元", "单位（万元）", "（单位：人民币元）";
# group 1 is the unit. Read by the tables (``parsers._unit_of``) and by the catalogue, which
# drops it from a title's line.
UNIT_LINE = r"(?:金额)?单位[:：]?[（(]?(?:人民币)?(万元|元)"
# a column headed with its unit, "合计（万元）", "预算数(元)": the label is what precedes the unit
HEADER_UNIT = re.compile(r"[（(](万元|元)[)）]$")


def header_label(key: str) -> str:
    """A (normalised) header label without a trailing currency unit: "合计（万元）" -> "合计"."""
    return HEADER_UNIT.sub("", key) or key

# an amount printed with its unit in the cell: "21.50万元", "21.50万" (万元), "215000元"
AMOUNT_TEXT = re.compile(r"^[,，、\s]*(-?\d[\d,]*(?:\.\d+)?)\s*(万元|万|元)?$")


# an amount with its unit and a bracketed note after it, in a form's cell: "854万（高标准农田
# 建设400万元，示范建设295万元）" is 854万 (the note breaks it down, it is no second amount)
_AMOUNT_NOTE = re.compile(r"^\s*(-?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元))\s*[（(][^（()）]{1,200}[)）]\s*$")


def without_note(text: str) -> str:
    """A cell's amount and unit without the bracketed note after them; other text as is."""
    m = _AMOUNT_NOTE.match(text)
    return m.group(1) if m else text


def amount_unit(text: str) -> tuple[str, str | None]:
    """(the amount's text, the unit printed with it: 万元 / 元 / None) of a cell."""
    m = AMOUNT_TEXT.match(text)
    if m is None:
        return text, None
    return m.group(1), None if m.group(2) is None else "元" if m.group(2) == "元" else "万元"


_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*[%％]$")


def read_percent(text: str) -> Decimal | None:
    m = _PERCENT.match(_WS.sub("", text))
    return Decimal(m.group(1)) if m else None


# Prose amounts: "14991.60万元", "157 万元", "0.30万元"
PROSE_AMOUNT = r"(\d+(?:\.\d+)?)\s*万元"


def clean_amount(raw: str, continued: bool, flag) -> Decimal | None:
    """A cell's value only when it reads cleanly; a damaged or unreadable cell (outside
    the coded tables, where no arithmetic can confirm a repair) is reported through
    ``flag(raw)`` and left out."""
    cn = read_cell(raw, continued=continued)
    if cn is None:
        return None
    if cn.value is None or cn.damaged:
        flag(cn.raw)
        return None
    return cn.value
