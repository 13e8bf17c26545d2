"""Focused reader behaviour on small hand-built PDFs: repeated page-head lines between
table fragments, white background boxes that are not ruling, justified prose with wide
gaps that is not a table, page numbers and running headers."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

from converter.readers import read_document
from converter.readers.ir import Paragraph, Row, Table
from tests.pdfgen.render import FONT, PAGED, TextLines, build_table


def _doc(path: Path, story: list) -> Path:
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=True)
    frame = Frame(60, 60, A4[0] - 120, A4[1] - 120, id="f")

    def footer(canv, d) -> None:
        canv.setFont(FONT, 9)
        canv.drawCentredString(A4[0] / 2, 30, f"- {d.page} -")
        canv.drawCentredString(A4[0] / 2, A4[1] - 30, "某某局2025年部门预算")

    doc.addPageTemplates([PageTemplate(id="p", frames=[frame], onPage=footer)])
    doc.build(story)
    return path


def _table(rows: list[list[str]]) -> Table:
    return Table(rows=[Row(cells=r) for r in rows])


def _borderless_table(tmp_path: Path, rows: list[list[str]], *intro: str) -> Table:
    """The one table read back from ``rows`` set without ruling lines after the paragraphs
    ``intro`` (tests/pdfgen's borderless layout)."""
    from tests.pdfgen.render import BORDERLESS, render

    blocks = [Paragraph(text=t) for t in intro] + [_table(rows)]
    (table,) = read_document(render(blocks, BORDERLESS, tmp_path / "borderless.pdf")).tables()
    return table


def test_repeated_page_head_between_fragments_is_dropped(tmp_path: Path) -> None:
    head = "部门名称：广州市某局        单位：万元"
    header = ["项目名称", "总计", "财政拨款"]
    story: list = []
    for k in range(3):
        story.append(TextLines(head, 10.5, 15, 6))
        body = [[f"项目{k}{i}", f"{k}{i}.00", f"{k}{i}.00"] for i in range(4)]
        story.append(build_table(_table([header, *body]), A4[0] - 120, PAGED, unruled=False))
        story.append(PageBreak())
    doc = read_document(_doc(tmp_path / "heads.pdf", story[:-1]))
    tables = list(doc.tables())
    assert len(tables) == 1 and tables[0].fragments == 3
    assert [r.cells[0] for r in tables[0].rows] == ["项目名称"] + [f"项目{k}{i}" for k in range(3) for i in range(4)]
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    # once, above the table; no page numbers; the running head names its year, so it is kept
    # once as the document's title (some files print their only title that way) and dropped after
    assert paras == ["某某局2025年部门预算", "部门名称：广州市某局单位：万元"]


def test_white_background_boxes_are_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "boxes.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    for k, line in enumerate(["一、贯彻执行党和国家关于公安工作的方针、政策和法律、", "法规、规章；指导、检查、监督全市公安工作。"]):
        y = 700 - 30 * k
        c.setFillColorRGB(1, 1, 1)
        for x0, x1 in ((72, 84), (84, 300), (300, 320)):  # shading behind runs of text
            c.rect(x0, y - 4, x1 - x0, 18, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(72, y, line)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert not list(doc.tables())
    assert [b.text for b in doc.blocks] == ["一、贯彻执行党和国家关于公安工作的方针、政策和法律、法规、规章；指导、检查、监督全市公安工作。"]


def test_justified_prose_with_wide_gaps_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "gaps.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    lines = [["2、", "掌握危害国内安全", "、", "影响稳定的情况"], ["社会安全形势", "，", "为市委", "、", "市政府决策提供依据。"]]
    for k, parts in enumerate(lines):
        x = 72 + 24 * (k == 0)
        for part in parts:
            c.drawString(x, 700 - 20 * k, part)
            x += 12 * len(part) + (19 if k == 0 else 23)  # gaps wider than a character, not aligned
    c.showPage()
    c.save()
    doc = read_document(path)
    assert not list(doc.tables())
    assert [b.text for b in doc.blocks] == ["2、掌握危害国内安全、影响稳定的情况社会安全形势，为市委、市政府决策提供依据。"]


# --------------------------------------------------------------------------- key-value forms
# A borderless project form painted cell by cell (no ruling): every row uses the same
# column grid, text left-aligned in its column, wrapped lines 1.2 × the type size apart,
# rows 10 pt apart; a paragraph of body text gives the document its body size.

_COLS = [(58.0, 100.0), (111.0, 220.0), (229.0, 280.0), (297.0, 370.0), (387.0, 435.0), (442.0, 520.0)]
_FORM = [
    [["项目编码"], ["13081124P00005510003H"], [], ["项目名称"], ["大气污染防治资金"]],
    [["预算规模"], ["预算数"], ["33.27"], ["其中：财政资金"], ["33.27"], ["其他资金"]],
    [[], ["2022年省级大气污染防治", "资金"]],  # one filled cell, wrapped
    [["支出计划"], ["3月底"], [], ["6月底"], ["10月底"], ["12月底"]],
    [[], ["100%"], [], ["100%"], ["100%"], ["100%"]],
]
_FORM_CELLS = [
    ["项目编码", "13081124P00005510003H", "", "项目名称", "大气污染防治资金", ""],
    ["预算规模", "预算数", "33.27", "其中：财政资金", "33.27", "其他资金"],
    ["", "2022年省级大气污染防治资金", "", "", "", ""],
    ["支出计划", "3月底", "", "6月底", "10月底", "12月底"],
    ["", "100%", "", "100%", "100%", "100%"],
]


def _paint_rows(c: canvas.Canvas, rows: list[list[list[str]]], top: float, size: float = 9.5) -> float:
    """Paint rows from ``top`` (PDF points from the page top); return the next row's top."""
    lead = 1.2 * size
    for row in rows:
        for (x0, _), lines in zip(_COLS, row):
            for k, line in enumerate(lines):
                c.drawString(x0, A4[1] - top - (k + 1) * lead + 0.2 * size, line)
        top += max(len(lines) for lines in row) * lead + 10.0
    return top


_BODY_TEXT = "本部门的主要职能是贯彻执行国家有关方针政策，负责本行业的管理工作。"


def _body(c: canvas.Canvas, top: float) -> float:
    c.setFont(FONT, 11)
    c.drawString(58, A4[1] - top - 11, _BODY_TEXT)
    c.setFont(FONT, 9.5)
    return top + 24


def _form_cells(doc) -> list[list[str]]:
    tables = list(doc.tables())
    assert len(tables) == 1, [b for b in doc.blocks]
    return [list(r.cells) + [""] * (6 - len(r.cells)) for r in tables[0].rows]


def test_one_cell_row_below_the_last_row_stays_in_the_form(tmp_path: Path) -> None:
    """A row whose only filled cell is a wrapped value, last before a heading: its lines
    have no gap of their own, but they sit in the second column, flush with its left
    edge, clear of the third: a table row, not two paragraphs."""
    path = tmp_path / "below.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    top = _body(c, 60)
    top = _paint_rows(c, _FORM[:3], top)
    c.setFont(FONT, 14)
    c.drawString(58, A4[1] - top - 30, "2、下一个项目绩效目标表")
    _body(c, top + 50)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert _form_cells(doc) == _FORM_CELLS[:3]


def test_one_cell_row_above_the_first_row_stays_in_the_form(tmp_path: Path) -> None:
    """The same below a heading: a lone "100%" under its month opens the run."""
    path = tmp_path / "above.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    top = _body(c, 60)
    c.setFont(FONT, 14)
    c.drawString(58, A4[1] - top - 14, "1、某项目绩效目标表")
    c.setFont(FONT, 9.5)
    rows = [[[], [], [], [], [], ["100%"]], _FORM[3], _FORM[1]]
    _paint_rows(c, rows, top + 30)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert _form_cells(doc) == [["", "", "", "", "", "100%"], _FORM_CELLS[3], _FORM_CELLS[1]]


def test_a_lone_last_row_opening_the_next_page_continues_the_form(tmp_path: Path) -> None:
    """A form's last row alone at the top of the next page (cells centred vertically:
    three lines, two of one word) has no second line to show columns of its own; its
    words fall into the columns of the table that closed the previous page."""
    path = tmp_path / "lone.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    top = _body(c, 60)
    _paint_rows(c, [_FORM[0], _FORM[1], _FORM[3], _FORM[4]], top)
    c.showPage()
    c.setFont(FONT, 9.5)
    lead = 11.4
    # "满意度 / 指标" centred against one line holding the other cells
    c.drawString(58, A4[1] - 80, "满意度")
    for (x0, _), text in zip(_COLS[1:], ["服务对象满意度指标", "满意度", "满意度", "≥95%", "问卷调查"]):
        c.drawString(x0, A4[1] - 80 - lead / 2, text)
    c.drawString(58, A4[1] - 80 - lead, "指标")
    c.setFont(FONT, 14)
    c.drawString(58, A4[1] - 140, "2、下一个项目绩效目标表")
    _body(c, 160)
    c.showPage()
    c.save()
    doc = read_document(path)
    rows = _form_cells(doc)
    assert rows[:4] == [_FORM_CELLS[0], _FORM_CELLS[1], _FORM_CELLS[3], _FORM_CELLS[4]]
    assert rows[4:] == [["满意度指标", "服务对象满意度指标", "满意度", "满意度", "≥95%", "问卷调查"]]


def test_a_paragraph_below_a_form_stays_a_paragraph(tmp_path: Path) -> None:
    """The one-cell-row rule does not swallow text: a note at the text's left edge, or
    one reaching across the columns, after the form is a paragraph."""
    path = tmp_path / "note.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    top = _body(c, 60)
    top = _paint_rows(c, _FORM[:2], top)
    c.drawString(58, A4[1] - top - 10, "注：本表无其他资金。")
    c.drawString(111, A4[1] - top - 30, "说明：预算数含上年结转资金，其中财政资金按规定执行。")
    c.showPage()
    c.save()
    doc = read_document(path)
    assert _form_cells(doc) == _FORM_CELLS[:2]
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)][-2:] == [
        "注：本表无其他资金。", "说明：预算数含上年结转资金，其中财政资金按规定执行。"]


