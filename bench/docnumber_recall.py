"""Recall of document numbers (发文字号) on the real PDFs, measured independently of the reader.

    .venv/bin/python bench/docnumber_recall.py [FOLDER ...] [--jobs N] [--only TEXT] [--refs-cache F]

FOLDER defaults to ../shared/corpus-real (or BUDGETLOD_REAL_CORPUS) and its wide/ folder. The hold-out files
(HELPERS.md; ``holdout`` in tests/handchecked_real/facts.json) and the files that are no
disclosure (``not_a_disclosure`` there) are skipped entirely: not read, not extracted.

For each other PDF the page text is read with pypdfium2 (not the reader's pdfplumber pass)
and searched with a deliberately loose pattern: a bracket of any kind holding a 19xx/20xx
year (digits may be split by spaces or line breaks, 年 may follow), then within a few
characters (layout whitespace, 第) a run of digits, with or without 号; a list of further
serials after it ("39号、40号", "39、40号"). Two more families are listed apart, because
they have no bracketed year and so no canonical form X〔YYYY〕N号: ``第N号`` numbers
(财政部令第85号, 公告2023年第12号) and years printed without any bracket before a serial
with 号 (石财外2023 39号).

Each candidate is compared with the document numbers ``converter.pipeline.extract``
puts in the records (``Disclosure.doc_refs``: the projects' and the document's) by year
and serial; the issuer must be the end of the characters printed before the bracket.
Printed: per file the distinct numbers seen, found, found with another issuer, missed
(recall = found / seen), and the (number, page) occurrences whose page holds a record of
the number; then every miss with its page and context, and the numbers the records hold
that the loose pattern did not see (extras).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402

from tests.real_corpus import real_corpus  # noqa: E402 - finds the corpus from a worktree too

REAL = real_corpus() or ROOT.parent / "shared" / "corpus-real"
FACTS = ROOT / "tests" / "handchecked_real" / "facts.json"
# HELPERS.md's hold-out files, by city and department word: never read here, even if
# facts.json forgets one
HOLDOUT_WORDS = [("湖州", "卫生健康"), ("无锡", "人力资源"), ("烟台", "水利"), ("深圳", "司法"), ("重庆", "规划和自然资源"),
                 ("福州", "生态环境"), ("西安", "公安"), ("北京", "文化和旅游"), ("上海", "司法")]

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN = "[［〔﹝（(﹙【〖〘〈<｛{「『"
_CLOSE = "]］〕﹞）)﹚】〗〙〉>｝}」』"
_YEAR = r"(?P<year>(?:1\s*9|2\s*0)\s*\d\s*\d)"
# loose: any bracket around a year, then (spaces, 第) a serial, 号 optional
LOOSE = re.compile(rf"[{re.escape(_OPEN)}]\s*{_YEAR}\s*年?\s*[{re.escape(_CLOSE)}][\s第]{{0,4}}"
                   rf"(?P<serial>\d(?:\s?\d){{0,5}})(?P<hao>\s*号)?")
LOOSE_MORE = re.compile(r"\s*[、,，和及]\s*(?:第\s*)?(?P<serial>\d{1,6})(?P<hao>\s*号)?")
# no bracketed year: 财政部令第85号, 国家税务总局公告2023年第12号, 主席令第十号
DI_HAO = re.compile(r"(?P<who>[\u4e00-\u9fff]{0,12}?(?:令|公告|告示|通告)\s*(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?)"
                    r"第\s*(?P<serial>[\d一二三四五六七八九十百零〇]{1,6})\s*号")
# a year without any bracket, right after an issuer, before a serial with 号: 石财外2023 39号
NO_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])(?P<year>(?:19|20)\d\d)\s{0,2}(?P<serial>\d{1,5})\s*号")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass
class Candidate:
    page: int
    year: int
    serial: int
    run: str  # CJK characters printed right before the bracket (issuer, maybe with lead words)
    hao: bool
    context: str
    family: str = "bracketed"  # bracketed | di_hao | no_bracket


@dataclass
class FileResult:
    rel: str
    pages: int = 0
    error: str | None = None
    seconds: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    refs: list[dict] = field(default_factory=list)  # canonical, issuer, year, serial, page, project, context


def _run_before(text: str, i: int) -> str:
    """The CJK characters right before position i (at most 12), across layout whitespace
    and line breaks (an issuer wrapped over two lines: "京\n办字〔2019〕85号")."""
    j = i
    chars: list[str] = []
    while j > 0 and len(chars) < 12:
        k = j
        while k > 0 and j - k < 4 and text[k - 1].isspace():
            k -= 1
        if k == 0 or not _CJK.match(text[k - 1]):
            break
        chars.append(text[k - 1])
        j = k - 1
    return "".join(reversed(chars))


def _context(text: str, a: int, b: int, width: int = 30) -> str:
    return (text[max(0, a - width):a] + "【" + text[a:b] + "】" + text[b:b + width]).replace("\r", "").replace("\n", "⏎")


def page_candidates(text: str, page: int) -> list[Candidate]:
    """Every loose candidate on one page's text."""
    text = text.translate(_FW)
    out: list[Candidate] = []
    for m in LOOSE.finditer(text):
        run = _run_before(text, m.start())
        year = int(re.sub(r"\s", "", m.group("year")))
        serials = [(int(re.sub(r"\s", "", m.group("serial"))), bool(m.group("hao")))]
        end = m.end()
        while (more := LOOSE_MORE.match(text, end)) is not None:
            serials.append((int(more.group("serial")), bool(more.group("hao"))))
            end = more.end()
        if len(serials) > 1 and not serials[-1][1]:
            serials.pop()  # "39号、2024年": the digits after the list are not a serial
        ctx = _context(text, m.start(), end)
        for s, hao in serials:
            out.append(Candidate(page, year, s, run, hao or len(serials) > 1, ctx))
    for m in DI_HAO.finditer(text):
        serial = int(m.group("serial")) if m.group("serial").isdigit() else -1
        out.append(Candidate(page, int(m.group("year") or 0), serial, m.group("who"), True,
                             _context(text, m.start(), m.end()), "di_hao"))
    for m in NO_BRACKET.finditer(text):
        out.append(Candidate(page, int(m.group("year")), int(m.group("serial")), _run_before(text, m.start()), True,
                             _context(text, m.start(), m.end()), "no_bracket"))
    return out


