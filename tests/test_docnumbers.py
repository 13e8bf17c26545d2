"""发文字号 in every written form (issue 12 item 2, the pattern module): issuer prefixes of
many provinces, brackets, spaces, full-width digits, 第, numbers broken over lines, several
in one sentence; GB/T 9704 canonical form; no false positives on amounts, dates, codes and
phone numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from converter.parsers.docnumbers import canonical_docnumber, find_docnumbers, find_in_cells

ISSUERS = ["粤财工", "闽医保办", "财预", "国办发", "榕政办", "石财外", "石财建", "鹿政府办", "榕委办发明电",
           "京财金融", "浙公通字", "穗府", "沪商规", "市委办政府办", "国发", "冀财预", "京财经一", "渝经信发", "",
           # a field in brackets inside the issuer (Heilongjiang's, Ningxia's finance numbers)
           "黑财指（教）", "宁财（农）发"]
BRACKETS = [("[", "]"), ("［", "］"), ("〔", "〕"), ("（", "）"), ("(", ")"), ("【", "】"), ("﹝", "﹞")]
GAP = st.sampled_from(["", " ", "  ", "\u3000", "\n", " \n"])
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
BEFORE = ["", "（", "根据", "文件,", "《关于印发〈办法〉的通知》（", "依据", "按照", "的通知\n（", "。"]
AFTER = ["", "）", "等", "文件精神", "）的要求", "号文", "）。2023年省级专项"]


@st.composite
def written(draw):
    issuer = draw(st.sampled_from(ISSUERS))
    year = draw(st.integers(1990, 2035))
    serial = draw(st.integers(1, 9999))  # with two leading zeros: the 6 digits a serial may have
    o, c = draw(st.sampled_from(BRACKETS))
    zeros = draw(st.sampled_from(["", "0", "00"]))
    di = draw(st.sampled_from(["", "第"]))
    digits = str(year), zeros + str(serial)
    if draw(st.booleans()):
        digits = tuple(d.translate(FULLWIDTH) for d in digits)
    nian = draw(st.sampled_from(["", "", "年"]))  # 〔2023年〕
    text = (f"{issuer}{draw(GAP)}{o}{draw(st.sampled_from(['', ' ']))}{digits[0]}{nian}{draw(st.sampled_from(['', ' ']))}{c}"
            f"{draw(GAP)}{di}{digits[1]}{draw(GAP)}号")
    return text, f"{issuer}〔{year}〕{serial}号", "财" in issuer


@settings(max_examples=400, deadline=None)
@given(w=written(), before=st.sampled_from(BEFORE), after=st.sampled_from(AFTER))
def test_every_written_form_normalises(w, before, after):
    text, canonical, finance = w
    found = find_docnumbers(before + text + after)
    assert [d.canonical for d in found] == [canonical]
    d = found[0]
    assert d.finance == finance
    assert (before + text + after)[d.start:d.end].strip() == d.raw
    assert d.raw.endswith("号")
    assert canonical_docnumber(text) == canonical


@settings(max_examples=200, deadline=None)
@given(ws=st.lists(written(), min_size=2, max_size=4), sep=st.sampled_from(["、", "和", "；", "）、《通知》（", "\n"]))
def test_several_in_one_text_each_with_its_issuer(ws, sep):
    text = sep.join(w[0] for w in ws)
    expected, issuer = [], ""
    for w in ws:
        own = w[1].split("〔")[0]
        # after a list separator, a number printed without issuer is the previous one's
        # issuer's (石财外〔2023〕39号、〔2024〕5号)
        issuer = own or (issuer if sep in ("、", "和") else "")
        expected.append(issuer + w[1][len(own):])
    assert [d.canonical for d in find_docnumbers(text)] == expected


@settings(max_examples=200, deadline=None)
@given(issuer=st.sampled_from([i for i in ISSUERS if i]), years=st.lists(st.integers(1990, 2035), min_size=2, max_size=4),
       serials=st.lists(st.integers(1, 9999), min_size=4, max_size=4), sep=st.sampled_from(["、", "，", "和", " 、"]),
       before=st.sampled_from(BEFORE), after=st.sampled_from(["", "）", "文件精神", "等文件"]))
def test_a_list_with_a_year_per_number_prints_the_issuer_once(issuer, years, serials, sep, before, after):
    """石财外〔2023〕39号、〔2024〕5号: two numbers of 石财外; a number that prints its own
    issuer after it, or a sentence's end between them, starts afresh."""
    parts = [f"〔{y}〕{s}号" for y, s in zip(years, serials)]
    text = before + issuer + sep.join(parts) + after
    assert [d.canonical for d in find_docnumbers(text)] == [f"{issuer}〔{y}〕{s}号" for y, s in zip(years, serials)]
    assert [d.canonical for d in find_docnumbers(f"{issuer}{parts[0]}。{parts[1]}")] == \
        [f"{issuer}{parts[0]}", parts[1]]


