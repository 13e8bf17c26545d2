"""CSV tables for researchers: one SPARQL SELECT per table (``queries/<name>.rq``), whose
header comments document the table and each column:

    # title: Projects
    # description: ...
    # column: amount | money | Project budget (预算数), 万元 ...

Column types fix the cell format: ``money`` is an exact decimal with at least two places
(600 -> 600.00), ``decimal`` the exact canonical decimal, never a float; ``list`` cells
are re-sorted so that GROUP_CONCAT order cannot leak into the bytes. Rows are sorted by
their cells in column order (numbers numerically). UTF-8 without BOM, RFC 4180 (comma,
CRLF, minimal quoting). An empty cell means "not stated"."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from converter.dumps.config import QUERIES_DIR

COLUMN_TYPES = ("text", "integer", "decimal", "money", "boolean", "iri", "list")
NUMERIC = ("integer", "decimal", "money")
TWO_PLACES = Decimal("0.01")


@dataclass
class Column:
    name: str
    type: str
    doc: str


@dataclass
class CsvQuery:
    name: str  # file stem: projects -> projects.csv
    title: str
    description: str
    columns: list[Column]
    text: str
    path: Path
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"csv/{self.name}.csv"


def parse_query(path: Path) -> CsvQuery:
    title = description = ""
    columns: list[Column] = []
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "column":
            name, ctype, doc = (part.strip() for part in value.split("|", 2))
            if ctype not in COLUMN_TYPES:
                raise ValueError(f"{path.name}: column {name}: unknown type {ctype!r}")
            columns.append(Column(name, ctype, doc))
    if not title or not columns:
        raise ValueError(f"{path.name}: needs '# title:' and '# column:' header lines")
    return CsvQuery(path.stem, title, description, columns, text, path)


def load_queries(directory: Path = QUERIES_DIR) -> list[CsvQuery]:
    return [parse_query(p) for p in sorted(directory.glob("*.rq"))]


def money(lexical: str) -> str:
    """Exact decimal text with at least two decimal places (万元 as printed): 600 -> 600.00,
    0.5 -> 0.50, 1.125 stays 1.125."""
    d = Decimal(lexical)
    if d.as_tuple().exponent > -2:  # type: ignore[operator]
        d = d.quantize(TWO_PLACES)
    s = format(d, "f")
    return "0.00" if s == "-0.00" else s


def canonical_decimal(lexical: str) -> str:
    s = format(Decimal(lexical), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def cell(term: object, ctype: str) -> str:
    if term is None:
        return ""
    value: str = term.value  # type: ignore[attr-defined]
    if isinstance(term, ox.BlankNode):
        return "_:" + value
    try:
        if ctype == "money":
            return money(value)
        if ctype == "decimal":
            return canonical_decimal(value)
        if ctype == "integer":
            return str(int(Decimal(value)))
    except (InvalidOperation, ValueError):
        return value  # not a number after all: keep the stated text, never guess
    if ctype == "boolean":
        return {"1": "true", "0": "false"}.get(value, value)
    if ctype == "list":
        sep = " | " if " | " in value else " "
        return sep.join(sorted(set(value.split(sep))))
    return value


def _sort_key(row: tuple[str, ...], columns: list[Column]) -> tuple:
    key = []
    for value, col in zip(row, columns):
        if value == "":
            key.append((0, 0, ""))
        elif col.type in NUMERIC:
            try:
                key.append((1, Decimal(value), value))
            except InvalidOperation:
                key.append((2, 0, value))
        else:
            key.append((2, 0, value))
    return tuple(key)


def table_rows(store: ox.Store, q: CsvQuery) -> list[tuple[str, ...]]:
    solutions = store.query(q.text)
    names = [v.value for v in solutions.variables]  # type: ignore[attr-defined]
    wanted = [c.name for c in q.columns]
    if sorted(names) != sorted(wanted):
        raise ValueError(f"{q.path.name}: SELECT variables {names} differ from documented columns {wanted}")
    rows = {tuple(cell(sol[c.name], c.type) for c in q.columns) for sol in solutions}
    return sorted(rows, key=lambda r: _sort_key(r, q.columns))


def csv_bytes(q: CsvQuery, rows: list[tuple[str, ...]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.name for c in q.columns])
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_csvs(store: ox.Store, out: Path, queries: list[CsvQuery] | None = None) -> dict[str, int]:
    """Write every table; returns release path -> row count."""
    (out / "csv").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for q in queries if queries is not None else load_queries():
        rows = table_rows(store, q)
        (out / q.file).write_bytes(csv_bytes(q, rows))
        counts[q.file] = len(rows)
    return counts
