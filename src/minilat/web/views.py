"""One plain dict per page: the data each page shows, served as HTML and as JSON.

Each function takes the :class:`~minilat.web.site.Site` and the page's parsed input and
returns JSON-ready data. The analyses being written in parallel are asked for through
:mod:`minilat.web.library`; a missing one leaves its section as ``None`` with an
``available: false`` marker, never an error. The network views live in
:mod:`minilat.web.graphs`, the designer's in :mod:`minilat.web.designer`.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import Any

from minilat import countries, regions
from minilat.analysis import countries as _countries
from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset
from minilat.errors import BadInput, NotFound, did_you_mean
from minilat.model import GroupingType, Theme
from minilat.web import charts, findings, maps, optional, wording
from minilat.web.graphs import EGO_PARTNERS, ego_network
from minilat.web.library import (
    available_or_raise,
    known_types,
    resolve_member,
    section,
    types_on,
)
from minilat.web.site import Site

__all__ = [
    "MAX_LIMIT",
    "check_sort",
    "country",
    "country_list",
    "grouping",
    "grouping_list",
    "home",
    "members",
    "methodology",
    "recent_events",
    "source",
    "source_list",
    "timeline",
]

MAX_LIMIT = 500
_THEMES = frozenset(t.value for t in Theme)
_TYPES = frozenset(t.value for t in GroupingType)
_CHOICES = {
    "types": [t.value for t in GroupingType],
    "themes": sorted(_THEMES),
    "regions": list(regions.REGIONS),
}


# ------------------------------------------------------------------------------ home


def home(site: Site, today: _dt.date) -> dict[str, Any]:
    """Headline figures, the timeline and the latest dated events.

    Computed once per version of the data and day (every grouping's members on the day
    and the timeline: about 11 ms), and shared by the page and the timeline downloads;
    each caller gets its own top level."""
    return dict(site.cached(("home", today), lambda _ds: _home(site, today)))


def _home(site: Site, today: _dt.date) -> dict[str, Any]:
    ds = site.ds
    active = [g for g in ds.groupings.values() if g.active_on(today)]
    states = {
        m.participant for g in active for m in g.members_on(today) if ds.is_state(m.participant)
    }
    return {
        "title": "minilat — the observatory of tech minilateralism",
        "as_of": today.isoformat(),
        "figures": {
            "groupings": len(ds.groupings),
            "active_groupings": len(active),
            "alive_groupings": _alive(site, today),
            "states_taking_part": len(states),
            "memberships": sum(len(g.memberships) for g in ds.groupings.values()),
            "events": sum(len(g.events) for g in ds.groupings.values()),
            "sources": len(ds.sources),
        },
        **_timeline_section(site, today),
        "latest": recent_events(site, 10),
        "map": maps.groupings_per_state(site, today),
        "timeline_cite": maps.cite(site, "Groupings active each year", today.isoformat(), "/"),
        "dataset": {
            "fingerprint": site.fingerprint,
            "version": site.version,
            "built_at": site.built_at,
        },
    }


def _alive(site: Site, today: _dt.date) -> int:
    """How many groupings are alive (active or revived) by their recorded activity."""
    from minilat.analysis.life import life

    def compute(ds: Any) -> int:
        return sum(1 for g in ds.groupings.values() if life(g, today).alive)

    return site.cached(("alive", today), compute)


def _timeline_section(site: Site, today: _dt.date) -> dict[str, Any]:
    types = types_on(site, today)
    sec = section("timeline", ("timeline",), site.ds, types=known_types(types), today=today)
    chart = None
    if sec["result"] is not None:
        years = sec["result"]["years"]
        chart = charts.bar_chart([(str(y["year"]), y["active"]) for y in years])
    return {"timeline": sec, "timeline_chart": chart}


def recent_events(site: Site, limit: int) -> list[dict[str, Any]]:
    """The latest dated events, with their grouping's name."""
    out = []
    for row in site.store.recent_events(limit):
        g = site.ds.groupings.get(row["grouping_id"])
        out.append(
            {
                "grouping": row["grouping_id"],
                "grouping_name": g.name if g else row["grouping_id"],
                "date": row["date"],
                "day": row["day"],
                "kind": row["kind"],
                "title": row["title"],
            }
        )
    return out


