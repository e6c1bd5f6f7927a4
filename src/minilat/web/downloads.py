"""Downloads: the whole dataset as CSV and JSON, and a Frictionless Data Package.

The data package (``/downloads/datapackage.json``) lists one resource per CSV file with a
table schema (field types, primary and foreign keys), so tools such as ``frictionless
validate`` check the files without any minilat code.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from minilat import export
from minilat.errors import NotFound, did_you_mean
from minilat.web import optional
from minilat.web.http import dumps, file_responses
from minilat.web.site import Site, get_site

__all__ = ["datapackage", "router"]

router = APIRouter(tags=["downloads"])
SiteDep = Annotated[Site, Depends(get_site)]
_CACHE = "public, max-age=3600"

_TYPES: dict[str, dict[str, str]] = {
    "groupings": {},
    "memberships": {"verified": "boolean"},
    "events": {"verified": "boolean"},
    "sources": {"url": "string", "accessed": "date"},
    "participants": {},
    "capabilities": {
        "year": "integer",
        "value": "number",
        "share": "number",
        "unverified": "boolean",
    },
}
_DESCRIPTIONS = {
    "groupings": "One row per grouping: identity, founding, institutional facts, themes.",
    "memberships": "One row per participant x grouping x interval [start, end).",
    "events": "Dated events (summits, statements, agreements, expansions) with sources.",
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
}


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def datapackage(site: Site) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the CSV downloads."""
    resources = []
    for name, (header, _rows) in export.csv_rows(site.ds).items():
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
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": _DESCRIPTIONS.get(name, ""),
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "minilat",
        "title": "minilat: the open dataset of tech minilateralism",
        "description": "Sourced data on small technology coalitions of countries.",
        "version": site.version,
        "created": site.built_at or None,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def downloads_page(site: Site) -> dict[str, Any]:
    """The downloads offered, with sizes in rows."""
    tables = export.csv_rows(site.ds)
    files = [
        {
            "name": f"{name}.csv",
            "url": f"/downloads/{name}.csv",
            "format": "CSV",
            "rows": len(rows),
            "description": _DESCRIPTIONS.get(name, ""),
        }
        for name, (_h, rows) in tables.items()
    ]
    files.append(
        {
            "name": "datapackage.json",
            "url": "/downloads/datapackage.json",
            "format": "Frictionless Data Package",
            "rows": None,
            "description": "Describes the CSV files: field types, keys, licence.",
        }
    )
    for fmt, what in (("graphml", "GraphML"), ("gexf", "GEXF (dynamic, for Gephi)")):
        files.append(
            {
                "name": f"network.{fmt}",
                "url": f"/downloads/network.{fmt}",
                "format": what,
                "rows": None,
                "description": "The participant x grouping network"
                + (" with membership spells over time." if fmt == "gexf" else ", as of today."),
            }
        )
    files.append(
        {
            "name": "minilat.json",
            "url": "/downloads/minilat.json",
            "format": "JSON",
            "rows": None,
            "description": "The whole dataset as one JSON document, every fact with its sources.",
        }
    )
    return {
        "dataset": {
            "fingerprint": site.fingerprint,
            "version": site.version,
            "built_at": site.built_at,
        },
        "files": files,
    }


@router.get("/downloads", include_in_schema=False)
async def downloads(request: Request, site: SiteDep) -> Response:
    r = request.app.state.renderer
    return r.page(request, "downloads.html", downloads_page(site))


@router.get("/downloads/datapackage.json", summary="Frictionless Data Package descriptor")
async def datapackage_json(site: SiteDep) -> Response:
    return Response(
        dumps(datapackage(site)),
        media_type="application/json",
        headers={"cache-control": _CACHE},
    )


@router.get("/downloads/minilat.json", summary="The whole dataset as JSON")
async def dataset_json(site: SiteDep) -> Response:
    return Response(
        dumps(export.as_json(site.ds)),
        media_type="application/json",
        headers={
            "cache-control": _CACHE,
            "content-disposition": 'attachment; filename="minilat.json"',
        },
    )


@router.get(
    "/downloads/{name}.csv",
    summary="One table of the dataset as CSV",
    response_class=Response,
    responses=file_responses("text/csv", "No such table"),
)
async def table_csv(site: SiteDep, name: str) -> Response:
    tables = export.csv_rows(site.ds)
    if name not in tables:
        raise NotFound(
            f"no download {name + '.csv'!r}",
            hint=did_you_mean(name, tables) or "see /downloads for the files",
        )
    header, rows = tables[name]
    return Response(
        _csv_text(header, rows).encode(),
        media_type="text/csv; charset=utf-8",
        headers={
            "cache-control": _CACHE,
            "content-disposition": f'attachment; filename="{name}.csv"',
        },
    )


@router.get(
    "/downloads/network.{fmt}",
    summary="The network as GraphML or GEXF",
    response_class=Response,
    responses=file_responses("application/xml", "Not graphml or gexf"),
)
async def network_file(site: SiteDep, fmt: str, as_of: str | None = None) -> Response:
    if fmt not in ("graphml", "gexf"):
        raise NotFound(f"no download 'network.{fmt}'", hint="network.graphml or network.gexf")
    export_graph = optional.require("network", "export")
    text = export_graph(site.ds, site.day(as_of), fmt)
    return Response(
        text.encode(),
        media_type="application/xml",
        headers={
            "cache-control": _CACHE,
            "content-disposition": f'attachment; filename="minilat-network.{fmt}"',
        },
    )
