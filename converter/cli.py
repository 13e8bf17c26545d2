"""The ``budgetlod`` command. Each verb lives in ``converter/commands/<verb>.py`` with a
``register(subparsers)`` function; a verb arrives with the issue that builds it."""

from __future__ import annotations

import argparse
import importlib
import sys

VERBS = ("extract", "convert", "validate", "load", "serve", "dump")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetlod", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        importlib.import_module(f"converter.commands.{verb}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "time_limit", None) is not None:  # batch commands: workers read it too
        from converter.deadline import set_time_limit

        set_time_limit(args.time_limit)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
