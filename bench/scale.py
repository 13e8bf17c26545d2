"""Scale benchmark (issue 7): the whole pipeline at N synthetic documents, one table.

    make bench                      # N = 100, 1,000, 10,000
    make bench SIZES="100 1000"     # a quicker run
    .venv/bin/python -m bench.scale --sizes 100 1000 [--workers 2] [--pdf-docs 20] [--requests 200]
    .venv/bin/python -m bench.scale --report build/bench/results.json   # re-print a run's table

Per N: a synthetic text corpus (`python -m bench.synth`, cached under
build/bench/corpus-N-seedS, reused when its completion marker is there); `budgetlod load`
into a fresh store as a subprocess while the memory of its process tree is sampled; the
store's disk usage; the same quads bulk-loaded and dumped by pyoxigraph alone beside our
load and `dump` (bench/bare.py); funding-recipients latency through `budgetlod serve` beside the same
bound query on pyoxigraph; every canned query over HTTP beside bare pyoxigraph (and beside
Virtuoso with --virtuoso; bench/scale_queries.py); the PDF path on a fixed PDF sample beside pdfplumber's bare pass.
Prints one Markdown table (stdout), its legend and the least-squares slope of wall seconds
vs N; writes every raw figure and the machine description to build/bench/results.json.
Progress goes to stderr. Never run from pytest (it takes hours at N = 10,000)."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from converter.store.embedded import query as union_query  # noqa: E402
from bench import scale_proc as sp  # noqa: E402
from bench.scale_report import (failure_notes, legend, linear_fit, linearity_verdict,  # noqa: E402
                                markdown_table, percentile, queries_table)

PY = sys.executable
MARKER = ".complete.json"  # written last into a finished corpus / PDF sample folder
QUERY = "funding-recipients"


class StepFailed(Exception):
    pass


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " / ".join(line.strip() for line in text[-lines:])


# --- machine ------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {d: version(d) for d in ("pyoxigraph", "pdfplumber", "pdfminer.six", "pyshacl", "rdflib",
                                              "uvicorn", "fastapi", "reportlab")},
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu_model"] = m.group(1).strip() if m else None
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        info["mem_total_bytes"] = int(m.group(1)) * 1024 if m else None
    except OSError:
        pass
    try:  # read-only git query
        info["git_head"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                          text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["git_head"] = None
    return info


def load_help() -> str:
    out = subprocess.run([PY, "-m", "converter.cli", "load", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    return out.stdout + out.stderr


# --- corpus -------------------------------------------------------------------------------

def funding_documents(corpus: Path, top: int = 5) -> list[dict[str, Any]]:
    """Document numbers cited by projects, by number of distinct citing departments
    (from the truth files), most cited first."""
    depts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    projects: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for path in sorted(corpus.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        dept = (str(truth.get("regionCode")), str(truth.get("departmentCode")))
        for ref in truth.get("docRefs") or []:
            if ref.get("projectCode") and ref.get("canonical"):
                depts[ref["canonical"]].add(dept)
                projects[ref["canonical"]].add((*dept, ref["projectCode"]))
    ranked = sorted(depts, key=lambda d: (-len(depts[d]), -len(projects[d]), d))[:top]
    return [{"doc": d, "departments": len(depts[d]), "projects": len(projects[d])} for d in ranked]


def ensure_corpus(out: Path, n: int, seed: int, workers: int) -> tuple[Path, dict[str, Any]]:
    d = out / f"corpus-{n}-seed{seed}"
    marker = d / MARKER
    if marker.exists():
        try:
            meta = json.loads(marker.read_text(encoding="utf-8"))
            if meta.get("n") == n and meta.get("seed") == seed and len(list(d.glob("*.txt"))) == n:
                log(f"N={n}: reusing corpus {d}")
                return d, {**meta, "reused": True}
        except (OSError, ValueError):
            pass
    if d.exists():
        shutil.rmtree(d)
    log(f"N={n}: generating corpus {d} ({workers} workers)")
    gen_log = out / f"synth-{n}.log"
    with open(gen_log, "wb") as fh:
        t0 = time.perf_counter()
        proc = sp.start([PY, "-m", "bench.synth", "--seed", str(seed), "--n", str(n), "--out", str(d),
                         "--workers", str(workers)], fh, cwd=ROOT)
        try:
            rc = proc.wait()
        finally:
            sp.stop(proc)
        secs = time.perf_counter() - t0
    found = len(list(d.glob("*.txt"))) if d.exists() else 0
    if rc != 0 or found != n:
        raise StepFailed(f"bench.synth exit {rc}, {found}/{n} documents: {tail(gen_log, 3)}")
    meta = {"n": n, "seed": seed, "generate_seconds": secs, "generate_workers": workers,
            "bytes": sp.disk_usage(d)[1], "funding": funding_documents(d),
            "written": dt.datetime.now().isoformat(timespec="seconds")}
    marker.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return d, {**meta, "reused": False}


def ensure_pdf_sample(out: Path, corpus: Path, n: int, seed: int, k: int) -> tuple[Path, list[Path], dict]:
    """The first ``k`` documents of the corpus rendered as PDF (cached, like the corpus)."""
    d = out / f"pdf-sample-{n}-seed{seed}-{k}"
    marker = d / MARKER
    texts = sorted(corpus.glob("*.txt"))[:k]
    if marker.exists():
        pdfs = sorted(d.glob("*.pdf"))
        if len(pdfs) == len(texts):
            return d, pdfs, {**json.loads(marker.read_text(encoding="utf-8")), "reused": True}
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    from bench.synth.pdf import render_pdf

    t0 = time.perf_counter()
    pdfs = [render_pdf(t, d / (t.stem + ".pdf")) for t in texts]
    meta = {"documents": len(pdfs), "render_seconds": time.perf_counter() - t0}
    marker.write_text(json.dumps(meta), encoding="utf-8")
    return d, pdfs, {**meta, "reused": False}


# --- load ---------------------------------------------------------------------------------

SUMMARY = re.compile(r"(\d+) loaded \(.*?\), (\d+) failed, (\d+) triples in ([\d.]+) s")
STATS_KEYS = ("documents", "loaded", "failed", "triples", "pages", "wall_seconds", "convert_seconds",
              "validate_seconds", "store_seconds")


def run_load(out: Path, corpus: Path, n: int, workers: int, help_text: str, timeout: float | None,
             heartbeat_every: float) -> dict[str, Any]:
    store = out / f"store-{n}"
    stats_path = out / f"stats-{n}.json"
    log_path = out / f"load-{n}.log"
    for p in (store, stats_path):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    cmd = [PY, "-m", "converter.cli", "load", str(corpus), "--store", str(store)]
    cmd += ["--workers" if "--workers" in help_text else "--jobs", str(workers)]
    if "--no-progress" in help_text:
        cmd.append("--no-progress")
    has_stats = "--stats" in help_text
    if has_stats:
        cmd += ["--stats", str(stats_path)]

    def beat(elapsed: float, s: sp.TreeSampler) -> None:
        log(f"N={n}: load running {elapsed:,.0f} s, tree RSS {s.last_rss / 2**20:,.0f} MiB "
            f"(peak {s.peak_rss / 2**20:,.0f} MiB)")

    log(f"N={n}: {' '.join(cmd[2:])}")
    la = sp.loadavg()
    res = sp.run_monitored(cmd, log_path, timeout=timeout, cwd=ROOT, heartbeat=beat,
                           heartbeat_every=heartbeat_every)
    out_: dict[str, Any] = {
        "command": cmd[2:], "log": str(log_path.relative_to(ROOT) if log_path.is_relative_to(ROOT) else log_path),
        "returncode": res.returncode, "wall_seconds_process": res.wall_seconds,
        "peak_rss_tree_bytes": res.peak_rss_tree_bytes, "peak_pss_tree_bytes": res.peak_pss_tree_bytes,
        "peak_processes": res.peak_processes, "peak_leader_rss_bytes": res.peak_leader_rss_bytes,
        "peak_at_seconds": res.peak_at_seconds, "memory_samples": res.samples, "cpu_user_seconds": res.cpu_user_seconds,
        "cpu_system_seconds": res.cpu_system_seconds, "loadavg_before": la, "loadavg_after": sp.loadavg(),
        "stats_source": None,
    }
    if res.timed_out:
        raise StepFailedWith(out_, f"timed out after {timeout:g} s (killed)")
    if has_stats and stats_path.exists():
        try:
            stats = json.loads(stats_path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise StepFailedWith(out_, f"unreadable {stats_path.name}: {err}") from None
        out_.update({k: stats.get(k) for k in STATS_KEYS})
        out_["stats"] = stats
        out_["stats_source"] = "--stats"
    else:
        m = None
        for m in SUMMARY.finditer(log_path.read_text(encoding="utf-8", errors="replace")):
            pass
        if m:
            loaded, failed = int(m.group(1)), int(m.group(2))
            out_.update({"documents": loaded + failed, "loaded": loaded, "failed": failed,
                         "triples": int(m.group(3)), "wall_seconds": float(m.group(4)),
                         "convert_seconds": None, "validate_seconds": None, "store_seconds": None,
                         "pages": None})
            out_["stats_source"] = "summary line (CLI without --stats)"
    if out_["stats_source"] is None:
        raise StepFailedWith(out_, f"exit {res.returncode}, no statistics: {tail(log_path)}")
    if res.returncode not in (0, 1) or (res.returncode == 1 and not out_.get("failed")):
        raise StepFailedWith(out_, f"exit {res.returncode}: {tail(log_path)}")
    blocks, apparent = sp.disk_usage(store)
    out_["store"] = str(store)
    out_["store_bytes"] = blocks
    out_["store_apparent_bytes"] = apparent
    if out_.get("triples"):
        out_["store_bytes_per_triple"] = blocks / out_["triples"]
    return out_


class StepFailedWith(StepFailed):
    """A failure that still carries the figures measured so far."""

    def __init__(self, partial: dict[str, Any], reason: str) -> None:
        super().__init__(reason)
        self.partial = partial


# --- funding-recipients latency -----------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(out: Path, store: Path, n: int, workers: int):
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = out / f"serve-{n}.log"
    fh = open(log_path, "wb")
    proc = sp.start([PY, "-m", "converter.cli", "serve", "--store", str(store), "--host", "127.0.0.1",
                     "--port", str(port), "--workers", str(workers)], fh, cwd=ROOT)
    fh.close()  # the child holds its own descriptor
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sp.stop(proc)
            raise StepFailed(f"server exited with {proc.returncode}: {tail(log_path)}")
        try:
            if httpx.get(url + "/sparql", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sp.stop(proc)
    raise StepFailed(f"server did not answer in 90 s: {tail(log_path)}")


TOP_FUNDING = """\
PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id (COUNT(DISTINCT ?dept) AS ?n) WHERE {
  GRAPH ?g { ?doc eli:id_local ?id . ?p dcterms:references ?doc ; bl:department ?dept }
} GROUP BY ?id ORDER BY DESC(?n) LIMIT 1"""


def measure_latency(out: Path, store: Path, n: int, candidates: list[dict], workers: int, requests: int,
                    budget: float) -> dict[str, Any]:
    import httpx
    import pyoxigraph as ox

    from endpoint.canned import bind, load_canned

    canned = load_canned()[QUERY]
    res: dict[str, Any] = {"query": QUERY}
    ro = ox.Store.read_only(str(store))
    try:
        doc, rows, source = None, 0, "truth files"
        for c in candidates:
            q = bind(canned, {"doc": c["doc"]})
            rows = sum(1 for _ in union_query(ro, q))
            if rows:
                doc = c["doc"]
                res["truth_departments"], res["truth_projects"] = c["departments"], c["projects"]
                break
        if doc is None:  # the truth files' favourite is not in the store: ask the store
            source = "store (truth candidates returned no rows)"
            top = list(union_query(ro, TOP_FUNDING))
            if not top:
                raise StepFailed("no project references a funding document in the store")
            doc = top[0]["id"].value
            rows = sum(1 for _ in union_query(ro, bind(canned, {"doc": doc})))
        res.update({"doc": doc, "rows": rows, "doc_source": source})
        query = bind(canned, {"doc": doc})

        def direct() -> float:
            t0 = time.perf_counter()
            count = sum(1 for _ in union_query(ro, query))
            t = time.perf_counter() - t0
            if count != rows:
                raise StepFailed(f"pyoxigraph returned {count} rows, expected {rows}")
            return t

        proc, url = start_server(out, store, n, workers)
        try:
            endpoint = f"{url}/queries/{QUERY}"
            with httpx.Client(timeout=60, headers={"Accept": "application/sparql-results+json"}) as client:
                def http() -> float:
                    t0 = time.perf_counter()
                    r = client.get(endpoint, params={"doc": doc})
                    t = time.perf_counter() - t0
                    if r.status_code != 200:
                        raise StepFailed(f"HTTP {r.status_code}: {r.text[:200]}")
                    return t

                first = client.get(endpoint, params={"doc": doc})
                try:
                    http_rows = len(first.json()["results"]["bindings"])
                except (ValueError, KeyError, TypeError):
                    http_rows = None
                res["http_rows"] = http_rows
                if http_rows is not None and http_rows != rows:
                    res["note"] = f"HTTP returned {http_rows} rows, pyoxigraph {rows}"
                for _ in range(5):
                    direct()
                    http()
                d_times: list[float] = []
                h_times: list[float] = []
                t_start = time.perf_counter()
                for i in range(requests):
                    if time.perf_counter() - t_start > budget:
                        res["stopped_by_time_budget"] = True
                        break
                    if i % 2:  # alternate which side goes first
                        h_times.append(http())
                        d_times.append(direct())
                    else:
                        d_times.append(direct())
                        h_times.append(http())
        finally:
            sp.stop(proc)
    finally:
        del ro
    for name, times in (("http", h_times), ("direct", d_times)):
        res[name] = {"requests": len(times), "p50": percentile(times, 50), "p99": percentile(times, 99),
                     "mean": sum(times) / len(times), "max": max(times)}
    res["budget_seconds"] = budget
    return res


# --- every canned query ---------------------------------------------------------------------

def measure_queries(out: Path, store: Path, n: int, workers: int, runs: int, budget: float,
                    virtuoso: bool) -> dict[str, Any]:
    """Every canned query (bench/scale_queries.py) over HTTP, on bare pyoxigraph and, with
    --virtuoso, on a Virtuoso bulk-loaded with the store's graphs; same bound query text."""
    import httpx
    import pyoxigraph as ox

    from bench import scale_queries as sq
    from endpoint.canned import load_canned

    canned = load_canned()
    res: dict[str, Any] = {}
    v = None
    ro = ox.Store.read_only(str(store))
    try:
        bindings = sq.pick_bindings(ro)
        sides = {"bare": sq.bare_side(ro, canned)}
        if virtuoso:
            try:
                log(f"N={n}: loading Virtuoso")
                v, res["virtuoso_load_seconds"] = sq.virtuoso_load(str(store), out / f"virtuoso-{n}")
            except (RuntimeError, OSError, subprocess.SubprocessError) as err:
                res["virtuoso_error"] = str(err)
        proc, url = start_server(out, store, n, workers)
        try:
            with httpx.Client(timeout=120) as client:
                sides["http"] = sq.http_side(client, url)
                if v is not None:
                    sides["virtuoso"] = sq.sparql_side(client, v.sparql, canned)
                res["queries"] = sq.time_queries(bindings, sides, runs, budget)
        finally:
            sp.stop(proc)
    finally:
        del ro
        if v is not None:
            v.stop()
    return res


