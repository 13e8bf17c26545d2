"""发文字号 (document numbers): find them anywhere and normalise to GB/T 9704.

Written variants: 石财外[2023]39号, 石财外[2023]36 号, 石财建（2022）99号,
鹿政府办 (2022) 16 号, [2017]86号 (no issuer), 鹿发〔2019〕8号. Canonical form:
issuer + 〔year〕 + serial (no leading zeros) + 号, e.g. 石财外〔2023〕39号.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "[［〔（(【〈<｛{"
_CLOSE = "]］〕）)】〉>｝}"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# issuer: a run of CJK (an abbreviation like 石财外, 鹿政府办, 市委办政府办)
_PATTERN = re.compile(
    rf"(?P<issuer>[{_CJK}]{{1,12}})?\s*[{re.escape(_OPEN)}]\s*(?P<year>(?:19|20)\d\s*\d)\s*[{re.escape(_CLOSE)}]"
    rf"\s*第?\s*(?P<serial>\d{{1,6}})\s*号"
)
# words that are never part of an issuer prefix but often stand right before one
_LEAD_WORDS = re.compile(
    r"根据|依据|按照|参照|关于|通知|文件|印发|转发|下达|符合|对|及|和|与|等|的|为|是|了|在|按|将|由|经|以|即|向|从|见|据|照|系|之"
)


@dataclass(frozen=True)
class DocNumber:
    raw: str
    issuer: str
    year: int
    serial: int
    start: int
    end: int

    @property
    def canonical(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"

    @property
    def finance(self) -> bool:
        return "财" in self.issuer


def _issuer(run: str | None) -> tuple[str, int]:
    """Trim words that precede the issuer abbreviation; return (issuer, chars cut)."""
    if not run:
        return "", 0
    cut = 0
    for m in _LEAD_WORDS.finditer(run):
        cut = m.end()
    return run[cut:], cut


def find_docnumbers(text: str) -> list[DocNumber]:
    out: list[DocNumber] = []
    if "号" not in text:
        return out
    for m in _PATTERN.finditer(text):
        issuer, cut = _issuer(m.group("issuer"))
        start = m.start() + cut if m.group("issuer") else m.start()
        out.append(
            DocNumber(
                raw=text[start : m.end()].strip(),
                issuer=issuer,
                year=int(re.sub(r"\s", "", m.group("year"))),
                serial=int(m.group("serial")),
                start=start,
                end=m.end(),
            )
        )
    return out


def canonical_docnumber(text: str) -> str | None:
    """The canonical number of a string that is (only) a document number, any variant."""
    text = text.strip()
    found = find_docnumbers(text)
    if len(found) != 1:
        return None
    d = found[0]
    rest = (text[: d.start] + text[d.end :]).strip(" 　《》“”\"'")
    return d.canonical if not rest else None
