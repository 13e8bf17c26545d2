"""Summary figures stated in the 情况说明's sentences, in the forms regional templates
use: under a sub-section (（四）政府采购情况) of a differently named section, with the
label leading the paragraph, with thousands separators (46,507.65 万元)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.parsers.prose import prose_figures
from converter.readers.ir import Paragraph


def _figures(*texts: str) -> dict[str, Decimal]:
    return {f.key: f.value for f in prose_figures([Paragraph(text=t) for t in texts], self_evaluation=False)}


def test_label_leading_the_paragraph():
    """长沙 (p11): "（四）政府采购情况：2026 年本单位政府采购预算总额 43.9 万元，其中，货物类…"."""
    got = _figures("六、其他重要事项的情况说明", "（四）政府采购情况：2026 年本单位政府采购预算总额43.9 万元，其中，货物类采购预算25.4 万元")
    assert got == {"procurement_total": Decimal("43.9")}


def test_sub_section_title_then_sentence_with_thousands_separator():
    """杭州市公安局: "2.政府采购情况" then "2026 年本部门政府采购预算总额 46,507.65 万元"."""
    got = _figures("五、其他重要事项的情况说明", "2.政府采购情况", "2026年本部门政府采购预算总额46,507.65万元，其中：货物11,602.07万元")
    assert got == {"procurement_total": Decimal("46507.65")}


def test_topic_outside_its_titles_is_not_taken():
    """A procurement sum in the 三公 section is not the department's procurement total."""
    assert "procurement_total" not in _figures("四、“三公”经费预算情况", "政府采购预算为12.00万元的车辆更新")


def test_short_sub_heading_stating_a_figure_is_read():
    got = _figures("三、“三公”经费预算情况", "（一）因公出国（境）费13万元")
    assert got == {"three_public_overseas": Decimal("13")}


@given(st.integers(1, 10**9), st.sampled_from(["（二）政府采购情况", "2.政府采购情况", "（三）政府采购预算情况"]))
def test_any_amount_any_sub_heading(cents, heading):
    amount = Decimal(cents) / 100
    whole, frac = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}.{frac}"
    got = _figures("六、其他需要说明的情况", heading, f"2026年政府采购预算总额{grouped}万元。")
    assert got["procurement_total"] == amount


def test_separate_income_and_expenditure_sections_state_the_totals():
    """北京 2026 (报表 only an attachment): "二、收入预算情况说明" opens with "2026 年度收入预算
    44169.36 万元", "三、支出预算情况说明" with the expenditure total, then "（一）基本支出。基本
    支出预算 … 万元" and "（二）项目支出。项目支出预算 … 万元". Amounts varied here."""
    got = _figures(
        "二、收入预算情况说明",
        "2026 年度收入预算 1234.56 万元，比 2025 年年初预算数 1000.00 万元增加 234.56 万元。",
        "（一）本年财政拨款收入 1200.00 万元",
        "三、支出预算情况说明",
        "2026 年支出预算 1234.56 万元，比 2025 年年初预算数 1000.00 万元增加 234.56 万元。",
        "（一）基本支出。基本支出预算 1000.50 万元，占本年支出预算 81.04%。",
        "（二）项目支出。项目支出预算 234.06 万元，占本年支出预算 18.96%。其中：",
    )
    assert got == {"income_total": Decimal("1234.56"), "expenditure_total": Decimal("1234.56"),
                   "basic_expenditure": Decimal("1000.50"), "project_expenditure": Decimal("234.06")}


def test_one_source_sections_do_not_give_the_totals():
    """无锡: "五、财政拨款支出预算情况说明" and "六、财政拨款基本支出预算情况说明" state the 财政拨款
    share only; nor is a 一般公共预算 基本支出 in the 支出预算 section the department's."""
    got = _figures(
        "五、财政拨款支出预算情况说明",
        "本部门2026年财政拨款预算支出475,631.69万元，占本年支出合计的92.82%。",
        "六、财政拨款基本支出预算情况说明",
        "本部门2026年度财政拨款基本支出预算279,627.29万元，其中：",
        "三、支出预算情况说明",
        "2026年一般公共预算基本支出82,529.89万元",
    )
    assert not {"expenditure_total", "basic_expenditure", "project_expenditure"} & set(got)


@given(st.integers(1, 10**9), st.sampled_from(["二、收入预算情况说明", "（二）收入预算情况说明（详见表1-3）"]),
       st.sampled_from(["2026 年度", "2026年", "本部门", "2026 年本单位"]), st.sampled_from(["", "合计", "总计"]))
def test_income_section_total_any_wording(cents, heading, lead, total_word):
    amount = Decimal(cents) / 100
    whole, frac = f"{amount:.2f}".split(".")
    got = _figures("一、部门概况", heading, f"{lead}收入预算{total_word} {int(whole):,}.{frac} 万元，比上年增加 1.00 万元。")
    assert got["income_total"] == amount