def test_a_lone_cell_opening_the_next_page_sits_in_the_previous_pages_column(tmp_path: Path) -> None:
    """The month row closes page 1; its "100%" opens page 2 alone, in the last column,
    which none of page 2's rows fills: the column is known from page 1's fragment."""
    path = tmp_path / "carried.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    top = _body(c, 60)
    _paint_rows(c, [_FORM[0], _FORM[1], [["支出计划"], [], [], [], [], ["12月底"]]], top)
    c.showPage()
    c.setFont(FONT, 9.5)
    rows = [
        [[], [], [], [], [], ["100%"]],
        [["绩效目标"], ["1.完成配送任务"]],
        [["产出指标"], ["数量指标"], ["完成保供"], ["确保型煤及时入库"]],
    ]
    top = _paint_rows(c, rows, 60)
    c.setFont(FONT, 14)
    c.drawString(58, A4[1] - top - 30, "2、下一个项目绩效目标表")
    _body(c, top + 50)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert _form_cells(doc) == [
        _FORM_CELLS[0], _FORM_CELLS[1], ["支出计划", "", "", "", "", "12月底"], ["", "", "", "", "", "100%"],
        ["绩效目标", "1.完成配送任务", "", "", "", ""],
        ["产出指标", "数量指标", "完成保供", "确保型煤及时入库", "", ""],
    ]


