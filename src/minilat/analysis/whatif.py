"""What if: a scenario's analyses beside the record's, the differences ranked and explained.

:func:`run` takes a dataset and a :class:`~minilat.scenario.Scenario` (joins, leaves,
suspensions, foundings, endings), applies it to a copy in memory
(:func:`minilat.scenario.apply`) and asks the existing analyses the same questions of
both, on the scenario's date:

* **characteristics and type** of each affected grouping
  (:mod:`~minilat.analysis.characteristics`, :mod:`~minilat.analysis.typology`);
* the **policy scorecard** (:mod:`~minilat.analysis.scorecard`);
* the **network**: centralities, partner counts and communities
  (:mod:`~minilat.analysis.network`);
* every country's **hedging index** (:func:`minilat.analysis.countries.alignment`);
* **coverage and Naim efficiency** of each affected grouping on each capability table,
  and the **designer's verdict** on a founded grouping (:mod:`~minilat.analysis.coalition`).

Only what the changes can affect is recomputed (docs/whatif.md gives the rules): a
grouping whose members, status and facts are the same on the date in both is not
affected; a scorecard elsewhere is recomputed only when its "unified purpose" reads
members who changed in a rival-anchored format; hedging indices only for countries whose
bloc-anchored formats changed, unless the number of such formats changed (then all); the
network only when some membership on the date changed. ``recomputed`` in the answer
counts every analysis call, beside ``full``, an upper bound of what recomputing everything
would cost (every grouping on every capability table).

Each difference has a ``size`` used to rank them: a change of label or verdict (no longer
a minilateral, hedger to aligned) is 1; a score, share, index or centrality between 0
and 1 moves by ``|after - before|``; a count by ``|after - before| / max(before, after)``;
a community by ``1 -`` the Jaccard similarity of the country's community before and after.
Differences smaller than :data:`MIN_SIZE` are counted in ``negligible``, not listed.

A measure that becomes assessable or stops being so (a Naim efficiency once a member has
no figure of its own in a table, a scorecard indicator, a hedging index) is not a change
of value and has no size: it is listed apart, in ``assessability``, never ranked among
the differences, and its explanation gives the reason (which member lacks which figure).

>>> from minilat.dataset import load
>>> from minilat.scenario import inline
>>> ds = load()
>>> r = run(ds, inline(joins=["IND:chip4"], as_of="2026-12-01"), network=False)
>>> d = next(d for d in r["differences"] if d["area"] == "characteristics")
>>> d["explanation"]
'Chip 4 grows from 4 to 5 full-member states: India joins Chip 4 as member on 2026-12-01'
>>> run(ds, inline(as_of="2026-12-01"))["differences"]
[]
"""

from __future__ import annotations

import datetime as _dt
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from minilat import scenario as _scenario
from minilat.analysis import characteristics as _characteristics
from minilat.analysis import coalition as _coalition
from minilat.analysis import countries as _countries
from minilat.analysis import network as _network
from minilat.analysis import scorecard as _scorecard
from minilat.analysis import typology as _typology
from minilat.analysis.groupings import anchor_class, status_on
from minilat.dataset import Dataset
from minilat.errors import MinilatError
from minilat.model import Grouping, Theme

__all__ = [
    "AREAS",
    "MIN_SIZE",
    "THEME_TABLES",
    "Difference",
    "compare",
    "run",
    "tables_for",
]

#: The areas of the analysis, in the order a tie in size is broken.
AREAS = ("characteristics", "type", "scorecard", "designer", "capabilities", "hedging", "network")
#: Differences smaller than this are counted (``negligible``), not listed.
MIN_SIZE = 0.001
#: The capability tables that measure each theme, for the designer's verdict on a founded
#: grouping (a scenario may name its own with ``tables:``). Only bundled tables that
#: measure the theme itself today are listed; projections and regional tables are left out.
THEME_TABLES: dict[Theme, tuple[str, ...]] = {
    Theme.SEMICONDUCTORS: (
        "wafer_capacity",
        "leading_edge_capacity",
        "chip_design",
        "lithography_equipment",
        "deposition_tools",
        "etch_clean_tools",
        "process_control_tools",
    ),
    Theme.AI: ("research_ai", "research_advanced_analytics"),
    Theme.CRITICAL_MINERALS: (
        "rare_earth_mining",
        "rare_earth_processing",
        "lithium_mining",
        "cobalt_mining",
    ),
}
#: Time limit of each designer solve, as on the designer's web page and API.
SOLVE_SECONDS = 5.0


@dataclass(frozen=True)
class Difference:
    """One thing that differs between the record and the scenario, explained."""

    area: str
    subject: str
    name: str
    measure: str
    before: Any
    after: Any
    delta: float | None
    #: None for a change of assessability (listed apart, never ranked)
    size: float | None
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tables_for(ds: Dataset, themes: Iterable[Theme]) -> tuple[str, ...]:
    """The capability tables of ``ds`` that measure ``themes`` (see :data:`THEME_TABLES`).

    >>> from minilat.dataset import load
    >>> tables_for(load(), [Theme.AI, Theme.CLIMATE])
    ('research_ai', 'research_advanced_analytics')
    """
    out: list[str] = []
    for t in themes:
        out += [tid for tid in THEME_TABLES.get(t, ()) if tid in ds.capabilities]
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------- one side


class _OutOfBudget(Exception):
    """The designer's time budget for this answer is spent."""