# --- PDF path ------------------------------------------------------------------------------

def measure_baselines(out: Path, store: Path, n: int) -> dict[str, Any]:
    """The load and the dump beside pyoxigraph alone on the same quads (bench/bare.py):
    throughput ratios and the store size ratio of issue 14."""
    from bench.bare import bare_baselines, our_dump

    work = out / f"bare-{n}"
    try:
        bare = bare_baselines(store, work)
        ours = our_dump(store, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"bare": bare, "ours": ours,
            "dump_rate_ratio": (ours["quads"] / ours["all_nq_seconds"]) / (bare["quads"] / bare["dump_seconds"])}


def measure_pdf(pdfs: list[Path]) -> dict[str, Any]:
    from bench.bench_pdf import floor_pass
    from converter.errors import InputError
    from converter.readers.pdf import read_pdf

    pages = 0
    t_ours = t_floor = 0.0
    skipped: list[str] = []
    for path in pdfs[:1]:  # warm imports and caches on both sides
        data = path.read_bytes()
        try:
            read_pdf(path, data, max_pages=1)
        except InputError:
            pass
        floor_pass(data, 1)
    for i, path in enumerate(pdfs):
        data = path.read_bytes()

        def ours() -> int:
            return read_pdf(path, data).pages or 0

        def floor() -> int:
            return floor_pass(data, None)

        secs: dict[str, float] = {}
        got: dict[str, int] = {}
        try:
            for fn in ((ours, floor) if i % 2 == 0 else (floor, ours)):  # alternate who goes first
                t0 = time.perf_counter()
                got[fn.__name__] = fn()
                secs[fn.__name__] = time.perf_counter() - t0
        except InputError as err:  # not counted on either side
            skipped.append(f"{path.name}: {err}")
            continue
        t_ours += secs["ours"]
        t_floor += secs["floor"]
        pages += got["ours"]
    if not pages:
        raise StepFailed(f"no readable PDF page in the sample ({'; '.join(skipped)[:200]})")
    return {"documents": len(pdfs) - len(skipped), "pages": pages, "ours_seconds": t_ours,
            "floor_seconds": t_floor, "skipped": skipped, "overhead": t_ours / t_floor}


