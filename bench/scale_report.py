"""Pure helpers of bench/scale.py: percentiles, the least-squares fit, number formatting and
the Markdown table with its legend. No I/O, no subprocesses (tested in
tests/test_bench_scale.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile on (n-1) like bench/bench_endpoint.py: p in 0..100."""
    if not values:
        raise ValueError("no values")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))]


@dataclass
class Fit:
    n: int                  # points fitted
    slope: float            # y units per x unit (seconds per document)
    intercept: float        # seconds at N = 0 (start-up and fixed costs)
    r2: float | None        # None with fewer than 3 points (2 points always fit exactly)
    cost_ratio: float       # (y/x at the largest x) / (y/x at the smallest x)
    marginal: list[tuple[float, float, float]]  # (x1, x2, (y2 - y1) / (x2 - x1)) of consecutive points

    @property
    def per_1000(self) -> float:
        return self.slope * 1000


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> Fit:
    """Ordinary least squares y = a + b x over >= 2 points with distinct x."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if len(set(xs)) != len(xs) or len(xs) < 2:
        raise ValueError("need at least two points with distinct sizes")
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    r2: float | None = None
    if n >= 3:
        ss_tot = sum((y - my) ** 2 for y in ys)
        ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys))
        r2 = 1.0 - ss_res / ss_tot if ss_tot else 1.0
    pts = sorted(zip(xs, ys))
    (x_lo, y_lo), (x_hi, y_hi) = pts[0], pts[-1]
    cost_ratio = (y_hi / x_hi) / (y_lo / x_lo) if y_lo and x_lo else math.nan
    marginal = [(a[0], b[0], (b[1] - a[1]) / (b[0] - a[0])) for a, b in zip(pts, pts[1:])]
    return Fit(n, slope, intercept, r2, cost_ratio, marginal)


def linearity_verdict(fit: Fit, max_ratio: float = 1.25, min_r2: float = 0.99) -> str:
    """One sentence stating whether wall time grows linearly with N, with the numbers.

    Linear means: R^2 >= ``min_r2`` (when defined, i.e. with 3+ sizes) and the cost per
    document at the largest N at most ``max_ratio`` times that at the smallest. A ratio
    below 1 is not held against linearity: it is the fixed start-up cost (the intercept)
    spread over more documents."""
    ratio_ok = fit.cost_ratio <= max_ratio
    r2_ok = fit.r2 is None or fit.r2 >= min_r2
    r2_txt = f"R² = {fit.r2:.4f}" if fit.r2 is not None else "R² undefined with 2 sizes"
    marg = ", ".join(f"{x1:,.0f}→{x2:,.0f}: {m * 1000:,.1f}" for x1, x2, m in fit.marginal)
    numbers = (f"slope {fit.per_1000:,.1f} s per 1,000 documents (intercept {fit.intercept:,.1f} s; {r2_txt}; "
               f"cost per document at the largest N / smallest N = {fit.cost_ratio:.2f}; "
               f"marginal s per 1,000 documents {marg})")
    if ratio_ok and r2_ok:
        return f"cost grows linearly with N: {numbers}."
    why = []
    if not ratio_ok:
        why.append(f"cost per document grows {fit.cost_ratio:.2f}x > {max_ratio:.2f}x")
    if not r2_ok:
        why.append(f"R² below {min_r2}")
    return f"cost does NOT grow linearly with N ({'; '.join(why)}): {numbers}."


# --- formatting -------------------------------------------------------------------------

def fmt_int(v: float | None) -> str:
    return "n/a" if v is None else f"{v:,.0f}"


def fmt_rate(v: float | None) -> str:
    """A rate with 3 significant figures, thousands separators above 1,000."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_bytes(v: float | None) -> str:
    if v is None:
        return "n/a"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if v >= size:
            x = v / size
            digits = 2 if x < 10 else 1 if x < 100 else 0
            return f"{x:.{digits}f} {unit}"
    return f"{v:.0f} B"


def fmt_secs(v: float | None) -> str:
    if v is None:
        return "n/a"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def fmt_ms_pair(p50: float | None, p99: float | None) -> str:
    """Seconds in, 'p50 / p99' in milliseconds out."""
    if p50 is None or p99 is None:
        return "n/a"

    def ms(s: float) -> str:
        m = s * 1000
        return f"{m:.0f}" if m >= 100 else f"{m:.1f}" if m >= 10 else f"{m:.2f}"
    return f"{ms(p50)} / {ms(p99)}"


def ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or not den:
        return None
    return num / den


# --- the table --------------------------------------------------------------------------

# (header, key in a row's "cells" dict); the cells are computed by ``cells`` below.
COLUMNS: list[tuple[str, str]] = [
    ("N", "n"),
    ("wall s", "wall"),
    ("docs/s", "docs_s"),
    ("triples", "triples"),
    ("triples/s convert (1 core)", "triples_s"),
    ("peak mem", "peak"),
    ("store size", "store"),
    ("load triples/s store", "load_store"),
    ("load triples/s wall", "load_wall"),
    ("validation s (ms/doc)", "validation"),
    ("PDF pages/s ours", "pdf_ours"),
    ("PDF pages/s pdfplumber bare", "pdf_floor"),
    ("funding-recipients HTTP p50/p99 ms", "http"),
    ("pyoxigraph bare p50/p99 ms", "direct"),
]

# which step's failure blanks which cells
STEP_CELLS = {
    "corpus": {"wall", "docs_s", "triples", "triples_s", "peak", "store", "load_store", "load_wall",
               "validation", "pdf_ours", "pdf_floor", "http", "direct"},
    "load": {"wall", "docs_s", "triples", "triples_s", "peak", "store", "load_store", "load_wall",
             "validation", "http", "direct"},
    "pdf": {"pdf_ours", "pdf_floor"},
    "latency": {"http", "direct"},
    "http": {"http"},
    "direct": {"direct"},
}


def cells(r: dict[str, Any]) -> dict[str, str]:
    """Formatted cells of one result row (the dict bench/scale.py writes to results.json)."""
    load = r.get("load") or {}
    pdf = r.get("pdf") or {}
    lat = r.get("latency") or {}
    docs = load.get("documents")
    wall = load.get("wall_seconds_process")
    triples = load.get("triples")
    val = load.get("validate_seconds")
    out = {
        "n": f"{r['n']:,}",
        "wall": fmt_secs(wall),
        "docs_s": fmt_rate(ratio(docs, wall)),
        "triples": fmt_int(triples),
        "triples_s": fmt_rate(ratio(triples, load.get("convert_seconds"))),
        "peak": fmt_bytes(load.get("peak_rss_tree_bytes")),
        "store": fmt_bytes(load.get("store_bytes")) + (
            f" ({load['store_bytes'] / triples:.0f} B/triple)" if load.get("store_bytes") and triples else ""),
        "load_store": fmt_rate(ratio(triples, load.get("store_seconds"))),
        "load_wall": fmt_rate(ratio(triples, wall)),
        "validation": "n/a" if val is None else
        f"{fmt_secs(val)} ({ratio(val, docs) * 1000:,.0f})" if docs else fmt_secs(val),
        "pdf_ours": fmt_rate(ratio(pdf.get("pages"), pdf.get("ours_seconds"))),
        "pdf_floor": fmt_rate(ratio(pdf.get("pages"), pdf.get("floor_seconds"))),
        "http": fmt_ms_pair((lat.get("http") or {}).get("p50"), (lat.get("http") or {}).get("p99")),
        "direct": fmt_ms_pair((lat.get("direct") or {}).get("p50"), (lat.get("direct") or {}).get("p99")),
    }
    if load.get("failed"):
        out["docs_s"] += f" ({load['failed']:,} failed)"
    for step, reason in (r.get("errors") or {}).items():
        for key in STEP_CELLS.get(step, ()):
            out[key] = f"FAILED ({step})"
    return out


