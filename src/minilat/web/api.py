"""The JSON API under ``/api/v1``: the same dicts as the CLI's ``--json`` and the pages.

Described by the OpenAPI document at ``/openapi.json`` (explore it at ``/api/docs``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from minilat import search
from minilat.web import designer, graphs, library, optional, views
from minilat.web import whatif as whatif_view
from minilat.web.http import ERROR_RESPONSES, ErrorOut, error_responses, redirect_with_query
from minilat.web.render import json_response
from minilat.web.site import Site, get_site

__all__ = ["ErrorOut", "router"]


router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

SiteDep = Annotated[Site, Depends(get_site)]
AsOf = Annotated[
    str | None, Query(description="Answer as of this date (YYYY-MM-DD, YYYY-MM or YYYY); today")
]
Limit = Annotated[int, Query(ge=1, le=views.MAX_LIMIT, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip")]


@router.get("", summary="What the API offers", tags=["meta"])
def api_index(site: SiteDep) -> Response:
    return json_response(
        {
            "name": "minilat observatory API",
            "version": "v1",
            "openapi": "/openapi.json",
            "docs": "/api/docs",
            "dataset": {
                "fingerprint": site.fingerprint,
                "version": site.version,
                "built_at": site.built_at,
            },
            "endpoints": [
                "/api/v1/groupings",
                "/api/v1/groupings/{id}",
                "/api/v1/groupings/{id}/members",
                "/api/v1/groupings/{id}/assessments",
                "/api/v1/groupings/{id}/life",
                "/api/v1/pulse",
                "/api/v1/commitments",
                "/api/v1/countries",
                "/api/v1/countries/{iso3}",
                "/api/v1/sources",
                "/api/v1/sources/{id}",
                "/api/v1/events",
                "/api/v1/assessments",
                "/api/v1/timeline",
                "/api/v1/network",
                "/api/v1/network/graph",
                "/api/v1/design",
                "/api/v1/design/tables",
                "/api/v1/whatif",
            ],
        }
    )


class GroupingFilters(BaseModel):
    """The filters and page of the groupings list (all optional)."""

    model_config = {"extra": "ignore"}

    type: str | None = Field(default=None, description="One of the four types")
    theme: str | None = Field(default=None, description="A theme, e.g. semiconductors")
    member: str | None = Field(default=None, description="ISO3 code, country name or id")
    as_of: str | None = Field(
        default=None,
        description="Groupings active on this date (YYYY-MM-DD; today by default), 'member'"
        " meaning taking part on it; members are counted as of it",
    )
    active_on: str | None = Field(default=None, description="The old name of as_of")
    ever: bool = Field(
        default=False, description="At any time instead of as of a date (not with as_of)"
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Name, acronym or alias; also objectives, themes and notes (stemmed)",
    )
    limit: int = Field(default=50, ge=1, le=views.MAX_LIMIT, description="Page size")
    offset: int = Field(default=0, ge=0, description="Rows to skip")
    sort: str | None = Field(
        default=None,
        max_length=20,
        description="name, founded, members, status or type; '-' first for descending",
    )
    region: str | None = Field(
        default=None,
        description="Africa, Americas, Asia, Europe or Oceania (UN geoscheme): groupings"
        " with a state taking part in that region, 'taking part' as for member",
    )


@router.get("/groupings", summary="Groupings, filtered and paginated", tags=["groupings"])
def groupings(site: SiteDep, f: Annotated[GroupingFilters, Query()]) -> Response:
    return json_response(
        views.grouping_list(
            site,
            type_=f.type,
            theme=f.theme,
            member=f.member,
            as_of=f.as_of,
            active_on=f.active_on,
            ever=f.ever,
            q=f.q,
            limit=f.limit,
            offset=f.offset,
            sort=f.sort,
            region=f.region,
        )
    )


@router.get("/groupings/{gid}", summary="A grouping as of a date", tags=["groupings"])
def grouping(site: SiteDep, gid: str, as_of: AsOf = None) -> Response:
    return json_response(views.grouping(site, gid, site.day(as_of)))


@router.get(
    "/groupings/{gid}/members", summary="A grouping's members as of a date", tags=["groupings"]
)
def grouping_members(
    site: SiteDep, gid: str, as_of: AsOf = None, verified_only: bool = False
) -> Response:
    return json_response(views.members(site, gid, site.day(as_of), verified_only))


@router.get(
    "/groupings/{gid}/assessments",
    summary="Characteristics, type and scorecard of a grouping",
    tags=["assessments"],
)
def grouping_assessments(site: SiteDep, gid: str, as_of: AsOf = None) -> Response:
    d = views.grouping(site, gid, site.day(as_of))
    return json_response({"grouping": d["id"], "as_of": d["as_of"], **d["assessments"]})


@router.get("/countries", summary="Countries taking part in groupings", tags=["countries"])
def countries(
    site: SiteDep,
    as_of: AsOf = None,
    region: Annotated[
        str | None,
        Query(
            description="Only the states of this region: Africa, Americas, Asia, Europe or"
            " Oceania (UN geoscheme)"
        ),
    ] = None,
) -> Response:
    return json_response(views.country_list(site, site.day(as_of), region))


@router.get(
    "/countries/{iso3}",
    summary="A country's memberships",
    description="`iso3` also takes a country name; a non-state participant (`eu`, a"
    " territory such as `FRO`) is redirected to `/api/v1/groupings?member=ID`.",
    tags=["countries"],
)
def country(request: Request, site: SiteDep, iso3: str, as_of: AsOf = None) -> Response:
    other = views.non_state_address(site, iso3)
    if other is not None:
        return redirect_with_query(request, "/api/v1/groupings", member=other)
    return json_response(views.country(site, iso3, site.day(as_of)))


@router.get("/sources", summary="Every source", tags=["sources"])
def sources(site: SiteDep, limit: Limit = 100, offset: Offset = 0) -> Response:
    return json_response(views.source_list(site, limit, offset))


@router.get("/sources/{sid}", summary="One source and what cites it", tags=["sources"])
def source(site: SiteDep, sid: str) -> Response:
    return json_response(views.source(site, sid))


@router.get("/events", summary="The latest dated events", tags=["events"])
def events(site: SiteDep, limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = 50) -> Response:
    return json_response({"events": views.recent_events(site, limit)})


@router.get("/assessments", summary="The typology of every grouping", tags=["assessments"])
def assessments(site: SiteDep, as_of: AsOf = None) -> Response:
    day = site.day(as_of)
    data = library.section("typology", ("classify",), site.ds, day, raise_errors=True)
    return json_response(library.available_or_raise("typology", data, day))


@router.get("/timeline", summary="Groupings founded and active per year", tags=["timeline"])
def timeline(
    site: SiteDep,
    start: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    end: Annotated[int | None, Query(ge=1800, le=2200)] = None,
) -> Response:
    return json_response(views.timeline(site, start, end))


@router.get("/network", summary="The co-membership network at a date", tags=["network"])
def network(
    site: SiteDep,
    as_of: AsOf = None,
    type: Annotated[str | None, Query(description="Only groupings of this type")] = None,
    universal: Annotated[
        bool,
        Query(
            description="Count the universal bodies too (the UN, and any grouping with "
            "100 or more member states); left out by default, as in the drawing "
            "(/api/v1/network/graph) and a country's network place"
        ),
    ] = False,
) -> Response:
    return json_response(graphs.network(site, site.day(as_of), type, universal=universal))


class DesignIn(BaseModel):
    """A coalition designer question (see ``minilat design --help``)."""

    tables: list[str] = Field(min_length=1, max_length=10, description="Capability table ids")
    targets: list[float | str] | None = Field(
        default=None,
        max_length=10,
        description="A share per table: 0.6, or the text 60% or 60 (a number above 1, up to "
        "100, is a percentage); the answer's readings say how each was read",
    )
    max_size: int | None = Field(default=None, ge=1, le=60)
    include: list[str] = Field(default_factory=list, max_length=60)
    exclude: list[str] = Field(default_factory=list, max_length=200)
    forbid_pairs: list[tuple[str, str]] = Field(default_factory=list, max_length=100)
    within_existing: bool = False
    universal: bool = Field(
        default=False,
        description="With within_existing: count universal bodies (the UN, any grouping of "
        "100 or more member states) as existing cooperation; left out by default",
    )
    frontier: int | None = Field(default=None, ge=1, le=30)
    as_of: str | None = None


@router.get("/design/tables", summary="Capability tables the designer can target", tags=["design"])
def design_tables(site: SiteDep) -> Response:
    return json_response({"tables": designer.design(site)["tables"]})


@router.post(
    "/design",
    summary="Design a coalition: smallest, best of size k, frontier",
    tags=["design"],
    responses=error_responses(
        (429, "Too many designs from this client (see Retry-After)"),
        (503, "The designer is busy with other questions (see Retry-After)"),
    ),
)
async def design(request: Request, site: SiteDep, body: DesignIn) -> Response:
    await designer.limit(request)
    d = await designer.design_in_slot(
        site,
        tables=body.tables,
        targets=None if body.targets is None else [str(t) for t in body.targets],
        max_size=body.max_size,
        include=",".join(body.include),
        exclude=",".join(body.exclude),
        within_existing=body.within_existing,
        universal=body.universal,
        frontier=body.frontier,
        as_of=site.day(body.as_of) if body.as_of else None,
        forbid=",".join(f"{a}-{b}" for a, b in body.forbid_pairs),
        strict=True,
    )
    if not d["available"]:
        raise optional.NotAvailable("the coalition designer is not available yet")
    return json_response(
        {
            "question": d["form"],
            "readings": d["readings"],
            "result": d["result"],
            "frontier": d["frontier"],
        },
        cache_control="no-store",
    )


@router.get(
    "/network/graph", summary="The co-membership graph, only what a drawing needs", tags=["network"]
)
def network_graph(
    site: SiteDep,
    as_of: AsOf = None,
    type: Annotated[str | None, Query(description="Only groupings of this type")] = None,
    universal: Annotated[
        bool,
        Query(
            description="Count the universal bodies too (the UN, and any grouping with "
            f"{graphs.UNIVERSAL_MIN_STATES} or more member states), left out by default"
        ),
    ] = False,
) -> Response:
    return json_response(graphs.network_graph(site, site.day(as_of), type, universal=universal))


class WhatifIn(BaseModel):
    """A what-if scenario (docs/whatif.md): a date and at most 20 changes, each one of
    ``{"join": GROUPING, "country": ISO3}``, ``{"leave": ...}``, ``{"suspend": ...}``,
    ``{"found": NAME, "members": [...], "themes": [...]}`` or ``{"end": GROUPING}``,
    with an optional ``date``."""

    as_of: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD; today")
    title: str | None = Field(default=None, max_length=200)
    changes: list[dict[str, Any]] = Field(max_length=20, description="The changes, in any order")
    network: bool = Field(default=True, description="Include the network (the slowest part)")


@router.post(
    "/whatif",
    summary="What if: a scenario's differences from the record, ranked and explained",
    tags=["whatif"],
    responses=error_responses(
        (429, "Too many scenarios from this client (see Retry-After)"),
        (503, "The server is busy with other solves (see Retry-After)"),
    ),
)
async def whatif(request: Request, site: SiteDep, body: WhatifIn) -> Response:
    doc: dict[str, Any] = {"changes": body.changes}
    if body.as_of:
        doc["as_of"] = body.as_of
    if body.title:
        doc["title"] = body.title
    await whatif_view.limit(request)
    d = await whatif_view.answer_in_slot(site, doc, network=body.network)
    return json_response(d, cache_control="no-store")


@router.get(
    "/search",
    summary="Search groupings, countries, participants, events and sources",
    tags=["search"],
)
def search_api(
    site: SiteDep,
    q: Annotated[
        str, Query(max_length=200, description="Words to find (stemmed: chip finds chips)")
    ],
    kind: Annotated[
        str | None,
        Query(description="Only one kind: grouping, country, participant, event or source"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The same answer as `minilat search QUERY --json` and the site's search page."""
    return json_response(
        search.search(site.store, site.ds, q, kind=kind, limit=limit, offset=offset)
    )
