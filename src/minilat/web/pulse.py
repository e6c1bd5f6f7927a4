"""The life of groupings on the web: the pulse page, the commitments page, their API
endpoints and the Atom feed of status changes and commitments falling due or delivered.

Each view computes one dict (from :mod:`minilat.analysis.pulse`), rendered as HTML or
JSON; the work is cached per date in the :class:`~minilat.web.site.Site` and run in a
thread, never on the event loop.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from minilat.analysis import pulse as _pulse
from minilat.dataset import parse_day
from minilat.errors import BadInput
from minilat.vocab import label
from minilat.web import charts, news
from minilat.web.feeds import atom, sub
from minilat.web.http import ERROR_RESPONSES, file_responses
from minilat.web.render import json_response
from minilat.web.site import Site, get_site

__all__ = ["api_router", "commitments_view", "feed_router", "pulse_view", "router"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["life"])
feed_router = APIRouter(prefix="/feeds", tags=["feeds"])
SiteDep = Annotated[Site, Depends(get_site)]
Opt = Annotated[str | None, Query(max_length=10)]
AsOf = Annotated[
    str | None,
    Query(max_length=10, description="Answer as of this date (YYYY-MM-DD, YYYY-MM or YYYY)"),
]
#: Years the heat map shows by default, counting back from the date's year.
HEAT_YEARS = 20
_LABEL = 20  # characters of an id shown in the heat map's label column


def _day(value: str | None, what: str) -> _dt.date | None:
    return parse_day(value, what) if value else None


def _pulse_data(site: Site, as_of: _dt.date, since: _dt.date | None) -> dict[str, Any]:
    return site.cached(("pulse", as_of, since), lambda ds: _pulse.pulse(ds, as_of, since))


def pulse_view(
    site: Site, as_of: _dt.date, since: _dt.date | None = None, start: int | None = None
) -> dict[str, Any]:
    """The pulse page's data: statuses, changes, and the heat map's geometry."""

    p = dict(_pulse_data(site, as_of, since))
    first = start if start is not None else max(p["years"][0], as_of.year - HEAT_YEARS)
    if not 1000 <= first <= as_of.year:
        raise BadInput(f"from={first} is outside the record", hint=f"a year up to {as_of.year}")
    rows = [(r["id"][:_LABEL], r["status"], r["activity_by_year"]) for r in p["groupings"]]
    p["heat_map"] = charts.heat_map(rows, (first, as_of.year))
    for row, r in zip(p["heat_map"]["rows"], p["groupings"], strict=True):
        row["gid"] = r["id"]
        row["name"] = r["name"]
        # the row's visible label: the grouping's acronym where it has one, else its id
        # in words; the tooltip and the link's title give the full name
        g = site.ds.groupings.get(r["id"])
        short = g.acronyms[0] if g is not None and g.acronyms else label(r["id"])
        row["short"] = short[:_LABEL]
    p["from_year"] = first
    return p


def commitments_view(
    site: Site,
    as_of: _dt.date,
    grouping: str | None = None,
    status: str | None = None,
    due_before: _dt.date | None = None,
) -> dict[str, Any]:
    """The commitments page's data."""
    return _pulse.commitments(site.ds, as_of, grouping, status=status, due_before=due_before)


# ------------------------------------------------------------------------ pages


@router.get("/pulse")
async def pulse_page(
    request: Request,
    site: SiteDep,
    as_of: Opt = None,
    since: Opt = None,
    from_: Annotated[int | None, Query(alias="from", ge=1000, le=9999)] = None,
) -> Response:
    day = site.day(as_of)
    data = await run_in_threadpool(pulse_view, site, day, _day(since, "since"), from_)
    # News evidence from the monitor (GDELT), beside the record's pulse, never mixed in it.
    data["signals"] = await run_in_threadpool(news.signals_for, site, day)
    return request.app.state.renderer.page(request, "pulse.html", data)


