"""Score extraction against the hand-checked facts of real disclosures.

    .venv/bin/python bench/score_real.py [--jobs N] [--tuning-only] [--misses] > score.md

Runs ``converter.pipeline.extract`` on every file of tests/handchecked_real/facts.json
(../shared/corpus-real, or BUDGETLOD_REAL_CORPUS) and prints, separately for the
hold-out and the tuning files, a table per file of facts right / total in each category
(identity, totals, function rows, projects, doc numbers), then the rates per group and
overall. ``--tuning-only`` leaves the hold-out files out entirely (for tuning a parser:
HELPERS.md forbids looking at hold-out results while tuning); ``--misses`` lists every
wrong fact with what the records say. ``--refresh-gaps`` rewrites each file's
``known_gap`` in facts.json to what is wrong now and prints which facts were fixed and
which broke (a broken fact is a regression to explain before committing the file).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.handchecked_real import CATEGORIES, Outcome, check_fact, extract_file, load_facts, real_corpus  # noqa: E402

LABELS = {"identity": "identity", "totals": "totals", "function_rows": "function rows",
          "projects": "projects", "doc_numbers": "doc numbers", "units": "units"}
Tally = dict[str, list[int]]  # category -> [right, total]


def _tally() -> Tally:
    return {c: [0, 0] for c in CATEGORIES}


def _cell(right: int, total: int) -> str:
    return f"{right}/{total}" if total else "—"


def _rate(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.0f} %)" if total else "—"


def score(entries: list[dict], outcomes: dict[str, Outcome], title: str, misses: bool) -> Tally:
    """Print one group's table; return its tally per category."""
    group = _tally()
    print(f"\n## {title} ({len(entries)} files)\n")
    print("| file | " + " | ".join(LABELS[c] for c in CATEGORIES) + " | all | s |")
    print("|---" * (len(CATEGORIES) + 3) + "|")
    wrong: list[str] = []
    for entry in entries:
        outcome = outcomes[entry["path"]]
        t = _tally()
        for fact in entry["facts"]:
            ok, detail = check_fact(fact, outcome)
            t[fact["category"]][0] += ok
            t[fact["category"]][1] += 1
            if not ok:
                wrong.append(f"- {Path(entry['path']).name} p{fact['page']} {fact['id']}: "
                             f"expected {fact.get('value')!r}; {detail}")
        for c in CATEGORIES:
            group[c][0] += t[c][0]
            group[c][1] += t[c][1]
        right, total = sum(v[0] for v in t.values()), sum(v[1] for v in t.values())
        print(f"| {Path(entry['path']).name} | " + " | ".join(_cell(*t[c]) for c in CATEGORIES)
              + f" | {_cell(right, total)} | {outcome.seconds:.1f} |")
    print("\n" + "; ".join(f"{LABELS[c]} {_rate(*group[c])}" for c in CATEGORIES)
          + f"; **all {_rate(sum(v[0] for v in group.values()), sum(v[1] for v in group.values()))}**")
    if misses and wrong:
        print("\nWrong facts:\n")
        print("\n".join(wrong))
    return group


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--tuning-only", action="store_true", help="leave the hold-out files out")
    ap.add_argument("--misses", action="store_true", help="list every wrong fact")
    ap.add_argument("--refresh-gaps", action="store_true",
                    help="rewrite facts.json's known_gap lists to today's misses; print fixed and broken facts")
    args = ap.parse_args()
    real = real_corpus()
    if real is None:
        sys.exit("score_real: no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS")
    entries = [e for e in load_facts()["files"] if not (args.tuning_only and e["holdout"])]
    paths = sorted((e["path"] for e in entries), key=lambda p: -(real / p).stat().st_size)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = dict(zip(paths, pool.map(extract_file, [real / p for p in paths])))
    print("# Hand-checked facts of real disclosures: facts right / total\n")
    print("Facts: tests/handchecked_real/facts.json (read from the pages; see its comment). "
          "Pipeline: converter.pipeline.extract, no per-file settings.")
    groups: list[Tally] = []
    if not args.tuning_only:
        groups.append(score([e for e in entries if e["holdout"]], outcomes, "Hold-out files", args.misses))
    groups.append(score([e for e in entries if not e["holdout"]], outcomes, "Tuning files (incl. the 4 negatives)",
                        args.misses))
    overall = _tally()
    for g in groups:
        for c in CATEGORIES:
            overall[c][0] += g[c][0]
            overall[c][1] += g[c][1]
    if args.refresh_gaps:
        refresh_gaps(outcomes, tuning_only=args.tuning_only)
    print("\n## Overall\n")
    for c in CATEGORIES:
        print(f"- {LABELS[c]}: {_rate(*overall[c])}")
    print(f"- **all: {_rate(sum(v[0] for v in overall.values()), sum(v[1] for v in overall.values()))}**")


def dump_facts(data: dict) -> str:
    """facts.json as it is kept: indented, one line per fact."""
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=1)

    def one_line(m: re.Match[str]) -> str:
        return "\n    " + json.dumps(json.loads("{" + m.group(1) + "}"), ensure_ascii=False)

    return re.sub(r"\n    \{\n((?:     .*\n)+?)    \}", one_line, text) + "\n"


def refresh_gaps(outcomes: dict[str, Outcome], tuning_only: bool) -> None:
    """known_gap := the facts wrong now (with what the records say); report the changes."""
    import json

    from tests.handchecked_real import FACTS_FILE

    data = load_facts()
    fixed: list[str] = []
    broken: list[str] = []
    for entry in data["files"]:
        if entry["path"] not in outcomes or (tuning_only and entry["holdout"]):
            continue
        old = entry.get("known_gap", {})
        new: dict[str, str] = {}
        for fact in entry["facts"]:
            ok, detail = check_fact(fact, outcomes[entry["path"]])
            if not ok:
                new[fact["id"]] = old.get(fact["id"]) or detail
                if fact["id"] not in old:
                    broken.append(f"{entry['path']}: {fact['id']} ({detail})")
            elif fact["id"] in old:
                fixed.append(f"{entry['path']}: {fact['id']}")
        if new:
            entry["known_gap"] = dict(sorted(new.items()))
        else:
            entry.pop("known_gap", None)
    FACTS_FILE.write_text(dump_facts(data), encoding="utf-8")
    print(f"\n## known_gap refreshed: {len(fixed)} fixed, {len(broken)} broken\n")
    for line in fixed:
        print(f"- fixed {line}")
    for line in broken:
        print(f"- BROKEN {line}")


if __name__ == "__main__":
    main()
