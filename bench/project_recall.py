"""Project recall and precision on the real PDFs: the projects each document prints
against the projects ``converter.pipeline.extract`` puts in its records.

    PYTHONPATH=$PWD .venv/bin/python bench/project_recall.py [FOLDER ...] [--jobs 1] [--names] [--json OUT]

FOLDER defaults to ../shared/corpus-real and its wide/ folder. The hold-out files of
HELPERS.md and the four non-disclosures of wide/SOURCES.md are skipped entirely (never
read, never extracted).

The printed projects are found in the page text (pypdfium2, not the reader's pdfplumber
pass) by this file's own simple rules, independent of the parsers:
  form    a 项目名称 label with its value on the same line or the next (one per form);
          a form title naming its project ("…项目绩效目标表") where the form prints no label
  rows    under a header line naming 项目名称 (or 项目/专项名称) with an amount column, each
          line that starts with a name and carries a money amount (x.xx) before any other text
          (project lists, row-per-project target tables); totals and header words skipped
  prose   a "…经费情况说明" title followed by "一、项目概述" (Shanghai district budgets)
Names that wrap over two lines are matched by prefix, so a rough count is enough.

Per file: pages, printed, extracted, matched by name (printed names that some record
carries, exactly or as a prefix either way, after removing whitespace and punctuation),
duplicates (two records of one project: the same normalised name or code, or the same
amount and a name that is a prefix of the other, in one unit), records with no amount,
and records whose name is not a project (a header or total word, a table title, a
generic heading, an over-long text). ``--names`` lists the unmatched names both ways.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.real_files import page_texts, skipped_paths  # noqa: E402

# the shared corpus beside the checkout (or beside the folder of git worktrees)
REAL = next((c for c in (q / "shared" / "corpus-real" for q in ROOT.parents) if c.is_dir()),
            ROOT.parent / "shared" / "corpus-real")

# ---- the printed projects (page text, this file's own rules) ----------------------------

_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[\ufffe\s\"'“”‘’《》〈〉、,，.。:：;；·()（）\[\]【】〔〕<>_\-—－~]")
_TOC = re.compile(r"^\s*目\s*录\s*$|[.…·]{6}", re.M)
_MONEY = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d%％])|(?<![\d.])-?\d+\.\d{2}(?![\d%％])")
_TOTAL = re.compile(r"^(?:合计|总计|小计|其中|共计|本年|上年|单位|部门)")
# header labels that stand where a name would when 项目名称 heads a column, not a form's label
_HEADER_VALUE = re.compile(r"^(?:[（(]|\d{4}年|项目(?:编码|代码|编号|类别|类型|单位|金额|资金|总额|预算)|单位(?:名称|编码|代码)?$|"
                           r"(?:金额|合计|总计|预算数|预算金额|资金总额|年度预算|当年财政拨款|财政拨款|绩效目标|一级指标|"
                           r"主管部门|实施单位|序号|功能分类|经济分类|备注|栏次|其他资金|类别|用途)(?:$|[（(：:\s]))")
_LABEL = re.compile(r"^\s*(?:一级|二级)?项目名称\s*[:：]?\s*(?:[（(](?:一级|二级)项目[)）])?\s*(.*)$")
# a form title naming its project: "e福州…专栏项目绩效目标表", "1、XX项目支出绩效目标表"
_FORM_TITLE = re.compile(r"^(?:(?:附?表|附件)\s*\d*(?:[-—－.]\d+)*\s*[:：]?|[（(][一二三四五六七八九十\d]{1,3}[)）]|"
                         r"[一二三四五六七八九十\d]{1,3}[、.．])?\s*(?:\d{4}年度?)?(?P<name>.{2,60}?)(?:项目)?(?:支出)?"
                         r"绩效目标(?:申报)?表$")
_GENERIC = re.compile(r"^[（(]?(?:\d{4}年度?)?[)）]?(?:.{0,20}(?:部门|单位|局|委|办|厅|中心))?(?:部门|单位|本部门|本单位|部门预算|单位预算|"
                      r"部门项目|重点|一级|二级|政策和项目预算|政策和项目|专项|专项资金|专项业务经费|部门专项业务经费|"
                      r"部门整体|整体|预算|转移支付|项目|年度项目|项目支出|年项目)?$")
_LIST_HEADER = re.compile(r"(?:^|\s)(?:(?:一级|二级)?项目名称|专项名称|项目|单位[（(]项目[)）]名称|支出项目类别)(?:[（(][^)）]*[)）]?)?(?:\s|$)")
_AMOUNT_HEADER = re.compile(r"合计|总计|金额|预算数|资金总额|年度预算|预算金额|项目资金|财政拨款")
# a page printing projects one per row: its title names a project table (not a standard table
# whose header says 项目 for its row labels, nor the department's overall targets)
_PROJECT_TITLE = re.compile(r"项目.{0,12}(?:表|明细|情况)|专项.{0,12}表|重点项目|项目绩效目标")
_NOT_PROJECT_TITLE = re.compile(r"整体|收支总|政府采购|三公|基本支出|机关运行|国有资产|功能分类|经济分类")
# a row label that names a unit (a unit's subtotal row), not a project
_UNIT_NAME = re.compile(r"(?:局|委员会|办公室|办公厅|中心|站|所|院|校|馆|队|处|部|会|(?:本级|汇总)[)）]?)$")
_ENDS_TEXT = re.compile(r"[。；;%％:：]$")
_PROSE_TITLE = re.compile(r"^(?P<name>.{2,60}?)(?:项目)?(?:经费)?情况说明$")


@dataclass
class Printed:
    name: str
    page: int
    how: str  # form / title / rows / prose
    amount: str | None = None  # a row's first amount, as printed (its 合计 / 预算数 column)



def key(name: str) -> str:
    """Comparison key: no whitespace or punctuation, a trailing 项目 dropped."""
    k = _PUNCT.sub("", name)
    return k[:-2] if k.endswith("项目") and len(k) > 4 else k


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\r", "\n").split("\n") if ln.strip()]


def _cut_name(value: str) -> str:
    """The name part of a label's value: up to the next label on the same line."""
    value = re.split(r"\s{2,}|\s(?=(?:项目编码|项目代码|主管部门|主管单位|实施单位|项目单位|预算单位|单位编码|资金总额|"
                     r"年度资金|项目属性|项目类[型别]|项目期限|起止时间))", value)[0]
    return _WS.sub("", value)