def test_numbered_title_after_an_ended_sentence_starts_a_block(tmp_path: Path) -> None:
    """Shanghai's 单位预算 indents a paragraph's first line only and prints its section titles
    at the wrapped lines' margin: "（三）公务接待费为0，与2025年预算持平。" ends short of the
    margin, "二、机关运行经费预算" under it is a block of its own (it was glued to the sentence,
    and the 政府采购 section's figure was lost inside the 三公 paragraph)."""
    path = tmp_path / "titles.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    body = "截至2025年8月31日，本单位共有车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要用车"
    lines = [  # (indent, text): 12 pt type, 15.75 pt apart; the first line reaches the margin
        (24, body), (0, "0辆。"), (24, "（三）公务接待费为0，与2025年预算持平。"), (0, "二、机关运行经费预算"),
        (24, "本单位无机关运行经费。"), (0, "三、政府采购预算情况"), (24, "2026年度本单位政府采购预算120.00万元。"),
    ]
    for k, (indent, text) in enumerate(lines):
        c.drawString(60 + indent, 760 - 15.75 * k, text)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == [
        body + "0辆。", "（三）公务接待费为0，与2025年预算持平。", "二、机关运行经费预算", "本单位无机关运行经费。",
        "三、政府采购预算情况", "2026年度本单位政府采购预算120.00万元。",
    ]


def test_wrapped_sentence_reaching_the_margin_goes_on_into_a_numbered_line(tmp_path: Path) -> None:
    """A line that reaches the margin does not end its paragraph, even before "2.5万元…"."""
    path = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    first = "本部门2026年政府采购预算安排货物、工程和服务三类，其中：货物类采购预算合计为"
    c.drawString(84, 760, first)
    c.drawString(60, 744.25, "2.5万元，服务类采购预算为0。")
    c.drawString(60 + 24, 728.5, "二、其他情况")
    c.showPage()
    c.save()
    doc = read_document(path)
    assert [b.text for b in doc.blocks][0] == first + "2.5万元，服务类采购预算为0。"


def _glyph(text: str, x0: float, top: float, baseline: float, size: float = 13.7) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size,
            "fontname": "F", "matrix": (1.0, 0.0, 0.0, 1.0, x0, baseline)}


def test_glyphs_on_one_baseline_are_one_line_whatever_their_boxes():
    """重庆市商务委员会: a Latin font's odd metrics box the digits and punctuation ~0.75 em below
    the CJK text they sit in, on the same baseline: "内设34个," is one line, not "内设个" over "34,"."""
    from converter.readers.pdf import _group_lines

    chars = [_glyph("内", 100, 115.4, 469.5), _glyph("设", 114, 115.4, 469.5), _glyph("3", 128, 128.1, 467.7),
             _glyph("4", 135, 128.1, 467.7), _glyph("个", 142, 115.4, 469.5), _glyph(",", 156, 125.8, 470.0),
             _glyph("各", 170, 115.4, 469.5),
             _glyph("下", 100, 136.3, 448.7), _glyph("一", 114, 136.3, 448.7)]  # the next line
    lines = _group_lines(chars, set())
    assert [ln.text for ln in lines] == ["内设34个,各", "下一"]