def test_a_zero_three_public_stated_without_a_unit():
    """Shanghai's 单位预算: "2026年“三公”经费预算数为0，与2025年预算持平。其中：（一）因公出国（境）
    费为0，…" states the figures (zero in any unit); a bare non-zero number is not read."""
    got = _figures(
        "一、2026年“三公”经费预算情况说明",
        "2026年“三公”经费预算数为0，与2025年预算持平。其中：",
        "（一）因公出国（境）费为0，与2025年预算持平。",
        "（二）公务用车购置及运行费为0，与2025年预算持平。",
        "（三）公务接待费为3，与2025年预算持平。",
    )
    assert got == {"three_public_total": Decimal("0"), "three_public_overseas": Decimal("0"),
                   "three_public_vehicles": Decimal("0")}


def test_three_public_total_worded_as_yusuanshu():
    """"“三公”经费预算数为67.59万元" (Shanghai): 预算数, not only 预算."""
    assert _figures("一、2026年“三公”经费预算情况说明", "2026年“三公”经费预算数为67.59万元，比2025年预算减少23.10万元。")[
        "three_public_total"] == Decimal("67.59")


def test_procurement_total_in_other_templates_wordings():
    """广州 "政府采购安排483.05万元", 西安 "政府采购预算共4,516.87万元", 深圳 "政府采购项目共有
    620 万元", 无锡 "政府采购支出预算总额 26.94 万元", a 决算's "政府采购金额（以合同签订为准）为
    251.25万元" (amounts varied here); a class's share or the SME reserve is never the total."""
    for sentence, want in (
        ("2026年本部门政府采购安排483.05万元，其中：货物类采购预算64.3万元", "483.05"),
        ("当年本部门政府采购预算共4,516.87万元，其中政府采购货物类预算49.50万元", "4516.87"),
        ("本级纳入2026年部门预算的政府采购项目共有620万元，其中：货物类项目0万元", "620"),
        ("2026年度政府采购支出预算总额26.94万元，其中：拟采购货物支出", "26.94"),
        ("本局2024年度政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元", "251.25"),
    ):
        assert _figures("四、政府采购情况", sentence)["procurement_total"] == Decimal(want), sentence
    for sentence in ("2026年政府采购货物预算181.09万元。", "本部门面向中小企业预留政府采购项目预算金额246.47万元。"):
        assert "procurement_total" not in _figures("四、政府采购情况", sentence), sentence


def test_a_part_title_without_sections_titles_its_text():
    """深圳: "第四部分 政府采购预算情况" then the sentence, no 一、… under the part."""
    got = _figures("第三部分 部门预算支出具体情况", "第四部分 政府采购预算情况",
                   "本级纳入 2026 年部门预算的政府采购项目共有 620 万元，其中：货物类项目 0 万元。",
                   "第五部分 财政拨款“三公”经费预算情况")
    assert got == {"procurement_total": Decimal("620")}


def test_operating_costs_in_other_templates_wordings():
    """机关运行经费 as 北京/深圳/湖州 ("…财政拨款预算"), 重庆 ("一般公共预算财政拨款运行经费"),
    福建 ("…支出"), 江苏 ("…预算支出") and 西安 ("（公用经费）预算总额为") word it (amounts varied)."""
    for sentence, want in (
        ("2026年北京市某局机关运行经费财政拨款预算874.70万元。", "874.70"),
        ("（一）机关运行经费。2026年一般公共预算财政拨款运行经费2115.60万元，比2025年增加1.05万元", "2115.60"),
        ("2026年，某局一般公共预算拨款安排的机关运行经费支出758.20万元，比上年增加19.92万元", "758.20"),
        ("2026年本部门一般公共预算机关运行经费预算支出175.50万元，与上年相比增加1.17万元", "175.50"),
        ("2022年本部门机关运行经费（公用经费）预算总额为1703.40万元，较上年增加314.25万元", "1703.40"),
    ):
        assert _figures("七、机关运行经费情况", sentence)["operating_costs"] == Decimal(want), sentence


def test_general_budget_basic_split_in_its_own_section():
    """福建: "五、一般公共预算拨款基本支出情况" then "（一）人员经费 5080.69 万元…（二）公用经费
    834.69 万元" (amounts varied): the general budget's basic split, under its own title."""
    got = _figures("四、国有资本经营预算拨款支出情况", "本部门2026年度没有使用国有资本经营预算拨款安排的支出。",
                   "五、一般公共预算拨款基本支出情况", "2026年度一般公共预算拨款基本支出5915.30万元，其中：",
                   "（一）人员经费5080.60万元，主要包括：基本工资、津贴补贴", "（二）公用经费834.70万元，主要包括：办公费")
    assert got == {"personnel_expenditure": Decimal("5080.60"), "public_expenditure": Decimal("834.70")}


def test_three_public_items_titled_by_their_sub_sections():
    """北京: "（一）因公出国（境）费用。2026 年预算数 181.99 万元，主要用于…"; 福建: the title
    "（二）公务接待费" on its own line, then "2026 年预算安排 18.85 万元"; 北京 "（三）公务用车购置和运行维护费。
    2026 年预算数 46.64 万元" (amounts varied); a later
    year-first sentence under the same title is not taken over the first."""
    got = _figures("四、财政拨款“三公”经费预算情况说明", "（一）因公出国（境）费用。2026 年预算数 181.90 万元，主要用于招商引资。",
                   "（二）公务接待费", "2026 年预算安排 18.80 万元，比上年增加 0.00 万元。", "2025 年预算安排 20.00 万元。",
                   "（三）公务用车购置和运行维护费。2026 年预算数 30.10 万元，包括公务用车购置费预算 0.00 万元。")
    assert got["three_public_overseas"] == Decimal("181.90")
    assert got["three_public_reception"] == Decimal("18.80")
    assert got["three_public_vehicles"] == Decimal("30.10")


