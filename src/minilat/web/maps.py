"""The maps of the site as data: which states to shade, how, and why.

Each function returns one plain dict (``title``, ``as_of``, ``columns``, ``rows`` with one
row per state, ``legend``, ``cite``): the page shows it as a map with :func:`svg`, the
JSON carries it as it is, and the downloads give it as CSV (:func:`csv_text`) and SVG.
The drawing itself is :mod:`minilat.web.worldmap`.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections import Counter
from typing import Any

from minilat import countries, csvsafe
from minilat.analysis import countries as _countries
from minilat.dataset import Dataset
from minilat.web import worldmap
from minilat.web.graphs import universal_groupings
from minilat.web.site import Site

__all__ = ["cite", "country_partners", "csv_text", "grouping_members", "groupings_per_state", "svg"]

_BLUES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
_MEMBER, _FORMER, _SELF = "#08519c", "#f5a05a", "#b34700"

#: The fill of each way a state takes part in a grouping on its map: full members dark
#: blue, the other active roles lighter shades, each its own legend key and tooltip.
_ROLE_FILL = {
    "member": _MEMBER,
    "associate": "#4292c6",
    "partner": "#9ecae1",
    "observer": "#c7e9c0",
    "former member": _FORMER,
}
_COLOUR = {
    _MEMBER: "dark blue",
    "#4292c6": "mid blue",
    "#9ecae1": "light blue",
    "#c7e9c0": "pale green",
    _FORMER: "orange",
}


def _status(role: str) -> str:
    """The word a map uses for a role: full members are "member"."""
    return "member" if role in ("founding_member", "member") else role


def cite(site: Site, title: str, as_of: str, address: str) -> str:
    """The "cite this" text of a chart or map: the dataset's version and the date."""
    built = (site.built_at or "")[:10] or "unknown date"
    return (
        f"minilat observatory, “{title}”, as of {as_of}; dataset version {site.version} "
        f"(built {built}). {address}"
    )


def _bands(bounds: tuple[int, ...]) -> list[tuple[int, int | None, str, str]]:
    out = []
    for i, lo in enumerate(bounds):
        hi = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        label = f"{lo}" if hi == lo else (f"{lo}–{hi}" if hi is not None else f"{lo}+")
        out.append((lo, hi, _BLUES[i + len(_BLUES) - len(bounds)], label))
    return out


def _band_of(bands: list[tuple[int, int | None, str, str]], v: int) -> tuple[str, str] | None:
    for lo, hi, fill, label in bands:
        if v >= lo and (hi is None or v <= hi):
            return fill, label
    return None


def _state_rows(counts: Counter[str], bounds: tuple[int, ...], unit: str) -> dict[str, Any]:
    bands = _bands(bounds)
    rows = []
    # most first, ties by name: the order of a country's closest partners
    for code, n in sorted(
        counts.items(), key=lambda kv: (-kv[1], countries.state(kv[0]).name, kv[0])
    ):
        band = _band_of(bands, n)
        if band is None:
            continue
        rows.append({"iso3": code, "name": countries.state(code).name, "value": n, "fill": band[0]})
    legend = [{"fill": fill, "label": f"{label} {unit}"} for _, _, fill, label in bands]
    return {"rows": rows, "legend": legend}


def groupings_per_state(site: Site, day: _dt.date) -> dict[str, Any]:
    """The home page's map: how many groupings each state takes part in on ``day``."""

    def compute(ds: Dataset) -> dict[str, Any]:
        counts: Counter[str] = Counter()
        for g in ds.groupings.values():
            for m in g.members_on(day):
                if ds.is_state(m.participant):
                    counts[m.participant] += 1
        title = f"Groupings each state takes part in, as of {day.isoformat()}"
        return {
            "title": title,
            "as_of": day.isoformat(),
            "columns": ["iso3", "name", "groupings"],
            "value_name": "groupings",
            "value_one": "grouping",
            **_state_rows(counts, (1, 3, 6, 11, 21, 31), "groupings"),
            "cite": cite(site, title, day.isoformat(), "/"),
            "download": "/map",
        }

    return site.cached(("map:home", day), compute)


