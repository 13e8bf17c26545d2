"""bench/cross_render.py (real content printed again in another layout) on a bundled
sample, so the bench cannot rot: the borderless printing of a sample keeps every fact
(tests/test_pdf_generated.py holds its records equal), and a fact lost is reported."""

from __future__ import annotations

from pathlib import Path

from bench.cross_render import CATEGORIES, compare
from tests.helpers import CORPUS, SAMPLES


def test_a_sample_printed_borderless_keeps_every_fact(tmp_path: Path) -> None:
    name, result = compare((CORPUS / SAMPLES[0], "borderless", tmp_path))
    assert name == SAMPLES[0] and "skipped" not in result
    for category in CATEGORIES:
        kept, total, lost, gained = result[category]
        assert (kept, lost, gained) == (total, [], []), category
    assert result["figures"][1] > 10 and result["lines"][1] > 50 and result["identity"][1] == 4
    assert (tmp_path / f"{Path(SAMPLES[0]).stem}.borderless.pdf").stat().st_size > 10_000


def test_a_file_that_is_no_disclosure_is_skipped(tmp_path: Path) -> None:
    text = tmp_path / "notice.txt"
    text.write_text("关于开展2026年春季植树活动的通知\n各单位：请按时参加。\n", encoding="utf-8")
    name, result = compare((text, "borderless", tmp_path))
    assert name == "notice.txt" and "skipped" in result
