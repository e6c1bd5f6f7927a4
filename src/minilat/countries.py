"""States, resolved through the ISO 3166-1 table that pycountry maintains.

>>> state("EST").name
'Estonia'
>>> resolve_state("south korea")
'KOR'
>>> resolve_state("UK"), resolve_state("Turkey"), resolve_state("russia")
('GBR', 'TUR', 'RUS')
"""

from __future__ import annotations

from functools import cache

import pycountry

from minilat.errors import NotFound, did_you_mean
from minilat.model import Participant, ParticipantKind

__all__ = ["ALIASES", "all_states", "codes", "is_state_code", "resolve_state", "state"]

# Display names where ISO's formal short name is not the one used in policy writing.
_DISPLAY = {
    "RUS": "Russia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "VAT": "Holy See",
    "PSE": "Palestine",
}


#: Short and former names in common use that pycountry's own data (name, official_name,
#: common_name, and a fuzzy search that must name one country) does not resolve; keys are
#: lower case. Keep it short: add a name only when pycountry cannot find it.
ALIASES = {
    "uk": "GBR",
    "britain": "GBR",
    "turkey": "TUR",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "burma": "MMR",
    "east timor": "TLS",
    "dr congo": "COD",
    "drc": "COD",
}


def _name(c: object) -> str:
    code = c.alpha_3  # type: ignore[attr-defined]
    return _DISPLAY.get(code) or getattr(c, "common_name", None) or c.name  # type: ignore[attr-defined]


@cache
def _table() -> dict[str, Participant]:
    return {
        c.alpha_3: Participant(id=c.alpha_3, name=_name(c), kind=ParticipantKind.STATE)
        for c in pycountry.countries
    }


def codes() -> set[str]:
    """Every ISO 3166-1 alpha-3 code."""
    return set(_table())


def is_state_code(code: str) -> bool:
    return code in _table()


def state(code: str) -> Participant:
    """The state with ISO 3166-1 alpha-3 ``code``; NotFound with a hint otherwise."""
    try:
        return _table()[code]
    except KeyError:
        raise NotFound(
            f"unknown country code {code!r}",
            hint=did_you_mean(code.upper(), _table()) or "use an ISO 3166-1 alpha-3 code",
        ) from None


def all_states() -> list[Participant]:
    return list(_table().values())


def resolve_state(text: str) -> str:
    """An ISO3 code from a code (any case) or a country name; NotFound otherwise.

    Tried in turn: the code; the display name; :data:`ALIASES`; pycountry's lookup (alpha-2,
    alpha-3, numeric, name, official and common name); pycountry's fuzzy search when it
    names exactly one country. When the fuzzy search names several, the hint lists them.
    """
    t = " ".join(text.strip().split())
    if t.upper() in _table():
        return t.upper()
    low = t.lower()
    for p in _table().values():
        if p.name.lower() == low:
            return p.id
    if low in ALIASES:
        return ALIASES[low]
    try:
        return str(pycountry.countries.lookup(t).alpha_3)
    except LookupError:
        pass
    found = _fuzzy(t)
    if len(found) == 1:
        return found[0]
    hint: str | None
    if found:
        hint = "did you mean " + " or ".join(f"{_table()[c].name} ({c})" for c in found) + "?"
    else:
        names = {p.name: p.id for p in _table().values()}
        hint = did_you_mean(t, names) or did_you_mean(t.upper(), _table())
    raise NotFound(f"unknown country {text!r}", hint=hint or "use an ISO 3166-1 alpha-3 code")


def _fuzzy(text: str) -> list[str]:
    """The codes pycountry's fuzzy search finds for a name of three letters or more (its
    matches on a subdivision's name count for the subdivision's country), at most four."""
    if len(text) < 3:
        return []
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return []
    return [str(c.alpha_3) for c in found if c.alpha_3 in _table()][:4]
