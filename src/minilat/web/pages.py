"""The server-rendered pages at their stable addresses. Each computes one dict (from
:mod:`minilat.web.views`) and renders it as HTML or, when asked, as JSON."""

from __future__ import annotations

import datetime as _dt
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from minilat import search
from minilat.errors import BadInput, MinilatError
from minilat.web import compare as compare_view
from minilat.web import designer, graphs, news, views
from minilat.web import whatif as whatif_view
from minilat.web.footnotes import Footnotes, catalog
from minilat.web.http import redirect_with_query
from minilat.web.render import request_wants_json
from minilat.web.site import Site, get_site

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SiteDep = Annotated[Site, Depends(get_site)]
Opt = Annotated[str | None, Query()]


def _renderer(request: Request) -> Any:
    return request.app.state.renderer


def _version(site: Site, day: _dt.date | None = None) -> tuple[Any, ...]:
    """What a page of the dataset depends on besides its address and options: the version
    of the data served (read before the view, so that a page is never kept under an older
    version than it shows) and the day (today, or the page's date). A page's ``shared``
    (:meth:`minilat.web.render.Renderer.html`)."""
    return (site.refresh(), _dt.date.today(), day)


def _kept(
    request: Request, site: Site, template: str, day: _dt.date | None = None, *more: Any
) -> Response | None:
    """The page already rendered for this request (see :func:`_version`), looked up on
    the event loop; None when it must be computed, or when the version of the data is due
    to be checked (file stats and a database read: in the worker thread)."""
    if site.refresh_due():
        return None
    shared = (site.serial, _dt.date.today(), day, *more)
    kept: Response | None = _renderer(request).kept_page(request, template, shared)
    return kept


def _news_version() -> tuple[str, Any]:
    """What a grouping page's news section reads besides the dataset: the monitor store."""
    root = news.monitor_root()
    return str(root), news.store_version(root)


# The pages below are coroutines that answer from the rendered pages' memo when they can
# (a look-up), and compute in a worker thread otherwise: a page computed by a view is
# computed in a thread as before, one kept is answered without the thread's round trip.


@router.get("/")
async def home(request: Request, site: SiteDep) -> Response:
    kept = _kept(request, site, "home.html")
    if kept is not None:
        return kept
    return await run_in_threadpool(_home, request, site)


def _home(request: Request, site: Site) -> Response:
    version = _version(site)
    return _renderer(request).page(
        request, "home.html", views.home(site, _dt.date.today()), shared=version
    )


@router.get("/groupings")
async def groupings(
    request: Request,
    site: SiteDep,
    type: Opt = None,
    theme: Opt = None,
    member: Opt = None,
    as_of: Opt = None,
    active_on: Opt = None,
    ever: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    region: Opt = None,
) -> Response:
    # a page kept was rendered without errors for the same declared options, version and day
    kept = _kept(request, site, "groupings.html")
    if kept is not None:
        return kept
    return await run_in_threadpool(
        _groupings, request, site, type, theme, member, as_of, active_on, ever, q, limit,
        offset, sort, region,
    )  # fmt: skip


def _groupings(
    request: Request,
    site: Site,
    type: str | None,
    theme: str | None,
    member: str | None,
    as_of: str | None,
    active_on: str | None,
    ever: bool,
    q: str | None,
    limit: int,
    offset: int,
    sort: str | None,
    region: str | None,
) -> Response:
    version = _version(site)
    errors: dict[str, str] = {}
    if not request_wants_json(request):  # a page keeps the form and shows errors inline
        checks = {
            "member": lambda: member and views.resolve_member(site, member),
            "as_of": lambda: (as_of or active_on) and site.day(as_of or active_on),
            "sort": lambda: sort and views.check_sort(sort),
        }
        for name, check in checks.items():
            try:
                check()
            except MinilatError as e:
                errors[name] = e.message + (f" ({e.hint})" if e.hint else "")
    data = views.grouping_list(
        site,
        type_=type,
        theme=theme,
        member=None if "member" in errors else member,
        as_of=None if "as_of" in errors else as_of,
        active_on=None if "as_of" in errors else active_on,
        ever=ever,
        q=q,
        limit=limit,
        offset=offset,
        sort=None if "sort" in errors else sort,
        region=region,
    )
    if errors:
        data["errors"] = errors
        data["typed"] = {"member": member or "", "as_of": as_of or active_on or ""}
        return _renderer(request).html(request, "groupings.html", data, status=400)
    return _renderer(request).page(request, "groupings.html", data, shared=version)


