"""The batch commands on a Dask distributed cluster (``--executor dask://HOST:PORT``): a
LocalCluster of two worker processes on 127.0.0.1 gives the same bytes as the local pool."""

from __future__ import annotations

import subprocess
import sys

import pytest

from converter.executors import check_url
from tests.endpoint_support import ROOT

BIN = [sys.executable, "-m", "converter.cli"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True, memory_limit="2GiB") as c:
        yield c


def test_convert_on_a_cluster_gives_the_local_bytes(cluster, tmp_path):
    corpus = ROOT / "corpus"
    local, remote = tmp_path / "local.nq", tmp_path / "cluster.nq"
    a = subprocess.run([*BIN, "convert", str(corpus), "-o", str(local), "--workers", "2", "--no-progress"],
                       capture_output=True, text=True, timeout=600)
    assert a.returncode == 0, a.stderr
    url = "dask://" + cluster.scheduler_address.split("://", 1)[1]
    b = subprocess.run([*BIN, "convert", str(corpus), "-o", str(remote), "--executor", url, "--no-progress"],
                       capture_output=True, text=True, timeout=600)
    assert b.returncode == 0, b.stderr
    assert remote.read_bytes() == local.read_bytes() and local.stat().st_size > 100_000


def test_a_bad_document_fails_only_itself_on_the_cluster(cluster, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    sample = sorted((ROOT / "corpus").glob("*.txt"))[0]
    url = "dask://" + cluster.scheduler_address.split("://", 1)[1]
    proc = subprocess.run([*BIN, "convert", str(bad), str(sample), "-o", str(tmp_path / "o.nq"), "--executor", url,
                           "--no-progress"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "bad.txt" in proc.stderr and (tmp_path / "o.nq").stat().st_size > 10_000


@pytest.mark.parametrize("url", ["http://h:1", "dask://nohostport", "dask://:8786", "dask://h:port"])
def test_executor_url_is_checked(url):
    with pytest.raises(ValueError, match="dask://HOST:PORT"):
        check_url(url)
    proc = subprocess.run([*BIN, "convert", str(ROOT / "corpus"), "-o", "-", "--executor", url],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "dask://HOST:PORT" in proc.stderr
