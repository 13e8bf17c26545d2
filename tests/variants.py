"""Variants of the sample text extractions, for property tests: the same facts in
another layout must extract to the same records."""

from __future__ import annotations

import random
import re

from converter.parsers.docnumbers import find_docnumbers

_BOUNDARY = re.compile(r"^(?:#+\s*)?(?:部门预算[^\t.…]{2,30}表|[一二三四五六七八九十]{1,3}、[^\t.…]{2,38})\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_AMOUNT = re.compile(r"^\d+\.\d{2}$")


def reorder_sections(text: str, rng: random.Random) -> str:
    """Permute the standard tables and the numbered sections of the 情况说明."""
    lines = text.split("\n")
    starts = [i for i, l in enumerate(lines) if "\t" not in l and _BOUNDARY.match(l.strip())]
    if len(starts) < 3:
        return text
    head = lines[: starts[0]]
    chunks = [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)])]
    rng.shuffle(chunks)
    return "\n".join(head + [l for c in chunks for l in (c + [""])])


def reflow(text: str, rng: random.Random, breaks: int = 2) -> str:
    """Break long prose lines at new places, as another PDF layout would."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or line.startswith("#") or len(line) < 24 or not _CJK.search(line):
            out.append(line)
            continue
        cuts = sorted(rng.sample(range(2, len(line) - 2), k=min(breaks, len(line) - 4)))
        pieces, last = [], 0
        for c in cuts:
            a, b = line[c - 1], line[c]
            if not (_CJK.match(a) or _CJK.match(b)) or set(a + b) & set("*<>$\\- ") or (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
                continue
            pieces.append(line[last:c])
            last = c
        pieces.append(line[last:])
        out.append("\n".join(pieces))
    return "\n".join(out)


_BRACKETS = [("[", "]"), ("［", "］"), ("〔", "〕"), ("（", "）"), ("(", ")"), ("【", "】")]


def docnumber_styles(text: str, rng: random.Random) -> str:
    """Rewrite every 发文字号 with other brackets and spacing."""
    found = find_docnumbers(text)
    out, last = [], 0
    for d in found:
        o, c = rng.choice(_BRACKETS)
        sp = lambda: rng.choice(["", " "])  # noqa: E731
        out.append(text[last:d.start])
        out.append(f"{d.issuer}{sp()}{o}{d.year}{c}{sp()}{d.serial}{sp()}号")
        last = d.end
    out.append(text[last:])
    return "".join(out)


def split_numbers(text: str, rng: random.Random, rate: float = 0.3) -> str:
    """Split amounts of coded tables by a space at a new place, and break some rows
    over a page break (continuation row after the repeated header)."""
    out: list[str] = []
    header: list[str] = []
    collecting = False
    for line in text.split("\n"):
        cells = line.split("\t")
        if "\t" in line and cells[0].strip() == "序号" and "分类科目" in line:
            header, collecting = [line], True
            out.append(line)
            continue
        if collecting and "\t" in line:
            header.append(line)
            if cells[0].strip() in {"栏次", "档次"}:
                collecting = False
            out.append(line)
            continue
        code = re.sub(r"\s", "", cells[1]) if len(cells) > 2 else ""
        if "\t" in line and header and re.fullmatch(r"\d{3,7}", code) and cells[0].strip().isdigit():
            amounts = [i for i, c in enumerate(cells) if _AMOUNT.match(c.strip())]
            if amounts and rng.random() < 0.15:
                # page break inside the row: tail of each amount goes to a continuation row
                cut = {i: rng.randint(1, len(cells[i].strip()) - 1) for i in amounts}
                first = [c.strip()[: cut[i]] if i in cut else c for i, c in enumerate(cells)]
                cont = [c.strip()[cut[i]:] if i in cut else "" for i, c in enumerate(cells)]
                out.append("\t".join(first))
                out.extend(["", "单位：万元", "", *header, "\t".join(cont)])
                continue
            for i in amounts:
                if rng.random() < rate:
                    v = cells[i].strip()
                    k = rng.randint(1, len(v) - 1)
                    cells[i] = v[:k] + " " + v[k:]
            out.append("\t".join(cells))
            continue
        out.append(line)
    return "\n".join(out)


IND_HEADER = "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据"


def split_project_tables(text: str, rng: random.Random) -> str:
    """Spread each project's indicator rows over three pages, repeating the indicator
    header, and cut one row's last cell across a page break."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line and re.sub(r"<[^>]+>|\s", "", line).startswith("一级指标二级指标"):
            j = i + 1
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            body = lines[i + 1:j]
            out.append(line)
            if len(body) >= 3:
                k1, k2 = sorted(rng.sample(range(1, len(body)), 2))
                for n, row in enumerate(body):
                    if n in (k1, k2):
                        prev = out.pop()
                        cells = prev.split("\t")
                        tail = ""
                        if len(cells) >= 6 and cells[0] == "" and len(cells[5].strip()) >= 2 and rng.random() < 0.7:
                            k = rng.randint(1, len(cells[5].strip()) - 1)
                            tail = cells[5].strip()[k:]
                            cells[5] = cells[5].strip()[:k]
                        out.append("\t".join(cells))
                        out.extend(["", "单位：万元", "", IND_HEADER])
                        if tail:
                            out.append("\t".join(["", "", "", "", "", tail]))
                    out.append(row)
            else:
                out.extend(body)
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)