@router.get("/groupings/{gid}")
async def grouping(request: Request, site: SiteDep, gid: str, as_of: Opt = None) -> Response:
    day = site.day(as_of)
    kept = _kept(request, site, "grouping.html", day, *_news_version())
    if kept is not None:
        return kept
    return await run_in_threadpool(_grouping, request, site, gid, day)


def _grouping(request: Request, site: Site, gid: str, day: _dt.date) -> Response:
    version = (*_version(site, day), *_news_version())  # the news section: monitor store
    data = views.grouping(site, gid, day)
    data["news"] = news.news_section(site, gid, day)
    return _renderer(request).page(
        request, "grouping.html", data, notes=Footnotes(catalog(site)), shared=version
    )


@router.get("/countries")
def countries(request: Request, site: SiteDep, as_of: Opt = None, region: Opt = None) -> Response:
    data = views.country_list(site, site.day(as_of), region)
    return _renderer(request).page(request, "countries.html", data)


@router.get("/countries/{iso3}")
async def country(request: Request, site: SiteDep, iso3: str, as_of: Opt = None) -> Response:
    day = site.day(as_of)
    kept = _kept(request, site, "country.html", day)
    if kept is not None:
        return kept
    return await run_in_threadpool(_country, request, site, iso3, day)


def _country(request: Request, site: Site, iso3: str, day: _dt.date) -> Response:
    other = views.non_state_address(site, iso3)
    if other is not None:  # the EU, a territory: its groupings, as `minilat country` lists
        return redirect_with_query(request, "/groupings", member=other)
    version = _version(site, day)
    data = views.country(site, iso3, day)
    return _renderer(request).page(
        request, "country.html", data, notes=Footnotes(catalog(site)), shared=version
    )


@router.get("/network")
def network(
    request: Request, site: SiteDep, as_of: Opt = None, type: Opt = None, universal: bool = False
) -> Response:
    day = site.day(as_of)
    try:
        graph: dict[str, Any] | None = graphs.network_graph(site, day, type, universal=universal)
        static = (
            site.cached(
                ("network-static", day, type, universal),
                lambda _ds: graphs.static_layout(graph) if graph else None,
            )
            if graph
            else None
        )
        message = None
    except MinilatError as e:
        if e.status not in (501,):
            raise
        graph, message, static = None, e.message, None
    data = {
        "as_of": day.isoformat(),
        "type": type,
        "universal": universal,
        "universal_min_states": graphs.UNIVERSAL_MIN_STATES,
        "static": static,
        "available": graph is not None,
        "message": message,
        "graph": graph,
        "choices": {"types": views.grouping_list(site, limit=1)["choices"]["types"]},
    }
    return _renderer(request).page(request, "network.html", data)