def printed_projects(pages: list[str]) -> list[Printed]:
    out: list[Printed] = []
    seen: set[str] = set()

    def add(name: str, page: int, how: str, amount: str | None = None) -> None:
        k = key(name)
        if len(k) >= 2 and k not in seen and not _TOTAL.match(k):
            seen.add(k)
            out.append(Printed(name, page, how, amount))

    in_rows = False  # under a project table's header; carried to a page continuing it untitled
    titled = False  # after a project table's title (or a section on projects)
    for n, text in enumerate(pages, 1):
        if _TOC.search(text) and "项目名称" not in text:
            in_rows = titled = False
            continue
        lines = _lines(text)
        labelled = False
        last_money = -1
        for i, ln in enumerate(lines):
            flat = _WS.sub("", ln)
            if len(flat) < 60 and _PROJECT_TITLE.search(flat) and not _NOT_PROJECT_TITLE.search(flat) \
                    and not _MONEY.search(ln):
                titled = True
            elif len(flat) < 60 and (re.search(r"表(?:[（(].{0,20}[)）])?$", flat) or re.match(
                    r"^第[一二三四五六七八九十]+部分|^[一二三四五六七八九十]+、", flat)):
                in_rows = titled = False  # another table or a section starts
            m = _LABEL.match(ln)
            if m:
                value = m.group(1).strip()
                if not value and i + 1 < len(lines) and not _LABEL.match(lines[i + 1]):
                    value = lines[i + 1]
                if value and not _HEADER_VALUE.match(value.split()[0]):
                    add(_cut_name(value), n, "form")
                    labelled = True
                    in_rows = False
                    continue
                # a header: 项目名称 followed by other column labels
                in_rows = bool(_AMOUNT_HEADER.search(flat) or any(
                    _AMOUNT_HEADER.search(_WS.sub("", x)) for x in lines[i + 1:i + 4]))
                last_money = i
                continue
            if titled and _LIST_HEADER.search(ln) and len(flat) < 80 and any(
                    _AMOUNT_HEADER.search(_WS.sub("", x)) for x in lines[i:i + 4]):
                in_rows, last_money = True, i
                continue
            t = _FORM_TITLE.match(flat)
            if t and not _GENERIC.match(t.group("name")) and "整体" not in t.group("name"):
                # the title names the project; a 项目名称 label on the page names it again
                if not any(_LABEL.match(x) and _LABEL.match(x).group(1).strip() for x in lines[i + 1:i + 6]):
                    add(t.group("name"), n, "title")
                continue
            if not in_rows:
                continue
            money = _MONEY.search(ln)
            if not money:
                continue
            name = ln[:money.start()].strip()
            name = re.sub(r"^(?:\d{1,3}|\d{6,}[\dA-Z]*)\s+", "", name)  # a 序号 or a unit code before the name
            name = re.sub(r"\s+\d{3,}[\dA-Z]*$", "", name)  # a code after it
            if not name:  # the name cell wrapped: its lines right above the amount
                parts: list[str] = []
                for x in reversed(lines[last_money + 1:i]):
                    if _ENDS_TEXT.search(x) or "指标" in x or len(parts) == 4:
                        break
                    parts.insert(0, x)
                while len(parts) > 1 and len(_WS.sub("", parts[0])) <= 3:
                    parts.pop(0)  # the tail of a header label wrapped above ("营预算")
                name = "".join(parts)
            last_money = i
            name = _WS.sub("", name)
            if re.search(r"[\u4e00-\u9fff]{2}", name) and not re.search(r"[%％≥≤]", name) \
                    and not _UNIT_NAME.search(name):
                add(name, n, "rows", money.group())
        if not labelled:
            for i, ln in enumerate(lines[:-1]):
                p = _PROSE_TITLE.match(_WS.sub("", ln))
                if p and re.match(r"^一、\s*项目(?:概述|概况|基本情况)", _WS.sub("", lines[i + 1])):
                    add(p.group("name"), n, "prose")
    return out


