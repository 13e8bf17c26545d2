"""Where the project's own data files are: the ontology and code lists (``ontology/``) and
the SHACL shapes (``shapes/``). The one place that knows.

In a checkout (and an editable install) they are the top-level folders beside the
packages; a built wheel carries them as package data under ``converter/_data/`` (mapped in
setup.py), because an installed package has no checkout around it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
PACKAGED = "_data"  # the subfolder of this package that a wheel puts them in (setup.py)
NAMES = ("ontology", "shapes")


class ResourceMissing(RuntimeError):
    """The installation has no such data folder (a broken or partial install)."""


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The folder of the data files called ``name`` (one of NAMES)."""
    if name not in NAMES:
        raise ValueError(f"unknown data folder {name!r}; known: {', '.join(NAMES)}")
    for candidate in (_PACKAGE / PACKAGED / name, _PACKAGE.parent / name):
        if candidate.is_dir() and any(candidate.glob("*.ttl")):
            return candidate
    raise ResourceMissing(f"budget-lod is installed without its {name}/ files "
                          f"(looked in {_PACKAGE / PACKAGED / name} and {_PACKAGE.parent / name})")


def ontology_dir() -> Path:
    return data_dir("ontology")


def shapes_dir() -> Path:
    return data_dir("shapes")
