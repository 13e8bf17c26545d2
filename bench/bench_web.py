"""HTML page size and server time (issue 13: every page <= 2 MB and <= 1 s, p99).

    .venv/bin/python -m bench.bench_web --store DIR [--pages 300] [--repeat 3]

Serves the store with `budgetlod serve` on 127.0.0.1, crawls the pages a reader reaches:
home, the index pages (first page, a sorted page, the last page), and from the indexes a
sample of department, funding-document and region pages, the canned-query list and one
canned-query result page per query (with its example). Each page is fetched once to warm
up and then ``--repeat`` times; prints p50/p99/max time and max size per kind, and every
page over a limit. Exit 1 when a page is over 2 MB or its p99 over 1 s."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_BYTES, MAX_SECONDS = 2_000_000, 1.0


def crawl(url: str, limit: int) -> list[tuple[str, str]]:
    out = [("home", "/"), ("queries", "/queries")]
    for name in ("departments", "documents", "years", "regions"):
        first = httpx.get(f"{url}/{name}.json", timeout=60).json()
        pages = max(1, -(-first["total_rows"] // first["size"]))
        out += [("index", f"/{name}"), ("index", f"/{name}?_sort={first['columns'][-1]['name']}&_desc=1"),
                ("index", f"/{name}?_page={pages}")]
        rows = httpx.get(f"{url}/{name}.json?_size=max", timeout=60).json()["rows"]
        step = max(1, len(rows) // max(1, limit // 3))
        for row in rows[::step]:
            for key, v in row.items():
                if isinstance(v, dict) and str(v.get("page", "")).startswith("/page/"):
                    kind = {"department": "department", "number": "document", "region": "region"}.get(key, "other")
                    out.append((kind, v["page"]))
    html = httpx.get(f"{url}/queries", headers={"Accept": "text/html"}, timeout=60).text
    import re

    for name in sorted(set(re.findall(r'action="/queries/([a-z0-9-]+)"', html))):
        form = html.split(f'action="/queries/{name}"', 1)[1].split("</form>", 1)[0]
        params = dict(re.findall(r'name="([a-z]+)" required[^>]*value="([^"]*)"', form))
        sel = re.search(r'<option selected>(\d+)', form)
        if sel:
            params["year"] = sel.group(1)
        out.append(("canned", f"/queries/{name}?" + "&".join(f"{k}={httpx.QueryParams({k: v})[k]}" for k, v in params.items())
                    + "&format=html"))
    seen, unique = set(), []
    for kind, path in out:
        if path not in seen:
            seen.add(path)
            unique.append((kind, path))
    return unique


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--pages", type=int, default=300, help="entity pages sampled from the indexes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", default="2")
    args = ap.parse_args(argv)
    from tests.endpoint_support import OUTPUT, Server

    OUTPUT.mkdir(parents=True, exist_ok=True)
    server = Server("--store", args.store, "--workers", args.workers)
    try:
        time.sleep(2)
        paths = crawl(server.url, args.pages)
        times: dict[str, list[float]] = defaultdict(list)
        sizes: dict[str, int] = defaultdict(int)
        over = []
        for kind, path in paths:
            httpx.get(server.url + path, headers={"Accept": "text/html"}, timeout=120)
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r = httpx.get(server.url + path, headers={"Accept": "text/html"}, timeout=120)
                dt = time.perf_counter() - t0
                times[kind].append(dt)
                sizes[kind] = max(sizes[kind], len(r.content))
                if r.status_code != 200 or dt > MAX_SECONDS or len(r.content) > MAX_BYTES:
                    over.append((kind, path, r.status_code, round(dt, 3), len(r.content)))
        print(f"{len(paths)} pages × {args.repeat}")
        print("| kind | pages | p50 s | p99 s | max s | max bytes |\n|---|---:|---:|---:|---:|---:|")
        worst = 0.0
        for kind in sorted(times):
            ts = sorted(times[kind])
            p99 = ts[min(len(ts) - 1, int(round(0.99 * (len(ts) - 1))))]
            worst = max(worst, p99)
            print(f"| {kind} | {len(ts) // args.repeat} | {statistics.median(ts):.3f} | {p99:.3f} | {ts[-1]:.3f} | {sizes[kind]:,} |")
        for o in over:
            print("over:", *o)
        return 1 if worst > MAX_SECONDS or any(o[4] > MAX_BYTES for o in over) else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
