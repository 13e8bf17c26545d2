"""A request or a document that froze everything (issue 15 item 2): a 20 kB canned-query
parameter blocked every route for 13 s; one slow document must fail alone, by the batch
commands' --time-limit, without ending the batch."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.endpoint_support import FIXTURE_QUERIES, Server, fixture_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "000_4b57f9589128d5bb.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = fixture_store(tmp_path_factory.mktemp("freeze") / "oxi")
    srv = Server("--store", str(store), "--queries", str(FIXTURE_QUERIES), "--workers", "1")
    yield srv
    srv.stop()


@pytest.mark.parametrize("spaces,status", [(20_000, 414), (5_000, 400), (150, 400)])
def test_hostile_document_number_answers_at_once_and_blocks_nobody(server, spaces, status):
    url = server.url + "/queries/funding-recipients?doc=" + "%E7%9F%B3[2023]" + "+" * spaces + "%E5%8F%B7"
    result: dict[str, object] = {}

    def attack() -> None:
        t0 = time.monotonic()
        r = httpx.get(url, timeout=60)
        result["status"], result["elapsed"], result["text"] = r.status_code, time.monotonic() - t0, r.text

    t = threading.Thread(target=attack)
    t.start()
    t0 = time.monotonic()
    other = httpx.get(server.url + "/queries", headers={"Accept": "application/json"}, timeout=60)
    other_elapsed = time.monotonic() - t0
    t.join()
    assert other.status_code == 200 and other_elapsed < 2.0
    assert result["status"] == status, result
    assert float(result["elapsed"]) < 2.0
    assert len(str(result["text"])) < 300  # a short message, not the parameter echoed back


def test_a_real_document_number_still_answers(server):
    r = httpx.get(server.url + "/queries/funding-recipients", params={"doc": "石财外 [2023] 39 号"},
                  headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def slow_and_fast(tmp_path_factory):
    d = tmp_path_factory.mktemp("timelimit")
    src = SAMPLE.read_text(encoding="utf-8")
    slow = d / "slow.txt"
    slow.write_text((src + "\n\n") * 500, encoding="utf-8")  # about a minute to parse on a quiet core
    fast = d / "fast.txt"
    fast.write_text(src, encoding="utf-8")
    return slow, fast


@pytest.mark.parametrize("workers", ["1", "2"])
def test_convert_time_limit_fails_only_that_document(tmp_path, slow_and_fast, workers):
    slow, fast = slow_and_fast
    out = tmp_path / "out.nq"
    t0 = time.monotonic()
    # 8 s: the fast document (0.35 s quiet) passes even on a machine busy with other jobs
    res = _cli("convert", str(slow), str(fast), "-o", str(out), "--time-limit", "8", "--workers", workers)
    assert time.monotonic() - t0 < 60
    assert res.returncode == 1
    assert f"{slow}: time limit exceeded (8 s)" in res.stderr
    assert "1 converted, 1 failed" in res.stderr
    assert out.read_text(encoding="utf-8").count("\n") > 100  # the fast document's graph


def test_extract_time_limit_and_default(slow_and_fast):
    slow, fast = slow_and_fast
    res = _cli("extract", str(slow), str(fast), "--time-limit", "8")
    assert res.returncode == 1 and "time limit exceeded (8 s)" in res.stderr
    assert "石家庄高新技术产业开发区" in res.stdout  # the fast document's report
    from converter.pipeline import DEFAULT_TIME_LIMIT

    for verb in ("convert", "load", "validate", "extract"):
        assert f"(default {DEFAULT_TIME_LIMIT:g}" in " ".join(_cli(verb, "--help").stdout.split())


def test_ocr_has_its_own_default_time_limit(monkeypatch):
    """A scan takes seconds a page: under --ocr the default limit is the OCR one, and an
    explicit --time-limit still wins."""
    from converter.deadline import DEFAULT_OCR_TIME_LIMIT, DEFAULT_TIME_LIMIT, TIME_LIMIT_ENV, configured_time_limit
    from converter.readers import OCR_ENV

    monkeypatch.delenv(TIME_LIMIT_ENV, raising=False)
    monkeypatch.delenv(OCR_ENV, raising=False)
    assert configured_time_limit() == DEFAULT_TIME_LIMIT
    monkeypatch.setenv(OCR_ENV, "1")
    assert configured_time_limit() == DEFAULT_OCR_TIME_LIMIT > DEFAULT_TIME_LIMIT
    monkeypatch.setenv(TIME_LIMIT_ENV, "30.0")
    assert configured_time_limit() == 30.0


def test_default_time_limit_grows_with_the_page_count(monkeypatch, tmp_path):
    """A flat 120 s would fail a provincial 800-page bundle of unit budgets on a busy
    machine: the default allows SECONDS_PER_PAGE a page where that is more (OCR: its own
    rate), read from the page tree before the document is; an explicit limit still wins."""
    from reportlab.pdfgen import canvas

    from converter import pipeline
    from converter.deadline import (DEFAULT_OCR_TIME_LIMIT, DEFAULT_TIME_LIMIT, OCR_SECONDS_PER_PAGE,
                                    SECONDS_PER_PAGE, TIME_LIMIT_ENV, configured_time_limit)
    from converter.readers import OCR_ENV, page_count

    monkeypatch.delenv(TIME_LIMIT_ENV, raising=False)
    monkeypatch.delenv(OCR_ENV, raising=False)
    many = int(DEFAULT_TIME_LIMIT / SECONDS_PER_PAGE) + 80
    assert configured_time_limit(10) == DEFAULT_TIME_LIMIT
    assert configured_time_limit(many) == many * SECONDS_PER_PAGE > DEFAULT_TIME_LIMIT
    monkeypatch.setenv(OCR_ENV, "1")
    assert configured_time_limit(many) == max(DEFAULT_OCR_TIME_LIMIT, many * OCR_SECONDS_PER_PAGE)
    monkeypatch.setenv(TIME_LIMIT_ENV, "30.0")
    assert configured_time_limit(many) == 30.0
    monkeypatch.delenv(TIME_LIMIT_ENV)
    monkeypatch.delenv(OCR_ENV)

    pdf = tmp_path / "long.pdf"
    c = canvas.Canvas(str(pdf))
    for n in range(many):
        c.drawString(72, 720, f"page {n + 1}")
        c.showPage()
    c.save()
    assert page_count(pdf) == many
    assert page_count(SAMPLE) is None  # a text extraction has no page tree
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nnot a pdf")
    assert page_count(tmp_path / "broken.pdf") is None  # the reader reports it, not the count

    given: list[float | None] = []
    real = pipeline.deadline

    def spy(seconds):
        given.append(seconds)
        return real(seconds)

    monkeypatch.setattr(pipeline, "deadline", spy)
    with pytest.raises(pipeline.InputError):  # page numbers alone are no disclosure
        pipeline.extract(pdf)
    assert given == [many * SECONDS_PER_PAGE]