def measure(path: Path, rel: str, extract_refs: bool) -> FileResult:
    res = FileResult(rel=rel)
    start = time.perf_counter()
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        res.pages = len(pdf)
        for i in range(len(pdf)):
            res.candidates += page_candidates(pdf[i].get_textpage().get_text_range(), i + 1)
    finally:
        pdf.close()
    if extract_refs:
        from converter.errors import InputError
        from converter.pipeline import extract

        try:
            d = extract(path, time_limit=600.0).disclosure
            res.refs = [{"canonical": r.canonical, "issuer": r.issuer, "year": r.year, "serial": r.serial,
                         "page": r.loc.page, "project": r.project_name, "context": r.context} for r in d.doc_refs]
        except InputError as err:
            res.error = err.problem
    res.seconds = time.perf_counter() - start
    return res


def _issuer_ok(run: str, issuer: str) -> bool:
    return bool(issuer) and run.endswith(issuer)


def compare(res: FileResult) -> dict:
    """Distinct numbers seen, found (issuer printed before the bracket), found with another
    issuer, missed; occurrences found on their page; extras."""
    seen: dict[tuple, list[Candidate]] = {}
    for c in res.candidates:
        if c.family == "bracketed":
            seen.setdefault((c.year, c.serial, c.run[-3:]), []).append(c)
    found, other, missed = [], [], []
    occ = occ_found = 0
    used: set[str] = set()
    for key, cs in seen.items():
        year, serial, _ = key
        same = [r for r in res.refs if r["year"] == year and r["serial"] == serial]
        good = [r for r in same if any(_issuer_ok(c.run, r["issuer"]) for c in cs)]
        bare = [r for r in same if not r["issuer"] and not any(c.run for c in cs)]  # none printed, none read
        if good or bare:
            found.append((key, cs, good or bare))
            used.update(r["canonical"] for r in good or bare)
        elif same:
            other.append((key, cs, same))
            used.update(r["canonical"] for r in same)
        else:
            missed.append((key, cs))
        for page in sorted({c.page for c in cs}):
            occ += 1
            occ_found += any(r["page"] == page for r in (good or bare or same))
    extras = sorted({r["canonical"] for r in res.refs} - used)
    return {"seen": len(seen), "found": found, "other": other, "missed": missed, "occ": occ,
            "occ_found": occ_found, "extras": extras}


def _skip(rel: str, facts: dict) -> str | None:
    name = Path(rel).name
    if any(city in name and word in name for city, word in HOLDOUT_WORDS):
        return "hold-out"
    entry = facts.get(rel)
    if entry is not None and entry.get("holdout"):
        return "hold-out"
    if entry is not None and any(f["id"] == "not_a_disclosure" for f in entry["facts"]):
        return "not a disclosure"
    return None


def files(folders: list[Path]) -> list[tuple[Path, str]]:
    facts = {e["path"]: e for e in json.loads(FACTS.read_text(encoding="utf-8"))["files"]}
    out = []
    for folder in folders:
        for p in sorted(folder.glob("*.pdf")):
            rel = str(p.relative_to(REAL)) if p.is_relative_to(REAL) else p.name
            if _skip(rel, facts) is None:
                out.append((p, rel))
    return out