# ---- final accounts (部门决算): the year's 决算 figure, never its budget ------------------

def _final(*texts: str) -> dict[str, Decimal]:
    blocks = [Paragraph(text=t) for t in texts]
    return {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, final_accounts=True)}


def test_final_accounts_take_the_actual_after_the_budget():
    """西安 决算 (p21): "“三公”经费支出预算593.46万元，支出决算587.55万元" and per item
    "公务接待费预算1.86万元，支出决算0.11万元": the 决算数 is the year's figure. Amounts varied."""
    got = _final("九、财政拨款“三公”经费支出决算情况说明",
                 "2022年度财政拨款安排“三公”经费支出预算600.10万元，支出决算580.25万元，完成预算的97%。",
                 "4．公务接待费支出情况说明。2022年度财政拨款安排公务接待费预算2.50万元，支出决算0.40万元，完成预算的16%。")
    assert got["three_public_total"] == Decimal("580.25")
    assert got["three_public_reception"] == Decimal("0.40")


def test_final_accounts_actual_after_an_opening_budget():
    """上海普陀 决算: "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，…其中：因公出国
    （境）费决算为0.00万元；公务用车购置及运行维护费支出决算为0.00万元；公务接待费支出决算为0.00万元"."""
    got = _final("七、财政拨款“三公”经费支出决算情况说明",
                 "“三公”经费财政拨款支出年初预算为3.20万元，支出决算为1.10万元，完成预算的34%，其中：因公出国（境）费"
                 "决算为0.00万元，完成预算的0%；公务用车购置及运行维护费支出决算为0.60万元，完成预算的50%；公务接待费"
                 "支出决算为0.50万元，完成预算的25%。")
    assert got == {"three_public_total": Decimal("1.10"), "three_public_overseas": Decimal("0.00"),
                   "three_public_vehicles": Decimal("0.60"), "three_public_reception": Decimal("0.50")}


def test_final_accounts_budget_figure_alone_is_not_the_years_figure():
    """A 决算 sentence stating only the budget ("预算为0.95万元") does not state the actual."""
    got = _final("七、财政拨款“三公”经费支出决算情况说明", "“三公”经费财政拨款支出预算为0.95万元，当年无支出。")
    assert "three_public_total" not in got
    # the same sentence in a budget is the budget's figure
    assert _figures("七、财政拨款“三公”经费预算情况说明", "“三公”经费财政拨款支出预算为0.95万元。")[
        "three_public_total"] == Decimal("0.95")


def test_final_accounts_sum_with_meeting_and_training_fees_is_not_the_three_public_total():
    got = _final("九、财政拨款“三公”经费及会议费、培训费支出决算情况说明",
                 "“三公”经费及会议费、培训费支出决算为3470.14万元。")
    assert "three_public_total" not in got


def test_overseas_fee_written_fei_yong_with_a_zero_budget():
    """湖州 (浙江): "2026 年安排因公出国（境）费用预算 0.00 万元，比上年预算数下降 100.0%" while the
    三公 table leaves the column blank: the prose states the figure."""
    got = _figures("（七）一般公共预算“三公”经费预算情况说明",
                   "1.因公出国（境）费用：根据因公出国计划和实际工作需要，2026 年安排因公出国（境）费用预算 0.00 万元，"
                   "比上年预算数下降 100.0%。")
    assert got["three_public_overseas"] == Decimal("0.00")


def test_final_accounts_operating_costs_actual():
    """西安 决算 (p22): "2022年度机关运行经费预算627.62万元，支出决算627.62万元"; amounts varied so
    that the budget and the actual differ."""
    got = _final("十、机关运行经费支出情况说明", "2022年度机关运行经费预算700.00万元，支出决算650.30万元，完成预算的93%。")
    assert got["operating_costs"] == Decimal("650.30")
    # a 决算 stating the year's spending without a budget beside it (上海普陀): read as printed
    got = _final("十一、其他重要事项的情况说明", "（一）机关运行经费支出情况", "机关运行经费支出184.65万元，比2023年度增加2.55万元。")
    assert got["operating_costs"] == Decimal("184.65")


@pytest.mark.parametrize("sentence,key,value", [
    ('2026年"三公"经费财政拨款预算合计30.75万元，比上年减少1.00万元。', "three_public_total", "30.75"),
    ("2026年“三公”经费支出预算总额为 12.40 万元。", "three_public_total", "12.40"),
    ("（二）公务接待费预算数为 2.00 万元，与上年持平。", "three_public_reception", "2.00"),
    ("（三）公务用车购置及运行维护费用预算数为 8.50 万元。", "three_public_vehicles", "8.50"),
    ("其中公务用车运行维护费预算安排 3.20 万元。", "three_public_vehicle_operation", "3.20"),
])
def test_three_public_wordings(sentence, key, value):
    """The words templates put between a 三公 label and its amount (预算数为, 预算合计, 支出预算总额,
    费用), and ASCII quotes around 三公 (湖州 prints "三公" in its table titles)."""
    assert _figures("四、“三公”经费预算情况说明", sentence)[key] == Decimal(value)


