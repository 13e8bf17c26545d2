"""The built wheel is the whole program: installed into a fresh virtualenv outside the
checkout, it converts, loads, validates and dumps a sample exactly as the checkout does.

The ontology, the code lists and the SHACL shapes live in the checkout's top-level
ontology/ and shapes/ folders; a wheel must carry them (converter/resources.py finds
them). Before that, an installed package looked for them beside site-packages and found
nothing: code names stayed unresolved and validation had no shapes."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from converter.resources import NAMES, data_dir

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "corpus").glob("*.txt"))[0]


def run(cmd: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BUDGETLOD_BASE")}
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv outside the checkout with the wheel built from it. Its
    dependencies come from the test environment's site-packages as a plain path entry (so
    the checkout's editable-install hook, a .pth file there, is not run); the package
    itself is only the wheel's copy, which the test checks."""
    tmp = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)], tmp, 600)
    wheels = list((tmp / "dist").glob("budget_lod-*.whl"))
    assert len(wheels) == 1
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheels[0])], tmp)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).stdout.strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir


def test_wheel_carries_the_data_folders(installed):
    wheel = next((installed.parent / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in NAMES:
        shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith(f"converter/_data/{name}/")}
        assert shipped == {p.name for p in data_dir(name).glob("*.ttl")}, name
    # the vendored scripts' licences travel with them
    assert any(n.startswith("endpoint/static/vega/LICENSE") for n in names)


def test_installed_package_is_used_and_finds_its_data(installed, tmp_path):
    where = run([str(installed / "bin" / "python"), "-c",
                 "import converter, converter.resources as r; print(converter.__file__); "
                 "print(r.ontology_dir()); print(r.shapes_dir())"], tmp_path).stdout.split()
    assert all(w.startswith(str(installed)) for w in where), where


def test_installed_wheel_converts_loads_validates_and_dumps_like_the_checkout(installed, tmp_path):
    bin_dir = installed / "bin"
    work = tmp_path / "outside"
    work.mkdir()
    doc = work / SAMPLE.name
    doc.write_bytes(SAMPLE.read_bytes())
    run([str(bin_dir / "budgetlod"), "convert", str(doc), "-o", "wheel.nq", "--workers", "1"], work)
    run([sys.executable, "-m", "converter.cli", "convert", str(doc), "-o", str(work / "checkout.nq"),
         "--workers", "1"], ROOT)
    # code lists resolved and the same IRIs minted: byte-identical output
    assert (work / "wheel.nq").read_bytes() == (work / "checkout.nq").read_bytes()
    loaded = run([str(bin_dir / "budgetlod"), "load", str(doc), "--store", "store", "--workers", "1"], work)
    assert "1 loaded" in loaded.stdout and "loaded vocabulary" in loaded.stdout, loaded.stdout
    run([str(bin_dir / "budgetlod"), "validate", "--store", "store", "--workers", "1"], work)
    run([str(bin_dir / "budgetlod"), "dump", "--store", "store", "-o", "dumps"], work)
    release = (work / "dumps" / "latest").resolve()
    for name in NAMES:
        assert {p.name for p in (release / name).glob("*.ttl")} == {p.name for p in data_dir(name).glob("*.ttl")}
