"""Country profiles: memberships over time, partners, network place, hedging, specialisation.

The **alignment / hedging measure** (documented in docs/network.md) sorts the groupings
active on a date by their anchors: a grouping is *US-anchored* when the United States is a
full member and China is not, *China-anchored* when China is a full member and the United
States is not, *both* when both are full members and *neither* otherwise. A country takes
part (in any active role) in ``u`` of the ``U`` US-anchored groupings and ``c`` of the ``C``
China-anchored ones. Because the world (and the dataset) holds many more US-anchored
formats than China-anchored ones, the measure compares **participation rates**
``r_us = u / U`` and ``r_cn = c / C``, not raw counts:

* hedging index ``H = min(r_us, r_cn) / max(r_us, r_cn)``: 0 when the country joins one
  side's formats only, 1 when it joins both sides' formats at the same rate (``None`` when
  ``u + c = 0``); the raw-count version ``min(u, c) / max(u, c)`` is reported beside it;
* lean ``(r_us - r_cn) / (r_us + r_cn)``: +1 only US-anchored, -1 only China-anchored;
* label: ``hedger`` when ``H >=`` :data:`HEDGER_THRESHOLD` (it joins the less-favoured
  side's formats at a third or more of the rate of the favoured side's), else
  ``aligned: US-anchored`` or ``aligned: China-anchored``; ``anchor`` for the United
  States and China themselves; ``no bloc-anchored formats`` when ``u + c = 0`` and
  ``too few bloc-anchored formats`` when ``u + c <`` :data:`MIN_FORMATS`.

The **specialisation** measure is a location quotient: the share of a country's
memberships that fall in a type (or theme) divided by the same share over the
memberships of every state on the date. Above 1, the country over-weights it.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> alignment(load(), "GBR", dt.date(2025, 6, 1))["label"]
'aligned: US-anchored'
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from minilat.analysis import network as _network
from minilat.analysis.groupings import ANCHORS, anchor_class, not_listing
from minilat.dataset import Dataset
from minilat.memo import shared
from minilat.model import Grouping

__all__ = [
    "ANCHORS",
    "HEDGER_THRESHOLD",
    "MIN_FORMATS",
    "OVER_TIME_RULE",
    "PARTNERS_ORDER",
    "alignment",
    "alignments",
    "anchor_class",
    "closest_partners",
    "location_quotients",
    "observed_on",
    "profile",
    "taking_part",
]

#: The hedging index from which a country reads as a hedger.
HEDGER_THRESHOLD = 1 / 3
#: The order of a country's closest partners, in words, on every face.
PARTNERS_ORDER = "most shared groupings first, ties by name"
#: What a country's groupings per year count, in words, on every face.
OVER_TIME_RULE = "groupings it took part in on 1 July of each year, as the panels observe"
#: Fewer bloc-anchored formats than this are too few to read a country's alignment from.
MIN_FORMATS = 3

_CLASSES = ("us_anchored", "china_anchored", "both", "neither", "unknown")


@shared("countries.on_date")
def _on_date(
    ds: Dataset, day: _dt.date, verified_only: bool
) -> dict[str, list[tuple[Grouping, str]]]:
    """Who takes part in what on ``day``: participant -> [(grouping, role)], the groupings
    in id order (computed once per date and shared by every country's profile)."""
    out: dict[str, list[tuple[Grouping, str]]] = defaultdict(list)
    for gid in sorted(ds.groupings):
        g = ds.groupings[gid]
        seen: set[str] = set()
        for m in g.members_on(day, verified_only=verified_only):
            if m.participant not in seen:
                seen.add(m.participant)
                out[m.participant].append((g, m.role.value))
    return dict(out)


def taking_part(
    ds: Dataset, code: str, day: _dt.date, *, verified_only: bool = False
) -> list[tuple[Grouping, str]]:
    """The groupings ``code`` takes part in on ``day`` (an active role), in id order, each
    with its role: exactly the groupings whose ``members_on(day)`` hold it. The answer for
    every participant of a date is computed at once and kept (shared: do not change it).

    >>> from minilat.dataset import load
    >>> ("aukus", "founding_member") in [
    ...     (g.id, role) for g, role in taking_part(load(), "AUS", _dt.date(2023, 1, 1))
    ... ]
    True
    """
    return _on_date(ds, day, verified_only).get(code, [])


@shared("countries.anchor_classes")
def _anchor_classes(ds: Dataset, day: _dt.date, anchors: tuple[str, str]) -> dict[str, str]:
    """The anchor class of every grouping active on ``day``."""
    return {
        g.id: anchor_class(g, day, anchors, ds=ds)
        for g in ds.groupings.values()
        if g.active_on(day)
    }


def alignment(
    ds: Dataset,
    code: str,
    as_of: _dt.date,
    *,
    threshold: float = HEDGER_THRESHOLD,
    verified_only: bool = False,
    anchors: tuple[str, str] = ANCHORS,
) -> dict[str, Any]:
    """How ``code`` spreads its memberships across US- and China-anchored formats.

    Counts the groupings the country takes part in (any active role) on ``as_of`` by
    :func:`anchor_class`, against every grouping active on the date; see the module
    docstring for the rates, index, lean and label.

    >>> from minilat.dataset import load
    >>> a = alignment(load(), "IND", _dt.date(2025, 6, 1))
    >>> a["label"], a["us_anchored"] > 0, a["china_anchored"] > 0
    ('hedger', True, True)
    """
    classes = _anchor_classes(ds, as_of, anchors)
    taking = taking_part(ds, code, as_of, verified_only=verified_only)
    return _alignment(code, as_of, classes, taking, threshold, anchors)


def alignments(
    ds: Dataset,
    codes: Iterable[str],
    as_of: _dt.date,
    *,
    threshold: float = HEDGER_THRESHOLD,
    verified_only: bool = False,
    anchors: tuple[str, str] = ANCHORS,
) -> dict[str, dict[str, Any]]:
    """:func:`alignment` of many countries at once, each answer the same as one by one.

    The groupings are classed by anchor once and the memberships read once, so asking
    for every country costs about as much as asking for a few.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> day = _dt.date(2025, 6, 1)
    >>> alignments(ds, ["IND", "GBR"], day)["IND"] == alignment(ds, "IND", day)
    True
    """
    classes = _anchor_classes(ds, as_of, anchors)
    taking = _on_date(ds, as_of, verified_only)
    return {
        code: _alignment(code, as_of, classes, taking.get(code, []), threshold, anchors)
        for code in codes
    }


def _alignment(
    code: str,
    as_of: _dt.date,
    classes: Mapping[str, str],
    taking: list[tuple[Grouping, str]],
    threshold: float,
    anchors: tuple[str, str],
) -> dict[str, Any]:
    if not 0 <= threshold <= 1:
        # The index lies in [0, 1]: above 1 nobody could hedge, and equal rates would read
        # as aligned with one side.
        raise ValueError(f"a hedging threshold lies in [0, 1], not {threshold}")
    available: Counter[str] = Counter(classes.values())
    groups: dict[str, list[dict[str, str]]] = {k: [] for k in _CLASSES}
    for g, role in taking:
        groups[classes[g.id]].append({"grouping": g.id, "role": role})
    u, c = len(groups["us_anchored"]), len(groups["china_anchored"])
    U, C = available["us_anchored"], available["china_anchored"]
    r_us, r_cn = (u / U if U else 0.0), (c / C if C else 0.0)
    index = min(r_us, r_cn) / max(r_us, r_cn) if r_us + r_cn else None
    lean = (r_us - r_cn) / (r_us + r_cn) if r_us + r_cn else None
    if code in anchors:
        label = "anchor"
    elif index is None:
        label = "no bloc-anchored formats"
    elif u + c < MIN_FORMATS:
        label = "too few bloc-anchored formats"
    elif index >= threshold:
        label = "hedger"
    else:
        label = "aligned: US-anchored" if r_us > r_cn else "aligned: China-anchored"
    return {
        "country": code,
        "as_of": as_of.isoformat(),
        "anchors": list(anchors),
        "us_anchored": u,
        "china_anchored": c,
        "both": len(groups["both"]),
        "neither": len(groups["neither"]),
        # partial member lists naming one anchor only: in neither bloc (see anchor_class)
        "unknown": len(groups["unknown"]),
        "available": {k: available[k] for k in _CLASSES},
        "us_rate": round(r_us, 6),
        "china_rate": round(r_cn, 6),
        "hedging_index": None if index is None else round(index, 6),
        "raw_hedging_index": round(min(u, c) / max(u, c), 6) if u + c else None,
        "lean": None if lean is None else round(lean, 6),
        "threshold": round(threshold, 6),
        "label": label,
        "groupings": groups,
    }


def location_quotients(
    counts: Mapping[str, Mapping[str, float]], country: str
) -> list[dict[str, Any]]:
    """The location quotient of each category for ``country``, highest first.

    ``counts[participant][category]`` is how many of a participant's memberships fall in
    a category. ``LQ = (x_ct / x_c) / (X_t / X)``; only categories the country has.

    >>> lq = location_quotients({"A": {"x": 2}, "B": {"x": 1, "y": 1}}, "B")
    >>> [(r["category"], round(r["lq"], 3)) for r in lq]
    [('y', 2.0), ('x', 0.667)]
    """
    totals: Counter[str] = Counter()
    for row in counts.values():
        totals.update(row)
    grand = sum(totals.values())
    own = counts.get(country, {})
    mine = sum(own.values())
    if not mine or not grand:
        return []
    rows = [
        {
            "category": k,
            "count": v,
            "share": round(v / mine, 6),
            "all_share": round(totals[k] / grand, 6),
            "lq": round((v / mine) / (totals[k] / grand), 6),
        }
        for k, v in own.items()
        if v
    ]
    return sorted(rows, key=lambda r: (-r["lq"], r["category"]))


@shared("countries.category_counts")
def _category_counts(
    ds: Dataset,
    as_of: _dt.date,
    types: Mapping[str, str] | None,
    verified_only: bool,
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Every participant's memberships on the date counted by theme and by type (states
    only, plus anyone asked about: see :func:`_specialisation`)."""
    themes: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for pid, taken in _on_date(ds, as_of, verified_only).items():
        for g, _ in taken:
            themes[pid].update(t.value for t in g.themes.value)
            if types is not None and g.id in types:
                kinds[pid][types[g.id]] += 1
    return dict(themes), dict(kinds)


def _specialisation(
    ds: Dataset,
    code: str,
    as_of: _dt.date,
    types: Mapping[str, str] | None,
    verified_only: bool,
) -> dict[str, Any]:
    themes_all, kinds_all = _category_counts(ds, as_of, types, verified_only)
    # the reference is every state's memberships, and the country's own
    keep = {p for p in themes_all if p == code or ds.participant(p).is_state}
    themes = {p: themes_all[p] for p in keep if p in themes_all}
    kinds = {p: kinds_all[p] for p in keep if p in kinds_all}
    return {
        "method": "location quotient against the memberships of every state on the date",
        "types": location_quotients(kinds, code) if types is not None else None,
        "themes": location_quotients(themes, code),
    }


def observed_on(year: int) -> _dt.date:
    """The day of ``year`` on which a country's groupings per year are counted: 1 July,
    as the panels observe (:mod:`minilat.analysis.panels`)."""
    return _dt.date(year, 7, 1)


def _over_time(
    ds: Dataset, code: str, as_of: _dt.date, verified_only: bool
) -> list[dict[str, Any]]:
    """The groupings ``code`` takes part in (an active role) on 1 July of each year, from
    the first 1 July it took part in anything to the last 1 July on or before ``as_of``:
    exactly ``len(taking_part(ds, code, observed_on(year)))``, a panel's state-year count."""
    t = _network.membership_arrays(ds, verified_only=verified_only)
    if code not in t.participants:
        return []
    mine = t.participant == t.participants.index(code)
    s, e, g = t.start[mine], t.end[mine], t.grouping[mine]
    out: list[dict[str, Any]] = []
    for y in range(_dt.date.fromordinal(int(s.min())).year, as_of.year + 1):
        day = observed_on(y)
        if day > as_of:
            break
        d = day.toordinal()
        n = int(np.unique(g[(s <= d) & (e > d)]).size)
        if n or out:
            out.append({"year": y, "on": day.isoformat(), "groupings": n})
    return out


def profile(
    ds: Dataset,
    code: str,
    as_of: _dt.date,
    *,
    types: Mapping[str, str] | None = None,
    verified_only: bool = False,
    weighting: _network.Weighting = "newman",
    top_partners: int = 10,
    universal: bool = False,
) -> dict[str, Any]:
    """Everything about one participant (usually a state, by ISO3 code) on ``as_of``.

    ``types`` maps grouping ids to their type (from the typology analysis); without it
    the type mix and type specialisation are ``None``. Keys: ``country``, ``as_of``,
    ``memberships`` (every spell, with role and sources), ``current`` (groupings taken
    part in on the date), ``over_time`` (groupings taken part in on 1 July of each year,
    :data:`OVER_TIME_RULE`), ``type_mix``, ``partners``
    (states sharing the most groupings on the date), ``network`` (centralities and ranks
    in the co-membership projection), ``alignment`` (see :func:`alignment`) and
    ``specialisation`` (location quotients by type and theme).

    Partners and the network place leave out the universal bodies
    (:func:`minilat.analysis.network.universal_bodies`: the UN, and any grouping with
    :data:`~minilat.analysis.network.UNIVERSAL_MIN_STATES` or more member states), as the
    web's country page does, unless ``universal``: a seat at the UN makes every state a
    partner of every other. ``partner_count`` is how many states share a counted grouping
    with the country, and ``partners_rule`` says what was counted and what left out.

    >>> from minilat.dataset import load
    >>> p = profile(load(), "EST", _dt.date(2024, 1, 1))
    >>> "digital_nations" in [c["grouping"] for c in p["current"]]
    True
    """
    part = ds.participant(code)
    history = sorted(
        (
            {
                "grouping": g.id,
                "name": g.name,
                "role": m.role.value,
                "start": m.start.iso(),
                "end": m.end.iso() if m.end else None,
                "current": m.active_role and m.holds_on(as_of) and g.active_on(as_of),
                "verified": m.verified,
                "sources": list(m.sources),
            }
            for g in ds.groupings.values()
            for m in g.memberships
            if m.participant == code and (m.verified or not verified_only)
        ),
        key=lambda r: (r["start"], r["grouping"]),
    )
    # a membership the record could not verify is listed, and marked as such
    unverified = {h["grouping"] for h in history if h["current"] and not h["verified"]}
    current: list[dict[str, Any]] = [
        {
            "grouping": g.id,
            "name": g.name_on(as_of),
            "role": role,
            "verified": g.id not in unverified,
        }
        for g, role in taking_part(ds, code, as_of, verified_only=verified_only)
    ]
    taken = {c["grouping"] for c in current}
    type_mix = None
    if types is not None:
        mix = Counter(types.get(c["grouping"], "unclassified") for c in current)
        type_mix = dict(sorted(mix.items(), key=lambda kv: (-kv[1], kv[0])))
    left_out = frozenset() if universal else _network.universal_bodies(ds, as_of)
    include = frozenset(g for g in ds.groupings if g not in left_out) if left_out else None
    network = _network.analyse(
        ds, as_of, include=include, weighting=weighting, verified_only=verified_only
    )
    node = next((n for n in network["nodes"] if n["id"] == code), None)
    weights = _tie_weights(ds, as_of, weighting, verified_only, include).get(code, {})
    # ranked by shared groupings (closest_partners); the tie weight is shown beside, never
    # used to rank, so that every face names the same closest partners
    partners = [
        {**r, "weight": weights.get(r["id"], 0.0)}
        for r in closest_partners(ds, code, as_of, include=include, verified_only=verified_only)
    ]
    return {
        "country": {"id": code, "name": part.name, "kind": part.kind.value},
        "as_of": as_of.isoformat(),
        "memberships": history,
        "current": current,
        "over_time": _over_time(ds, code, as_of, verified_only),
        "over_time_rule": OVER_TIME_RULE,
        "type_mix": type_mix,
        "partners": partners[:top_partners],
        "partner_count": len(partners),
        "partners_rule": {
            "universal": universal,
            "universal_min_states": _network.UNIVERSAL_MIN_STATES,
            "left_out": [{"id": g, "name": ds.groupings[g].name} for g in sorted(left_out)],
            "order": PARTNERS_ORDER,
            "text": (
                "counting every grouping, the universal bodies included"
                if universal
                else "not counting universal bodies (the UN and any grouping with "
                f"{_network.UNIVERSAL_MIN_STATES} or more member states)"
            ),
        },
        "network": None
        if node is None
        else {
            **{k: node[k] for k in ("degree", "strength", "eigenvector", "betweenness")},
            "community": node["community"],
            "community_size": network["communities"][node["community"]]["size"],
            "participation": node["participation"],
            "rank": node["rank"],
            "of": network["projection"]["nodes"],
            "weighting": weighting,
        },
        "alignment": alignment(ds, code, as_of, verified_only=verified_only),
        "specialisation": _specialisation(ds, code, as_of, types, verified_only),
        "incomplete_lists": not_listing(ds, code, as_of, taken),
    }


@shared("countries.tie_weights")
def _tie_weights(
    ds: Dataset,
    as_of: _dt.date,
    weighting: _network.Weighting,
    verified_only: bool,
    include: frozenset[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Each node's tie weights in the network of the date (once per date), among the
    groupings ``include`` (all by default)."""
    network = _network.analyse(
        ds, as_of, include=include, weighting=weighting, verified_only=verified_only
    )
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for e in network["edges"]:
        out[e["a"]][e["b"]] = e["weight"]
        out[e["b"]][e["a"]] = e["weight"]
    return dict(out)


def closest_partners(
    ds: Dataset,
    code: str,
    as_of: _dt.date,
    *,
    include: frozenset[str] | None = None,
    verified_only: bool = False,
) -> list[dict[str, Any]]:
    """Every state sharing a grouping of ``include`` (all by default) with ``code`` on
    ``as_of``, in the one order of "closest partners" (:data:`PARTNERS_ORDER`): most shared
    groupings first, ties by name. The CLI's ``country``, the web's country page (its table,
    its map and its ego network's choice of partners) and the API all rank by this.

    Rows: ``id``, ``name``, ``shared`` (how many groupings) and ``groupings`` (their ids).

    >>> from minilat.dataset import load
    >>> rows = closest_partners(load(), "EST", _dt.date(2024, 1, 1))
    >>> [r["shared"] for r in rows] == sorted((r["shared"] for r in rows), reverse=True)
    True
    """
    common: dict[str, set[str]] = defaultdict(set)
    for g, _ in taking_part(ds, code, as_of, verified_only=verified_only):
        if include is not None and g.id not in include:
            continue
        for m in g.members_on(as_of, verified_only=verified_only):
            if m.participant != code and ds.is_state(m.participant):
                common[m.participant].add(g.id)
    rows: list[dict[str, Any]] = [
        {"id": p, "name": ds.participant(p).name, "shared": len(gs), "groupings": sorted(gs)}
        for p, gs in common.items()
    ]
    rows.sort(key=lambda r: (-r["shared"], r["name"], r["id"]))
    return rows
