"""converter/parsers/codes.py: code+name cells, schemes, and resolving names printed
without a code through the national code lists (property tests), plus the shipped SKOS
code lists themselves and the coded-row reader of tables.py on small synthetic grids."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.parsers import codes
from converter.parsers.codes import CodeLists, NameResolver, name_key, parent_code, scheme_of, split_code_cell
from converter.parsers.tables import finish_coded, parse_coded
from converter.readers.ir import Loc, Row, Table

ROOT = Path(__file__).resolve().parents[1]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SPACE = st.sampled_from([" ", "  ", "\u3000", "\t", ""])


@st.composite
def class_codes(draw) -> str:
    head = draw(st.sampled_from("235"))
    n = draw(st.sampled_from([3, 5, 7]))
    return head + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=n - 1, max_size=n - 1)))


@st.composite
def names(draw) -> str:
    first = draw(CJK)
    rest = draw(st.text(alphabet=st.one_of(CJK, st.sampled_from("（）()、0123456789")), max_size=14))
    return first + rest


LAYOUTS = ["[{c}]{n}", "【{c}】{n}", "({c}){n}", "（{c}）{n}", "{c} {n}", "{c}{n}", "{c}-{n}", "{c}：{n}", "〔{c}〕{n}"]


def _spaced(text: str, spaces: list[str]) -> str:
    return "".join(ch + (spaces[i % len(spaces)] if spaces else "") for i, ch in enumerate(text))


@given(class_codes(), names(), st.sampled_from(LAYOUTS), st.lists(SPACE, max_size=6))
def test_code_and_name_in_one_cell(code: str, name: str, layout: str, spaces: list[str]) -> None:
    """Every bracket style and separator, with whitespace anywhere (extraction puts it
    between characters), gives the code and the name without whitespace."""
    cell = _spaced(layout.format(c=code, n=name), spaces)
    assert split_code_cell(cell) == (code, name)


@given(class_codes(), st.lists(SPACE, max_size=3))
def test_code_alone(code: str, spaces: list[str]) -> None:
    assert split_code_cell(_spaced(f"[{code}]", spaces)) == (code, "")
    assert split_code_cell(code) == (code, "")


@given(names())
def test_name_without_code(name: str) -> None:
    assert split_code_cell(name) == (None, name)


def test_numbers_that_are_not_codes() -> None:
    """A year, an amount or a code of the wrong length is no classification code."""
    for text in ("2024年预算", "2,090.00", "16410.71", "2010行政", "20103.5", "1234567890", "合计"):
        code, _ = split_code_cell(text)
        assert code is None, text


def test_split_cell_is_linear_on_hostile_input() -> None:
    start = time.perf_counter()
    for text in ("[" + " " * 20000 + "201", "201" + " " * 20000 + "x", "\u3000" * 20000, "2" * 20000):
        split_code_cell(text)
        name_key(text)
    assert time.perf_counter() - start < 1.0


def test_scheme_by_code_shape() -> None:
    assert scheme_of("2010301", "economic") == "function"
    assert scheme_of("30101", "function") == "economic"
    assert scheme_of("50101", "economic") == "gov-economic"
    assert scheme_of("3010201", "function") == "economic"  # a region's extension (重庆)
    assert scheme_of("120001", "function") == "function"  # no classification shape: the table's scheme
    assert scheme_of("120001", "") == ""
    assert parent_code("2010301") == "20103" and parent_code("20103") == "201" and parent_code("201") is None


# ---- resolution ----------------------------------------------------------------

NAME_POOL = ["行政运行", "一般行政管理事务", "事业运行", "其他支出", "机关服务", "信息化建设", "专项业务"]


@st.composite
def trees(draw) -> dict[str, str]:
    """A classification: code -> name; siblings have distinct names, but one name is
    reused under many parents and across levels (行政运行 under every 款)."""
    tree: dict[str, str] = {}
    for lei in sorted(draw(st.sets(st.integers(201, 235), min_size=1, max_size=3))):
        c = str(lei)
        tree[c] = draw(st.sampled_from(NAME_POOL + [f"类{lei}"]))
        for kuan in sorted(draw(st.sets(st.integers(1, 99), max_size=3))):
            k = f"{c}{kuan:02d}"
            tree[k] = draw(st.sampled_from(NAME_POOL))
            kids = draw(st.lists(st.sampled_from(NAME_POOL), unique=True, max_size=4))
            for n, name in enumerate(kids):
                tree[f"{k}{draw(st.integers(1, 99)) if n == 0 else 0:02d}"] = name
    # siblings with distinct codes and names only
    out: dict[str, str] = {}
    for code in sorted(tree):
        sibs = {n for c, n in out.items() if parent_code(c) == parent_code(code)}
        if tree[code] not in sibs and (parent_code(code) is None or parent_code(code) in out):
            out[code] = tree[code]
    return out


def _table(draw, tree: dict[str, str]) -> list[str]:
    """A table prints a subset closed under ancestors, in code order (the tables' order)."""
    chosen = {c for c in tree if draw(st.booleans())}
    closed = {a for c in chosen for a in (c, c[:3], c[:5]) if a in tree}
    return sorted(closed)


def _amounts(draw, rows: list[str]) -> dict[str, Decimal | None]:
    """Amounts as the tables print them: a row with printed children is their sum; a row
    without (a 款 printed without its 项) any amount; some cells unreadable (None)."""
    out: dict[str, Decimal | None] = {}
    for c in sorted(rows, key=len, reverse=True):
        kids = [k for k in rows if parent_code(k) == c]
        if kids and all(out[k] is not None for k in kids):
            out[c] = sum((out[k] for k in kids), Decimal(0))
        else:
            out[c] = Decimal(draw(st.integers(0, 500)))
    for c in rows:
        if draw(st.integers(0, 9)) == 0:
            out[c] = None
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_resolution_with_complete_lists_finds_every_true_code(data) -> None:
    """With the whole classification listed, every name resolves to its true code or
    stays unresolved; never to another code."""
    tree = data.draw(trees())
    lists = CodeLists()
    for c, n in tree.items():
        lists.add("function", c, n)
    rows = _table(data.draw, tree)
    amounts = _amounts(data.draw, rows)
    printed = {c for c in rows if data.draw(st.integers(0, 4)) == 0}
    r = NameResolver(lists, "function")
    for c in rows:
        if c in printed:
            r.printed(c, amounts[c])
            continue
        got = r.resolve(tree[c], amounts[c]).code
        assert got in (c, None), (c, got, rows)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_resolution_with_partial_lists_never_returns_a_code_of_another_name(data) -> None:
    """The shipped lists are what the corpus printed, not the whole classification: a
    name then may not resolve, but a code it resolves to always carries that name and
    hangs under a row known above it."""
    tree = data.draw(trees())
    listed = {c for c in tree if data.draw(st.integers(0, 3)) > 0}
    lists = CodeLists()
    for c in sorted(listed):
        lists.add("function", c, tree[c])
    rows = _table(data.draw, tree)
    amounts = _amounts(data.draw, rows)
    r = NameResolver(lists, "function")
    known: list[str] = []
    for c in rows:
        res = r.resolve(tree[c], amounts[c])
        if res.code is None:
            assert res.problem
            continue
        assert name_key(tree[c]) in {name_key(n) for n in lists.names("function", res.code)}
        assert parent_code(res.code) is None or parent_code(res.code) in known
        known.append(res.code)


def test_resolution_uses_the_parent_row() -> None:
    """行政运行 exists under many 款: it resolves only under a known 款."""
    lists = CodeLists()
    for c, n in {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
                 "20106": "财政事务", "2010601": "行政运行", "214": "交通运输支出", "21401": "公路水路运输",
                 "2140101": "行政运行", "2140199": "其他公路水路运输支出"}.items():
        lists.add("function", c, n)
    r = NameResolver(lists, "function")
    assert r.resolve("一般公共服务支出").code == "201"
    assert r.resolve("财政事务").code == "20106"
    assert r.resolve("行政运行").code == "2010601"
    assert r.resolve("海关事务").code is None  # not listed: its level is unknown
    assert r.resolve("行政运行").code is None  # its parent may be the unlisted row above
    assert r.resolve("交通运输支出").code == "214"
    assert r.resolve("公路水路运输").code == "21401"
    assert r.resolve("行政运行").code == "2140101"
    assert r.resolve("一般行政管理事务").problem  # unlisted
    assert r.resolve("其他公路水路运输支出").code is None  # the unlisted row may have closed 21401
    fresh = NameResolver(lists, "function")
    assert fresh.resolve("行政运行").code is None  # no parent known, several candidates


def test_name_key_ignores_layout() -> None:
    assert name_key("维修（护）费") == name_key("维修(护)费")
    assert name_key("其中：一般公共服务支出") == name_key("一、一般公共服务支出") == "一般公共服务支出"
    assert name_key(" 行政 运行 ") == "行政运行"


# ---- the shipped code lists -----------------------------------------------------

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _graph(name: str) -> list:
    return list(ox.parse(path=str(ROOT / "ontology" / name), format=ox.RdfFormat.TURTLE))


def test_shipped_code_lists_are_skos_with_prefix_hierarchy() -> None:
    for fname, schemes in (("function-codes.ttl", {"function"}), ("economic-codes.ttl", {"economic", "gov-economic"})):
        triples = _graph(fname)
        concepts = {t.subject.value for t in triples
                    if t.predicate.value == SKOS + "notation"}
        assert len(concepts) > 50
        by = {}
        for t in triples:
            by.setdefault((t.subject.value, t.predicate.value), []).append(t.object.value)
        for iri in concepts:
            scheme, code = iri[len(codes.CODELIST_BASE):].split("/")
            assert scheme in schemes and scheme_of(code, "") == scheme, iri
            assert by[(iri, SKOS + "notation")] == [code]
            assert len(by.get((iri, SKOS + "prefLabel"), [])) == 1 or (iri, SKOS + "editorialNote") in by
            parent = by.get((iri, SKOS + "broader"))
            if parent:
                assert parent == [f"{codes.CODELIST_BASE}{scheme}/{parent_code(code)}"]
            if len(code) == 3:
                assert (iri, SKOS + "topConceptOf") in by


def test_shipped_lists_carry_the_national_names() -> None:
    lists = codes.load_codelists()
    assert lists.names("function", "201")[0] == "一般公共服务支出"
    assert lists.names("function", "2010301")[0] == "行政运行"
    assert lists.names("function", "2080505")[0] == "机关事业单位基本养老保险缴费支出"
    assert lists.names("economic", "30101")[0] == "基本工资"
    assert "维修(护)费" in lists.names("economic", "30213") or "维修（护）费" in lists.names("economic", "30213")


def test_build_is_deterministic(tmp_path) -> None:
    """The builder gives the same bytes twice (text corpus only, which is quick)."""
    import subprocess
    import sys

    corpus = ROOT.parent / "shared" / "corpus"
    samples = sorted(corpus.glob("*.txt")) or sorted((ROOT / "corpus").glob("*.txt"))
    outs = []
    for n in (1, 2):
        out = tmp_path / str(n)
        out.mkdir()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_codelists.py"), *map(str, samples), "-o", str(out)],
                       check=True, capture_output=True)
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1] and set(outs[0]) == {"function-codes.ttl", "economic-codes.ttl"}
    assert b"function/2010301" in outs[0]["function-codes.ttl"] or b"function/201" in outs[0]["function-codes.ttl"]


