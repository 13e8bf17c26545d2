"""Summary figures stated in the 情况说明's sentences, in the forms regional templates
use: under a sub-section (（四）政府采购情况) of a differently named section, with the
label leading the paragraph, with thousands separators (46,507.65 万元)."""

from __future__ import annotations

from decimal import Decimal

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