class _Budget:
    """Seconds of designer solving one answer may spend (shared by both sides)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.skipped = 0

    def time_limit(self) -> float:
        """The time limit of the next solve; _OutOfBudget when nothing is left."""
        if self.deadline is None:
            return SOLVE_SECONDS
        left = self.deadline - time.monotonic()
        if left <= 0.01:
            self.skipped += 1
            raise _OutOfBudget
        return min(SOLVE_SECONDS, left)


class _Side:
    """The analyses of one dataset (the record or the scenario), asked on demand, once.

    Every call into an analysis module is counted in ``calls`` (shared by both sides).
    """

    def __init__(
        self,
        ds: Dataset,
        day: _dt.date,
        calls: Counter[str],
        network: Mapping[str, Any] | None = None,
        budget: _Budget | None = None,
    ) -> None:
        self.ds, self.day, self.calls = ds, day, calls
        self.budget = budget or _Budget(None)
        self._assess: dict[str, Any] = {}
        self._type: dict[str, Any] = {}
        self._card: dict[str, Any] = {}
        self._align: dict[str, dict[str, Any]] = {}
        self._compare: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._net: Mapping[str, Any] | None = network

    def grouping(self, gid: str) -> Grouping | None:
        return self.ds.groupings.get(gid)

    def assess(self, gid: str) -> Any:
        g = self.grouping(gid)
        if g is None:
            return None
        if gid not in self._assess:
            self.calls["characteristics"] += 1
            self._assess[gid] = _characteristics.assess(self.ds, g, self.day)
        return self._assess[gid]

    def type_of(self, gid: str) -> Any:
        g = self.grouping(gid)
        if g is None or not g.existed_by(self.day):
            return None
        if gid not in self._type:
            self.calls["typology"] += 1
            self._type[gid] = _typology.classify_one(self.ds, g)
        return self._type[gid]

    def card(self, gid: str) -> Any:
        g = self.grouping(gid)
        if g is None:
            return None
        if gid not in self._card:
            self.calls["scorecard"] += 1
            self._card[gid] = _scorecard.score(self.ds, g, self.day)
        return self._card[gid]

    def aligns(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        """Each country's hedging (counted one call per country, asked in one batch)."""
        missing = [c for c in codes if c not in self._align]
        if missing:
            self.calls["hedging"] += len(missing)
            self._align.update(_countries.alignments(self.ds, missing, self.day))
        return {c: self._align[c] for c in codes}

    def net(self) -> Mapping[str, Any]:
        if self._net is None:
            self.calls["network"] += 1
            self._net = _network.analyse(self.ds, self.day)
        return self._net

    def compare(self, gid: str, tables: tuple[str, ...]) -> dict[str, Any] | None:
        """The designer's comparison of ``gid`` with the best coalition of its size."""
        key = (gid, ",".join(tables))
        if key not in self._compare:
            g = self.grouping(gid)
            out: dict[str, Any] | None = None
            if g is not None and g.active_on(self.day):
                limit = self.budget.time_limit()  # _OutOfBudget: not remembered
                self.calls["designer"] += 1
                q = _coalition.Question(
                    tuple(self.ds.capability(t) for t in tables),
                    as_of=self.day,
                    time_limit=limit,
                )
                try:
                    out = _coalition.design(self.ds, q, compare=gid)
                except MinilatError:
                    out = None  # no member countries on the date: nothing to compare
            self._compare[key] = out
        return self._compare[key]


# ------------------------------------------------------------- what is affected


def _state(g: Grouping | None, day: _dt.date) -> Any:
    """Everything about ``g`` the analyses read on ``day``, to tell whether it changed."""
    if g is None:
        return None
    members = frozenset((m.participant, m.role, m.verified) for m in g.members_on(day))
    return (status_on(g, day), members, g.model_dump(exclude={"memberships", "periods"}))


def _members(g: Grouping | None, day: _dt.date, *, full: bool = False) -> set[str]:
    if g is None:
        return set()
    return {m.participant for m in g.members_on(day) if m.full or not full}


def _bloc(g: Grouping | None, day: _dt.date, ds: Dataset) -> str | None:
    """The anchor class a grouping counts as on ``day`` in ``ds`` (None when not active),
    as the alignment of :mod:`minilat.analysis.countries` counts it."""
    if g is None or not g.active_on(day):
        return None
    return anchor_class(g, day, ds=ds)


_BLOCS = ("us_anchored", "china_anchored")


@dataclass
class _Affected:
    groupings: list[str]
    member_changed: list[str]
    scorecards: list[str]
    countries: list[str] | None  # None: every country (the number of formats changed)
    network: bool
    founded: list[str]


