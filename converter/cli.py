"""The ``budgetlod`` command. Each verb lives in ``converter/commands/<verb>.py`` with a
``register(subparsers)`` function; a verb arrives with the issue that builds it."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

VERBS = ("extract", "convert", "validate", "load", "serve", "dump")


USAGE = """budget-lod: Chinese government budget disclosures (部门预算信息公开, 部门决算, 绩效自评)
as linked open data.

examples:
  budgetlod extract report.pdf                 what the converter reads in one document
  budgetlod extract scan.pdf --json            a scanned PDF, by OCR (when installed), as JSON
  budgetlod load corpus/ --store build/store   convert + validate + load a folder
  budgetlod serve --store build/store          SPARQL endpoint, pages, search on 127.0.0.1:8000
  budgetlod dump --store build/store -o build/dumps
                                               bulk release (N-Quads, Turtle, JSON-LD, CSV, VoID)

`budgetlod VERB --help` shows each verb's options."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("budget-lod")
    except PackageNotFoundError:  # run from a checkout without installing
        from converter.mapping.build import CONVERTER_VERSION

        return CONVERTER_VERSION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetlod", description=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"budgetlod {_version()}")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        importlib.import_module(f"converter.commands.{verb}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from converter.deadline import TIME_LIMIT_ENV
    from converter.executors import EXECUTOR_ENV, check_url
    from converter.readers import OCR_ENV

    # settings of how documents are read and where they run: this process and every
    # worker (local or on a cluster) read them from the environment
    limit = getattr(args, "time_limit", None)
    ocr = "1" if getattr(args, "ocr", False) else "0" if getattr(args, "no_ocr", False) else None
    settings = {OCR_ENV: ocr,
                EXECUTOR_ENV: getattr(args, "executor", None),
                TIME_LIMIT_ENV: repr(float(limit or 0)) if limit is not None else None}
    if settings[EXECUTOR_ENV]:
        try:
            check_url(settings[EXECUTOR_ENV])
        except ValueError as err:
            parser.error(str(err))
    before = {k: os.environ.get(k) for k in settings}
    os.environ.update({k: v for k, v in settings.items() if v})
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


if __name__ == "__main__":
    sys.exit(main())