@router.get("/design")
async def design(
    request: Request,
    site: SiteDep,
    table: Annotated[list[str] | None, Query(max_length=10)] = None,
    target: Annotated[list[str] | None, Query(max_length=10)] = None,
    max_size: Annotated[str | None, Query(max_length=3)] = None,
    include: Annotated[str | None, Query(max_length=300)] = None,
    exclude: Annotated[str | None, Query(max_length=300)] = None,
    within_existing: bool = False,
    universal: bool = False,
    frontier: Annotated[str | None, Query(max_length=3)] = None,
    forbid: Annotated[str | None, Query(max_length=300)] = None,
    as_of: Opt = None,
) -> Response:
    question: dict[str, Any] = {
        "tables": table,
        "targets": target,
        "max_size": designer.whole(max_size, "max_size", 1, 60),
        "include": include,
        "exclude": exclude,
        "within_existing": within_existing,
        "universal": universal,
        "frontier": designer.whole(frontier, "frontier", 1, 30),
        "as_of": site.day(as_of) if as_of else None,
        "forbid": forbid,
        "strict": request_wants_json(request),
    }
    if table:  # a question to solve: counted, and solved in a slot
        await designer.limit(request)
        data = await designer.design_in_slot(site, **question)
    else:  # the empty form
        data = await run_in_threadpool(partial(designer.design, site, **question))
    if data["errors"] and not request_wants_json(request):  # the form, kept, with its errors
        return await run_in_threadpool(
            partial(_renderer(request).html, request, "design.html", data, status=400)
        )
    return await run_in_threadpool(_renderer(request).page, request, "design.html", data)


Rows = Annotated[list[str] | None, Query(max_length=40)]


@router.get("/whatif")
async def whatif(
    request: Request,
    site: SiteDep,
    as_of: Opt = None,
    kind: Rows = None,
    grouping: Rows = None,
    country: Rows = None,
    date: Rows = None,
    themes: Rows = None,
) -> Response:
    form: dict[str, Any] = {
        "as_of": as_of,
        "kinds": kind or [],
        "groupings": grouping or [],
        "countries": country or [],
        "dates": date or [],
        "themes": themes or [],
    }
    if any(x.strip() for x in [*form["groupings"], *form["countries"]]):
        await whatif_view.limit(request)  # a scenario to answer: counted, and answered in a slot
        data = await whatif_view.page_in_slot(site, **form)
    else:  # the empty form
        data = await run_in_threadpool(partial(whatif_view.page, site, **form))
    renderer = _renderer(request)
    if data["error"]:
        if request_wants_json(request):
            raise BadInput(data["error"]["message"], hint=data["error"]["hint"])
        return await run_in_threadpool(
            partial(
                renderer.html, request, "whatif.html", data, status=400, cache_control="no-store"
            )
        )
    return await run_in_threadpool(renderer.page, request, "whatif.html", data)


@router.get("/methodology")
def methodology(request: Request, site: SiteDep) -> Response:
    return _renderer(request).page(request, "methodology.html", views.methodology(site))


@router.get("/sources")
def sources(
    request: Request,
    site: SiteDep,
    limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = search.SOURCES_PAGE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    data = views.source_list(site, limit, offset)
    return _renderer(request).page(request, "sources.html", data)


@router.get("/search")
def search_page(
    request: Request,
    site: SiteDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    kind: Opt = None,
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT)] = 30,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    data = search.search(site.store, site.ds, q or "", kind=kind, limit=limit, offset=offset)
    return _renderer(request).page(request, "search.html", data)


@router.get("/compare")
def compare(
    request: Request,
    site: SiteDep,
    countries: Annotated[str | None, Query(max_length=200)] = None,
    groupings: Annotated[str | None, Query(max_length=200)] = None,
    as_of: Opt = None,
) -> Response:
    data = compare_view.compare(
        site, countries_=countries, groupings=groupings, as_of=site.day(as_of)
    )
    return _renderer(request).page(request, "compare.html", data)


@router.get("/events")
def events(
    request: Request,
    site: SiteDep,
    kind: Opt = None,
    grouping: Opt = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    data = compare_view.events(site, kind=kind or None, grouping=grouping or None, year=year)
    return _renderer(request).page(request, "events.html", data)


@router.get("/matrix")
def matrix(
    request: Request,
    site: SiteDep,
    as_of: Opt = None,
    type: Opt = None,
    theme: Opt = None,
    max_members: Annotated[int, Query(ge=2, le=300)] = compare_view.MATRIX_MAX_MEMBERS,
) -> Response:
    data = compare_view.matrix(
        site,
        as_of=site.day(as_of),
        type_=type or None,
        theme=theme or None,
        max_members=max_members,
    )
    return _renderer(request).page(request, "matrix.html", data)
