"""Findings in plain sentences, generated from a page's data, and what the numbers mean.

A country or grouping page opens with these sentences; the figures they round sit behind
"details" and in the JSON. Each function reads only the page's own dict, so the JSON and
the HTML always agree.

>>> _names(["Australia", "India", "Japan"])
'Australia, India and Japan'
>>> _times(4.1003)
'4.1 times'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from minilat.web import wording

__all__ = [
    "ACTIVE_ROLES",
    "FULL_ROLES",
    "GLOSSARY",
    "OTHER_ROLES",
    "country",
    "first_spells",
    "grouping",
    "ordinal",
    "role_counts",
]

#: Roles that count as taking part (as in :data:`minilat.model.ACTIVE_ROLES`): a change to
#: ``suspended`` or ``withdrawn`` is not a join, and a change between these roles is not one
#: either (only a participant's first spell in any of them is).
ACTIVE_ROLES = frozenset({"founding_member", "member", "partner", "associate", "observer"})

#: The roles of a full member (as in :data:`minilat.model.FULL_ROLES`): only these are
#: "members" on a page, as in ``minilat members``; the other active roles are counted apart.
FULL_ROLES = frozenset({"founding_member", "member"})

#: The other active roles, in the order a page names them, with their plural.
OTHER_ROLES = {"partner": "partners", "associate": "associates", "observer": "observers"}

#: What each figure on the country and grouping pages means, for readers.
GLOSSARY: dict[str, str] = {
    "partners": (
        "States that share at least one grouping with the country on the date. Universal "
        "and near-universal bodies (the UN, and any grouping with 100 or more member "
        "states) are left out: they would make every state a partner of every other."
    ),
    "tie strength": (
        "How strongly two states are tied by the groupings they share: each shared "
        "grouping counts more when it has fewer members (Newman's weighting: 1 / (members "
        "- 1)). Two states alone in a bilateral format score 1 from it; two of 30 members "
        "score 0.03."
    ),
    "hedging index": (
        "How evenly a country spreads itself across US-anchored and China-anchored "
        "formats, comparing the share of each side's formats it joins: 0 means one side "
        "only, 1 an equal rate for both. A hedger scores a third or more."
    ),
    "specialisation": (
        "How much more often a type or theme appears among the country's groupings than "
        "among all states' (a location quotient): 2 times means twice the average share."
    ),
    "betweenness": (
        "How often the country lies on the shortest path between two other states in the "
        "co-membership network: a measure of bridging between groups."
    ),
    "eigenvector centrality": (
        "How well connected the country is to other well-connected countries."
    ),
    "informality": (
        "From the founding instrument, the secretariat, legal personality and accession: "
        "1 is fully informal (no treaty, no secretariat), 0 fully institutionalised."
    ),
    "policy scorecard": (
        "The article's five policy implications, each scored from 0 to 1 from the "
        "grouping's published record; 'not assessable' names what is missing."
    ),
}

_ANCHOR_TEXT = {
    "hedger": "it reads as a hedger between the US-anchored and China-anchored formats",
    "aligned: US-anchored": "it leans to the US-anchored formats",
    "aligned: China-anchored": "it leans to the China-anchored formats",
    "anchor": "it anchors one of the two blocs itself",
}


def ordinal(n: int) -> str:
    """``1`` → ``1st``, ``2`` → ``2nd``, ``11`` → ``11th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _names(items: Sequence[str]) -> str:
    """Items in a sentence; with semicolons when an item has an "and" of its own, so that
    the list still reads as its items.

    >>> _names(["a", "b", "c"])
    'a, b and c'
    >>> _names(["clarity", "informality and institutionalisation", "transparency"])
    'clarity; informality and institutionalisation; and transparency'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any(" and " in x for x in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _times(x: float) -> str:
    return f"{x:.1f} times" if x < 10 else f"{x:.0f} times"


def _day(iso: str) -> _dt.date:
    """The first day of a possibly partial ISO date (``2025`` → 2025-01-01)."""
    year, month, day = ([int(x) for x in str(iso)[:10].split("-")] + [1, 1])[:3]
    return _dt.date(year, month, day)


def _by(rows: Iterable[Mapping[str, Any]], as_of: _dt.date) -> list[Mapping[str, Any]]:
    """The membership rows (spells) in an active role that had started by ``as_of``."""
    return [r for r in rows if r["role"] in ACTIVE_ROLES and _day(r["start"]) <= as_of]


def _holds(r: Mapping[str, Any], day: _dt.date) -> bool:
    return _day(r["start"]) <= day and (r.get("end") is None or day < _day(r["end"]))


def first_spells(
    rows: Iterable[Mapping[str, Any]], as_of: _dt.date, key: str
) -> dict[str, Mapping[str, Any]]:
    """Each ``key`` (participant or grouping) with its FIRST spell in an active role that
    started by ``as_of``: when it joined. Later spells (a change of role, a return after a
    suspension) and spells in no active role are not joins; facts after ``as_of`` are not
    known yet on the date.

    >>> rows = [
    ...     {"participant": "RUS", "role": "member", "start": "1998", "end": "2014-03-24"},
    ...     {"participant": "RUS", "role": "withdrawn", "start": "2017-01-13", "end": None},
    ...     {"participant": "AFG", "role": "observer", "start": "2012-06-07", "end": None},
    ...     {"participant": "LAO", "role": "partner", "start": "2025-09-01", "end": None},
    ... ]
    >>> {k: v["start"] for k, v in first_spells(rows, _dt.date(2020, 1, 1), "participant").items()}
    {'RUS': '1998', 'AFG': '2012-06-07'}
    """
    first: dict[str, Mapping[str, Any]] = {}
    for r in sorted(_by(rows, as_of), key=lambda r: _day(r["start"])):
        first.setdefault(r[key], r)
    return first


def _latest_joiners(
    rows: Sequence[Mapping[str, Any]], as_of: _dt.date, key: str
) -> list[Mapping[str, Any]]:
    """The first spells, among the keys still taking part on ``as_of``, that started
    latest (several when they joined on the same day), sorted by key."""
    taking_part = {r[key] for r in _by(rows, as_of) if _holds(r, as_of)}
    first = [r for k, r in first_spells(rows, as_of, key).items() if k in taking_part]
    if not first:
        return []
    last = max(_day(r["start"]) for r in first)
    return sorted((r for r in first if _day(r["start"]) == last), key=lambda r: r[key])


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


_ROLE_WORD = {
    "founding_member": "a founding member",
    "member": "a member",
    "partner": "a partner",
    "associate": "an associate",
    "observer": "an observer",
}


def _as_role(role: str) -> str:
    """``, as a partner`` for a role other than full member (``""`` for a member)."""
    return f", as {_ROLE_WORD[role]}" if role in OTHER_ROLES else ""


def _label(v: str) -> str:
    return (
        v.replace("economic_supply_chain", "economic and supply-chain")
        .replace("security_defence", "security and defence")
        .replace("digital_governance", "digital-governance")
        .replace("telecom_5g", "telecoms and 5G")
        .replace("_", " ")
    )


def country(d: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """The findings that open a country's page (``d`` is the page's dict; ``names`` maps
    grouping ids to names)."""
    name, as_of = d["name"], d["as_of"]
    now = d["groupings_now"]
    out = []
    p = (d.get("profile") or {}).get("result") or {}
    a = p.get("alignment") or {}
    first = f"{name} takes part in {_plural(len(now), 'grouping')} as of {as_of}"
    full = sum(1 for g in now if g.get("role") in FULL_ROLES)
    if full < len(now):
        ways = [f"a member of {full}"] if full else []
        for role in OTHER_ROLES:
            k = sum(1 for g in now if g.get("role") == role)
            if k:
                ways.append(f"{_ROLE_WORD[role]} of {k}")
        first += f" ({_names(ways)})"
    if a and now:
        # every class the alignment puts a grouping in, so that the parts add up to the
        # total just stated (the unknown ones named as the CLI names them)
        parts = [
            f"{a['us_anchored']} anchored by the US",
            f"{a['china_anchored']} by China",
            f"{a['both']} with both",
            f"{a['neither']} with neither",
        ]
        if a.get("unknown"):
            parts.append(f"{a['unknown']} with the leading side unknown (member list incomplete)")
        first += ": " + _names(parts)
    out.append(first + ".")
    if a.get("label") in _ANCHOR_TEXT:
        text = _ANCHOR_TEXT[a["label"]]
        if a.get("hedging_index") is not None and a["label"] != "anchor":
            text += f" (hedging index {a['hedging_index']:.2f} on a scale from 0 to 1)"
        out.append(text[0].upper() + text[1:] + ".")
    mix = p.get("type_mix") or {}
    if mix:
        parts = [f"{_label(k)} ({v})" for k, v in list(mix.items())[:3]]
        out.append(f"By type, its groupings are mostly {_names(parts)}.")
    spec = (p.get("specialisation") or {}).get("themes") or []
    strong = [s for s in spec if s.get("lq") and s["lq"] >= 1.5 and s.get("count", 0) >= 2][:3]
    if strong:
        parts = [f"{_label(s['category'])} ({_times(s['lq'])} the average)" for s in strong]
        out.append(f"Compared with other states, it over-weights {_names(parts)}.")
    partners = d.get("partners") or []
    if partners:
        top = [f"{x['name']} ({x['shared']})" for x in partners[:3]]
        out.append(
            f"It shares groupings with {_plural(d.get('partner_count', 0), 'state')}; "
            f"most with {_names(top)}, not counting universal bodies."
        )
    day = _day(as_of)
    history = d.get("membership_history") or []
    joined = sorted(
        first_spells(history, day, "grouping").values(),
        key=lambda h: (_day(h["start"]), h["grouping"]),
    )
    if joined:
        h0 = joined[0]
        text = (
            f"Its first recorded participation is {names.get(h0['grouping'], h0['grouping'])} "
            f"({h0['start'][:4]}{_as_role(h0['role'])})"
        )
        latest = _latest_joiners(history, day, "grouping")
        if latest and latest[0] is not h0:
            gs = _names([names.get(h["grouping"], h["grouping"]) for h in latest])
            role = latest[0]["role"] if all(h["role"] == latest[0]["role"] for h in latest) else ""
            text += (
                f"; the latest it joined and still takes part in, {gs} "
                f"({latest[0]['start'][:4]}{_as_role(role)})"
            )
        out.append(text + ".")
    return out


def role_counts(members: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many of a page's current participants take part in each way, as ``minilat
    members`` counts them: ``members`` are the full members (founding members and
    members), ``member_states`` the sovereign states among them; ``partners``,
    ``associates`` and ``observers`` count the other active roles apart, states or not.

    >>> role_counts([
    ...     {"kind": "state", "role": "founding_member"},
    ...     {"kind": "state", "role": "partner"},
    ...     {"kind": "organisation", "role": "member"},
    ... ])
    {'members': 2, 'member_states': 1, 'partners': 1, 'associates': 0, 'observers': 0}
    """
    rows = [m for m in members if m["role"] in ACTIVE_ROLES]
    out = {
        "members": sum(1 for m in rows if m["role"] in FULL_ROLES),
        "member_states": sum(1 for m in rows if m["role"] in FULL_ROLES and m["kind"] == "state"),
    }
    for role, plural in OTHER_ROLES.items():
        out[plural] = sum(1 for m in rows if m["role"] == role)
    return out


