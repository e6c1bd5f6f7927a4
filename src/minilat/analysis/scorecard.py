"""The article's five policy implications as indicators a grouping can be scored on.

1. **strategic clarity** — defined objectives, plans (working groups), timelines, budgets;
2. **economic interdependencies** — members' trade dependence on the outside powers and
   how far their exposures diverge;
3. **informality vs institutionalisation** — light institutions score best, none or heavy
   ones lower;
4. **transparency & public engagement** — a dedicated website, regular public updates,
   recency of the last public statement;
5. **unified purpose & commitment** — symmetric roles, members' commitments to formats
   anchored by the rival power, attendance.

Each indicator has a score from 0 to 1, a label, the components and evidence behind it,
and ``missing`` naming the data it lacks. An indicator whose data is lacking is "not
assessable: missing X" with ``score=None`` — never a silent zero. All thresholds are in
:class:`ScoreRules` and documented in docs/methodology.md.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> ds = load()
>>> card = score(ds, ds.grouping("aukus"), dt.date(2025, 1, 1))
>>> card.indicators[0].name, card.indicators[0].score is not None
('strategic_clarity', True)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Any

from minilat.analysis.groupings import anchor_class, enumeration
from minilat.analysis.life import LIFE_RULES, Delivery, commitment_states, delivery
from minilat.dataset import Dataset
from minilat.model import Cadence, Grouping, Instrument, Secretariat

__all__ = ["SCORE_RULES", "Component", "Indicator", "ScoreRules", "Scorecard", "score"]


@dataclass(frozen=True)
class ScoreRules:
    """Every threshold of the scorecard (docs/methodology.md)."""

    # economic interdependencies
    trade_tables: tuple[tuple[str, str], ...] = (
        ("CHN", "export_share_china"),
        ("USA", "export_share_usa"),
    )
    min_trade_coverage: float = 0.5  # share of member states with figures
    high_dependence: float = 0.4  # a trade share this high scores 0
    high_divergence: float = 0.4  # a spread of shares this wide scores 0
    # institutionalisation level bands: (level below which the band applies, label, score)
    institution_bands: tuple[tuple[float, str, float], ...] = (
        (0.15, "no institutions", 0.5),
        (0.6, "light institutions", 1.0),
        (0.8, "substantial institutions", 0.6),
        (1.01, "heavy institutions", 0.3),
    )
    institution_min_components: int = 3
    # transparency
    updates_window_days: int = 3 * 365
    updates_regular: int = 3  # events in the window for full marks
    recent_days: int = 365
    stale_days: int = 730
    # labels
    strong_from: float = 0.67
    weak_below: float = 0.34


SCORE_RULES = ScoreRules()


@dataclass(frozen=True)
class Component:
    name: str
    value: Any
    score: float | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str
    score: float | None
    label: str
    reason: str
    components: tuple[Component, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scorecard:
    grouping: str
    name: str
    as_of: str
    indicators: tuple[Indicator, ...]
    overall: float | None
    assessable: int
    summary: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _label(s: float | None, rules: ScoreRules) -> str:
    if s is None:
        return "not assessable"
    if s >= rules.strong_from:
        return "strong"
    if s < rules.weak_below:
        return "weak"
    return "moderate"


def _finish(
    name: str,
    title: str,
    comps: list[Component],
    missing: list[str],
    rules: ScoreRules,
    detail: str,
    *,
    needed: int = 1,
) -> Indicator:
    scored = [c.score for c in comps if c.score is not None]
    if len(scored) < needed:
        return Indicator(
            name,
            title,
            None,
            "not assessable",
            f"not assessable: missing {', '.join(missing)}",
            tuple(comps),
            tuple(missing),
        )
    s = round(sum(scored) / len(scored), 3)
    reason = detail
    if missing:
        reason += f" (not counted, missing: {', '.join(missing)})"
    return Indicator(name, title, s, _label(s, rules), reason, tuple(comps), tuple(missing))


def _delivery_component(d: Delivery) -> Component:
    return Component(
        "delivery_rate",
        {"rate": d.rate, "assessed": d.assessed, "made": d.made, "counts": d.counts},
        d.rate,
        d.sources,
    )


def _delivery_assessable(d: Delivery) -> bool:
    return d.rate is not None and d.assessed >= LIFE_RULES.min_assessed


def _delivery_missing(d: Delivery) -> str:
    return (
        f"assessed commitments ({d.assessed} of {d.made} recorded; "
        f"{LIFE_RULES.min_assessed} needed for a delivery rate)"
    )


def _clarity(g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    title = "Strategic clarity"
    objs = g.objectives
    if len(commitment_states(g, day)) >= LIFE_RULES.min_commitments:
        return _clarity_by_commitments(g, day, rules)
    if not objs:
        return Indicator(
            "strategic_clarity",
            title,
            None,
            "not assessable",
            "not assessable: missing objectives",
            (),
            ("objectives",),
        )
    src = tuple(sorted({s for o in objs for s in o.sources}))
    timelines = [o for o in objs if o.timeline]
    budgets = [o for o in objs if o.budget]
    comps = [
        Component("objectives", len(objs), 1.0, src),
        Component("timelines", len(timelines), 1.0 if timelines else 0.0),
        Component("budgets", len(budgets), 1.0 if budgets else 0.0),
        Component(
            "working_groups",
            len(g.working_groups),
            1.0 if g.working_groups else 0.0,
            tuple(sorted({s for w in g.working_groups for s in w.sources})),
        ),
    ]
    detail = (
        f"{len(objs)} published objective{'s' if len(objs) != 1 else ''}, "
        f"{len(timelines)} with a timeline, {len(budgets)} with a budget, "
        f"{len(g.working_groups)} working group{'s' if len(g.working_groups) != 1 else ''}"
    )
    return _finish("strategic_clarity", title, comps, [], rules, detail)


def _clarity_by_commitments(g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    """Strategic clarity read from recorded commitments, better evidence than objectives.

    Commitments are dated and specific with a test of delivery; the share of them with a
    target date replaces the count of objectives with a timeline, and the delivery rate,
    when enough commitments are assessed, shows whether the strategy was clear enough
    to be carried out.
    """
    states = commitment_states(g, day)
    d = delivery(g, day)
    src = tuple(sorted({s for c in states for s in c.sources}))
    targeted = [c for c in states if c.target]
    budgets = [o for o in g.objectives if o.budget]
    comps = [
        *(
            [
                Component(
                    "objectives",
                    len(g.objectives),
                    1.0,
                    tuple(sorted({s for o in g.objectives for s in o.sources})),
                )
            ]
            if g.objectives
            else []
        ),
        Component("commitments", len(states), 1.0, src),
        Component(
            "commitments_with_target",
            f"{len(targeted)} of {len(states)}",
            round(len(targeted) / len(states), 3),
        ),
        Component("budgets", len(budgets), 1.0 if budgets else 0.0),
        Component(
            "working_groups",
            len(g.working_groups),
            1.0 if g.working_groups else 0.0,
            tuple(sorted({s for w in g.working_groups for s in w.sources})),
        ),
    ]
    missing: list[str] = []
    if _delivery_assessable(d):
        comps.append(_delivery_component(d))
    else:
        missing.append(_delivery_missing(d))
    detail = (
        f"{len(states)} recorded commitment{'s' if len(states) != 1 else ''}, "
        f"{len(targeted)} with a target date; {d.summary}; "
        f"{len(budgets)} objective{'s' if len(budgets) != 1 else ''} with a budget, "
        f"{len(g.working_groups)} working group{'s' if len(g.working_groups) != 1 else ''}"
    )
    return _finish("strategic_clarity", "Strategic clarity", comps, missing, rules, detail)


def _state_base(ds: Dataset, g: Grouping, day: _dt.date, named: int) -> tuple[int, str, str]:
    """How many member states the trade figures' coverage is counted against, in words.

    A grouping whose record names every member counts the member states it names. One
    whose list is incomplete (:func:`minilat.analysis.groupings.enumeration`: a published
    head-count above the members named) counts the states named plus every member not
    named: a head-count of states is then the base itself, and in a head-count of
    participants each unnamed participant counts as a state, since which of them are
    states is unknown. The Paris Call names France and the United States of its 80
    states: figures for the United States alone cover 1 of 80, not 1 of 2.
    """
    e = enumeration(ds, g, day)
    if e is None:
        return named, f"{named} member state{'' if named == 1 else 's'}", ""
    base = named + max(0, e["published"] - e["listed"])
    head = "states" if e["counts"] == "states" else "participants"
    return (
        base,
        f"{base} member states (published head-count of {e['published']} {head} as of "
        f"{e['published_as_of']}, {named} named in the record)",
        "member states" if head == "states" else "participants",
    )


def _interdependence(ds: Dataset, g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    """Members' trade dependence on each outside power and how far it diverges.

    Assessable for a power only when its export figures cover at least
    ``rules.min_trade_coverage`` of the grouping's member states, counted against the
    published head-count when the record's list is incomplete (:func:`_state_base`);
    otherwise the power is named in ``missing`` with how many states have figures. The
    reason always says how many states the score rests on; a spread needs two figures.
    """
    title = "Economic interdependencies"
    members = sorted(
        m.participant
        for m in g.members_on(day)
        if m.full and ds.participant(m.participant).is_state
    )
    comps: list[Component] = []
    missing: list[str] = []
    if not members:
        return Indicator(
            "economic_interdependencies",
            title,
            None,
            "not assessable",
            "not assessable: missing member states on the date",
            (),
            ("memberships",),
        )
    base, base_words, unnamed_what = _state_base(ds, g, day, len(members))
    unnamed = base - len(members)
    details: list[str] = []
    for power, table_id in rules.trade_tables:
        table = ds.indicator(table_id)
        if power in members:
            continue  # the power is inside: not an outside dependence
        if table is None:
            missing.append(f"trade figures ({table_id})")
            continue
        values = {m: v for m in members if (v := table.value_of(m)) is not None}
        coverage = len(values) / base
        rests_on = f"export data for {len(values)} of {base_words}"
        if coverage < rules.min_trade_coverage:
            lacking = [m for m in members if m not in values]
            if unnamed:
                lacking.append(f"the {unnamed} {unnamed_what} not named in the record")
            who = ", ".join(lacking[:-1]) + (" and " if len(lacking) > 1 else "") + lacking[-1]
            missing.append(
                f"{table_id} for {who}: {rests_on}, at least {rules.min_trade_coverage:.0%} needed"
            )
            continue
        mean = sum(values.values()) / len(values)
        src = tuple(table.sources)
        comps.append(
            Component(
                f"dependence_on_{power}",
                {
                    "mean": round(mean, 3),
                    "by_member": values,
                    "coverage": round(coverage, 2),
                    "with_figures": len(values),
                    "member_states": base,
                },
                round(1 - min(1.0, mean / rules.high_dependence), 3),
                src,
            )
        )
        if len(values) < 2:
            missing.append(f"divergence on {power} (figures for one member state only)")
            details.append(f"members trade {mean:.0%} on average with {power} ({rests_on})")
            continue
        spread = max(values.values()) - min(values.values())
        comps.append(
            Component(
                f"divergence_on_{power}",
                round(spread, 3),
                round(1 - min(1.0, spread / rules.high_divergence), 3),
                src,
            )
        )
        details.append(
            f"members trade {mean:.0%} on average with {power} (spread {spread:.0%}; {rests_on})"
        )
    if not comps:
        if not missing:
            missing.append("an outside power (both the US and China are members)")
        return Indicator(
            "economic_interdependencies",
            title,
            None,
            "not assessable",
            f"not assessable: missing {'; '.join(missing)}",
            (),
            tuple(missing),
        )
    return _finish("economic_interdependencies", title, comps, missing, rules, "; ".join(details))


_INSTRUMENT_LEVEL = {
    Instrument.NONE: 0.0,
    Instrument.JOINT_DECLARATION: 0.0,
    Instrument.MOU: 1 / 3,
    Instrument.AGREEMENT: 2 / 3,
    Instrument.CHARTER: 2 / 3,
    Instrument.TREATY: 1.0,
}
_SECRETARIAT_LEVEL = {Secretariat.NONE: 0.0, Secretariat.ROTATING: 0.5, Secretariat.PERMANENT: 1.0}
_CADENCE_LEVEL = {
    Cadence.NONE: 0.0,
    Cadence.IRREGULAR: 0.0,
    Cadence.BIENNIAL: 0.5,
    Cadence.ANNUAL: 0.5,
    Cadence.BIANNUAL: 1.0,
    Cadence.CONTINUOUS: 1.0,
}


def _institutions(g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    title = "Balance of informality and institutionalisation"
    levels: dict[str, tuple[Any, float | None, tuple[str, ...]]] = {
        "instrument": (
            g.instrument.value.value,
            _INSTRUMENT_LEVEL.get(g.instrument.value),
            g.instrument.sources,
        ),
        "secretariat": (
            g.secretariat.value.value,
            _SECRETARIAT_LEVEL.get(g.secretariat.value),
            g.secretariat.sources,
        ),
        "legal_personality": (
            g.legal_personality.value,
            None if g.legal_personality.value is None else float(g.legal_personality.value),
            g.legal_personality.sources,
        ),
        "cadence": (g.cadence.value.value, _CADENCE_LEVEL.get(g.cadence.value), g.cadence.sources),
    }
    wgs = [w for w in g.working_groups if w.start is None or w.start.first_day() <= day]
    levels["working_groups"] = (
        len(wgs),
        0.0 if not wgs else (0.5 if len(wgs) < 3 else 1.0),
        tuple(sorted({s for w in wgs for s in w.sources})),
    )
    known = {k: v for k, v in levels.items() if v[1] is not None}
    missing = [k for k, v in levels.items() if v[1] is None]
    comps = [Component(f"level:{k}", v[0], None, v[2]) for k, v in known.items()]
    if len(known) < rules.institution_min_components:
        return Indicator(
            "institutional_balance",
            title,
            None,
            "not assessable",
            f"not assessable: missing {', '.join(missing)}",
            tuple(comps),
            tuple(missing),
        )
    level = round(sum(v[1] for v in known.values() if v[1] is not None) / len(known), 3)
    band, band_score = next((b, sc) for upper, b, sc in rules.institution_bands if level < upper)
    comps.append(Component("institutionalisation_level", level, band_score))
    shown = ", ".join(f"{k} {v[0]}" for k, v in known.items())
    detail = f"institutionalisation level {level:.2f} ({shown}): {band}"
    return _finish("institutional_balance", title, comps, missing, rules, detail)


def _transparency(g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    title = "Transparency and public engagement"
    comps: list[Component] = []
    missing: list[str] = []
    site = g.has_website
    if site is None:
        missing.append("website (unknown)")
    else:
        comps.append(Component("website", g.website.value, 1.0 if site else 0.0, g.website.sources))
    past = sorted(
        (e for e in g.events if e.date.first_day() <= day), key=lambda e: e.date.first_day()
    )
    if not past:
        missing.append("dated events")
    else:
        window = [e for e in past if (day - e.date.first_day()).days <= rules.updates_window_days]
        n = len(window)
        comps.append(
            Component(
                "updates_in_window",
                n,
                1.0 if n >= rules.updates_regular else (0.5 if n else 0.0),
                tuple(sorted({s for e in window for s in e.sources})),
            )
        )
        last = past[-1]
        age = (day - last.date.first_day()).days
        comps.append(
            Component(
                "last_public_statement",
                {"date": last.date.iso(), "title": last.title, "days_ago": age},
                1.0 if age <= rules.recent_days else (0.5 if age <= rules.stale_days else 0.0),
                tuple(last.sources),
            )
        )
    bits = []
    if site is not None:
        bits.append("a dedicated website" if site else "no dedicated website")
    if past:
        bits.append(
            f"{comps[-2].value} public events in the last {rules.updates_window_days // 365} years"
        )
        bits.append(f"last on {past[-1].date.iso()}")
    return _finish("transparency", title, comps, missing, rules, ", ".join(bits))


def _unity(ds: Dataset, g: Grouping, day: _dt.date, rules: ScoreRules) -> Indicator:
    title = "Unified purpose and commitment"
    current = g.members_on(day)
    missing = ["attendance records"]
    comps: list[Component] = []
    if not current:
        return Indicator(
            "unified_purpose",
            title,
            None,
            "not assessable",
            "not assessable: missing members on the date",
            (),
            ("memberships", *missing),
        )
    d = delivery(g, day)
    if _delivery_assessable(d):
        comps.append(_delivery_component(d))
    elif d.made:
        missing.append(_delivery_missing(d))
    full = [m for m in current if m.full]
    symmetry = len(full) / len(current)
    comps.append(
        Component(
            "symmetric_roles", f"{len(full)} of {len(current)} full members", round(symmetry, 3)
        )
    )
    anchor = anchor_class(g, day, ds=ds)
    detail = f"{len(full)} of {len(current)} participants are full members"
    if anchor in ("us_anchored", "china_anchored"):
        rival = "china" if anchor == "us_anchored" else "us"
        power = "USA" if anchor == "us_anchored" else "CHN"
        states = [
            m.participant
            for m in full
            if ds.participant(m.participant).is_state and m.participant != power
        ]
        cross: dict[str, list[str]] = {}
        for other in ds.groupings.values():
            if other.id == g.id or anchor_class(other, day, ds=ds) != f"{rival}_anchored":
                continue
            for m in other.members_on(day):
                if m.full and m.participant in states:
                    cross.setdefault(m.participant, []).append(other.id)
        share = len(cross) / len(states) if states else 0.0
        comps.append(
            Component(
                f"members_in_{rival}_anchored_formats",
                {k: sorted(v) for k, v in sorted(cross.items())},
                round(1 - share, 3),
            )
        )
        anchor_name = "the United States" if power == "USA" else "China"
        detail += (
            f"; {len(cross)} of the {len(states)} member "
            f"{'state' if len(states) == 1 else 'states'} other than {anchor_name} "
            f"also {'sits' if len(cross) == 1 else 'sit'} in "
            f"{'China' if rival == 'china' else 'US'}-anchored formats"
        )
    return _finish("unified_purpose", title, comps, missing, rules, detail)


_TITLES = (
    ("strategic_clarity", "Strategic clarity"),
    ("economic_interdependencies", "Economic interdependencies"),
    ("institutional_balance", "Balance of informality and institutionalisation"),
    ("transparency", "Transparency and public engagement"),
    ("unified_purpose", "Unified purpose and commitment"),
)


def score(
    ds: Dataset, g: Grouping, as_of: _dt.date, *, rules: ScoreRules = SCORE_RULES
) -> Scorecard:
    """The five indicators for grouping ``g`` on ``as_of``, and their mean.

    The overall score is the mean of the assessable indicators; ``assessable`` says how
    many of five there were, so a reader never mistakes a partial card for a full one.
    On a date the grouping is not active (not yet founded, lapsed or ended) none is
    assessable, as :func:`minilat.analysis.characteristics.assess` reads that date.
    """
    if not g.existed_by(as_of):
        reason = f"not assessable: missing the grouping itself (founded {g.founded})"
        empty = tuple(
            Indicator(n, t, None, "not assessable", reason, (), ("the grouping",))
            for n, t in _TITLES
        )
        return Scorecard(
            g.id,
            g.name,
            as_of.isoformat(),
            empty,
            None,
            0,
            f"0 of 5 indicators assessable: {g.name} was founded {g.founded}",
        )
    if not g.active_on(as_of):
        # outside its periods (lapsed or ended) there is no grouping at work to score,
        # as the characteristics say ("not active on"): the Quad of 2012 is not scored
        # strong on a clarity it had in 2007
        reason = f"not assessable: not active on {as_of.isoformat()}"
        missing = ("an active period covering the date",)
        empty = tuple(
            Indicator(n, t, None, "not assessable", reason, (), missing) for n, t in _TITLES
        )
        return Scorecard(
            g.id,
            g.name_on(as_of),
            as_of.isoformat(),
            empty,
            None,
            0,
            f"0 of 5 indicators assessable: {g.name_on(as_of)} was not active on "
            f"{as_of.isoformat()}",
        )
    indicators = (
        _clarity(g, as_of, rules),
        _interdependence(ds, g, as_of, rules),
        _institutions(g, as_of, rules),
        _transparency(g, as_of, rules),
        _unity(ds, g, as_of, rules),
    )
    scored = [i.score for i in indicators if i.score is not None]
    overall = round(sum(scored) / len(scored), 3) if scored else None
    parts = [f"{i.name} {i.label}" for i in indicators]
    summary = (
        f"{len(scored)} of 5 indicators assessable"
        + (f", mean {overall:.2f}" if overall is not None else "")
        + ": "
        + "; ".join(parts)
    )
    return Scorecard(
        grouping=g.id,
        name=g.name_on(as_of),
        as_of=as_of.isoformat(),
        indicators=indicators,
        overall=overall,
        assessable=len(scored),
        summary=summary,
    )
