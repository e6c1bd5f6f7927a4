"""GDELT's country codes mapped to ISO 3166-1 alpha-3, the codes minilat uses.

GDELT uses two code systems, neither of them ISO 3166-1:

- **Actor country codes** (``Actor1CountryCode``) are CAMEO codes. For states CAMEO uses
  the ISO 3166-1 alpha-3 code; its other codes are regions and groups (``AFR`` Africa,
  ``EUR`` Europe, ``WST`` the West ...), which are not states. So a CAMEO code maps to a
  state exactly when it is a current ISO alpha-3 code (checked with :mod:`pycountry`, the
  maintained ISO table minilat uses everywhere), apart from the short list of known
  exceptions in :data:`CAMEO_NOT_STATES`.
- **Geography country codes** (``ActionGeo_CountryCode``, GKG locations) are FIPS 10-4
  two-letter codes: ``JA`` is Japan, ``AS`` Australia, ``UK`` the United Kingdom, ``CH``
  China. The table ``fips10_4.csv`` beside this module maps each FIPS code of a state or
  territory with its own ISO code; codes of places without one (Akrotiri, the Spratly
  Islands, Kosovo ...) are left out and map to None. The West Bank and Gaza both map to
  Palestine (PSE).

>>> cameo_to_iso3("JPN"), cameo_to_iso3("EUR"), cameo_to_iso3("")
('JPN', None, None)
>>> fips_to_iso3("JA"), fips_to_iso3("AS"), fips_to_iso3("UK"), fips_to_iso3("XX")
('JPN', 'AUS', 'GBR', None)
>>> iso3_to_fips("KOR")
'KS'
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from minilat import countries

__all__ = ["CAMEO_NOT_STATES", "cameo_to_iso3", "fips_table", "fips_to_iso3", "iso3_to_fips"]

# CAMEO codes that look like ISO alpha-3 codes but do not name a state in CAMEO. None is
# known today; the set exists so that one found in real data is fixed in one place.
CAMEO_NOT_STATES: frozenset[str] = frozenset()


@cache
def fips_table() -> dict[str, str]:
    """FIPS 10-4 code -> ISO 3166-1 alpha-3, read from ``fips10_4.csv``."""
    text = (resources.files("minilat.monitor") / "fips10_4.csv").read_text(encoding="utf-8")
    return {row["fips"]: row["iso3"] for row in csv.DictReader(text.splitlines())}


@cache
def _iso_to_fips() -> dict[str, str]:
    out: dict[str, str] = {}
    for fips, iso in fips_table().items():
        out.setdefault(iso, fips)
    return out


@cache
def cameo_to_iso3(code: str) -> str | None:
    """The ISO alpha-3 code of the state a CAMEO actor country code names, else None."""
    code = code.strip().upper()
    if len(code) != 3 or code in CAMEO_NOT_STATES:
        return None
    return code if countries.is_state_code(code) else None


def fips_to_iso3(code: str) -> str | None:
    """The ISO alpha-3 code of a FIPS 10-4 country code, else None."""
    return fips_table().get(code.strip().upper())


def iso3_to_fips(iso3: str) -> str | None:
    """The FIPS 10-4 code of an ISO alpha-3 code (the generator writes these), else None."""
    return _iso_to_fips().get(iso3)
