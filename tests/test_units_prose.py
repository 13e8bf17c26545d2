"""Subordinate units stated in sentences (预算单位构成), the national form outside Hebei:
facts read off real pages, and generated lists in the forms the templates use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.parsers.units import split_top_level, units_from_prose
from converter.readers.ir import Paragraph
from converter.records.model import Flag
from tests.real_corpus import outcome


def _units(*texts: str) -> tuple[list[tuple[str, str | None]], list[Flag]]:
    flags: list[Flag] = []
    units = units_from_prose([Paragraph(text=t) for t in texts], flags)
    return [(u.name, u.nature) for u in units], flags


def test_counted_list_with_self_unit():
    got, flags = _units("2.从预算单位构成看，纳入本部门2026年部门汇总预算编制范围的预算单位共计2家，具体包括："
                        "无锡市商务局（本级），无锡市投资促进中心。")
    assert got == [("无锡市商务局（本级）", None), ("无锡市投资促进中心", None)] and not flags


def test_bracketed_alias_holding_a_separator_and_a_final_and():
    got, _ = _units("下属3个二级预算单位，分别是重庆市水利工程质量中心站（重庆市水利工程造价站、重庆市水利工程建设稽察技术服务中心）、"
                    "重庆市水利信息中心和重庆市三峡库区工作服务中心。")
    assert [n for n, _ in got] == ["重庆市水利工程质量中心站（重庆市水利工程造价站、重庆市水利工程建设稽察技术服务中心）",
                                   "重庆市水利信息中心", "重庆市三峡库区工作服务中心"]


def test_nature_in_brackets_and_budget_wording():
    got, _ = _units("从预算单位构成看，杭州市公安局部门预算包括：杭州市公安局本级预算（行政单位）、"
                    "杭州市机动车驾驶员考试服务中心（事业单位）、杭州市公安局地铁分局（行政单位）预算。")
    assert got == [("杭州市公安局本级", "行政单位"), ("杭州市机动车驾驶员考试服务中心", "事业单位"),
                   ("杭州市公安局地铁分局", "行政单位")]


def test_only_the_department_itself():
    got, _ = _units("二、部门预算单位构成", "长沙市信访局部门只有本级，没有其他二级预算单位，因此，纳入2026年部门预算编制范围的只有长沙市信访局本级。")
    assert got == [("长沙市信访局本级", None)]


def test_internal_divisions_are_not_units():
    got, _ = _units("内设机构16个，包括：办公室、综合处、财务处、市场体系建设处。")
    assert got == []
    cited, _ = _units("根据《关于印发<北京市商务局职能配置、内设机构和人员编制规定>的通知》，北京市商务局下属2个预算单位，"
                      "分别为北京市国际服务贸易事务中心、北京市对外贸易学校。")
    assert [n for n, _ in cited] == ["北京市国际服务贸易事务中心", "北京市对外贸易学校"]


def test_a_count_that_disagrees_takes_nothing_and_says_so():
    got, flags = _units("纳入编制范围的预算单位共计3家，具体包括：甲市乙局（本级）、甲市丙中心。")
    assert got == [] and flags[0].kind == "unit-list-mismatch" and "3" in flags[0].message


NAMES = st.lists(st.sampled_from(["市规划设计研究院", "市信息中心", "市档案馆", "第一中学", "市机关服务中心（市接待办）",
                                  "市少年宫", "市图书馆", "市第二人民医院"]), min_size=1, max_size=8, unique=True)


@given(NAMES, st.sampled_from(["、", "，", "；"]), st.sampled_from(["具体包括：", "分别是", "包括："]), st.booleans())
def test_generated_lists(names, sep, lead, counted):
    full = ["某市" + n for n in names]
    count = f"共计{len(full)}家，" if counted else ""
    got, flags = _units(f"纳入本部门预算编制范围的预算单位{count}{lead}{sep.join(full)}。")
    assert [n for n, _ in got] == full and not flags


def test_a_list_that_opens_its_own_sentence_takes_the_count_of_the_one_before():
    got, flags = _units("郑州市教育局下属单位共3个，其中行政单位1个，事业单位2个。分别是：郑州市教育局机关、"
                        "郑州市教育技术装备中心、郑州市第七中学。")
    assert [n for n, _ in got] == ["郑州市教育局机关", "郑州市教育技术装备中心", "郑州市第七中学"] and not flags
    got, flags = _units("某市教育局下属单位共4个。分别是：某市教育局机关、某市第七中学。")
    assert got == [] and flags[0].kind == "unit-list-mismatch"
    got, _ = _units("本部门内设机构5个。分别是：办公室、财务科、人事科、法规科、监察室。")
    assert got == []  # internal divisions, whichever sentence opens the list


def test_a_list_start_that_opens_no_list_leaves_the_next_one_to_be_read():
    got, flags = _units("从预算单位构成看，本部门预算包括部门本级预算和所属单位预算，纳入编制范围的预算单位包括："
                        "贵阳市教育局本级、贵阳市第一中学、贵阳市实验小学。")
    assert [n for n, _ in got] == ["贵阳市教育局本级", "贵阳市第一中学", "贵阳市实验小学"] and not flags


def test_the_last_two_names_joined_by_he_are_split_at_the_he_between_them():
    got, _ = _units("所属预算单位包括：呼和浩特市卫生健康委员会机关、呼和浩特市第一医院、"
                    "呼和浩特市疾病预防控制中心和呼和浩特市中心血站。")
    assert [n for n, _ in got] == ["呼和浩特市卫生健康委员会机关", "呼和浩特市第一医院",
                                    "呼和浩特市疾病预防控制中心", "呼和浩特市中心血站"]


def test_split_ignores_separators_inside_brackets():
    assert split_top_level("甲（乙、丙）、丁") == ["甲（乙、丙）", "丁"]


def test_real_units():
    """无锡市商务局 p7 and 重庆市水利局 p4–5 (read off the pages)."""
    wuxi = outcome("wide/无锡_商务局_2026年部门预算.pdf").disclosure
    assert [u.name for u in wuxi.units] == ["无锡市商务局（本级）", "无锡市投资促进中心"]
    assert wuxi.units[0].loc.page == 7
    cq = outcome("2026年重庆市水利局部门预算.pdf").disclosure
    names = [u.name for u in cq.units]
    assert len(names) == 12 and names[0] == "重庆市农村水利水电中心" and names[-1] == "重庆市三峡库区工作服务中心"


def _units_doc(header: list[str], rows: list[list[str]]):
    from converter.parsers import parse_document
    from converter.readers.ir import Document, Row, Table
    table = Table(rows=[Row(cells=header)] + [Row(cells=r) for r in rows])
    blocks = [Paragraph(text="西安市某局2026年部门预算"), Paragraph(text="三、预算单位构成"),
              Paragraph(text="纳入本部门当年预算编制范围的二级预算单位共有3个，包括："), table]
    return parse_document(Document(path="t.pdf", sha256="0" * 64, blocks=blocks))


def test_a_numbered_list_of_unit_names_is_a_units_table():
    """西安: the 预算单位构成 sentence is followed by a table 序号 | 单位名称 | 拟变动情况."""
    d = _units_doc(["序号", "单位名称", "拟变动情况"],
                   [["1", "西安市某局本级", ""], ["2", "西安市某中心", ""], ["3", "西安市某站", "新设立单位"]])
    assert "units" in d.tables_found
    assert [(u.name, u.nature) for u in d.units] == [("西安市某局本级", None), ("西安市某中心", None), ("西安市某站", None)]


def test_a_table_by_unit_with_amounts_is_not_a_units_table():
    d = _units_doc(["序号", "单位名称", "合计"], [["1", "西安市某局本级", "100.00"], ["2", "西安市某中心", "50.00"],
                                              ["3", "西安市某站", "10.00"]])
    assert "units" not in d.tables_found


def test_the_units_list_after_a_divisions_list_in_one_paragraph_continued_on_the_next_page():
    """北京 form: one paragraph lists the 内设机构 (a count of its own), then "N 个直属事业单位
    具体包括：" whose names run onto the next page's paragraph."""
    got, flags = _units("甲市某局共 5 个内设机构、3 个直属事业单位。5 个内设机构具体包括：办公室、综合处、预算处、"
                        "人事处、机关党委。3 个直属事业单位具体包括：",
                        "甲市某局监督检查分局、甲市某局支付中心、甲市某科学研究所。")
    assert [n for n, _ in got] == ["甲市某局监督检查分局", "甲市某局支付中心", "甲市某科学研究所"] and not flags