@pytest.mark.parametrize("section,sentence,key,value", [
    ("（一）机关运行经费", "2026年本部门机关运行经费预算数为 120.30 万元。", "operating_costs", "120.30"),
    ("（一）机关运行经费", "本部门机关运行经费合计 95.00 万元。", "operating_costs", "95.00"),
    ("（二）政府采购情况", "2026年本部门政府采购预算金额合计 410.00 万元，其中货物 10.00 万元。", "procurement_total", "410.00"),
])
def test_operating_costs_and_procurement_wordings(section, sentence, key, value):
    assert _figures("六、其他重要事项的情况说明", section, sentence)[key] == Decimal(value)


def test_national_template_total_of_both_sides():
    """"…支出包括：一般公共服务支出、…。杭州市公安局 2026 年收支总预算 404,415.23 万元。" closes the
    收支总体情况 of the national template (杭州, 湖州, 国家信访局): 收入总计 = 支出总计 = that figure."""
    got = _figures("（一）收支预算总体情况", "按照综合预算的原则，本部门所有收入和支出均纳入部门预算管理。"
                   "某市某局 2026 年收支总预算 12,345.67 万元。")
    assert got["income_total"] == got["expenditure_total"] == Decimal("12345.67")
    got = _figures("二、关于部门收入总表的说明", "2026 年某局收入预算总计 50,616.94 万元，其中：一般公共预算拨款收入 1.00 万元")
    assert got["income_total"] == Decimal("50616.94") and "expenditure_total" not in got


def test_final_accounts_actual_spending_wording():
    """"“三公”经费年初预算 10.00 万元，实际支出 8.20 万元": 实际支出 states the 决算 too."""
    got = _final("七、“三公”经费支出决算情况说明", "2023年度“三公”经费年初预算10.00万元，实际支出8.20万元，比预算减少1.80万元。")
    assert got["three_public_total"] == Decimal("8.20")


def test_final_accounts_item_actual_is_not_the_total():
    got = _final("七、“三公”经费支出决算情况说明", "“三公”经费中，因公出国（境）费决算为0.00万元，公务接待费决算为1.20万元。")
    assert "three_public_total" not in got
    assert got["three_public_reception"] == Decimal("1.20")


@given(st.integers(1, 10**9), st.integers(0, 10**7),
       st.sampled_from([("1.一般公共预算拨款收入 {gpb} 万元。", "10.上年结转结余 {co} 万元。"),  # 北京商务局 p8
                        ("其中：一般公共预算拨款收入 {gpb} 万元，占90.5%；", "上年结转结余 {co} 万元，占 1.0%。")]))  # 杭州
def test_income_section_lists_its_sources(gpb_cents, co_cents, wording):
    """The 收入预算 section lists the income by source: 北京 (报表 an attachment) "（一）本年财政
    拨款收入 … 1.一般公共预算拨款收入 130848.45 万元 … 10.上年结转结余 9687.21 万元", 杭州 "其中：一般
    公共预算拨款收入 366,195.79 万元，占90.5%；…上年结转结余 4,023.45 万元，占 1.0%"."""
    gpb, co = Decimal(gpb_cents) / 100, Decimal(co_cents) / 100
    got = _figures("二、收入预算情况说明", "2026 年度收入预算 99999999.99 万元。",
                   wording[0].format(gpb=f"{gpb:,.2f}"), wording[1].format(co=f"{co:.2f}"))
    assert got["general_public_budget_income"] == gpb and got["carryover_income"] == co


def test_income_sources_outside_the_income_section_are_not_taken():
    """A 财政拨款 section's 一般公共预算 share of the 支出 is no income figure of the department."""
    got = _figures("四、财政拨款收支预算情况说明", "一般公共预算收入 5.00 万元。", "上年结转 1.00 万元")
    assert not {"general_public_budget_income", "carryover_income"} & set(got)


def test_a_topics_own_sentence_under_another_title_is_read_in_a_budget_only() -> None:
    """"七、其他重要事项的情况说明" holding the 三公 sentence, and one paragraph going from
    "1.机关运行经费：…" to "2.政府采购情况：…": each sentence names its topic, so it is read
    there; a 决算's sentences are not (its budget and actual figures stand side by side)."""
    from converter.parsers.prose import prose_figures
    from converter.readers.ir import Heading, Paragraph

    blocks = [Heading(text="七、其他重要事项的情况说明", level=1),
              Paragraph(text="1.机关运行经费：2025年本部门机关运行经费预算123.45万元。"
                             "2.政府采购情况：2025年本部门政府采购预算总额为1,234.56万元。"),
              Paragraph(text="2025年“三公”经费预算数为12.00万元，比上年减少3.00万元。")]
    got = {f.key: f.value for f in prose_figures(blocks, False)}
    assert got == {"operating_costs": Decimal("123.45"), "procurement_total": Decimal("1234.56"),
                   "three_public_total": Decimal("12.00")}
    assert prose_figures(blocks, False, final_accounts=True) == []


