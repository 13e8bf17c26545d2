"""`budgetlod load` given the same document several times (the same file twice, a copy,
the same text in GB18030 with CRLF line endings) loads it once and says so."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox

from converter.inputs import content_key, distinct_documents
from converter.mapping.iris import REGISTRY_GRAPH
from tests.endpoint_support import ROOT

BIN = [sys.executable, "-m", "converter.cli"]


def test_encodings_and_copies_are_one_document(tmp_path):
    sample = sorted((ROOT / "corpus").glob("*.txt"))[0]
    text = sample.read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(sample.read_bytes())
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    other = sorted((ROOT / "corpus").glob("*.txt"))[1]
    assert len({content_key(p) for p in (sample, copy, gbk, bom)}) == 1
    unique, repeats = distinct_documents([sample, copy, other, gbk, sample, bom])
    assert unique == [sample, other]
    assert [(d.name, f.name) for d, f in repeats] == [("copy.txt", sample.name), ("gbk.txt", sample.name),
                                                      (sample.name, sample.name), ("bom.txt", sample.name)]


def test_load_reports_and_skips_repeats(tmp_path):
    sample = sorted((ROOT / "corpus").glob("*.txt"))[0]
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(sample.read_text(encoding="utf-8").encode("gb18030"))
    store = tmp_path / "store"
    proc = subprocess.run([*BIN, "load", str(sample), str(gbk), str(sample), "--store", str(store), "--workers", "1",
                           "--no-progress", "--no-vocabulary"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("is the same document as") == 2
    assert "1 loaded" in proc.stdout and "2 duplicate input(s) skipped" in proc.stdout
    s = ox.Store(str(store))
    graphs = {q.graph_name.value for q in s.quads_for_pattern(None, None, None) if isinstance(q.graph_name, ox.NamedNode)}
    assert len([g for g in graphs if "/graph/" in g and g != REGISTRY_GRAPH]) == 1  # one document graph


def test_empty_files_are_errors_not_repeats(tmp_path):
    """Two empty inputs (or whitespace only) are not "the same document": each gets the
    reader's "empty file" error (the reliability bench found the second reported as a
    repeat of the first, and no error for it)."""
    files = [tmp_path / "a.pdf", tmp_path / "b.txt", tmp_path / "c.txt"]
    files[0].write_bytes(b"")
    files[1].write_bytes(b"")
    files[2].write_bytes(b" \r\n\t\n")
    assert [content_key(p) for p in files] == [None, None, None]
    unique, repeats = distinct_documents(files)
    assert unique == files and repeats == []