def test_a_second_list_start_after_a_budget_sentence():
    """广州 form: "本部门预算为汇总预算，包括：…本级预算，以及…下属单位预算。下属单位具体包括：…"."""
    got, _ = _units("本部门预算为汇总预算，包括：乙市某局本级预算，以及纳入编制范围的下属单位预算。下属单位具体包括："
                    "乙市某中心、乙市某站（乙市某编辑部）。")
    assert [n for n, _ in got] == ["乙市某中心", "乙市某站（乙市某编辑部）"]


def test_numbered_lists_inline_and_one_item_a_line():
    """烟台 form: "…二级预算单位包括:1.甲2.乙…" joined in one paragraph, or one numbered item a
    line (more lines than the two a sentence may run on), or "1.某局单位预算 2.…单位预算"."""
    inline, _ = _units("纳入丙市某局2026年部门预算编制范围的二级预算单位包括:1.丙市某局2.丙市某支付中心3.丙市某评审中心")
    assert [n for n, _ in inline] == ["丙市某局", "丙市某支付中心", "丙市某评审中心"]
    names = ["丙市某局", "丙市某支付中心", "丙市某评审中心", "丙市某绩效评价中心", "丙市某保障中心"]
    lines, _ = _units("纳入丙市某局2026年部门预算编制范围的二级预算单位包括：",
                      *[f"{k}.{n}" for k, n in enumerate(names, 1)], "三、收支预算")
    assert [n for n, _ in lines] == names
    budgets, _ = _units("丙市某局部门预算包括：1.丙市某局单位预算 2.丙市某监测中心单位预算 "
                        "3.丙市某服务中心（丙市某促进中心）单位预算。")
    assert [n for n, _ in budgets] == ["丙市某局", "丙市某监测中心", "丙市某服务中心（丙市某促进中心）"]


