"""Who and what a disclosure is, read from what it prints: the kind of document
(``DISCLOSURE_KINDS``), its fiscal year, the department (or budget unit) with the name
forms it uses, its budget code where printed, and its region — or that it is not a
budget disclosure at all (a 通知, 通报, 函, a government gazette …).

Where it is read, in order of trust:
1. the cover / title lines at the top of the first text page ("2026年深圳市科技创新局
   （本级）部门预算", "西安市财政局（汇总）" + "2026年部门预算公开说明", "重庆市商务委员会
   年部门预算情况说明" + "2026" when the reading order is scrambled);
2. labelled lines: "预算单位：X", "预算主管部门：X" on the cover, "部门名称：X 单位：万元",
   "部门：X", "单位名称：X" over the tables;
3. code lines over the tables ("322 石家庄高新技术产业开发区投资服务局", "606-湖州市…");
4. title-like lines in the body ("第二部分 X 2024年度部门决算表").
A year cited inside a document number (〔2019〕), a date (2026年3月17日) or a
comparison with last year is never the fiscal year: only title lines are read for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from converter.parsers.docnumbers import find_docnumbers
from converter.parsers.lexicon import ORGAN_SUFFIX
from converter.readers.ir import Block, Table
from converter.readers.markup import strip_markup
from converter.records.model import DISCLOSURE_KINDS

__all__ = ["Identity", "read_identity", "read_title", "region_of", "flat"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_COVER_BLOCKS = 8  # blocks read as the cover at most
_TITLE_MAX = 80  # longer blocks are body text, not title lines


def flat(text: str) -> str:
    """Comparison form of a printed line: NFKC (full-width digits and colons to ASCII),
    no whitespace (layout spaces between characters), brackets full-width."""
    t = unicodedata.normalize("NFKC", strip_markup(text))
    t = re.sub(r"\s+", "", t)
    return t.replace("(", "（").replace(")", "）")


# ---- document kinds -------------------------------------------------------------------
# The first phrase of a title decides; where two start at the same place the kind listed
# first wins (部门整体支出绩效评价自评报告 is a self-evaluation).
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("self_evaluation", re.compile(r"(?:整体支出)?绩效(?:评价)?自评(?:价)?(?:情况)?(?:报告|表)?|自评报告")),
    ("evaluation_report", re.compile(r"(?:部门|单位)?(?:整体支出|项目支出|项目)?绩效评价(?:报告|结果)|评价报告")),
    ("final_accounts", re.compile(r"(?:部门|单位)?(?:综合)?决算")),
    ("unit_budget", re.compile(r"单位(?:综合|收支)?预算")),
    # a bare 预算说明 / 收支预算 after the organ ("…民政局预算说明", "…学院收支预算"), never a
    # table's title (收支预算总表)
    ("budget", re.compile(r"部门(?:综合|收支)?预算|预算信息公开|预算公开|(?:项目支出)?绩效目标表"
                          r"|(?:收支)?预算(?:编制|情况)?说明|收支预算(?![总表])")),
)
assert {k for k, _ in _KIND_PATTERNS} == set(DISCLOSURE_KINDS)

# a year as printed in a title: 2026年 / 2026年度 / 2026 (scrambled or without 年), never
# inside a document number's brackets, never the year of a date (2026年3月17日)
_YEAR = re.compile(r"(?<![\d〔\[【（])((?:19|20)\d{2})(?![\d〕\]】）])(?!年\d{1,2}月)(?:年度|年)?")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年(?!度?[一二三四五六七八九十]{1,2}月)(?:度)?")

# ---- names -----------------------------------------------------------------------------
_ORGAN_SUFFIX = ORGAN_SUFFIX  # how a full name ends (委员会, 政府, …局): shared with docnumbers
_OFFICES = re.compile("机关")
_ENDS_AS_ORGAN = re.compile(f"(?:{ORGAN_SUFFIX.pattern})$")
_NAME_CHARS = re.compile(rf"[{_CJK}（）]{{3,40}}")
_SCOPE = re.compile(r"（?(?:部门|单位)?(本级|汇总)）?$")
# "…交通运输局局本级": the organ's own level, its last character printed again before 本级
_OWN_LEVEL = re.compile(r"([局委厅办院部处])\1(?=本级$)")
_LEVEL_FILLER = re.compile(r"(?:省级|市级|区级|县级|乡级|镇级)?(?:部门（单位）|单位（部门）|部门|单位)?(?:年度|年)?$")
# what may stand before the organ: a part number, a letter's 关于, a site's category tag (【决算】)
_PART_PREFIX = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,3}部分[:：]?|关于)")
_TAG_PREFIX = re.compile(r"^[【\[][^】\]]{1,8}[】\]]")
# a scope printed after the whole title: "…决算公开说明（本级）"
_TRAILING_SCOPE = re.compile(r"（(本级|汇总)）$")
# the organisation a name starts with before its region: the party, the youth league, the
# CPPCC and the democratic parties (中共重庆市委宣传部, 共青团南宁市委员会, 政协福州市委员会)
_ORG_PREFIX = re.compile(r"^(?:中国共产党|中共|中国共产主义青年团|共青团|中国人民政治协商会议|政协|"
                           r"中国国民党革命委员会|民革|中国民主同盟|民盟|中国民主建国会|民建|中国民主促进会|民进|"
                           r"中国农工民主党|农工党|中国致公党|致公党|九三学社)")

# "预算单位：X", "部门名称：X 单位：万元"; the value ends at the next label
_LABEL = re.compile(r"(预算主管部门|预算单位|主管部门|部门名称|单位名称|编制单位|部门|单位)[:：]")
_COVER_LABELS = {"预算主管部门", "预算单位", "部门名称", "单位名称", "编制单位", "部门", "单位"}
_BODY_LABELS = {"预算单位", "部门名称", "单位名称", "编制单位", "部门", "单位"}
# "322 石家庄…局", "606-湖州市交通运输局 单位：万元", "228_烟台市财政局"
_CODE_LINE = re.compile(rf"^(\d{{3}})[-_—－]?([{_CJK}（）]{{3,40}}?)(?:(?:金额)?单位[:：].*)?$")

# ---- regions ---------------------------------------------------------------------------
_REGION = re.compile(
    rf"^(?:[{_CJK}]{{2,8}}?(?:省|自治区))?(?:[{_CJK}]{{2,8}}?(?:市|自治州|州|盟|地区))?"
    rf"(?:[{_CJK}]{{1,12}}?(?<![社小景校片辖营市])(?:区|县|旗))?"
)

# ---- what is not a disclosure -------------------------------------------------------------
_OFFICIAL_TITLE = re.compile(r"关于.{2,120}的(通知|通报|批复|函|决定|意见|公告|通告|决议|报告|请示|复函)$")
_OFFICIAL_ENDING = re.compile(r"的(通知|通报|批复|函|决定|意见|公告|通告|决议|请示|复函)$")
_GAZETTE = re.compile(r"公报(?:\d{4}年)?(?:第\d+期)?")  # the line up to it names the gazette
_RED_HEADER = re.compile(rf"^[{_CJK}]{{4,30}}文件$")
# a line that can be a label, a code line or a title (a cheap filter before ``flat``)
_NOT_TITLE_LINE = re.compile(r"^(?:附件|附表)\s*\d*[:：]?$|^(?:打印|分享|关闭|返回|收藏|【打印】|【关闭】)$"
                             r"|时效性|索引号|发布(?:时间|日期|机构)[:：]|来源[:：]|浏览次数|字号[:：]")
_MAYBE_IDENTITY = re.compile(r"[:：]|^\s*[\[【]?\d|预算|决算|评|目标")
_STATED_YEAR = re.compile(r"预算年度[:：]?((?:19|20)\d{2})")
_DIGITS3 = re.compile(r"\d{3}")
_CODE_LABEL = re.compile(r"部门(?:预算)?(?:编码|代码)[:：|]{0,2}(\d{3})(?!\d)")
_BARE_CODE = re.compile(r"[\[【]?\d{3}[\]】]?")
_TOC = re.compile(r"^目录|^录$")  # a lone 目: _is_toc
_SECTION_START = re.compile(r"^(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．])")
_DATE_LINE = re.compile(r"^(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月(?:[\d一二三四五六七八九十]{1,3}日)?$")


@dataclass(frozen=True)
class Identity:
    """What the document says it is. ``name`` is the department (or, for a 单位预算, the
    budget unit) without its scope; ``aliases`` every printed form, longest first;
    ``scope`` "本级" / "汇总" where the name carries it; ``not_disclosure`` a one-line
    description when the document is recognisably something else."""

    kind: str | None = None
    year: int | None = None
    name: str | None = None
    aliases: tuple[str, ...] = ()
    scope: str | None = None
    code: str | None = None
    region: str | None = None
    title: str | None = None
    not_disclosure: str | None = None


@dataclass(frozen=True)
class Title:
    """One title read: kind, year, organ name (scope split off) and the region it names."""

    kind: str | None
    year: int | None
    name: str | None
    scope: str | None
    region: str | None


def _years(text: str) -> list[tuple[int, int]]:
    """(position, year) of every title-style year in a flat text."""
    out = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    out += [(m.start(), int("".join(_CN_DIGITS[c] for c in m.group(1)))) for m in _CN_YEAR.finditer(text)]
    return sorted(out)


def _kind(text: str) -> tuple[str, re.Match[str]] | None:
    """The first kind phrase of a text (for overlapping phrases, the first kind listed) that
    follows a year or an organ's name: a running header of bare words before the title
    ("部门预算信息公开" over "某局2021年度部门决算") names no document of its own; the first
    phrase where none does."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for order, (kind, rx) in enumerate(_KIND_PATTERNS):
        found.extend((m.start(), order, kind, m) for m in rx.finditer(text))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1]))
    first_year = min((pos for pos, _y in _years(text)), default=len(text))
    for start, _order, kind, m in found:
        if first_year < start or _ENDS_AS_ORGAN.search(text[max(0, start - 4):start]):
            return kind, m
    return found[0][2], found[0][3]


