"""A stamp file beside the store that loaders touch after each commit, so that read-only
handles held by a running server know to reopen and see the new data."""

from __future__ import annotations

import os
from pathlib import Path

STAMP_NAME = "budgetlod-generation"


def stamp_path(store_dir: str | os.PathLike[str]) -> Path:
    return Path(store_dir) / STAMP_NAME


def generation_stamp(store_dir: str | os.PathLike[str]) -> str | None:
    try:
        st = os.stat(stamp_path(store_dir))
        return f"{st.st_ino}:{st.st_mtime_ns}"
    except FileNotFoundError:
        return None


def bump_generation(store_dir: str | os.PathLike[str]) -> None:
    p = stamp_path(store_dir)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(str(os.getpid()) + "\n")
    os.replace(tmp, p)  # a new inode and mtime every time, atomically