def test_the_budget_composition_is_preferred_over_a_subordinate_units_list():
    """无锡 form: "本部门下属单位包括：甲中心。" then the composition with the department itself."""
    got, _ = _units("1.本部门内设机构包括：办公室、综合处。本部门下属单位包括：丁市某中心。",
                    "2.从预算单位构成看，纳入本部门部门汇总预算编制范围的预算单位共计2家，具体包括：丁市某局（本级），丁市某中心。")
    assert [n for n, _ in got] == ["丁市某局（本级）", "丁市某中心"]


def test_a_nature_printed_in_the_name_cell_of_a_units_table():
    """普陀 决算 form: 序号 | 单位名称 | 备注 with "…执法大队（下属参公事业单位）" in the name cell."""
    d = _units_doc(["序号", "单位名称", "备注"],
                   [["1", "戊区某局（本级）", ""], ["2", "戊区某局执法大队（下属参公事业单位）", ""],
                    ["3", "戊区某中心（下属事业单位）", "预算不单列"]])
    assert [(u.name, u.nature) for u in d.units] == [("戊区某局（本级）", None), ("戊区某局执法大队", "参公事业单位"),
                                                     ("戊区某中心", "事业单位")]


def test_units_qualified_as_the_bureaus_own_and_a_last_unit_budget():
    """湖州 form: "…预算包括：局本级预算、局属市执法队、…和局属市救援中心单位预算。"."""
    got, _ = _units("从预算单位构成看，己市某局预算包括：局本级预算、局属市某执法队、局属市某管理中心和局属市某救援中心单位预算。")
    assert [n for n, _ in got] == ["局本级", "市某执法队", "市某管理中心", "市某救援中心"]


def test_one_unit_named_after_its_count():
    """国家信访局 form: "…下设 1 个预算单位，为…本级。"."""
    got, flags = _units("庚局下设 1 个预算单位，为庚局本级。")
    assert [n for n, _ in got] == ["庚局本级"] and not flags