def organ_name(text: str) -> tuple[str | None, str | None]:
    """(organ name, scope) of the words before a title's kind: year, level and 部门/单位
    filler removed; the whole text when it ends like an organ, else its longest prefix
    that does (an evaluation title goes on with what was evaluated)."""
    t = _PART_PREFIX.sub("", _YEAR.sub("", _CN_YEAR.sub("", text)))
    # the last run of name characters: a cover may print other lines before the title
    t = next((run for run in reversed(re.split(rf"[^{_CJK}（）]+", t)) if run), "")
    scope = None
    for _ in range(3):  # "…局（本级）部门", "…局年度"
        t2 = _OWN_LEVEL.sub(r"\1", _LEVEL_FILLER.sub("", t))
        m = _SCOPE.search(t2)
        if m and len(t2) > m.end() - m.start():
            scope = scope or m.group(1)
            t2 = t2[: m.start()]
        if t2 == t:
            break
        t = t2
    if not t:
        return None, scope
    end = 0
    for m in _ORGAN_SUFFIX.finditer(t):
        nxt = t[m.end(): m.end() + 1]
        if not ((m.group(0) == "部" and nxt == "门") or (m.group(0) == "委" and nxt == "员")):
            end = m.end()
    # …政协机关 (贵州): 机关 ends a name that has no organ ending before it (…局机关 is …局's)
    for m in _OFFICES.finditer(t):
        if m.end() > end and not _ENDS_AS_ORGAN.search(t, 0, m.start()):
            end = m.end()
    # a name may end in a bracketed second name, 工商业联合会（总商会）: its ending is inside
    if end and t[:end].count("（") > t[:end].count("）") and t[end:end + 1] == "）":
        end += 1
    best = t[:end]
    if not end or not _NAME_CHARS.fullmatch(best) or region_of(best) == best:
        return None, scope
    return best, scope