# --- main ----------------------------------------------------------------------------------

def _on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # like Ctrl-C: stop the children, report what was measured


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], metavar="N")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="load and serve worker processes (default 2)")
    ap.add_argument("--gen-workers", type=int, default=os.cpu_count() or 1, help="corpus generation processes")
    ap.add_argument("--pdf-docs", type=int, default=20, help="documents in each row's PDF sample (default 20)")
    ap.add_argument("--requests", type=int, default=200, help="latency requests per side (default 200)")
    ap.add_argument("--latency-budget", type=float, default=180.0,
                    help="seconds for the timed latency requests of one N, both sides (default 180)")
    ap.add_argument("--load-timeout", type=float, default=0, help="kill a load after this many seconds (0: none)")
    ap.add_argument("--heartbeat", type=float, default=60.0, help="seconds between load progress lines")
    ap.add_argument("--query-runs", type=int, default=50, help="runs of each canned query per side (default 50)")
    ap.add_argument("--query-budget", type=float, default=30.0,
                    help="seconds for the timed runs of one canned query, all sides (default 30)")
    ap.add_argument("--virtuoso", action=argparse.BooleanOptionalAction, default=True,
                    help="also time the canned queries on Virtuoso bulk-loaded with the same graphs (default: "
                         "on, where scripts/virtuoso.py can install and start it)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["pdf", "latency", "queries", "baselines"],
                    help="leave out these steps")
    ap.add_argument("--heavy-upto", type=int, default=0, metavar="N",
                    help="the bare baselines, Virtuoso and the PDF sample only at sizes up to N (0: at every size)")
    ap.add_argument("--keep-stores", action="store_true", help="keep build/bench/store-N after measuring")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--report", type=Path, metavar="RESULTS_JSON",
                    help="only print the table of an earlier run's results.json")
    args = ap.parse_args(argv)
    if args.report:
        return report(json.loads(args.report.read_text(encoding="utf-8")), args.report.resolve())

    signal.signal(signal.SIGTERM, _on_sigterm)
    atexit.register(sp.stop_all)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(args.sizes))
    info = machine()
    help_text = load_help()
    cli = {"stats": "--stats" in help_text, "workers": "--workers" in help_text,
           "no_progress": "--no-progress" in help_text}
    la = sp.loadavg()
    log(f"sizes {sizes}, {args.workers} workers, {info['cpu_count']} CPUs, load average {la[0]:.2f}; "
        f"CLI: {', '.join(k for k, v in cli.items() if v) or 'no --stats/--workers/--no-progress yet'}")
    results: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"), "machine": info, "cli": cli,
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "loadavg_start": la, "rows": [],
    }
    results_path = out / "results.json"

    def save() -> None:
        results_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    try:
        for n in sizes:
            row: dict[str, Any] = {"n": n, "errors": {}}
            results["rows"].append(row)
            try:
                corpus, meta = ensure_corpus(out, n, args.seed, args.gen_workers)
                row["corpus"] = {"path": str(corpus), **meta}
            except StepFailed as err:
                row["errors"]["corpus"] = str(err)
                save()
                continue
            heavy = not args.heavy_upto or n <= args.heavy_upto
            pdfs: list[Path] = []
            if "pdf" not in args.skip and heavy:
                try:
                    _, pdfs, pmeta = ensure_pdf_sample(out, corpus, n, args.seed, args.pdf_docs)
                    row["pdf_sample"] = pmeta
                except Exception as err:
                    row["errors"]["pdf"] = f"rendering the sample: {type(err).__name__}: {err}"
            try:
                row["load"] = run_load(out, corpus, n, args.workers, help_text,
                                       args.load_timeout or None, args.heartbeat)
                ld = row["load"]
                log(f"N={n}: loaded {ld.get('loaded')} ({ld.get('failed')} failed), {ld.get('triples')} triples "
                    f"in {ld['wall_seconds_process']:.1f} s, peak {ld['peak_rss_tree_bytes'] / 2**20:,.0f} MiB")
            except StepFailed as err:
                row["errors"]["load"] = str(err)
                row["load"] = getattr(err, "partial", None)
            save()
            store = out / f"store-{n}"
            if "latency" not in args.skip and "load" not in row["errors"]:
                log(f"N={n}: funding-recipients latency ({args.requests} requests per side)")
                try:
                    row["latency"] = measure_latency(out, store, n, row["corpus"].get("funding") or [],
                                                     args.workers, args.requests, args.latency_budget)
                except Exception as err:
                    row["errors"]["latency"] = f"{type(err).__name__}: {err}"
                save()
            if "queries" not in args.skip and "load" not in row["errors"]:
                log(f"N={n}: every canned query ({args.query_runs} runs per side)")
                try:
                    row["queries"] = measure_queries(out, store, n, args.workers, args.query_runs,
                                                     args.query_budget, args.virtuoso and heavy)
                except Exception as err:
                    row["errors"]["queries"] = f"{type(err).__name__}: {err}"
                save()
            if "baselines" not in args.skip and heavy and "load" not in row["errors"]:
                log(f"N={n}: bare pyoxigraph bulk load and dump of the same quads; our dump")
                try:
                    row["baselines"] = measure_baselines(out, store, n)
                except Exception as err:
                    row["errors"]["baselines"] = f"{type(err).__name__}: {err}"
                save()
            if "pdf" not in args.skip and heavy and "pdf" not in row["errors"]:
                log(f"N={n}: PDF path on {len(pdfs)} documents (ours vs pdfplumber bare pass)")
                try:
                    row["pdf"] = measure_pdf(pdfs)
                except Exception as err:
                    row["errors"]["pdf"] = f"{type(err).__name__}: {err}"
                save()
            if not args.keep_stores and store.exists():
                shutil.rmtree(store, ignore_errors=True)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        sp.stop_all()
        log("interrupted; reporting what was measured")
        results["interrupted"] = True
        if results["rows"]:
            last = results["rows"][-1]
            step = next((s for s in ("load", "latency", "pdf") if s not in last and s not in last["errors"]),
                        None)
            if step:
                last["errors"][step] = "interrupted"
    finally:
        sp.stop_all()
        results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        results["loadavg_end"] = sp.loadavg()
        save()

    rc = report(results, results_path)
    save()  # with the fit
    return rc