NOT_NUMBERS = [
    "2025年12月", "2025年12月31日前完成", "（2025年12月）", "预算收入14991.60万元（含上年结转）",
    "金额（万元）2023 39", "功能分类科目编码2010301", "[2010301]一般公共服务支出", "联系电话：(0311)86012345",
    "（0311）8601234号", "电话 0591-87654321", "项目代码13019024P00PX8X10050W", "（2023）年度预算",
    "[2023]", "〔2023〕", "2023年第12号", "（2023）12345678号", "第3号楼", "12号楼（2023年建）",
    "（1999年版）", "(2023-2025)12", "【2024】年度 30 个", "2024年预算 39号文件",
]


def test_no_false_positives_on_amounts_dates_codes_phones():
    for text in NOT_NUMBERS:
        assert find_docnumbers(text) == [], text
        assert canonical_docnumber(text) is None, text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,-年月日号第万元 \n（）()、：:电话编码合计2025", max_size=80))
def test_no_number_without_a_bracketed_year(text):
    """Digits, dates, 号 and parentheses mixed at random: a hit only where a bracket holds a
    19xx/20xx year and a serial with 号 follows."""
    for d in find_docnumbers(text):
        assert 1900 <= d.year <= 2099 and d.serial >= 0
        # a number of a list ("〔2025〕1、2号") prints its bracket with the first and its 号 with the last
        assert "号" in text[d.start:] and any(b in text[:d.end] for b in "([（")


# Printed forms read from the real corpus (per-page text of the PDFs), with the page:
REAL = [
    # 2026年北京市财政局部门预算, page 9: the serial on the next line
    ("金融发展专项资金管理办法〉的补充通知》（京财金融〔2025〕\n1767 号），已安排专项转移支付资金",
     ["京财金融〔2025〕1767号"]),
    # 嘉兴_2026年嘉兴市政府办公厅部门预算, page 3: the issuer on the line before
    ("件事”工作方案〉的通知》（浙公通字\n〔2025〕22 号）。", ["浙公通字〔2025〕22号"]),
    # 广州_2026年广州市政务服务和数据管理局部门预算, page 46: 全角括号, issuer on the line before
    ("个五年规划和2035年远景目标纲要》（穗府\n（2021）7号）以及《广州市数字政府政务", ["穗府〔2021〕7号"]),
    # 福州_2026年福州市民政局部门预算, page 40: two issuers in one sentence
    ("》（榕政办〔2020〕46号）和中共福州市委办、市政府办关于印发《福州市改革完\n"
     "善社会救助制度实施方案》的通知（榕委办发明电〔2021〕62号）精神",
     ["榕政办〔2020〕46号", "榕委办发明电〔2021〕62号"]),
]