def test_glyphs_without_a_matrix_group_by_their_boxes_as_before():
    from converter.readers.pdf import _group_lines

    chars = [{k: v for k, v in _glyph(t, x, top, 0).items() if k != "matrix"}
             for t, x, top in (("内", 100, 115.4), ("设", 114, 115.4), ("3", 128, 128.1))]
    assert [ln.text for ln in _group_lines(chars, set())] == ["内设", "3"]


def test_a_title_opening_with_a_number_is_not_a_unit_code_line(tmp_path: Path) -> None:
    """泉州: "96196 电梯应急处置服务平台项目绩效目标表" heads the form on the next page. It looked
    like a unit code line ("471001 某某局", page furniture over table fragments), so it was
    dropped and its form joined to the previous page's as a continuation: the project was lost."""
    header = ["一级指标", "二级指标", "三级指标", "目标值"]
    story: list = []
    for title, amount in (("市行政中心钢结构修缮项目绩效目标表", "121.60"), ("96196 电梯应急处置服务平台项目绩效目标表", "57.00")):
        story.append(TextLines(title, 12, 15, 6))
        rows = [["资金总额：", amount, "", ""], header, ["产出指标", "数量指标", "完成率", "≥90%"]]
        story.append(build_table(_table(rows), A4[0] - 120, PAGED, unruled=False))
        story.append(PageBreak())
    doc = read_document(_doc(tmp_path / "forms.pdf", story[:-1]))
    assert len(list(doc.tables())) == 2
    assert "96196电梯应急处置服务平台项目绩效目标表" in [b.text.replace(" ", "") for b in doc.blocks if isinstance(b, Paragraph)]


def test_title_lines_at_the_body_size_without_a_gap_are_blocks_of_their_own(tmp_path: Path) -> None:
    """A cover title, a numbered section title and its text printed at one size and margin,
    line under line: the text extraction reads three blocks, the PDF read one, so the
    section's figures stood under no title. A short numbered item listing words (2、甲、乙)
    and a sentence's wrapped lines stay one block."""
    path = tmp_path / "titles.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    body = ["2022年一般公共预算基本支出1133.75万元，其中：人员经费1030.18万元，占基本支出",
            "预算90.86%；公用经费103.57万元，占基本支出预算9.14%。"]
    for k, line in enumerate(["某县某局2022年度部门预算", "六、一般公共预算基本支出情况说明"] + body):
        c.drawString(72, 700 - 18 * k, line)
    c.showPage()
    c.save()
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["某县某局2022年度部门预算", "六、一般公共预算基本支出情况说明", "".join(body)]


def test_a_list_printed_one_item_to_a_line_keeps_its_items_apart(tmp_path: Path) -> None:
    """"…的单位包括：" then one unit to a line at the body's margin: the items were run
    together into one name ("甲镇人民政府（机关）甲镇财政所"), which no list reader can split."""
    path = tmp_path / "list.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(FONT, 12)
    lines = ["二、部门预算单位构成", "从预算单位构成看，本镇预算包括政府机关预算和镇财政所项目预算，共两个单位。",
             "纳入本镇部门预算编制范围的单位包括：", "某县甲镇人民政府（机关）", "某县甲镇财政所"]
    for k, line in enumerate(lines):
        c.drawString(72, 700 - 18 * k, line)
    c.showPage()
    c.save()
    texts = [b.text for b in read_document(path).blocks]
    assert texts[-2:] == ["某县甲镇人民政府（机关）", "某县甲镇财政所"]


def test_a_table_heavy_borderless_document_keeps_its_prose_and_its_larger_table(tmp_path: Path) -> None:
    """Tables without ruling lines in 8–10.5 pt, prose in 11 pt, the tables holding most
    of the characters: the body size is the prose's (lines of one segment), so the prose
    stays paragraphs and the 10.5 pt table (above 1.15 × the tables' 8 pt) stays a table.
    Counted over every line, the 8 pt table type was the body and both became headings."""
    from tests.pdfgen.render import BORDERLESS, render

    prose = "本部门2025年收支总预算1,234.56万元，比上年增加12.30万元，主要原因是人员经费增加。"
    summary = [["项目", "预算数", "项目", "预算数"], ["一、财政拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"],
               ["二、事业收入", "", "二、教育支出", "234.56"], ["收入总计", "1,234.56", "支出总计", "1,234.56"]]

    def detail(k: int) -> list[list[str]]:  # a long classification table
        rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
        rows += [[f"2010{i:03d}", f"某某事务{k}{i}项", f"{i + 10}.00", f"{i + 5}.00", "5.00"] for i in range(1, 61)]
        return rows

    # BORDERLESS sets its n-th table in 10.5, 8, 9.5, 9 pt: the summary first, then the 8 pt table the largest
    blocks = [Paragraph(text=prose), _table(summary), _table(detail(1)), _table(detail(2)[:12]), _table(detail(3)[:12])]
    doc = read_document(render(blocks, BORDERLESS, tmp_path / "heavy.pdf"))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph) and "收支总预算" in b.text] == [prose]
    tables = list(doc.tables())
    rows = [[c for c in r.cells if c] for r in tables[0].rows]
    assert rows[:2] == [["项目", "预算数", "项目", "预算数"], ["一、财政拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"]]


