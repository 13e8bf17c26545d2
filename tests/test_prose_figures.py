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