def _affected(base: _Side, new: _Side, *, prune: bool = True) -> _Affected:
    day = base.day
    if not prune:  # everything, as a full recomputation would (the tests' reference)
        every_g = sorted(set(base.ds.groupings) | set(new.ds.groupings))
        return _Affected(
            groupings=every_g,
            member_changed=every_g,
            scorecards=every_g,
            countries=None,
            network=True,
            founded=sorted(set(new.ds.groupings) - set(base.ds.groupings)),
        )
    touched = [gid for gid, g in new.ds.groupings.items() if base.ds.groupings.get(gid) is not g]
    groupings = [
        gid for gid in touched if _state(base.grouping(gid), day) != _state(new.grouping(gid), day)
    ]
    member_changed = [
        gid
        for gid in groupings
        if _members(base.grouping(gid), day) != _members(new.grouping(gid), day)
    ]
    founded = [gid for gid in groupings if gid not in base.ds.groupings]
    # hedging: the formats each side counts, and who changed in them
    every = False
    countries: set[str] = set()
    for gid in groupings:
        gb, gn = base.grouping(gid), new.grouping(gid)
        cb, cn = _bloc(gb, day, base.ds), _bloc(gn, day, new.ds)
        if cb != cn and (cb in _BLOCS or cn in _BLOCS):
            every = True
        if cb in _BLOCS or cn in _BLOCS:
            countries |= _members(gb, day) ^ _members(gn, day)
    # scorecards: the changed groupings, and those whose "unified purpose" reads a member
    # who changed in a format anchored by the rival power
    scorecards = list(groupings)
    rival = {"us_anchored": "china_anchored", "china_anchored": "us_anchored"}
    moved: dict[str, set[str]] = {b: set() for b in _BLOCS}
    for gid in groupings:
        gb, gn = base.grouping(gid), new.grouping(gid)
        fb, fn = _members(gb, day, full=True), _members(gn, day, full=True)
        cb, cn = _bloc(gb, day, base.ds), _bloc(gn, day, new.ds)
        for side_bloc in {b for b in (cb, cn) if b in _BLOCS}:
            moved[side_bloc] |= (fb | fn) if cb != cn else (fb ^ fn)
    if any(moved.values()):
        for gid, g in base.ds.groupings.items():
            if gid in groupings:
                continue
            b = _bloc(g, day, base.ds)
            if b in _BLOCS and _members(g, day, full=True) & moved[rival[b]]:
                scorecards.append(gid)
    return _Affected(
        groupings=sorted(groupings),
        member_changed=sorted(member_changed),
        scorecards=sorted(scorecards),
        countries=None if every else sorted(countries),
        network=bool(member_changed),
        founded=sorted(founded),
    )


# ------------------------------------------------------------------- wording


