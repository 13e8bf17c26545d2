"""funding-recipients as the registry's numbered rows (the canned query) beside the join over
the citing graphs it replaced (the query file at git revision REV), on one store loaded by
`budgetlod load`: bare pyoxigraph, over HTTP (`budgetlod serve --queries` with both), and with
--virtuoso on a Virtuoso bulk-loaded with the same graphs; first page of 50, the same rows and
X-Total-Count checked on both forms; the most cited document and two smaller ones.

    .venv/bin/python bench/funding_recipients_forms.py STORE OUT REV [--virtuoso]
"""
import json, shutil, subprocess, sys, time, statistics
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import httpx, pyoxigraph as ox
from bench import scale_queries as sq
from bench import scale
from endpoint.canned import load_canned, bind, paged_query, Page
from converter.store.embedded import query as union_query

store, out, rev = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
virt = "--virtuoso" in sys.argv
out.mkdir(parents=True, exist_ok=True)
qdir = out / "queries"
shutil.rmtree(qdir, ignore_errors=True)
shutil.copytree(ROOT / "endpoint" / "queries", qdir)
old = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:endpoint/queries/funding-recipients.rq"],
                     capture_output=True, text=True, check=True).stdout
(qdir / "funding-recipients-join.rq").write_text(old.replace("# title: Recipients of a funding document", "# title: join"))
canned = load_canned(qdir)
ro = ox.Store.read_only(str(store))
counts = [(r["n"].value, int(r["c"].value)) for r in union_query(ro, """SELECT ?n (COUNT(*) AS ?c) WHERE {
  GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?d <http://data.europa.eu/eli/ontology#id_local> ?n ; <https://w3id.org/budget-lod/def#recipientOrder> ?o } } GROUP BY ?n ORDER BY DESC(?c) ?n""")]
picks = [counts[0], counts[len(counts) // 4], counts[len(counts) // 2]]
print("docs (rows):", picks, "of", len(counts), flush=True)
v = None
if virt:
    v, secs = sq.virtuoso_load(str(store), out / "virtuoso")
    print(f"virtuoso loaded in {secs:.0f} s", flush=True)
port = scale.free_port()
url = f"http://127.0.0.1:{port}"
fh = open(out / "serve.log", "wb")
proc = scale.sp.start([sys.executable, "-m", "converter.cli", "serve", "--store", str(store), "--host", "127.0.0.1",
                       "--port", str(port), "--workers", "2", "--queries", str(qdir)], fh, cwd=str(ROOT))
for _ in range(450):
    try:
        if httpx.get(url + "/sparql", timeout=2).status_code == 200: break
    except httpx.HTTPError:  # not listening yet
        pass
    time.sleep(0.2)
res = {}
try:
  with httpx.Client(timeout=120) as client:
    def http(name, doc):
        r = client.get(f"{url}/queries/{name}", params={"doc": doc, "limit": "50"}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text[:300]
        return [tuple(sorted((k, v["value"]) for k, v in b.items())) for b in r.json()["results"]["bindings"]], r.headers.get("x-total-count")
    def bare(name, doc):  # timed only (its rows are checked over HTTP)
        text = paged_query(bind(canned[name], {"doc": doc}), Page(50, 0))
        return [tuple(t.value if t is not None else None for t in row) for row in union_query(ro, text)], None
    def virtuoso(name, doc):
        text = paged_query(bind(canned[name], {"doc": doc}), Page(50, 0))
        r = client.post(v.sparql, data={"query": text}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text[:300]
        return [tuple(sorted((k, x["value"]) for k, x in b.items())) for b in r.json()["results"]["bindings"]], None
    sides = {"http": http, "bare": bare}
    if v: sides["virtuoso"] = virtuoso
    for doc, n in picks:
        a, ta = http("funding-recipients", doc); b, tb = http("funding-recipients-join", doc)
        assert a == b and ta == tb, (doc, len(a), len(b), ta, tb)
        for side, fn in sides.items():
            for name in ("funding-recipients", "funding-recipients-join"):
                fn(name, doc)
                ts = []
                for _ in range(30):
                    t0 = time.perf_counter(); fn(name, doc); ts.append((time.perf_counter() - t0) * 1000)
                ts.sort()
                res[f"{doc} ({n} rows) {side} {name}"] = (round(statistics.median(ts), 2), round(ts[int(len(ts) * 0.99) - 1], 2))
                print(f"{doc} ({n} rows) {side:9s} {name:25s} p50 {statistics.median(ts):7.2f} ms  p99 {ts[-1]:7.2f}", flush=True)
finally:
    scale.sp.stop(proc)
    if v: v.stop()
(out / "result.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))