def test_a_numbered_list_without_its_full_stop_ends_at_the_next_heading():
    """烟台 财政局: "…包括:1.甲2.乙" is the paragraph's end; "第二部分" follows as a heading."""
    from converter.readers.ir import Heading
    flags: list[Flag] = []
    units = units_from_prose([Paragraph(text="纳入辛市某局部门预算编制范围的二级预算单位包括:1.辛市某局2.辛市某支付中心"),
                              Heading(text="第二部分", level=1), Heading(text="2026年部门预算表", level=2)], flags)
    assert [u.name for u in units] == ["辛市某局", "辛市某支付中心"]


def test_numbered_unit_lines_each_running_on_after_the_name():
    """上海 区级 部门预算 form: "本部门中，行政单位1家，事业单位1家，具体包括：" then one numbered
    line per unit, the name up to its first comma ("1.商务委本部，…机关设9个内设机构，包括：…。")."""
    got, flags = _units("壬区某委部门预算是包括某委本部以及下属1家预算单位的综合收支计划。",
                        "本部门中，行政单位1家，事业单位1家，具体包括：",
                        "1. 某委本部，壬区某委机关设3个内设机构，包括：办公室、综合科、发展科。",
                        "2. 壬区某服务中心，不单列预算。", "壬区某委主要职能")
    assert [n for n, _ in got] == ["某委本部", "壬区某服务中心"] and not flags


def test_a_units_list_headed_budget_unit_name():
    """A 预算单位构成 list headed 序号 | 预算单位名称 (or 单位全称 / 机构名称) is a units table too."""
    for label in ("预算单位名称", "单位全称", "机构名称"):
        d = _units_doc(["序号", label], [["1", "癸市某局（本级）"], ["2", "癸市某中心"], ["3", "癸市某站"]])
        assert [u.name for u in d.units] == ["癸市某局（本级）", "癸市某中心", "癸市某站"], label


def test_a_list_opened_by_you_or_wei_with_a_colon():
    """"…预算单位有：甲、乙。" / "…二级预算单位为：甲、乙。": 有 / 为 / 是 open a list before a colon."""
    for lead in ("有：", "为：", "是:"):
        got, _ = _units(f"纳入本部门2026年部门预算编制范围的预算单位共2个，{lead}子市某局本级、子市某中心。")
        assert [n for n, _ in got] == ["子市某局本级", "子市某中心"], lead


def test_two_composition_lists_in_one_sentence_split_at_the_semicolon():
    """重庆市商务委员会 (p3): "下设财政拨款二级预算单位6个,分别是:甲(本级)、乙…;下设自收自支二级
    预算单位3个:丙、丁、戊。" — the first list ends at the ；, the second opens at "3个:", and the
    department's units are both lists (names varied here)."""
    got, flags = _units("部门本级内设3个,各机构规范简称依次为:办公室、综合处、机关党委。下设财政拨款二级预算单位2个,分别是:"
                        "重庆市某某委员会(本级)、重庆某某职业学院;下设自收自支二级预算单位2个:重庆市某某服务中心、"
                        "重庆市某某促进中心。")
    assert [n for n, _ in got] == ["重庆市某某委员会(本级)", "重庆某某职业学院", "重庆市某某服务中心", "重庆市某某促进中心"]
    assert not flags


@pytest.mark.parametrize("texts, names", [
    # the composition sentence forms of other provinces' templates (written for the family)
    (["本部门纳入2025年部门预算编制范围的单位共3个，其中：行政单位1个，事业单位2个。具体包括：甲市某局机关、甲市某中心、甲市某站。"],
     ["甲市某局机关", "甲市某中心", "甲市某站"]),
    (["乙省某厅部门预算由厅本级及所属2个单位预算组成。纳入2025年部门预算编制范围的二级预算单位包括：1.乙省某研究院；2.乙省某中心。"],
     ["乙省某研究院", "乙省某中心"]),
    (["本部门2025年部门预算单位构成：丙市某局机关本级、丙市某中心、丙市某服务中心。"],
     ["丙市某局机关本级", "丙市某中心", "丙市某服务中心"]),
    (["纳入本部门2025年部门预算编制范围的预算单位：丙市某局本级、丙市某中心。"], ["丙市某局本级", "丙市某中心"]),
    (["本部门下属预算单位有2个，分别为：丁市某监测站、丁市某执法支队。"], ["丁市某监测站", "丁市某执法支队"]),
    (["戊市某局部门预算包括局机关及所属单位预算在内的汇总情况。纳入2025年部门预算编制范围的单位有：戊市某局机关、戊市某中心。"],
     ["戊市某局机关", "戊市某中心"]),
    (["纳入2025年部门决算编制范围的单位共2家，分别是：庚市某局（本级）、庚市某中心。"], ["庚市某局（本级）", "庚市某中心"]),
])
def test_composition_sentences_of_other_templates(texts: list[str], names: list[str]) -> None:
    got, flags = _units(*texts)
    assert [n for n, _ in got] == names and not flags


