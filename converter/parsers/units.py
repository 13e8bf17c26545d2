"""Subordinate units (预算单位构成) stated in sentences, as most templates outside Hebei
print them instead of a 机构设置 table:

  纳入本部门 2026 年部门汇总预算编制范围的预算单位共计 2 家，具体包括：无锡市商务局（本级），无锡市投资促进中心。
  下属 12 个二级预算单位，分别是重庆市农村水利水电中心、重庆市水文监测总站（市水质监测中心）、…。
  …只有本级，没有其他二级预算单位，因此，纳入 2025 年部门预算编制范围的只有长沙市公安局本级。
  …共 32 个内设机构、12 个直属事业单位。32 个内设机构具体包括：办公室…。12 个直属事业单位具体包括：…
  纳入…部门预算编制范围的二级预算单位包括:1.烟台市财政局2.烟台市财政集中支付中心…
  所属二级事业单位2个（甲中心、乙中心）。 / 本部门下辖一家全额拨款事业单位：甲中心。
  （三）单位构成 / 行政部门1个：某镇人民政府（本级）；事业部门5个：甲、乙…

A paragraph may hold several lists (内设机构 first, then the units): each list start is
judged by its own clause. A numbered list (1.甲 2.乙, also one item per line) is split at
its ordinals.

A list is split only at separators outside brackets, every item must read as an
organisation's name, and where the sentence states how many units there are, the list
must have exactly that many — otherwise nothing is taken and the mismatch is reported.
"""

from __future__ import annotations

import re

from converter.parsers.lexicon import UNIT_NAME_END
from converter.readers.ir import Block, Heading, Loc, Table
from converter.readers.markup import squeeze_cjk
from converter.records.model import Flag, Unit

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_N = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
# the topic of a list of budget units; 下辖 (甘肃, 北京), 汇编范围 (江西), 预算的单位 (山西), 决算单位,
# "直属4个事业公益二类单位" (甘肃)
# (town templates: "设置6个事业机构分别是：", "设置事业单位5个：", "下属二级机构有甲、乙"; "入编2017年部门
# 预算共5个单位：")
_TOPIC = re.compile(r"预算单位|决算单位|单位构成|(?:所属|下属|二级)\s*(?:" + _N + r"\s*[个家])?[\u4e00-\u9fff]{0,4}单位"
                    r"|(?:所属|下属|设置)\s*(?:" + _N + r"\s*个)?(?:二级|事业)(?:单位|机构)|部门预算共\s*" + _N + r"\s*[个家]单位"
                    r"|下辖|编制范围|汇编范围|预算的单位"
                    r"|直属\s*(?:" + _N + r"\s*个)?[\u4e00-\u9fff]{0,8}单位|部门预算包括"
                    r"|(?:行政|事业)单位\s*\d{1,3}\s*家")
_DIVISIONS = re.compile(r"内设|处室|职能处|科室|机关党委|办事机构")
# (the count after the noun: "下属事业单位1个", "二级预算单位0个")
_COUNT = re.compile(r"(?:共计|共有|共|下属|下设|下辖|直属|包括|所属)\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个|家|户)"
                    r"|^\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个|家)\s*(?:直属|下属|所属|二级)"
                    r"|单位\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个|家)")
