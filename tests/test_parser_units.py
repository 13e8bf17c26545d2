"""Property tests for the normalisers: document numbers, targets, split numbers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from converter.parsers.docnumbers import canonical_docnumber, find_docnumbers
from converter.parsers.numbers import read_cell
from converter.parsers.repair import Relation, resolve
from converter.parsers.targets import parse_target

ISSUERS = ["石财外", "石财建", "鹿政府办", "承财建", "鹿发", "冀财预", "市委办政府办", "石政办函", ""]
BRACKETS = [("[", "]"), ("［", "］"), ("〔", "〕"), ("（", "）"), ("(", ")"), ("【", "】")]
SPACE = st.sampled_from(["", " ", "  "])


@settings(max_examples=300)
@given(issuer=st.sampled_from(ISSUERS), year=st.integers(1995, 2035), serial=st.integers(1, 9999),
       br=st.sampled_from(BRACKETS), s1=SPACE, s2=SPACE, s3=SPACE, s4=SPACE, zeros=st.sampled_from(["", "0", "00"]),
       before=st.sampled_from(["", "（", "根据", "文件,", "《通知》（", "依据"]),
       after=st.sampled_from(["", "）", "等", "文件精神", "2023年省级专项"]))
def test_docnumber_variants_normalise(issuer, year, serial, br, s1, s2, s3, s4, zeros, before, after):
    written = f"{issuer}{s1}{br[0]}{s2}{year}{s2}{br[1]}{s3}{zeros}{serial}{s4}号"
    found = find_docnumbers(before + written + after)
    assert len(found) == 1
    assert found[0].canonical == f"{issuer}〔{year}〕{serial}号"
    assert found[0].finance == ("财" in issuer)
    assert canonical_docnumber(written) == f"{issuer}〔{year}〕{serial}号"


def test_docnumber_not_found_in_plain_years():
    assert find_docnumbers("2024年预算收入14991.60万元（含上年结转）") == []


@given(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["≥", "≤", ">", "<", "", "大于等于", "不超过"]), st.sampled_from(["%", "万元", "个", "家", "平方米", ""]),
       SPACE)
def test_target_roundtrip(value, cmp_, unit, sp):
    t = parse_target(f"{cmp_}{sp}{value}{sp}{unit}")
    assert t is not None and t.value == value
    assert t.unit == (unit or None)
    assert t.comparator == {"": None, "大于等于": "≥", "不超过": "≤"}.get(cmp_, cmp_)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2), st.data())
def test_split_number_is_a_candidate_until_confirmed(value, data):
    text = f"{value:.2f}"
    cut = data.draw(st.integers(1, len(text) - 1))
    cell = read_cell(text[:cut] + " " + text[cut:])
    assert cell is not None and cell.damaged and cell.value == Decimal(text)
    other = Decimal("1.00")
    # confirmed when the arithmetic holds ...
    ok = resolve({"a": cell, "b": read_cell(f"{value + other:.2f}"), "c": read_cell("1.00")},
                 [Relation("b", ["a", "c"], "b = a + c")])
    assert ok.values["a"] == Decimal(text) and "a" in ok.evidence
    # ... and kept as raw text when it does not
    bad = resolve({"a": cell, "b": read_cell(f"{value + other + 1:.2f}"), "c": read_cell("1.00")},
                  [Relation("b", ["a", "c"], "b = a + c")])
    assert "a" not in bad.values and bad.rejected["a"] == text[:cut] + " " + text[cut:]


def test_empty_cell_is_not_zero():
    assert read_cell("") is None and read_cell("--") is None and read_cell("——") is None
    assert read_cell("－") is None  # a full-width dash alone: not stated


@given(st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2))
def test_full_width_digits_point_comma_and_minus_read_as_printed(value):
    """"１，２３４．５６", "－12.00" (full-width minus), "−12.00" (the minus sign)."""
    text = f"{value:,.2f}"
    full = text.translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    for printed in (full, text.replace("-", "−")):
        cell = read_cell(printed)
        assert cell is not None and cell.value == value and not cell.damaged, printed


def test_a_range_wrapped_at_its_dash_is_joined_and_other_spacing_kept():
    from converter.readers.markup import squeeze_cjk

    # a cell's lines are joined with a space; "2025-" / "2026年…" is one range
    assert squeeze_cjk("广州市某局2025- 2026年信息化运维项目") == "广州市某局2025-2026年信息化运维项目"
    assert squeeze_cjk("2025－ 2026年") == "2025－2026年"
    assert squeeze_cjk("1 - 2") == "1 - 2"  # spaced on both sides as printed: not a wrap
    assert squeeze_cjk("ISO- 9001") == "ISO- 9001"