# ---- the records ---------------------------------------------------------------------------

_NOT_NAME = re.compile(r"^(?:合计|总计|小计|其中|项目名称|项目|单位名称|金额|预算数|绩效目标|一级指标|二级指标|三级指标|"
                       r"指标值|栏次|序号|备注|项目支出|基本支出|人员经费|公用经费|本年支出|支出合计|收入合计)[:：]?$")
_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


def not_a_name(name: str) -> str | None:
    """Why a record's name is not a project's name, or None."""
    k = _WS.sub("", name)
    if not k or _NOT_NAME.match(k) or re.fullmatch(r"[\d.*\-—]+", k):
        return "header word"
    if re.match(r"^(?:合计|总计|小计)", k):
        return "total row"
    if re.search(r"(?:表|目录)$", k) or "绩效目标表" in k:
        return "table title"
    if len(k) > 80:
        return "long text"
    if re.match(r"^[一二三四五六七八九十]+、|^第[一二三四五六七八九十]+部分", k):
        return "heading"
    if re.search(r"[:：]$|^(?:说明|注)[:：]", k):
        return "label"
    return None


def _in_yuan(budget: Decimal | None, unit: str | None) -> Decimal | None:
    if budget is None:
        return None
    return budget * _YUAN.get(unit or "万元", Decimal(10000))


def duplicates(projects: list) -> list[tuple[str, str]]:
    """Pairs of records of one project: same code, same key, or same amount (in 元, to the
    coarser unit's precision) with one name inside the other; not two units' projects."""
    out: list[tuple[str, str]] = []
    for i, a in enumerate(projects):
        for b in projects[i + 1:]:
            if a.unit_name and b.unit_name and key(a.unit_name) != key(b.unit_name):
                continue
            ka, kb = key(a.name), key(b.name)
            same_code = a.code and a.code == b.code
            ya, yb = _in_yuan(a.budget, a.currency_unit), _in_yuan(b.budget, b.currency_unit)
            same_amount = ya is not None and yb is not None and abs(ya - yb) <= (
                Decimal(50) if a.currency_unit != b.currency_unit else Decimal(0))
            prefix = len(min(ka, kb, key=len)) >= 4 and (ka in kb or kb in ka)
            if same_code or (ka == kb and (same_amount or ya is None or yb is None)) or (prefix and same_amount):
                out.append((a.name, b.name))
    return out


