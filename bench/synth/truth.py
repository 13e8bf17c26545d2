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


# provenance of a project (the tables that state it, the unit of its amount's table)
_PROJECT_PROVENANCE = ("sources", "currencyUnit")


def truth_view(data: dict) -> dict:
    """``converter.records.jsonify.to_data(disclosure)`` reduced to the compared fields.
    Project provenance is left out, and so are numbers cited in cells of tables that are
    no project's (the generator prints project names with their number in the procurement
    table but states citations per project only)."""
    out = {k: _strip(data[k]) for k in FIELDS if k in data}
    if "projects" in out:
        out["projects"] = [{k: v for k, v in p.items() if k not in _PROJECT_PROVENANCE} for p in out["projects"]]
    if "docRefs" in out:
        out["docRefs"] = [r for r in out["docRefs"] if not (r.get("context") == "cell" and "projectName" not in r)]
    for k in ("docRefs", "figures"):
        if k in out:
            out[k] = sorted(out[k], key=_key)
    return out
