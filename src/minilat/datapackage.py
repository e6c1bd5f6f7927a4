"""The Frictionless Data Package descriptor of the CSV tables (``datapackage.json``).

One resource per CSV file of :func:`minilat.export.csv_rows`, with a table schema (field
types, primary and foreign keys), so tools such as ``frictionless validate`` check the
files without any minilat code. The website's downloads and every release bundle use it.
"""

from __future__ import annotations

from typing import Any

from minilat import export
from minilat.dataset import Dataset

__all__ = ["DESCRIPTIONS", "descriptor"]

_TYPES: dict[str, dict[str, str]] = {
    "groupings": {},
    "memberships": {"verified": "boolean"},
    "events": {"verified": "boolean"},
    "commitments": {"due": "date"},
    "sources": {"url": "string", "accessed": "date"},
    "participants": {},
    "capabilities": {
        "year": "integer",
        "value": "number",
        "share": "number",
        "unverified": "boolean",
    },
}
#: What each CSV table holds.
DESCRIPTIONS = {
    "groupings": "One row per grouping: identity, founding, institutional facts, themes.",
    "memberships": "One row per participant x grouping x interval [start, end).",
    "events": "Dated events (summits, statements, agreements, expansions) with sources.",
    "commitments": "One row per commitment a grouping made, with its latest recorded status, "
    "the evidence for it and their sources (docs/data.md).",
    "sources": "Every cited source: title, publisher, address, dates.",
    "participants": "Non-state participants (states are ISO 3166-1 alpha-3 codes).",
    "capabilities": "Per-country shares of technology capabilities, by table.",
}
_PRIMARY = {"groupings": ["id"], "sources": ["id"], "participants": ["id"]}
_FOREIGN = {
    "memberships": [
        {"fields": ["grouping_id"], "reference": {"resource": "groupings", "fields": ["id"]}}
    ],
    "events": [
        {"fields": ["grouping_id"], "reference": {"resource": "groupings", "fields": ["id"]}}
    ],
    "commitments": [
        {"fields": ["grouping_id"], "reference": {"resource": "groupings", "fields": ["id"]}}
    ],
}


def descriptor(
    ds: Dataset, version: str, created: str | None, *, folder: str = ""
) -> dict[str, Any]:
    """The descriptor of ``ds``'s CSV tables, found under ``folder`` (``""`` or ``csv/``)."""
    resources = []
    for name, (header, _rows) in export.csv_rows(ds).items():
        types = _TYPES.get(name, {})
        schema: dict[str, Any] = {
            "fields": [{"name": h, "type": types.get(h, "string")} for h in header],
            "missingValues": [""],
        }
        if name in _PRIMARY:
            schema["primaryKey"] = _PRIMARY[name]
        if name in _FOREIGN:
            schema["foreignKeys"] = _FOREIGN[name]
        resources.append(
            {
                "name": name,
                "path": f"{folder}{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": DESCRIPTIONS.get(name, ""),
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "minilat",
        "title": "minilat: the open dataset of tech minilateralism",
        "description": "Sourced data on small technology coalitions of countries.",
        "version": version,
        "created": created or None,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "resources": resources,
    }