def grouping_members(site: Site, gid: str, day: _dt.date) -> dict[str, Any]:
    """A grouping's map: its states on ``day`` by role (full members, partners, associates,
    observers: each its own fill, legend key and tooltip), and the states that have left."""
    g = site.ds.grouping(gid)
    now: dict[str, str] = {}
    for m in g.members_on(day):
        status = _status(m.role.value)
        # a state holding two roles at once is shown in its fuller one
        if now.get(m.participant) != "member":
            now[m.participant] = status
    former = {
        m.participant
        for m in g.memberships
        if m.active_role and m.end is not None and m.end.first_day() <= day
    } - set(now)
    rows = []
    others = []
    for code, status in [*now.items(), *((c, "former member") for c in former)]:
        # drawn by ISO 3166-1 code, so a dependent territory with its own code
        # (Greenland, the Faroe Islands) is drawn with its grouping as well
        if not countries.is_state_code(code):
            if status != "former member":
                others.append(site.ds.participant(code).name)
            continue
        rows.append(
            {
                "iso3": code,
                "name": countries.state(code).name,
                "value": status,
                "fill": _ROLE_FILL[status],
            }
        )
    order = list(_ROLE_FILL)
    rows.sort(key=lambda r: (order.index(r["value"]), r["name"]))
    title = f"States in {g.name} by role, as of {day.isoformat()}"
    shown = {r["value"] for r in rows}
    legend = [
        {"fill": fill, "label": status}
        for status, fill in _ROLE_FILL.items()
        if status in shown or status == "member"
    ]
    caption = (
        f"States of {g.name} on {day.isoformat()}: "
        + ", ".join(f"{k['label']}s ({_COLOUR[k['fill']]})" for k in legend)
        + "."
    )
    return {
        "title": title,
        "as_of": day.isoformat(),
        "columns": ["iso3", "name", "status"],
        "value_name": "status",
        "rows": rows,
        "legend": legend,
        "caption": caption,
        "not_drawn": sorted(others),
        "cite": cite(site, title, day.isoformat(), f"/groupings/{gid}"),
        "download": f"/groupings/{gid}/map",
    }


def partner_rows(site: Site, code: str, day: _dt.date) -> list[dict[str, Any]]:
    """A country's closest partners on ``day``, universal bodies
    (:func:`~minilat.web.graphs.universal_groupings`) left out:
    :func:`minilat.analysis.countries.closest_partners`, the ranking the CLI and the API use."""
    universal = universal_groupings(site, day)
    include = frozenset(g for g in site.ds.groupings if g not in universal)
    return _countries.closest_partners(site.ds, code, day, include=include)


def country_partners(site: Site, code: str, day: _dt.date) -> dict[str, Any]:
    """A country's map: each state it shares groupings with on ``day``, by how many,
    leaving out the universal bodies (:func:`partner_rows`)."""
    universal = universal_groupings(site, day)
    counts: Counter[str] = Counter({r["id"]: r["shared"] for r in partner_rows(site, code, day)})
    name = countries.state(code).name
    title = f"States sharing groupings with {name}, as of {day.isoformat()}"
    data = _state_rows(counts, (1, 2, 4, 8), "shared")
    data["rows"].insert(0, {"iso3": code, "name": name, "value": None, "fill": _SELF})
    data["legend"].insert(0, {"fill": _SELF, "label": name})
    return {
        "title": title,
        "as_of": day.isoformat(),
        "columns": ["iso3", "name", "shared_groupings"],
        "value_name": "shared groupings",
        "value_one": "shared grouping",
        **data,
        "excluded": [{"id": g, "name": site.ds.groupings[g].name} for g in sorted(universal)],
        "cite": cite(site, title, day.isoformat(), f"/countries/{code}"),
        "download": f"/countries/{code}/map",
    }


def svg(
    m: dict[str, Any], element_id: str | None = None, *, legend: bool = True, sprite: bool = False
) -> str:
    """The map ``m`` drawn as SVG (with its legend inside unless ``legend`` is False: a
    page shows the legend as text beside it). ``sprite``: the outlines as references to
    the site's shared file of outlines (a page), not written out (a standalone file)."""
    shades = {}
    for r in m["rows"]:
        v = r["value"]
        # a count reads "1 grouping", "3 groupings": value_one is the singular, if any
        unit = m.get("value_one", m["value_name"]) if v == 1 else m["value_name"]
        text = r["name"] if v is None else f"{r['name']}: {v} {unit}"
        if isinstance(v, str):
            text = f"{r['name']}: {v}"
        shades[r["iso3"]] = worldmap.Shade(r["fill"], text)
    keys = [worldmap.Legend(k["fill"], k["label"]) for k in m["legend"]] if legend else []
    return worldmap.draw(
        shades, label=m["title"], legend=keys, element_id=element_id, sprite=sprite
    )


def csv_text(m: dict[str, Any]) -> str:
    """The map ``m``'s data as CSV (one row per shaded state)."""
    out = io.StringIO()
    w = csvsafe.writer(out, lineterminator="\n")
    w.writerow(m["columns"])
    for r in m["rows"]:
        w.writerow([r["iso3"], r["name"], "" if r["value"] is None else r["value"]])
    return out.getvalue()