def test_an_issuer_with_a_field_in_brackets():
    """黑财指（教）, 宁财(农)发: the bracketed field is part of the issuer, printed in either
    width; a bracket that ends a word before an issuer (资金（省级）冀财预) is not."""
    cases = {
        "黑财指(教)[2024]21号": ["黑财指（教）〔2024〕21号"],
        "根据省财政厅黑财指（教）〔2024〕21号文件": ["黑财指（教）〔2024〕21号"],
        "宁财(农)发〔2024〕3号、4号": ["宁财（农）发〔2024〕3号", "宁财（农）发〔2024〕4号"],
        "资金（省级）冀财预〔2024〕1号": ["冀财预〔2024〕1号"],
        "文件（试行）〔2024〕1号": ["〔2024〕1号"],
    }
    for text, expected in cases.items():
        assert [d.canonical for d in find_docnumbers(text)] == expected, text


def test_real_printed_forms():
    for text, expected in REAL:
        assert [d.canonical for d in find_docnumbers(text)] == expected, text
    finance = [d.finance for d in find_docnumbers(REAL[0][0])]
    assert finance == [True]


# ---- shorthand lists and a missing 号 -------------------------------------------------------
LIST_ISSUERS = ["石财外", "冀财教", "鹿政府办", "京财预", "国办发", ""]
SEPS = ["、", "，", ",", "和", "及", " 、 "]


@st.composite
def listed(draw):
    """"石财外〔2023〕39号、40号" or "石财外〔2023〕39、40号": several serials of one issuer and year."""
    issuer = draw(st.sampled_from(LIST_ISSUERS))
    year = draw(st.integers(1990, 2035))
    serials = draw(st.lists(st.integers(1, 9999), min_size=2, max_size=4))
    o, c = draw(st.sampled_from(BRACKETS))
    each = draw(st.booleans())  # every serial with its 号, or only the last
    parts = [f"{s}{draw(GAP)}号" if each or k == len(serials) - 1 else str(s) for k, s in enumerate(serials)]
    seps = [draw(st.sampled_from(SEPS)) for _ in serials[1:]]
    text = f"{issuer}{o}{year}{c}" + parts[0] + "".join(sep + p for sep, p in zip(seps, parts[1:]))
    return text, [f"{issuer}〔{year}〕{s}号" for s in serials]


@settings(max_examples=300, deadline=None)
@given(w=listed(), before=st.sampled_from(BEFORE), after=st.sampled_from(["", "）", "文件精神", "）。", "等文件"]))
def test_a_list_of_serials_is_one_number_each(w, before, after):
    text, expected = w
    found = find_docnumbers(before + text + after)
    assert [d.canonical for d in found] == expected
    assert canonical_docnumber(text) is None  # several numbers are not one


@settings(max_examples=300, deadline=None)
@given(issuer=st.sampled_from(["石财外", "冀财教", "京财预", "鹿政府办", "国办发", "石政办函", "京办字", "京编委"]),
       o_c=st.sampled_from([("〔", "〕"), ("﹝", "﹞"), ("[", "]"), ("［", "］")]),
       year=st.integers(1990, 2035), serial=st.integers(1, 9999),
       end=st.sampled_from(["", "）", ")", "》", "、", "，", "；", "。", " ）", "\n"]),
       before=st.sampled_from(["", "（", "依据", "《关于印发〈办法〉的通知》（"]))
def test_a_missing_hao_is_read_where_only_a_number_reads_so(issuer, o_c, year, serial, end, before):
    o, c = o_c
    text = f"{before}{issuer}{o}{year}{c}{serial}{end}"
    assert [d.canonical for d in find_docnumbers(text)] == [f"{issuer}〔{year}〕{serial}号"]


MISSING_HAO_NOT_NUMBERS = [
    "石财外（2023）39）",  # parentheses also hold dates and versions
    "科目[2023]1，",  # no issuer's mark
    "〔2023〕39）",  # no issuer
    "石财外[2023]39.5万元", "石财外〔2023〕39万元", "石财外〔2023〕39个", "石财外〔2023〕12345678",
    "石财外[2023]39 项目",
]


def test_a_missing_hao_is_not_guessed():
    for text in MISSING_HAO_NOT_NUMBERS:
        assert find_docnumbers(text) == [], text