# ---- wordings of other provinces' templates (each sentence written here, numbers varied) ----

def _stated(final: bool, *texts: str) -> dict[str, tuple[Decimal, str | None]]:
    return {f.key: (f.value, f.unit)
            for f in prose_figures([Paragraph(text=t) for t in texts], self_evaluation=False, final_accounts=final)}


def test_amounts_stated_in_yuan_keep_their_unit():
    """广西 梧州 budgets print their 报表 as an attachment and state the prose in 元, spaced out
    as their PDFs extract: "2025 年 政 府 采 购 预 算 6429768.84 元"."""
    got = _stated(False, "十、其他重要事项情况说明", "（二）政府采购预算安排情况说明。",
                  "2026 年 政 府 采 购 预 算 1520333.06 元 , 同 比 增 加 20000 元,增长 1.33%。")
    assert got == {"procurement_total": (Decimal("1520333.06"), "元")}
    got = _stated(False, "七、一般公共预算“三公”经费情况说明",
                  "2026年“三公”经费预算 36000 元，其中：因公出国（境）费 0 元，公务用车购置及运行维护费 30000 元，"
                  "公务接待费 6000 元。", "（一）机关运行经费安排情况说明。", "2026年机关运行经费预算 412345.5 元。")
    assert got["three_public_total"] == (Decimal("36000"), "元")
    assert got["three_public_vehicles"] == (Decimal("30000"), "元")
    assert got["three_public_reception"] == (Decimal("6000"), "元")
    assert got["three_public_overseas"][0] == 0


def test_wan_stays_the_default_unit():
    assert _stated(False, "七、“三公”经费情况说明", "“三公”经费预算12.5万元")["three_public_total"] == (Decimal("12.5"), None)


def test_three_public_total_as_zong_ji_and_items_named_without_fei():
    """内蒙古 / 重庆: "“三公”经费预算总计…万元，其中：…公务接待…万元", "公务用车购置…万元"."""
    got = _figures("一、“三公”经费预算安排情况",
                   "2026年度“三公”经费预算总计18.6万元，其中：因公出国（境）经费0万元，公务接待6.6万元，"
                   "公务用车运行费用12万元（公务用车购置0万元）。")
    assert got["three_public_total"] == Decimal("18.6")
    assert got["three_public_reception"] == Decimal("6.6")
    assert got["three_public_vehicle_operation"] == Decimal("12")
    assert got["three_public_vehicle_purchase"] == Decimal("0")
    # 公务接待 followed by anything but its amount is not read as one
    assert "three_public_reception" not in _figures("四、“三公”经费情况说明", "公务接待批次为30个，接待人次150人。")


def test_final_accounts_side_sections_and_paired_totals():
    """四川 决算 (报表 an attachment): "2025年度收、支总计各是A,B万元" under 收入支出决算总体情况,
    and "三、支出决算情况说明" stating 基本支出 and 项目支出."""
    got = _stated(True, "一、收入支出决算总体情况说明",
                  "2025年度收、支总计各是2210.4,2198.75万元。与2024年相比，收、支总计各减少10.5,12.25万元。",
                  "三、支出决算情况说明",
                  "2025年本年支出合计2198.75万元，其中：基本支出998.5万元，占45.41%；项目支出1200.25万元，占54.59%。")
    assert got["income_total"] == (Decimal("2210.4"), None)
    assert got["expenditure_total"] == (Decimal("2198.75"), None)
    assert got["basic_expenditure"] == (Decimal("998.5"), None)
    assert got["project_expenditure"] == (Decimal("1200.25"), None)


def test_final_accounts_take_the_actual_beside_a_budget_in_any_section():
    """In a 决算 a sentence may give the year's budget and then its actual: the actual is the
    year's figure, whatever the topic (here 基本支出); a budget alone is not read."""
    got = _stated(True, "三、支出决算情况说明", "基本支出预算为900.00万元，支出决算为880.40万元。")
    assert got["basic_expenditure"] == (Decimal("880.40"), None)
    assert "project_expenditure" not in _stated(True, "三、支出决算情况说明", "项目支出预算为300.00万元。")


def test_carryover_as_nian_chu_jie_zhuan():
    got = _figures("一、收入支出决算总体情况说明", "2025年度收入总计434.1万元，其中：本年收入合计420万元，年初结转和结余14.1万元。")
    assert got["carryover_income"] == Decimal("14.1")
    assert got["income_total"] == Decimal("434.1")


def test_plain_text_extraction_titles_without_blank_lines(tmp_path):
    """A plain extraction (a web page's text) puts each section title on the line above its
    text with no blank line between: the title is its own block, so the sentence is read
    under it, while wrapped lines of one sentence still join."""
    from converter.readers.text import parse_blocks

    blocks = parse_blocks("某县审计局2025年部门决算\n三、2025年度“三公”经费支出决算情况说明\n"
                          "2025年度“三公”经费财政拨款支出决算为4.20万元，其中：因公出国（境）费0万元，\n"
                          "公务用车购置及运行维护费3.00万元，公务接待费1.20万元。\n")
    assert [b.text for b in blocks][1] == "三、2025年度“三公”经费支出决算情况说明"
    assert blocks[2].text.endswith("公务接待费1.20万元。")
    got = _stated(True, *(b.text for b in blocks))
    assert got["three_public_total"] == (Decimal("4.20"), None)
    assert got["three_public_vehicles"] == (Decimal("3.00"), None)


