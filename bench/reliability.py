"""Reliability in one run (issue 15): load held, faults survived, bad inputs tried,
nothing lost; prints one markdown table (and --json FILE keeps every figure).

    PYTHONPATH=. .venv/bin/python -m bench.reliability [--docs 24] [--requests 25] [--quick]

1. A seeded synthetic corpus (bench.synth) is loaded cleanly: the reference quads.
2. Load: `budgetlod serve` on that store (127.0.0.1, a free port), 16 and 64 concurrent
   clients each sending a fixed number of requests from a realistic mix (every canned
   query with the parameters users send, linked-data and index pages, search, small
   SPARQL), without and with 8 hostile cartesian-product /sparql queries running the
   whole time; plus one client asking canned queries one after another while the 8 run
   (the issue's starvation target: p99 <= 1 s). Requests/s, p50/p99 and errors (anything
   but 200, or no answer) of the mix; the hostile queries' own answers are counted apart.
3. Faults (bench/reliability_faults.py): kill -9 during convert and during a bulk flush,
   a real full filesystem, two loads at once; each ends with "nothing lost" checked: the
   store after recovery + re-load equals the clean load's quads.
4. Bad inputs: the corpus plus ~20 bad files in one load: a per-file error each, the batch
   goes on, the store equals the clean one.

Bounded: a fixed number of requests per client, a deadline per scenario (--seconds), the
server's query time limit (--timeout), timeouts on every child process."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import httpx

from converter.store.embedded import query as union_query  # noqa: E402
from bench import reliability_faults as rf
from bench.scale_queries import pick_bindings, request_params
from bench.scale_report import percentile

ROOT = rf.ROOT
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
PREFIXES = ("PREFIX bl: <https://w3id.org/budget-lod/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n")
SMALL_SPARQL = [
    PREFIXES + "SELECT ?d ?l WHERE { ?d a bl:Department ; skos:prefLabel ?l } ORDER BY ?l LIMIT 20",
    PREFIXES + "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH <%(graph)s> { ?s a ?t } } GROUP BY ?t ORDER BY DESC(?n)",
    PREFIXES + "ASK { ?p a bl:ProjectAllocation ; bl:fiscalYear %(year)s }",
    "DESCRIBE <%(project)s>",
]


@dataclass
class Req:
    kind: str  # canned | page | sparql
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _first(store, query: str) -> str:
    row = next(iter(union_query(store, PREFIXES + query)), None)
    if row is None:
        raise LookupError(f"nothing in the store for {query!r}")
    return row[0].value


def request_mix(store_dir: Path) -> list[Req]:
    """What a realistic visitor asks, with values taken from the store: every canned query
    (bench/scale_queries.py's parameters), pages of a department, a funding document, a
    project, a budget, the index pages and search, and small SPARQL queries."""
    import pyoxigraph as ox

    from endpoint.config import Settings
    from endpoint.urls import Urls

    db = ox.Store.read_only(str(store_dir))
    bindings = pick_bindings(db)
    iris = {
        "department": _first(db, "SELECT ?x WHERE { ?x a bl:Department } ORDER BY ?x LIMIT 1"),
        "document": _first(db, "SELECT ?x WHERE { ?x a bl:FundingDocument } ORDER BY ?x LIMIT 1"),
        "project": _first(db, "SELECT ?x WHERE { ?x a bl:Project } ORDER BY ?x LIMIT 1"),
        "budget": _first(db, "SELECT ?x WHERE { ?x a bl:Budget } ORDER BY ?x LIMIT 1"),
        "graph": _first(db, "SELECT ?x WHERE { ?x a bl:DocumentGraph } ORDER BY ?x LIMIT 1"),
    }
    del db
    urls = Urls(Settings().namespaces())
    dept = bindings["department-projects"]
    html = {"Accept": "text/html"}
    json_ = {"Accept": "application/sparql-results+json"}
    mix = [Req("canned", f"/queries/{name}", request_params(name, params), json_)
           for name, params in bindings.items()]
    mix += [Req("page", urls.page(iris[k]), {}, html) for k in ("department", "document", "project", "budget")]
    mix += [Req("page", "/departments", {}, html), Req("page", "/documents", {}, html),
            Req("page", "/search", {"q": dept["department"][:6]}, html),
            Req("page", urls.data(iris["project"]) or "/", {}, {})]
    values = {**iris, "year": dept["year"]}
    mix += [Req("sparql", "/sparql", {"query": q % values}, json_ if "DESCRIBE" not in q else {})
            for q in SMALL_SPARQL]
    return mix


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: {"canned": [], "page": [], "sparql": []})
    errors: dict[str, int] = field(default_factory=dict)  # "kind status" -> count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, secs: float, status: int | str) -> None:
        with self.lock:
            self.times[kind].append(secs)
            if status != 200:
                key = f"{kind} {status}"
                self.errors[key] = self.errors.get(key, 0) + 1

    def all(self) -> list[float]:
        return [t for ts in self.times.values() for t in ts]


def _send(c: httpx.Client, base: str, r: Req) -> int | str:
    try:
        return c.get(base + r.path, params=r.params, headers=r.headers).status_code
    except httpx.HTTPError as err:
        return type(err).__name__


def _hostile(base: str, stop: threading.Event, codes: list, timeout: float) -> None:
    with httpx.Client(timeout=timeout) as c:
        while not stop.is_set():
            try:
                codes.append(c.get(base + "/sparql", params={"query": HOSTILE}).status_code)
            except httpx.HTTPError as err:
                codes.append(type(err).__name__)


def run_load(base: str, mix: list[Req], clients: int, requests: int, hostile: int, seconds: float,
             server_timeout: float, only: str | None = None) -> dict:
    """``clients`` threads, each sending ``requests`` requests (round robin over the mix from
    its own offset), while ``hostile`` threads keep cartesian queries on /sparql."""
    pool = [r for r in mix if only is None or r.kind == only]
    stop, hostile_codes = threading.Event(), []
    attackers = [threading.Thread(target=_hostile, args=(base, stop, hostile_codes, server_timeout + 30))
                 for _ in range(hostile)]
    for t in attackers:
        t.start()
    if hostile:
        time.sleep(1.5)  # they hold every unreserved worker before the clients start
    tally, deadline = Tally(), time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(timeout=server_timeout + 60) as c:
            for i in range(requests):
                if time.monotonic() > deadline:
                    return
                r = pool[(offset + i) % len(pool)]
                t0 = time.perf_counter()
                status = _send(c, base, r)
                tally.add(r.kind, time.perf_counter() - t0, status)

    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    stop.set()
    for t in attackers:
        t.join(server_timeout + 60)
    lat, codes = tally.all(), [str(c) for c in hostile_codes]
    out = {"clients": clients, "hostile": hostile, "requests": len(lat), "planned": clients * requests,
           "seconds": wall, "rps": len(lat) / wall if wall else 0.0,
           "p50": percentile(lat, 50) if lat else None, "p99": percentile(lat, 99) if lat else None,
           "errors": sum(tally.errors.values()) + (clients * requests - len(lat)), "error_kinds": tally.errors,
           "by_kind": {k: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99)}
                       for k, v in tally.times.items() if v},
           "hostile_answers": {k: codes.count(k) for k in sorted(set(codes))}}
    return out


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}"


def ms(x: float | None) -> str:
    return "–" if x is None else (f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s")


def load_rows(results: list[dict]) -> list[str]:
    out = ["| load scenario | requests | requests/s | p50 | p99 | errors | p99 canned / page / SPARQL | "
           "hostile queries' answers |", "|---|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        who = (f"{r['clients']} client{'s' if r['clients'] > 1 else ''}, "
               + (f"{r['only']} only, " if r.get("only") else "mix, ")
               + (f"{r['hostile']} hostile queries" if r["hostile"] else "no hostile query"))
        kinds = " / ".join(ms(r["by_kind"][k]["p99"]) if k in r["by_kind"] else "–"
                           for k in ("canned", "page", "sparql"))
        errs = str(r["errors"]) + (f" ({', '.join(f'{k}: {v}' for k, v in r['error_kinds'].items())})"
                                   if r["error_kinds"] else "")
        answers = ", ".join(f"{v}× {k}" for k, v in r["hostile_answers"].items()) or "–"
        out.append(f"| {who} | {r['requests']:,} | {r['rps']:,.1f} | {ms(r['p50'])} | {ms(r['p99'])} | {errs} | "
                   f"{kinds} | {answers} |")
    return out


def fault_rows(faults: list[rf.Fault]) -> list[str]:
    out = ["| fault | what was done | outcome | nothing lost |", "|---|---|---|---|"]
    for f in faults:
        verdict = {True: "**yes**", False: "**NO**", None: "not run"}[f.nothing_lost]
        out.append(f"| {f.name} | {f.done} | {f.outcome} | {verdict} |")
    return out


def bad_rows(rows: list[dict]) -> list[str]:
    out = ["| bad input | file | outcome |", "|---|---|---|"]
    for r in rows:
        mark = "" if r["ok"] else " **(not as expected)**"
        out.append(f"| {r['kind']} | `{r['file']}` | {r['said'].replace('|', '/')}{mark} |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=24, help="synthetic documents (default 24)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--requests", type=int, default=25, help="requests per client (default 25)")
    ap.add_argument("--hostile", type=int, default=8, help="concurrent cartesian queries (default 8)")
    ap.add_argument("--probe", type=int, default=60, help="canned queries asked one by one under attack")
    ap.add_argument("--workers", type=int, default=4, help="the server's query workers (default 4)")
    ap.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit (default 10 s)")
    ap.add_argument("--seconds", type=float, default=240.0, help="deadline of each load scenario")
    ap.add_argument("--quick", action="store_true", help="loads without SHACL validation and vocabulary")
    ap.add_argument("--no-pdf", action="store_true", help="no rendered PDF among the bad inputs")
    ap.add_argument("--skip", nargs="*", default=[], choices=["load", "faults", "full-disk", "bad"])
    ap.add_argument("--work", type=Path, help="keep the working files here (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    args = ap.parse_args(argv)

    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="bench-reliability-")
    work = args.work or Path(tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    started, load_before = time.monotonic(), os.getloadavg()
    flags = ["--workers", "1", "--no-progress"] + (["--no-validate", "--no-vocabulary"] if args.quick else [])
    loader = rf.Loader(flags)
    report: dict = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "machine": machine(),
                    "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    phases: dict[str, float] = {}
    try:
        from bench.synth import Synth

        corpus = work / "corpus"
        Synth(args.seed, args.docs).write(corpus)
        clean_dir = work / "clean"
        done = loader.run([corpus], clean_dir)
        if done.returncode != 0:
            raise SystemExit(f"the clean load failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        clean = rf.quads(clean_dir)
        phases["corpus + clean load"] = time.monotonic() - started
        report["corpus"] = f"{args.docs} synthetic documents (seed {args.seed}), {len(clean):,} quads"

        loads: list[dict] = []
        if "load" not in args.skip:
            from tests.endpoint_support import Server

            mix = request_mix(clean_dir)
            srv = rf_server = Server("--store", str(clean_dir), "--workers", str(args.workers),
                                     "--timeout", str(args.timeout))
            try:
                with httpx.Client(timeout=120) as c:  # warm up, and every request of the mix must work
                    broken = [(r.path, s) for r in mix if (s := _send(c, srv.url, r)) != 200]
                if broken:
                    raise SystemExit(f"requests of the mix fail on a quiet server: {broken}")
                for n in args.clients:
                    for h in (0, args.hostile):
                        loads.append(run_load(srv.url, mix, n, args.requests, h, args.seconds, args.timeout))
                probe = run_load(srv.url, mix, 1, args.probe, args.hostile, args.seconds, args.timeout, "canned")
                loads.append({**probe, "only": "canned queries"})
            finally:
                rf_server.stop()
        report["loads"] = loads
        phases["load scenarios"] = time.monotonic() - started - sum(phases.values())

        faults: list[rf.Fault] = []
        bad: list[dict] = []
        if "faults" not in args.skip:
            faults.append(rf.kill_during_convert(loader, corpus, args.docs, work, clean))
            faults.append(rf.kill_during_flush(loader, corpus, work, clean))
            if "full-disk" not in args.skip:
                subset = work / "corpus-subset"
                subset.mkdir()
                for p in sorted(corpus.glob("*.txt"))[:6]:
                    (subset / p.name).write_bytes(p.read_bytes())
                faults.append(rf.full_disk(loader, subset, len(list(subset.glob("*.txt"))), work))
            faults.append(rf.two_loads_at_once(loader, corpus, work, clean))
        if "bad" not in args.skip:
            fault, bad = rf.bad_inputs(loader, corpus, args.docs, work, clean, pdf=not args.no_pdf)
            faults.append(fault)
        phases["faults + bad inputs"] = time.monotonic() - started - sum(phases.values())
        report["phase_seconds"] = phases
        report["faults"] = [vars(f) for f in faults]
        report["bad_inputs"] = bad
        report["seconds"] = time.monotonic() - started
        load_after = os.getloadavg()
        report["loadavg"] = {"before": load_before, "after": load_after}
    finally:
        if tmp is not None:
            tmp.cleanup()

    lines = [f"Reliability, {report['date']}, {report['machine']}; corpus: {report['corpus']}; "
             f"server: {args.workers} query workers + 1 reserved, time limit {args.timeout:g} s; "
             f"loads: `budgetlod load {' '.join(flags)}`; {report['seconds']:.0f} s in all; "
             f"load average {load_before[0]:.1f} before, {report['loadavg']['after'][0]:.1f} after.", ""]
    if loads:
        lines += load_rows(loads) + [""]
    if faults:
        lines += fault_rows(faults) + [""]
    if bad:
        lines += bad_rows(bad) + [""]
    print("\n".join(lines))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    lost = [f.name for f in faults if f.nothing_lost is False]
    failed_loads = [r for r in loads if r["errors"] and not r["hostile"]]
    return 1 if lost or failed_loads else 0


if __name__ == "__main__":
    raise SystemExit(main())
