"""The world region of each state, from the countryinfo package's data.

A region is one of the five regions of the UN geoscheme (M49): Africa, Americas, Asia,
Europe and Oceania, as the countryinfo package (MIT licence; its data drawn mainly from
Wikipedia) assigns them to each ISO 3166-1 code. Nothing here is typed by hand: a code
the package places in none of the five (Antarctica, an unknown code) has no region, and
counts that use regions leave it out rather than guess.

>>> region("IND"), region("BRA"), region("TWN")
('Asia', 'Americas', 'Asia')
>>> region("ATA") is None, region("XXX") is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

__all__ = ["REGIONS", "region", "regions_of", "subregion"]

#: The UN geoscheme's regions, in alphabetical order.
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


@cache
def _table() -> dict[str, str]:
    """ISO3 code → region, read once per process from the package's data."""
    from countryinfo import CountryInfo

    out = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha3")
        where = info.get("region")
        if code and where in REGIONS:
            out[str(code).upper()] = str(where)
    return out


def region(iso3: str) -> str | None:
    """The region of the state ``iso3``, or None when the data places it in none."""
    return _table().get(iso3.upper())


def regions_of(codes: Iterable[str]) -> list[str]:
    """The regions of some states (ISO3 codes), each once, in the order of REGIONS.

    >>> regions_of(["USA", "JPN", "IND", "AUS"])
    ['Americas', 'Asia', 'Oceania']
    """
    table = _table()
    found = {table[c] for c in codes if c in table}
    return [r for r in REGIONS if r in found]


@cache
def _subregions() -> dict[str, str]:
    """ISO3 code → the geoscheme subregion the package gives (e.g. "Western Asia")."""
    from countryinfo import CountryInfo

    out = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha3")
        where = info.get("subregion")
        if code and where and info.get("region") in REGIONS:
            out[str(code).upper()] = str(where)
    return out


def subregion(iso3: str) -> str | None:
    """The geoscheme subregion of the state ``iso3`` as the package spells it, or None.

    >>> subregion("SGP").lower(), subregion("ISR")
    ('south-eastern asia', 'Western Asia')
    """
    return _subregions().get(iso3.upper())