def _counted_phrase(counts: Mapping[str, int]) -> str:
    """``10 members and 10 partners``; ``no full members and 20 partners``."""
    n = counts["members"]
    parts = [_plural(n, "member") if n else "no full members"]
    for role, plural in OTHER_ROLES.items():
        if counts[plural]:
            parts.append(_plural(counts[plural], role, plural))
    return _names(parts)


def _who(rows: Iterable[Mapping[str, Any]]) -> str:
    """Names, sorted, each marked when its spell is unverified."""
    return _names(
        sorted(m["name"] + ("" if m.get("verified", True) else " (unverified)") for m in rows)
    )


_NOT_ASSESSABLE = "not assessable"

#: The word the opening gives each life status (``minilat.analysis.life``); ``unknown``
#: has none: the opening says the record cannot tell.
_LIFE_WORDS = {"active": "active", "revived": "active", "dormant": "dormant", "ended": "ended"}


def _state_word(d: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The opening's word for the grouping's state, and for a dormant one the date its
    recorded activity stops, as the page's life reading ("Is it alive?") says them.

    >>> _state_word({"status": "active", "life": {"status": "dormant", "since": "2023-02"}})
    ('dormant', '2023-02')
    >>> _state_word({"status": "active", "life": {"status": "revived", "since": "2017-11"}})
    ('active', None)
    >>> _state_word({"status": "active", "life": {"status": "unknown", "since": "2019-01"}})
    (None, None)
    >>> _state_word({"status": "ended"})
    ('ended', None)
    """
    lf = d.get("life")
    if not isinstance(lf, Mapping) or not lf.get("status"):
        return str(d["status"]).replace("_", " "), None
    status = str(lf["status"])
    since = lf.get("since") if status == "dormant" else None
    return _LIFE_WORDS.get(status), since


def grouping(d: Mapping[str, Any]) -> list[str]:
    """The findings that open a grouping's page (``d`` is the page's dict).

    Members are the full members, as ``minilat members`` counts them; partners,
    associates and observers are counted and named apart, never as members.
    Every fact is as of the page's date: nothing that happened after it (a later member,
    event or spell) is named or counted."""
    out = []
    day = _day(d["as_of"])
    current = [m for m in d["members"] if m["role"] in ACTIVE_ROLES]
    counts = role_counts(current)
    ty = ((d.get("assessments") or {}).get("typology") or {}).get("result") or {}
    kind = f" {_label(ty['type'])}" if ty.get("type") else ""
    if day < _day(d["founded"]["date"]):
        out.append(f"{d['name_as_of']} was not yet founded on {d['as_of']}.")
    else:
        # the state word is the page's life reading ("Is it alive?"), not the status
        # (inside or outside its periods): a grouping inside an open period can be
        # dormant by its record (the Chip 4 since 2023-02), and the opening says so
        word, since = _state_word(d)
        described = " ".join(w for w in (word, kind.strip(), "grouping") if w)
        first = (
            f"{d['name_as_of']} is {'an' if described[0] in 'aeiou' else 'a'} {described} "
            f"of {_counted_phrase(counts)}"
        )
        first += f" as of {d['as_of']}, founded in {str(d['founded']['date'])[:4]}"
        periods = [p for p in d.get("periods") or [] if _day(p["start"]) <= day]
        if len(periods) > 1:
            first += f" (active in {_plural(len(periods), 'spell')})"
        if since:
            first += f"; no recorded activity since {since}"
        if word is None:
            first += "; whether it is still active is unknown (not enough record to say)"
        out.append(first + ".")
    states = [m for m in current if m["kind"] == "state" and m["role"] in FULL_ROLES]
    if 0 < len(states) <= 12:
        out.append(f"Its member states: {_who(states)}.")
    elif states:
        out.append(f"Its {len(states)} member states are shown on the map below.")
    for role, plural in OTHER_ROLES.items():
        these = [m for m in current if m["kind"] == "state" and m["role"] == role]
        if 0 < len(these) <= 12:
            word = f"{role}, not a member" if len(these) == 1 else f"{plural}, not members"
            out.append(f"Its {word}: {_who(these)}.")
        elif these:
            out.append(f"Its {len(these)} {plural}, not members, are shown apart on the map.")
    others = [m for m in current if m["kind"] != "state"]
    if 0 < len(others) <= 5:
        named = _names(
            sorted(f"{m['name']} ({_ROLE_WORD.get(m['role'], m['role'])})" for m in others)
        )
        out.append(f"Besides states, {named} {'takes' if len(others) == 1 else 'take'} part.")
    elif others:
        out.append(f"Besides states, {len(others)} other participants take part.")
    ch = ((d.get("assessments") or {}).get("characteristics") or {}).get("result") or {}
    if ch.get("verdict"):
        verdict = wording.plain(str(ch["verdict"])).rstrip(".")
        if verdict.startswith(_NOT_ASSESSABLE):
            # the characteristics' verdict is whether it is a minilateral: said bare
            # ("Not assessable: …") it read as the whole grouping, beside a scorecard
            # that assesses its policy indicators
            verdict = f"whether it is a minilateral is {verdict}"
        out.append(verdict[:1].upper() + verdict[1:] + ".")
    history = d.get("membership_history") or []
    joined = first_spells(history, day, "participant")
    if joined:
        still = {r["participant"] for r in _by(history, day) if _holds(r, day)}
        gone = len(set(joined) - still)
        text = f"{_plural(len(joined), 'participant')} on record by {d['as_of']}"
        if gone:
            text += f", {gone} of them no longer taking part"
        latest = _latest_joiners(history, day, "participant")
        if latest and _day(latest[0]["start"]) <= _day(d["founded"]["date"]):
            text += "; none has joined since the founding"
        elif latest:
            who = _names(sorted(m["name"] for m in latest))
            unverified = ", unverified" if not all(m.get("verified", True) for m in latest) else ""
            same = all(m["role"] == latest[0]["role"] for m in latest)
            as_role = _as_role(latest[0]["role"] if same else "")
            text += f"; the latest to join: {who} ({latest[0]['start'][:4]}{as_role}{unverified})"
        out.append(text + ".")
    events = [e for e in d.get("events") or [] if _day(e["date"]) <= day]
    if events:
        e = max(events, key=lambda e: _day(e["date"]))
        out.append(
            f"{_plural(len(events), 'dated event')} recorded by {d['as_of']}; the latest: "
            f"{e['title']} ({e['date']})."
        )
    sc = ((d.get("assessments") or {}).get("scorecard") or {}).get("result") or {}
    if sc.get("indicators") and sc.get("assessable"):
        strong = [i["title"].lower() for i in sc["indicators"] if i.get("label") == "strong"]
        text = f"{sc['assessable']} of the 5 policy indicators can be assessed"
        if strong:
            text += f"; it scores strongly on {_names(strong)}"
        out.append(text + ".")
    elif sc.get("indicators"):
        reason = wording.plain(str(sc["indicators"][0]["reason"]))
        reason = reason.removeprefix(_NOT_ASSESSABLE).removeprefix(": ")
        out.append(f"None of its 5 policy indicators can be assessed: {reason}.")
    return out
