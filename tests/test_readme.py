"""The README's map of folders names only paths that exist (DESIGN §6), and it names no
file outside the repository (a clone has nothing beside it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _map_block() -> list[str]:
    section = README.split("## Data flow", 1)[1]
    return section.split("```", 2)[1].splitlines()


def test_every_path_in_the_folder_map_exists():
    folder: Path | None = None
    named = 0
    for line in _map_block():
        head = re.match(r"^(\S+/)(?:,\s*(\S+/))?\s", line + " ")
        if head:
            for part in filter(None, head.groups()):
                assert (ROOT / part).is_dir(), part
            folder = ROOT / head.group(1)
            named += 1
        for name in re.findall(r"[\w.-]+/[\w./-]+\.\w+|[\w-]+\.(?:py|ttl|rq|sh|md)\b", line):
            candidates = [ROOT / name] + ([folder / name] if folder else [])
            assert any(c.exists() for c in candidates) or any(ROOT.glob(f"**/{name}")), (name, line)
            named += 1
    assert named > 20


def test_no_file_outside_the_repository_is_named():
    assert "../" not in README
