"""Side by side: 2 to 4 countries, or 2 to 4 groupings, as of a date; and the events
timeline. Each view is one plain dict, served as HTML and as JSON.

A comparison reads what the country and grouping pages already compute (the profile,
the summary, the members), so the figures always agree with those pages.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import Any

from minilat import countries
from minilat.analysis import groupings as _groupings
from minilat.errors import BadInput
from minilat.web import charts, maps, views
from minilat.web.library import types_on
from minilat.web.site import Site

__all__ = ["MATRIX_MAX_MEMBERS", "MAX_ITEMS", "compare", "events", "matrix"]

#: How many countries or groupings one comparison holds.
MAX_ITEMS = 4


def _items(text: str | None) -> list[str]:
    items = [t.strip() for t in (text or "").split(",") if t.strip()]
    if len(items) > MAX_ITEMS:
        raise BadInput(f"compare at most {MAX_ITEMS} at once", hint="drop some from the list")
    return list(dict.fromkeys(items))


def compare(
    site: Site, *, countries_: str | None, groupings: str | None, as_of: _dt.date
) -> dict[str, Any]:
    """Countries (ISO3 codes or names, comma-separated) or groupings (ids) side by side."""
    c_items, g_items = _items(countries_), _items(groupings)
    if c_items and g_items:
        raise BadInput("compare countries or groupings, not both", hint="give one of the two")
    out: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "kind": None,
        "countries": [],
        "groupings": [],
        "shared": [],
        "form": {"countries": ", ".join(c_items), "groupings": ", ".join(g_items)},
        "max_items": MAX_ITEMS,
    }
    if c_items:
        if len(c_items) < 2:
            raise BadInput("compare at least 2 countries", hint="e.g. IND, GBR, EST")
        out["kind"] = "countries"
        codes = [countries.resolve_state(c) for c in c_items]
        sets = []
        for code in codes:
            d = views.country(site, code, as_of)
            p = (d.get("profile") or {}).get("result") or {}
            a = p.get("alignment") or {}
            themes = Counter(t for g in d["groupings_now"] for t in g["themes"])
            out["countries"].append(
                {
                    "iso3": code,
                    "name": d["name"],
                    "groupings": len(d["groupings_now"]),
                    "us_anchored": a.get("us_anchored"),
                    "china_anchored": a.get("china_anchored"),
                    "hedging_index": a.get("hedging_index"),
                    "alignment": a.get("label"),
                    "partners": d["partner_count"],
                    "closest": [x["name"] for x in d["partners"][:3]],
                    "top_themes": [t for t, _ in themes.most_common(3)],
                    "first_finding": d["findings"][0] if d["findings"] else "",
                }
            )
            sets.append({g["id"] for g in d["groupings_now"]})
        shared = set.intersection(*sets)
        out["shared"] = sorted(
            ({"id": gid, "name": site.ds.groupings[gid].name} for gid in shared),
            key=lambda r: r["name"],
        )
    elif g_items:
        if len(g_items) < 2:
            raise BadInput("compare at least 2 groupings", hint="e.g. quad, aukus")
        out["kind"] = "groupings"
        sets = []
        types = types_on(site, as_of) or {}
        for gid in g_items:
            g = site.ds.grouping(gid)
            s = _groupings.summary(site.ds, g, as_of)
            members = {m.participant for m in g.members_on(as_of)}
            out["groupings"].append({**s, "type": types.get(g.id)})
            sets.append(members)
        shared = set.intersection(*sets)
        out["shared"] = sorted(
            ({"id": p, "name": site.ds.participant(p).name} for p in shared),
            key=lambda r: r["name"],
        )
    return out


def events(
    site: Site, *, kind: str | None = None, grouping: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Every dated event, newest first, with the number per year as a chart."""
    rows: list[dict[str, Any]] = []
    for g in site.ds.groupings.values():
        if grouping and g.id != grouping:
            continue
        for e in g.events:
            if kind and e.kind.value != kind:
                continue
            rows.append(
                {
                    "date": e.date.iso(),
                    "day": e.date.first_day().isoformat(),
                    "kind": e.kind.value,
                    "title": e.title,
                    "grouping": g.id,
                    "grouping_name": g.name,
                    "sources": list(e.sources),
                }
            )
    if grouping and grouping not in site.ds.groupings:
        site.ds.grouping(grouping)  # NotFound with a hint
    rows.sort(key=lambda r: (r["day"], r["grouping"]), reverse=True)
    per_year = Counter(int(str(r["day"])[:4]) for r in rows)
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    shown = [r for r in rows if year is None or str(r["day"]).startswith(str(year))]
    kinds = sorted({e.kind.value for g in site.ds.groupings.values() for e in g.events})
    title = "Dated events per year"
    return {
        "filters": {"kind": kind, "grouping": grouping, "year": year},
        "kinds": kinds,
        "total": len(rows),
        "per_year": [{"year": y, "events": per_year.get(y, 0)} for y in years],
        "chart": charts.bar_chart([(str(y), per_year.get(y, 0)) for y in years]) if years else None,
        "cite": maps.cite(site, title, _dt.date.today().isoformat(), "/events"),
        "events": shown[:300],
        "shown": len(shown),
    }


#: The membership matrix shows groupings of at most this many member states by default
#: (the minilaterals), so it stays readable; ``max_members`` raises it.
MATRIX_MAX_MEMBERS = 30


def matrix(
    site: Site,
    *,
    as_of: _dt.date,
    type_: str | None = None,
    theme: str | None = None,
    max_members: int = MATRIX_MAX_MEMBERS,
) -> dict[str, Any]:
    """Countries x groupings on a date: which state takes part in which grouping.

    Columns: the groupings active on ``as_of`` (of ``type_`` and ``theme`` if given) of
    at most ``max_members`` member states (the published head-count where the record
    names only some members, :func:`minilat.analysis.groupings.size`); rows: the states
    taking part in any of them, most memberships first. ``cells`` lists, per row, the
    column indexes it belongs to.
    """
    if not 2 <= max_members <= 300:
        raise BadInput("max_members must be from 2 to 300")
    listing = views.grouping_list(
        site, type_=type_, theme=theme, as_of=as_of.isoformat(), limit=views.MAX_LIMIT
    )
    columns = []
    members: list[set[str]] = []
    for row in listing["groupings"]:
        g = site.ds.groupings[row["id"]]
        states = {m.participant for m in g.members_on(as_of) if site.ds.is_state(m.participant)}
        # the size every face shows: an incomplete list's published head-count, not the
        # members it names (the IMF names 14 of its 191 members)
        published = row.get("published_count")
        size = len(states) if published is None else max(published, len(states))
        if not states or size > max_members:
            continue
        label = g.acronyms[0] if g.acronyms else g.name
        of = row.get("named_of_published")
        counted = "participants" if row.get("named_counts") == "participants" else "states"
        columns.append(
            {
                "id": g.id,
                "name": g.name,
                "label": label,
                "states": len(states),
                "size": size,
                # "N of M" where the record names only some members, as every face says it
                "named_of_published": of,
                "size_text": f"{of} {counted}" if of else f"{len(states)} states",
            }
        )
        members.append(states)
    counts = Counter(code for states in members for code in states)
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], countries.state(kv[0]).name)):
        rows.append(
            {
                "iso3": code,
                "name": countries.state(code).name,
                "count": n,
                "cells": [i for i, states in enumerate(members) if code in states],
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "filters": {"type": type_, "theme": theme, "max_members": max_members},
        "choices": listing["choices"],
        "columns": columns,
        "rows": rows,
    }