def markdown_table(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(h for h, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = []
    for r in rows:
        c = cells(r)
        body.append("| " + " | ".join(c[k].replace("|", "/") for _, k in COLUMNS) + " |")
    return "\n".join([head, rule, *body])


def failure_notes(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        for step, reason in (r.get("errors") or {}).items():
            out.append(f"- N={r['n']:,} {step} failed: {reason}")
        load = r.get("load") or {}
        if load.get("failed"):
            out.append(f"- N={r['n']:,}: {load['failed']:,} of {load.get('documents', '?')} documents failed "
                       f"to load (see {load.get('log', 'the load log')})")
    return out


def legend(workers: int, pdf_docs: int, requests: int) -> str:
    return f"""\
Columns (one row per N synthetic text documents, `python -m bench.synth`; all figures from this run):
- wall s: wall-clock seconds of the whole `budgetlod load DIR --store S --workers {workers}` process
  (interpreter start to exit: convert + SHACL-validate + store + vocabulary + commit).
- docs/s: documents / wall s.
- triples: triples of the loaded documents' graphs, as reported by `--stats` (vocabulary not counted).
- triples/s convert (1 core): triples / convert_seconds, where convert_seconds is the sum over documents
  of worker time spent reading + parsing + mapping to RDF (i.e. conversion throughput of one core).
- peak mem: maximum, over samples every 0.2 s, of the summed RSS of the load process and all its
  descendants (pool workers); shared pages count once per process, so this is an upper bound
  (results.json also has the PSS peak).
- store size: disk usage (allocated blocks, like `du`) of the fresh store directory after the load
  exits (RocksDB files as left on disk, write-ahead log included), and that per document triple
  (the store holds each triple once per document graph stating it, and the vocabulary).
- load triples/s store: triples / store_seconds (wall time of the loader thread in Oxigraph writes: bulk
  loads of the document graphs; it overlaps conversion).
- load triples/s wall: triples / wall s (end to end).
- validation s (ms/doc): validate_seconds, the sum over documents of worker time in SHACL
  validation, and that per document in milliseconds.
- PDF pages/s ours / pdfplumber bare: the PDF path on a fixed sample, not on N: the first {pdf_docs}
  documents of that row's corpus rendered as PDF (cached), each read in this process on one core by
  our reader (`converter.readers.pdf.read_pdf`) and by pdfplumber's bare pass (open + per page
  extract_words + find_tables; the baseline), alternately; pages / summed seconds.
- funding-recipients HTTP p50/p99 ms: the canned query /queries/funding-recipients?doc=D through
  `budgetlod serve --store S --workers {workers}` on 127.0.0.1 (one client, sequential, full response
  read), D being the funding document cited by the most departments in that corpus;
  pyoxigraph bare p50/p99 ms: the same bound query on `pyoxigraph.Store.read_only(S)` in this process,
  all rows iterated (the baseline). Both alternate request by request, after 5 warm-ups each, at most
  {requests} requests each and a time budget; nearest-rank percentiles.
- FAILED (step): that step failed; the reason is listed under the table.
Fit: ordinary least squares of wall s against N over the sizes that loaded; the slope is given in
seconds per 1,000 documents, with R² (3+ sizes), the cost per document at the largest N over that at
the smallest, and the marginal cost between consecutive sizes. "Linear" means R² >= 0.99 and that
ratio <= 1.25 (a ratio below 1 is the fixed start-up cost spread over more documents)."""


def queries_table(rows: list[dict[str, Any]]) -> str:
    """One line per N and canned query: rows answered, p50/p99 over HTTP, on bare pyoxigraph
    and on Virtuoso (where it ran), and HTTP p50 over Virtuoso p50."""
    head = ("| N | canned query | rows | HTTP p50/p99 ms | pyoxigraph bare p50/p99 ms | "
            "Virtuoso p50/p99 ms | HTTP / Virtuoso p50 |")
    body = [head, "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        for name, q in sorted(((r.get("queries") or {}).get("queries") or {}).items()):
            if "error" in q:
                body.append(f"| {r['n']:,} | {name} | FAILED: {q['error'][:80].replace('|', '/')} | | | | |")
                continue
            pair = {side: fmt_ms_pair(q[side]["p50"], q[side]["p99"]) if side in q else "n/a"
                    for side in ("http", "bare", "virtuoso")}
            ratio_txt = f"{q['http']['p50'] / q['virtuoso']['p50']:.2f}" if "virtuoso" in q and "http" in q else "n/a"
            body.append(f"| {r['n']:,} | {name} | {q['rows'].get('http', q['rows'].get('bare'))} | {pair['http']} | "
                        f"{pair['bare']} | {pair['virtuoso']} | {ratio_txt} |")
    return "\n".join(body)