# "…下设 1 个预算单位，为国家信访局本级。": 为 opens a list only right after the units it names
# "…二级预算单位3个：甲、乙、丙" (重庆): a count's 个/家 right before a colon opens the list too
# "…部门预算单位构成：甲、乙" / "…编制范围的预算单位：甲、乙": the colon after the topic itself
# (not a cover's "预算单位：X", which names the document's own unit)
# "下属事业单位1个，即甲中心" (北京): 即 after a count; "…编制范围的为甲本级", "…决算编制的预算单位为
# 甲（本级）" (湖南, 重庆): 为 right after the composition's words
_LIST_START = re.compile(r"(?:具体包括|分别是|分别为|包括|包含|如下|(?:(?<=单位，)|(?<=单位,))为)\s*[:：]?|(?:有|为|是)\s*[:：]"
                         r"|(?<=二级机构)有|(?<=二级单位)有"
                         r"|(?<=[个家][，,])\s*即|(?:(?<=编制范围的)|(?<=编制的预算单位)|(?<=编制的决算单位))为"
                         r"|(?<=[个家])\s*[:：]|(?<=单位构成)\s*[:：]|(?<=范围的预算单位)\s*[:：]"
                         # "所属二级事业单位2个（甲、乙）" (湖北), "下设三个事业编制机构（甲、乙、丙）" (西藏),
                         # "下辖一家全额拨款事业单位：甲" (北京), "直属4个事业公益二类单位：（1）甲：…" (甘肃)
                         r"|(?<=[个家])\s*[（(]|[个家][\u4e00-\u9fff]{0,8}?(?:单位|机构)\s*[（(:：]")
_ONLY_SELF = re.compile(r"只有\s*([\u4e00-\u9fff（）()]{2,40}?本级)")
_NUMBERING = re.compile(r"^(?:\d{1,3}[.．、]|[（(]\d{1,3}[)）]|[①-⑳])\s*")
# a composition heading with no list opener of its own: "二、部门预算单位构成" over "1、某局本级"
_COMPOSITION_TITLE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．])?"
                                r"\s*(?:部门|单位)?(?:预算|决算)?单位构成(?:情况)?(?:[、和及](?:主要)?职[责能])?[。.:：]?")
# names, then their count and kind: "下设甲局机关、乙馆、丙中心三家行政事业单位" (北京), "…；及甲中心
# 和乙站2个事业单位", "甲委员会本级1个单位": read only where the count is the number of names
# (a list starts only where a clause does, and runs at most 300 characters: linear on any text)
_COUNTED_AFTER = re.compile(r"(?:(?<=[，,；;。：:（(）)])|^)(?P<list>[^，,；;。：:（(）)]{1,300}?)(?P<n>" + _N + r")\s*(?:个|家)(?P<kind>[\u4e00-\u9fff]{0,8}?)单位")
# the kind named with the count: budget units (行政 / 事业 / 预算 …), or none after a 本级
_COUNTED_KIND = re.compile(r"^(?:直属|下属|所属|二级)?(?:行政|事业|参公|全额|差额|自收自支|预算)|^二级$")
_COUNTED_LEAD = re.compile(r"^.*?(?:下设|下辖|设有|包括|即|及|下属设?)")
_OPEN, _CLOSE = "（(《“", "）)》”"


def _count(text: str) -> int | None:
    by_kind = re.findall(r"(?:行政|事业)单位\s*(\d{1,3})\s*家", text)  # "行政单位1家，事业单位1家"
    if by_kind:
        return sum(int(n) for n in by_kind)
    m = _COUNT.search(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2) or m.group(3)
    return _number(raw)


def _number(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    if raw.startswith("十"):
        return 10 + _CN_DIGITS.get(raw[1:], 0) if len(raw) > 1 else 10
    if len(raw) == 2 and raw[1] == "十":
        return _CN_DIGITS[raw[0]] * 10
    if len(raw) == 3 and raw[1] == "十":
        return _CN_DIGITS[raw[0]] * 10 + _CN_DIGITS[raw[2]]
    return _CN_DIGITS.get(raw)


def split_top_level(text: str) -> list[str]:
    """Items of a list separated by 、，,；; outside brackets (a name may hold a 、 in its
    bracketed alias)."""
    items: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            items.append(cur)
            cur = ""
            continue
        cur += ch
    items.append(cur)
    return [i.strip() for i in items if i.strip()]


_NATURE = re.compile(r"[（(](?:下属)?(行政单位|事业单位|参公事业单位|参公单位|参公|参照公务员法管理事业单位|企业|机关|挂靠[^（()）]{1,12})[)）]")
# an ordinal 1. / 1、 / （1）
_ORDINAL = re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[)）]")