def test_a_cover_label_names_the_document_not_its_units() -> None:
    # 上海 单位预算 covers: "预算单位：上海市戒毒康复中心" is whose budget it is
    assert _units("上海市2026年市级单位预算", "预算单位：上海市某中心") == ([], [])


# ---- wordings of county and city templates of 北京, 江西, 宁夏, 湖北, 山西, 甘肃, 重庆, 西藏
# (gathered from public pages, written here with other names) ----

@pytest.mark.parametrize("texts,names", [
    # 下辖 with the list after a count of kind ("一家全额拨款事业单位：")
    (["本单位有内设机构3个，即：办公室、档案科、编研科。本部门下辖一家全额拨款事业单位：某区档案服务中心。"],
     ["某区档案服务中心"]),
    # 汇编范围, 本级 and "0个" of the subordinate units
    (["纳入本套单位预算汇编范围的单位共1个，包括：某市红十字会本级和0个所属二级预算单位。"], ["某市红十字会本级"]),
    # the list in brackets after its count, after a divisions list in the same sentence
    (["某区商务局机关内设科室3个：办公室、商贸科、招商科；所属二级事业单位2个（某区投资促进中心、某区商务服务中心）。"],
     ["某区投资促进中心", "某区商务服务中心"]),
    (["一、部门决算单位构成", "某乡人民政府为一级决算单位（党政办、财务室）下设两个事业编制机构（某乡农牧服务中心、某乡文化服务中心）。"],
     ["某乡农牧服务中心", "某乡文化服务中心"]),
    # a numbered list with （1） ordinals, each item running on after its name
    (["直属2个事业公益二类单位：（1）某省保育院：编制30名，实有25人；（2）某省儿童服务中心，编制5名，实有4人。"],
     ["某省保育院", "某省儿童服务中心"]),
    # one unit a line, unnumbered, the first with its nature
    (["纳入某镇人民政府预算的单位包括：", "某县某镇人民政府（机关）", "某县某镇财政所"], ["某县某镇人民政府", "某县某镇财政所"]),
    # lists of kinds under the composition heading, the kind before each list
    (["（三）单位构成", "单位构成情况：行政部门1个：某镇人民政府（本级）；事业部门2个：某镇农业服务中心、某镇文化服务中心。"],
     ["某镇人民政府（本级）", "某镇农业服务中心", "某镇文化服务中心"]),
    # the item's kind before its name, and "部门预算" after it
    (["某局部门预算包括：某局本级、二级拨款单位某山庄管理处。"], ["某局本级", "某山庄管理处"]),
    (["纳入编制范围的单位包括某市图书馆和某市文化馆两部门。"], ["某市图书馆", "某市文化馆"]),
])
def test_composition_wordings_of_county_templates(texts: list[str], names: list[str]) -> None:
    got, flags = _units(*texts)
    assert [n for n, _ in got] == names, flags


def test_a_unit_of_the_organ_itself_keeps_jiguan_as_its_nature() -> None:
    got, _ = _units("纳入本部门预算编制范围的单位包括：某市某委员会本级（机关）、某市某中心。")
    assert got == [("某市某委员会本级", "机关"), ("某市某中心", None)]


