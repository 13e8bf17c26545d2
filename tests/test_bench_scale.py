"""The helpers of the scale benchmark: percentiles, the least-squares fit and its verdict,
and the Markdown table (bench/scale_report.py); memory sampling and process-group cleanup
on short real child processes (bench/scale_proc.py). The benchmark
itself never runs under pytest (`make bench`)."""

from __future__ import annotations

import math
import sys
import time

import pytest

from bench.scale_report import (fmt_bytes, fmt_ms_pair, fmt_rate, linear_fit, linearity_verdict,
                                markdown_table, percentile)


def test_percentile_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 50) == 51.0  # round(0.5 * 99) = 50 -> 51
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0], 99) == 3.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_linear_fit_exact_line():
    xs = [100, 1000, 10000]
    ys = [5 + 0.5 * x for x in xs]
    fit = linear_fit(xs, ys)
    assert fit.slope == pytest.approx(0.5)
    assert fit.per_1000 == pytest.approx(500)
    assert fit.intercept == pytest.approx(5)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.cost_ratio == pytest.approx((5005 / 10000) / (55 / 100))
    assert [m for _, _, m in fit.marginal] == pytest.approx([0.5, 0.5])
    assert linearity_verdict(fit).startswith("cost grows linearly")


def test_linear_fit_two_points_has_no_r2():
    fit = linear_fit([1000, 100], [520.0, 60.0])  # order does not matter
    assert fit.r2 is None
    assert fit.slope == pytest.approx(460 / 900)
    assert fit.cost_ratio == pytest.approx(0.52 / 0.6)
    assert "R² undefined" in linearity_verdict(fit)


def test_superlinear_is_called_out():
    xs = [100, 1000, 10000]
    ys = [0.001 * x * x for x in xs]  # quadratic
    fit = linear_fit(xs, ys)
    assert fit.cost_ratio == pytest.approx(100)
    verdict = linearity_verdict(fit)
    assert verdict.startswith("cost does NOT grow linearly")
    assert "100.00x" in verdict


def test_linear_fit_rejects_degenerate_input():
    with pytest.raises(ValueError):
        linear_fit([100], [1.0])
    with pytest.raises(ValueError):
        linear_fit([100, 100], [1.0, 2.0])
    with pytest.raises(ValueError):
        linear_fit([100, 200], [1.0])


def test_formatting():
    assert fmt_rate(None) == "n/a"
    assert fmt_rate(math.nan) == "n/a"
    assert fmt_rate(123456.7) == "123,457"
    assert fmt_rate(12.34) == "12.3"
    assert fmt_rate(0.5432) == "0.54"
    assert fmt_bytes(3 * 2**30) == "3.00 GiB"
    assert fmt_bytes(250 * 2**20) == "250 MiB"
    assert fmt_bytes(512) == "512 B"
    assert fmt_ms_pair(0.0021, 0.0456) == "2.10 / 45.6"
    assert fmt_ms_pair(None, 1.0) == "n/a"


def _row(n: int, **extra) -> dict:
    row = {
        "n": n, "errors": {},
        "load": {"documents": n, "loaded": n, "failed": 0, "triples": 6000 * n, "wall_seconds_process": n * 0.5,
                 "convert_seconds": n * 0.1, "validate_seconds": n * 1.0, "store_seconds": n * 0.05,
                 "peak_rss_tree_bytes": 2**30, "store_bytes": 300 * 2**20},
        "pdf": {"pages": 400, "ours_seconds": 20.0, "floor_seconds": 16.0},
        "latency": {"http": {"p50": 0.004, "p99": 0.012}, "direct": {"p50": 0.001, "p99": 0.002}},
    }
    row.update(extra)
    return row


def test_markdown_table_cells():
    table = markdown_table([_row(100)]).splitlines()
    assert len(table) == 3
    header = [c.strip() for c in table[0].strip("|").split("|")]
    cells = dict(zip(header, (c.strip() for c in table[2].strip("|").split("|"))))
    assert cells["N"] == "100"
    assert cells["wall s"] == "50.0"
    assert cells["docs/s"] == "2.00"
    assert cells["triples"] == "600,000"
    assert cells["triples/s convert (1 core)"] == "60,000"
    assert cells["peak mem"] == "1.00 GiB"
    assert cells["store size"] == "300 MiB (524 B/triple)"
    assert cells["load triples/s store"] == "120,000"
    assert cells["load triples/s wall"] == "12,000"
    assert cells["validation s (ms/doc)"] == "100 (1,000)"
    assert cells["PDF pages/s ours"] == "20.0"
    assert cells["PDF pages/s pdfplumber bare"] == "25.0"
    assert cells["funding-recipients HTTP p50/p99 ms"] == "4.00 / 12.0"
    assert cells["pyoxigraph bare p50/p99 ms"] == "1.00 / 2.00"


def test_markdown_table_marks_failed_steps():
    row = _row(1000, errors={"latency": "server did not answer"})
    row["latency"] = None
    line = markdown_table([row]).splitlines()[2]
    assert line.count("FAILED (latency)") == 2
    row = _row(1000, errors={"load": "exit 2"})
    line = markdown_table([row]).splitlines()[2]
    assert "FAILED (load)" in line and "20.0" in line  # the PDF sample still measured


# --- bench/scale_proc.py: memory sampling and process-group cleanup (real child processes) ---

ALLOC = "import time; x = bytearray(50_000_000); time.sleep(1)"


def test_run_monitored_samples_child_rss(tmp_path):
    from bench import scale_proc as sp

    res = sp.run_monitored([sys.executable, "-c", ALLOC], tmp_path / "child.log")
    assert res.returncode == 0 and not res.timed_out
    assert res.samples >= 2
    assert res.peak_rss_tree_bytes >= 50_000_000
    assert res.peak_leader_rss_bytes >= 50_000_000  # the leader is the allocating process
    assert res.peak_pss_tree_bytes >= 50_000_000  # private pages: PSS counts them fully
    assert res.cpu_user_seconds is not None


def test_run_monitored_sums_the_tree_and_kills_orphans(tmp_path):
    """A grandchild is in the tree's RSS while its parent lives, and is killed through the
    process group once the parent has exited without it."""
    from bench import scale_proc as sp

    import psutil

    parent = ("import subprocess, sys, time; "
              f"p = subprocess.Popen([sys.executable, '-c', {ALLOC.replace('sleep(1)', 'sleep(30)')!r}]); "
              "print(p.pid, flush=True); time.sleep(1)")
    log = tmp_path / "tree.log"
    res = sp.run_monitored([sys.executable, "-c", parent], log)
    assert res.returncode == 0
    assert res.peak_processes >= 2
    assert res.peak_rss_tree_bytes >= 50_000_000
    assert res.peak_leader_rss_bytes < 50_000_000
    orphan = int(log.read_text().split()[0])
    deadline = time.monotonic() + 2  # SIGKILL is asynchronous
    while psutil.pid_exists(orphan) and psutil.Process(orphan).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the orphaned grandchild survived stop()"
        time.sleep(0.02)
    assert not sp._LIVE
