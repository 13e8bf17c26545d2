"""发文字号 (document numbers): find them anywhere and normalise to GB/T 9704.

Written variants: 石财外[2023]39号, 石财外[2023]36 号, 石财建（2022）99号,
鹿政府办 (2022) 16 号, [2017]86号 (no issuer), 鹿发〔2019〕8号, 粤财工〔2025〕12号,
闽医保办〔2024〕3号, 国办发〔2024〕5号, 〔2025〕第3号, 冀财教﹝2023﹞12号 (small tortoise-shell
brackets), 〔2023年〕, full-width digits, and numbers broken over lines ("浙政办发\\n〔2025〕7 号",
"京财金融〔2025〕\\n1767 号"). Canonical form: issuer + 〔year〕 + serial (no leading zeros) +
号, e.g. 石财外〔2023〕39号.

Shorthand for several numbers of one issuer and year: 石财外〔2023〕39号、40号 and
石财外〔2023〕39、40号 are two numbers, 石财外〔2023〕39号 and 石财外〔2023〕40号 (the
issuer and year are printed once for both). A serial without 号 (京财预〔2024〕1）) is a
number only where nothing else reads so: an issuer is printed (a finance bureau's or an
office's: 财, 发, 办, 函, 字, 政, 府 or 委 in it), the year bracket is one
only document numbers use (〔〕, ﹝﹞, [] and ［］, not parentheses, which also hold
dates and versions), and the serial ends at punctuation or the end of the text.

Linear time on any input: the pattern is anchored on the bracket that opens the year and
every gap it allows is bounded, so a run of 20,000 spaces (or brackets, or digits) costs
one pass; the issuer is read backwards from the bracket, a bounded number of characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converter.parsers.lexicon import issuer_start

_OPEN = "[［〔﹝（(﹙【〖〘〈<｛{"
_CLOSE = "]］〕﹞）)﹚】〗〙〉>｝}"
_DOC_ONLY_OPEN = "〔﹝[［"  # brackets that hold a year only in a document number
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_GAP = r"\s{0,4}"  # layout whitespace between the parts: a space or two, a line break
_BREAK = r"(?:\r?\n)?"  # a line break inside the year's or the serial's digits (a wrapped line)
_ISSUER_MAX = 12  # characters of an issuer abbreviation (石财外, 市委办政府办, 榕委办发明电)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # one char for one: offsets hold
_CORE = re.compile(
    rf"(?P<open>[{re.escape(_OPEN)}]){_GAP}(?P<year>(?:1{_BREAK}9|2{_BREAK}0){_BREAK}\d\s{{0,2}}\d)(?:{_GAP}年)?{_GAP}"
    rf"[{re.escape(_CLOSE)}]{_GAP}(?:第{_GAP})?(?P<serial>\d{{1,6}}(?:\r?\n\d{{1,5}})?)(?:{_GAP}(?P<hao>号))?"
)
# one more serial of the same issuer and year: "、40号" ("39号、40号", "39、40号")
_MORE = re.compile(r"\s{0,2}[、,，和及]\s{0,2}(?:第\s{0,2})?(?P<serial>\d{1,6})(?P<gap>\s{0,4})(?P<hao>号)?")
# where a serial without 号 may end: punctuation or the end of the text (not a digit, a
# decimal point, a unit or any other word)
_SERIAL_END = re.compile(r"\s{0,2}(?:$|[）)》」』】\]］〕、，,；;。：:])")
# an issuer that may print a serial without 号: a finance bureau's or a government or party
# office's number (石财外, 京财预, 鹿政府办, 国办发, 石政办函, 京办字, 京编委), not any word before a
# bracket (科目[2023]1)
_ISSUER_MARK = re.compile(r"[财发办函字政府委]")
# a serial followed by these is a place or an item, not a further document: 2号楼, 3号线
_NOT_SERIAL = re.compile(r"[楼院路街线门室]")
_IS_CJK = re.compile(rf"[{_CJK}]")
# where an issuer wrapped over two lines may start: right after one of these ("（京\n办字〔2019〕
# 85号）", "（普投\n资规范〔2023〕1号）"); the words before a line break are otherwise
# another line's (a label, the end of a sentence), not part of the issuer
_WRAP_START = _OPEN + "《“‘「『、，,；;：:》”"
_WRAP_MAX = 4  # characters of an issuer on the line before its bracket's line
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
    before ``floor`` (the end of the previous number). An issuer wrapped over a line
    break counts whole where its first line holds nothing else since an opening bracket,
    a quote or a list separator. Lead words and full organ names before it are cut
    (``lexicon.issuer_start``)."""
    i = bracket
    gap = 0
    while i > floor and gap < 4 and text[i - 1].isspace():
        i -= 1
        gap += 1
    end = i
    while i > floor and end - i < _ISSUER_MAX and _IS_CJK.match(text[i - 1]):
        i -= 1
    run, begin = text[i:end], i
    # the issuer's first characters on the line before: "（京\n办字〔2019〕85号）"
    j = i
    while j > floor and i - j < 4 and text[j - 1].isspace():
        j -= 1
    if run and j < i and "\n" in text[j:i]:
        k = j
        while k > floor and j - k < _WRAP_MAX and _IS_CJK.match(text[k - 1]):
            k -= 1
        if k < j and len(run) + j - k <= _ISSUER_MAX and k > 0 and text[k - 1] in _WRAP_START:
            head = text[k:j]
            cut = issuer_start(head + run)
            if cut < len(head):
                return head[cut:] + run, k + cut
            return run[cut - len(head):], begin + cut - len(head)
    cut = issuer_start(run)
    return run[cut:], begin + cut


def find_docnumbers(text: str) -> list[DocNumber]:
    """Every document number in ``text``, in order, with its span in ``text``."""
    out: list[DocNumber] = []
    if "号" not in text and not any(b in text for b in _DOC_ONLY_OPEN):
        return out
    plain = text.translate(_FULLWIDTH_DIGITS)
    floor = 0
    for m in _CORE.finditer(plain):
        if m.start() < floor:
            continue  # inside the serial list of the number before
        issuer, start = _issuer_before(plain, m.start(), floor)
        if not issuer:
            start = m.start()
        year = int(re.sub(r"\s", "", m.group("year")))
        serials = [(int(re.sub(r"\s", "", m.group("serial"))), m.start("serial"), m.end())]  # (serial, where it starts, ends)
        end = m.end()
        # more serials of the same issuer and year, each with its 号 or sharing the last one's
        while True:
            more = _MORE.match(plain, end)
            if more is None or _NOT_SERIAL.match(plain, more.end()):
                break
            serials.append((int(more.group("serial")), more.start("serial"), more.end() if more.group("hao") else
                            more.end() - len(more.group("gap"))))
            end = serials[-1][2]
            if not more.group("hao") and not _MORE.match(plain, end):
                serials.pop()  # the last serial of a list prints its 号
                break
        has_hao = m.group("hao") is not None or len(serials) > 1
        if not has_hao and not (_ISSUER_MARK.search(issuer) and m.group("open") in _DOC_ONLY_OPEN
                                and _SERIAL_END.match(plain, m.end())):
            continue
        floor = serials[-1][2]
        for k, (serial, begin, stop) in enumerate(serials):
            begin = start if k == 0 else begin  # a later serial's span is its own digits (and 号)
            out.append(DocNumber(raw=text[begin:stop].strip(), issuer=issuer, year=year, serial=serial,
                                 start=begin, end=stop))
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