def _same_figure(printed: str, budget: Decimal | None) -> bool:
    """The printed amount is the record's, in the same unit or the other (元 / 万元)."""
    if budget is None:
        return False
    v = Decimal(printed.replace(",", ""))
    return v == budget or v == budget * 10000 or (v / 10000).quantize(Decimal("0.01")) == budget


def _matches(k: str, keys: list[str]) -> bool:
    """The same name, or one inside the other (a name cut by a line break, or printed with
    its unit's name before it) where the shorter has four characters or more."""
    return any(k == x or (min(len(k), len(x)) >= 4 and (k in x or x in k)) for x in keys)


@dataclass
class Record:
    """What the records say of one project (kept apart so that a saved run can be compared again)."""

    name: str
    aliases: list[str]
    budget: Decimal | None
    currency_unit: str | None
    code: str | None
    unit_name: str | None
    page: int | None
    layouts: list[str]


@dataclass
class Extracted:
    name: str
    error: str | None
    seconds: float
    records: list[Record]


def extract_records(path: Path, time_limit: float) -> Extracted:
    from converter.errors import InputError
    from converter.pipeline import extract

    start = time.perf_counter()
    try:
        d = extract(path, time_limit=time_limit).disclosure
    except InputError as err:
        return Extracted(path.name, err.problem, time.perf_counter() - start, [])
    recs = [Record(p.name, list(getattr(p, "aliases", [])), p.budget, p.currency_unit, p.code, p.unit_name,
                   p.loc.page, [s.layout for s in p.sources]) for p in d.projects]
    # a 项目支出绩效自评表 names a project too (final accounts): matched, not counted as a record
    recs += [Record(e.project_name, [], e.budget_full_year or e.budget_initial, e.unit, None, e.implementing_unit,
                    e.loc.page, ["evaluation"]) for e in d.project_evaluations]
    return Extracted(path.name, None, time.perf_counter() - start, recs)


def _save(runs: list[Extracted]) -> str:
    return json.dumps([{**asdict(r), "records": [{**asdict(x), "budget": None if x.budget is None else str(x.budget)}
                                                  for x in r.records]} for r in runs], ensure_ascii=False, indent=1)


def _load(text: str) -> list[Extracted]:
    return [Extracted(r["name"], r["error"], r["seconds"],
                      [Record(**{**x, "budget": None if x["budget"] is None else Decimal(x["budget"])})
                       for x in r["records"]]) for r in json.loads(text)]


@dataclass
class Recall:
    name: str
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    printed: int = 0
    extracted: int = 0
    evaluated: int = 0  # projects named by self-evaluation tables (not in ``extracted``)
    matched: int = 0
    named: int = 0  # records whose name (or an alias) is printed as a project
    duplicates: list[str] = field(default_factory=list)
    no_amount: list[str] = field(default_factory=list)
    not_projects: list[str] = field(default_factory=list)
    unmatched_printed: list[str] = field(default_factory=list)
    unmatched_extracted: list[str] = field(default_factory=list)
    amount_differs: list[str] = field(default_factory=list)  # a printed row whose records state other amounts


def compare(pages: list[str], run: Extracted) -> Recall:
    printed = printed_projects(pages)
    rec = Recall(name=run.name, pages=len(pages), seconds=run.seconds, error=run.error, printed=len(printed))
    if run.error:
        return rec
    projects = [p for p in run.records if p.layouts != ["evaluation"]]
    evaluated = [p for p in run.records if p.layouts == ["evaluation"]]
    rec.extracted, rec.evaluated = len(projects), len(evaluated)
    ext_keys = [key(n) for p in projects + evaluated for n in (p.name, *p.aliases)]
    pr_keys = [key(p.name) for p in printed]
    rec.matched = sum(_matches(k, ext_keys) for k in pr_keys)
    rec.unmatched_printed = [f"p{p.page} {p.how}: {p.name}" for p, k in zip(printed, pr_keys) if not _matches(k, ext_keys)]
    named = [p for p in projects if any(_matches(key(n), pr_keys) for n in (p.name, *p.aliases))]
    rec.named = len(named)
    rec.unmatched_extracted = [f"p{p.page}: {p.name} = {p.budget} {p.currency_unit or ''}".rstrip()
                               for p in projects if p not in named]
    for p, k in zip(printed, pr_keys):
        same = [r for r in projects + evaluated if any(key(n) == k for n in (r.name, *r.aliases))]
        if p.amount and same and not any(_same_figure(p.amount, r.budget) for r in same):
            rec.amount_differs.append(f"p{p.page}: {p.name} prints {p.amount}, records {[str(r.budget) for r in same]}")
    rec.duplicates = [f"{a} = {b}" for a, b in duplicates(projects)]
    rec.no_amount = [f"p{p.page}: {p.name}" for p in projects if p.budget is None]
    rec.not_projects = [f"{p.name} ({why})" for p in projects if (why := not_a_name(p.name))]
    return rec


