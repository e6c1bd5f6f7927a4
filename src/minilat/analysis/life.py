"""The life of a grouping: is it alive on a date, and what did it deliver of its promises.

A grouping's status is *derived* from its dated record, never typed in:

* **active** — its last recorded activity is within its expected cadence (with slack),
  or, for a *standing body* (legal personality, a permanent secretariat, or a treaty), by
  default while no sourced end says otherwise (``basis`` ``standing_body``);
* **dormant** — a period that ended ``dormant`` (a sourced lapse), or a silence well past
  its cadence that an ``activity_searches`` entry covers: someone looked and found nothing;
* **unknown** — a silence well past its cadence that no search covers: not enough record
  to say whether the grouping or only the record fell silent;
* **revived** — active again after a lapse, for :attr:`LifeRules.revived_months`;
* **ended** — its last period ended ``dissolved`` or ``superseded`` (or without reason);
* **not_founded** — a date before its first period.

A gap in the record is never read as a gap in life without evidence: a silence is a lapse
only when a search found nothing over a stretch of it longer than the allowed silence.

The record read is :func:`activities`: events (but withdrawals and suspensions, which are a
member's acts, not the grouping's), the start of every period, membership and working
group, and the day each commitment was made. A partial date counts from the first day of
its period, as everywhere in minilat. The silence allowed before "dormant" is
``max(dormant_factor × expected interval, min_dormant_months)`` months, the expected
interval coming from the grouping's ``cadence`` (:attr:`LifeRules.expected_months`).
Every threshold is in :class:`LifeRules` and documented in docs/methodology.md.

Each status explains itself (:attr:`Life.explanation`) naming the evidence and its
sources, and the latest search for activity when the record is silent. An editor's
``status_override`` is shown beside the rule's answer (:attr:`Life.override`), never
instead of it.

Commitments: :func:`delivery` counts what a grouping promised and what became of it on a
date. The rate is ``(delivered + partly_weight × partly delivered) / assessed``, where
*assessed* counts only the commitments with a resolved status (delivered, partly
delivered, not delivered by the deadline); in progress, superseded and unknown ones are
shown but are not in the denominator.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> ds = load()
>>> life(ds.grouping("quad"), dt.date(2012, 1, 1)).status
'dormant'
>>> life(ds.grouping("quad"), dt.date(2018, 6, 1)).status
'revived'
>>> life(ds.grouping("imf"), dt.date(2026, 12, 2)).label
'active (standing body)'
"""

from __future__ import annotations

import datetime as _dt
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from minilat.model import (
    ActivitySearch,
    Cadence,
    Commitment,
    CommitmentStatus,
    EventKind,
    FuzzyDate,
    Grouping,
    Instrument,
    LifeStatus,
    Role,
    Secretariat,
)

__all__ = [
    "LIFE_RULES",
    "Activity",
    "CommitmentState",
    "Delivery",
    "Life",
    "LifeChange",
    "LifeRules",
    "activities",
    "activity_by_year",
    "commitment_states",
    "delivery",
    "history",
    "life",
    "standing_body",
]


@dataclass(frozen=True)
class LifeRules:
    """Every threshold of the life rules (docs/methodology.md, "The life of a grouping")."""

    #: the expected months between two recorded activities, by declared cadence
    expected_months: tuple[tuple[str, int], ...] = (
        ("continuous", 6),
        ("biannual", 6),
        ("annual", 12),
        ("biennial", 24),
        ("irregular", 12),
        ("none", 12),
        ("unknown", 12),
    )
    #: dormant after this many expected intervals without a recorded activity ...
    dormant_factor: float = 2.0
    #: ... and never after fewer months than this
    min_dormant_months: int = 18
    #: months a grouping reads "revived" after its record resumes from a lapse
    revived_months: int = 36
    #: what a partly delivered commitment counts for in the delivery rate
    partly_weight: float = 0.5
    #: the fewest assessed commitments for a delivery rate to feed the scorecard
    min_assessed: int = 2
    #: the fewest recorded commitments for strategic clarity to be read from them
    min_commitments: int = 3

    def expected(self, cadence: Cadence | str) -> int:
        return dict(self.expected_months)[str(cadence)]

    def dormant_after(self, cadence: Cadence | str) -> int:
        """Months of silence after which a grouping with ``cadence`` reads dormant."""
        return max(round(self.dormant_factor * self.expected(cadence)), self.min_dormant_months)


