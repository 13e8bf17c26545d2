"""What the command line tells a user about a document: extract's reconciliation report
(real discrepancies apart from the source's one-cent rounding) and load's warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal as D

from converter.reconcile import format_report, is_rounding_gap
from converter.records.model import Check, Disclosure, Loc
from tests.helpers import ROOT


def test_report_separates_one_cent_rounding_from_real_failures() -> None:
    d = Disclosure(source_file="t.pdf", sha256="0" * 64, kind="budget")
    checks = [Check("row_sum", "pass", "201", D("3"), D("3"), D("0")),
              Check("row_sum", "fail", "2010301", D("10.00"), D("10.01"), D("0.01"), loc=Loc(page=4)),
              Check("parent_sum", "fail", "205", D("20.00"), D("25.00"), D("5.00"), loc=Loc(line=9))]
    report = format_report(d, checks)
    assert "reconciliation: 1 pass, 1 fail, 1 off by 0.01" in report
    assert "  FAIL parent_sum: 205: expected 20.00, got 25.00 (difference 5.00) (line 9)" in report
    assert "  ROUNDING row_sum: 2010301: expected 10.00, got 10.01 (difference 0.01) (page 4)" in report
    assert report.index("FAIL parent_sum") < report.index("ROUNDING row_sum")
    assert not is_rounding_gap(checks[2]) and not is_rounding_gap(Check("x", "fail", "y"))


def test_load_names_what_each_warning_is(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(ROOT / "corpus" / "000_4b57f9589128d5bb.txt"),
                           "--store", str(tmp_path / "store"), "--workers", "1", "--no-progress", "--no-vocabulary"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    warnings = [l for l in proc.stdout.splitlines() if l.startswith("  warning: ")]
    assert "9 warning(s)" in proc.stdout and len(warnings) == 9, proc.stdout
