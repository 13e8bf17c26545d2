"""Package discovery only (everything else is in pyproject.toml): the packages, plus the
top-level ontology/ and shapes/ folders shipped as package data of converter._data, where
converter/resources.py finds them in an installed wheel."""

from setuptools import find_namespace_packages, setup

DATA = {f"converter._data.{name}": name for name in ("ontology", "shapes")}

# namespace discovery: data folders (queries/, static/, templates/) are packages of their own
PACKAGES = find_namespace_packages(include=["converter*", "endpoint*"], exclude=["*__pycache__*"])

setup(packages=PACKAGES + sorted(DATA), package_dir=DATA)