# ---- wordings gathered from county and city disclosures of 广西, 四川, 安徽, 内蒙古, 海南, 云南
# (each sentence written here with other numbers) ----

def test_three_public_items_under_their_own_titles_and_abbreviated():
    """四川 county templates title each 三公 item as a section of its own ("二、公务用车购置及
    运行维护费") and write 公车 for 公务用车 and 万 for 万元; 广西 writes 公务用车费 for the item
    and states a nil overseas budget as 无…预算."""
    got = _figures("一、因公出国（境）经费", "2026年无因公出国（境）经费预算。",
                   "二、公务用车购置及运行维护费", "安排公车购置及运行维护费31万。",
                   "三、公务接待费", "2026年某养护中心安排公务接待费预算6万元。")
    assert got == {"three_public_overseas": Decimal("0"), "three_public_vehicles": Decimal("31"),
                   "three_public_reception": Decimal("6")}
    got = _figures("二、“三公”经费预算情况", "公务用车费预算17.35万元，公务接待费预算2.1万元。")
    assert got["three_public_vehicles"] == Decimal("17.35")
    # 万 followed by a word is a count, not an amount
    assert "three_public_reception" not in _figures("三、公务接待费", "公务接待费接待3万人次。")


def test_quoted_item_labels_and_items_stated_as_expenditure():
    got = _figures("五、“三公”经费情况", "“因公出国（境）费”12万元，“公务用车运行维护费”预算数40万元。")
    assert got["three_public_overseas"] == Decimal("12")
    assert got["three_public_vehicle_operation"] == Decimal("40")
    got = _stated(True, "四、“三公”经费支出决算情况说明", "其中：因公出国（境）支出0万元，公务用车购置支出0万元。")
    assert got["three_public_overseas"] == (Decimal("0"), None)


def test_three_public_total_as_he_ji_zhi_chu_and_a_title_stating_it():
    assert _stated(True, "二、“三公”经费决算情况", "2025年度“三公”经费合计支出18.4万元。")["three_public_total"] \
        == (Decimal("18.4"), None)
    # a short numbered line that states the figure is read as well as taken for a title
    assert _figures("一、全口径预算安排2026三公经费预算总计19.2万元")["three_public_total"] == Decimal("19.2")


def test_an_unnumbered_page_title_names_the_topic():
    """A 三公 statement published as a page of its own, titled without a number."""
    got = _figures("某局2026年部门预算“三公”经费预算情况说明", "2026年公务接待费预算1.5万元。")
    assert got == {"three_public_reception": Decimal("1.5")}


def test_final_accounts_totals_as_zong_shou_ru_and_he_jie_yu():
    """广西 决算: "本单位2025年度总收入…万元", "3.上年结转和结余…万元", "总支出…万元"; the
    income sources numbered as items under the 总体情况 section."""
    got = _stated(True, "一、2025年度收入支出决算总体情况",
                  "（一）本单位2025年度总收入602.3万元，其中本年收入410.1万元。",
                  "1.一般公共预算财政拨款收入401.1万元。", "3.上年结转和结余192.2万元。",
                  "（二）本单位2025年度总支出590.8万元，其中本年支出400.6万元。")
    assert got["income_total"] == (Decimal("602.3"), None)
    assert got["general_public_budget_income"] == (Decimal("401.1"), None)
    assert got["carryover_income"] == (Decimal("192.2"), None)
    assert got["expenditure_total"] == (Decimal("590.8"), None)


def test_one_sources_total_and_a_three_public_overall_heading_are_not_the_departments():
    """"财政拨款收支总预算" is the 财政拨款's; a 三公 sub-heading saying 总体情况 does not make its
    sentence the department's spending."""
    got = _stated(False, "四、财政拨款收支预算情况说明", "2026 年财政拨款收支总预算 7,120,400.5 元。")
    assert "income_total" not in got and "expenditure_total" not in got
    got = _stated(True, "七、“三公”经费支出决算情况说明", "（一）一般公共预算财政拨款“三公”经费支出决算总体情况说明。",
                  "“三公”经费支出预算为4万元，支出决算为2.6万元。")
    assert "expenditure_total" not in got and got["three_public_total"] == (Decimal("2.6"), None)



# ---- budget and 决算 wordings of 湖北, 湖南, 重庆, 西藏, 广西, 云南 and 河南 pages (second round,
# each sentence written here with other numbers) ----

def test_a_figure_labelled_with_another_year_is_not_the_documents():
    """"…，2025年收入预算总计363.13万元，同比降低…" in a 2026 budget is last year's total."""
    blocks = [Paragraph(text=t) for t in ("（一）2026年部门收入预算总体情况",
                                           "1.一般公共预算拨款收入250万元，2025年收入预算总计370.5万元，同比降低。")]
    got = {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, year=2026)}
    assert "income_total" not in got and got["general_public_budget_income"] == Decimal("250")
    got = {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, year=2025)}
    assert got["income_total"] == Decimal("370.5")