def read_title(text: str) -> Title:
    """Kind, year and organ of one title (lines of a cover joined), e.g.
    "2026年度福州市民政局(本级)单位预算" -> unit_budget, 2026, 福州市民政局, 本级."""
    t = _TAG_PREFIX.sub("", flat(text))
    found = _kind(t)
    if found is None:
        return Title(None, None, None, None, None)
    kind, km = found
    head = t[: km.start()]
    # a running header's kind words before the title ("部门预算信息公开某局2021年度部门决算") are
    # no part of the organ's name
    first_year = min((pos for pos, _y in _years(head)), default=len(head))
    cut = max((e.end() for _k, rx in _KIND_PATTERNS for e in rx.finditer(head) if e.start() <= first_year), default=0)
    head = re.sub(r"^(?:信息)?公开", "", head[cut:]) if cut else head
    years = _years(t)
    before = [y for pos, y in years if pos < km.start()]
    # after the kind only when nothing but words stand between ("…情况说明" / "2026")
    after = [y for pos, y in years if pos >= km.end() and pos - km.end() <= 12 and not re.search(r"\d", t[km.end():pos])]
    year = before[-1] if before else (after[0] if after else None)
    name, scope = organ_name(head)
    if scope is None and (m := _TRAILING_SCOPE.search(t)):
        scope = m.group(1)
    region = region_of(name) if name else None
    if region is None:
        region = region_of(_YEAR.sub("", head)) or None
    return Title(kind, year, name, scope, region)