@router.get("/commitments")
async def commitments_page(
    request: Request,
    site: SiteDep,
    grouping: Annotated[str | None, Query(max_length=80)] = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    due_before: Opt = None,
    as_of: Opt = None,
) -> Response:
    data = await run_in_threadpool(
        commitments_view,
        site,
        site.day(as_of),
        grouping or None,
        status or None,
        _day(due_before, "due_before"),
    )
    return request.app.state.renderer.page(request, "commitments.html", data)


# -------------------------------------------------------------------------- API


@api_router.get("/pulse", summary="Which groupings are alive, dormant, revived, ended or unknown")
async def pulse_api(
    site: SiteDep,
    as_of: AsOf = None,
    since: Annotated[
        str | None, Query(max_length=10, description="Also list status changes after this date")
    ] = None,
) -> Response:
    data = await run_in_threadpool(_pulse_data, site, site.day(as_of), _day(since, "since"))
    return json_response(data)


@api_router.get("/commitments", summary="Commitments with their status and evidence")
async def commitments_api(
    site: SiteDep,
    grouping: Annotated[str | None, Query(max_length=80, description="A grouping id")] = None,
    status: Annotated[
        str | None,
        Query(
            max_length=40,
            description="delivered, partly_delivered, not_delivered, in_progress, "
            "superseded or unknown",
        ),
    ] = None,
    due_before: Annotated[
        str | None, Query(max_length=10, description="Only those due before this date")
    ] = None,
    as_of: AsOf = None,
) -> Response:
    data = await run_in_threadpool(
        commitments_view, site, site.day(as_of), grouping, status, _day(due_before, "due_before")
    )
    return json_response(data)


@api_router.get(
    "/groupings/{gid}/life",
    summary="A grouping's status with its evidence, its commitments and delivery rate",
)
async def grouping_life_api(site: SiteDep, gid: str, as_of: AsOf = None) -> Response:
    g = site.ds.grouping(gid)
    day = site.day(as_of)
    data = await run_in_threadpool(_pulse.life_detail, g, day)
    return json_response({"grouping": g.id, "as_of": day.isoformat(), **data})


# ------------------------------------------------------------------------- feed


def _feed_entries(site: Site) -> list[dict[str, Any]]:
    today = _dt.date.today()
    return site.cached(("pulse-feed", today), lambda ds: _pulse.feed_entries(ds, today))


def _pulse_atom(base: str, entries: list[dict[str, Any]], updated: str) -> bytes:
    """The Atom document: one entry per status change, commitment due or delivered."""
    import hashlib
    from xml.etree import ElementTree as ET

    from minilat.web.feeds import ATOM

    body = atom(base, "/feeds/pulse.atom", "minilat: the life of groupings", [], updated)
    feed = ET.fromstring(body)
    if entries:
        feed.find(f"{{{ATOM}}}updated").text = entries[0]["date"] + "T00:00:00Z"  # type: ignore[union-attr]
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{base}/pulse#" + hashlib.sha1(e["id"].encode()).hexdigest()[:16])
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["date"] + "T00:00:00Z")
        sub(
            entry,
            "link",
            rel="alternate",
            href=f"{base}/groupings/{e['grouping']}",
            type="text/html",
        )
        sub(entry, "category", term=e["kind"])
        cited = ", ".join(e["sources"])
        sub(entry, "summary", e["summary"] + (f" Sources: {cited}." if cited else ""))
    ET.register_namespace("", ATOM)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


@feed_router.get(
    "/pulse.atom",
    summary="Status changes, and commitments falling due or delivered (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Not found"),
)
async def pulse_feed(request: Request, site: SiteDep) -> Response:
    entries = await run_in_threadpool(_feed_entries, site)
    base = str(request.base_url).rstrip("/")
    updated = (site.built_at or "1970-01-01T00:00:00+00:00").replace("+00:00", "Z")
    return Response(
        _pulse_atom(base, entries, updated),
        media_type="application/atom+xml; charset=utf-8",
        headers={"cache-control": "public, max-age=900"},
    )
