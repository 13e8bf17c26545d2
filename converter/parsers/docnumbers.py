"""发文字号 (document numbers): find them anywhere and normalise to GB/T 9704.

Written variants: 石财外[2023]39号, 石财外[2023]36 号, 石财建（2022）99号,
鹿政府办 (2022) 16 号, [2017]86号 (no issuer), 鹿发〔2019〕8号, 粤财工〔2025〕12号,
闽医保办〔2024〕3号, 国办发〔2024〕5号, 〔2025〕第3号, full-width digits, and numbers
broken over lines ("浙政办发\\n〔2025〕7 号", "京财金融〔2025〕\\n1767 号"). Canonical
form: issuer + 〔year〕 + serial (no leading zeros) + 号, e.g. 石财外〔2023〕39号.

Linear time on any input: the pattern is anchored on the bracket that opens the year and
every gap it allows is bounded, so a run of 20,000 spaces (or brackets, or digits) costs
one pass; the issuer is read backwards from the bracket, a bounded number of characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "[［〔（(【〈<｛{"
_CLOSE = "]］〕）)】〉>｝}"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_GAP = r"\s{0,4}"  # layout whitespace between the parts: a space or two, a line break
_ISSUER_MAX = 12  # characters of an issuer abbreviation (石财外, 市委办政府办, 榕委办发明电)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # one char for one: offsets hold
_CORE = re.compile(
    rf"[{re.escape(_OPEN)}]{_GAP}(?P<year>(?:19|20)\d\s{{0,2}}\d){_GAP}[{re.escape(_CLOSE)}]"
    rf"{_GAP}(?:第{_GAP})?(?P<serial>\d{{1,6}}){_GAP}号"
)
_IS_CJK = re.compile(rf"[{_CJK}]")
# words that are never part of an issuer prefix but often stand right before one
_LEAD_WORDS = re.compile(
    r"根据|依据|按照|参照|关于|通知|文件|印发|转发|下达|符合|对|及|和|与|等|的|为|是|了|在|按|将|由|经|以|即|向|从|见|据|照|系|之"
)
_MAX_CANONICAL_INPUT = 200  # a string that *is* one document number is never longer


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


def _issuer_before(text: str, bracket: int, floor: int) -> tuple[str, int]:
    """The issuer abbreviation that ends just before the opening bracket (at most a few
    whitespace characters between, e.g. a line break), and where it starts; never
    before ``floor`` (the end of the previous number)."""
    i = bracket
    gap = 0
    while i > floor and gap < 4 and text[i - 1].isspace():
        i -= 1
        gap += 1
    end = i
    while i > floor and end - i < _ISSUER_MAX and _IS_CJK.match(text[i - 1]):
        i -= 1
    run = text[i:end]
    cut = 0
    for m in _LEAD_WORDS.finditer(run):
        cut = m.end()
    return run[cut:], i + cut


def find_docnumbers(text: str) -> list[DocNumber]:
    """Every document number in ``text``, in order, with its span in ``text``."""
    out: list[DocNumber] = []
    if "号" not in text:
        return out
    plain = text.translate(_FULLWIDTH_DIGITS)
    floor = 0
    for m in _CORE.finditer(plain):
        issuer, start = _issuer_before(plain, m.start(), floor)
        floor = m.end()
        if not issuer:
            start = m.start()
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
    if len(text) > _MAX_CANONICAL_INPUT:
        return None
    found = find_docnumbers(text)
    if len(found) != 1:
        return None
    d = found[0]
    rest = (text[: d.start] + text[d.end :]).strip(" 　《》“”\"'")
    return d.canonical if not rest else None
