"""Identity of a disclosure (converter/parsers/identity.py): property tests over the
written forms of titles (spaces between characters, lines split anywhere, full- or
half-width brackets, 年度/年, year before or after the name, scrambled reading order),
labels and code lines; the years that are not the fiscal year; what is not a
disclosure; linear time on hostile input; the document kinds declared once and
followed by the code list, the shapes and the mapping; end to end through the CLI."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converter.mapping import convert_disclosure
from converter.mapping.build import document_kind
from converter.mapping.vocab import DOCUMENT_KIND
from converter.parsers.identity import read_identity, read_title, region_of
from converter.pipeline import extract
from converter.readers.ir import Heading, Loc, Paragraph
from converter.records.model import DISCLOSURE_KINDS
from converter.validation import validate_nquads

ROOT = Path(__file__).resolve().parent.parent
BIN = [sys.executable, "-m", "converter.cli"]

REGIONS = ["石家庄市", "石家庄市鹿泉区", "杭州市", "上海市普陀区", "重庆市", "福州市", "河北省", "西安市",
           "石家庄市赵县", "承德高新技术产业开发区"]
ORGANS = ["财政局", "交通运输局", "卫生健康委员会", "人民政府办公室", "商务委员会", "公安局交通管理支队", "数据局",
          "民政局", "投资促进局", "人民政府国有资产监督管理委员会", "科学技术和工业信息化局",
          # a second name in brackets after the first, and schools, which end in no organ character
          "工商业联合会（总商会）", "人民政府外事办公室（港澳事务办公室）", "第七中学", "实验小学"]
KIND_PHRASES = {
    "budget": ["部门预算", "部门预算信息公开", "部门预算公开说明", "部门预算情况说明", "部门综合预算", "部门预算公开",
               "部门收支预算"],
    "unit_budget": ["单位预算", "单位预算公开", "单位收支预算"],
    "final_accounts": ["部门决算", "单位决算"],
    "self_evaluation": ["部门整体支出绩效自评报告", "整体支出绩效自评报告"],
    "evaluation_report": ["项目支出绩效评价报告", "部门整体支出绩效评价结果"],
}


def blocks(*lines: str, page: int | None = 1):
    return [Heading(text=t, level=1, loc=Loc(page=page)) if len(t) < 40 else Paragraph(text=t, loc=Loc(page=page))
            for t in lines]


@st.composite
def titles(draw):
    """(cover lines, expected name, year, kind, scope) of a generated title."""
    region, organ = draw(st.sampled_from(REGIONS)), draw(st.sampled_from(ORGANS))
    name = region + organ
    year = draw(st.integers(2015, 2030))
    kind = draw(st.sampled_from(sorted(KIND_PHRASES)))
    phrase = draw(st.sampled_from(KIND_PHRASES[kind]))
    scope = draw(st.sampled_from([None, "本级", "汇总"]))
    brackets = draw(st.sampled_from(["（）", "()"]))
    shown = name + (f"{brackets[0]}{scope}{brackets[1]}" if scope else "")
    ynum = draw(st.sampled_from([str(year), f"{year} ", " ".join(str(year))]))
    yword = ynum + draw(st.sampled_from(["年", "年度", " 年", " 年 度"]))
    order = draw(st.sampled_from(["year-name", "name-year", "scrambled"]))
    if order == "year-name":
        lines = [yword + shown + phrase]
    elif order == "name-year":
        lines = [shown + draw(st.sampled_from(["", " "])) + yword + phrase]
    else:  # the year printed apart from its 年 and read on another line
        lines = [shown + "年" + phrase, ynum.strip()]
    if draw(st.booleans()):  # layout spaces between the characters
        lines = [" ".join(line) for line in lines]
    if draw(st.booleans()) and len(lines[0]) > 4:  # the title wrapped over two or three lines
        cut = sorted(draw(st.sets(st.integers(1, len(lines[0]) - 1), min_size=1, max_size=2)))
        parts = [lines[0][a:b] for a, b in zip([0, *cut], [*cut, len(lines[0])])]
        lines = [p for p in parts if p.strip()] + lines[1:]
    return lines, name, year, kind, scope


@settings(max_examples=300, deadline=None)
@given(titles())
# found by this test: 项目 wrapped as 项 | 目 | …, where a lone 目 was read as the 目录 heading
@example((["2 0 1 5年承德高新技术产业开发区交通运输局（本级）项", "目", "支出绩效评价报告"],
          "承德高新技术产业开发区交通运输局", 2015, "evaluation_report", "本级"))
def test_title_forms(case) -> None:
    lines, name, year, kind, scope = case
    ident = read_identity(blocks(*lines, "一、部门概况"))
    assert (ident.name, ident.year, ident.kind, ident.scope) == (name, year, kind, scope), lines
    assert ident.region == region_of(name) and name.startswith(ident.region)
    assert name in ident.aliases and (scope is None or f"{name}（{scope}）" in ident.aliases)


@pytest.mark.parametrize("title, expected", [
    ("2026年深圳市科技创新局（本级）部门预算", ("budget", 2026, "深圳市科技创新局", "本级", "深圳市")),
    ("西安市财政局（汇总） 2026年部门预算公开说明", ("budget", 2026, "西安市财政局", "汇总", "西安市")),
    ("北京市商务局 2026 年度部门预算信息公开", ("budget", 2026, "北京市商务局", None, "北京市")),
    ("2026 年度 福州市民政局(本级) 单位预算", ("unit_budget", 2026, "福州市民政局", "本级", "福州市")),
    ("中共重庆市委宣传部 2026 年部门预算情况说明", ("budget", 2026, "中共重庆市委宣传部", None, "重庆市")),
    ("2022年度长沙市市场监督管理局市场监督专项及部门项目支出绩效评价结果",
     ("evaluation_report", 2022, "长沙市市场监督管理局", None, "长沙市")),
    ("鹿泉区投资促进局 部门 2023 年度整体支出绩效自评报告", ("self_evaluation", 2023, "鹿泉区投资促进局", None, "鹿泉区")),
    ("北京市人民政府国有资产监督管理委员会 2026 部门预算情况的说明",
     ("budget", 2026, "北京市人民政府国有资产监督管理委员会", None, "北京市")),
    ("上海市普陀区2025年区级部门预算", ("budget", 2025, None, None, "上海市普陀区")),
    ("国家信访局二〇二六年度部门预算", ("budget", 2026, "国家信访局", None, None)),
    ("第二部分 上海市普陀区财政局2024年度部门决算表", ("final_accounts", 2024, "上海市普陀区财政局", None, "上海市普陀区")),
    # names of other families: a bracketed second name, a school, a league's 行政公署, a prison
    ("2025年贵阳市工商业联合会(总商会)部门预算", ("budget", 2025, "贵阳市工商业联合会（总商会）", None, "贵阳市")),
    ("成都市第七中学2025年度单位预算", ("unit_budget", 2025, "成都市第七中学", None, "成都市")),
    ("阿拉善盟行政公署 2025年部门预算", ("budget", 2025, "阿拉善盟行政公署", None, "阿拉善盟")),
    ("上海市提篮桥监狱（本级）2025年单位预算", ("unit_budget", 2025, "上海市提篮桥监狱", "本级", "上海市")),
    ("2025年XX市教育局（含下属单位）部门预算".replace("XX", "洛阳"), ("budget", 2025, "洛阳市教育局", None, "洛阳市")),
    # the region after the organisation a name starts with
    ("共青团南宁市委员会 2025 年部门预算", ("budget", 2025, "共青团南宁市委员会", None, "南宁市")),
    ("中国人民政治协商会议恩施土家族苗族自治州委员会2025年部门预算",
     ("budget", 2025, "中国人民政治协商会议恩施土家族苗族自治州委员会", None, "恩施土家族苗族自治州")),
    ("九三学社福州市委员会2025年部门预算", ("budget", 2025, "九三学社福州市委员会", None, "福州市")),
    # other provinces' title wordings: a bare 预算说明 / 收支预算, a letter's 关于, a site's
    # category tag, the scope after the whole title or as 局本级, 部门(单位) as filler
    ("2025年漳州市芗城区商务局预算说明", ("budget", 2025, "漳州市芗城区商务局", None, "漳州市芗城区")),
    ("保定理工学院收支预算", ("budget", None, "保定理工学院", None, None)),
    ("关于龙门镇2025年部门预算编制说明", ("budget", 2025, "龙门镇", None, None)),
    ("【预算】2025年度广元市利州区档案馆 部门预算", ("budget", 2025, "广元市利州区档案馆", None, "广元市利州区")),
    ("秀山土家族苗族自治县民政局2024年度决算公开说明(本级)",
     ("final_accounts", 2024, "秀山土家族苗族自治县民政局", "本级", "秀山土家族苗族自治县")),
    ("衢州市柯城区水利局局本级2024年度部门(单位)决算", ("final_accounts", 2024, "衢州市柯城区水利局", "本级", "衢州市柯城区")),
])
def test_family_titles(title: str, expected: tuple) -> None:
    t = read_title(title)
    assert (t.kind, t.year, t.name, t.scope, t.region) == expected


def test_cover_labels_and_code_lines() -> None:
    # a unit budget names its unit on a label line; the region comes from the cover
    ident = read_identity(blocks("上海市2026年市级单位预算", "预算单位：上海交通职业技术学院", "目录"))
    assert (ident.kind, ident.year, ident.name, ident.region) == ("unit_budget", 2026, "上海交通职业技术学院", "上海市")
    ident = read_identity(blocks("上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区商务委员会"))
    assert (ident.kind, ident.year, ident.name) == ("budget", 2025, "上海市普陀区商务委员会")
    # no name in the title: the labels over the tables, then the code lines
    body = blocks("部门名称：杭州市交通运输局 单位：万元", "部门名称：杭州市交通运输局单位:万元", page=5)
    ident = read_identity(blocks("2026年度部门预算") + body)
    assert (ident.name, ident.year, ident.code) == ("杭州市交通运输局", 2026, None)
    ident = read_identity(blocks("2024 年部门预算信息公开目录", page=None)
                          + blocks("322 石家庄高新技术产业开发区投资服务局", "预算年度：2024", page=None))
    assert (ident.name, ident.year, ident.code) == ("石家庄高新技术产业开发区投资服务局", 2024, "322")
    # the code printed with the name, however joined; never a 6-digit unit code or a year
    for line, code in [("606-湖州市交通运输局 单位：万元", "606"), ("主管部门及代码 228_湖州市交通运输局", "228"),
                       ("[292]湖州市交通运输局", "292"), ("606001 湖州市交通运输局", None),
                       ("2026年湖州市交通运输局", None), ("部门名称：湖州市交通运输局 部门预算编码：606", "606"),
                       ("部门名称：湖州市交通运输局 科目编码：201", None)]:
        ident = read_identity(blocks("湖州市交通运输局 2026 年部门预算", line))
        assert ident.code == code, line


def test_years_that_are_not_the_fiscal_year() -> None:
    ident = read_identity(blocks(
        "长沙市公安局", "2025 年部门预算公开", "2026年3月17日", "目录",
        "根据《关于印发2019年机构改革方案的通知》（京发〔2018〕31号）设立。2024年预算数为100万元，2026年比2024年增加。",
        "第一部分 2025 年部门预算说明"))
    assert (ident.year, ident.name) == (2025, "长沙市公安局")
    # no title year at all: the 预算年度 line over the tables, never a cited or compared year
    ident = read_identity(blocks("部门预算信息公开目录", page=None) + blocks(
        "322 石家庄高新技术产业开发区投资服务局", "预算年度：2024", "2023年执行数，较2025年…（石财〔2025〕3号）",
        page=None))
    assert ident.year == 2024
    assert read_title("关于2026年部门预算〔2019〕8号").year == 2026


@pytest.mark.parametrize("lines, words", [
    (["嘉兴市人民政府办公室文件", "嘉政办发〔2026〕11 号", "嘉兴市人民政府办公室关于公布 2026 年度市政府重大行政决策事项目录的通知"],
     ["通知", "嘉政办发〔2026〕11号"]),
    (["宜府办函〔2026〕24 号", "宜宾市人民政府办公室", "关于 2026 年第一季度政务公开及网络平台检查情况的通报"],
     ["通报", "宜府办函〔2026〕24号"]),
    (["泉气函〔2024〕31 号", "各县（市）气象局："], ["函", "泉气函〔2024〕31号"]),
    (["惠州市人民政府公报 2026 年第 2 期刊登", "惠州市人民政府办公室关于印发《2026年市十件民生实事工作实施方案》的通知"],
     ["政府公报", "惠州市人民政府公报", "通知"]),
    (["关于下达 2026 年部门预算的通知"], ["通知"]),  # a 通知 about budgets is still a 通知
])
def test_not_a_disclosure_is_named(lines: list[str], words: list[str]) -> None:
    ident = read_identity(blocks(*lines))
    assert ident.not_disclosure and ident.kind is None
    for w in words:
        assert w in ident.not_disclosure
    # a self-evaluation may be titled as a report, and is then a disclosure
    ok = read_identity(blocks("关于鹿泉区投资促进局2023年度部门整体支出绩效自评情况的报告"))
    assert ok.not_disclosure is None and ok.kind == "self_evaluation"


@pytest.mark.parametrize("filler", [" ", "\u3000", "2026", "局", "〔2026〕", "部门："])
def test_linear_time_on_hostile_input(filler: str) -> None:
    def run(n: int) -> float:
        lines = ["2026年" + filler * n + "部门预算", filler * n, "部门名称：" + filler * n, "606-" + filler * n]
        start = time.perf_counter()
        read_identity(blocks(*lines) + blocks(*lines, page=2))
        return time.perf_counter() - start

    # sizes well above fixed costs, so that a loaded machine's noise does not decide
    run(1000)
    small, large = min(run(40000) for _ in range(3)), min(run(400000) for _ in range(3))
    # 10x the input: linear is ~10x, quadratic 100x; 30 leaves room for a loaded machine
    assert large < max(small, 0.02) * 30, (filler, small, large)


def _codelist_kinds() -> dict[str, tuple[str, str]]:
    g = rdflib.Graph().parse(ROOT / "ontology" / "codelists.ttl")
    scheme = rdflib.URIRef(DOCUMENT_KIND.rstrip("/"))
    out = {}
    for c in g.subjects(rdflib.SKOS.inScheme, scheme):
        labels = {lit.language: str(lit) for lit in g.objects(c, rdflib.SKOS.prefLabel)}
        out[str(g.value(c, rdflib.SKOS.notation))] = (labels["zh"], labels["en"])
        assert str(c) == document_kind(str(g.value(c, rdflib.SKOS.notation)))
    return out


def test_kinds_declared_once_and_followed() -> None:
    assert _codelist_kinds() == DISCLOSURE_KINDS
    shapes = (ROOT / "shapes" / "structure.ttl").read_text(encoding="utf-8")
    allowed = set(re.findall(rf"<({re.escape(DOCUMENT_KIND)}[^>]+)>", shapes))
    assert allowed == {document_kind(k) for k in DISCLOSURE_KINDS}
    with pytest.raises(ValueError):
        document_kind("minutes")


def test_new_kinds_and_scope_map_and_validate() -> None:
    d = extract(ROOT / "corpus" / "002_7584c7280180b575.txt").disclosure
    for kind, scope in (("unit_budget", "本级"), ("evaluation_report", "汇总")):
        doc = convert_disclosure(dataclasses.replace(d, kind=kind, department_scope=scope))
        assert f"<{document_kind(kind)}>" in doc.nquads and f'"{scope}"' in doc.nquads
        result = validate_nquads(doc.nquads, workers=1)
        assert result.conforms, result.summary
    bad = convert_disclosure(d).nquads.replace(document_kind("self_evaluation"), DOCUMENT_KIND + "minutes")
    result = validate_nquads(bad, workers=1)
    assert not result.conforms and "document kind" in result.summary


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([*BIN, *args], capture_output=True, text=True, env=env, timeout=120)


FRAGMENT = "\n".join([  # a table and a department, but no document title: no year, no kind
    "部门支出总体情况表", "", "单位名称：某市某局", "", "单位：万元", "",
    "科目编码\t科目名称\t总计\t基本支出\t项目支出",
    "合计\t\t300.00\t200.00\t100.00",
    "204\t公共安全支出\t300.00\t200.00\t100.00", "",
])


def test_cli_extract_shows_a_fragment_but_convert_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "fragment.txt"
    path.write_text(FRAGMENT, encoding="utf-8")
    proc = _cli("extract", "--json", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "identity unreadable: no document kind or fiscal year" in proc.stdout
    proc = _cli("convert", str(path), "-o", str(tmp_path / "out.nq"))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == (f"error: {path}: identity unreadable: no document kind or fiscal year printed in the "
                        "title, cover or table headers")
    assert "Traceback" not in proc.stderr and "1 failed" in proc.stderr


def test_cli_names_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("泉气函〔2024〕31 号\n\n各县（市）气象局：\n\n现结合部门实际制定2024年抽查工作计划。\n",
                    encoding="utf-8")
    proc = _cli("extract", str(path))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {path}: not a budget disclosure: 函 泉气函〔2024〕31号"


@pytest.mark.parametrize("first, expect", [
    # the title run together with the form's title and unit line below it (no gap between)
    ("某县某乡人民政府2023年部门预算2023年某乡加工园配套设施建设项目支出绩效目标审批表（2023年度）"
     "预算单位：某县某乡人民政府金额单位：万元", ("budget", 2023, "某县某乡人民政府")),
    ("某县文化旅游体育局2023年度部门决算某县转移支付区域（项目）绩效目标自评表（2023年度）项目名称某某陈列布展项目"
     "中央主管部门某部", ("final_accounts", 2023, "某县文化旅游体育局")),
    # a sentence names no organ, however it starts
    ("根据2023年部门预算编制要求，本部门认真落实过紧日子要求，压减一般性支出，保障重点项目，"
     "部门预算收支总额为320.5万元，比上年增加12.3万元，其中基本支出280.2万元，项目支出40.3万元。", (None,)),
])
def test_a_cover_title_run_into_the_next_lines(first, expect):
    ident = read_identity([Paragraph(first, loc=Loc(page=1))])
    assert (ident.kind, ident.year, ident.name)[-len(expect):] == expect


@pytest.mark.parametrize("lines, expect", [
    # a web page's or an attachment's lines above the title are no part of the organ's name
    (["附件", "某省某某中学", "2025年部门预算公开情况说明"], ("某省某某中学", 2025)),
    (["时效性：有效", "某州数据发展中心2024年度部门决算"], ("某州数据发展中心", 2024)),
    (["部门决算", "索引号abc/2025-00001", "某县某镇中心卫生院2024年度部门决算"], ("某县某镇中心卫生院", 2024)),
    # 机关 ends a name without an organ ending before it; …局机关 is the bureau's
    (["某州政协机关2024年部门预算"], ("某州政协机关", 2024)),
    (["某县财政局机关2024年部门预算"], ("某县财政局", 2024)),
])
def test_cover_lines_around_the_title(lines, expect):
    ident = read_identity([Paragraph(t, loc=Loc(page=1)) for t in lines])
    assert (ident.name, ident.year) == expect


@pytest.mark.parametrize("lines, expect", [
    # a running header's bare kind words above the title name no document of their own
    (["部门预算信息公开", "某县某局2021年度部门决算"], ("final_accounts", 2021, "某县某局")),
    (["预算公开", "某县某局2024年部门预算"], ("budget", 2024, "某县某局")),
    # the title itself still wins where it comes first
    (["某县某局2021年度部门决算", "部门预算信息公开"], ("final_accounts", 2021, "某县某局")),
])
def test_a_running_headers_kind_words_before_the_title(lines, expect):
    ident = read_identity([Paragraph(t, loc=Loc(page=1)) for t in lines])
    assert (ident.kind, ident.year, ident.name) == expect