def region_of(name: str) -> str | None:
    """The administrative region a name starts with (province, city, district):
    石家庄市鹿泉区科学技术和工业信息化局 -> 石家庄市鹿泉区; 中共重庆市委宣传部 -> 重庆市;
    国家信访局 -> None."""
    n = _ORG_PREFIX.sub("", flat(name))
    m = _REGION.match(n)
    region = m.group(0) if m else ""
    return region or None


def _label_names(text: str, allowed: set[str]) -> list[tuple[str, str | None, str | None]]:
    """(name, scope, code) of every labelled name in a flat line."""
    out = []
    marks = list(_LABEL.finditer(text))
    for k, m in enumerate(marks):
        if m.group(1) not in allowed:
            continue
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        value = text[m.end(): end]
        value = value.removesuffix("金额")
        code = None
        cm = re.match(r"^(\d{3})(?!\d)[-_—－]?", value)
        if cm:
            code, value = cm.group(1), value[cm.end():]
        name, scope = organ_name(value)
        if name and _SCOPE.sub("", value) == name:  # the whole value is the name ("单位：万元" is not)
            out.append((name, scope, code))
    return out


def _official(cover: list[str]) -> str | None:
    """A one-line description of a cover that is an official document or a gazette."""
    number = title = gazette = None
    red = False
    for line in cover:
        t = flat(line)
        if gazette is None and len(t) < 40 and (g := _GAZETTE.search(t)) and g.start() >= 2:
            gazette = t[: g.end()]
        if _RED_HEADER.match(t):
            red = True
        found = find_docnumbers(t)
        if number is None and len(found) == 1 and len(t) - len(found[0].raw.replace(" ", "")) <= 3:
            number = found[0]
        if title is None and (_OFFICIAL_TITLE.search(t) or (_OFFICIAL_ENDING.search(t) and len(t) < 80)):
            title = t
    if not (number or gazette or red or title):
        return None
    what = None
    if title:
        m = _OFFICIAL_ENDING.search(title) or _OFFICIAL_TITLE.search(title)
        what = m.group(1) if m else None
    if what is None and number is not None and number.issuer.endswith("函"):
        what = "函"
    parts = [f"政府公报 {gazette}" if gazette else None,
             what or ("公文" if number or red else None),
             number.canonical if number else None,
             f"“{title[:60]}{'…' if len(title) > 60 else ''}”" if title else None]
    if what == "报告" and not (number or gazette or red) and _kind(title or ""):
        return None  # "关于…部门整体支出绩效自评情况的报告" without a 发文字号 is the disclosure
    return " ".join(p for p in parts if p)


def _is_toc(t: str, following: Block | None) -> bool:
    """目录, or 目 and 录 printed on lines of their own; a lone 目 followed by anything
    else ends a word wrapped over lines (项|目|支出绩效评价报告)."""
    if t == "目":
        return following is not None and not isinstance(following, Table) and flat(following.text) == "录"
    return bool(_TOC.match(t))