def test_list_shorthand_stops_at_places_and_amounts():
    assert [d.canonical for d in find_docnumbers("石财外〔2023〕39号、2号楼")] == ["石财外〔2023〕39号"]
    assert [d.canonical for d in find_docnumbers("石财外〔2023〕39号，100万元")] == ["石财外〔2023〕39号"]
    assert [d.canonical for d in find_docnumbers("石财外〔2023〕39号，1.项目")] == ["石财外〔2023〕39号"]
    assert [d.canonical for d in find_docnumbers("石财外〔2023〕39号，2024年")] == ["石财外〔2023〕39号"]


def test_issuer_is_not_cut_at_a_word_inside_it_nor_run_into_a_word_before_it():
    # 经 is a lead word in prose ("经市政府同意") but also part of issuers
    assert [d.canonical for d in find_docnumbers("（京财经一〔2024〕1356号）")] == ["京财经一〔2024〕1356号"]
    assert [d.canonical for d in find_docnumbers("渝经信发〔2023〕5号")] == ["渝经信发〔2023〕5号"]
    # a cell that names what the number is before it
    assert [d.canonical for d in find_docnumbers("资金来源石财外[2023]39号")] == ["石财外〔2023〕39号"]
    assert [d.canonical for d in find_docnumbers("项目批复石发改[2023]5号")] == ["石发改〔2023〕5号"]


@settings(max_examples=300, deadline=None)
@given(issuer=st.sampled_from(["京财预", "石财外", "浙政办发", ""]), year=st.integers(1990, 2035),
       serial=st.integers(1, 99999), data=st.data())
def test_a_line_break_inside_the_year_or_the_serial(issuer, year, serial, data):
    """A wrapped line may break inside the year's or the serial's digits ("京财预〔20\\n24〕
    1\\n767号"): one number, the digits joined."""
    y, n = str(year), str(serial)
    cy = data.draw(st.integers(0, 4))
    cn = data.draw(st.integers(0, len(n) - 1)) if len(n) > 1 else 0
    y = y[:cy] + "\n" + y[cy:] if 0 < cy < 4 else y
    n = n[:cn] + "\n" + n[cn:] if cn else n
    text = f"（{issuer}〔{y}〕{n}号）"
    assert [d.canonical for d in find_docnumbers(text)] == [f"{issuer}〔{year}〕{serial}号"]


# ---- the issuer: wrapped over a line, and a full organ name printed before it ------------
WRAPPED = [
    # 上海市普陀区商务委员会25年预算 p26, 2026年北京市财政局 p3, 2026年昆明市信访局 p36 (page text)
    ("《普陀区服务企业发展工作实施意见》（普投\n资规范〔2023〕1号）", "普投资规范〔2023〕1号"),
    ("人员编制的规定>的通知》（京\n办字〔2019〕85 号）等文件", "京办字〔2019〕85号"),
    ("若干意见>的通知》（厅\n字[2005]8 号）规定的标准执行", "厅字〔2005〕8号"),
    ("、闽人\n社文[2017]309 号，", "闽人社文〔2017〕309号"),
    ("《办法》“石财\r\n外〔2023〕39号”", "石财外〔2023〕39号"),
]
NOT_WRAPPED = [  # the line before ends a label or a sentence: not part of the issuer
    ("扶持企业发展\n石财外〔2023〕5号", "石财外〔2023〕5号"),
    ("项目名称\n石财外〔2023〕5号", "石财外〔2023〕5号"),
    ("完成全年工作\n石财外〔2023〕5号", "石财外〔2023〕5号"),
    ("根据\n冀财教〔2023〕12号", "冀财教〔2023〕12号"),
]


def test_an_issuer_wrapped_over_a_line_is_read_whole():
    for text, canonical in WRAPPED + NOT_WRAPPED:
        assert [d.canonical for d in find_docnumbers(text)] == [canonical], text
    d = find_docnumbers(WRAPPED[0][0])[0]
    assert WRAPPED[0][0][d.start:d.end] == "普投\n资规范〔2023〕1号"


ORGANS = ["市财政局", "省财政厅", "财政部", "国务院办公厅", "市人民政府办公室", "经市政府同意", "各县财政局",
          "市委市政府", "本级", "中共中央办公厅", "区发展和改革委员会", "县人民政府", "市科技局"]


