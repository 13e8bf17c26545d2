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
  budgetlod extract --ocr scan.pdf --json      a scanned PDF, by OCR, as JSON records
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
    from converter.readers import OCR_ENV

    before = os.environ.get(OCR_ENV)
    if getattr(args, "ocr", False):
        os.environ[OCR_ENV] = "1"  # read in this process and inherited by batch workers
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if before is None:
            os.environ.pop(OCR_ENV, None)


if __name__ == "__main__":
    sys.exit(main())