def split_nature(name: str) -> tuple[str, str | None]:
    """"…执法大队（下属参公事业单位）" -> ("…执法大队", "参公事业单位"): a bracketed 单位性质
    after a unit's name (in a sentence or a units table's name cell) is its nature, not its name."""
    m = _NATURE.search(name)
    return (_NATURE.sub("", name).strip(), m.group(1)) if m else (name, None)


def numbered_items(body: str) -> list[str] | None:
    """"1.甲2.乙 3.丙" -> [甲, 乙, 丙]: a list split at its ordinals 1, 2, 3 … in order (a
    digit inside a name is not an ordinal unless it is the next one); None when the body
    is not such a list."""
    cuts: list[tuple[int, int]] = []
    for m in _ORDINAL.finditer(body):
        if int(m.group(1) or m.group(2)) == len(cuts) + 1:
            cuts.append((m.start(), m.end()))
    if len(cuts) < 2 or body[: cuts[0][0]].strip():
        return None
    ends = [c[0] for c in cuts[1:]] + [len(body)]
    return [body[c[1]:e].strip(" \t\n、，,；;。") for c, e in zip(cuts, ends)]


def _and_split(names: list[str]) -> list[str]:
    """"…信息中心和重庆市三峡库区工作服务中心": the list's last two joined by 和/及."""
    if names:
        last = names[-1]
        # at the 和 between two names, not one inside a name (呼和浩特市…中心和呼和浩特市…站)
        for m in re.finditer(r"(?<=[一-鿿）)])(?:以及|和|及)(?=[一-鿿])", last):
            parts = [last[: m.start()], last[m.end():]]
            if all(UNIT_NAME_END.search(p) and len(p) > 3 for p in parts):
                return names[:-1] + parts
    return names


def _clean(item: str) -> str:
    item = _NUMBERING.sub("", item.strip())
    item = re.sub(r"^(?:包括|包含)(?=[\u4e00-\u9fff]{3})", "", item)  # "（包括市交通运输局、…）"
    # "局属市港航管理中心": 局属 (the bureau's own) qualifies the unit, it is not its name
    item = re.sub(r"^(?:局|委|厅|办|部)属(?=[\u4e00-\u9fff]{3})", "", item)
    # "二级拨款单位区泾河源山庄管理处" (宁夏): the item's kind before its name
    item = re.sub(r"^(?:二级|三级)?(?:拨款|预算|决算)单位(?=[\u4e00-\u9fff]{3})", "", item)
    # "…本级和0个所属二级预算单位" (江西), "甲和乙两部门" (西藏): the count after the names
    item = re.sub(r"和\s*[0零]\s*个[\u4e00-\u9fff]*单位$", "", item)
    item = re.sub(r"(?<=[\u4e00-\u9fff）)])(?:两|" + _N + r"个?)(?:部门|单位)$", "", item)
    item = re.sub(r"本级预算(?=[（(]|$)", "本级", item)  # "杭州市公安局本级预算（行政单位）"
    item = re.sub(r"(?<=[)）])(?:部门)?预算$", "", item)  # "…地铁分局（行政单位）预算"
    bare = re.sub(r"(?:单位|部门)?预算$", "", item)  # "烟台市无线电监测中心单位预算", "…（别名）部门预算"
    if bare != item and UNIT_NAME_END.search(bare):
        item = bare
    for tail in ("等单位", "等"):
        if item.endswith(tail):
            return item[: -len(tail)]
    return item


def _is_name(n: str) -> bool:
    """An item that reads as one organisation's name (not two run together over a 。)."""
    return bool(UNIT_NAME_END.search(n)) and 2 < len(n) <= 80 and not re.search(r"[\d。]", n)