# ---- coded rows of tables.py -------------------------------------------------------

def _grid(rows: list[list[str]]) -> Table:
    return Table(rows=[Row(cells=r, loc=Loc(page=1)) for r in rows], loc=Loc(page=1))


def _lines(rows: list[list[str]], kind: str = "gpb_expenditure", title: str = "一般公共预算支出表"):
    _, grid = parse_coded(_grid(rows), kind, title)
    return finish_coded(grid, lambda k, v: None)


def test_guangdong_bracket_codes_in_the_name_column() -> None:
    res = _lines([["功能科目名称", "小计", "其中：基本支出", "项目支出"],
                  ["合计", "16,410.71", "14,913.65", "1,497.06"],
                  ["[201]一般公共服务支出", "8,812.33", "7,341.47", "1,470.86"],
                  ["[20103]政府办公厅（室）及相关机构事务", "8,801.45", "7,341.47", "1,459.98"],
                  ["[2010301]行政运行", "6,853.85", "6,853.85", "0.00"]])
    got = [(l.code, l.name, str(l.amounts.get("total"))) for l in res.budget_lines]
    assert got == [(None, "合计", "16410.71"), ("201", "一般公共服务支出", "8812.33"),
                   ("20103", "政府办公厅（室）及相关机构事务", "8801.45"), ("2010301", "行政运行", "6853.85")]


