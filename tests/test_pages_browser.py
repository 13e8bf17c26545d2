"""Linked-data pages and the query UI in headless Chromium (Debian's chromium, driven by
Playwright from PyPI): a department, a project and a funding-document page render with
their labels and links. Screenshots go to tests/output/."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import quote

import pytest

from tests.endpoint_support import FIXTURE_QUERIES, OUTPUT, Server, fixture_store

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _ensure_chromium() -> str | None:
    if os.path.exists(CHROMIUM):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "chromium is not installed and apt-get is not usable here"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # a CJK font too, or the screenshots show boxes for Chinese labels
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "fonts-wqy-microhei"]):
        if subprocess.run(cmd, env=env, capture_output=True, timeout=900).returncode != 0:
            return f"{' '.join(cmd)} failed"
    return None if os.path.exists(CHROMIUM) else "chromium missing after apt-get install"


@pytest.fixture(scope="module")
def browser():
    pw_mod = pytest.importorskip("playwright.sync_api", reason="Python package playwright not installed")
    reason = _ensure_chromium()
    if reason:
        pytest.skip(f"Chromium unavailable: {reason}")
    with pw_mod.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    store = fixture_store(tmp_path_factory.mktemp("store") / "oxi")
    srv = Server("--store", str(store), "--queries", str(FIXTURE_QUERIES), "--workers", "2")
    yield srv
    srv.stop()


def open_page(browser, url: str, shot: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    resp = page.goto(url)
    assert resp is not None and resp.status == 200
    page.screenshot(path=str(OUTPUT / shot), full_page=True)
    return page


def test_department_page(browser, server):
    # the resource IRI itself: the browser follows the 303 to /page/...
    page = open_page(browser, f"{server.url}/department/{quote('鹿泉区投资促进局')}", "page-department.png")
    assert "/page/department/" in page.url
    assert page.locator("h1#label").inner_text() == "鹿泉区投资促进局"
    assert page.get_by_text("石家庄市鹿泉区投资促进局").count() >= 1
    # the fixture has no budget, so the page has no totals or projects table and the
    # incoming links stay open under their count
    assert "被引用 (incoming links): 2" in page.locator("#incoming summary").inner_text()
    link = page.locator("#incoming a", has_text="投资促进活动经费").first
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1#label").inner_text() == "投资促进活动经费"
    page.close()


def test_project_page(browser, server):
    page = open_page(browser, f"{server.url}/page/project/13019024P00PX8X10050W", "page-project.png")
    assert page.locator("h1#label").inner_text() == "招商引资专项经费（石财外〔2023〕39号）"
    outgoing = page.locator("#outgoing")
    assert outgoing.get_by_text("石家庄高新技术产业开发区投资服务局").count() == 1
    assert outgoing.get_by_text("600").count() >= 1
    doc = outgoing.locator("a", has_text="石财外〔2023〕39号")
    assert doc.get_attribute("href").startswith("/page/document/")
    page.close()


def test_funding_document_page(browser, server):
    page = open_page(browser, f"{server.url}/page/document/{quote('石财外')}/2023/39", "page-funding-document.png")
    assert page.locator("h1#label").inner_text() == "石财外〔2023〕39号"
    panel = page.locator("#panel-funding-recipients")
    text = panel.inner_text()
    for s in ("石家庄高新技术产业开发区投资服务局", "鹿泉区投资促进局", "13019024P00PX8X10050W", "120.25"):
        assert s in text
    assert panel.locator("a", has_text="鹿泉区投资促进局").first.get_attribute("href").startswith("/page/department/")
    assert page.locator("#incoming a", has_text="投资促进活动经费").count() == 1
    page.close()


def test_query_ui_runs_a_query(browser, server):
    page = open_page(browser, f"{server.url}/ui", "query-ui.png")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=15000)
    assert page.locator(".tabPanel, .tab").count() >= 1
    assert "funding-documents" in page.content() or "资金文件" in page.content()
    page.locator(".yasqe_queryButton").first.click()
    page.wait_for_selector(".yasr table tbody tr td", timeout=15000)
    page.wait_for_function("() => document.querySelector('.yasr').innerText.includes('石财外〔2023〕39号')",
                           timeout=15000)
    page.screenshot(path=str(OUTPUT / "query-ui-results.png"), full_page=True)
    page.close()