@pytest.mark.parametrize("texts, expected", [
    # names, then their count and kind, with or without a verb before them
    (["部门机构设置：区民政局下设某区民政局机关、某区救助管理站、某区殡葬服务中心三家行政事业单位。"],
     ["某区民政局机关", "某区救助管理站", "某区殡葬服务中心"]),
    (["某市气象局内设办公室、业务科、法规科3个科室；及某市气象台和某市防雷中心2个直属事业单位。"],
     ["某市气象台", "某市防雷中心"]),
    (["某市工商业联合会本级1个单位，无下属单位。"], ["某市工商业联合会本级"]),
    # 即 after a count, the sentence going on about the one unit; 为 after the composition's words
    (["单位内设部室2个，分别为：办公室、业务部。下属事业单位1个，即某县档案服务中心，为全额拨款事业单位。"],
     ["某县档案服务中心"]),
    (["从预算单位构成看，纳入本部门2024年度决算编制的预算单位为某县商务局（本级）。"], ["某县商务局（本级）"]),
    (["本部门决算所属1家行政单位：某县文学艺术界联合会，全部纳入编报范围。"], ["某县文学艺术界联合会"]),
    # the part after the last comma names the units: earlier counts and 内设 are another list's
    (["某局内设机构12个，下属事业单位20个，下设二级预算单位分别为某局本级、某局本级事业、某会议中心等。"],
     ["某局本级", "某局本级事业", "某会议中心"]),
    # a heading that names the composition with the duties after it
    (["（一）部门预算单位构成、主要职责", "某区文化馆、某区图书馆2个事业单位纳入部门预算。"], ["某区文化馆", "某区图书馆"]),
])
def test_other_provinces_wordings(texts, expected):
    got, _ = _units(*texts)
    assert [n for n, _ in got] == expected


@pytest.mark.parametrize("text", [
    "本单位设置1个综合办事机构：综合指挥室；设置3个内设机构：党建办公室、经济发展办公室、平安法治办公室。",
    "某乡人民政府下属二级预算单位0个，其中行政单位3个（党政办公室、财政所、社会治理办公室。规划建设办公室）。",
    "对某局、某站2个单位开展了绩效评价。",
])
def test_internal_bodies_and_counts_that_are_no_units_list(text):
    """Neither on its own nor under a composition heading."""
    assert _units(text)[0] == []
    assert _units("（二）单位构成。", text)[0] == []


@pytest.mark.parametrize("texts, expect", [
    # town templates' openers: 设置…事业机构 / 设置事业单位N个 / 下属二级机构有 / 部门预算共N个单位
    (("二、机构设置", "本镇设置3个事业机构分别是：甲镇农业服务中心、甲镇文化服务中心、甲镇社会事务服务中心。"),
     ["甲镇农业服务中心", "甲镇文化服务中心", "甲镇社会事务服务中心"]),
    (("（三）单位构成", "设置事业单位2个：乙乡便民服务中心、乙乡综合执法大队。"), ["乙乡便民服务中心", "乙乡综合执法大队"]),
    (("一、部门基本情况", "本局下属二级机构有丙县房产服务中心、丙县建设工程质量监督站。"),
     ["丙县房产服务中心", "丙县建设工程质量监督站"]),
    (("一、部门构成", "纳入2024年部门预算共3个单位：丁院本级、丁市第一分院、丁市第二分院。"),
     ["丁院本级", "丁市第一分院", "丁市第二分院"]),
    # names before their count, the kind a bare 二级; 下属设 before the names
    (("一、部门构成", "下辖戊县城建档案馆、戊县市政管理所2个二级单位。"), ["戊县城建档案馆", "戊县市政管理所"]),
    (("一、部门构成", "局机关设办公室，下属设己区道路运输发展中心和己区公路养护中心2个全额拨款事业单位。"),
     ["己区道路运输发展中心", "己区公路养护中心"]),
    # a mass organisation's short name; a 参公 / 挂靠 note is no part of the name
    (("一、单位构成", "纳入本部门预算编制范围的单位包括：庚县科协、庚县文联。"), ["庚县科协", "庚县文联"]),
    (("一、部门构成", "所属二个事业单位：辛区老干部活动中心（参公）、辛区关心下一代工作委员会办公室（挂靠老干局）。"),
     ["辛区老干部活动中心", "辛区关心下一代工作委员会办公室"]),
])
def test_unit_list_wordings_round_three(texts, expect):
    units, _flags = _units(*texts)
    assert [name for name, _nature in units] == expect