def _cover(blocks: list[Block]) -> list[str]:
    """The title lines at the top of the first text page (PDF) or of the text."""
    lines: list[str] = []
    page = None
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            if lines:
                break
            continue
        if page is None:
            page = b.loc.page
        if b.loc.page != page or len(lines) >= _COVER_BLOCKS:
            break
        t = flat(b.text)
        if not t:
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if lines and (_is_toc(t, following) or _SECTION_START.match(t)):
            break
        if len(t) > _TITLE_MAX:
            # the title run together with what follows it on the page (a table's title, its
            # unit line: lines a layout printed without a gap): the title up to its kind, where
            # that alone names kind, year and organ
            head = _title_head(t)
            if head:
                lines.append(head)
            break
        lines.append(b.text)
    return lines


def _title_head(text: str) -> str | None:
    """"某乡人民政府2023年部门预算2023年某项目支出绩效目标审批表…" -> its title, up to the first
    kind phrase; None where that part is no whole title."""
    found = _kind(text)
    if found is None or found[1].end() > _TITLE_MAX:
        return None
    head = text[: found[1].end()]
    title = read_title(head)
    return head if title.kind and title.year and title.name else None


def _prefixed_forms(name: str, blocks: list[Block]) -> set[str]:
    """The department name as printed with a city/province before it (鹿泉区投资促进局 ->
    石家庄市鹿泉区投资促进局): only for names that start with a district; the prefix is a
    region printed right before the name at least twice, or after punctuation."""
    region = region_of(name)
    if not region or re.search(r"省|市|自治区|州|盟", region):
        return set()
    text = "\n".join(flat(b.text) for b in blocks if not isinstance(b, Table) and name[-2:] in b.text)
    counts: Counter[str] = Counter()
    for m in re.finditer(re.escape(name), text):
        back = text[max(0, m.start() - 8): m.start()]
        for k in range(len(back) - 3, -1, -1):
            p = back[k:]
            if not re.fullmatch(rf"[{_CJK}]{{2,7}}[市省]", p) or p[0] in "本全该我各市省":
                continue
            before = back[k - 1] if k > 0 else (text[m.start() - 9] if m.start() >= 9 else "")
            counts[p] += 2 if not re.match(rf"[{_CJK}]", before or " ") else 1
    if not counts:
        return set()
    top = max(counts.values())
    if top < 2:
        return set()
    return {max((p for p, c in counts.items() if c == top), key=len) + name}


def _codes(blocks: list[Block], names: set[str]) -> Counter[str]:
    """3-digit department codes printed right before one of the names, in running text
    or table cells ("317 | 无锡市商务局", "主管部门及代码 | 228_烟台市财政局", "[292]国家信访局"),
    or labelled beside it ("部门名称 | X | 部门预算编码 | 103")."""
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    rx = re.compile(rf"(?<!\d)[\[【]?(\d{{3}})[\]】]?[-_—－]?(?:{alts})(?:(?![{_CJK}])|(?=单位|金额))")
    ends = {n[-1] for n in names} | {"码"}
    codes: Counter[str] = Counter()

    def scan(raw: str, nxt: str = "") -> None:
        text = flat(raw)
        if _BARE_CODE.fullmatch(text):
            text += flat(nxt)
        codes.update(m.group(1) for m in rx.finditer(text))

    def labelled(text: str) -> None:
        # "部门名称 | 泉州市人民政府办公室 | 部门预算编码 | 103": a labelled code beside the name
        if any(n in text for n in names):
            codes.update(m.group(1) for m in _CODE_LABEL.finditer(text))

    for b in blocks:
        if isinstance(b, Table):
            for row in b.rows:
                cells = row.cells[:6]
                joined = "|".join(cells)
                # cheap filters first: most rows are amounts or names without a code
                if any(e in joined for e in ends) and _DIGITS3.search(joined):
                    for i, c in enumerate(cells):
                        scan(c, cells[i + 1] if i + 1 < len(cells) else "")
                    labelled("|".join(flat(c) for c in cells))
        elif any(e in b.text for e in ends) and _DIGITS3.search(b.text):
            scan(b.text)
            labelled(flat(b.text))
    return codes