def _sentence(blocks: list[Block], i: int) -> tuple[str, Loc]:
    """The block's text, continued into the next text blocks while its last list has not
    ended (a page break inside the list; a numbered list printed one item a line)."""
    text = squeeze_cjk(blocks[i].text)
    # the last list the block opens may run on
    start = next(reversed(list(_LIST_START.finditer(text))), None)
    j = i + 1
    while start and j < len(blocks) and not isinstance(blocks[j], Table):
        nxt = squeeze_cjk(blocks[j].text)
        numbered = _numbered(text, start) and _ORDINAL.match(nxt)
        if _numbered(text, start) and not numbered:
            break  # a numbered list ends at the first line that is not one of its items
        if "。" in text[start.end():] and not numbered:
            break  # the list has ended, unless its items are numbered lines that end in 。 (普陀)
        # a list printed one numbered item a line goes on; a heading ends a list that ends
        # without its 。 ("…包括:1.甲2.乙" then "第二部分")
        if (j > i + 2 or isinstance(blocks[j], Heading)) and not numbered:
            break
        # one name a line, unnumbered ("…的单位包括：" then "甲（机关）", "乙所"): a line that ends
        # a name ends an item (a name cut by a page break does not end as a name does)
        text += ("、" if UNIT_NAME_END.search(text) else "") + nxt
        j += 1
    return text, blocks[i].loc


def _list_body(sentence: str, start: re.Match[str]) -> str:
    """The list opened at ``start``: to the sentence's 。, or to the ；before the clause that
    opens the next list ("…甲、乙；下设自收自支二级预算单位3个：丙、丁。", 重庆); a list
    opened by a bracket, to its closing bracket."""
    if start.group(0).rstrip()[-1:] in "（(":
        depth, out = 1, ""
        for ch in sentence[start.end():]:
            depth += ch in "（("
            depth -= ch in "）)"
            if depth == 0:
                return out
            out += ch
        return out
    body = sentence[start.end():].split("。", 1)[0]
    nxt = _LIST_START.search(body)
    if nxt:
        cut = max(body.rfind("；", 0, nxt.start()), body.rfind(";", 0, nxt.start()))
        if cut > 0:
            return body[:cut]
    return body


def _numbered(text: str, start: re.Match[str]) -> bool:
    """The list opened at ``start`` is numbered: its first item is "1." or "（1）"."""
    return bool(re.match(r"\s*(?:1[.．、](?!\d)|[（(]1[)）])", text[start.end():]))


# a clause about the budget's composition (预算单位构成 / 编制范围), preferred over a plain
# 下属单位 list: 无锡 prints "本部门下属单位包括：甲中心。" and then "纳入…编制范围的预算单位
# 共计 2 家，具体包括：本局（本级），甲中心。", the whole composition
_COMPOSITION = re.compile(r"预算单位|单位构成|编制范围")