@settings(max_examples=300, deadline=None)
@given(organ=st.sampled_from(ORGANS),
       issuer=st.sampled_from([i for i in ISSUERS if i] + ["厅字", "人社部发", "市委办政府办", "鹿政府办"]),
       year=st.integers(1990, 2035), serial=st.integers(1, 9999), gap=st.sampled_from(["", " ", "\n"]),
       before=st.sampled_from(["", "根据", "（", "依据"]))
def test_a_full_organ_name_before_the_issuer_is_not_part_of_it(organ, issuer, year, serial, gap, before):
    """"省财政厅冀财预〔2023〕5号", "国务院办公厅国办发〔2024〕5号": the organ's full name
    is printed before its abbreviation; the issuer is the abbreviation."""
    text = f"{before}{organ}{gap}{issuer}〔{year}〕{serial}号"
    assert [d.canonical for d in find_docnumbers(text)] == [f"{issuer}〔{year}〕{serial}号"], text


# ---- a number split over two table cells ---------------------------------------------------
SPLIT_CELLS = [
    (["石财外", "〔2023〕36号"], [(0, "石财外〔2023〕36号")]),
    (["石财外〔2023〕", "36号"], [(0, "石财外〔2023〕36号")]),
    (["石财外[2023]", "第36 号"], [(0, "石财外〔2023〕36号")]),
    (["《办法》的通知》（冀财教", "﹝2023﹞12号）"], [(0, "冀财教〔2023〕12号")]),
    (["依据石财外", "（2023）36号"], [(0, "石财外〔2023〕36号")]),
    (["甲", "石财外", "\n[2023]36 号", "≥90%"], [(1, "石财外〔2023〕36号")]),
    # not split: an indicator, a name or an organ's full name before an issuer-less number
    (["补助人数", "〔2017〕86号"], [(1, "〔2017〕86号")]),
    (["≥325人", "〔2017〕86号"], [(1, "〔2017〕86号")]),
    (["农村公路养护", "〔2023〕5号"], [(1, "〔2023〕5号")]),
    (["市政府办公室", "〔2023〕5号"], [(1, "〔2023〕5号")]),
    (["石财外〔2023〕39号", "号码"], [(0, "石财外〔2023〕39号")]),
    (["2024年", "39号"], []),
]


def test_a_number_split_over_two_cells_is_read_joined():
    for cells, expected in SPLIT_CELLS:
        assert [(k, d.canonical) for k, d in find_in_cells(cells)] == expected, cells


@settings(max_examples=300, deadline=None)
@given(issuer=st.sampled_from(["京财预", "石财外", "浙政办发", ""]), year=st.integers(1990, 2035),
       serial=st.integers(1, 99999), data=st.data())
def test_a_space_inside_the_year_or_the_serial(issuer, year, serial, data):
    """Extraction damage splits digits with a space ("〔20 23〕", "3 9号", as amounts
    "1140 0.00"): one number, the digits joined."""
    y, n = str(year), str(serial)
    cy = data.draw(st.integers(1, 3))
    cn = data.draw(st.integers(0, len(n) - 1))
    space = data.draw(st.sampled_from([" ", "\u3000"]))
    y = y[:cy] + space + y[cy:]
    n = n[:cn] + space + n[cn:] if cn else n
    assert [d.canonical for d in find_docnumbers(f"（{issuer}〔{y}〕{n}号）")] == [f"{issuer}〔{year}〕{serial}号"]


def test_a_bracket_in_the_private_use_area():
    """A symbol font whose 〔〕 the text layer gives as private-use characters."""
    assert [d.canonical for d in find_docnumbers("（石财外\ue0a02023\ue0a139号）")] == ["石财外〔2023〕39号"]
    assert find_docnumbers("石财外\ue0a02023\ue0a139）") == []  # without 号: no bracket only numbers use


