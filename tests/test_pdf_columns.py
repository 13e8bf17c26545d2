"""Column detection for tables without ruling lines (converter/readers/columns.py), on
synthetic word boxes: columns of left-, right- or centre-aligned words separated by
white bands, with group labels that span several columns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from converter.readers.columns import Columns, assign, find_columns

MIN_GAP = 2.0


@st.composite
def tables(draw):
    """(lines of boxes, true column of every box, column extents): every column has one
    alignment and its widest word spans the whole column, as a typesetter lays it out."""
    ncols = draw(st.integers(2, 9))
    x = draw(st.floats(20, 200))
    cols = []
    for _ in range(ncols):
        width = draw(st.floats(8, 120))
        cols.append((x, x + width, draw(st.sampled_from("lrc"))))
        x += width + draw(st.floats(MIN_GAP + 1.5, 40))
    nlines = draw(st.integers(2, 12))
    lines, truth = [], []
    widest = {c: draw(st.integers(0, nlines - 1)) for c in range(ncols)}
    for li in range(nlines):
        boxes, owner = [], []
        for c, (a, b, align) in enumerate(cols):
            if widest[c] == li:
                w = b - a
            elif draw(st.booleans()):
                w = draw(st.floats(2, b - a))
            else:
                continue  # an empty cell
            x0 = a if align == "l" else b - w if align == "r" else (a + b - w) / 2
            boxes.append((x0, x0 + w))
            owner.append(c)
        lines.append(boxes)
        truth.append(owner)
    return lines, truth, [(a, b) for a, b, _ in cols]


def _check(found: Columns, extents: list[tuple[float, float]]) -> None:
    assert len(found.bounds) == len(extents)
    for (a, b), (ta, tb) in zip(found.bounds, extents):
        assert abs(a - ta) <= 1.0 and abs(b - tb) <= 1.0


@settings(max_examples=300, deadline=None)
@given(tables())
def test_columns_are_the_white_bands(table) -> None:
    lines, truth, extents = table
    found = find_columns(lines, MIN_GAP)
    _check(found, extents)
    assert assign(lines, found) == truth


@settings(max_examples=200, deadline=None)
@given(tables(), st.data())
def test_a_group_label_spans_without_joining_columns(table, data) -> None:
    """A label above sub-columns i..j (reaching into both) is assigned to column i and
    does not merge the columns it bridges; a number is never such a label."""
    lines, truth, extents = table
    i = data.draw(st.integers(0, len(extents) - 2))
    j = data.draw(st.integers(i + 1, len(extents) - 1))
    x0 = data.draw(st.floats(extents[i][0], extents[i][1] - 0.5))
    x1 = data.draw(st.floats(extents[j][0] + 0.5, extents[j][1]))
    header = [[(x0, x1)]]
    found = find_columns(header + lines, MIN_GAP)
    _check(found, extents)
    assert assign(header + lines, found) == [[i]] + truth


@settings(max_examples=100, deadline=None)
@given(tables(), st.floats(-50, 300), st.randoms(use_true_random=False))
def test_columns_do_not_depend_on_position_or_line_order(table, dx, rnd) -> None:
    lines, truth, extents = table
    shifted = [[(a + dx, b + dx) for a, b in line] for line in lines]
    _check(find_columns(shifted, MIN_GAP), [(a + dx, b + dx) for a, b in extents])
    order = list(range(len(lines)))
    rnd.shuffle(order)
    shuffled = [lines[k] for k in order]
    assert assign(shuffled, find_columns(shuffled, MIN_GAP)) == [truth[k] for k in order]


def test_narrow_gap_inside_a_cell_is_no_column() -> None:
    # "2024" and "年" one space apart in a name column, longer names below
    lines = [[(100.0, 121.0), (122.5, 130.0), (200.0, 230.0)], [(100.0, 160.0), (205.0, 230.0)]]
    found = find_columns(lines, MIN_GAP)
    assert len(found.bounds) == 2
    assert assign(lines, found) == [[0, 0, 1], [0, 1]]


def test_adjacent_number_and_text_stay_apart() -> None:
    """The issue's procurement row: "22.13" right-aligned and "台式计算机" left-aligned in
    the next column, a few points apart, are two cells, not "22.13台式计算机"."""
    lines = [
        [(60.0, 150.0), (160.0, 182.0), (186.0, 231.0), (240.0, 280.0)],
        [(60.0, 120.0), (166.0, 182.0), (186.0, 210.0), (240.0, 270.0)],
    ]
    found = find_columns(lines, MIN_GAP)
    assert assign(lines, found) == [[0, 1, 2, 3], [0, 1, 2, 3]]


def test_labels_flag_keeps_a_wide_number_from_spanning() -> None:
    """A right-aligned "510" under a centred "数量" that ends where it starts, with "2"
    right-aligned below: the number is not a bridge, the column stays one."""
    lines = [[(307.3, 325.3)], [(325.1, 337.6)], [(333.4, 337.6)], [(400.0, 420.0)]]
    labels = [[True], [False], [False], [False]]
    found = find_columns(lines, MIN_GAP, labels)
    assert assign(lines, found) == [[0], [0], [0], [1]]


def test_a_wrapped_centred_cell_is_one_column() -> None:
    """A long value wrapped over three lines and centred in its cell (the last line
    short), above a right-aligned "2.00" in the same column: the band between "2.00"
    and the short last line is crossed only by the value's own lines. Told that the
    three lines are one cell, no band is seen there: one column, not two."""
    lines = [
        [(300.0, 340.0), (377.0, 447.0)],  # 项目名称 | 石财建（2022）99号
        [(377.0, 447.0)],  # 2023年省级中小企业
        [(396.0, 428.0)],  # 发展专项 (centred)
        [(300.0, 356.0), (375.0, 388.0), (463.0, 495.0)],  # 其中：财政资金 | 2.00 | 其他资金
    ]
    labels = [[True, True], [True], [True], [True, False, True]]
    apart = find_columns(lines, MIN_GAP, labels)
    assert len(apart.bounds) == 4  # without the cells: the value's lines look like a group label
    cells = [[0, 1], [1], [1], [2, 3, 4]]
    found = find_columns(lines, MIN_GAP, labels, cells)
    assert len(found.bounds) == 3
    assert assign(lines, found) == [[0, 1], [1], [1], [0, 1, 2]]


def test_a_wrapped_group_label_still_spans() -> None:
    """A group label wrapped once ("一般公共预算" / "拨款", told to be one cell) over two
    sub-columns filled below still spans, both its lines go to the first sub-column,
    and the sub-columns stay apart."""
    lines = [
        [(130.0, 190.0)],
        [(150.0, 170.0)],
        [(110.0, 150.0), (170.0, 210.0)],
        [(120.0, 150.0), (180.0, 210.0)],
    ]
    cells = [[0], [0], [1, 2], [3, 4]]
    found = find_columns(lines, MIN_GAP, None, cells)
    assert len(found.bounds) == 2
    assert assign(lines, found) == [[0], [0], [0, 1], [0, 1]]


def test_a_label_overhanging_its_column_to_a_space_of_the_next_does_not_join_them() -> None:
    """科目编码 centred over narrow 类 | 款 | 项 sub-columns: it covers the 类 codes and
    overhangs them to a point short of 款's label in the row below. Its overhang would
    join the 类 and 款 columns; it is left out like a spanning label, so the codes of the
    three levels keep their columns (as printed borderless, 烟台 水利局's 支出总表)."""
    lines = [
        [(107.8, 145.8), (320.6, 358.6)],  # 科目编码 | 科目名称
        [(89.9, 99.4), (146.8, 156.3), (179.0, 188.5)],  # 类 | 款 | 项
        [(118.3, 131.5), (203.8, 241.8)],  # 205 | 教育支出
        [(154.9, 163.7), (203.8, 251.3)],  # 08 | 进修及培训
        [(187.0, 195.8), (203.8, 241.8)],  # 03 | 培训支出
    ]
    labels = [[True, True], [True, True, True], [False, True], [False, True], [False, True]]
    found = find_columns(lines, 1.9, labels)
    where = assign(lines, found)
    codes = [where[2][0], where[3][0], where[4][0]]
    assert len(set(codes)) == 3 and codes == sorted(codes)
    assert where[0][0] == codes[0]  # the label goes to the first column it covers
    assert where[1][1] == codes[1] and where[1][2] == codes[2]
