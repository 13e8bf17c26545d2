"""Indicator target values: "≥90%" -> (≥, 90, %); "≤600万元" -> (≤, 600, 万元);
"2048.24 平方米" -> (None, 2048.24, 平方米). Text targets ("按工作实际") parse to None."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.records.model import Target

_WORD_CMP = {
    "大于等于": "≥", "不低于": "≥", "不少于": "≥", "至少": "≥", ">=": "≥", "≥": "≥", "≧": "≥", "＞=": "≥",
    "小于等于": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "<=": "≤", "≤": "≤", "≦": "≤", "＜=": "≤",
    "大于": ">", "高于": ">", "超过": ">", ">": ">", "＞": ">",
    "小于": "<", "低于": "<", "<": "<", "＜": "<", "=": "=", "＝": "=", "等于": "=",
}
_CMP = "|".join(re.escape(k) for k in sorted(_WORD_CMP, key=len, reverse=True))
_TARGET = re.compile(rf"^(?P<cmp>{_CMP})?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]{{0,12}}?)$")
_DATE_UNIT = re.compile(r"^(?:月|月底|月末|日|号|年底|年末|月份|季度)$")


def parse_target(raw: str) -> Target | None:
    text = re.sub(r"\s+", "", raw).replace("％", "%")
    m = _TARGET.match(text)
    if not m:
        return None
    unit = m.group("unit") or None
    if unit and (_DATE_UNIT.match(unit) or re.search(r"[，,。；;、~\-—至到]", unit)):
        return None
    cmp_ = _WORD_CMP.get(m.group("cmp")) if m.group("cmp") else None
    return Target(comparator=cmp_, value=Decimal(m.group("num")), unit=unit)