def test_a_borderless_three_public_table_with_one_data_row_keeps_its_columns(tmp_path: Path) -> None:
    """The “三公” table as 烟台 prints it (two years side by side, the vehicle group over
    小计 | 购置 | 运行维护), set without ruling lines: labels centred, amounts
    right-aligned. One data row shows no aligned edge, so a centred label lying clear of
    its amount (小计) is placed by the column of data beside it that has no label; the
    year labels span their six columns though the vehicle label leaves blanks under them;
    and a year label is a column label, not a page-head line ("2025年预算数")."""
    from tests.pdfgen.render import BORDERLESS, render

    groups = ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]
    subs = ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]
    head = [["2025年预算数", "", "", "", "", "", "2026年预算数", "", "", "", "", ""], groups + groups, subs + subs]
    data = ["21.50", "", "15.30", "", "15.30", "6.20", "18.40", "", "12.10", "", "12.10", "6.30"]
    blocks = [Paragraph(text="本部门“三公”经费预算情况如下表所示，单位为万元，与上年相比有所减少。"), _table(head + [data])]
    doc = read_document(render(blocks, BORDERLESS, tmp_path / "three.pdf"))
    (table,) = doc.tables()
    assert [r.cells for r in table.rows] == head + [data]


def test_a_label_centred_left_of_right_aligned_codes_labels_the_first_column(tmp_path: Path) -> None:
    """Codes stored as numbers are right-aligned (as Excel prints them), the header label
    centred: in the first column, widened by the group label 科目编码 over it, "类" lies
    clear of the codes. It labels the column of codes right of it, not a column of its own
    (which pushed every code one column right, under 款). The group label 基本支出预算,
    centred over cells whose left edges the right-aligned amounts leave unknown, goes to
    the first of its sub-columns (it stayed over 人员支出)."""
    from tests.pdfgen.render import BORDERLESS, render

    head = [["科目编码", "", "部门预算支出经济分类科目名称", "基本支出预算", "", ""],
            ["类", "款", "", "小计", "人员支出", "日常公用支出"]]
    data = [["301", "", "工资福利支出", "1,310.20", "1,310.20", ""], ["301", "01", "基本工资", "420.15", "420.15", ""],
            ["302", "", "商品和服务支出", "230.40", "", "230.40"], ["302", "01", "办公费", "35.10", "", "35.10"]]
    blocks = [Paragraph(text="本部门基本支出预算情况如下表所示，单位为万元，与上年相比有所增加。"), _table(head + data)]
    (table,) = read_document(render(blocks, BORDERLESS, tmp_path / "codes.pdf")).tables()
    assert [r.cells for r in table.rows] == head + data


def test_a_borderless_list_without_amounts_keeps_its_header_over_its_columns(tmp_path: Path) -> None:
    """A list of units (序号 | 单位名称 | 拟变动情况) without ruling lines: the labels centred,
    the ordinals right-aligned, the names left-aligned, no amount to tell the header by.
    Its first row is the header, each label placed over its column of data; the empty last
    column keeps its own label (a column carries one label a row)."""
    from tests.pdfgen.render import BORDERLESS, render

    rows = [["序号", "单位名称", "拟变动情况"], ["1", "某市某局本级", ""], ["2", "某市某投资评审中心", ""],
            ["3", "某市某国库支付中心", ""], ["4", "某市某干部教育培训中心", ""]]
    blocks = [Paragraph(text="纳入本部门当年预算编制范围的二级预算单位共有4个，包括："), _table(rows)]
    (table,) = read_document(render(blocks, BORDERLESS, tmp_path / "units.pdf")).tables()
    assert [r.cells for r in table.rows] == rows


def test_a_borderless_table_over_three_pages_keeps_its_last_row_apart_from_the_next_header(tmp_path: Path) -> None:
    """A table without ruling lines over three pages, its header printed again on each:
    the third page is read with the first two pages' lines as context, and the first
    page's last row ("30199 …") and the second page's header row lie far apart on paper but
    "close" in page coordinates (a page's top is far above the previous page's bottom).
    Joined into one row, they gave the header-only column (科目编码, centred left of
    right-aligned codes) data of its own, and every row of the table moved a column right."""
    from tests.pdfgen.render import BORDERLESS, render

    head = ["科目编码", "科目名称", "预算数"]
    rows = [head, ["", "合计", "1,063.27"]]
    for k in range(1, 100):  # codes right-aligned, a few amounts left empty, as a zero row prints
        rows.append([f"30{k:03d}", f"某某经济分类科目{k}", "" if k % 7 == 0 else f"{k}.{k % 10}5"])
    blocks = [Paragraph(text="本部门一般公共预算基本支出经济分类情况如下表所示，单位为万元。"), _table(rows)]
    doc = read_document(render(blocks, BORDERLESS, tmp_path / "pages.pdf"))
    (table,) = doc.tables()
    assert max(r.loc.page for r in table.rows) >= 3
    assert [r.cells for r in table.rows] == rows


