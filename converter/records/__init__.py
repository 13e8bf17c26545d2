"""Typed records extracted from one disclosure (see ``model``)."""

from converter.records.model import *  # noqa: F401,F403
from converter.records.model import __all__  # noqa: F401
