"""发文字号 (document numbers): find them anywhere and normalise to GB/T 9704.

Written variants: 石财外[2023]39号, 石财外[2023]36 号, 石财建（2022）99号,
鹿政府办 (2022) 16 号, [2017]86号 (no issuer), 鹿发〔2019〕8号, 粤财工〔2025〕12号,
闽医保办〔2024〕3号, 国办发〔2024〕5号, 〔2025〕第3号, 冀财教﹝2023﹞12号 (small tortoise-shell
brackets), 黑财指(教)〔2024〕21号 and 宁财(农)发〔2024〕3号 (a field in brackets inside the
issuer, written full-width: 宁财（农）发), 〔2023年〕, full-width digits, and numbers broken
over lines ("浙政办发\\n〔2025〕7 号", "京财金融〔2025〕\\n1767 号"). Canonical form: issuer +
〔year〕 + serial (no leading zeros) + 号, e.g. 石财外〔2023〕39号.

Shorthand for several numbers of one issuer and year: 石财外〔2023〕39号、40号 and
石财外〔2023〕39、40号 are two numbers, 石财外〔2023〕39号 and 石财外〔2023〕40号 (the
issuer and year are printed once for both); 石财外〔2023〕39号、〔2024〕5号 are 石财外〔2023〕39号
and 石财外〔2024〕5号 (the issuer printed once). A serial without 号 (京财预〔2024〕1）) is a
number only where nothing else reads so: an issuer is printed (a finance bureau's or an
office's: 财, 发, 办, 函, 字, 政, 府 or 委 in it), the year bracket is one
only document numbers use (〔〕, ﹝﹞, [] and ［］, not parentheses, which also hold
dates and versions), and the serial ends at punctuation or the end of the text.

The issuer is the abbreviation printed right before the year bracket: words of citing
before it (根据, 依据, 文件, 资金来源 …) and an organ's full name (省财政厅冀财预, 国务院办公厅
国办发) are not part of it (``lexicon``); an issuer wrapped over a line ("（京\n办字〔2019〕
85号）") is read whole. Digits split by a space ("〔20 23〕3 9号") are joined like a wrapped
line's; a bracket a symbol font gives as a private-use character reads as a bracket. A
number split over two table cells (石财外 | 〔2023〕36号) is read joined by
``find_in_cells``.

Not document numbers in this sense, and left out: numbers without a year bracket, such as
a ministry's order or an announcement (财政部令第85号, 国家税务总局公告2023年第12号) —
their numbering is not issuer〔year〕serial and has no canonical GB/T 9704 form; dates and
periods in brackets ((2021-2025), （2023年）), versions ((1999年版)), article numbers
(第十条) and phone numbers ((0311)86012345).

Linear time on any input: the pattern is anchored on the bracket that opens the year and
every gap it allows is bounded, so a run of 20,000 spaces (or brackets, or digits) costs
one pass; the issuer is read backwards from the bracket, a bounded number of characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converter.parsers.lexicon import ORGAN_BEFORE_ISSUER, issuer_start

_OPEN = "[［〔﹝（(﹙【〖〘〈<｛{"
_CLOSE = "]］〕﹞）)﹚】〗〙〉>｝}"
_DOC_ONLY_OPEN = "〔﹝[［"  # brackets that hold a year only in a document number
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_GAP = r"\s{0,4}"  # layout whitespace between the parts: a space or two, a line break
# a line break (a wrapped line) or one space (extraction damage, "20 23", "3 9") inside the
# year's or the serial's digits
_BREAK = r"(?:\r?\n|[ \t\u3000])?"
# a bracket a PDF's symbol font maps to the private use area: read as a bracket, never as
# the kind only document numbers use (a serial without 号 is not read after it)
_PUA = "\ue000-\uf8ff"
_ISSUER_MAX = 12  # characters of an issuer abbreviation (石财外, 市委办政府办, 榕委办发明电)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # one char for one: offsets hold
_CORE = re.compile(
    rf"(?P<open>[{re.escape(_OPEN)}{_PUA}]){_GAP}(?P<year>(?:1{_BREAK}9|2{_BREAK}0){_BREAK}\d\s{{0,2}}\d)(?:{_GAP}年)?{_GAP}"
    rf"[{re.escape(_CLOSE)}{_PUA}]{_GAP}(?:第{_GAP})?(?P<serial>\d(?:{_BREAK}\d){{0,5}})(?:{_GAP}(?P<hao>号))?"
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
# between two numbers of one issuer whose later one prints only its year and serial
_YEAR_LIST_SEPARATOR = re.compile(r"\s{0,2}[、,，和及]\s{0,2}")
# a serial followed by these is a place or an item, not a further document: 2号楼, 3号线
_NOT_SERIAL = re.compile(r"[楼院路街线门室]")
_IS_CJK = re.compile(rf"[{_CJK}]")
# an issuer with a field in brackets inside it (黑财指（教）, 宁财(农)发): the issuer's head, then
# one or two characters in parentheses, then at most two more before the year bracket
_INSET = re.compile(rf"(?P<head>[{_CJK}]{{1,8}})[（(](?P<field>[{_CJK}]{{1,2}})[）)]")
# where an issuer wrapped over two lines may start: right after one of these ("（京\n办字〔2019〕
# 85号）", "（普投\n资规范〔2023〕1号）"); the words before a line break are otherwise
# another line's (a label, the end of a sentence), not part of the issuer
_WRAP_START = _OPEN + "《“‘「『、，,；;：:》”"
_WRAP_MAX = 4  # characters of an issuer on the line before its bracket's line
# what a phrase opens after: an opening bracket or a quote (not a line break: a wrapped
# sentence goes on after one, "…1号\n和石财外〔2023〕5号")
_PHRASE_START = _OPEN + "《“‘「『"
# an issuer broken by layout spaces ("（豫财 教 〔2019〕35号）"): its parts are joined only
# where the whole run follows an opening bracket, so no sentence's words are taken in
_SPACED_ISSUER = re.compile(rf"[{re.escape(_OPEN)}]\s{{0,2}}((?:[{_CJK}]{{1,6}}[ \u3000]){{1,3}})$")
# a number printed without its year bracket, the year marked by 年 instead ("辽财行2019年275号",
# "冀教财函2019年155号": the brackets lost on a web page or in a table): read where an issuer
# of a finance bureau or an office (财, 发, 办, 函 or 字 in it) stands right before the year;
# an announcement's or an order's numbering (公告2023年第12号, 令第85号) has 第 and is not read
_YEAR_WORD = re.compile(r"(?P<year>(?:19|20)\d{2})年(?P<serial>\d{1,6})(?P<hao>号)")
_YEAR_WORD_MARK = re.compile(r"[财发办函字]")
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
    if run and i > floor and text[i - 1] in " \u3000":
        spaced = _SPACED_ISSUER.search(text, max(floor, i - 3 * _ISSUER_MAX), i)
        joined = re.sub(r"\s", "", spaced.group(1)) + run if spaced else ""
        if spaced and len(joined) <= _ISSUER_MAX:
            cut = issuer_start(joined, opens_phrase=True)
            return joined[cut:], spaced.start(1) + cut  # the span starts at the issuer's first part
    inset = _INSET.search(text, max(floor, i - _ISSUER_MAX), i) if len(run) <= 2 else None
    if inset is not None and inset.end() == i:
        # a field in brackets inside the issuer: 黑财指（教）〔2024〕21号, 宁财(农)发〔2024〕3号
        head = inset.group("head")
        cut = issuer_start(head)
        if head[cut:] and _ISSUER_MARK.search(head[cut:] + run):
            return f"{head[cut:]}（{inset.group('field')}）{run}", inset.start("head") + cut
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
    cut = issuer_start(run, opens_phrase=i > 0 and text[i - 1] in _PHRASE_START)
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
            if out and out[-1].issuer and _YEAR_LIST_SEPARATOR.fullmatch(plain, floor, m.start()):
                issuer = out[-1].issuer  # 石财外〔2023〕39号、〔2024〕5号: the issuer printed once for both
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
    if "年" in plain:
        out = sorted(out + _year_word_numbers(text, plain, out), key=lambda d: d.start)
    return out


def _year_word_numbers(text: str, plain: str, found: list[DocNumber]) -> list[DocNumber]:
    """Numbers written issuer + year + 年 + serial + 号 (``_YEAR_WORD``), outside the ones
    already found."""
    out: list[DocNumber] = []
    for m in _YEAR_WORD.finditer(plain):
        if m.start() == 0 or not _IS_CJK.match(plain[m.start() - 1]) or _NOT_SERIAL.match(plain, m.end()):
            continue
        if any(d.start <= m.start() < d.end for d in found):
            continue
        floor = max((d.end for d in found + out if d.end <= m.start()), default=0)
        issuer, start = _issuer_before(plain, m.start(), floor)
        if len(issuer) < 2 or start + len(issuer) != m.start() or not _YEAR_WORD_MARK.search(issuer):
            continue
        out.append(DocNumber(raw=text[start:m.end()], issuer=issuer, year=int(m.group("year")),
                             serial=int(m.group("serial")), start=start, end=m.end()))
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


# ---- a number split over two table cells -------------------------------------------------
# the end of a cell that leaves a number open: its year bracket (石财外〔2023〕 | 39号) or its
# serial without 号 (石财外〔2023〕39 | 号); the start of the next cell that continues it
_OPEN_YEAR_END = re.compile(
    rf"[{re.escape(_OPEN)}]\s{{0,2}}(?:19|20)\d{{2}}\s{{0,2}}年?\s{{0,2}}[{re.escape(_CLOSE)}]\s{{0,2}}(?:第\s{{0,2}})?"
    r"(?:\d{1,6}\s{0,2})?$"
)
_SERIAL_START = re.compile(r"^\s{0,2}(?:第\s{0,2})?\d{0,6}\s{0,2}号")
_YEAR_START = re.compile(rf"^\s{{0,2}}[{re.escape(_OPEN)}]\s{{0,2}}(?:19|20)\d{{2}}")
_ISSUER_CELL = re.compile(rf"[{_CJK}]{{2,{_ISSUER_MAX}}}$")
_SPLIT_TAIL = 40  # characters of a cell's end that a split number can occupy


def _issuer_cell(text: str) -> bool:
    """A cell that ends in an issuer alone (石财外 | 〔2023〕39号, …的通知》（石财外 |
    〔2023〕39号）, 依据石财外 | …): CJK characters, the whole cell or after an opening
    bracket, quote, separator or lead word, a finance bureau's or an office's mark among
    them (so a name or an indicator cell, 补助人数 | 〔2017〕86号, is never read as an
    issuer)."""
    t = text.strip()
    m = _ISSUER_CELL.search(t[-_ISSUER_MAX - 1:])
    if m is None or m.end() != len(t[-_ISSUER_MAX - 1:]):
        return False
    run = m.group(0)
    before = t[: len(t) - len(run)]
    cut = issuer_start(run)  # a lead word before it also tells where it starts (依据石财外)
    issuer = run[cut:]
    if any(o.end() == len(issuer) for o in ORGAN_BEFORE_ISSUER.finditer(issuer)):
        return False  # an organ's full name (市政府办公室), not an abbreviation
    return (cut > 0 or not before or before[-1] in _WRAP_START) and len(issuer) >= 2 and bool(_ISSUER_MARK.search(issuer))


def find_in_cells(cells: list[str]) -> list[tuple[int, DocNumber]]:
    """Every document number in a sequence of table cells read in order (a row's cells,
    or a form's rows one after the other), each with the index of the cell it starts in
    (its span is in that cell's text, cut at the cell's end). A number split over two
    cells by the layout is read joined: the year bracket in one and the serial in the
    next (石财外〔2023〕 | 39号), the serial in one and 号 in the next, or an issuer
    alone in one and the rest in the next (石财外 | 〔2023〕36号) — the second cell's
    issuer-less part is then not a number of its own."""
    found: list[list[DocNumber]] = [find_docnumbers(t) for t in cells]
    out: list[tuple[int, DocNumber]] = []
    for k, text in enumerate(cells):
        out.extend((k, d) for d in found[k])
        if k + 1 == len(cells):
            break
        nxt = cells[k + 1]
        tail = text[-_SPLIT_TAIL:]
        # the next cell's start first: it rules out almost every pair, and it is the cheap test
        open_end = _SERIAL_START.match(nxt) is not None and _OPEN_YEAR_END.search(tail) is not None
        if open_end and any(d.end > len(text) - len(tail) + _OPEN_YEAR_END.search(tail).start() for d in found[k]):
            open_end = False  # the cell's own number already ends there (39号 | 号码…)
        issuer_alone = _YEAR_START.match(nxt) is not None and _issuer_cell(text)
        if not (open_end or issuer_alone):
            continue
        joined = tail + nxt
        cut = len(tail)
        offset = len(text) - len(tail)
        for d in find_docnumbers(joined):
            if d.start < cut < d.end:
                out.append((k, DocNumber(raw=re.sub(r"\s+", "", d.raw), issuer=d.issuer, year=d.year,
                                         serial=d.serial, start=d.start + offset, end=len(text))))
                # the second cell's issuer-less reading of the same number is not one
                found[k + 1] = [e for e in found[k + 1]
                                if not (e.start < d.end - cut and (e.year, e.serial) == (d.year, d.serial))]
    return out