LIFE_RULES = LifeRules()

#: Event kinds that are a member's act, not the grouping's: they are not activity.
_NOT_ACTIVITY = frozenset({EventKind.WITHDRAWAL, EventKind.SUSPENSION})
_NOT_JOINING = frozenset({Role.WITHDRAWN, Role.SUSPENDED})


@dataclass(frozen=True, order=True)
class Activity:
    """One dated thing the grouping did, with its sources."""

    day: _dt.date
    rank: int  # on one day an event is the better evidence: it sorts last
    date: str
    kind: str
    title: str
    sources: tuple[str, ...] = ()


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` plus ``months`` calendar months (the day clipped to the month's end).

    >>> add_months(_dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (_dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(day.day, last))


def months_between(a: _dt.date, b: _dt.date) -> int:
    """Whole calendar months from ``a`` to ``b`` (``b`` after ``a``)."""
    n = (b.year - a.year) * 12 + b.month - a.month
    return n - (b.day < a.day)


_RANK = {"period": 0, "membership": 0, "working_group": 1, "commitment": 1}


def _act(d: FuzzyDate, kind: str, title: str, sources: Iterable[str]) -> Activity:
    return Activity(d.first_day(), _RANK.get(kind, 2), d.iso(), kind, title, tuple(sources))


def activities(g: Grouping) -> list[Activity]:
    """The grouping's dated record of activity, oldest first."""
    out = [
        _act(e.date, e.kind.value, e.title, e.sources)
        for e in g.events
        if e.kind not in _NOT_ACTIVITY
    ]
    for i, p in enumerate(g.periods):
        what = "founded" if i == 0 else "period begins again"
        out.append(_act(p.start, "period", what, p.sources))
    for m in g.memberships:
        if m.role not in _NOT_JOINING:
            out.append(
                _act(m.start, "membership", f"{m.participant} joins as {m.role.value}", m.sources)
            )
    for w in g.working_groups:
        if w.start is not None:
            out.append(_act(w.start, "working_group", f"{w.name} set up", w.sources))
    for c in g.commitments:
        out.append(_act(c.made, "commitment", f"commitment made: {c.text}", c.sources))
    return sorted(set(out))


def activity_by_year(g: Grouping, as_of: _dt.date) -> dict[int, int]:
    """How many recorded activities fall in each year up to ``as_of`` (the heat map)."""
    counts: dict[int, int] = {}
    for a in activities(g):
        if a.day <= as_of:
            counts[a.day.year] = counts.get(a.day.year, 0) + 1
    return counts


# ------------------------------------------------------------------------ status


@dataclass(frozen=True)
class Life:
    """A grouping's status on a date, why, and the editor's reading beside it.

    ``basis`` names the evidence the status rests on: ``record`` (recorded activity within
    the cadence), ``standing_body`` (a standing body read active through a silent record),
    ``search`` (a silence an activity search covers), ``period`` (a period's sourced end or
    start), ``no_record`` (a silence no search covers: the status is ``unknown``).
    ``label`` is the status as a listing shows it ("active (standing body)", "unknown (not
    enough record to say)"); ``gaps`` are the past silences no search covers, which are not
    read as lapses.
    """

    grouping: str
    name: str
    as_of: str
    status: str
    since: str | None
    explanation: str
    cadence: str
    dormant_after_months: int
    last_activity: dict[str, Any] | None
    months_silent: int | None
    lapses: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    search: dict[str, Any] | None
    override: dict[str, Any] | None = None
    disagrees: bool = False
    basis: str = "record"
    label: str = ""
    gaps: tuple[tuple[str, str], ...] = ()

    @property
    def alive(self) -> bool:
        return self.status in (LifeStatus.ACTIVE, LifeStatus.REVIVED)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["lapses"] = [list(x) for x in self.lapses]
        d["gaps"] = [list(x) for x in self.gaps]
        return d


#: The label of each (status, basis) that needs more than the status to be read right.
_LABELS = {
    ("active", "standing_body"): "active (standing body)",
    ("unknown", "no_record"): "unknown (not enough record to say)",
    ("dormant", "search"): "dormant (searched)",
    ("not_founded", "period"): "not yet founded",
}


def standing_body(g: Grouping) -> str | None:
    """Why ``g`` is a standing body (as words), or None when it is not one.

    A standing body exists between its meetings: it has legal personality, or a permanent
    secretariat, or it is a treaty organisation (its founding instrument is a treaty; inside
    a period, the treaty is in force). Unverified facts count, and the words say so.
    """

    def flag(f: Any) -> str:
        return " (unverified)" if not f.verified else ""

    why = []
    if g.legal_personality.value is True:
        why.append("legal personality" + flag(g.legal_personality))
    if g.secretariat.value is Secretariat.PERMANENT:
        why.append("a permanent secretariat" + flag(g.secretariat))
    if g.instrument.value is Instrument.TREATY:
        why.append("a founding treaty" + flag(g.instrument))
    return ", ".join(why) if why else None


def _period_on(g: Grouping, day: _dt.date) -> int | None:
    for i, p in enumerate(g.periods):
        if p.holds_on(day):
            return i
    return None


def _covering_search(
    g: Grouping, after: _dt.date, until: _dt.date, limit: int
) -> ActivitySearch | None:
    """The search that shows a silence after ``after`` (and before ``until``) longer than
    ``limit`` months: a conclusive search whose window, cut to the silence, is longer than
    the allowed silence."""
    for s in sorted(g.activity_searches, key=lambda s: s.date, reverse=True):
        if s.conclusive and add_months(max(s.since.first_day(), after), limit) < min(s.date, until):
            return s
    return None


@dataclass(frozen=True)
class _Silence:
    """A silence in the record longer than the allowed one, inside a period."""

    start: _dt.date  # the last activity before it
    dormant_from: _dt.date  # the first day past the allowed silence
    end: _dt.date  # the next activity (date.max while it lasts)
    search: ActivitySearch | None  # the search that covers it, if any


def _silences(g: Grouping, acts: list[Activity], rules: LifeRules) -> list[_Silence]:
    """Every silence inside a period longer than the allowed one, searched or not."""
    limit = rules.dormant_after(g.cadence.value)
    out: list[_Silence] = []
    for p in g.periods:
        start, end = p.start.first_day(), p.end.first_day() if p.end else _dt.date.max
        inside = [x.day for x in acts if start <= x.day < end]
        for x, y in itertools.pairwise([*inside, end]):
            dormant_from = add_months(x, limit) + _dt.timedelta(days=1)
            if dormant_from < y:
                out.append(_Silence(x, dormant_from, y, _covering_search(g, x, y, limit)))
    return out


def _lapses(
    g: Grouping, acts: list[Activity], rules: LifeRules, silences: list[_Silence] | None = None
) -> list[tuple[_dt.date, _dt.date]]:
    """Every lapse in the record: (first dormant day, day of revival), in order.

    A lapse is a gap between periods (a period's sourced end), or a silence inside a
    period that a search covers; a silence no search covers is a gap in the record, not a
    lapse, and a standing body's silences are never lapses. On a day D the lapses known are
    those revived on or before D."""
    out: list[tuple[_dt.date, _dt.date]] = []
    for a, b in zip(g.periods, g.periods[1:], strict=False):
        if a.end is not None:
            out.append((a.end.first_day(), b.start.first_day()))
    if standing_body(g) is None:
        for x in silences if silences is not None else _silences(g, acts, rules):
            if x.search is not None and x.end != _dt.date.max:
                out.append((x.dormant_from, x.end))
    return sorted(out)


def _gaps(g: Grouping, silences: list[_Silence]) -> list[tuple[_dt.date, _dt.date]]:
    """The past silences no search covers (unread gaps in the record; a standing body's
    silences are read as active, so it has none)."""
    if standing_body(g) is not None:
        return []
    return [(x.dormant_from, x.end) for x in silences if x.search is None and x.end != _dt.date.max]


def _latest_search(g: Grouping, day: _dt.date) -> ActivitySearch | None:
    done = [s for s in g.activity_searches if s.date <= day]
    return max(done, key=lambda s: s.date) if done else None


def _search_dict(s: ActivitySearch | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "date": s.date.isoformat(),
        "since": s.since.iso(),
        "what": s.what,
        "where": list(s.where),
        "found": s.found,
        "by": s.by,
        "conclusive": s.conclusive,
    }


def _search_text(s: ActivitySearch) -> str:
    return (
        f"Searched on {s.date.isoformat()} for activity since "
        f"{s.since.iso()} ({s.what.rstrip('.')}; where: "
        f"{'; '.join(s.where)}): {s.found.rstrip('.')}"
        + ("" if s.conclusive else " (a search that cannot show silence: not conclusive)")
    )


def _sources_text(sources: Iterable[str]) -> str:
    s = sorted(set(sources))
    return f"; sources: {', '.join(s)}" if s else "; no source cited"


def _spans(spans: Iterable[tuple[_dt.date, _dt.date]]) -> str:
    return ", ".join(f"{a.isoformat()} to {b.isoformat()}" for a, b in spans)


def life(g: Grouping, as_of: _dt.date, *, rules: LifeRules = LIFE_RULES) -> Life:
    """The status of ``g`` on ``as_of``, derived from its record, with its explanation."""
    acts, all_lapses, silences = _record(g, rules)
    return _life(g, as_of, rules, acts, all_lapses, silences)


#: How many groupings' records :func:`_record` keeps read (a dataset has a few hundred;
#: what-if scenarios make copies).
RECORDS_KEPT = 2048
_Record = tuple[list[Activity], list[tuple[_dt.date, _dt.date]], list[_Silence]]
_records: OrderedDict[tuple[int, int], tuple[Grouping, LifeRules, _Record]] = OrderedDict()
_records_lock = threading.Lock()


def _record(g: Grouping, rules: LifeRules) -> _Record:
    """The activities, lapses and silences of ``g``'s record under ``rules``: none of them
    depends on the date asked, so each grouping's record is read once (by identity: the
    grouping and the rules are held with it, and a dataset's groupings never change), not
    once per date. A page of the groupings on a new date asks :func:`life` of every
    grouping: this was three quarters of its cost. Read-only, like every shared answer."""
    key = (id(g), id(rules))
    with _records_lock:
        hit = _records.get(key)
        if hit is not None and hit[0] is g and hit[1] is rules:
            _records.move_to_end(key)
            return hit[2]
    acts = activities(g)
    silences = _silences(g, acts, rules)
    record = (acts, _lapses(g, acts, rules, silences), silences)
    with _records_lock:
        _records[key] = (g, rules, record)
        while len(_records) > RECORDS_KEPT:
            _records.popitem(last=False)
    return record


def _life(
    g: Grouping,
    as_of: _dt.date,
    rules: LifeRules,
    acts: list[Activity],
    all_lapses: list[tuple[_dt.date, _dt.date]],
    silences: list[_Silence],
) -> Life:
    """:func:`life` on a record already read (``history`` reads it once for every day)."""
    cadence = g.cadence.value.value
    limit = rules.dormant_after(cadence)
    expected = rules.expected(cadence)
    past = [a for a in acts if a.day <= as_of]
    last = past[-1] if past else None
    lapses = [(a, b) for a, b in all_lapses if b <= as_of]
    gaps = [(a, b) for a, b in _gaps(g, silences) if b <= as_of]
    standing = standing_body(g)
    search = _latest_search(g, as_of)
    silent = months_between(last.day, as_of) if last else None
    cad_text = (f"an {cadence} cadence" if cadence[0] in "aeiou" else f"a {cadence} cadence") + (
        # an irregular cadence promises no rhythm: say what it is judged against instead
        f" (no fixed rhythm, so judged against some activity at least every {expected}"
        f" months; dormant after {limit} months, if a search finds nothing)"
        if cadence == "irregular"
        else f" (expected every {expected} months; dormant after {limit} months, if a search finds"
        " nothing)"
    )

    def build(
        status: LifeStatus,
        since: _dt.date | str | None,
        text: str,
        sources: Iterable[str],
        basis: str,
        shown: ActivitySearch | None = search,
    ) -> Life:
        since_s = since.isoformat() if isinstance(since, _dt.date) else since
        src = tuple(sorted(set(sources)))
        if status is LifeStatus.DORMANT and shown is not None:
            text += ". " + _search_text(shown)
        elif status is LifeStatus.DORMANT:
            text += (
                ". No search for later activity is recorded: the silence may be a gap in the data"
            )
        elif status is LifeStatus.UNKNOWN and shown is not None:
            text += ". The latest search: " + _search_text(shown)
        elif basis == "standing_body" and shown is not None:
            text += ". " + _search_text(shown)
        if gaps and status in (LifeStatus.ACTIVE, LifeStatus.REVIVED, LifeStatus.UNKNOWN):
            text += (
                f". The record also has {'a gap' if len(gaps) == 1 else 'gaps'} no search "
                f"covers ({_spans(gaps)}): not enough record to say, so not read as "
                f"{'a lapse' if len(gaps) == 1 else 'lapses'}"
            )
        return _with_override(
            g,
            as_of,
            Life(
                grouping=g.id,
                name=g.name_on(as_of),
                as_of=as_of.isoformat(),
                status=status.value,
                since=since_s,
                explanation=text + ".",
                cadence=cadence,
                dormant_after_months=limit,
                last_activity=None
                if last is None
                else {
                    "date": last.date,
                    "kind": last.kind,
                    "title": last.title,
                    "sources": list(last.sources),
                },
                months_silent=silent,
                lapses=tuple((a.isoformat(), b.isoformat()) for a, b in lapses),
                sources=src,
                search=_search_dict(shown),
                basis=basis,
                label=_LABELS.get((status.value, basis), status.value),
                gaps=tuple((a.isoformat(), b.isoformat()) for a, b in gaps),
            ),
        )

    if as_of < g.founded.first_day():
        return build(
            LifeStatus.NOT_FOUNDED,
            None,
            f"not yet founded: founded {g.founded}",
            g.periods[0].sources,
            "period",
        )

    idx = _period_on(g, as_of)
    if idx is None:
        ended = max(
            (p for p in g.periods if p.end and p.end.first_day() <= as_of),
            key=lambda p: p.end.first_day() if p.end else _dt.date.min,
        )
        assert ended.end is not None
        reason = ended.end_reason or "ended"
        last_text = (
            f"; the last recorded activity before it was {last.kind} on {last.date} ({last.title})"
            if last
            else ""
        )
        if reason == "dormant":
            return build(
                LifeStatus.DORMANT,
                ended.end.iso(),
                f"dormant since {ended.end}: its period ended {ended.end} as {reason}{last_text}"
                + _sources_text(ended.sources),
                ended.sources,
                "period",
            )
        return build(
            LifeStatus.ENDED,
            ended.end.iso(),
            f"ended {ended.end}: {reason}{last_text}" + _sources_text(ended.sources),
            ended.sources,
            "period",
        )

    assert last is not None  # the period's start is an activity on or before as_of
    last_text = (
        f"the last recorded activity was {_kind_text(last.kind)} on {last.date} ({last.title})"
    )
    if as_of > add_months(last.day, limit):
        if standing is not None:
            return build(
                LifeStatus.ACTIVE,
                _active_since(lapses, g, as_of),
                f"active (standing body): it has {standing}, so it is read as active while "
                f"no sourced end or suspension says otherwise; {last_text}, {silent} months "
                f"ago: the record is silent for longer than {cad_text}, a gap in the record, "
                f"not evidence of dormancy" + _sources_text(last.sources),
                last.sources,
                "standing_body",
            )
        now = next(x for x in silences if x.start == last.day)
        if now.search is not None:
            return build(
                LifeStatus.DORMANT,
                last.date[:7],
                f"dormant since {last.date[:7]}: {last_text}; no activity is recorded for "
                f"{silent} months against {cad_text}, and a search found none"
                + _sources_text(last.sources),
                last.sources,
                "search",
                now.search,
            )
        return build(
            LifeStatus.UNKNOWN,
            last.date[:7],
            f"unknown since {last.date[:7]}: not enough record to say. {last_text[0].upper()}"
            f"{last_text[1:]}; nothing is recorded for {silent} months against {cad_text}, "
            f"but no conclusive search for activity covers more of the silence than the "
            f"{limit} months allowed, so it may be a gap in the record, not in the "
            f"grouping's life" + _sources_text(last.sources),
            last.sources,
            "no_record",
        )
    recent = [b for a, b in lapses if months_between(b, as_of) < rules.revived_months]
    if recent and (not gaps or recent[-1] >= gaps[-1][1]):
        lapse = next((a, b) for a, b in lapses if b == recent[-1])
        return build(
            LifeStatus.REVIVED,
            lapse[1].isoformat(),
            f"revived {lapse[1].isoformat()} after a lapse from {lapse[0].isoformat()}: "
            f"{last_text}, {silent} months ago, within {cad_text}" + _sources_text(last.sources),
            last.sources,
            "record",
        )
    since = _active_since(lapses, g, as_of)
    lapse_text = f"; it lapsed {_spans(lapses)}" if lapses else ""
    return build(
        LifeStatus.ACTIVE,
        since,
        f"active: {last_text}, {silent} months ago, within {cad_text}{lapse_text}"
        + _sources_text(last.sources),
        last.sources,
        "record",
    )


def _kind_text(kind: str) -> str:
    """An activity kind as words with its article: "a summit", "an agreement"."""
    words = {
        "period": "period start",
        "membership": "membership start",
        "working_group": "working group set up",
        "other": "recorded event",
    }.get(kind, kind.replace("_", " "))
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _active_since(lapses: list[tuple[_dt.date, _dt.date]], g: Grouping, day: _dt.date) -> str:
    """The day the present stretch of life began: the last revival or the founding (an
    unread gap in the record does not interrupt it: nothing says the grouping stopped)."""
    starts = [b for _, b in lapses if b <= day]
    return (starts[-1] if starts else g.founded.first_day()).isoformat()


def _with_override(g: Grouping, day: _dt.date, lf: Life) -> Life:
    o = g.status_override
    if o is None or (o.since is not None and o.since.first_day() > day):
        return lf
    shown = {
        "status": o.status.value,
        "rationale": o.rationale,
        "since": o.since.iso() if o.since else None,
        "sources": list(o.sources),
        "verified": o.verified,
        "note": o.note,
    }
    return Life(
        **{
            **asdict(lf),
            "override": shown,
            "disagrees": o.status.value != lf.status,
            "lapses": lf.lapses,
        }
    )


# ------------------------------------------------------------------------ history


@dataclass(frozen=True)
class LifeChange:
    """The day a grouping's derived status changed, and the status from then."""

    grouping: str
    name: str
    date: str
    status: str
    previous: str | None
    explanation: str


def history(g: Grouping, as_of: _dt.date, *, rules: LifeRules = LIFE_RULES) -> list[LifeChange]:
    """Every change of ``g``'s derived status up to ``as_of``, oldest first.

    The status can only change on a day the record moves: a period starts or ends, an
    activity happens, a silence crosses the allowed one (to dormant if a search covers it,
    to unknown if none does), or a revival ages out.
    """
    acts = activities(g)
    silences = _silences(g, acts, rules)
    all_lapses = _lapses(g, acts, rules, silences)
    limit = rules.dormant_after(g.cadence.value)
    days: set[_dt.date] = {g.founded.first_day()}
    for p in g.periods:
        days.add(p.start.first_day())
        if p.end:
            days.add(p.end.first_day())
    for a in acts:
        days.add(a.day)
        days.add(add_months(a.day, limit) + _dt.timedelta(days=1))
        days.add(add_months(a.day, rules.revived_months))
    out: list[LifeChange] = []
    prev: str | None = None
    for d in sorted(x for x in days if x <= as_of):
        lf = _life(g, d, rules, acts, all_lapses, silences)
        if lf.status != prev:
            out.append(LifeChange(g.id, lf.name, d.isoformat(), lf.status, prev, lf.explanation))
            prev = lf.status
    return out


# -------------------------------------------------------------------- commitments


@dataclass(frozen=True)
class CommitmentState:
    """One commitment and where it stands on a date."""

    grouping: str
    id: str
    text: str
    made: str
    target: str | None
    due: str | None
    delivery: str
    status: str
    status_date: str | None
    evidence: str | None
    sources: tuple[str, ...]
    evidence_sources: tuple[str, ...]
    overdue: bool
    superseded_by: str | None = None
    history: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _state(g: Grouping, c: Commitment, day: _dt.date) -> CommitmentState:
    a = c.status_on(day)
    status = a.status if a else CommitmentStatus.UNKNOWN
    open_ = status in (CommitmentStatus.IN_PROGRESS, CommitmentStatus.UNKNOWN)
    return CommitmentState(
        grouping=g.id,
        id=c.id,
        text=c.text,
        made=c.made.iso(),
        target=c.target.iso() if c.target else None,
        due=c.due.isoformat() if c.due else None,
        delivery=c.delivery,
        status=status.value,
        status_date=a.date.iso() if a else None,
        evidence=a.evidence if a else None,
        sources=c.sources,
        evidence_sources=a.sources if a else (),
        overdue=bool(open_ and c.due is not None and c.due < day),
        superseded_by=c.superseded_by,
        history=tuple(
            {
                "date": x.date.iso(),
                "status": x.status.value,
                "evidence": x.evidence,
                "sources": list(x.sources),
            }
            for x in c.status
            if x.date.first_day() <= day
        ),
    )


def commitment_states(g: Grouping, as_of: _dt.date) -> list[CommitmentState]:
    """The commitments ``g`` had made by ``as_of``, each with its status on that day."""
    return [_state(g, c, as_of) for c in g.commitments if c.made.first_day() <= as_of]


_RESOLVED = (
    CommitmentStatus.DELIVERED,
    CommitmentStatus.PARTLY_DELIVERED,
    CommitmentStatus.NOT_DELIVERED,
)


@dataclass(frozen=True)
class Delivery:
    """What a grouping promised by a date and what it had delivered, with the denominator."""

    grouping: str
    as_of: str
    made: int
    counts: dict[str, int]
    assessed: int
    rate: float | None
    overdue: int
    summary: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def delivery(g: Grouping, as_of: _dt.date, *, rules: LifeRules = LIFE_RULES) -> Delivery:
    """The delivery rate of ``g`` on ``as_of`` (None when nothing is assessed yet).

    >>> from minilat.dataset import load
    >>> delivery(load().grouping("quad"), _dt.date(2025, 1, 1)).assessed >= 0
    True
    """
    states = commitment_states(g, as_of)
    counts = {s.value: 0 for s in CommitmentStatus}
    for s in states:
        counts[s.status] += 1
    delivered = counts[CommitmentStatus.DELIVERED]
    partly = counts[CommitmentStatus.PARTLY_DELIVERED]
    assessed = sum(counts[s] for s in _RESOLVED)
    rate = round((delivered + rules.partly_weight * partly) / assessed, 3) if assessed else None
    overdue = sum(1 for s in states if s.overdue)
    if not states:
        summary = "no commitments recorded"
    elif rate is None:
        summary = (
            f"{len(states)} commitment{'s' if len(states) != 1 else ''} recorded, none yet "
            f"assessed as delivered or not"
        )
    else:
        summary = (
            f"{delivered} delivered and {partly} partly delivered of {assessed} assessed "
            f"(rate {rate:.0%}); {len(states)} recorded in all"
        )
    rest = [
        f"{counts[s]} {s.replace('_', ' ')}"
        for s in ("in_progress", "superseded", "unknown")
        if counts[s]
    ]
    if states and rest:
        summary += f"; {', '.join(rest)}"
    if overdue:
        summary += f"; {overdue} past due without a resolved status"
    src = tuple(sorted({x for s in states for x in (*s.sources, *s.evidence_sources)}))
    return Delivery(
        g.id, as_of.isoformat(), len(states), counts, assessed, rate, overdue, summary, src
    )
