"""The issue-14 benchmark helpers on the samples: bench/bare.py (pyoxigraph alone on the
same quads), bench/profile.py (CPU per stage) and bench/profile_validation.py (CPU per
validation step), so that `make bench` cannot rot."""

from __future__ import annotations

import pyoxigraph as ox

from bench.bare import bare_baselines, our_dump
from bench.profile import STAGES, profile
from converter.store.embedded import bulk_load_documents, commit, open_store
from tests.test_mapping_support import SAMPLES, converted


def test_bare_baselines_and_our_dump_measure_the_same_quads(tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    bulk_load_documents(store, [(converted(p.name[:3]).graph_iri, converted(p.name[:3]).nquads) for p in SAMPLES])
    commit(store, path)
    quads = len(store)
    del store
    bare = bare_baselines(path, tmp_path / "work")
    assert bare["quads"] == quads > 30_000
    assert bare["dump_seconds"] > 0 and bare["bulk_load_seconds"] > 0 and bare["bulk_store_bytes"] > 0
    ours = our_dump(path, tmp_path / "work")
    assert ours["quads"] == quads  # one copy of each triple: the release holds exactly the store's quads
    assert 0 < ours["all_nq_seconds"] <= ours["all_nt_seconds"] <= ours["rdf_seconds"] <= ours["release_seconds"]
    assert not list((tmp_path / "work").glob("bare*"))  # the baselines clean up after themselves
    assert len(ox.Store.read_only(str(path))) == quads  # and never touch the measured store


def test_profile_times_every_stage_of_every_document():
    spent = profile(SAMPLES[:2])
    assert set(spent) == set(STAGES)
    assert all(len(v) == 2 and all(t >= 0 for t in v) for v in spent.values())
    assert sum(spent["validate"]) > 0 and sum(spent["parse"]) > 0


def test_validation_profile_times_every_constraint():
    from bench.profile_validation import profile as profile_validation
    from converter.validation import engine

    spent = profile_validation(SAMPLES[:1])
    constraints = {"constraint " + c.shape.rsplit("#", 1)[-1] for c in engine.sparql_constraints("document")}
    assert constraints <= set(spent) and "load into Oxigraph" in spent
    assert sum(spent.values()) > 0 and all(v >= 0 for v in spent.values())
