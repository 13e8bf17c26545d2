"""The web experience in headless Chromium (Debian's chromium driven by Playwright, as in
tests/test_pages_browser.py) over the bundled corpus loaded with `budgetlod load`:

- from the home page, searching 石财外(2023)39号 reaches the document's page, which shows
  石家庄高新技术产业开发区投资服务局 and 600 万元, in two actions (type + Enter, one click);
- a department page shows its totals, a chart and the projects table within the first
  1366x900 screen;
- no console errors and no request leaving 127.0.0.1 on any page visited;
- axe-core (vendored from npm by scripts/install_charts.sh) finds no serious or critical
  accessibility violations.
Screenshots go to tests/output/web-*.png."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import quote, urlparse

import pytest

from tests.endpoint_support import OUTPUT, ROOT, Server
from tests.test_pages_browser import browser  # noqa: F401 - the one Chromium fixture, used here

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
VIEW = {"width": 1366, "height": 900}
DEPARTMENT = "石家庄高新技术产业开发区投资服务局"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    store = tmp_path_factory.mktemp("store") / "oxi"
    load = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(ROOT / "corpus"), "--store", str(store),
                           "--workers", "2", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert load.returncode == 0, load.stderr
    srv = Server("--store", str(store), "--workers", "2")
    yield srv
    srv.stop()


class Watched:
    """A page whose console errors and off-host requests are recorded (and the latter
    blocked, so a test cannot pass by fetching from the internet)."""

    def __init__(self, browser, server) -> None:
        self.context = browser.new_context(viewport=VIEW, locale="zh-CN")
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        if urlparse(url).hostname in ("127.0.0.1",) or url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_search_reaches_the_funding_document_in_two_actions(watched, server):
    page = watched.page
    page.goto(server.url + "/")
    # action 1: type the number as a journalist would (ASCII brackets) and press Enter
    page.get_by_label("搜索部门、单位、项目、地区或文号").fill("石财外(2023)39号")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search" in page.url
    # action 2: the first result is the document
    with page.expect_navigation():
        page.locator("main table a").first.click()
    page.screenshot(path=str(OUTPUT / "web-search-to-document.png"))
    assert page.locator("h1#label").inner_text() == "石财外〔2023〕39号"
    answer = page.locator("#answer")
    assert answer.get_by_text(DEPARTMENT).first.is_visible()
    assert "600 万元" in page.locator("p.lead").inner_text()  # the summary line (source: corpus project table)
    recipients = page.locator("#table-recipients")
    assert "600" in recipients.locator("tbody td.n").first.inner_text()
    watched.clean()


def test_department_page_answers_in_the_first_screen(watched, server):
    page = watched.page
    page.goto(f"{server.url}/department/{quote(DEPARTMENT)}")  # the IRI: 303 to its page
    page.wait_for_selector("#chart svg", timeout=45000)  # Vega-Lite drew the chart (slow on a busy machine)
    page.screenshot(path=str(OUTPUT / "web-department-first-screen.png"))
    for sel in ("#totals", "#chart svg", "#table-projects thead", "#table-projects tbody tr"):
        box = page.locator(sel).first.bounding_box()
        assert box is not None and box["y"] + min(box["height"], 40) <= VIEW["height"], (sel, box)
    totals = page.locator("#totals").inner_text()
    for label in ("收入总计", "支出总计", "基本支出", "项目支出", "三公经费"):
        assert label in totals
    assert "万元" in totals
    # the 2024 budget of this department states 支出总计 14991.6 万元 (corpus 000_…, 部门收支总表)
    assert "14,991.6" in totals
    assert page.locator("#table-projects tbody tr").count() >= 10
    # linked items are collapsed with their count, not listed in full
    assert page.locator("#incoming details").get_attribute("open") is None
    assert "被引用 (incoming links):" in page.locator("#incoming summary").inner_text()
    watched.clean()


PAGES = [
    ("home", "/"),
    ("departments", "/departments"),
    ("documents", "/documents?_sort=total&_desc=1"),
    ("years", "/years"),
    ("regions", "/regions"),
    ("department", f"/page/department/{quote(DEPARTMENT)}"),
    ("document", f"/page/document/{quote('石财外')}/2023/39"),
    ("queries", "/queries"),
    ("results", f"/queries/funding-recipients?doc={quote('石财外〔2023〕43号')}&format=html"),
    ("search", f"/search?q={quote('投资')}"),
]


@pytest.mark.parametrize("name,path", PAGES, ids=[p[0] for p in PAGES])
def test_pages_are_accessible_clean_and_local(watched, server, name, path):
    page = watched.page
    resp = page.goto(server.url + path, wait_until="networkidle")
    assert resp is not None and resp.status == 200
    page.screenshot(path=str(OUTPUT / f"web-{name}.png"), full_page=True)
    bad = axe_violations(page)
    assert bad == [], bad
    watched.clean()