def report(results: dict[str, Any], results_path: Path) -> int:
    """Print the table, the fit, notes and legend of ``results`` (stdout); 1 if a step failed."""
    rows = results["rows"]
    st = results["settings"]
    info = results["machine"]
    fit_line = fit_of(rows, results)
    print()
    print(f"budget-lod scale benchmark — {info['cpu_count']} CPUs ({info.get('cpu_model') or '?'}), "
          f"{(info.get('mem_total_bytes') or 0) / 2**30:.0f} GiB, Python {info['python']}, "
          f"pyoxigraph {info['versions']['pyoxigraph']}, pdfplumber {info['versions']['pdfplumber']}; "
          f"load/serve with {st['workers']} workers; seed {st['seed']}")
    print()
    print(markdown_table(rows))
    print()
    print(fit_line)
    notes = failure_notes(rows)
    for r in rows:
        ld = r.get("load") or {}
        if ld.get("stats_source", "--stats") != "--stats":
            notes.append(f"- N={r['n']:,}: figures from the {ld['stats_source']}; convert/validate/store "
                         f"seconds unavailable")
        if (r.get("latency") or {}).get("note"):
            notes.append(f"- N={r['n']:,}: {r['latency']['note']}")
        if (r.get("latency") or {}).get("stopped_by_time_budget"):
            notes.append(f"- N={r['n']:,}: latency stopped by the time budget after "
                         f"{r['latency']['http']['requests']} requests per side")
    for r in rows:
        ld = r.get("load") or {}
        if ld.get("cpu_user_seconds") is not None and ld.get("wall_seconds_process"):
            cpu = ld["cpu_user_seconds"] + (ld.get("cpu_system_seconds") or 0)
            cores = info.get("cpu_affinity") or info.get("cpu_count") or 1
            la = (ld.get("loadavg_before") or [None])[0]
            notes.append(f"- N={r['n']:,}: the load used {cpu:,.0f} CPU-s in {ld['wall_seconds_process']:,.0f} s "
                         f"wall ({cpu / ld['wall_seconds_process']:.2f} of {cores} cores); peak memory "
                         f"{ld['peak_rss_tree_bytes'] / 2**20:,.0f} MiB at {ld.get('peak_at_seconds', 0):,.0f} s "
                         f"(main process alone {ld.get('peak_leader_rss_bytes', 0) / 2**20:,.0f} MiB)"
                         + (f"; 1-min load average {la:.2f} before it" if la is not None else ""))
    busy = [r["n"] for r in rows if ((r.get("load") or {}).get("loadavg_before") or [0])[0] > 0.5]
    if busy:
        notes.append(f"- machine not idle before the load at N = {', '.join(f'{n:,}' for n in busy)} "
                     f"(1-min load average > 0.5; see results.json): figures may be pessimistic")
    if notes:
        print()
        print("Notes:")
        print("\n".join(notes))
    print()
    funding = [f"N={r['n']:,}: {r['latency']['doc']} ({r['latency']['rows']} rows)"
               for r in rows if r.get("latency")]
    if funding:
        print("funding-recipients bound to: " + "; ".join(funding))
        print()
    if any(r.get("queries") for r in rows):
        print("Every canned query (bench/scale_queries.py: a department by its shortest name form and the year "
              "of its largest budget, the most cited funding document; the first page of "
              "funding-recipients, department-projects and budget-lines; one client, sequential):")
        print()
        print(queries_table(rows))
        for r in rows:
            q = r.get("queries") or {}
            if q.get("virtuoso_error"):
                print(f"- N={r['n']:,}: Virtuoso not measured: {q['virtuoso_error']}")
            elif q.get("virtuoso_load_seconds") is not None:
                print(f"- N={r['n']:,}: Virtuoso bulk load (ld_dir + rdf_loader_run) {q['virtuoso_load_seconds']:,.1f} s")
        print()
    base_rows = [r for r in rows if r.get("baselines") and r.get("load")]
    if base_rows:
        print("Beside pyoxigraph alone on the same quads (bench/bare.py; issue 14 asks load >= 0.4x, "
              "store <= 1.1x, all.nq.gz >= 0.8x):")
        print()
        print("| N | load wall s | bare bulk_load s | load throughput / bare | store / bare store | "
              "all.nq.gz s | bare gzip dump s | dump rate / bare | all.nt.gz s | whole release s |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in base_rows:
            b, o, ld = r["baselines"]["bare"], r["baselines"]["ours"], r["load"]
            wall = ld["wall_seconds_process"]
            print(f"| {r['n']:,} | {wall:,.1f} | {b['bulk_load_seconds']:,.1f} | {b['bulk_load_seconds'] / wall:.2f}x | "
                  f"{ld['store_bytes'] / b['bulk_store_bytes']:.2f}x | {o['all_nq_seconds']:,.1f} | "
                  f"{b['dump_seconds']:,.1f} | {r['baselines']['dump_rate_ratio']:.2f}x | "
                  f"{o['all_nt_seconds']:,.1f} | {o['release_seconds']:,.1f} |")
        print()
    print(legend(st['workers'], st['pdf_docs'], st['requests']))
    print()
    print(f"raw figures: {results_path.relative_to(ROOT) if results_path.is_relative_to(ROOT) else results_path}")
    return 1 if any(r["errors"] for r in rows) or results.get("interrupted") else 0


def fit_of(rows: list[dict[str, Any]], results: dict[str, Any]) -> str:
    pts = [(r["n"], r["load"]["wall_seconds_process"]) for r in rows
           if "load" not in r["errors"] and (r.get("load") or {}).get("wall_seconds_process")]
    if len(pts) < 2:
        results["fit"] = None
        return ("Linear fit: needs at least two sizes that loaded "
                f"({len(pts)} here), e.g. `make bench SIZES=\"100 1000\"`.")
    fit = linear_fit([p[0] for p in pts], [p[1] for p in pts])
    results["fit"] = {"x": "documents", "y": "load wall seconds (process)", "points": pts,
                      "seconds_per_1000_documents": fit.per_1000, "intercept_seconds": fit.intercept,
                      "r2": fit.r2, "per_document_cost_ratio_largest_vs_smallest": fit.cost_ratio}
    return "Least-squares fit of load wall seconds vs N: " + linearity_verdict(fit)


if __name__ == "__main__":
    sys.exit(main())
