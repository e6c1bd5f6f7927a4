"""The article's four characteristics of a minilateral, decided from the data.

1. **size** — the number of state participants in full-member roles on the date, and a
   size class (bilateral, minilateral, plurilateral, multilateral);
2. **informality** — from the founding instrument, the secretariat, legal personality and
   the membership rules;
3. **thematic focus** — how concentrated the grouping's themes are across domains;
4. **multi-stakeholder** — non-state participants and engagement channels.

Every characteristic carries its value, a verdict, a plain-language reason and the facts
(with their source ids) behind it. Every threshold and weight lives in :class:`Rules`,
documented in docs/methodology.md; a test keeps the two in step.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> ds = load()
>>> a = assess(ds, ds.grouping("aukus"), dt.date(2024, 1, 1))
>>> a.size.value, a.size.label
(3, 'minilateral')
>>> a.is_minilateral
True
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any

from minilat.dataset import Dataset
from minilat.model import (
    Accession,
    Evidenced,
    Grouping,
    Instrument,
    ParticipantKind,
    Role,
    Secretariat,
    Theme,
)

__all__ = [
    "DOMAIN_OF_THEME",
    "RULES",
    "Assessment",
    "Characteristic",
    "Evidence",
    "Rules",
    "assess",
]


@dataclass(frozen=True)
class Rules:
    """Every threshold and weight of the characteristics (docs/methodology.md)."""

    # size classes by number of full-member states
    bilateral_max: int = 2
    minilateral_max: int = 10  # "often no more than ten" (the article)
    plurilateral_max: int = 50
    # informality: how informal each value is (1 informal, 0 formal), and the weights
    instrument_informality: tuple[tuple[str, float], ...] = (
        ("none", 1.0),
        ("joint_declaration", 1.0),
        ("mou", 0.75),
        ("agreement", 0.25),
        ("charter", 0.25),
        ("treaty", 0.0),
    )
    secretariat_informality: tuple[tuple[str, float], ...] = (
        ("none", 1.0),
        ("rotating", 0.75),
        ("permanent", 0.0),
    )
    legal_personality_informality: tuple[tuple[str, float], ...] = (("false", 1.0), ("true", 0.0))
    accession_informality: tuple[tuple[str, float], ...] = (
        ("closed", 1.0),
        ("by_invitation", 0.75),
        ("open", 0.25),
    )
    informality_weights: tuple[tuple[str, float], ...] = (
        ("instrument", 0.35),
        ("secretariat", 0.30),
        ("legal_personality", 0.20),
        ("accession", 0.15),
    )
    informality_min_components: int = 2
    informal_from: float = 0.6  # score >= this: informal
    formal_below: float = 0.4  # score < this: formal; between: semi-formal
    # thematic focus
    focused_max_domains: int = 2
    focused_max_themes: int = 6
    broad_min_domains: int = 4
    # multi-stakeholder: kinds of participant that count as stakeholders
    stakeholder_kinds: tuple[str, ...] = ("company", "research", "civil_society", "industry_body")

    def table(self, name: str) -> dict[str, float]:
        return dict(getattr(self, name))


RULES = Rules()

#: Each theme's domain, used for thematic focus (and, weighted, for the typology).
DOMAIN_OF_THEME: dict[Theme, str] = {
    **dict.fromkeys(
        [
            Theme.DEFENCE_PLATFORMS,
            Theme.HYPERSONICS,
            Theme.INTELLIGENCE,
            Theme.MARITIME_SECURITY,
            Theme.SECURITY,
            Theme.NUCLEAR,
            Theme.EXPORT_CONTROLS,
            Theme.CYBER,
        ],
        "security",
    ),
    **dict.fromkeys(
        [
            Theme.SEMICONDUCTORS,
            Theme.CRITICAL_MINERALS,
            Theme.SUPPLY_CHAINS,
            Theme.CLEAN_ENERGY,
            Theme.ENERGY_SECURITY,
            Theme.DIGITAL_TRADE,
        ],
        "economic",
    ),
    **dict.fromkeys(
        [
            Theme.DIGITAL_PUBLIC_INFRASTRUCTURE,
            Theme.DATA_GOVERNANCE,
            Theme.INTERNET_GOVERNANCE,
            Theme.CONNECTIVITY_INFRASTRUCTURE,
            Theme.UNDERSEA_CABLES,
            Theme.TELECOM_5G,
            Theme.STANDARDS,
        ],
        "digital",
    ),
    **dict.fromkeys(
        [Theme.AI, Theme.QUANTUM, Theme.BIOTECH, Theme.RESEARCH_INNOVATION, Theme.SPACE],
        "frontier_technology",
    ),
    **dict.fromkeys(
        [
            Theme.TRADE_INVESTMENT,
            Theme.FINANCE,
            Theme.HEALTH,
            Theme.CLIMATE,
            Theme.DEVELOPMENT,
            Theme.GOVERNANCE,
        ],
        "global_agenda",
    ),
}


@dataclass(frozen=True)
class Evidence:
    """One fact behind a decision: what it is, its value, and where it comes from."""

    fact: str
    value: Any
    sources: tuple[str, ...] = ()
    verified: bool = True


@dataclass(frozen=True)
class Characteristic:
    """One characteristic's value, verdict and reasons.

    ``verdict`` is True when the grouping has the characteristic in the article's sense,
    False when it does not, None when it cannot be assessed (``missing`` says what).
    ``bounds`` is the least and the most the value can be where the record cannot say
    which (a size against a head-count of participants in every role), else None.
    """

    name: str
    value: Any
    label: str
    verdict: bool | None
    reason: str
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class Assessment:
    grouping: str
    name: str
    as_of: str
    status: str
    size: Characteristic
    informality: Characteristic
    thematic_focus: Characteristic
    multi_stakeholder: Characteristic
    is_minilateral: bool | None
    characteristics_met: int
    verdict: str
    typology: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ev(fact: str, value: Any, e: Evidenced) -> Evidence:
    return Evidence(fact, value, tuple(e.sources), e.verified)


def _size(
    ds: Dataset, g: Grouping, day: _dt.date, rules: Rules, verified_only: bool
) -> Characteristic:
    current = g.members_on(day, verified_only=verified_only)
    full_states = [m for m in current if m.full and ds.participant(m.participant).is_state]
    others = [m for m in current if m not in full_states]
    evidence = tuple(
        _ev(f"member {m.participant}", m.role.value, m)
        for m in sorted(current, key=lambda m: m.participant)
    )
    n = len(full_states)
    declared = g.member_count
    high = n
    if (
        declared is not None
        and declared.date.first_day() <= day
        and (declared.verified or not verified_only)
    ):
        if declared.counts == "states" and declared.value > n:
            # a published head-count of member states above the ones named: the size
            evidence = (*evidence, _ev("published count", declared.value, declared))
            counted = f" (published count as of {declared.date}; {n} enumerated in the dataset)"
            n = high = declared.value
        elif declared.counts == "participants" and declared.value > len(current):
            # a head-count of participants in every role (partners, the EU, companies)
            # is not one of full-member states: the ones not named may be of any role, so
            # the full-member states are those named, up to all of the unnamed besides
            unnamed = declared.value - len(current)
            high = n + unnamed
            evidence = (*evidence, _ev("published count of participants", declared.value, declared))
            counted = (
                f", {n} to {high} in all: {g.name} published {declared.value} participants in "
                f"every role as of {declared.date}, {len(current)} named here; the {unnamed} "
                "not named may be full-member states or not"
            )
        else:
            counted = ""
    else:
        counted = ""
    if not g.active_on(day):
        return Characteristic(
            "size",
            0,
            "inactive",
            None,
            f"not active on {day.isoformat()}",
            evidence,
            ("an active period covering the date",),
        )
    if n == 0:
        return Characteristic(
            "size",
            0,
            "unknown",
            None,
            "no full-member states recorded on the date",
            evidence,
            ("memberships",),
        )
    order = ("bilateral", "minilateral", "plurilateral", "multilateral")
    low_at, high_at = order.index(_size_class(n, rules)), order.index(_size_class(high, rules))
    # bounds across classes: every class between them is said ("minilateral or plurilateral")
    label = " or ".join(order[low_at : high_at + 1])
    extra = ""
    if others:
        kinds: dict[str, int] = {}
        for m in others:
            key = (
                m.role.value
                if m.role not in (Role.MEMBER, Role.FOUNDING_MEMBER)
                else (ds.participant(m.participant).kind.value)
            )
            kinds[key] = kinds.get(key, 0) + 1
        extra = " (besides: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + ")"
    named = "named " if high > n else ""
    bands = "; ".join(f"{c} is {_band(c, rules)}" for c in label.split(" or "))
    reason = (
        f"{n} full-member state{'s' if n != 1 else ''} {named}on {day.isoformat()}"
        f"{counted}{extra}; {bands}"
    )
    classes = label.split(" or ")
    # decided when every size within the bounds is a minilateral, or none is
    verdict = None if len(classes) > 1 and "minilateral" in classes else classes == ["minilateral"]
    return Characteristic(
        "size",
        n,
        label,
        verdict,
        reason,
        evidence,
        () if verdict is not None else ("the roles of the participants not named",),
        (n, high) if high > n else None,
    )


def _size_class(n: int, rules: Rules) -> str:
    if n <= rules.bilateral_max:
        return "bilateral"
    if n <= rules.minilateral_max:
        return "minilateral"
    if n <= rules.plurilateral_max:
        return "plurilateral"
    return "multilateral"


def _band(label: str, rules: Rules) -> str:
    return {
        "bilateral": f"at most {rules.bilateral_max}",
        "minilateral": f"{rules.bilateral_max + 1} to {rules.minilateral_max}",
        "plurilateral": f"{rules.minilateral_max + 1} to {rules.plurilateral_max}",
        "multilateral": f"more than {rules.plurilateral_max}",
    }[label]


def _informality(g: Grouping, rules: Rules, verified_only: bool = False) -> Characteristic:
    lp = g.legal_personality.value
    parts: dict[str, tuple[str | None, Evidenced]] = {
        "instrument": (
            None if g.instrument.value is Instrument.UNKNOWN else g.instrument.value.value,
            g.instrument,
        ),
        "secretariat": (
            None if g.secretariat.value is Secretariat.UNKNOWN else g.secretariat.value.value,
            g.secretariat,
        ),
        "legal_personality": (None if lp is None else str(lp).lower(), g.legal_personality),
        "accession": (
            None if g.accession.value is Accession.UNKNOWN else g.accession.value.value,
            g.accession,
        ),
    }
    weights = rules.table("informality_weights")
    known: dict[str, float] = {}
    evidence: list[Evidence] = []
    missing: list[str] = []
    for name, (value, fact) in parts.items():
        if value is None or (verified_only and not fact.verified):
            missing.append(name if value is None else f"{name} (unverified)")
            continue
        known[name] = rules.table(f"{name}_informality")[value]
        evidence.append(_ev(name, value, fact))
    if len(known) < rules.informality_min_components:
        return Characteristic(
            "informality",
            None,
            "unknown",
            None,
            f"not assessable: missing {', '.join(missing)}",
            tuple(evidence),
            tuple(missing),
        )
    total_w = sum(weights[k] for k in known)
    score = round(sum(weights[k] * v for k, v in known.items()) / total_w, 3)
    if score >= rules.informal_from:
        label, verdict = "informal", True
    elif score < rules.formal_below:
        label, verdict = "formal", False
    else:
        label, verdict = "semi-formal", False
    shown = ", ".join(
        f"{k} {parts[k][0]} ({v:g}{', unverified' if not parts[k][1].verified else ''})"
        for k, v in known.items()
    )
    reason = f"informality score {score:.2f} from {shown}"
    if missing:
        reason += f"; not known: {', '.join(missing)}"
    return Characteristic(
        "informality", score, label, verdict, reason, tuple(evidence), tuple(missing)
    )


def _focus(g: Grouping, rules: Rules, verified_only: bool = False) -> Characteristic:
    themes = g.themes.value if (g.themes.verified or not verified_only) else ()
    if not themes:
        return Characteristic(
            "thematic_focus",
            None,
            "unknown",
            None,
            "not assessable: missing themes",
            (),
            ("themes",),
        )
    domains: dict[str, list[str]] = {}
    for t in themes:
        domains.setdefault(DOMAIN_OF_THEME[t], []).append(t.value)
    n_t, n_d = len(themes), len(domains)
    if n_d <= rules.focused_max_domains and n_t <= rules.focused_max_themes:
        label, verdict = "focused", True
    elif n_d >= rules.broad_min_domains:
        label, verdict = "broad", False
    else:
        label, verdict = "moderately focused", True
    spread = "; ".join(f"{d}: {', '.join(ts)}" for d, ts in domains.items())
    reason = (
        f"{n_t} theme{'s' if n_t != 1 else ''} in {n_d} domain{'s' if n_d != 1 else ''} ({spread})"
    )
    value = {"themes": n_t, "domains": n_d, "by_domain": domains}
    return Characteristic(
        "thematic_focus",
        value,
        label,
        verdict,
        reason,
        (_ev("themes", [t.value for t in themes], g.themes),),
    )


def _stakeholders(
    ds: Dataset, g: Grouping, day: _dt.date, rules: Rules, verified_only: bool
) -> Characteristic:
    kinds = set(rules.stakeholder_kinds)
    members = g.members_on(day, verified_only=verified_only)
    non_state = [m for m in members if ds.participant(m.participant).kind.value in kinds]
    public = [
        m
        for m in members
        if ds.participant(m.participant).kind
        in (ParticipantKind.SUPRANATIONAL, ParticipantKind.INTERNATIONAL_ORGANISATION)
    ]
    channels = [
        c
        for c in g.stakeholder_channels
        if (c.start is None or c.start.first_day() <= day) and (c.verified or not verified_only)
    ]
    evidence = [
        _ev(f"participant {m.participant}", ds.participant(m.participant).kind.value, m)
        for m in non_state
    ]
    evidence += [_ev(f"channel {c.name}", c.kind.value, c) for c in channels]
    value = {
        "non_state_participants": [m.participant for m in non_state],
        "channels": [c.name for c in channels],
        "public_bodies": [m.participant for m in public],
    }
    if non_state or channels:
        bits = []
        if non_state:
            bits.append(
                f"{len(non_state)} non-state participant{'s' if len(non_state) != 1 else ''}"
            )
        if channels:
            bits.append(f"{len(channels)} engagement channel{'s' if len(channels) != 1 else ''}")
        return Characteristic(
            "multi_stakeholder",
            value,
            "multi-stakeholder",
            True,
            " and ".join(bits),
            tuple(evidence),
        )
    reason = "no non-state participants or engagement channels recorded"
    if public:
        reason += f" (public bodies taking part: {', '.join(value['public_bodies'])})"
    return Characteristic(
        "multi_stakeholder", value, "governments only", False, reason, tuple(evidence)
    )


def assess(
    ds: Dataset,
    g: Grouping,
    as_of: _dt.date,
    *,
    rules: Rules = RULES,
    verified_only: bool = False,
) -> Assessment:
    """The four characteristics of grouping ``g`` on ``as_of`` and the overall verdict.

    The overall verdict follows Naim's definition, the article's first characteristic:
    a grouping is a minilateral when its full-member states number from three to
    ``rules.minilateral_max``. Informality, thematic focus and multi-stakeholder
    participation are the article's *typical* traits: they are counted
    (``characteristics_met``) and explained, not required, since the article's own
    examples include a treaty-based programme (GCAP) and broad agendas (G7, BRICS).

    Raises nothing for missing data: a characteristic that cannot be decided has
    ``verdict=None`` and names what is missing.
    """
    from minilat.analysis.groupings import status_on

    size = _size(ds, g, as_of, rules, verified_only)
    informality = _informality(g, rules, verified_only)
    focus = _focus(g, rules, verified_only)
    stake = _stakeholders(ds, g, as_of, rules, verified_only)
    chars = (size, informality, focus, stake)
    met = sum(1 for c in chars if c.verdict)
    if size.verdict is None:
        is_mini: bool | None = None
        verdict = f"not assessable: {size.reason}"
    else:
        is_mini = bool(size.verdict)
        typical = [c for c in (informality, focus, stake)]
        has = [c.label for c in typical if c.verdict]
        lacks = [c.label for c in typical if c.verdict is False]
        unknown = [c.name for c in typical if c.verdict is None]
        states = f"{size.bounds[0]} to {size.bounds[1]}" if size.bounds else size.value
        head = (
            f"a minilateral: {states} states"
            if is_mini
            else f"not a minilateral: {size.label} ({states} states)"
        )
        tail = []
        if has:
            tail.append("typical of a minilateral: " + ", ".join(has))
        if lacks:
            tail.append("untypical: " + ", ".join(lacks))
        if unknown:
            tail.append("not assessable: " + ", ".join(unknown))
        verdict = f"{head}; " + "; ".join(tail) + f" ({met} of 4 characteristics)"
    return Assessment(
        grouping=g.id,
        name=g.name_on(as_of),
        as_of=as_of.isoformat(),
        status=status_on(g, as_of),
        size=size,
        informality=informality,
        thematic_focus=focus,
        multi_stakeholder=stake,
        is_minilateral=is_mini,
        characteristics_met=met,
        verdict=verdict,
    )
