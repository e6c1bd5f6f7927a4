"""Downloads: the whole dataset as CSV and JSON, and a Frictionless Data Package.

The data package (``/downloads/datapackage.json``) lists one resource per CSV file with a
table schema (field types, primary and foreign keys), so tools such as ``frictionless
validate`` check the files without any minilat code.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from minilat import csvsafe, export
from minilat import datapackage as _datapackage
from minilat.errors import NotFound, did_you_mean
from minilat.web import optional
from minilat.web.http import dumps, file_responses
from minilat.web.site import Site, get_site

__all__ = ["datapackage", "router"]

router = APIRouter(tags=["downloads"])
SiteDep = Annotated[Site, Depends(get_site)]
_CACHE = "public, max-age=3600"

_DESCRIPTIONS = _datapackage.DESCRIPTIONS


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csvsafe.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def datapackage(site: Site) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the CSV downloads."""
    return _datapackage.descriptor(site.ds, site.version, site.built_at)


ARTICLE = (
    "StateUp (n.d.), \u201cTech Minilateralism: A New Frontier in Global Governance\u201d,"
    " https://stateup.co/resources/tech-minilateralism-a-new-frontier-in-global-governance,"
    " drawing on Tanya Filer, \u201cThe Era of Tech Minilaterals is Here. Will they prove"
    " effective?\u201d, Global Policy (blog), 8 January 2024."
)


def downloads_page(site: Site, releases_root: Path | None = None) -> dict[str, Any]:
    """The downloads offered (with sizes in rows), the releases, the panels of the latest
    release, and how to cite."""
    from minilat import release as _release

    rels = _release.releases(releases_root) if releases_root is not None else []
    latest = rels[0]["version"] if rels else None
    panels: list[dict[str, Any]] = []
    if latest is not None and releases_root is not None:
        folder = releases_root / latest / "panels"
        for unit in ("country-year", "dyad-year", "grouping-year"):
            unit_files = [
                {"format": fmt, "url": f"/releases/{latest}/panels/{unit}{suffix}"}
                for fmt, suffix in (("CSV", ".csv"), ("Parquet", ".parquet"), ("Stata", ".dta"))
                if (folder / f"{unit}{suffix}").is_file()
            ]
            if unit_files:
                panels.append({"unit": unit, "files": unit_files})
    cite = {
        "version": latest or _release.DATASET_VERSION,
        "citation": _release.citation(latest or _release.DATASET_VERSION),
        "article": ARTICLE,
    }
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
        "cite": cite,
        "releases": [{**r, "url": f"/releases/{r['version']}"} for r in rels],
        "panels": panels,
        "panels_release": latest if panels else None,
        "dataset": {
            "fingerprint": site.fingerprint,
            "version": site.version,
            "built_at": site.built_at,
        },
        "files": files,
    }


@router.get("/downloads", include_in_schema=False)
def downloads(request: Request, site: SiteDep) -> Response:
    r = request.app.state.renderer
    root = getattr(request.app.state, "releases_root", None)
    return r.page(request, "downloads.html", downloads_page(site, Path(root) if root else None))


@router.get("/downloads/datapackage.json", summary="Frictionless Data Package descriptor")
def datapackage_json(site: SiteDep) -> Response:
    return Response(
        dumps(datapackage(site)),
        media_type="application/json",
        headers={"cache-control": _CACHE},
    )


@router.get("/downloads/minilat.json", summary="The whole dataset as JSON")
def dataset_json(site: SiteDep) -> Response:
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
def table_csv(site: SiteDep, name: str) -> Response:
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
def network_file(site: SiteDep, fmt: str, as_of: str | None = None) -> Response:
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