def test_a_source_or_a_class_before_the_words_is_not_the_side_total():
    """"国有资本经营预算收入0万元" is not 预算收入; "社会保障和就业支出预算…" is not 支出预算."""
    got = _figures("二、部门收支总体情况", "收入包括：一般公共预算拨款收入900万元，国有资本经营预算收入0万元。",
                   "支出包括：一般公共服务支出预算700万元，社会保障和就业支出预算200万元。")
    assert "income_total" not in got and "expenditure_total" not in got


def test_side_sections_named_budget_first_and_overall_sections_named_by_change():
    """湖北 "三、预算收支及增减变化情况" with "1.预算收入情况：…收入预算…"; 广西/西藏 "一、单位预算收支
    增减变化情况说明" with "我单位2026年总收入…，总支出…"; 湖南 "2026年本部门收入预算…"."""
    got = _figures("三、预算收支及增减变化情况", "1.预算收入情况：2026年部门收入预算760.5万元，比上年增加10万元。",
                   "2.预算支出情况：2026年部门支出预算760.5万元，其中，基本支出360.5万元；项目支出400万元。")
    assert got["income_total"] == Decimal("760.5") and got["expenditure_total"] == Decimal("760.5")
    assert got["basic_expenditure"] == Decimal("360.5") and got["project_expenditure"] == Decimal("400")
    got = _figures("一、单位预算收支增减变化情况说明", "我单位2026年总收入3800.2万元，总支出3800.2万元（不含上年结转）。")
    assert got["income_total"] == Decimal("3800.2") and got["expenditure_total"] == Decimal("3800.2")
    assert _figures("三、部门收支总体情况", "2026年本部门收入预算1800.4万元，比上年减少。")["income_total"] == Decimal("1800.4")


def test_side_sub_sections_opening_with_the_years_initial_budget():
    """重庆 towns: "（一）收入预算：2026年年初预算数…万元", or the sub-title on a line of its own."""
    got = _figures("二、部门收支总体情况", "（一）收入预算：2026年年初预算数1100.6万元，其中：一般公共预算拨款1100.6万元。",
                   "（二）支出预算", "2026年初预算数1100.6万元，其中：基本支出800万元。")
    assert got["income_total"] == Decimal("1100.6") and got["expenditure_total"] == Decimal("1100.6")


def test_final_accounts_three_public_wordings_of_county_pages():
    """"…决算总额为…", "…决算数共计…", "公务用车运行维护支出…元" without 费, on a 三公 page of its
    own titled without a number."""
    got = _stated(True, "某镇2025年“三公”经费决算情况",
                  "某镇2025年“三公”经费决算数共计30.5万元，其中公务接待费10.5万元，公务用车运行维护费20万元。")
    assert got["three_public_total"] == (Decimal("30.5"), None)
    assert got["three_public_reception"] == (Decimal("10.5"), None)
    assert got["three_public_vehicle_operation"] == (Decimal("20"), None)
    got = _stated(True, "四、财政拨款“三公”经费支出决算情况说明",
                  "2025 年度一般公共预算财政拨款安排的“三公”经费支出决算总额为 6.2 万元。", "公务用车运行支出 4.1万元。")
    assert got["three_public_total"] == (Decimal("6.2"), None)
    assert got["three_public_vehicle_operation"] == (Decimal("4.1"), None)
    got = _stated(True, "五、“三公”经费支出决算情况说明", "公务用车运行维护支出21,500.25元，公务用车保有量为2辆。")
    assert got["three_public_vehicle_operation"] == (Decimal("21500.25"), "元")


def test_the_assets_at_last_years_end_keep_their_year():
    blocks = [Paragraph(text=t) for t in ("（三）国有资产占用情况", "2025年末固定资产总额1520.3万元。")]
    got = {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, year=2026)}
    assert got == {"fixed_assets_total": Decimal("1520.3")}


def test_a_final_accounts_budget_breakdown_is_not_the_years_items():
    """A 决算 sentence stating the budget and its items, then the year's actual items with
    "完成预算的…%" beside them: the actual items are read, never the budget's."""
    blocks = [Paragraph(text="一、“三公”经费财政拨款支出决算情况"),
              Paragraph(text="2023年，“三公”经费预算为50.00万元，其中：因公出国（境）费10万元、公务用车运行维护费30万元、"
                             "公务接待费10万元。“三公”经费支出为42.50万元，完成预算的85%，其中：因公出国（境）费支出8.00万元，"
                             "完成预算的80%；公务用车运行维护费支出28.50万元；公务接待费支出6.00万元。")]
    got = {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, final_accounts=True)}
    assert got.get("three_public_overseas") == Decimal("8.00")
    assert got.get("three_public_reception") == Decimal("6.00")
    assert got.get("three_public_vehicle_operation", Decimal("28.50")) == Decimal("28.50")