def test_economic_rows_never_join_the_function_scheme() -> None:
    """A 按经济分类 table classified with the function tables keeps its rows economic."""
    res = _lines([["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
                  ["", "301", "工资福利支出", "4,444.00", "4,444.00", "0.00"],
                  ["", "30101", "基本工资", "2,090.00", "2,090.00", "0.00"]],
                 title="一般公共预算支出表（按经济分类）")
    assert [(l.scheme, l.code) for l in res.budget_lines] == [("economic", "301"), ("economic", "30101")]


def test_names_only_rows_are_resolved_or_kept_and_flagged() -> None:
    res = _lines([["功能分类科目名称", "合计", "基本支出", "项目支出"],
                  ["合计", "100.00", "60.00", "40.00"],
                  ["一般公共服务支出", "100.00", "60.00", "40.00"],
                  ["政府办公厅（室）及相关机构事务", "60.00", "60.00", ""],
                  ["行政运行", "60.00", "60.00", ""],
                  ["未列入目录的新支出", "40.00", "", "40.00"],
                  ["功能分类科目名称", "合计", "基本支出", "项目支出"]])  # the header repeated after a page break
    got = [(l.code, l.code_source, l.name) for l in res.budget_lines]
    assert got == [(None, None, "合计"), ("201", "name", "一般公共服务支出"),
                   ("20103", "name", "政府办公厅（室）及相关机构事务"), ("2010301", "name", "行政运行"),
                   (None, None, "未列入目录的新支出")]
    assert [f.raw for f in res.flags if f.kind == "unresolved-name"] == ["未列入目录的新支出"]


def test_split_lei_kuan_xiang_columns_printed_once() -> None:
    """类 | 款 | 项 with each level printed once and implied on the rows below (烟台)."""
    res = _lines([["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
                  ["类", "款", "项", "", "", "", ""],
                  ["", "", "", "合计", "327.92", "257.92", "70.00"],
                  ["208", "", "", "社会保障和就业支出", "327.92", "257.92", "70.00"],
                  ["", "05", "", "行政事业单位养老支出", "257.92", "257.92", ""],
                  ["", "", "05", "机关事业单位基本养老保险缴费支出", "201.42", "201.42", ""]])
    assert [l.code for l in res.budget_lines] == [None, "208", "20805", "2080505"]


def test_rows_continue_after_a_page_break_with_the_header_repeated() -> None:
    """A table joined over a page break repeats its header; the 类 printed before the
    break still holds for the 款/项 after it, and no row is lost."""
    header = [["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项", "", "", "", ""]]
    res = _lines(header + [
        ["", "", "", "合计", "327.92", "257.92", "70.00"],
        ["208", "", "", "社会保障和就业支出", "327.92", "257.92", "70.00"],
        ["", "05", "", "行政事业单位养老支出", "257.92", "257.92", ""],
        ["", "", "05", "机关事业单位基本养老保险缴费支出", "201.42", "201.42", ""]] + header + [
        ["", "", "06", "机关事业单位职业年金缴费支出", "56.50", "56.50", ""],
        ["", "27", "", "财政对其他社会保险基金的补助", "70.00", "", "70.00"]])
    assert [l.code for l in res.budget_lines] == [None, "208", "20805", "2080505", "2080506", "20827"]


def test_builder_merges_variants_and_reports_conflicts() -> None:
    """Slightly different printings of one code are one concept (altLabels); names that
    are not variants of one another are a conflict: reported, no label chosen."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_codelists", ROOT / "scripts" / "build_codelists.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    seen = {("economic", "30213"): {"维修（护）费": {("a.pdf", 2026), ("b.pdf", 2026)}, "维修(护)费": {("c.txt", 2024)}},
            ("economic", "302"): {"商品和服务支出": {("a.pdf", 2026)}},
            ("economic", "30299"): {"其他商品和服务支出": {("a.pdf", 2026)}, "工会经费": {("d.pdf", 2026)}}}
    conflicts: list[str] = []
    text = mod.render(seen, ("economic",), conflicts)
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    labels = {(t.subject.value.rsplit("/", 1)[1], t.predicate.value.rsplit("#", 1)[1], t.object.value) for t in triples}
    assert ("30213", "prefLabel", "维修（护）费") in labels and ("30213", "altLabel", "维修(护)费") in labels
    assert ("30213", "broader", f"{codes.CODELIST_BASE}economic/302") in labels
    assert not any(c == "30299" and p in ("prefLabel", "altLabel") for c, p, _ in labels)
    assert any(c == "30299" and p == "editorialNote" for c, p, _ in labels)
    assert len(conflicts) == 1 and conflicts[0].startswith("economic 30299") and "d.pdf" in conflicts[0]
    lists = CodeLists()
    for c, p, o in labels:
        if p in ("prefLabel", "altLabel"):
            lists.add("economic", c, o)
    assert lists.codes_named("economic", "工会经费") == set()  # a conflicting name resolves nothing
