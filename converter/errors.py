"""Errors the converter reports to users as one line naming the file."""

from __future__ import annotations


class InputError(Exception):
    """A document that cannot be read or is not a budget disclosure.

    ``str(err)`` is the one-line message shown to users: "<file>: <problem>".
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self):  # picklable across process pools
        return (InputError, (self.path, self.problem))


class NoTextLayer(InputError):
    """A PDF whose pages carry no text: a scan, readable only by OCR."""

    def __reduce__(self):
        return (NoTextLayer, (self.path, self.problem))


class NothingRecognised(InputError):
    """A document in which no title, standard table or project table was found (not one
    that names itself something else, such as a notice)."""

    def __reduce__(self):
        return (NothingRecognised, (self.path, self.problem))