def files(folders: list[Path]) -> list[Path]:
    """The PDFs of the folders but the hold-outs and non-disclosures (bench/real_files.py)."""
    skip = {Path(p).name for p in skipped_paths()}
    return [p for f in folders for p in sorted(f.glob("*.pdf")) if p.name not in skip]


def report(rows: list[Recall], names: bool) -> str:
    out = ["| file | pages | printed | extracted (+ evaluated) | matched | named | other amount | duplicates "
           "| no amount | not a project | s |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.error:
            out.append(f"| {r.name} | {r.pages} | {r.printed} | error: {r.error} | | | | | | | {r.seconds:.1f} |")
            continue
        ev = f" (+ {r.evaluated})" if r.evaluated else ""
        out.append(f"| {r.name} | {r.pages} | {r.printed} | {r.extracted}{ev} | {r.matched} | {r.named} "
                   f"| {len(r.amount_differs)} "
                   f"| {len(r.duplicates)} | {len(r.no_amount)} | {len(r.not_projects)} | {r.seconds:.1f} |")
    ok = [r for r in rows if not r.error]
    pr, ex = sum(r.printed for r in ok), sum(r.extracted for r in ok)
    ma, na = sum(r.matched for r in ok), sum(r.named for r in ok)
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "n/a"  # noqa: E731
    out += ["", f"**{len(ok)} of {len(rows)} files extracted; printed {pr}, of which matched by a record {ma} "
                f"({pct(ma, pr)}, recall by name); extracted {ex}, of which named as printed {na} ({pct(na, ex)}); "
                f"printed rows whose records state another amount {sum(len(r.amount_differs) for r in ok)}; "
                f"duplicates {sum(len(r.duplicates) for r in ok)}; no amount {sum(len(r.no_amount) for r in ok)}; "
                f"not a project {sum(len(r.not_projects) for r in ok)}.**",
            "", "matched: printed names some record carries (same key, or one inside the other); named: records "
                "whose name or alias is among the printed names."]
    if names:
        for r in rows:
            out += ["", f"### {r.name}"]
            for label, items in (("printed, not extracted", r.unmatched_printed),
                                 ("extracted, not found printed", r.unmatched_extracted),
                                 ("other amount", r.amount_differs),
                                 ("duplicates", r.duplicates), ("no amount", r.no_amount),
                                 ("not a project", r.not_projects)):
                if items:
                    out.append(f"- {label} ({len(items)}): " + "; ".join(items))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", default=[str(REAL), str(REAL / "wide")])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--names", action="store_true", help="list unmatched names, duplicates and non-projects")
    ap.add_argument("--save", help="write the extracted records here (JSON), to compare again with --load")
    ap.add_argument("--load", help="compare the records saved by --save instead of extracting")
    args = ap.parse_args(argv)
    todo = files([Path(f) for f in args.folders])
    if args.load:
        saved = {r.name: r for r in _load(Path(args.load).read_text(encoding="utf-8"))}
        runs = [saved[p.name] for p in todo if p.name in saved]
        todo = [p for p in todo if p.name in saved]
    else:
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            runs = list(pool.map(extract_records, todo, [args.time_limit] * len(todo)))
    if args.save:
        Path(args.save).write_text(_save(runs), encoding="utf-8")
    rows = [compare(page_texts(p), run) for p, run in zip(todo, runs)]
    print(report(rows, args.names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
