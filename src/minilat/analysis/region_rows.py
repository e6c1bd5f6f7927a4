"""Which states a capability table's region row may hold, and what that means for a grouping.

Sources often report a group of countries as one figure (``region:europe``: "Europe";
``region:rest_of_world``: "various countries"). A country without a row of its own is then
reported, if at all, inside such a row, or in the part of the world total the table
attributes to no row (``unattributed_share``). The designer cannot recruit a region, but
when it compares a real grouping with the optimal coalition it must not read "no row"
as "no capacity": the grouping's share is then only known to lie between what its members'
own rows hold and that plus the region rows (and remainder) that may hold its members.

A region row's *scope* is read from its slug through the UN geoscheme regions that
:mod:`minilat.regions` assigns to each ISO code (nothing typed by hand):

* ``europe``, ``americas``, ``asia``, ``africa``, ``oceania``: the states of that region;
* ``europe_middle_east``: Europe and Western Asia; ``southeast_asia``: South-eastern Asia;
* any other slug (``rest_of_world``, ``rest``, a user's own): unknown, so it may hold any
  state without a row of its own.

A region row is *wholly inside* a grouping when its scope is known and every state it may
hold (every state of the scope without a row of its own) is a member: then its whole share
is the grouping's. A state the geoscheme places elsewhere (the UN geoscheme puts Cyprus
and Türkiye in Western Asia) is not inside ``region:europe`` for this purpose.

>>> holds("region:europe", "AUT"), holds("region:europe", "ARE"), holds("region:rest", "ARE")
(True, False, True)
>>> scope("region:southeast_asia") >= {"SGP", "MYS"}, scope("region:rest_of_world") is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from minilat import countries, regions

__all__ = ["holds", "scope", "wholly_inside"]

# slug → (UN geoscheme regions, subregions) whose states the row may hold
_SCOPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "europe": (frozenset({"Europe"}), frozenset()),
    "americas": (frozenset({"Americas"}), frozenset()),
    "asia": (frozenset({"Asia"}), frozenset()),
    "africa": (frozenset({"Africa"}), frozenset()),
    "oceania": (frozenset({"Oceania"}), frozenset()),
    "europe_middle_east": (frozenset({"Europe"}), frozenset({"western asia"})),
    "southeast_asia": (frozenset(), frozenset({"south-eastern asia"})),
}


@cache
def scope(region_id: str) -> frozenset[str] | None:
    """The ISO3 codes of the states ``region_id`` (``region:<slug>``) may hold, or None
    when its slug names no known geographic scope (it may hold any state)."""
    slug = region_id.removeprefix("region:")
    if slug not in _SCOPES:
        return None
    whole, parts = _SCOPES[slug]
    return frozenset(
        c
        for c in countries.codes()
        if regions.region(c) in whole or (regions.subregion(c) or "").lower() in parts
    )


def holds(region_id: str, iso3: str) -> bool:
    """Whether the row ``region_id`` may hold the state ``iso3``."""
    s = scope(region_id)
    return s is None or iso3 in s


def wholly_inside(region_id: str, members: Collection[str], named: Collection[str]) -> bool:
    """Whether every state ``region_id`` may hold, apart from the states with a row of
    their own (``named``), is among ``members``: then the row's whole share is theirs.

    >>> eu_like = {"AUT", "BEL", "DEU", "FRA", "ITA", "NLD"}
    >>> wholly_inside("region:europe", eu_like, {"USA"})
    False
    >>> wholly_inside("region:oceania_test", eu_like, set())
    False
    """
    s = scope(region_id)
    if s is None:
        return False
    inside = s - set(named)
    return bool(inside) and inside <= set(members)
