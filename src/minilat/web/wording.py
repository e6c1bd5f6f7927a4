"""The analyses' reasons in plain words, for the pages.

The analyses explain themselves in terse, exact text built from the record's field names
and codes (``instrument joint_declaration, secretariat none, legal_personality False,
cadence annual, working_groups 6``; ``missing export_share_china for ARE, GBR``). That is
right for the JSON, which keeps it as it is; a page and the CLI's tables read it through
:func:`plain`, which says the same in words: the field's value as a phrase, a country's
name for its ISO code, a theme's name for its id.

>>> plain("(instrument joint_declaration, secretariat none, legal_personality False,")
'(a joint declaration, no secretariat, no legal personality,'
>>> plain("cadence annual, working_groups 6)")
'meets annually, 6 working groups)'
>>> plain("missing export_share_china for ARE, GBR and GRC")
'no export share to China for the United Arab Emirates, the United Kingdom and Greece'
>>> plain("7 themes in 2 domains (economic: supply_chains, telecom_5g; frontier_technology: ai)")
'7 themes in 2 domains (economic: supply chains, telecoms and 5G; frontier technology: AI)'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from minilat import countries
from minilat.vocab import LABELS, label

__all__ = ["COUNTS_LEGEND", "figure", "measure_words", "plain"]

#: What the counts of the groupings list mean, in words, for the page (the JSON keeps
#: :data:`minilat.analysis.groupings.COUNTS_NOTE`, which names its fields).
COUNTS_LEGEND = (
    "Members are full members (founding members and members). Partners are the "
    "participants in other roles (partners, associates and observers), counted apart. "
    "Only sovereign states count as states: dependent territories (the Faroe Islands, "
    "Bermuda, ...) take part but are never counted as states. Suspended and withdrawn "
    "participants are not counted. A grouping is active inside its recorded periods; its "
    "life, where it says more, is read from the record: dormant only where a search found "
    "nothing or a sourced end says so, unknown where there is too little record to say, "
    "and standing bodies read as active through a silent record."
)

_INSTRUMENT = {
    "treaty": "a treaty",
    "charter": "a charter",
    "agreement": "an agreement",
    "mou": "a memorandum of understanding",
    "joint_declaration": "a joint declaration",
    "none": "no founding instrument",
    "unknown": "an unknown founding instrument",
}
_SECRETARIAT = {
    "none": "no secretariat",
    "rotating": "a rotating secretariat",
    "permanent": "a permanent secretariat",
    "unknown": "an unknown secretariat",
}
_ACCESSION = {
    "closed": "closed to new members",
    "by_invitation": "accession by invitation",
    "open": "open accession",
    "unknown": "unknown accession",
}
_CADENCE = {
    "continuous": "meets continuously",
    "biannual": "meets twice a year",
    "annual": "meets annually",
    "biennial": "meets every two years",
    "irregular": "meets irregularly",
    "none": "no regular meetings",
    "unknown": "unknown meeting cadence",
}
_LEGAL = {"true": "legal personality", "false": "no legal personality"}
_FIELDS = {
    "instrument": _INSTRUMENT,
    "secretariat": _SECRETARIAT,
    "accession": _ACCESSION,
    "cadence": _CADENCE,
    "legal_personality": _LEGAL,
}
_FIELD = re.compile(
    r"\b(instrument|secretariat|accession|cadence|legal_personality) ([A-Za-z_]+)\b"
)
_GROUPS = re.compile(r"\bworking_groups (\d+)\b")
_CODES = r"[A-Z]{3}(?:, [A-Z]{3})*(?: and [A-Z]{3})?"
_MISSING_SHARE = re.compile(
    rf"\b(?:missing )?export_share_(china|usa) for ({_CODES})(?=( and the \d+ )?)"
)
_CODE = re.compile(r"\b[A-Z]{3}\b")
_PARTNER = {"china": "China", "usa": "the United States"}
#: An id: a word with underscores, or a theme's id that is a word of its own ("ai").
_ID = re.compile(r"\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|ai)\b")
_WORDS = {
    **{str(k): v for k, v in LABELS.items()},
    "export_share_china": "export share to China",
    "export_share_usa": "export share to the United States",
}

#: Names that read better with "the" before them in a sentence.
_THE = (
    "United ",
    "Netherlands",
    "Philippines",
    "Czech Republic",
    "Dominican Republic",
    "Bahamas",
    "Gambia",
    "Central African",
    "Democratic Republic",
    "Marshall Islands",
    "Solomon Islands",
    "Maldives",
    "Comoros",
    "Holy See",
    "European Union",
)

#: How many countries a missing-data list names before it says "and N more".
NAMED = 6


def _name(code: str) -> str:
    if not countries.is_state_code(code):
        return code
    name = countries.state(code).name
    return f"the {name}" if name.startswith(_THE) else name


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _country_list(codes: str, more: bool) -> str:
    """The countries of a list of codes, the first :data:`NAMED` by name; ``more``: the
    text goes on with "and the N ..." so the list ends with a comma, not "and"."""
    names = [_name(c) for c in re.findall(r"[A-Z]{3}", codes)]
    if len(names) > NAMED:
        names = [*names[:NAMED], f"{len(names) - NAMED} more"]
    return ", ".join(names) + "," if more else _names(names)


def _share(m: re.Match[str]) -> str:
    names = _country_list(m.group(2), bool(m.group(3)))
    return f"no export share to {_PARTNER[m.group(1)]} for {names}"


def _field(m: re.Match[str]) -> str:
    words = _FIELDS[m.group(1)].get(m.group(2).lower())
    return words if words else m.group(0)


def plain(text: str | None) -> str:
    """``text`` (an analysis's reason) with field names, codes and ids said in words.

    A pure function of the text, and the same few hundred reasons come back on every
    page of a version of the data: each is put in words once per process (five regular
    expressions, about 25 us, a tenth of a grouping page's rendering before)."""
    if not text:
        return ""
    return _plain(text) if type(text) is str else _plain(str(text))


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    out = _MISSING_SHARE.sub(_share, text)
    out = _FIELD.sub(_field, out)
    out = _GROUPS.sub(
        lambda m: f"{m.group(1)} working group{'s' if m.group(1) != '1' else ''}", out
    )
    out = _CODE.sub(lambda m: _name(m.group(0)), out)
    return _ID.sub(lambda m: _WORDS.get(m.group(0)) or _words(m.group(0)), out)


def _words(key: str) -> str:
    """An id's words, each as :func:`minilat.vocab.label` says it ("research AI")."""
    return " ".join(label(w) for w in key.split("_"))


#: A measure's words where its id's underscores as spaces do not say it.
_MEASURES = {
    "characteristics_met": "characteristics met",
    "full_member_states": "full member states",
}
#: What a measure of a capability table says before the table's name.
_OF_TABLE = {"coverage": "coverage of", "naim_efficiency": "Naim efficiency on"}


def measure_words(measure: str) -> str:
    """A difference's measure in words (the JSON keeps the key): a capability table's
    name after its measure, each word of an id said as every face says it.

    >>> measure_words("coverage:research_ai"), measure_words("hedging_index")
    ('coverage of research AI', 'hedging index')
    """
    key, _, table = measure.partition(":")
    if table:
        return f"{_OF_TABLE.get(key) or label(key) + ' of'} {_words(table)}"
    return _MEASURES.get(key) or label(key)


def figure(measure: str, value: Any) -> str:
    """A difference's value as the rest of the site writes it: a share as a percent, an
    index to 2 decimals, a count as a whole number, a label or verdict in words.

    >>> figure("coverage:research_ai", 0.12), figure("hedging_index", 0.775862)
    ('12%', '0.78')
    >>> figure("partners", 194.0), figure("status", "not_minilateral"), figure("x", None)
    ('194', 'not minilateral', 'not assessable')
    """
    if value is None:
        return "not assessable"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return label(value)
    if measure.startswith("coverage:"):
        return f"{round(value * 100)}%"
    if isinstance(value, int) or (measure in _COUNTS and float(value).is_integer()):
        return str(int(value))
    return f"{value:.2f}"


#: Measures that count (members, partners, ties): whole numbers, even sent as 34.0.
_COUNTS = frozenset(
    {"full_member_states", "characteristics_met", "partners", "strength", "communities"}
)
