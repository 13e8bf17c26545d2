"""Index pages, page tables and canned-query pages over HTTP, on the bundled corpus loaded
with `budgetlod load` and served by a real `budgetlod serve` on 127.0.0.1: the .csv/.json
twins hold the same rows as the HTML table, sorting and paging, totals, Chinese headings
with units, pre-filled forms, "did you mean", the URL builder, and a bounded bench: every
HTML page reachable from the indexes is <= 2 MB and answers in <= 1 s."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest

from endpoint.urls import Urls
from tests.endpoint_support import OUTPUT, ROOT, Server

B = "https://w3id.org/budget-lod/"
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


def get(server, path: str, **kw) -> httpx.Response:
    r = httpx.get(server.url + path, timeout=30, **kw)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r


def html_rows(body: str, table_id: str) -> list[list[str]]:
    block = body.split(f'id="table-{table_id}"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", block, re.S):
        rows.append([re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)])
    return rows


def test_url_builder_round_trip():
    u = Urls([B + "data/", B])
    iri = B + "department/" + quote("鹿泉区投资促进局")
    assert u.page(iri) == "/page/department/" + quote("鹿泉区投资促进局")
    assert u.data(iri, ".jsonld") == "/data/department/" + quote("鹿泉区投资促进局") + ".jsonld"
    assert iri in u.candidates(u.local_path(iri))
    assert u.page("http://example.org/x") == "http://example.org/x" and u.local_path("http://example.org/x") is None
    assert u.local_path(B + "data/x") == "x"  # the most specific namespace first


@pytest.mark.parametrize("name", ["departments", "documents", "years", "regions"])
def test_index_twins_hold_the_same_rows(server, name):
    html = get(server, f"/{name}").text
    rows = html_rows(html, name)
    assert rows
    data = get(server, f"/{name}.json").json()
    assert data["total_rows"] == len(rows) == len(data["rows"])
    text = get(server, f"/{name}.csv").text
    assert get(server, f"/{name}.csv").headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == len(rows) + 1
    # headings: Chinese first, English beneath; the CSV names the unit of each amount
    assert "<small class=\"en\">" in html
    assert any("(万元)" in h for h in table[0]) or name == "regions" and "expenditure (万元)" in table[0]
    assert f'href="/{name}.csv' in html and f'href="/{name}.json' in html
    # the same cells, in the same order
    for h, c in zip(rows, table[1:]):
        assert h[0].replace(",", "") == c[0].replace(",", "") or h[0] == c[0]


def test_documents_index_counts_and_total(server):
    data = get(server, "/documents.json").json()
    row = next(r for r in data["rows"] if r["number"]["label"] == "石财外〔2023〕39号")
    # corpus 000_…: one project of 石家庄高新技术产业开发区投资服务局 cites it, budget 600 万元
    assert row["departments"] == 1 and row["projects"] == 1 and row["total"] == "600"
    assert row["number"]["page"] == "/page/document/" + quote("石财外") + "/2023/39"
    row43 = next(r for r in data["rows"] if r["number"]["label"] == "石财外〔2023〕43号")
    assert row43["projects"] == 2 and Decimal(row43["total"]) == Decimal("62.87") + Decimal("437.76")


def test_sorting_and_paging(server):
    desc = get(server, "/documents.json?_sort=total&_desc=1").json()["rows"]
    totals = [Decimal(r["total"]) for r in desc if r["total"] is not None]
    assert totals == sorted(totals, reverse=True) and len(totals) >= 5
    assert all(r["total"] is None for r in desc[len(totals):])  # empty cells last, whatever the direction
    p1 = get(server, "/documents.json?_size=10").json()
    p2 = get(server, "/documents.json?_size=10&_page=2").json()
    assert p1["total_rows"] == p2["total_rows"] > 10
    assert len(p1["rows"]) == 10 and p1["rows"][0] != p2["rows"][0]
    html = get(server, "/documents?_size=10").text
    assert "下一页" in html and "_page=2" in html
    narrowed = get(server, "/departments.json?year=2023").json()["rows"]
    assert narrowed and all(r["year"] == "2023" for r in narrowed)


def test_years_totals_row_adds_up(server):
    data = get(server, "/years.json").json()
    assert Decimal(data["totals"]["expenditure"]) == sum(Decimal(r["expenditure"]) for r in data["rows"])
    assert "合计" in get(server, "/years").text


def test_department_page_tables_and_twins(server):
    path = f"/page/department/{quote(DEPARTMENT)}"
    html = get(server, path).text
    for s in ("收入总计", "支出总计", "基本支出", "项目支出", "三公经费", "万元", 'id="chart"', 'id="table-projects"'):
        assert s in html
    # 部门收支总表 of corpus 000_… (2024): 支出总计 14991.6 万元; 三公经费 157 万元
    assert "14,991.6" in html and ">157 <small>万元" in html
    assert "/static/vega/vega-lite.min.js" in html and "cdn" not in html.lower()
    rows = html_rows(html, "projects")
    data = get(server, path + "?_table=projects&_format=json").json()
    assert data["total_rows"] == len(rows) == 14
    total = sum(Decimal(r["amount"]) for r in data["rows"] if r["amount"])
    assert Decimal(data["totals"]["amount"]) == total
    text = get(server, path + "?_table=projects&_format=csv").text
    assert len(list(csv.reader(io.StringIO(text)))) == 15
    cited = [r for r in data["rows"] if r["documents"]]
    assert any("石财外〔2023〕39号" in r["documents"] for r in cited)


def test_incoming_links_are_paged_never_cut(server):
    path = f"/page/department/{quote(DEPARTMENT)}"
    first = get(server, path).text
    m = re.search(r"被引用 \(incoming links\): (\d+)", first)
    assert m and int(m.group(1)) > 100  # more than one page on this department
    second = get(server, path + "?in_page=2").text
    assert "第 2 /" in second
    subjects = lambda body: set(re.findall(r'<table class="incoming">.*?</table>', body, re.S))
    assert subjects(first) != subjects(second)


def test_funding_document_page(server):
    html = get(server, f"/page/document/{quote('石财外')}/2023/43").text
    assert "受款部门与项目" in html and "引用位置" in html and "<svg class=\"flow\"" in html
    assert "500.63 万元" in html  # 62.87 + 437.76, the two citing projects (corpus 000_…)
    for section in ("by-department", "by-region", "by-year", "citations"):
        assert f'id="{section}"' in html
    assert "指标值确定依据" in html or "项目名称 (project name)" in html
    assert '/page/source/' in html  # each citation links to its source document's page


def test_canned_forms_prefilled_with_pickers(server):
    html = get(server, "/queries", headers={"Accept": "text/html"}).text
    assert '<datalist id="known-department">' in html and '<datalist id="known-doc">' in html
    assert re.search(r'name="doc" required size="20" value="[^"]+号"', html)
    assert re.search(r'<select id="department-projects-year" name="year"><option[^>]*>2024', html)


def test_result_table_headings_totals_and_did_you_mean(server):
    r = get(server, f"/queries/funding-recipients?doc={quote('石财外[2023]43号')}&format=html")
    assert "金额" in r.text and "amount (万元)" in r.text and "合计" in r.text and "500.63" in r.text
    assert 'format=csv' in r.text and 'format=json' in r.text
    assert "/page/document/" in r.text
    miss = get(server, f"/queries/department-projects?department={quote('投资服务局')}&year=2024&format=html").text
    assert "did you mean" in miss and DEPARTMENT in miss


def _crawl_paths(server) -> list[str]:
    paths = ["/", "/departments", "/documents", "/years", "/regions", "/queries", "/search?q=" + quote("投资")]
    for name in ("departments", "documents", "regions"):
        for row in get(server, f"/{name}.json?_size=max").json()["rows"]:
            for v in row.values():
                if isinstance(v, dict) and v.get("page", "").startswith("/page/"):
                    paths.append(v["page"])
    dept = get(server, f"/page/department/{quote(DEPARTMENT)}?_table=projects&_format=json").json()
    paths += [r["projectName"]["page"] for r in dept["rows"]]
    return sorted(set(paths))


def test_every_page_small_and_fast(server):
    paths = _crawl_paths(server)
    assert len(paths) >= 40
    report, slow, big = [], [], []
    for p in paths:
        get(server, p)  # warm the worker
        t0 = time.perf_counter()
        r = get(server, p, headers={"Accept": "text/html"})
        dt = time.perf_counter() - t0
        report.append((dt, len(r.content), p))
        if dt > 1.0:
            slow.append((p, dt))
        if len(r.content) > 2_000_000:
            big.append((p, len(r.content)))
    report.sort(reverse=True)
    (OUTPUT / "web-bench.txt").write_text("".join(f"{dt:.3f}s {n:>9} B {p}\n" for dt, n, p in report), encoding="utf-8")
    assert slow == [] and big == [], (slow, big)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """The same department in two budget years: corpus 000_… (2024) and a copy of it with
    every 2024 read as 2025 (a variant, so the figures of both years are known)."""
    folder = tmp_path_factory.mktemp("two-years")
    source = sorted((ROOT / "corpus").glob("000_*.txt"))[0].read_text(encoding="utf-8")
    (folder / "a.txt").write_text(source, encoding="utf-8")
    (folder / "b.txt").write_text(source.replace("2024", "2025"), encoding="utf-8")
    store = tmp_path_factory.mktemp("store2") / "oxi"
    load = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(folder), "--store", str(store),
                           "--workers", "2", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert load.returncode == 0, load.stderr
    srv = Server("--store", str(store), "--workers", "1")
    yield srv
    srv.stop()


def test_year_over_year_where_several_years_are_loaded(two_years):
    path = f"/page/department/{quote(DEPARTMENT)}"
    html = get(two_years, path).text
    assert "逐年比较" in html and '<strong aria-current="page">2025</strong>' in html  # the latest year first
    years = get(two_years, path + "?_table=years&_format=json").json()
    assert [r["year"] for r in years["rows"]] == ["2024", "2025"]
    assert all(r["expenditure"] == "14991.6" for r in years["rows"])
    older = get(two_years, path + "?year=2024").text
    assert '<strong aria-current="page">2024</strong>' in older and "projects (2024)" in older
    projects = get(two_years, path + "?year=2024&_table=projects&_format=json").json()
    assert projects["total_rows"] == 14 and all(r["projectName"]["iri"].endswith("/2024") for r in projects["rows"])