_INDICATOR_HEAD = ["绩效目标指标", "一级指标", "二级指标", "三级指标", "指标值"]


def _money_form(name: str, total: str) -> list[list[str]]:
    """A project form's rows down to its indicator header (福州's layout, 5 columns)."""
    return [["项目名称", name, "", "", ""], ["专项资金情况（万元）", "资金总额", "", total, ""],
            ["", "财政拨款", "", total, ""], ["年度目标", f"完成{name}年度任务。", "", "", ""]]


def _forms_over_two_pages(tmp_path: Path, first: list[list[str]], second: list[list[str]]):
    story = [TextLines("某某局2025年部门预算项目绩效目标表", 14, 20, 10),
             build_table(_table(first), A4[0] - 120, PAGED, unruled=False), PageBreak(),
             build_table(_table(second), A4[0] - 120, PAGED, unruled=False)]
    return read_document(_doc(tmp_path / "forms.pdf", story))


def test_a_page_opening_with_a_forms_indicator_header_is_that_forms_section(tmp_path: Path) -> None:
    """Project forms printed back to back in one ruled table, the page break falling right
    above the second form's 绩效目标指标 | 一级指标 … row: that row heads the second form's
    indicators, it does not repeat the table's header (the first form's 项目名称 row), so it
    is kept and the second form keeps its indicators."""
    from converter.parsers import parse_document

    first = [*_money_form("甲项目", "100.00"), _INDICATOR_HEAD, ["", "产出指标", "数量指标", "甲培训人数", "≥100人"],
             ["", "效益指标", "社会效益指标", "甲受益人数", "≥120人"], ["备注", "", "", "", ""], *_money_form("乙项目", "80.00")]
    second = [_INDICATOR_HEAD, ["", "产出指标", "数量指标", "乙培训班次", "≥1场"],
              ["", "满意度指标", "服务对象满意度指标", "乙学员满意度", "≥90%"], ["备注", "", "", "", ""]]
    doc = _forms_over_two_pages(tmp_path, first, second)
    rows = [r.cells for t in doc.tables() for r in t.rows]
    assert rows.count(_INDICATOR_HEAD) == 2
    projects = {p.name: [i.level3 for i in p.indicators] for p in parse_document(doc).projects}
    assert projects == {"甲项目": ["甲培训人数", "甲受益人数"], "乙项目": ["乙培训班次", "乙学员满意度"]}


def test_a_forms_amount_row_opening_the_next_page_is_a_row_of_its_own(tmp_path: Path) -> None:
    """The page break falls between a form's 资金总额 | 80.00 row and its 财政拨款 | 80.00
    row. The next page's first row has an empty first cell and an empty 指标值 cell, as a
    wrapped indicator row has, but it fills the amount cell the row above fills too: two
    rows, not one cell broken over the page (which read 资金总额财政拨款 | 80.0080.00)."""
    from converter.parsers import parse_document

    form = _money_form("乙项目", "80.00")
    first = [*_money_form("甲项目", "100.00"), _INDICATOR_HEAD, ["", "产出指标", "数量指标", "甲培训人数", "≥100人"],
             ["备注", "", "", "", ""], *form[:2]]
    second = [*form[2:], _INDICATOR_HEAD, ["", "产出指标", "数量指标", "乙培训班次", "≥1场"], ["备注", "", "", "", ""]]
    doc = _forms_over_two_pages(tmp_path, first, second)
    rows = [r.cells for t in doc.tables() for r in t.rows]
    assert form[1] in rows and form[2] in rows
    projects = {p.name: (str(p.budget), [i.level3 for i in p.indicators]) for p in parse_document(doc).projects}
    assert projects == {"甲项目": ("100.00", ["甲培训人数"]), "乙项目": ("80.00", ["乙培训班次"])}


