"""``budgetlod extract FILE [--json]``: the records of one or more documents."""

from __future__ import annotations

import argparse
import json
import sys

from converter.batch import add_reader_options
from converter.errors import InputError
from converter.inputs import expand_inputs
from converter.pipeline import extract
from converter.records.jsonify import to_data
from converter.reconcile import format_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="records of a document (JSON with --json)")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="document file or folder")
    p.add_argument("--json", action="store_true", help="print records as JSON (Decimals as strings)")
    p.add_argument("--all-checks", action="store_true", help="list passing reconciliation checks too")
    add_reader_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    paths = expand_inputs(args.inputs)
    for path in paths:
        try:
            result = extract(path)
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            data = to_data(result.disclosure)
            data["reconciliation"] = to_data(result.checks)
            print(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            print(format_report(result.disclosure, result.checks, all_checks=args.all_checks))
    return 1 if failed else 0
