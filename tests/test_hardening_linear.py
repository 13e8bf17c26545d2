"""Linear time on hostile text (issue 15 item 2): every normaliser, finder and module-level
parser pattern is timed on inputs of size n .. 16n built from runs that break patterns
with adjacent or nested overlapping quantifiers (spaces, full-width spaces, digits, the
start of a document number, "得分" ...). Doubling the input may double the time; a
quadratic pattern quadruples it. Before this issue `石[2023]` + 20,000 spaces + `号` took 13 s in the document-number
pattern, and squeeze_cjk took seconds on a long run of spaces."""

from __future__ import annotations

import importlib
import itertools
import re
import time
from pathlib import Path
from typing import Callable

import pytest

from converter.parsers.docnumbers import canonical_docnumber, find_docnumbers
from converter.parsers.numbers import read_cell, read_percent, to_decimal
from converter.parsers.targets import parse_target
from converter.readers.markup import norm_key, squeeze_cjk, strip_markup
from converter.readers.text import parse_blocks

ROOT = Path(__file__).resolve().parents[1]
N = 500  # runs of n, 2n, 4n, 8n, 16n: at 16n a quadratic pattern costs ~10^7-10^8 steps
GROWTH = 3.0  # median time ratio per doubling: ~2 for linear, ~4 for quadratic
FLOOR = 0.002  # seconds at 16n: below this the differences are timer noise
RUNS = [" ", "\u3000", "\n", "1", "1.", "12 ", "号", "[2023]", "得分", "a", "中", "<b>", "$", "*"]
# what stands before and after the run: starts and ends of the parsers' patterns
FRAMES = [("", ""), ("", "x"), ("1、", "完成情况"), ("得分", "分"), ("石财", "号"), ("[2023]", "号"),
          ("预算年度", "x"), ("2024年", "自评报告"), ("x", "2024年预算")]


def _best(fn: Callable[[str], object], text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            fn(text)
        except Exception:  # an error is an answer too; only the time is judged here
            pass
        best = min(best, time.perf_counter() - t0)
    return best


def _growth(fn: Callable[[str], object], pre: str, run: str, suf: str) -> float:
    """Median ratio of the time for 2k repetitions of ``run`` to the time for k, over
    k = n .. 8n. A median, not one ratio at n and 10n: a string outgrowing a CPU cache or
    the allocator's small-block regime makes one step jump on a linear pattern, where a
    quadratic one grows about 4x at every doubling."""
    times = [_best(fn, pre + run * (N * 2 ** i) + suf) for i in range(5)]
    ratios = sorted(b / max(a, 1e-7) for a, b in zip(times, times[1:]))
    return (ratios[1] + ratios[2]) / 2


def _quadratic_inputs(fn: Callable[[str], object]) -> list[tuple[str, float, float]]:
    """The first hostile input on which ``fn`` is super-linear (empty list: none)."""
    for run, (pre, suf) in itertools.product(RUNS, FRAMES):
        big = _best(fn, pre + run * (16 * N) + suf, repeat=1)
        if big < FLOOR:
            continue
        # a busy machine can inflate one series: super-linear only if three in a row say so,
        # and the first series that grows linearly settles it (a fixed cost per pattern
        # that fits a loaded CI box: the test has a time-out)
        growths = []
        for _attempt in range(3):
            growths.append(_growth(fn, pre, run, suf))
            if growths[-1] <= GROWTH:
                break
        else:
            return [(f"{pre!r} + {run!r}*k + {suf!r}", big, min(growths))]
    return []


NORMALISERS: dict[str, Callable[[str], object]] = {
    "strip_markup": strip_markup,
    "squeeze_cjk": squeeze_cjk.__wrapped__,  # past the cache: every call really runs
    "norm_key": norm_key.__wrapped__,
    "read_cell": read_cell,
    "read_percent": read_percent,
    "to_decimal": to_decimal,
    "find_docnumbers": find_docnumbers,
    "canonical_docnumber": canonical_docnumber,
    "parse_target": parse_target,
    "parse_blocks": parse_blocks,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_normaliser_is_linear(name):
    assert _quadratic_inputs(NORMALISERS[name]) == []


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at module level of the parsers and the text readers."""
    modules = [f"converter.parsers.{p.stem}" for p in sorted((ROOT / "converter" / "parsers").glob("*.py"))
               if p.stem != "__init__"] + ["converter.parsers", "converter.readers.markup",
                                           "converter.readers.text", "converter.readers.layout"]
    out = []
    for mod_name in modules:
        mod = importlib.import_module(mod_name)
        for attr, value in sorted(vars(mod).items()):
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                out.append((f"{mod_name}.{attr}", value))
    return out


@pytest.mark.timeout(60)  # a linear pattern takes well under a second; a quadratic one would run for minutes
@pytest.mark.parametrize("name,pattern", _module_patterns(), ids=[n for n, _ in _module_patterns()])
def test_parser_pattern_is_linear(name, pattern):
    def every_use(text: str) -> None:
        pattern.search(text)
        pattern.match(text)
        for _ in pattern.finditer(text):
            pass

    assert _quadratic_inputs(every_use) == []


def test_document_number_of_a_frozen_request_is_refused_at_once():
    t0 = time.perf_counter()
    assert canonical_docnumber("石[2023]" + " " * 20_000 + "号") is None
    assert find_docnumbers("石[2023]" + "\u3000" * 200_000 + "号") == []
    assert time.perf_counter() - t0 < 0.5


def test_squeeze_of_a_long_space_run_is_immediate():
    t0 = time.perf_counter()
    assert squeeze_cjk.__wrapped__("1" + " " * 200_000 + "2") == "1" + " " * 200_000 + "2"
    assert squeeze_cjk.__wrapped__("中" + " " * 200_000 + "2") == "中2"
    assert time.perf_counter() - t0 < 0.5


@pytest.mark.timeout(60)
def test_the_detector_flags_a_quadratic_pattern():
    """The check above is only as good as its detector: a pattern that rescans the rest of
    the input from every start (``\\s*x`` searched over spaces) must be reported."""
    quadratic = re.compile(r"\s*x")
    found = _quadratic_inputs(lambda text: quadratic.search(text))
    assert found and found[0][2] > GROWTH