def test_wrapped_cells_of_a_borderless_table_do_not_make_its_type_the_body(tmp_path: Path) -> None:
    """A document of project lists without ruling lines whose long names wrap in a narrow
    column: each name's second and third lines are lines of one segment, as prose lines
    are, and they outnumber the prose. Only lines spanning most of the page's text width
    are running text, so the body stays the 11 pt prose: the prose stays paragraphs and the
    10.5 pt summary table stays a table (with the 8 pt wrapped cells as body, both had
    become headings)."""
    from tests.pdfgen.render import BORDERLESS, render

    prose = "本部门2025年收支总预算1,234.56万元，比上年增加12.30万元，主要原因是人员经费增加。" * 2
    summary = [["项目", "预算数", "项目", "预算数"], ["一、财政拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"],
               ["二、事业收入", "", "二、教育支出", "234.56"], ["收入总计", "1,234.56", "支出总计", "1,234.56"]]
    listing = [["序号", "项目名称", "实施单位", "合计", "财政拨款", "其他资金", "备注"]]
    listing += [[str(i), f"某某区第{i}批农村生活污水治理设施运行维护及水环境综合整治提升工程市级补助资金项目",
                 "某某区水务局", f"{i}.00", f"{i}.00", "0.00", "无"] for i in range(1, 121)]
    blocks = [Paragraph(text=prose), Paragraph(text="表1 收支总表"), _table(summary),
              Paragraph(text="表2 项目支出表"), _table(listing)]
    doc = read_document(render(blocks, BORDERLESS, tmp_path / "lists.pdf"))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph) and "收支总预算" in b.text] == [prose]
    tables = list(doc.tables())
    rows = [[c for c in r.cells if c] for r in tables[0].rows]
    assert rows[:2] == [["项目", "预算数", "项目", "预算数"], ["一、财政拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"]]


def test_a_group_label_every_page_repeats_spans_its_sub_columns_on_every_page(tmp_path: Path) -> None:
    """A borderless table over four pages whose header (基本支出 over 人员经费 | 公用经费)
    every page prints again: a page is read with the earlier pages' fragments as context,
    so by the third page the context holds copies of the group label at the very place of
    this page's one. Counted as other text, they made the label cross its sub-columns' band
    more often than a group label may, and 人员经费 and 公用经费 became one column."""
    head = [["科目编码", "科目名称", "合计", "基本支出", ""], ["", "", "", "人员经费", "公用经费"],
            ["栏次", "", "1", "2", "3"]]  # the header repeated on each page runs to its 栏次 row
    rows = [*head, ["", "合计", "2,105.00", "1,400.00", "705.00"]]
    for k in range(1, 130):
        personnel, public = (f"{k}.{k % 10}0", "") if k % 2 else ("", f"{k}.{k % 10}5")
        rows.append([f"30{k:03d}", f"某某经济分类科目{k}", personnel or public, personnel, public])
    table = _borderless_table(tmp_path, rows, "本部门一般公共预算基本支出经济分类情况如下表所示，单位为万元。")
    assert max(r.loc.page for r in table.rows) >= 4
    assert [r.cells for r in table.rows] == rows


def test_a_sub_label_clear_of_its_one_amount_joins_it_under_a_group_label(tmp_path: Path) -> None:
    """广州's 国有资本经营预算支出情况表 without ruling lines: one data row (合计 0.00 0.00
    0.00), 小计 centred clear of its right-aligned amount, and the amount's column holding
    nothing of the header but the group label over it (国有资本经营预算支出, a word spanning
    columns). The group label does not label that column, so 小计 is its label; the amount
    stood in a column of its own and every column after it moved one to the right."""
    head = [["功能分类科目", "", "国有资本经营预算支出", "", ""], ["科目编码", "科目名称", "小计", "其中：基本支出", "项目支出"]]
    rows = [*head, ["", "合计", "0.00", "0.00", "0.00"]]
    table = _borderless_table(tmp_path, rows, "本部门国有资本经营预算支出情况如下表所示，单位为万元。")
    assert [r.cells for r in table.rows] == rows


def test_label_only_rows_closing_a_page_stay_in_a_borderless_table(tmp_path: Path) -> None:
    """A 收支总表 without ruling lines (上海's 决算) whose right half runs on in rows with a
    label only (“十、节能环保支出” …) past the page's end. Such rows have no gap of their own
    to show they are tabular; they sit in the labels' column. The group label 支出, centred
    over 项目 | 决算数 of its half, stands clear of the short labels above it and looked
    like a column of its own, which a longer label (“十四、资源勘探工业信息等支出”) reached
    into: from there on the rows became paragraphs and the page's rest a table of its own."""
    head = [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]]
    rows = [*head, ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
            ["二、其他收入", "6.20", "二、社会保障和就业支出", "326.71"], ["", "", "三、卫生健康支出", "60.99"]]
    names = ["节能环保支出", "城乡社区支出", "资源勘探工业信息等支出", "农林水支出", "自然资源海洋气象等支出"]
    rows += [["", "", f"{k + 4}、{names[k % len(names)]}", ""] for k in range(40)]
    rows += [["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"], ["总计", "2,995.39", "总计", "2,995.39"]]
    table = _borderless_table(tmp_path, rows, "本部门收入支出决算总表如下，单位为万元。")
    assert max(r.loc.page for r in table.rows) >= 2
    assert [r.cells for r in table.rows] == rows