def _fmt(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _pos(name: str) -> str:
    """The possessive of a name: ``India's``, ``the United States'``.

    >>> _pos("India"), _pos("United States")
    ("India's", "United States'")
    """
    return name + ("'" if name.endswith("s") else "'s")


def _a(noun: str) -> str:
    """``a security grouping``, ``an economic grouping``.

    >>> _a("economic & supply chain"), _a("digital governance")
    ('an economic & supply chain', 'a digital governance')
    """
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _pct(v: float | None) -> str:
    return "none" if v is None else f"{v * 100:.1f}%"


def _move(before: Any, after: Any, fmt: Any = _fmt, *, grows: str = "rises") -> str:
    falls = {"rises": "falls", "grows": "shrinks"}[grows]
    if before is None:
        return f"is {fmt(after)} (before: not assessable)"
    if after is None:
        return f"is no longer assessable (was {fmt(before)})"
    if isinstance(before, int | float) and isinstance(after, int | float):
        verb = grows if after > before else falls
        return f"{verb} from {fmt(before)} to {fmt(after)}"
    return f"changes from {fmt(before)} to {fmt(after)}"


def _numeric_size(before: Any, after: Any, *, count: bool = False) -> tuple[float | None, float]:
    if isinstance(before, bool) or isinstance(after, bool):
        return None, 1.0 if before != after else 0.0
    if isinstance(before, int | float) and isinstance(after, int | float):
        delta = float(after) - float(before)
        if count:
            return delta, abs(delta) / max(abs(before), abs(after), 1)
        return round(delta, 6), abs(delta)
    if before == after:
        return None, 0.0
    return None, 1.0


class _Explainer:
    """Names and causes: who a difference is about and which change brought it."""

    def __init__(self, base: Dataset, new: Dataset, sc: _scenario.Scenario) -> None:
        self.base, self.new, self.sc = base, new, sc

    def g(self, gid: str) -> str:
        g = self.new.groupings.get(gid) or self.base.groupings.get(gid)
        if g is None:
            return gid
        return g.acronyms[0] if g.acronyms else g.name

    def p(self, pid: str) -> str:
        try:
            return self.new.participant(pid).name
        except MinilatError:
            return pid

    def of_grouping(self, gid: str) -> str:
        direct = [c.text(self.new) for c in self.sc.changes if c.grouping == gid]
        if direct:
            return "; ".join(direct)
        return "knock-on of: " + "; ".join(c.text(self.new) for c in self.sc.changes)

    def of_country(self, pid: str) -> str | None:
        direct = [
            c.text(self.new)
            for c in self.sc.changes
            if c.country == pid or (c.kind == "found" and pid in c.members)
        ]
        return "; ".join(direct) if direct else None

    def knock_on(self) -> str:
        return "knock-on of: " + "; ".join(c.text(self.new) for c in self.sc.changes)


# ---------------------------------------------------------------- differences


def _diff_groupings(
    base: _Side, new: _Side, aff: _Affected, why: _Explainer
) -> tuple[list[Difference], list[dict[str, Any]]]:
    out: list[Difference] = []
    rows: list[dict[str, Any]] = []
    for gid in aff.groupings:
        a, b = base.assess(gid), new.assess(gid)
        ta, tb = base.type_of(gid), new.type_of(gid)
        name, cause = why.g(gid), why.of_grouping(gid)
        rows.append(
            {
                "id": gid,
                "name": name,
                "before": _grouping_row(a, ta),
                "after": _grouping_row(b, tb),
            }
        )
        if a is None or (a.status == "not_yet_founded"):
            out.append(
                Difference(
                    "characteristics",
                    gid,
                    name,
                    "verdict",
                    None,
                    b.verdict,
                    None,
                    1.0,
                    f"{name} would be {b.verdict}: {cause}"
                    if b.is_minilateral
                    else f"{name} would be founded, but {b.verdict}: {cause}",
                )
            )
            for ch in (b.size, b.informality, b.thematic_focus, b.multi_stakeholder):
                out.append(
                    Difference(
                        "characteristics",
                        gid,
                        name,
                        ch.name,
                        None,
                        ch.label,
                        None,
                        0.5,
                        f"{_pos(name)} {ch.name.replace('_', ' ')}: {ch.label} ({ch.reason})",
                    )
                )
        else:
            out += _diff_assessment(gid, name, a, b, cause)
        if tb is not None and (ta is None or ta.type != tb.type):
            out.append(
                Difference(
                    "type",
                    gid,
                    name,
                    "type",
                    None if ta is None else ta.type,
                    tb.type,
                    None,
                    1.0,
                    f"{name} is {_a(_typology.label(tb.type))} grouping: {tb.reason}"
                    if tb.type
                    else f"{_pos(name)} type is not assessable: {tb.reason}",
                )
            )
    return out, rows


def _grouping_row(a: Any, t: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "status": a.status,
        "states": a.size.value,
        "size": a.size.label,
        "is_minilateral": a.is_minilateral,
        "characteristics_met": a.characteristics_met,
        "verdict": a.verdict,
        "type": None if t is None else t.type,
    }


def _diff_assessment(gid: str, name: str, a: Any, b: Any, cause: str) -> list[Difference]:
    out: list[Difference] = []
    if a.size.value != b.size.value:
        delta, size = _numeric_size(a.size.value, b.size.value, count=True)
        out.append(
            Difference(
                "characteristics",
                gid,
                name,
                "full_member_states",
                a.size.value,
                b.size.value,
                delta,
                size,
                f"{name} {_move(a.size.value, b.size.value, str, grows='grows')}"
                f" full-member states: {cause}",
            )
        )
    if a.is_minilateral != b.is_minilateral:
        if b.is_minilateral:
            text = f"{name} becomes a minilateral ({b.size.label}, {b.size.value} states)"
        elif a.is_minilateral and b.is_minilateral is None:
            text = f"{name} is no longer a minilateral: {b.size.reason}"
        elif a.is_minilateral:
            text = (
                f"{name} is no longer a minilateral: it becomes {b.size.label}"
                f" ({b.size.value} states)"
            )
        else:
            text = f"{name}: {b.verdict}"
        out.append(
            Difference(
                "characteristics",
                gid,
                name,
                "minilateral",
                a.is_minilateral,
                b.is_minilateral,
                None,
                1.0,
                f"{text}: {cause}",
            )
        )
    if a.status != b.status:
        out.append(
            Difference(
                "characteristics",
                gid,
                name,
                "status",
                a.status,
                b.status,
                None,
                1.0,
                f"{name} is {b.status.replace('_', ' ')} instead of"
                f" {a.status.replace('_', ' ')}: {cause}",
            )
        )
    for ca, cb in (
        (a.size, b.size),
        (a.informality, b.informality),
        (a.thematic_focus, b.thematic_focus),
        (a.multi_stakeholder, b.multi_stakeholder),
    ):
        if ca.label != cb.label and not (
            ca.name == "size" and a.is_minilateral != b.is_minilateral
        ):
            out.append(
                Difference(
                    "characteristics",
                    gid,
                    name,
                    ca.name,
                    ca.label,
                    cb.label,
                    None,
                    1.0,
                    f"{_pos(name)} {ca.name.replace('_', ' ')} changes from {ca.label} to"
                    f" {cb.label} ({cb.reason}): {cause}",
                )
            )
    if a.characteristics_met != b.characteristics_met:
        out.append(
            Difference(
                "characteristics",
                gid,
                name,
                "characteristics_met",
                a.characteristics_met,
                b.characteristics_met,
                float(b.characteristics_met - a.characteristics_met),
                abs(b.characteristics_met - a.characteristics_met) / 4,
                f"{name} has {b.characteristics_met} of the 4 characteristics instead of"
                f" {a.characteristics_met}: {cause}",
            )
        )
    return out


def _diff_scorecards(base: _Side, new: _Side, aff: _Affected, why: _Explainer) -> list[Difference]:
    out: list[Difference] = []
    for gid in aff.scorecards:
        ca, cb = base.card(gid), new.card(gid)
        if cb is None:
            continue
        name = why.g(gid)
        cause = why.of_grouping(gid)
        before = {i.name: i for i in ca.indicators} if ca is not None else {}
        pairs = [(before.get(i.name), i) for i in cb.indicators]
        for ia, ib in pairs:
            sa = None if ia is None else ia.score
            if ia is not None and sa == ib.score:
                continue
            if ia is None and ib.score is None:
                continue
            delta, size = _numeric_size(sa, ib.score)
            ind_size: float | None = size if ia is not None else 0.5
            reason = ib.reason
            if ia is not None and (sa is None) != (ib.score is None):
                ind_size = None  # a change of assessability: listed apart
                if sa is None:
                    reason = f"{ib.reason}; before, {ia.reason}"
            out.append(
                Difference(
                    "scorecard",
                    gid,
                    name,
                    ib.name,
                    sa,
                    ib.score,
                    delta,
                    ind_size,
                    f"{_pos(name)} {ib.title.lower()} {_move(sa, ib.score)}: {reason} ({cause})",
                )
            )
        oa = None if ca is None else ca.overall
        if oa != cb.overall and not (ca is None and cb.overall is None):
            delta, size = _numeric_size(oa, cb.overall)
            overall_size: float | None = size if ca is not None else 0.5
            if ca is not None and (oa is None) != (cb.overall is None):
                overall_size = None  # a change of assessability: listed apart
            out.append(
                Difference(
                    "scorecard",
                    gid,
                    name,
                    "overall",
                    oa,
                    cb.overall,
                    delta,
                    overall_size,
                    f"{_pos(name)} mean policy score {_move(oa, cb.overall)}"
                    f" ({cb.assessable} of 5 indicators assessable): {cause}",
                )
            )
    return out


def _diff_hedging(
    base: _Side, new: _Side, aff: _Affected, why: _Explainer
) -> tuple[list[Difference], int]:
    day = base.day
    if aff.countries is None:  # every country taking part in something on the date
        pool: set[str] = set()
        for side in (base, new):
            for g in side.ds.groupings.values():
                pool |= {p for p in _members(g, day) if side.ds.participant(p).is_state}
        codes = sorted(pool)
    else:
        codes = [c for c in aff.countries if new.ds.participant(c).is_state]
    out: list[Difference] = []
    before, after = base.aligns(codes), new.aligns(codes)
    for code in codes:
        a, b = before[code], after[code]
        ha, hb = a["hedging_index"], b["hedging_index"]
        name = why.p(code)
        cause = _hedging_cause(a, b, why) or why.knock_on()
        if ha != hb:
            delta, size = _numeric_size(ha, hb)
            hedge_size: float | None = size
            reason = ""
            if (ha is None) != (hb is None):
                hedge_size = None  # a change of assessability: listed apart
                reason = (
                    f" ({(a if ha is None else b)['label']} {'before' if ha is None else 'now'})"
                )
            out.append(
                Difference(
                    "hedging",
                    code,
                    name,
                    "hedging_index",
                    ha,
                    hb,
                    delta,
                    hedge_size,
                    f"{_pos(name)} hedging index {_move(ha, hb)}{reason}: {cause}",
                )
            )
        if a["label"] != b["label"]:
            out.append(
                Difference(
                    "hedging",
                    code,
                    name,
                    "label",
                    a["label"],
                    b["label"],
                    None,
                    1.0,
                    f"{name} reads as {b['label']} instead of {a['label']}: {cause}",
                )
            )
    return out, len(codes)


def _hedging_cause(a: Mapping[str, Any], b: Mapping[str, Any], why: _Explainer) -> str | None:
    bits: list[str] = []
    for bloc, label in (("us_anchored", "US-anchored"), ("china_anchored", "China-anchored")):
        ga = {x["grouping"] for x in a["groupings"][bloc]}
        gb = {x["grouping"] for x in b["groupings"][bloc]}
        for verb, gs in (("joins", gb - ga), ("leaves", ga - gb)):
            if gs:
                n = len(gs)
                names = ", ".join(why.g(g) for g in sorted(gs))
                bits.append(
                    f"it {verb} {'a' if n == 1 else n} {label} format{'s' * (n > 1)} ({names})"
                )
        na, nb = a["available"][bloc], b["available"][bloc]
        if na != nb:
            bits.append(f"{label} formats {'grow' if nb > na else 'shrink'} from {na} to {nb}")
    return "; ".join(bits) or None


def _partners(net: Mapping[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in net["edges"]:
        out.setdefault(e["a"], set()).add(e["b"])
        out.setdefault(e["b"], set()).add(e["a"])
    return out


def _communities(net: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for c in net["communities"]:
        ms = frozenset(c["members"])
        for m in ms:
            out[m] = ms
    return out


def _names(why: _Explainer, ids: Iterable[str], n: int = 4) -> str:
    ids = sorted(ids)
    shown = ", ".join(why.p(i) for i in ids[:n])
    return shown + (f" and {len(ids) - n} more" if len(ids) > n else "")


def _diff_network(base: _Side, new: _Side, why: _Explainer) -> tuple[list[Difference], int]:
    na, nb = base.net(), new.net()
    out: list[Difference] = []
    negligible = 0
    for key, what in (("modularity", "modularity"), ("density", "density")):
        va, vb = na["projection"][key], nb["projection"][key]
        if va != vb:
            delta, size = _numeric_size(va, vb)
            out.append(
                Difference(
                    "network",
                    "(network)",
                    "the network",
                    key,
                    va,
                    vb,
                    delta,
                    size,
                    f"The network's {what} {_move(va, vb)}: {why.knock_on()}",
                )
            )
    ca, cb = len(na["communities"]), len(nb["communities"])
    if ca != cb:
        delta, size = _numeric_size(ca, cb, count=True)
        out.append(
            Difference(
                "network",
                "(network)",
                "the network",
                "communities",
                ca,
                cb,
                delta,
                size,
                f"The network {_move(ca, cb, str, grows='grows')} communities: {why.knock_on()}",
            )
        )
    nodes_a = {n["id"]: n for n in na["nodes"]}
    nodes_b = {n["id"]: n for n in nb["nodes"]}
    pa, pb = _partners(na), _partners(nb)
    ma, mb = _communities(na), _communities(nb)
    for pid in sorted(set(nodes_a) | set(nodes_b)):
        a, b = nodes_a.get(pid), nodes_b.get(pid)
        name = why.p(pid)
        cause = why.of_country(pid) or why.knock_on()
        if a is None or b is None:
            out.append(
                Difference(
                    "network",
                    pid,
                    name,
                    "node",
                    a is not None,
                    b is not None,
                    None,
                    1.0,
                    f"{name} {'enters' if b else 'leaves'} the co-membership network: {cause}",
                )
            )
            continue
        gained, lost = (
            pb.get(pid, set()) - pa.get(pid, set()),
            pa.get(pid, set()) - pb.get(pid, set()),
        )
        if a["degree"] != b["degree"] or gained or lost:
            delta, size = _numeric_size(a["degree"], b["degree"], count=True)
            bits = []
            if gained:
                bits.append(f"gains {_names(why, gained)}")
            if lost:
                bits.append(f"loses {_names(why, lost)}")
            out.append(
                Difference(
                    "network",
                    pid,
                    name,
                    "partners",
                    a["degree"],
                    b["degree"],
                    delta,
                    max(size, 1 / max(a["degree"], b["degree"], 1)),
                    f"{_pos(name)} partner count {_move(a['degree'], b['degree'], str)}"
                    f" ({'; '.join(bits)}): {cause}",
                )
            )
        for key, what in (
            ("eigenvector", "eigenvector centrality"),
            ("betweenness", "betweenness"),
            ("strength", "tie strength"),
        ):
            va, vb = a[key], b[key]
            if va == vb:
                continue
            fmt = (lambda v: f"{v:.2f}") if key == "strength" else (lambda v: f"{v:.3f}")
            if key == "strength":
                delta, size = _numeric_size(va, vb, count=True)
            else:
                delta, size = _numeric_size(va, vb)
            if size < MIN_SIZE:
                negligible += 1
                continue
            rank = ""
            if key in a["rank"] and a["rank"][key] != b["rank"][key]:
                rank = f", rank {a['rank'][key]} → {b['rank'][key]}"
            out.append(
                Difference(
                    "network",
                    pid,
                    name,
                    key,
                    va,
                    vb,
                    delta,
                    size,
                    f"{_pos(name)} {what} {_move(va, vb, fmt)}{rank}: {cause}",
                )
            )
        sa, sb = ma.get(pid, frozenset()) - {pid}, mb.get(pid, frozenset()) - {pid}
        if sa != sb:
            union = sa | sb
            size = 1 - len(sa & sb) / len(union) if union else 0.0
            if size < MIN_SIZE:
                negligible += 1
                continue
            bits = []
            if sb - sa:
                bits.append(f"now with {_names(why, sb - sa)}")
            if sa - sb:
                bits.append(f"no longer with {_names(why, sa - sb)}")
            out.append(
                Difference(
                    "network",
                    pid,
                    name,
                    "community",
                    len(sa) + 1,
                    len(sb) + 1,
                    None,
                    round(size, 6),
                    f"{_pos(name)} community changes ({'; '.join(bits)}): {cause}",
                )
            )
    return out, negligible


def _share_tables(ds: Dataset, members: set[str]) -> list[str]:
    """Capability tables in which any of ``members`` holds a share."""
    return [
        t.id
        for t in sorted(ds.capabilities.values(), key=lambda t: t.id)
        if any(r.participant in members and r.value > 0 for r in t.rows)
    ]


def _diff_capabilities(
    base: _Side, new: _Side, aff: _Affected, why: _Explainer
) -> list[Difference]:
    day = base.day
    out: list[Difference] = []
    for gid in aff.member_changed:
        if gid in aff.founded:
            continue  # a new grouping: the designer's verdict says it all
        members = _members(base.grouping(gid), day) | _members(new.grouping(gid), day)
        name, cause = why.g(gid), why.of_grouping(gid)
        g = new.grouping(gid)
        assert g is not None
        listed = sum(1 for p in _members(g, day, full=True) if new.ds.participant(p).is_state)
        if g.member_count is not None and g.member_count.value > listed:
            cause += f" (the dataset lists {listed} of its {g.member_count.value} member states)"
        for tid in _share_tables(new.ds, members):
            try:
                ra, rb = base.compare(gid, (tid,)), new.compare(gid, (tid,))
            except _OutOfBudget:
                continue
            cov_a = None if ra is None else ra["coverage"][tid]
            cov_b = None if rb is None else rb["coverage"][tid]
            if cov_a != cov_b:
                delta, size = _numeric_size(cov_a, cov_b)
                out.append(
                    Difference(
                        "capabilities",
                        gid,
                        name,
                        f"coverage:{tid}",
                        cov_a,
                        cov_b,
                        delta,
                        size,
                        f"{_pos(name)} coverage of {tid} {_move(cov_a, cov_b, _pct)}: {cause}",
                    )
                )
            ea = None if ra is None else ra["naim_efficiency"]
            eb = None if rb is None else rb["naim_efficiency"]
            if ea != eb:
                delta, size = _numeric_size(ea, eb)
                eff_size: float | None = size
                unknown = ""
                if ra is not None and rb is not None and (ea is None) != (eb is None):
                    eff_size = None  # a change of assessability: listed apart
                    unknown = _efficiency_unknown(ra if ea is None else rb, tid, why)
                    unknown = f"; {'before, ' if ea is None else ''}{unknown}"
                best = ""
                if rb is not None:
                    opt = rb["optimal_coalition"]
                    best = (
                        f"; the best {rb['size']} would hold {_pct(opt['coverage'][tid])}"
                        f" ({', '.join(c['id'] for c in opt['coalition'])})"
                    )
                out.append(
                    Difference(
                        "capabilities",
                        gid,
                        name,
                        f"naim_efficiency:{tid}",
                        ea,
                        eb,
                        delta,
                        eff_size,
                        f"{_pos(name)} Naim efficiency on {tid} {_move(ea, eb)}{unknown}{best}:"
                        f" {cause}",
                    )
                )
    return out


def _efficiency_unknown(r: Mapping[str, Any], tid: str, why: _Explainer) -> str:
    """Why the designer's comparison ``r`` gives no Naim efficiency on ``tid``, in words:
    a member without a figure of its own in the table, an incomplete member list, or a
    best coalition that holds nothing."""
    if r.get("enumeration"):
        e = r["enumeration"]
        return (
            f"the record names {e['listed']} of its {e['published']} member"
            f" {e['counts']}, so its efficiency is not known"
        )
    bits = []
    for u in r.get("unsplit") or []:
        if u["table"] != tid:
            continue
        for row in u["unsplit"]:
            where = (
                f"the {_pct(row['share'])} the table attributes to no country"
                if row["row"] == "unattributed"
                else f"the {_pct(row['share'])} of its"
                f" {row['row'].removeprefix('region:').replace('_', ' ')} row"
            )
            for p in row["members"]:
                bits.append(
                    f"{why.p(p)} has no figure of its own in the {tid} table (the source"
                    f" reports it, if at all, in {where}), so its share is unknown"
                )
    rng = r.get("naim_efficiency_range")
    if bits:
        if rng is not None:
            bits[-1] += f" and the efficiency lies between {_fmt(rng[0])} and {_fmt(rng[1])}"
        return "; ".join(bits)
    if rng is None:
        return f"the best coalition of its size holds none of {tid}"
    return f"its coverage of {tid} is not known exactly"


def _verdicts(
    new: _Side, sc: _scenario.Scenario, aff: _Affected, why: _Explainer
) -> tuple[list[Difference], list[dict[str, Any]]]:
    out: list[Difference] = []
    founded: list[dict[str, Any]] = []
    for gid in aff.founded:
        change = next(c for c in sc.changes if c.kind == "found" and c.grouping == gid)
        g = new.grouping(gid)
        assert g is not None
        tables = change.tables or tables_for(new.ds, g.themes.value)
        name = why.g(gid)
        card = new.card(gid)
        entry: dict[str, Any] = {
            "id": gid,
            "name": name,
            "assessment": new.assess(gid).to_dict(),
            "type": None if new.type_of(gid) is None else new.type_of(gid).to_dict(),
            "scorecard": None if card is None else card.to_dict(),
            "tables": list(tables),
            "designer": None,
            "verdict": None,
        }
        founded.append(entry)
        if not tables:
            themes = ", ".join(t.value for t in g.themes.value) or "none given"
            entry["verdict"] = (
                f"not assessable: no capability table measures its themes ({themes});"
                " give themes such as ai, semiconductors or critical_minerals"
                " (--found NAME:MEMBERS:THEMES), or name tables with `tables:`"
            )
            out.append(
                Difference(
                    "designer",
                    gid,
                    name,
                    "optimal",
                    None,
                    None,
                    None,
                    0.5,
                    f"The designer cannot judge {name}: {entry['verdict']}",
                )
            )
            continue
        try:
            r = new.compare(gid, tables)
        except _OutOfBudget:
            entry["verdict"] = "not assessed: the designer's time budget for this answer ran out"
            continue
        if r is None:
            entry["verdict"] = "not assessable: no member countries on the date"
            continue
        entry["designer"] = r
        eff = r["naim_efficiency"]
        rng = r.get("naim_efficiency_range")
        # members whose share a table reports only inside a region: a range, not a figure
        said = (
            f"between {_fmt(rng[0])} and {_fmt(rng[1])}, as far as the tables tell"
            if eff is None and rng is not None
            else _fmt(eff)
        )
        optimal = (eff if eff is not None else (rng or [0.0])[0]) >= 1 - 1e-6
        opt = r["optimal_coalition"]
        best = ", ".join(c["id"] for c in opt["coalition"])
        text = (
            f"{name} is an optimal coalition of {r['size']} for {', '.join(tables)}"
            f" (weighted coverage {_pct(r['weighted_coverage'])})"
            if optimal
            else f"{name} is not an optimal coalition of {r['size']} for {', '.join(tables)}:"
            f" it holds {_pct(r['weighted_coverage'])} of the weighted capability, the best"
            f" {r['size']} ({best}) hold {_pct(opt['weighted_coverage'])}"
            f" (Naim efficiency {said})"
        )
        swap = r.get("best_swap")
        if swap and not optimal:
            text += f"; best single swap: {swap['out']} out, {swap['in']} in"
        entry["verdict"] = text
        out.append(Difference("designer", gid, name, "optimal", None, optimal, None, 1.0, text))
        out.append(
            Difference(
                "designer",
                gid,
                name,
                "naim_efficiency",
                None,
                eff,
                None,
                0.5,
                f"{_pos(name)} Naim efficiency on its themes' tables is {said}",
            )
        )
    return out, founded


# ---------------------------------------------------------------------- the run


def run(
    ds: Dataset,
    scenario: _scenario.Scenario,
    *,
    network: bool = True,
    baseline_network: Mapping[str, Any] | None = None,
    budget: float | None = None,
) -> dict[str, Any]:
    """The differences ``scenario`` makes to every analysis on its date, ranked by size.

    ``ds`` is left untouched (the scenario is applied to a copy). ``network=False`` skips
    the network analysis (the slowest part); ``baseline_network`` is the record's network
    analysis on the scenario's date (:func:`minilat.analysis.network.analyse`), when a
    caller already has it, so it is not computed again. ``budget`` bounds the seconds the
    designer's solves may take in all (None: no bound, each solve up to
    :data:`SOLVE_SECONDS`); comparisons left when it runs out are left out and counted in
    ``budget.designer_skipped``, and the summary says so.

    Keys: ``scenario`` (the changes, resolved, each as a sentence), ``as_of``,
    ``differences`` (each: ``area``, ``subject``, ``name``, ``measure``, ``before``,
    ``after``, ``delta``, ``size``, ``explanation``; largest first), ``assessability``
    (measures that become assessable or stop being so, with the reason; no size, not
    ranked), ``counts`` (by area,
    and ``negligible``), ``groupings`` (each affected grouping before and after: does it
    stay minilateral?), ``founded`` (assessment, type, scorecard and the designer's
    verdict of each new grouping), ``affected`` (what was recomputed), ``recomputed``
    (analysis calls made) and ``full`` (the calls recomputing everything would make),
    and ``summary``.

    Raises :class:`~minilat.scenario.ScenarioInvalid` for a change that cannot be made.
    """
    edited, sc = _scenario.apply_resolved(ds, scenario)
    return compare(
        ds, edited, sc, network=network, baseline_network=baseline_network, budget=budget
    )


def compare(
    ds: Dataset,
    edited: Dataset,
    sc: _scenario.Scenario,
    *,
    network: bool = True,
    baseline_network: Mapping[str, Any] | None = None,
    prune: bool = True,
    budget: float | None = None,
) -> dict[str, Any]:
    """The differences between the analyses of ``ds`` and ``edited`` on ``sc.as_of``.

    :func:`run` calls it with the copy :func:`minilat.scenario.apply` made; ``sc`` (its
    changes resolved to ids) explains the differences. With ``prune=False`` every
    analysis is recomputed for every grouping and country, whatever changed: the
    reference the tests hold the pruned answer to.
    """
    day = sc.as_of
    calls: Counter[str] = Counter()
    spend = _Budget(budget)
    base = _Side(ds, day, calls, baseline_network, spend)
    new = _Side(edited, day, calls, None, spend)
    why = _Explainer(ds, edited, sc)
    aff = _affected(base, new, prune=prune)
    diffs, rows = _diff_groupings(base, new, aff, why)
    diffs += _diff_scorecards(base, new, aff, why)
    hedging, n_countries = _diff_hedging(base, new, aff, why)
    diffs += hedging
    negligible = 0
    if network and aff.network:
        net_diffs, negligible = _diff_network(base, new, why)
        diffs += net_diffs
    diffs += _diff_capabilities(base, new, aff, why)
    verdicts, founded = _verdicts(new, sc, aff, why)
    diffs += verdicts
    apart = sorted(
        (d for d in diffs if d.size is None),
        key=lambda d: (AREAS.index(d.area), d.subject, d.measure),
    )
    sized = [d for d in diffs if d.size is not None]
    kept = [d for d in sized if d.area != "network" or (d.size or 0.0) >= MIN_SIZE]
    negligible += len(sized) - len(kept)
    kept.sort(key=lambda d: (-(d.size or 0.0), AREAS.index(d.area), d.subject, d.measure))
    by_area = Counter(d.area for d in kept)
    n_g = len(ds.groupings) + len(edited.groupings)
    states = {p for g in ds.groupings.values() for p in _members(g, day)}
    full = {
        "characteristics": n_g,
        "typology": n_g,
        "scorecard": n_g,
        "hedging": 2 * len(states),
        "network": 2 if network else 0,
        "designer": n_g * len(ds.capabilities),
    }
    summary = (
        "no difference: the scenario changes nothing the analyses see on " + day.isoformat()
        if not kept and not apart
        else "no difference of value"
        if not kept
        else f"{len(kept)} difference{'s' * (len(kept) != 1)}; the largest: {kept[0].explanation}"
    )
    if apart:
        summary += (
            f" ({len(apart)} measure{'s' * (len(apart) != 1)} changing whether"
            f" {'they are' if len(apart) != 1 else 'it is'} assessable, listed apart)"
        )
    if spend.skipped:
        summary += (
            f" ({spend.skipped} designer comparison{'s' * (spend.skipped != 1)} left out:"
            f" the time budget of {budget:g} s ran out)"
        )
    return {
        "scenario": sc.to_dict(edited),
        "as_of": day.isoformat(),
        "summary": summary,
        "differences": [d.to_dict() for d in kept],
        "assessability": [d.to_dict() for d in apart],
        "counts": {
            "differences": len(kept),
            "assessability": len(apart),
            "by_area": {a: by_area.get(a, 0) for a in AREAS},
            "negligible": negligible,
        },
        "groupings": rows,
        "founded": founded,
        "affected": {
            "groupings": aff.groupings,
            "scorecards": aff.scorecards,
            "countries": "all" if aff.countries is None else aff.countries,
            "countries_recomputed": n_countries,
            "network": bool(network and aff.network),
        },
        "recomputed": {k: calls.get(k, 0) for k in full},
        "full": full,
        "budget": {"seconds": budget, "designer_skipped": spend.skipped},
    }