@pytest.mark.parametrize("sentence, expect", [
    # both vehicle parts named in one item, either order
    ("2024年“三公”经费预算支出12.5万元，其中：因公出国（境）费0万元，公务用车运行维护及购置费8.5万元，公务接待费4万元。",
     {"three_public_total": "12.5", "three_public_overseas": "0", "three_public_vehicles": "8.5",
      "three_public_reception": "4"}),
    ("2024年“三公”经费预算12.5万元，其中：公务用车运行费及购置费8.5万元。",
     {"three_public_total": "12.5", "three_public_vehicles": "8.5"}),
    # 公务车 for 公务用车, 购置经费 for 购置费
    ("2024年“三公”经费预算12.5万元，其中：公务车运行费8.5万元，公务接待费4万元。",
     {"three_public_total": "12.5", "three_public_vehicle_operation": "8.5", "three_public_reception": "4"}),
    ("2024年“三公”经费预算12.5万元，其中：公务用车购置经费3万元，公务用车运行维护费5.5万元。",
     {"three_public_total": "12.5", "three_public_vehicle_purchase": "3", "three_public_vehicle_operation": "5.5"}),
])
def test_three_public_item_wordings(sentence, expect):
    blocks = [Paragraph(text="三、“三公”经费预算情况说明"), Paragraph(text=sentence)]
    got = {f.key: str(f.value) for f in prose_figures(blocks, self_evaluation=False, year=2024)}
    assert got == expect


def test_a_final_accounts_figure_under_another_title_is_read_by_its_own_actual_word():
    """A 决算 stating its 三公 total and 机关运行经费 under a title naming neither: the
    sentence's 决算 word makes it the year's actual; a budget-only sentence there is not read."""
    blocks = [Paragraph(text="七、其他重要事项的情况说明"),
              Paragraph(text="2023年度“三公”经费财政拨款支出年初预算为20.00万元，支出决算为12.30万元。"
                             "本部门2023年度机关运行经费支出决算45.60万元。")]
    got = {f.key: f.value for f in prose_figures(blocks, self_evaluation=False, final_accounts=True, year=2023)}
    assert got == {"three_public_total": Decimal("12.30"), "operating_costs": Decimal("45.60")}
    budget_only = [Paragraph(text="七、其他重要事项的情况说明"), Paragraph(text="2023年度“三公”经费预算为20.00万元。")]
    assert prose_figures(budget_only, self_evaluation=False, final_accounts=True, year=2023) == []


@pytest.mark.parametrize("title, text, final, expect", [
    # a one-page title ending in 增减变化原因说明 / 增减说明 titles the 三公 text below it
    ("2019年“三公”经费决算情况及增减变化原因说明",
     "2019年本局“三公”经费财政拨款支出决算为30.5万元，其中：公务接待费支出决算为10.5万元。", True,
     {"three_public_total": "30.5", "three_public_reception": "10.5"}),
    ("某局2019年“三公”经费预算增减说明", "2019年“三公”经费预算20万元，其中：公务接待费6万元。", False,
     {"three_public_total": "20", "three_public_reception": "6"}),
    # the vehicle parts named without 公务用车 under the vehicles' own title
    ("二、公务用车购置及运行费", "2019年公务用车购置及运行费预算14万元，其中：购置费0万元、运行费14万元。", False,
     {"three_public_vehicles": "14", "three_public_vehicle_purchase": "0", "three_public_vehicle_operation": "14"}),
    # 车辆… in a 决算 (四川 towns), and 购置支出 before its 决算 figure
    ("三、公务用车购置及运行维护费", "车辆购置支出0万元；车辆运行维护费支出8.2万元。", True,
     {"three_public_vehicle_purchase": "0", "three_public_vehicle_operation": "8.2"}),
    ("一、“三公”经费支出决算情况", "其中：公务用车购置支出决算为0万元，公务用车运行维护费支出决算为3.5万元。", True,
     {"three_public_vehicle_purchase": "0", "three_public_vehicle_operation": "3.5"}),
    # the source's name between label and amount; 决算汇总数
    ("一、“三公”经费支出决算情况", "“三公”经费公共预算财政拨款支出决算汇总数为74.6万元。", True,
     {"three_public_total": "74.6"}),
    ("一、“三公”经费预算情况", "“三公”经费一般公共预算财政拨款支出21万元。", False, {"three_public_total": "21"}),
    # none of the vehicles' money stated in words; no trips is no figure
    ("一、“三公”经费支出决算情况", "本部门本年度无公务用车购置及运行维护费用支出，无因公出国（境）团组。", True,
     {"three_public_vehicles": "0"}),
])
def test_three_public_wordings_round_three(title, text, final, expect):
    blocks = [Paragraph(text=title), Paragraph(text=text)]
    got = {f.key: str(f.value) for f in prose_figures(blocks, self_evaluation=False, final_accounts=final, year=2019)}
    assert got == expect


def test_operating_costs_with_the_source_named_and_totals_as_总预算():
    blocks = [Paragraph(text="三、部门收支概况"),
              Paragraph(text="2019年收入总预算317.6万元，支出总预算317.6万元，其中：一般公共预算拨款48.89万元。"),
              Paragraph(text="四、机关运行经费"), Paragraph(text="机关运行经费一般公共预算拨款10.00万元。")]
    got = {f.key: str(f.value) for f in prose_figures(blocks, self_evaluation=False, year=2019)}
    assert got == {"income_total": "317.6", "expenditure_total": "317.6",
                   "general_public_budget_income": "48.89", "operating_costs": "10.00"}