def read_identity(blocks: list[Block]) -> Identity:
    """The identity of a document from its layout blocks (see the module docstring)."""
    cover = _cover(blocks)
    official = _official(cover)
    if official:
        return Identity(not_disclosure=official, title=title_text(cover))

    # a web page's or an attachment's lines above the title (附件, 打印, 索引号…, 时效性：有效) are
    # no part of it: joined, they would run into the organ's name
    cover = [ln for ln in cover if not _NOT_TITLE_LINE.search(flat(ln))]
    labels = [ln for ln in cover if _LABEL.search(flat(ln))]
    # a title run together with the label lines below it ("某乡人民政府2023年部门预算…预算单位：某乡
    # 人民政府"): its head is a title line
    title_lines = [ln if ln not in labels else (_title_head(flat(ln)) or "") for ln in cover
                   if not _DATE_LINE.match(flat(ln))]
    title_lines = [ln for ln in title_lines if ln]
    title = read_title(_join(title_lines))
    kind, year, name, scope, region = title.kind, title.year, title.name, title.scope, title.region

    if name is None:  # the cover's own label: 预算单位：上海交通职业技术学院
        for ln in labels:
            for n, s, _c in _label_names(flat(ln), _COVER_LABELS):
                name, scope = n, scope or s
                break
            if name:
                break

    lazy: list[list[str]] = []

    def texts() -> list[str]:
        """Short lines only, read when the cover is not enough: labels, code lines and
        title-like lines (a paragraph is none of them)."""
        if not lazy:
            lazy.append([flat(b.text) for b in blocks if not isinstance(b, Table) and len(b.text) <= 3 * _TITLE_MAX
                         and _MAYBE_IDENTITY.search(b.text)])
        return lazy[0]

    if name is None:  # labels over the tables: 部门名称：X 单位：万元
        votes: Counter[tuple[str, str | None]] = Counter()
        for t in texts():
            if len(t) <= _TITLE_MAX and _LABEL.search(t):
                votes.update((n, s) for n, s, _c in _label_names(t, _BODY_LABELS))
        if votes:
            (name, s), _ = votes.most_common(1)[0]
            scope = scope or s
    if name is None:  # code lines over the tables: 322 石家庄高新技术产业开发区投资服务局
        votes2: Counter[str] = Counter()
        for t in texts():
            m = _CODE_LINE.match(t)
            if m:
                n, _s = organ_name(m.group(2))
                if n:
                    votes2[n] += 1
        if votes2:
            name = votes2.most_common(1)[0][0]

    if kind is None or year is None or name is None:  # title-like lines of the body
        kinds: Counter[str] = Counter()
        years: Counter[int] = Counter()
        names: Counter[str] = Counter()
        for t in texts():
            if len(t) > 60 or not _years(t):
                continue
            tl = read_title(t)
            if tl.kind and tl.year:
                kinds[tl.kind] += 1
                years[tl.year] += 1
                if tl.name:
                    names[tl.name] += 1
        kind = kind or (kinds.most_common(1)[0][0] if kinds else None)
        name = name or (names.most_common(1)[0][0] if names else None)
        if year is None:
            stated = Counter(int(m.group(1)) for t in texts() for m in _STATED_YEAR.finditer(t))
            year = (stated or years).most_common(1)[0][0] if (stated or years) else None

    if name is None:
        return Identity(kind=kind, year=year, region=region, title=title_text(title_lines) or title_text(cover))

    forms = {name} | _prefixed_forms(name, blocks)
    name = max(forms, key=lambda f: (len(f), f))
    aliases = set(forms)
    if scope:
        aliases |= {f"{f}（{scope}）" for f in forms}
    counted = _codes(blocks, aliases)
    code = counted.most_common(1)[0][0] if counted else None
    return Identity(kind=kind, year=year, name=name, aliases=tuple(sorted(aliases, key=lambda s: (-len(s), s))),
                    scope=scope, code=code, region=region_of(name) or region,
                    title=title_text(title_lines) or title_text(cover))


def _join(lines: list[str]) -> str:
    """Lines of a title as one text: a name, word or year wrapped over lines is whole again."""
    return "".join(flat(line) for line in lines)


def title_text(lines: list[str]) -> str | None:
    return _join(lines)[:120] or None