# ------------------------------------------------------------------------- groupings


def _summary(site: Site, gid: str, as_of: _dt.date) -> dict[str, Any]:
    return site.cached(
        ("summary", gid, as_of), lambda ds: _groupings.summary(ds, ds.groupings[gid], as_of)
    )


def grouping_list(
    site: Site,
    *,
    type_: str | None = None,
    theme: str | None = None,
    member: str | None = None,
    as_of: str | None = None,
    active_on: str | None = None,
    ever: bool = False,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """The groupings matching every filter as of a date (today by default), one page of
    them, with the total: exactly what ``minilat groupings`` lists.

    ``region`` keeps the groupings with a member state in that region of the UN
    geoscheme (:mod:`minilat.regions`), "member" as for ``member``; each row lists its
    ``regions`` so.

    ``q`` matches names, acronyms and aliases, and (through the site search) objectives,
    working groups, themes and notes. ``sort`` orders by ``name``, ``founded``,
    ``members``, ``status`` or ``type`` (``-`` first for descending; founding date by
    default). ``facets`` counts the matching groupings by type, theme and status, as
    Datasette does.

    ``member`` means taking part on that date (``members`` of the grouping as of it lists
    the member); ``ever`` asks about any time instead. ``active_on`` is the old name of
    ``as_of``.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"limit must be between 1 and {MAX_LIMIT}", hint="for example limit=50")
    if offset < 0:
        raise BadInput("offset must not be negative", hint="offset=0 is the first page")
    theme = theme or None
    if theme is not None and theme not in _THEMES:
        raise BadInput(
            f"unknown theme {theme!r}",
            hint=did_you_mean(theme, [t.value for t in Theme]) or "see /methodology for themes",
        )
    type_ = type_ or None
    if type_ is not None and type_ not in _TYPES:
        raise BadInput(
            f"unknown type {type_!r}",
            hint="one of " + ", ".join(t.value for t in GroupingType),
        )
    region = region or None
    if region is not None and region not in regions.REGIONS:
        raise BadInput(f"unknown region {region!r}", hint="one of " + ", ".join(regions.REGIONS))
    if as_of and active_on and as_of != active_on:
        raise BadInput("as_of and active_on are the same filter: give one", hint="use as_of")
    given = as_of or active_on
    if ever and given:
        raise BadInput(
            "ever asks about any time, as_of about one date: give one of them",
            hint="drop as_of, or drop ever",
        )
    day = site.day(given, "as_of") if given else _dt.date.today()
    code = resolve_member(site, member) if member else None
    if sort:
        check_sort(sort)
    # everything but the page is computed once per version of the data and options
    found = site.cached_view(
        ("grouping-list", type_, theme, code, day, ever, q or None, sort or None, region),
        lambda _ds: _matching(
            site,
            day,
            type_=type_,
            theme=theme,
            code=code,
            ever=ever,
            q=q,
            sort=sort,
            region=region,
        ),
    )
    every = found["every"]
    rows = every[offset : offset + limit]
    return {
        "title": found["title"],
        "filters": {
            "type": type_,
            "theme": theme,
            "member": code,
            "as_of": None if ever else day.isoformat(),
            "ever": ever,
            "q": q or None,
            "region": region,
        },
        "as_of": day.isoformat(),
        "total": len(every),
        "limit": limit,
        "offset": offset,
        "count": len(rows),
        "counts_note": _groupings.COUNTS_NOTE,
        "of_note": _groupings.OF_NOTE,
        "counts_legend": wording.COUNTS_LEGEND,
        "groupings": rows,
        "incomplete_lists": found["incomplete_lists"],
        "typology_available": found["typology_available"],
        "choices": _CHOICES,
        "sort": sort or None,
        "sorts": list(SORTS),
        "facets": found["facets"],
        "facets_note": FACETS_NOTE,
    }


#: What the facet counts count.
FACETS_NOTE = (
    "Each count is a number of the groupings listed: by type, by theme (a grouping counts "
    "once under each of its themes), by status, and by region (a grouping counts once "
    "under each region of the UN geoscheme where a state taking part in it on the date, "
    "or at any time with ever, lies). With a theme or a region chosen, the other themes or "
    "regions count the listed groupings that also have them."
)


def _matching(
    site: Site,
    day: _dt.date,
    *,
    type_: str | None,
    theme: str | None,
    code: str | None,
    ever: bool,
    q: str | None,
    sort: str | None,
    region: str | None = None,
) -> dict[str, Any]:
    """Every grouping matching the filters, in order, with the listing's title and
    facets: the part of :func:`grouping_list` that does not depend on the page."""
    ids = site.store.grouping_ids(
        member=code, theme=theme, as_of=None if ever else day, query=q or None
    )
    if q:  # objectives, working groups, themes and notes too, through the site search
        found = site.store.search(q, kind="grouping", limit=MAX_LIMIT)["results"]
        more = {r["key"] for r in found}
        if more - set(ids):
            everyone = site.store.grouping_ids(
                member=code, theme=theme, as_of=None if ever else day
            )
            ids = [i for i in everyone if i in more or i in ids]
    types = types_on(site, day)
    if type_ is not None:
        if types is None:
            raise optional.NotAvailable(
                "filtering by type needs the typology, which is not available yet",
                hint="filter by theme, member, date or name meanwhile",
            )
        ids = [i for i in ids if types.get(i) == type_]
    every = []
    for gid in ids:
        row = dict(_summary(site, gid, day))
        row["type"] = types.get(gid) if types is not None else None
        row["regions"] = _regions(site.ds, site.ds.groupings[gid], None if ever else day)
        if code is not None:  # the member's own role and its dates (never hidden)
            row["member_role"] = _groupings.member_role(
                site.ds.groupings[gid], code, day, ever=ever
            )
        if region is None or region in row["regions"]:
            every.append(row)
    ids = [r["id"] for r in every]
    if sort:
        key = sort.lstrip("-")
        every.sort(key=lambda r: r["founded"])
        every.sort(key=SORTS[key], reverse=sort.startswith("-"))
    maybe: list[dict[str, Any]] = []
    if code is not None and not ever:  # lists that may hold the member without showing it
        others = site.store.grouping_ids(theme=theme, as_of=day, query=q or None)
        maybe = _groupings.not_listing(site.ds, code, day, ids, among=others)
    return {
        "every": every,
        "incomplete_lists": maybe,
        "title": _groupings.listing_title(site.ds, len(ids), as_of=day, member=code, ever=ever),
        "typology_available": types is not None,
        "facets": _facets(every),
    }


#: How the groupings list can be sorted (``?sort=``, ``-`` first for descending).
SORTS: dict[str, Any] = {
    "name": lambda r: str(r["name"]).casefold(),
    "founded": lambda r: r["founded"],
    # the size every face shows: the published head-count of an incomplete list
    "members": _groupings.size,
    "status": lambda r: str(r.get("status") or ""),
    "type": lambda r: str(r.get("type") or ""),
}


def check_sort(sort: str) -> str:
    """``sort`` if the groupings list can be sorted by it; BadInput with the choices."""
    if sort.lstrip("-") not in SORTS:
        raise BadInput(f"cannot sort by {sort!r}", hint="one of " + ", ".join(SORTS))
    return sort


def _facets(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Counts of the matching groupings by type, theme, status and region, most first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, values in (
        ("type", lambda r: [r["type"]] if r.get("type") else []),
        ("theme", lambda r: list(r.get("themes") or [])),
        ("status", lambda r: [r["status"]] if r.get("status") else []),
        ("region", lambda r: list(r.get("regions") or [])),
    ):
        counts: Counter[str] = Counter(v for r in rows for v in values(r))
        out[name] = [
            {"value": v, "count": n}
            for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return out


def _regions(ds: Dataset, g: Any, day: _dt.date | None) -> list[str]:
    """The regions of the states taking part in ``g`` on ``day`` (at any time: None),
    in an active role, as the ``member`` filter reads them."""
    taking_part = g.members_on(day) if day else [m for m in g.memberships if m.active_role]
    return regions.regions_of(m.participant for m in taking_part if ds.is_state(m.participant))


def _members_series(g: Any, as_of: _dt.date) -> list[tuple[str, int, int]]:
    """Each day the membership changed: the full members then, and the participants in
    other active roles (partners, associates, observers), counted apart."""
    days = {g.founded.first_day()}
    for m in g.memberships:
        days.add(m.start.first_day())
        if m.end is not None:
            days.add(m.end.first_day())
    for p in g.periods:
        days.add(p.start.first_day())
        if p.end is not None:
            days.add(p.end.first_day())
    end = max(as_of, max(days))
    days.add(end)
    out = []
    for d in sorted(days):
        if d <= end:
            current = g.members_on(d)
            full = sum(1 for m in current if m.full)
            out.append((d.isoformat(), full, len(current) - full))
    return out


def grouping(site: Site, gid: str, as_of: _dt.date) -> dict[str, Any]:
    """A grouping's page: every fact with its sources, members over time, assessments.

    Computed once per version of the data, grouping and date, and shared by the page, the
    API and the downloads; each caller gets its own top level to add keys to."""
    key = site.ds.grouping(gid).id
    return dict(site.cached(("grouping", key, as_of), lambda ds: _grouping(site, key, as_of)))


def _grouping(site: Site, gid: str, as_of: _dt.date) -> dict[str, Any]:
    ds = site.ds
    g = ds.grouping(gid)
    d = _groupings.detail(ds, g, as_of)
    series = _members_series(g, as_of)
    d["members_over_time"] = [{"day": day, "members": n, "other_roles": k} for day, n, k in series]
    d["chart"] = charts.step_chart([(day, n) for day, n, _ in series])
    d["counts"] = findings.role_counts(d["members"])
    d["assessments"] = {
        "characteristics": section("characteristics", ("assess",), ds, g, as_of),
        "typology": section("typology", ("classify_one",), ds, g),
        "scorecard": section("scorecard", ("score",), ds, g, as_of),
    }
    d["findings"] = findings.grouping(d)
    d["map"] = maps.grouping_members(site, gid, as_of)
    d["chart_cite"] = maps.cite(
        site, f"Members of {g.name} over time", as_of.isoformat(), f"/groupings/{gid}"
    )
    d["glossary"] = {k: findings.GLOSSARY[k] for k in ("informality", "policy scorecard")}
    return d


def members(site: Site, gid: str, as_of: _dt.date, verified_only: bool = False) -> dict[str, Any]:
    """The members of a grouping as of a date (the CLI's ``members --json``)."""
    return _groupings.members(site.ds, site.ds.grouping(gid), as_of, verified_only=verified_only)


# ------------------------------------------------------------------------- countries


def country_list(site: Site, as_of: _dt.date, region: str | None = None) -> dict[str, Any]:
    """Every state that takes or took part in a grouping, with its counts as of a date
    and its region (:mod:`minilat.regions`); ``region`` keeps the states of one region.
    ``facets`` counts the states listed by region. Computed once per version of the
    data, date and region."""
    region = region or None
    if region is not None and region not in regions.REGIONS:
        raise BadInput(f"unknown region {region!r}", hint="one of " + ", ".join(regions.REGIONS))
    return dict(
        site.cached_view(
            ("country-list", as_of, region), lambda ds: _country_list(ds, as_of, region)
        )
    )


def _country_list(ds: Any, as_of: _dt.date, region: str | None) -> dict[str, Any]:
    now: Counter[str] = Counter()
    ever: dict[str, set[str]] = {}
    for g in ds.groupings.values():
        for m in g.memberships:
            if ds.is_state(m.participant) and m.active_role:
                ever.setdefault(m.participant, set()).add(g.id)
        for m in g.members_on(as_of):
            if ds.is_state(m.participant):
                now[m.participant] += 1
    rows = [
        {
            "iso3": code,
            "name": countries.state(code).name,
            "region": regions.region(code),
            "groupings_now": now[code],
            "groupings_ever": len(ever[code]),
        }
        for code in sorted(ever, key=lambda c: countries.state(c).name)
    ]
    if region is not None:
        rows = [r for r in rows if r["region"] == region]
    by_region: Counter[str] = Counter(str(r["region"]) for r in rows if r["region"])
    return {
        "as_of": as_of.isoformat(),
        "region": region,
        "count": len(rows),
        "countries": rows,
        "facets": {
            "region": [
                {"value": v, "count": n}
                for v, n in sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        },
        "facets_note": (
            "Each count is a number of the states listed, by the region of the UN geoscheme "
            "where each lies."
        ),
        "regions": list(regions.REGIONS),
    }


def _country_record(site: Site, code: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A country's every membership spell and the events of its groupings, newest first
    (once per version of the data: they do not depend on the date)."""

    def compute(ds: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        history = [
            {
                "grouping": g.id,
                "grouping_name": g.name,
                "role": m.role.value,
                "start": m.start.iso(),
                "end": m.end.iso() if m.end else None,
                "verified": m.verified,
                "sources": list(m.sources),
            }
            for g in ds.groupings.values()
            for m in g.memberships
            if m.participant == code
        ]
        history.sort(key=lambda r: (r["start"], r["grouping"]))
        ids = {h["grouping"] for h in history}
        events = [
            {"grouping": g.id, "grouping_name": g.name, **e.model_dump(mode="json")}
            for g in ds.groupings.values()
            if g.id in ids
            for e in g.events
        ]
        events.sort(key=lambda e: e["date"], reverse=True)
        return history, events

    record: tuple[list[dict[str, Any]], list[dict[str, Any]]] = site.cached(
        ("country_record", code), compute
    )
    return record


def country(site: Site, iso3: str, as_of: _dt.date) -> dict[str, Any]:
    """A country's memberships now and over time, and its profile when available.

    Computed once per version of the data, country and date, and shared by the page, the
    API, the compare view and the downloads; each caller gets its own top level."""
    code = site.ds.resolve_participant(iso3)
    if not site.ds.is_state(code):
        p = site.ds.participant(code)
        raise NotFound(
            f"{p.name} ({code}) is a participant, not a state",
            hint=f"its groupings: /groupings?member={code}",
        )
    return dict(site.cached(("country", code, as_of), lambda ds: _country(site, code, as_of)))


def non_state_address(site: Site, text: str) -> str | None:
    """Where a country address that names a non-state participant (``/countries/eu``, the
    Faroe Islands' ``/countries/FRO``) belongs: the listing of its groupings, as
    ``minilat country`` answers for it; None for a state or a name that resolves to none."""
    try:
        code = site.ds.resolve_participant(text)
    except NotFound:
        return None
    return None if site.ds.is_state(code) else code


def _country(site: Site, code: str, as_of: _dt.date) -> dict[str, Any]:
    ds = site.ds
    state = countries.state(code)
    # who takes part in what on the date, and each grouping's summary, are computed once
    # per date and shared by every country page of it (copies are made before adding)
    current = [
        {**_summary(site, g.id, as_of), "role": role}
        for g, role in _countries.taking_part(ds, code, as_of)
    ]
    current.sort(key=lambda r: (r["founded"], r["id"]))
    history, events = _country_record(site, code)
    # a current membership the record could not verify is marked as such on the page
    unverified = {
        h["grouping"]
        for h in history
        if not h["verified"]
        and h["role"] in findings.ACTIVE_ROLES
        and h["start"] <= as_of.isoformat()
        and (h["end"] is None or as_of.isoformat() < h["end"])
    }
    for r in current:
        r["verified"] = r["id"] not in unverified
    # one ranking of closest partners (most shared groupings, ties by name, universal bodies
    # left out) for the table, the map and the ego network, as the CLI and the API rank them
    partners = [
        {"id": r["id"], "name": r["name"], "shared": r["shared"]}
        for r in maps.partner_rows(site, code, as_of)
    ]
    partner_map = maps.country_partners(site, code, as_of)
    d: dict[str, Any] = {
        "iso3": code,
        "name": state.name,
        "as_of": as_of.isoformat(),
        "groupings_now": current,
        # groupings that may hold the country without the record showing it
        "incomplete_lists": _groupings.not_listing(ds, code, as_of, [r["id"] for r in current]),
        "membership_history": history,
        "events": events[:50],
        "profile": _profile(site, code, as_of),
        "ego_network": ego_network(site, code, as_of, [r["id"] for r in partners[:EGO_PARTNERS]]),
        "partners": partners[:10],
        "partner_count": len(partners),
        "partners_order": _countries.PARTNERS_ORDER,
        "partners_exclude": [g["name"] for g in partner_map["excluded"]],
        "map": partner_map,
        "glossary": {
            k: findings.GLOSSARY[k]
            for k in ("partners", "tie strength", "hedging index", "specialisation", "betweenness")
        },
    }
    d["findings"] = findings.country(d, {gid: g.name for gid, g in ds.groupings.items()})
    d["chart_cite"] = maps.cite(
        site,
        f"Groupings {state.name} took part in on 1 July of each year",
        as_of.isoformat(),
        f"/countries/{code}",
    )
    return d


def _profile(site: Site, code: str, as_of: _dt.date) -> dict[str, Any]:
    types = known_types(types_on(site, as_of))
    sec = section("countries", ("profile",), site.ds, code, as_of, types=types)
    if sec["result"] is not None:  # the page shows these itself
        for dup in ("memberships", "country", "as_of"):
            sec["result"].pop(dup, None)
        over = sec["result"].get("over_time") or []
        sec["chart"] = charts.step_chart(
            # each point on the day it counts (1 July), as the CLI and the panels count
            [(r["on"], r["groupings"]) for r in over if "on" in r]
        )
    return sec


# --------------------------------------------------------------------------- sources


def source_list(site: Site, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Every source, a page at a time."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise BadInput(f"limit must be 1..{MAX_LIMIT} and offset at least 0")
    items = sorted(site.ds.sources.values(), key=lambda s: s.id)
    return {
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "sources": [s.model_dump(mode="json") for s in items[offset : offset + limit]],
    }


def source(site: Site, sid: str) -> dict[str, Any]:
    """One source, and the groupings that cite it."""
    s = site.ds.source(sid)
    cited = sorted(gid for gid, g in site.ds.groupings.items() if sid in _cited(g.model_dump()))
    return {**s.model_dump(mode="json"), "cited_by": cited}


def _cited(obj: Any) -> set[str]:
    """Every source id cited anywhere inside a dumped model."""
    out: set[str] = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "sources" and isinstance(v, list | tuple):
                out.update(str(x) for x in v)
            else:
                out |= _cited(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            out |= _cited(v)
    return out


# ----------------------------------------------------------------------- methodology


def methodology(site: Site) -> dict[str, Any]:
    """What the observatory counts and how: the framework, vocabularies, evidence rules."""
    return {
        "framework": {
            "definition": (
                "Minilateralism (Naim): the smallest number of countries needed for the "
                "largest possible impact on a particular problem."
            ),
            "characteristics": [
                "small number of participants (often no more than ten)",
                "informality",
                "thematic focus",
                "multi-stakeholder participation",
            ],
            "types": [t.value for t in GroupingType],
            "policy_implications": [
                "strategic clarity",
                "economic interdependencies",
                "balance of informality and institutionalisation",
                "transparency and public engagement",
                "unified purpose and commitment",
            ],
        },
        "evidence": (
            "Every fact cites at least one source (title, publisher, address, date accessed) "
            "or is marked unverified with a note; analyses can leave unverified facts out."
        ),
        "as_of": (
            "Every analysis answers as of a date: memberships and activity periods are "
            "intervals [start, end); a date known to a month or a year counts from its first day."
        ),
        "themes": sorted(t.value for t in Theme),
        "dataset": {
            "groupings": len(site.ds.groupings),
            "sources": len(site.ds.sources),
            "fingerprint": site.fingerprint,
            "version": site.version,
            "built_at": site.built_at,
        },
    }


def timeline(site: Site, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """Groupings founded and active per year, by type (from the timeline analysis)."""
    kwargs: dict[str, Any] = {"types": known_types(types_on(site, _dt.date.today()))}
    if start is not None:
        kwargs["start"] = start
    if end is not None:
        kwargs["end"] = end
    data = section("timeline", ("timeline",), site.ds, raise_errors=True, **kwargs)
    return available_or_raise("timeline", data)
