"""Groupings and their members as of a date, as plain data with their sources.

These are the shapes the CLI's ``--json`` and the web API share (documented in
docs/cli.md): states by ISO 3166-1 alpha-3 code, dates as ISO 8601, roles by name.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> ds = load()
>>> [m["participant"] for m in members(ds, ds.grouping("i2u2"), dt.date(2023, 1, 1))["members"]]
['ARE', 'IND', 'ISR', 'USA']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from minilat.dataset import Dataset
from minilat.memo import shared
from minilat.model import Evidenced, Grouping, Membership

__all__ = [
    "ANCHORS",
    "COUNTS_NOTE",
    "COUNTS_TERMS",
    "OF_NOTE",
    "anchor_class",
    "counts_legend",
    "detail",
    "enumeration",
    "incomplete_lists",
    "listing",
    "listing_title",
    "member_role",
    "members",
    "members_cell",
    "named_of_published",
    "not_listing",
    "size",
    "status_on",
    "summary",
]


def status_on(g: Grouping, day: _dt.date) -> str:
    """``active``, ``not_yet_founded``, ``dormant`` (between periods) or ``ended``."""
    if g.active_on(day):
        return "active"
    if day < g.founded.first_day():
        return "not_yet_founded"
    last = g.periods[-1]
    if last.end is not None and day >= last.end.first_day():
        return "ended" if last.end_reason != "dormant" else "dormant"
    return "dormant"


def _membership(ds: Dataset, m: Membership) -> dict[str, Any]:
    p = ds.participant(m.participant)
    return {
        "participant": m.participant,
        "name": p.name,
        "kind": p.kind.value,
        "role": m.role.value,
        "start": m.start.iso(),
        "end": m.end.iso() if m.end else None,
        "verified": m.verified,
        "note": m.note,
        "sources": list(m.sources),
    }


#: What each column of a listing counts or says, one term each: a face that shows only
#: some columns (the CLI at 80 columns) says only the terms it shows (:func:`counts_legend`);
#: :data:`COUNTS_NOTE` is all of them.
COUNTS_TERMS: dict[str, str] = {
    "members": "members: full members (founding members and members)",
    "partners": "partners: participants in other active roles (partners, associates, observers)",
    "states": "states: sovereign states among the full members (a grouping's members "
    "listing adds states_any_role: sovereign states in any active role)",
    "status": "status: inside or outside its periods; life, where it says more, is derived "
    "from the record (dormant only where a search found nothing or a sourced end says so; "
    "unknown where there is not enough record to say; standing bodies read active through "
    "a silent record)",
    # the CLI's listing shows the life alone, in a column of that name
    "life": "life: what a grouping's recorded activity says of it (a listing's \"active\" says "
    "only that the date is inside its recorded periods): active; dormant only where a search "
    "found nothing or a sourced end says so; unknown where there is not enough record to say; "
    "revived after a lapse; standing bodies read active through a silent record",
}

#: Who is counted at all, said under every listing that shows a count.
_COUNTED = (
    "Dependent territories (the Faroe Islands, Bermuda, ...) are participants, never "
    "states. Suspended and withdrawn participants are not counted."
)


def counts_legend(shown: Iterable[str]) -> str:
    """The legend of a listing that shows only the columns ``shown`` (terms of
    :data:`COUNTS_TERMS`; other headers are ignored): it never describes a column that
    is not there.

    >>> counts_legend(["id", "members", "partners"])[:58]
    'members: full members (founding members and members); part'
    >>> "status:" in counts_legend(["members"]), "states:" in counts_legend(["members"])
    (False, False)
    >>> counts_legend(["life"]).endswith("standing bodies read active through a silent record.")
    True
    """
    wanted = set(shown)
    counts = [COUNTS_TERMS[t] for t in ("members", "partners", "states") if t in wanted]
    parts = ["; ".join(counts) + "."] if counts else []
    parts.append(_COUNTED)
    if "status" in wanted:  # the status's term says the life too
        parts.append(COUNTS_TERMS["status"] + ".")
    elif "life" in wanted:
        parts.append(COUNTS_TERMS["life"] + ".")
    return " ".join(parts)


#: What the counts of a listing count, said once for every face that shows them.
COUNTS_NOTE = counts_legend(COUNTS_TERMS)


#: What "N of M" means, wherever a face shows it (listings, members, a country's page).
OF_NOTE = (
    "N of M: the record names only some members of this grouping; N counts the ones it "
    "names in the roles its published head-count covers (member states among the full "
    "members, or every participant where the head-count counts participants), M is the "
    "head-count the grouping published. Where M counts participants, N already counts "
    'the partners: "15 of 49 = 8 + 7 partners" is 15 named, 8 full members and 7 '
    'partners. "reported in 2023": M was published after the date shown.'
)


def named_of_published(enum: dict[str, Any] | None) -> str | None:
    """The one "N of M" of an incomplete member list (:func:`enumeration`), or None when
    the list is complete: every face shows this string, so that a grouping reads the same
    in every listing, like compared with like. As of a date before the head-count's own,
    it says the year M was reported in, since M may count members who joined later.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> named_of_published(enumeration(ds, ds.grouping("paris_call"), _dt.date(2024, 1, 1)))
    '2 of 80'
    >>> named_of_published(enumeration(ds, ds.grouping("ccdcoe"), _dt.date(2013, 1, 1)))
    '10 of 39 reported in 2023'
    """
    if enum is None:
        return None
    later = f" reported in {enum['published_as_of'][:4]}" if enum["reported_later"] else ""
    return f"{enum['listed']} of {enum['published']}{later}"


def size(row: Mapping[str, Any]) -> int:
    """A listing row's (:func:`summary`) size as every face shows it: the published
    head-count (the M of "N of M") where the record names only some members, else its
    full members. Sorting or capping by the members named instead would put the
    Zangger Committee ("1 of 39") among the smallest groupings.

    >>> size({"published_count": 39, "full_members": 1})
    39
    >>> size({"published_count": None, "full_members": 4})
    4
    """
    published = row.get("published_count")
    return int(published if published is not None else row.get("full_members") or 0)


def members_cell(row: Mapping[str, Any], *, partners: bool = True) -> list[str]:
    """A listing row's (:func:`summary`) members in words, as the lines every face shows,
    never a number added twice: "10", "+ 1 partner" for a complete list; "2 of 80",
    "+ 5 partners" where the head-count counts member states (N counts none of the
    partners); "15 of 49", "= 8", "+ 7 partners" where it counts participants in every
    role (N already counts the partners: 8 full members and 7 partners are its parts,
    not added to it).

    ``partners=False`` leaves out the "+ P partners" of a face that shows them in a
    column of their own (the site's table); the parts of an N that counts them stay.

    >>> members_cell({"named_of_published": "15 of 49", "named_counts": "participants",
    ...               "full_members": 8, "other_participants": 7})
    ['15 of 49', '= 8', '+ 7 partners']
    >>> members_cell({"named_of_published": "2 of 80", "named_counts": "states",
    ...               "full_members": 7, "other_participants": 1})
    ['2 of 80', '+ 1 partner']
    """
    named, n = row["named_of_published"], row["other_participants"]
    extra = [f"+ {n} {'partner' if n == 1 else 'partners'}"] if n else []
    if named and row.get("named_counts") == "participants":
        return [named, f"= {row['full_members']}", *extra] if n else [named]
    return [named or str(row["full_members"]), *(extra if partners else [])]


def _counted(ds: Dataset, g: Grouping, day: _dt.date, counts: str) -> int:
    current = g.members_on(day)
    if counts == "participants":
        return len(current)
    return sum(1 for m in current if m.full and ds.participant(m.participant).is_state)


def enumeration(ds: Dataset, g: Grouping, as_of: _dt.date) -> dict[str, Any] | None:
    """None when the record lists every member the grouping is known to have; otherwise
    what is missing, said in words, for every face that lists members.

    Some groupings publish a head-count but not a dated list of members (the Paris Call's
    80 states, the Zangger Committee's 39); the record then enumerates only the members
    whose joining is sourced and keeps the head-count in ``member_count``. A listing of
    their members, and a country's list of groupings, is then incomplete, and must say
    so rather than answer as if it were whole.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> e = enumeration(ds, ds.grouping("paris_call"), _dt.date(2024, 1, 1))
    >>> e["published"], e["listed"] < e["published"]
    (80, True)
    >>> enumeration(ds, ds.grouping("quad"), _dt.date(2024, 1, 1)) is None
    True
    """
    mc = g.member_count
    if mc is None or not g.active_on(as_of):
        return None
    counted_on = max(mc.date.first_day(), g.founded.first_day())
    if mc.value <= _counted(ds, g, counted_on, mc.counts):
        return None
    listed = _counted(ds, g, as_of, mc.counts)
    what = ("member state" if mc.counts == "states" else "participant") + (
        "" if listed == 1 else "s"
    )
    out: dict[str, Any] = {
        "complete": False,
        "counts": mc.counts,
        "listed": listed,
        "published": mc.value,
        "published_as_of": mc.date.iso(),
        # the head-count was published after ``as_of``: it may count later joiners
        "reported_later": as_of < mc.date.first_day(),
        "sources": list(mc.sources),
    }
    return {
        **out,
        "named_of_published": named_of_published(out),
        "text": (
            f"Incomplete list: the record names {listed} {what} as of {as_of.isoformat()}; "
            f"{g.name} reported {mc.value} as of {mc.date.iso()}. Members whose joining "
            "is not sourced are left out, so a country missing here may still take part."
        ),
    }


@shared("groupings.incomplete_lists")
def incomplete_lists(ds: Dataset, as_of: _dt.date) -> list[dict[str, Any]]:
    """The groupings active on ``as_of`` whose member list in the record is incomplete
    (a published head-count above the members enumerated; see
    :func:`minilat.analysis.groupings.enumeration`), in id order.

    A country's groupings are the groupings that list it, so a country may take part in
    one of these without the record showing it: every face that lists a country's
    groupings names these beside them, rather than answering as if the list were whole.
    """
    out = []
    for g in sorted(ds.groupings.values(), key=lambda g: g.id):
        e = enumeration(ds, g, as_of)
        if e is not None:
            out.append(
                {
                    "grouping": g.id,
                    "name": g.name_on(as_of),
                    "listed": e["listed"],
                    "published": e["published"],
                    "published_as_of": e["published_as_of"],
                    "reported_later": e["reported_later"],
                    "named_of_published": named_of_published(e),
                }
            )
    return out


def not_listing(
    ds: Dataset,
    member: str,
    as_of: _dt.date,
    listed: Collection[str],
    *,
    among: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """The groupings active on ``as_of`` whose member lists are incomplete in the record
    and do not list ``member`` (a state): it may take part in them without the record
    showing it. ``listed`` are the groupings already counted for it; ``among`` limits the
    answer to the groupings other filters let through.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> "paris_call" in [r["grouping"] for r in not_listing(ds, "BRA", _dt.date(2024, 1, 1), [])]
    True
    """
    if not ds.participant(member).is_state:
        return []
    return [
        r
        for r in incomplete_lists(ds, as_of)
        if r["grouping"] not in listed and (among is None or r["grouping"] in among)
    ]


def summary(ds: Dataset, g: Grouping, as_of: _dt.date) -> dict[str, Any]:
    """One line of a listing: identity, dates, status and size as of the date.

    The counts say what they count: ``full_members`` (founding members and members),
    ``other_participants`` (partners, associates, observers) and ``states`` (sovereign
    states among the full members); ``participants`` is the first two together, the
    length of ``members(...)["members"]``. Where the member list is incomplete,
    ``named_of_published`` is "N of M" (:data:`OF_NOTE`), N counting the roles
    ``named_counts`` says (``states``: member states among the full members, none of the
    partners; ``participants``: every role, the partners included), M the head-count
    dated ``published_count_date`` (``reported_later`` when that is after ``as_of``);
    ``members_text`` is the members cell every face shows (:func:`members_cell`).

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> s = summary(ds, ds.grouping("quad"), _dt.date(2024, 1, 1))
    >>> s["full_members"], s["states"], s["participants"]
    (4, 4, 4)
    >>> summary(ds, ds.grouping("hiroshima_ai_process"), _dt.date(2025, 1, 1))["members_text"]
    '15 of 49 = 8 + 7 partners'
    """
    from minilat.analysis.life import life

    current = g.members_on(as_of)
    full = [m for m in current if m.full]
    enum = enumeration(ds, g, as_of)
    lived = life(g, as_of)
    row = {
        "id": g.id,
        "name": g.name,
        "acronyms": list(g.acronyms),
        "founded": g.founded.iso(),
        "ended": g.ended.iso() if g.ended else None,
        "status": status_on(g, as_of),
        "life": lived.status,
        "life_label": lived.label,
        "instrument": g.instrument.value.value,
        "themes": [t.value for t in g.themes.value],
        "participants": len(current),
        "full_members": len(full),
        "other_participants": len(current) - len(full),
        "states": sum(1 for m in full if ds.participant(m.participant).is_state),
        "website": g.website.value,
        "complete_list": enum is None,
        "published_count": None if enum is None else enum["published"],
        # the head-count's date, and whether it is later than ``as_of`` ("reported in")
        "published_count_date": None if enum is None else enum["published_as_of"],
        "reported_later": enum is not None and enum["reported_later"],
        # "N of M" in the roles the head-count covers (OF_NOTE), the same in every face;
        # named_counts says which: "states" (member states among the full members) or
        # "participants" (every role, partners included)
        "named_of_published": named_of_published(enum),
        "named_counts": None if enum is None else enum["counts"],
    }
    # the members cell every face shows (members_cell), in one line
    row["members_text"] = " ".join(members_cell(row))
    return row


def member_role(g: Grouping, member: str, as_of: _dt.date, *, ever: bool = False) -> dict[str, Any]:
    """The member's own standing in a grouping: its active roles with their dates, in
    words (``text``) and as data (``roles``; ``history`` adds suspensions and
    withdrawals), so that a listing filtered by member never shows a grouping the member
    has left as if it were still in it. As of ``as_of`` only the roles held on that date
    are named; ``ever`` names every active role it has held, an ended one with its end.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> day = _dt.date(2024, 1, 1)
    >>> member_role(ds.grouping("g7"), "RUS", day, ever=True)["text"]
    'member 1998–2014'
    >>> member_role(ds.grouping("cern"), "RUS", day, ever=True)["text"]
    'observer 1995–2022'
    >>> member_role(ds.grouping("quad"), "IND", day)["text"]
    'founding member 2017–'
    """
    mine = sorted(
        (m for m in g.memberships if m.participant == member),
        key=lambda m: m.start.first_day(),
    )
    held = [m for m in mine if m.active_role and (ever or m.holds_on(as_of))]

    def span(m: Membership) -> str:
        return f"{m.start.iso()[:4]}–{m.end.iso()[:4] if m.end else ''}"

    words = [f"{m.role.value.replace('_', ' ')} {span(m)}" for m in held]
    return {
        "text": "; ".join(words),
        "roles": [
            {"role": m.role.value, "start": m.start.iso(), "end": m.end.iso() if m.end else None}
            for m in held
        ],
        "history": [
            {"role": m.role.value, "start": m.start.iso(), "end": m.end.iso() if m.end else None}
            for m in mine
        ],
    }


def listing_title(
    ds: Dataset, n: int, *, as_of: _dt.date, member: str | None = None, ever: bool = False
) -> str:
    """What a listing of ``n`` groupings counts, in words: on which date, and for whom.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> listing_title(ds, 1, as_of=_dt.date(2020, 1, 1), member="RUS")
    '1 grouping Russia takes part in as of 2020-01-01'
    """
    noun = "grouping" if n == 1 else "groupings"
    day = as_of.isoformat()
    if member is not None:
        name = ds.participant(member).name
        if ever:
            return f"{n} {noun} {name} has ever taken part in (counts as of {day})"
        return f"{n} {noun} {name} takes part in as of {day}"
    if ever:
        return f"{n} {noun} in the record (counts as of {day})"
    return f"{n} {noun} active on {day} (of {len(ds.groupings)} in the record)"


def listing(
    ds: Dataset,
    ids: Iterable[str],
    *,
    as_of: _dt.date,
    member: str | None = None,
    ever: bool = False,
    among: Collection[str] | None = None,
) -> dict[str, Any]:
    """A listing of groupings (``ids``, already filtered), each summarised as of ``as_of``,
    with a title that says what was counted and on which date.

    With ``member`` (as of the date), ``incomplete_lists`` names the groupings that may
    hold the member too but cannot show it (:func:`not_listing`); ``among`` is what the
    other filters (theme, name) let through, so that only those are named.

    ``ever`` says the filter was "at any time" rather than "as of ``as_of``"; the
    summaries still describe each grouping as of ``as_of``.
    """
    rows = [summary(ds, ds.groupings[i], as_of) for i in ids]
    if member is not None:  # the member's own role and its dates, beside each grouping
        for r in rows:
            r["member_role"] = member_role(ds.groupings[r["id"]], member, as_of, ever=ever)
    maybe = (
        not_listing(ds, member, as_of, [r["id"] for r in rows], among=among)
        if member is not None and not ever
        else []
    )
    return {
        "title": listing_title(ds, len(rows), as_of=as_of, member=member, ever=ever),
        "filters": {"member": member, "as_of": None if ever else as_of.isoformat(), "ever": ever},
        "as_of": as_of.isoformat(),
        "count": len(rows),
        "counts_note": COUNTS_NOTE,
        "of_note": OF_NOTE,
        "groupings": rows,
        # groupings whose member lists are incomplete in the record, not counted above:
        # the member may take part in them too (see enumeration)
        "incomplete_lists": maybe,
    }


def members(
    ds: Dataset, g: Grouping, as_of: _dt.date, *, verified_only: bool = False
) -> dict[str, Any]:
    """The grouping's participants in an active role on ``as_of``, sorted by id.

    The counts mean what they mean in :func:`summary` (:data:`COUNTS_NOTE`): ``states``
    are the sovereign states among the full members; ``states_any_role`` adds the states
    taking part as partners, associates or observers; ``count`` is every participant.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> d = members(ds, ds.grouping("cern"), _dt.date(2024, 1, 1))
    >>> d["states"] == summary(ds, ds.grouping("cern"), _dt.date(2024, 1, 1))["states"]
    True
    >>> d["states_any_role"] > d["states"]
    True
    """
    current = sorted(g.members_on(as_of, verified_only=verified_only), key=lambda m: m.participant)
    rows = [_membership(ds, m) for m in current]
    states = [m for m in current if ds.participant(m.participant).is_state]
    return {
        "grouping": g.id,
        "name": g.name_on(as_of),
        "as_of": as_of.isoformat(),
        "status": status_on(g, as_of),
        "count": len(rows),
        "full_members": sum(1 for m in current if m.full),
        "states": sum(1 for m in states if m.full),
        "states_any_role": len(states),
        "counts_note": COUNTS_NOTE,
        "enumeration": enumeration(ds, g, as_of),
        "members": rows,
        "sources": _sources(ds, (m for m in current)),
    }


def _fact(f: Evidenced) -> dict[str, Any]:
    return f.model_dump(mode="json")


def _sources(ds: Dataset, items: Iterable[Evidenced]) -> dict[str, Any]:
    ids = sorted({s for it in items for s in it.sources})
    return {sid: ds.source(sid).model_dump(mode="json") for sid in ids if sid in ds.sources}


def detail(ds: Dataset, g: Grouping, as_of: _dt.date) -> dict[str, Any]:
    """Everything about a grouping as of a date, every fact with its sources."""
    current = sorted(g.members_on(as_of), key=lambda m: m.participant)
    facts: list[Evidenced] = [
        *g.periods,
        *g.name_history,
        g.instrument,
        g.secretariat,
        g.legal_personality,
        g.accession,
        g.website,
        g.cadence,
        g.themes,
        *g.objectives,
        *g.working_groups,
        *g.stakeholder_channels,
        *g.memberships,
        *g.events,
    ]
    if g.typology_override:
        facts.append(g.typology_override)
    if g.status_override:
        facts.append(g.status_override)
    facts.extend(g.commitments)
    from minilat.analysis.pulse import life_detail

    lived = life_detail(g, as_of)
    evidence = {s for c in g.commitments for a in c.status for s in a.sources}
    sources = _sources(ds, facts)
    sources.update(
        {sid: ds.source(sid).model_dump(mode="json") for sid in sorted(evidence - set(sources))}
    )
    return {
        "id": g.id,
        "name": g.name,
        "name_as_of": g.name_on(as_of),
        "acronyms": list(g.acronyms),
        "aliases": list(g.aliases),
        "as_of": as_of.isoformat(),
        "status": status_on(g, as_of),
        "founded": {"date": g.founded.iso(), "precision": g.founded.precision.value},
        "ended": g.ended.iso() if g.ended else None,
        "periods": [_fact(p) for p in g.periods],
        "name_history": [_fact(n) for n in g.name_history],
        "instrument": _fact(g.instrument),
        "secretariat": _fact(g.secretariat),
        "legal_personality": _fact(g.legal_personality),
        "accession": _fact(g.accession),
        "website": _fact(g.website),
        "cadence": _fact(g.cadence),
        "themes": _fact(g.themes),
        "objectives": [_fact(o) for o in g.objectives],
        "working_groups": [_fact(w) for w in g.working_groups],
        "stakeholder_channels": [_fact(c) for c in g.stakeholder_channels],
        "members": [_membership(ds, m) for m in current],
        "enumeration": enumeration(ds, g, as_of),
        "membership_history": [
            _membership(ds, m)
            for m in sorted(g.memberships, key=lambda m: (m.start.first_day(), m.participant))
        ],
        "events": [_fact(e) for e in sorted(g.events, key=lambda e: e.date.first_day())],
        "typology_override": _fact(g.typology_override) if g.typology_override else None,
        "life": lived["life"],
        "commitments": lived["commitments"],
        "delivery": lived["delivery"],
        "activity_searches": [s.model_dump(mode="json") for s in g.activity_searches],
        "notes": g.notes,
        "sources": dict(sorted(sources.items())),
    }


#: The two anchor states of the bloc measures (scorecard, hedging).
ANCHORS = ("USA", "CHN")


def _full_member(g: Grouping, code: str, day: _dt.date) -> bool:
    return g.active_on(day) and any(
        m.participant == code and m.full and m.holds_on(day) for m in g.memberships
    )


def anchor_class(
    g: Grouping,
    day: _dt.date,
    anchors: tuple[str, str] = ANCHORS,
    *,
    ds: Dataset | None = None,
) -> str:
    """``us_anchored``, ``china_anchored``, ``both``, ``neither`` or ``unknown`` on ``day``.

    A format is US-anchored when the United States is a full member and China is not,
    China-anchored in the mirror case (docs/network.md, docs/methodology.md). Given the
    dataset, a grouping whose member list is incomplete in the record
    (:func:`enumeration`) is ``unknown`` unless both anchors are named: the Zangger
    Committee names only China of its 39 members, which says nothing of the United States.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> anchor_class(ds.grouping("quad"), _dt.date(2024, 1, 1))
    'us_anchored'
    >>> anchor_class(ds.grouping("brics"), _dt.date(2024, 1, 1))
    'china_anchored'
    >>> anchor_class(ds.grouping("zangger"), _dt.date(2024, 1, 1), ds=ds)
    'unknown'
    """
    us, cn = (_full_member(g, a, day) for a in anchors)
    if us and cn:
        return "both"
    if ds is not None and enumeration(ds, g, day) is not None:
        return "unknown"
    if us:
        return "us_anchored"
    if cn:
        return "china_anchored"
    return "neither"
