"""States, resolved through the ISO 3166-1 table that pycountry maintains.

>>> state("EST").name
'Estonia'
>>> resolve_state("south korea")
'KOR'
"""

from __future__ import annotations

from functools import cache

import pycountry

from minilat.errors import NotFound, did_you_mean
from minilat.model import Participant, ParticipantKind

__all__ = ["all_states", "codes", "is_state_code", "resolve_state", "state"]

# Display names where ISO's formal short name is not the one used in policy writing.
_DISPLAY = {
    "RUS": "Russia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "VAT": "Holy See",
    "PSE": "Palestine",
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
    """An ISO3 code from a code (any case) or a country name; NotFound otherwise."""
    t = text.strip()
    if t.upper() in _table():
        return t.upper()
    for p in _table().values():
        if p.name.lower() == t.lower():
            return p.id
    try:
        return str(pycountry.countries.lookup(t).alpha_3)
    except LookupError:
        names = {p.name: p.id for p in _table().values()}
        hint = did_you_mean(t.upper(), _table()) or did_you_mean(t, names)
        raise NotFound(
            f"unknown country {text!r}", hint=hint or "use an ISO 3166-1 alpha-3 code"
        ) from None