def report(results: list[FileResult]) -> str:
    lines = ["# Recall of document numbers on the real PDFs", "",
             "Seen = distinct bracketed-year numbers the loose pattern finds in the pypdfium2 page text; found = a "
             "record holds the year and serial with the issuer printed before the bracket; other issuer = year and "
             "serial held under another issuer (or none); occurrences = (number, page) pairs whose page holds a "
             "record of it.", "",
             "| file | pages | seen | found | other issuer | missed | recall | occurrences on their page | extras | "
             "di_hao / no_bracket seen | s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    tot = {"seen": 0, "found": 0, "other": 0, "missed": 0, "occ": 0, "occ_found": 0, "extras": 0}
    details: list[str] = []
    for res in results:
        if res.error:
            lines.append(f"| {res.rel} | {res.pages} | error: {res.error} | | | | | | | | {res.seconds:.0f} |")
            continue
        c = compare(res)
        side = [x for x in res.candidates if x.family != "bracketed"]
        for k in tot:
            tot[k] += c[k] if isinstance(c[k], int) else len(c[k])
        rec = f"{100 * len(c['found']) / c['seen']:.0f} %" if c["seen"] else "—"
        lines.append(f"| {res.rel} | {res.pages} | {c['seen']} | {len(c['found'])} | {len(c['other'])} | "
                     f"{len(c['missed'])} | {rec} | {c['occ_found']}/{c['occ']} | {len(c['extras'])} | "
                     f"{sum(x.family == 'di_hao' for x in side)} / {sum(x.family == 'no_bracket' for x in side)} | "
                     f"{res.seconds:.0f} |")
        start = len(details)
        for (year, serial, _), cs in c["missed"]:
            details.append(f"- MISS p{','.join(str(p) for p in sorted({x.page for x in cs}))} {year}/{serial}"
                           f"{'' if cs[0].hao else ' (no 号)'}: {cs[0].context}")
        for (year, serial, _), cs, refs in c["other"]:
            details.append(f"- OTHER ISSUER p{cs[0].page} {year}/{serial}: records {sorted({r['canonical'] for r in refs})}"
                           f"; page: {cs[0].context}")
        for (year, serial, _), cs, refs in c["found"]:
            pages = sorted({x.page for x in cs})
            off = [p for p in pages if not any(r["page"] == p for r in refs)]
            if off:
                details.append(f"- not on its page p{','.join(map(str, off))}: {refs[0]['canonical']} "
                               f"(records on p{sorted({r['page'] or 0 for r in refs})}); {cs[0].context}")
        for e in c["extras"]:
            where = sorted({(r["page"] or 0, r["context"]) for r in res.refs if r["canonical"] == e})
            details.append(f"- EXTRA {e} {where}")
        for x in side:
            got = [r["canonical"] for r in res.refs if r["serial"] == x.serial and (not x.year or r["year"] == x.year)]
            details.append(f"- {x.family} p{x.page} records {got}: {x.context}")
        if len(details) > start:
            details.insert(start, f"\n### {res.rel}\n")
    rec = f"{100 * tot['found'] / tot['seen']:.1f} %" if tot["seen"] else "—"
    lines.append(f"| **total** | | {tot['seen']} | {tot['found']} | {tot['other']} | {tot['missed']} | **{rec}** | "
                 f"{tot['occ_found']}/{tot['occ']} | {tot['extras']} | | |")
    return "\n".join(lines + ["", "## Misses, other issuers, extras, numbers without a bracketed year"] + details)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", default=[str(REAL), str(REAL / "wide")])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", default="", help="only files whose path contains this text")
    ap.add_argument("--no-extract", action="store_true", help="list the page candidates only")
    ap.add_argument("--refs-cache", help="JSON file of each file's records (written if absent, read if present)")
    args = ap.parse_args(argv)
    todo = [(p, rel) for p, rel in files([Path(f) for f in args.folders]) if args.only in rel]
    cache = Path(args.refs_cache) if args.refs_cache else None
    cached = json.loads(cache.read_text(encoding="utf-8")) if cache and cache.exists() else None
    extract_refs = not args.no_extract and cached is None
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(measure, [p for p, _ in todo], [r for _, r in todo], [extract_refs] * len(todo)))
    if cached is not None:
        for res in results:
            res.refs, res.error = cached.get(res.rel, {}).get("refs", []), cached.get(res.rel, {}).get("error")
    elif cache is not None and extract_refs:
        cache.write_text(json.dumps({r.rel: {"refs": r.refs, "error": r.error} for r in results}, ensure_ascii=False),
                         encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