def test_a_region_abbreviation_that_is_also_a_lead_word_stays_in_the_issuer():
    """即墨's 即政发, 和平's 和政办, 从化's 从府发: the one-character lead words 即/和/从/将
    before 政/府/办/发 are the region; before a region's abbreviation they still lead."""
    for text, canonical in [("（即政发〔2023〕5号）", "即政发〔2023〕5号"), ("（和政办〔2023〕5号）", "和政办〔2023〕5号"),
                            ("根据从府发〔2023〕5号", "从府发〔2023〕5号"), ("（将政〔2023〕5号）", "将政〔2023〕5号"),
                            ("和石财外〔2023〕5号", "石财外〔2023〕5号"), ("按政府办〔2023〕5号", "政府办〔2023〕5号")]:
        assert [d.canonical for d in find_docnumbers(text)] == [canonical], text


def test_a_region_lead_that_opens_a_bracket_is_the_region():
    """After an opening bracket no conjunction stands: （和财农…） is 和平县's / 和田's
    issuer; after a line break it may be a wrapped sentence's 和, which still leads."""
    assert [d.canonical for d in find_docnumbers("（和地财预〔2022〕64号）")] == ["和地财预〔2022〕64号"]
    assert [d.canonical for d in find_docnumbers("《通知》(和农农〔2024〕6号)")] == ["和农农〔2024〕6号"]
    assert [d.canonical for d in find_docnumbers("冀财社〔2023〕1号\n和石财外〔2023〕5号")] == [
        "冀财社〔2023〕1号", "石财外〔2023〕5号"]


def test_words_before_an_issuer_that_are_never_part_of_it():
    """通过 (已通过) and a table's 表 end the words before an issuer."""
    assert [d.canonical for d in find_docnumbers("资金已通过桂财农〔2024〕29号文件下达")] == ["桂财农〔2024〕29号"]
    assert [d.canonical for d in find_docnumbers("附件1.资金分配明细表邕农发〔2024〕76号附件")] == ["邕农发〔2024〕76号"]


@given(issuer=st.sampled_from(["豫财教", "冀财社", "宁财农发", "石财外"]), data=st.data())
def test_an_issuer_broken_by_spaces_after_a_bracket(issuer, data):
    """Layout spaces inside an issuer ("（豫财 教 〔2019〕35号）") join where the whole run
    follows an opening bracket; the span starts at its first part."""
    cut = data.draw(st.integers(1, len(issuer) - 1))
    text = f"资金({issuer[:cut]} {issuer[cut:]} 〔2019〕 35 号)"
    found = find_docnumbers(text)
    assert [d.canonical for d in found] == [f"{issuer}〔2019〕35号"]
    assert text[found[0].start:].startswith(issuer[:cut])
    # without the bracket the words before the space are a sentence's, not the issuer's
    assert [d.canonical for d in find_docnumbers(f"根据{issuer[:cut]} {issuer[cut:]}〔2019〕35号")] != [f"{issuer}〔2019〕35号"]


def test_a_number_whose_year_bracket_is_written_as_年():
    """Brackets lost, the year marked by 年 ("辽财行2019年275号", a web page's or a table's
    form): read where a finance bureau's or an office's issuer stands right before the year;
    an announcement's or order's numbering, a building, a date are not numbers."""
    got = [d.canonical for d in find_docnumbers("根据辽财行2019年275号和冀教财函2019年155号文件，下达资金。")]
    assert got == ["辽财行〔2019〕275号", "冀教财函〔2019〕155号"]
    assert [d.canonical for d in find_docnumbers("按中办发2022年22号要求")] == ["中办发〔2022〕22号"]
    for text in ("国家税务总局公告2023年第12号", "位于2019年3号楼", "2019年12号前完成", "市委2023年1号文件",
                 "截至2023年12月31日", "某某2023年1号"):
        assert find_docnumbers(text) == [], text
    # with the bracket it reads as before, once
    assert [d.canonical for d in find_docnumbers("冀财教〔2023〕12号、冀财教2023年13号")] == [
        "冀财教〔2023〕12号", "冀财教〔2023〕13号"]
