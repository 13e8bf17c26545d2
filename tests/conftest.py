"""Test-run wiring for pytest-xdist (``make test`` runs two workers, one file's tests on
one worker): the workers share the run's one extraction of the real corpus through a file
in the run's base temporary folder (tests/real_corpus.py), so it is not done per worker."""

from __future__ import annotations

import os

import pytest

from tests import real_corpus


@pytest.fixture(scope="session", autouse=True)
def _share_real_corpus_extraction(tmp_path_factory: pytest.TempPathFactory) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # "gw0", "gw1", ... in pytest-xdist's workers
        # each worker's base temporary folder sits in the run's, which pytest removes later
        real_corpus.SHARED_DIR = tmp_path_factory.getbasetemp().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test of a module that reads the real corpus gets its longer time-out (see
    real_corpus.TEST_TIMEOUT): the run's global one (pyproject.toml) bounds every other test."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and any(value is real_corpus or getattr(value, "__module__", None) == real_corpus.__name__
                                      for value in vars(module).values()):
            item.add_marker(pytest.mark.timeout(real_corpus.TEST_TIMEOUT))
