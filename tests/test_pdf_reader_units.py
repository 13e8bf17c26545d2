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
