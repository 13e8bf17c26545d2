"""The compared view of a disclosure's records: what the generator states as truth and
what extraction must reproduce. Source locations, file identity and derived reports
(repairs, flags, goals) are left out; lists whose order carries no meaning are sorted."""

from __future__ import annotations

import json
from typing import Any

FIELDS = ("kind", "fiscalYear", "departmentCode", "departmentName", "departmentAliases", "regionName", "regionCode",
          "units", "budgetLines", "overviewLines", "projects", "docRefs", "procurement", "fixedAssets", "figures")


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "loc"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _key(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def truth_view(data: dict) -> dict:
    """``converter.records.jsonify.to_data(disclosure)`` reduced to the compared fields."""
    out = {k: _strip(data[k]) for k in FIELDS if k in data}
    for k in ("docRefs", "figures"):
        if k in out:
            out[k] = sorted(out[k], key=_key)
    return out
