"""Bad input gets one line naming the file and the problem, exit status 1, no
traceback; the rest of a batch goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CORPUS

BIN = [sys.executable, "-m", "converter.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.run([*BIN, *args], capture_output=True, text=True, env=env, timeout=120)


def make_bad(tmp: Path) -> dict[str, tuple[Path, str]]:
    sample = (CORPUS / "000_4b57f9589128d5bb.txt").read_text(encoding="utf-8")
    cases = {
        "empty": (tmp / "empty.txt", b"", "empty file"),
        "binary": (tmp / "garbage.txt", bytes(range(256)) * 40, "binary data"),
        "not_disclosure": (tmp / "poem.txt", "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n".encode(), "not a budget disclosure"),
        "truncated": (tmp / "truncated.txt", sample[: len(sample) // 3].encode(), "truncated"),
        "missing": (tmp / "does-not-exist.txt", None, "cannot read file"),
    }
    out = {}
    for name, (path, data, problem) in cases.items():
        if data is not None:
            path.write_bytes(data)
        out[name] = (path, problem)
    return out


@pytest.mark.parametrize("case", ["empty", "binary", "not_disclosure", "truncated", "missing"])
def test_bad_input_one_line_error(tmp_path: Path, case: str) -> None:
    path, problem = make_bad(tmp_path)[case]
    proc = run("extract", str(path))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and problem in lines[0]
    assert "Traceback" not in proc.stderr


def test_batch_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = tmp_path / "good.txt"
    good.write_bytes((CORPUS / "003_e89a9a83a083e3d7.txt").read_bytes())
    proc = run("extract", str(bad), str(good))
    assert proc.returncode == 1
    assert "# good.txt" in proc.stdout and "empty file" in proc.stderr


def test_partial_document_extracts(tmp_path: Path) -> None:
    proc = run("extract", "--json", str(CORPUS / "001_6c0142ec6d7c5849.txt"))
    assert proc.returncode == 0, proc.stderr
    assert '"projects"' in proc.stdout and '"budgetLines"' not in proc.stdout
