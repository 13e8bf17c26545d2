"""Issue 7: batch conversion and loading over a process pool. Results stream in input
order with a bounded number in flight; a dying worker fails only its document; the
store is written in journaled bulk flushes that a killed load cannot leave half done;
`convert` sorts any batch size to the same bytes; failures are listed at the end."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synth import Synth
from converter.batch import Pool, WorkerDied
from converter.mapping.iris import REGISTRY_GRAPH
from converter.sortmerge import SortedLines, split_lines
from converter.store.embedded import bulk_load_documents, named_graphs, open_store
from converter.store.loading import journal_path, recover, spool_files, store_prepared
from converter.pipeline import Prepared
from tests.helpers import ROOT

BIN = [sys.executable, "-m", "converter.cli"]


def _square(x: int) -> int:
    return x * x


def _die_on_three(x: int) -> int:
    if x == 3:
        os._exit(9)  # a worker killed outright (OOM killer, native crash)
    return x


def test_pool_streams_in_order_with_bounded_window():
    pulled = []

    def items():
        for i in range(40):
            pulled.append(i)
            yield i

    with Pool(_square, workers=2, window=4) as pool:
        results = pool.map(items())
        first = next(results)
        assert first == (0, 0)
        assert len(pulled) <= 5  # the window, not the whole batch, was submitted
        rest = list(results)
    assert [r for _, r in [first, *rest]] == [i * i for i in range(40)]


def test_dead_worker_fails_only_its_job():
    with Pool(_die_on_three, workers=2, window=3) as pool:
        out = list(pool.map(range(8)))
    assert [i for i, _ in out] == list(range(8))
    assert isinstance(out[3][1], WorkerDied)
    assert [r for i, r in out if i != 3] == [0, 1, 2, 4, 5, 6, 7]


def _die_on_zero(x: int) -> int:
    if x == 0:
        os._exit(9)
    return x


def test_pool_broken_between_submissions_fails_only_the_killer():
    """The worker dies while the batch is still submitting: the next submission meets a
    broken pool, and that job must be retried like the ones in flight, not raise."""
    def items():
        yield 0
        yield 1
        time.sleep(1.5)  # job 0 kills its worker meanwhile
        yield from range(2, 6)

    with Pool(_die_on_zero, workers=2, window=4) as pool:
        out = list(pool.map(items()))
    assert [i for i, _ in out] == list(range(6))
    assert isinstance(out[0][1], WorkerDied)
    assert [r for _, r in out[1:]] == [1, 2, 3, 4, 5]


def _doc(i: int, text: str = "one") -> Prepared:
    g = f"https://w3id.org/budget-lod/graph/t{i}"
    nq = (f'<urn:s{i}> <urn:p> "{text}"@zh <{g}> .\n'
          f'<urn:shared> <urn:label> "same in every document" <{g}> .\n')
    return Prepared(f"d{i}.txt", True, "", g, nq, 2)


def _default(store: ox.Store) -> set[str]:
    """What is stored in the default graph: nothing (queries take the union of the graphs)."""
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def _named(store: ox.Store) -> set[str]:
    return {str(q) for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}


def test_streaming_bulk_flushes_equal_transactional_load(tmp_path):
    """Many small flushes (bulk) and one transaction per document give the same store."""
    docs = [_doc(i) for i in range(25)]
    bulk = open_store(tmp_path / "bulk")
    report = store_prepared(bulk, tmp_path / "bulk", [_doc(i) for i in range(25)], bulk_threshold=5,
                            flush_quads=6)
    assert report.bulk_loaded == 25 and len(report.loaded) == 25
    assert all(d.nquads == "" for d in report.loaded)  # text dropped once stored
    one_by_one = open_store(tmp_path / "tx")
    store_prepared(one_by_one, tmp_path / "tx", docs, bulk_threshold=1000)
    assert _named(bulk) == _named(one_by_one) and _default(bulk) == _default(one_by_one) == set()
    assert sum(1 for _ in bulk) == 50  # each statement once per graph stating it, and nowhere else
    assert not journal_path(tmp_path / "bulk").exists() and not spool_files(tmp_path / "bulk")


def test_bad_graph_in_a_bulk_flush_fails_alone(tmp_path):
    docs = [_doc(i) for i in range(6)]
    docs[2].nquads = docs[2].nquads.replace('"one"@zh', '"unterminated')
    store = open_store(tmp_path / "s")
    report = store_prepared(store, tmp_path / "s", docs, bulk_threshold=2)
    assert [d.path for d in report.failed] == ["d2.txt"]
    assert len(named_graphs(store)) == 5


def test_interrupted_flush_is_undone_by_the_next_load(tmp_path):
    """A journal left by a load killed mid-flush names graphs that may be half-written:
    the next load removes them before anything else."""
    path = tmp_path / "s"
    store = open_store(path)
    store_prepared(store, path, [_doc(0)], bulk_threshold=1)
    before_named = _named(store)
    killed = [_doc(1), _doc(2)]
    journal_path(path).write_text("".join(d.graph_iri + "\n" for d in killed), encoding="utf-8")
    bulk_load_documents(store, [(d.graph_iri, d.nquads) for d in killed])
    assert len(named_graphs(store)) == 3
    assert recover(store, path) == [d.graph_iri for d in killed]
    assert _named(store) == before_named and _default(store) == set()
    assert not journal_path(path).exists()
    # and the loader runs the recovery itself
    journal_path(path).write_text(_doc(0).graph_iri + "\n", encoding="utf-8")
    report = store_prepared(store, path, [_doc(3)], bulk_threshold=1)
    assert report.recovered == [_doc(0).graph_iri]
    assert named_graphs(store) == {_doc(3).graph_iri}


def test_same_graph_twice_in_one_flush_is_stored_once_and_the_last_wins(tmp_path):
    """A graph given again while its first copy waits in the bulk-load spool (one content
    in two files): the store holds it once, as given last."""
    path = tmp_path / "s"
    store = open_store(path)
    docs = [_doc(0), _doc(1), _doc(2), _doc(1, text="again"), _doc(3)]
    report = store_prepared(store, path, docs, bulk_threshold=2, flush_quads=1000)
    assert len(report.loaded) == 5 and not report.failed
    assert named_graphs(store) == {_doc(i).graph_iri for i in range(4)}
    labels = {q.object.value for q in store.quads_for_pattern(ox.NamedNode("urn:s1"), None, None)}
    assert labels == {"again"}
    assert not spool_files(path) and not journal_path(path).exists()


def test_spool_left_by_a_killed_load_is_removed_by_the_next(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    (path / "budgetlod-spool-0.nq").write_bytes(b"<urn:cut> <urn:p> \"half")
    report = store_prepared(store, path, [_doc(i) for i in range(4)], bulk_threshold=2)
    assert len(report.loaded) == 4 and not spool_files(path)
    assert named_graphs(store) == {_doc(i).graph_iri for i in range(4)}


lines = st.lists(st.text(alphabet="ab<> .\u2028\u0085\"", max_size=6), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, max_size=8), st.integers(min_value=1, max_value=7))
def test_external_sort_equals_in_memory_sort(docs, run_lines):
    """Whatever the run size and however many merge passes, the same bytes as sorting
    the whole batch's text in memory (including U+2028 inside a line, which is not a
    newline)."""
    import converter.sortmerge as sm

    texts = ["".join(line.replace("\n", "") + " .\n" for line in doc) for doc in docs]
    distinct = {line for t in texts for line in t.split("\n")[:-1]}
    expected = "".join(x + "\n" for x in sorted(distinct))  # str order: code-point order
    merged = SortedLines(run_lines=run_lines)
    for t in texts:
        merged.add(split_lines(t))
    old = sm.MERGE_FAN_IN
    sm.MERGE_FAN_IN = 2
    try:
        out = io.BytesIO()
        n = merged.write_to(out)
    finally:
        sm.MERGE_FAN_IN = old
    assert out.getvalue().decode("utf-8") == expected and n == expected.count("\n")


def test_load_and_convert_batch_cli(tmp_path):
    """Synthetic documents plus two bad files through `load --workers 2` and
    `convert --workers 2`: the good ones land, the failures are listed together at the
    end, the stats add up, and convert's output holds exactly the loaded quads."""
    corpus = tmp_path / "corpus"
    Synth(11, 12).write(corpus)
    (corpus / "00003.txt").write_text("这不是预算公开文件。\n", encoding="utf-8")
    (corpus / "zz-broken.pdf").write_bytes(b"%PDF-1.4 not really")
    store, stats = tmp_path / "store", tmp_path / "stats.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    load = subprocess.run([*BIN, "load", str(corpus), "--store", str(store), "--workers", "2",
                           "--bulk-threshold", "4", "--stats", str(stats), "--no-vocabulary"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert load.returncode == 1, load.stderr
    tail = load.stderr[load.stderr.index("2 document(s) failed:"):].splitlines()
    assert len(tail) == 3 and "00003.txt" in tail[1] and "zz-broken.pdf" in tail[2]
    figures = json.loads(stats.read_text(encoding="utf-8"))
    assert figures["documents"] == 13 and figures["loaded"] == 11 and figures["failed"] == 2
    assert figures["bulk_loaded"] == 11 and figures["validate_seconds"] > 0
    out = tmp_path / "all.nq"
    conv = subprocess.run([*BIN, "convert", str(corpus), "-o", str(out), "--workers", "2"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert conv.returncode == 1 and "2 document(s) failed:" in conv.stderr
    db = ox.Store.read_only(str(store))
    # the documents' graphs (not the registry of cited documents the store derives from them)
    stored = {str(q) + " .\n" for q in db
              if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value != REGISTRY_GRAPH}
    text = out.read_text(encoding="utf-8")
    assert len(stored) == figures["triples"] == text.count("\n")
    assert stored == set(text.splitlines(keepends=True))
    del db
    check = subprocess.run([*BIN, "validate", "--store", str(store), "--workers", "2", "--stats",
                            str(tmp_path / "v.json")], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads((tmp_path / "v.json").read_text())["graphs"] == 11


def test_workers_die_with_a_killed_batch(tmp_path):
    """kill -9 of `budgetlod convert` leaves no worker behind (issue 15: they lived on)."""
    import signal
    import time

    import psutil

    from bench.synth.generator import Synth

    corpus = tmp_path / "corpus"
    Synth(seed=3, n=40).write(corpus)
    proc = subprocess.Popen([*BIN, "convert", str(corpus), "-o", str(tmp_path / "o.nq"), "--workers", "2",
                             "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    children: list = []
    while time.monotonic() < deadline and len(children) < 2:
        children = parent.children(recursive=True)
        time.sleep(0.1)
    assert len(children) >= 2, "the pool's workers did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, [c.pid for c in alive]