def _lists(blocks: list[Block], flags: list[Flag]):
    """(block index, preferred, units) for every unit list the sentences print, in document order.
    Under a composition heading ("（三）单位构成", or a text opening with it) every list of the
    next text is on topic ("行政部门1个：甲（本级）；事业部门5个：乙、丙…", 重庆)."""
    under_heading = False
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        heading = _COMPOSITION_TITLE.fullmatch(text) is not None
        on_topic, under_heading = under_heading or _COMPOSITION_TITLE.match(text) is not None, heading
        if heading:
            continue
        # a list followed by its count and kind is on topic by itself
        counted = _counted_after(text, b.loc) if "单位" in text else []
        if not (on_topic or counted or _TOPIC.search(text)):
            continue
        only = _ONLY_SELF.search(text)
        if only and "没有" in text:
            yield i, True, [Unit(name=only.group(1), loc=b.loc)]
            continue
        if not _LIST_START.search(text):
            if counted:
                yield i, on_topic, counted
            continue
        sentence, loc = _sentence(blocks, i)
        taken = 0  # end of the last list read: a start inside it is a word of that list
        for start in _LIST_START.finditer(sentence):
            if start.start() < taken:
                continue
            # the clause that introduces this list: not the cited titles, not an earlier sentence,
            # unless the list opens a sentence of its own ("…下属单位共3个。分别是：甲、乙、丙。")
            clauses = re.split(r"[。；;]", sentence[: start.start()])
            clause = clauses[-1] if clauses[-1].strip() or len(clauses) < 2 else clauses[-2]
            clause = re.sub(r"《[^》]*》", "", clause)
            # the part after the clause's last comma where it names the units itself: "…内设机构17个，
            # 下属事业单位32个，下设二级预算单位分别为甲、乙" is about the last part only
            last = re.split(r"[，,]", clause)[-1]
            if _TOPIC.search(last + start.group(0)):
                clause = last
            if not (on_topic or _TOPIC.search(clause + start.group(0))) or _DIVISIONS.search(clause + start.group(0)):
                continue  # a list of internal divisions (内设机构: 办公室、综合处…), not budget units
            items: list[str] | None = None
            if _numbered(sentence, start):  # numbered items, each may run on after its name (普陀:
                body = sentence[start.end():]  # "1.商务委本部，…机关设9个内设机构…。2.…中心，不单列预算。")
                items = numbered_items(body)
                if items is not None:  # "（1）省妇联保育院：编制41名…" (甘肃): the name, before its details
                    items = [re.split(r"[，,。；;：:]", x, maxsplit=1)[0] for x in items]
            if items is None:
                body = _list_body(sentence, start)
                items = numbered_items(body) or split_top_level(body)
            end = start.end() + len(body)
            names = [_clean(n) for n in _and_split([n for n in (_clean(x) for x in items) if n])]
            pairs = [split_nature(n) for n in names]
            names, natures = [n for n, _ in pairs], [k for _, k in pairs]
            stated = _count(clause + start.group(0))
            if stated and len(names) > stated and all(map(_is_name, names[:stated])) and not _is_name(names[stated]):
                # "下属事业单位1个，即甲中心，为全额拨款事业编制": the stated count of names, then
                # the sentence goes on about them
                names, natures = names[:stated], natures[:stated]
            if not names or not all(map(_is_name, names)):
                continue  # not a list of names: a later start in its text may open one
            taken = end
            if stated is not None and stated != len(names):
                flags.append(Flag(kind="unit-list-mismatch", raw=body, loc=loc,
                                  message=f"the text states {stated} units but lists {len(names)}; not taken"))
                continue
            yield i, on_topic or bool(_COMPOSITION.search(clause)), [Unit(name=n, nature=k, loc=loc)
                                                                     for n, k in zip(names, natures)]
        if counted:
            yield i, on_topic, counted


def _counted_after(text: str, loc: Loc) -> list[Unit]:
    """The first list of names followed by their count (``_COUNTED_AFTER``) whose count is
    the number of names, each reading as a name; [] when there is none."""
    for m in _COUNTED_AFTER.finditer(text):
        head = m.group("list")
        if _DIVISIONS.search(head) or not (_COUNTED_KIND.match(m.group("kind")) or
                                           (not m.group("kind") and head.endswith("本级"))):
            continue
        body = _COUNTED_LEAD.sub("", head)
        names = [_clean(n) for n in _and_split([n for n in (_clean(x) for x in split_top_level(body)) if n])]
        pairs = [split_nature(n) for n in names]
        if pairs and len(pairs) == _number(m.group("n")) and all(_is_name(n) for n, _ in pairs):
            return [Unit(name=n, nature=k, loc=loc) for n, k in pairs]
    return []


def units_from_prose(blocks: list[Block], flags: list[Flag]) -> list[Unit]:
    """The units a disclosure's sentences list: the first list of the budget's composition
    (with the composition lists that follow it in the same sentence: 重庆 lists its 财政拨款
    units, then its 自收自支 units), else the first list of subordinate units, else []."""
    first: list[Unit] = []
    composition: list[Unit] = []
    at: int | None = None
    for i, preferred, units in _lists(blocks, flags):
        if at is not None and i != at:
            break
        if preferred:
            at = i
            composition.extend(units)
            continue
        first = first or units
    return composition or first