def test_a_total_rows_label_left_of_right_aligned_codes_keeps_the_codes_column_labelled(tmp_path: Path) -> None:
    """上海's 基本支出决算表 without ruling lines, two halves side by side: the header labels
    (经济分类科目编码 over 类 | 款) centred left of the right-aligned codes, and the last row's
    labels (人员经费合计, 公用经费合计) in those same columns, over the merged cells of 类 |
    款 | 科目名称. A header's column with that one label below it was taken for a column of
    data: the codes kept a column of their own and every row had one cell too many."""
    head = [["经济分类科目编码", "", "科目名称", "决算数", "经济分类科目编码", "", "科目名称", "决算数"],
            ["类", "款", "", "", "类", "款", "", ""]]
    rows = [*head, ["301", "", "工资福利支出", "2,082.85", "302", "", "商品和服务支出", "171.07"],
            ["301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"],
            ["301", "02", "津贴补贴", "1,238.58", "302", "02", "印刷费", "7.61"],
            ["303", "", "对个人和家庭的补助", "69.41", "310", "", "资本性支出", "13.58"],
            ["303", "09", "奖励金", "0.31", "310", "02", "办公设备购置", "13.58"],
            ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"]]
    table = _borderless_table(tmp_path, rows, "本部门一般公共预算财政拨款基本支出决算情况如下表所示，单位为万元。")
    assert [r.cells for r in table.rows] == rows


def test_a_short_group_label_between_its_sub_labels_does_not_label_a_column(tmp_path: Path) -> None:
    """泉州's 政府性基金预算拨款支出预算表 without ruling lines, its one data row zeros: 其中：
    centred over 基本支出 | 项目支出 is too short to cross the band between them, so it
    stands in a column of its own, over the first amount. Centred between the sub-labels
    below it, in a column they leave empty, it is their group label and not that amount's
    column label: 基本支出 labels the amount (it kept a column of its own, empty)."""
    head = [["科目编码", "科目名称", "小计", "其中：", ""], ["", "", "", "基本支出", "项目支出"]]
    rows = [*head, ["合计", "", "0.00", "0.00", "0.00"]]
    table = _borderless_table(tmp_path, rows, "本部门政府性基金预算拨款支出预算情况如下表所示，单位为万元。")
    assert [r.cells for r in table.rows] == rows


def test_a_numbering_rows_number_clear_of_an_empty_columns_label_joins_that_column(tmp_path: Path) -> None:
    """A 决算 table (政府性基金预算财政拨款收入支出决算表) without ruling lines whose 基本支出
    column is empty: the 栏次 row's "4", right-aligned in that column, lies clear of the
    centred label, and stood as a column of its own; the group label 本年支出 then missed
    the run 小计 | 基本支出 | 项目支出 it is centred over. A column holding only a 栏次 number
    belongs to the one column beside it without one."""
    head = [["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
            ["科目代码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
            ["", "栏次", "1", "2", "3", "4", "5", "6"]]
    rows = [*head, ["", "合计", "58,830.98", "509,220.66", "568,051.63", "", "568,051.63", ""],
            ["229", "其他支出", "58,830.98", "509,220.66", "568,051.63", "", "568,051.63", ""],
            ["22904", "其他政府性基金及对应专项债务收入安排的支出", "58,830.98", "509,220.66", "568,051.63", "",
             "568,051.63", ""]]
    table = _borderless_table(tmp_path, rows, "本部门政府性基金预算财政拨款收入支出决算情况如下表所示，单位为万元。")
    assert [r.cells for r in table.rows] == rows


def test_first_column_label_only_rows_across_a_page_break_stay_in_a_borderless_table(tmp_path: Path) -> None:
    """西安's 收支总表 without ruling lines ends in rows with a label in the first column only
    (上年结转, 其中：财政拨款资金结转 …) over the page break, then 收入总计 | 支出总计 on the
    next page. A short line at the text's left edge reads as prose in the body's type; in the
    table's smaller type, flush with the first column and clear of the second, it is a row.
    They became paragraphs, and the totals row a table of its own (收入总计 was lost)."""
    head = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    rows = [*head, ["一、一般公共预算拨款", "303,312,586.17", "一、一般公共服务支出", "103,518,755.35"]]
    rows += [["", "", f"{k + 2}、某某功能分类支出", f"{k + 1},000.00" if k % 3 == 0 else ""] for k in range(40)]
    rows += [["本年收入合计", "303,312,586.17", "本年支出合计", "303,312,586.17"]]
    rows += [[f"{k + 1}、某某结转结余项目", "", "", ""] for k in range(30)]
    rows += [["收入总计", "303,312,586.17", "支出总计", "303,312,586.17"]]
    # prose before it, so that the body's type is the prose's and the table's is smaller
    prose = ("本部门收支预算总表如下，单位为元，其后各表同。收入预算全部为一般公共预算拨款，支出按功能分类"
             "和经济分类分别列示，各项数据均按照年初预算口径填列。") * 3
    table = _borderless_table(tmp_path, rows, *[prose] * 4)
    assert max(r.loc.page for r in table.rows) >= 3
    assert [r.cells for r in table.rows] == rows
