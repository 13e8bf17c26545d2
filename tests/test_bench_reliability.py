"""bench/reliability.py in a tiny configuration (4 documents, a handful of requests, a 1 s
query limit, no validation), so the README's reliability table can always be measured
again: every scenario runs and nothing is lost. About 45 s on 2 shared cores: each fault
scenario runs real `budgetlod load` processes (about a dozen) and a server."""

from __future__ import annotations

import json

from bench import reliability


def test_reliability_bench_runs_tiny(tmp_path, capsys):
    out = tmp_path / "rel.json"
    rc = reliability.main(["--docs", "4", "--quick", "--requests", "2", "--clients", "2", "--hostile", "2",
                           "--probe", "3", "--timeout", "1", "--seconds", "30", "--work", str(tmp_path / "w"),
                           "--json", str(out)])
    table = capsys.readouterr().out
    assert rc == 0, table
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["hostile"] for r in report["loads"]] == [0, 2, 2]
    assert all(r["requests"] == r["planned"] for r in report["loads"])
    assert report["loads"][0]["errors"] == 0
    faults = {f["name"]: f for f in report["faults"]}
    assert {"kill -9 during convert", "kill -9 during flush", "full disk", "two loads at once"} <= set(faults)
    # a scenario that cannot run here (no user namespaces, a load too quick to kill) says so
    assert all(f["nothing_lost"] in (True, None) for f in faults.values()), faults
    assert faults["two loads at once"]["nothing_lost"] is True
    bad = report["bad_inputs"]
    assert len(bad) >= 20 and all(b["ok"] for b in bad), [b for b in bad if not b["ok"]]
    assert "| load scenario |" in table and "| fault |" in table and "| bad input |" in table
