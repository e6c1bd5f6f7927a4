"""Every chart and map of the site as a download: its data as CSV, its image as SVG.

| address | what |
|---|---|
| ``/map.svg``, ``/map.csv`` | the home page's map: groupings per state (``as_of``) |
| ``/groupings/{id}/map.svg``, ``.csv`` | a grouping's members and former members |
| ``/countries/{iso3}/map.svg``, ``.csv`` | a country's partners (universal bodies left out) |
| ``/groupings/{id}/members-over-time.svg``, ``.csv`` | a grouping's members over time |
| ``/countries/{iso3}/over-time.svg``, ``.csv`` | a country's groupings on 1 July of each year |
| ``/timeline.svg``, ``/timeline.csv`` | groupings active each year |
| ``/maps/world-{hash}.svg`` | the outlines the pages' maps draw by reference |

Each is computed from the same dict as its page, so the download and the page agree.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from minilat import csvsafe
from minilat.errors import NotFound
from minilat.web import maps, views, worldmap
from minilat.web.site import Site, get_site

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SiteDep = Annotated[Site, Depends(get_site)]
Opt = Annotated[str | None, Query()]
_CACHE = "public, max-age=3600"


def _csv(rows: list[list[Any]], name: str) -> Response:
    out = io.StringIO()
    csvsafe.writer(out, lineterminator="\n").writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"cache-control": _CACHE, "content-disposition": f'inline; filename="{name}"'},
    )


def _svg(text: str, name: str) -> Response:
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>\n' + text,
        media_type="image/svg+xml",
        headers={"cache-control": _CACHE, "content-disposition": f'inline; filename="{name}"'},
    )


def _chart_svg(request: Request, macro: str, chart: dict[str, Any], label: str, y: str) -> str:
    module = request.app.state.renderer.env.get_template("macros.html").module
    render: Callable[..., str] = getattr(module, macro)
    return str(render(chart, label, y))


def _map(kind: str, site: Site, key: str, day: _dt.date) -> dict[str, Any]:
    if kind == "home":
        return maps.groupings_per_state(site, day)
    if kind == "grouping":
        return maps.grouping_members(site, key, day)
    from minilat import countries

    return maps.country_partners(site, countries.resolve_state(key), day)


def _map_response(m: dict[str, Any], ext: str, name: str) -> Response:
    if ext == "svg":
        return _svg(maps.svg(m), f"{name}.svg")
    if ext == "csv":
        return Response(
            maps.csv_text(m),
            media_type="text/csv; charset=utf-8",
            headers={
                "cache-control": _CACHE,
                "content-disposition": f'inline; filename="{name}.csv"',
            },
        )
    raise NotFound(f"no download .{ext}", hint="use .svg or .csv")


@router.get("/map.{ext}")
def home_map(site: SiteDep, ext: str, as_of: Opt = None) -> Response:
    day = site.day(as_of)
    return _map_response(_map("home", site, "", day), ext, f"minilat-map-{day}")


#: The shared outlines never change under one address (it holds their hash): kept a year.
_IMMUTABLE = "public, max-age=31536000, immutable"


@router.get(worldmap.SPRITE_ROUTE)
def map_outlines(version: str) -> Response:
    """The outlines every map of a page draws by reference (:func:`worldmap.sprite`)."""
    if version != worldmap.sprite_version():
        raise NotFound(
            "no such version of the map's outlines",
            hint=f"the current one is {worldmap.sprite_url()}",
        )
    return Response(
        worldmap.sprite(), media_type="image/svg+xml", headers={"cache-control": _IMMUTABLE}
    )


@router.get("/groupings/{gid}/map.{ext}")
def grouping_map(site: SiteDep, gid: str, ext: str, as_of: Opt = None) -> Response:
    day = site.day(as_of)
    return _map_response(_map("grouping", site, gid, day), ext, f"{gid}-map-{day}")


@router.get("/countries/{iso3}/map.{ext}")
def country_map(site: SiteDep, iso3: str, ext: str, as_of: Opt = None) -> Response:
    day = site.day(as_of)
    m = _map("country", site, iso3, day)
    return _map_response(m, ext, f"{iso3.upper()}-partners-{day}")


@router.get("/groupings/{gid}/members-over-time.{ext}")
def grouping_chart(
    request: Request, site: SiteDep, gid: str, ext: str, as_of: Opt = None
) -> Response:
    day = site.day(as_of)
    d = views.grouping(site, gid, day)
    name = f"{gid}-members-over-time-{day}"
    if ext == "csv":
        rows = [
            ["day", "members", "other_roles"],
            *([p["day"], p["members"], p["other_roles"]] for p in d["members_over_time"]),
        ]
        return _csv(rows, f"{name}.csv")
    if ext == "svg":
        label = f"Number of full members of {d['name']} over time (as of {day})"
        return _svg(_chart_svg(request, "step_svg", d["chart"], label, "members"), f"{name}.svg")
    raise NotFound(f"no download .{ext}", hint="use .svg or .csv")


@router.get("/countries/{iso3}/over-time.{ext}")
def country_chart(
    request: Request, site: SiteDep, iso3: str, ext: str, as_of: Opt = None
) -> Response:
    day = site.day(as_of)
    d = views.country(site, iso3, day)
    prof = d["profile"]
    if prof.get("result") is None:
        raise NotFound("this chart is not available yet", hint="the country profile is missing")
    name = f"{d['iso3']}-groupings-by-year-{day}"
    if ext == "csv":
        over = prof["result"].get("over_time") or []
        return _csv(
            [
                ["year", "observed_on", "groupings"],
                *([r["year"], r["on"], r["groupings"]] for r in over),
            ],
            name + ".csv",
        )
    if ext == "svg":
        label = f"Number of groupings {d['name']} took part in on 1 July of each year (as of {day})"
        return _svg(
            _chart_svg(request, "step_svg", prof["chart"], label, "groupings"), name + ".svg"
        )
    raise NotFound(f"no download .{ext}", hint="use .svg or .csv")


@router.get("/timeline.{ext}")
def timeline_chart(request: Request, site: SiteDep, ext: str) -> Response:
    d = views.home(site, _dt.date.today())
    if d["timeline_chart"] is None:
        raise NotFound("the timeline is not available yet")
    name = f"minilat-active-per-year-{d['as_of']}"
    if ext == "csv":
        years = d["timeline"]["result"]["years"]
        rows = [["year", "active", "founded"]]
        rows += [[y["year"], y["active"], y.get("founded", "")] for y in years]
        return _csv(rows, name + ".csv")
    if ext == "svg":
        label = f"Number of groupings active each year (as of {d['as_of']})"
        return _svg(
            _chart_svg(request, "bar_svg", d["timeline_chart"], label, "groupings"), name + ".svg"
        )
    raise NotFound(f"no download .{ext}", hint="use .svg or .csv")


@router.get("/events/per-year.{ext}")
def events_chart(request: Request, site: SiteDep, ext: str) -> Response:
    from minilat.web.compare import events

    d = events(site)
    name = "minilat-events-per-year"
    if ext == "csv":
        return _csv(
            [["year", "events"], *([r["year"], r["events"]] for r in d["per_year"])], name + ".csv"
        )
    if ext == "svg" and d["chart"] is not None:
        label = "Number of dated events per year"
        return _svg(_chart_svg(request, "bar_svg", d["chart"], label, "events"), name + ".svg")
    raise NotFound(f"no download .{ext}", hint="use .svg or .csv")


@router.get("/matrix.csv")
def matrix_csv(
    site: SiteDep, as_of: Opt = None, type: Opt = None, theme: Opt = None, max_members: int = 30
) -> Response:
    from minilat.web.compare import matrix

    day = site.day(as_of)
    d = matrix(site, as_of=day, type_=type or None, theme=theme or None, max_members=max_members)
    rows: list[list[Any]] = [["iso3", "name", *(c["id"] for c in d["columns"])]]
    for r in d["rows"]:
        cells = set(r["cells"])
        rows.append([r["iso3"], r["name"], *(int(i in cells) for i in range(len(d["columns"])))])
    return _csv(rows, f"minilat-membership-matrix-{day}.csv")
