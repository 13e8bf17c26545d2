"""Records -> JSON-ready dicts: Decimals as strings, empty values omitted, stable order."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from converter.readers.ir import Loc


def to_data(obj: Any) -> Any:
    if isinstance(obj, Loc):
        return obj.to_json() or None
    if isinstance(obj, Decimal):
        return str(obj)
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            v = to_data(getattr(obj, f.name))
            if v is None or v == [] or v == {}:
                continue
            out[_camel(f.name)] = v
        return out
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    if isinstance(obj, set):
        return sorted(to_data(v) for v in obj)
    return obj


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def dumps(obj: Any) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, indent=1)
