"""The article's four types of tech minilateral, from transparent rules.

The rule reads a grouping's themes (listed in order of emphasis, see docs/data.md):

1. each theme carries a weight that falls with its position in the list,
   ``1 / (1 + position * POSITION_DECAY)``;
2. each theme spreads its weight over four *areas* — security & defence, economic &
   supply chain, digital governance & infrastructure, and the global agenda (health,
   climate, development, governance) — by the fixed table :data:`THEME_AREAS`; frontier
   technologies (AI, quantum, biotech, space, research) spread evenly over the first
   three, since they serve all of them;
3. the score of each functional type is its area's share of the total weight; the score
   of *multidimensional strategic* is the breadth ``(1 - largest share) / (1 - 1/4)``,
   1 when the weight is spread evenly over the four areas, 0 when it sits in one;
4. the primary type is the functional type whose area holds a majority of the weight
   (``share >= MAJORITY``, at least half; when two areas hold half each, the first in
   the order of :data:`AREAS`, and the reason says so); when no area does, or the global
   agenda is the largest area, the grouping is multidimensional strategic;
5. every other functional type scoring at least ``LEAN``, and multidimensional when its
   breadth is at least ``MULTI_LEAN``, is reported as a lean.

Editors can record an override in the dataset; both are reported and a disagreement is
never hidden.

>>> from minilat.dataset import load
>>> import datetime as dt
>>> ds = load()
>>> classify_one(ds, ds.grouping("chip4")).rule_type
'economic_supply_chain'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Any

from minilat.dataset import Dataset
from minilat.model import Grouping, GroupingType, Theme

__all__ = [
    "AREAS",
    "LEAN",
    "MAJORITY",
    "MULTI_LEAN",
    "POSITION_DECAY",
    "THEME_AREAS",
    "TypeResult",
    "classify",
    "classify_one",
    "disagreements",
]

POSITION_DECAY = 0.5
MAJORITY = 0.5
LEAN = 0.25
MULTI_LEAN = 0.6

SEC, ECON, DIG, GLOBAL = "security", "economic", "digital", "global_agenda"
AREAS = (SEC, ECON, DIG, GLOBAL)
_TYPE_OF_AREA = {
    SEC: GroupingType.SECURITY_DEFENCE,
    ECON: GroupingType.ECONOMIC_SUPPLY_CHAIN,
    DIG: GroupingType.DIGITAL_GOVERNANCE,
}
_THIRD = 1 / 3
_FRONTIER = {SEC: _THIRD, ECON: _THIRD, DIG: _THIRD}

#: How each theme's weight spreads over the four areas (each row sums to 1).
THEME_AREAS: dict[Theme, dict[str, float]] = {
    Theme.DEFENCE_PLATFORMS: {SEC: 1.0},
    Theme.HYPERSONICS: {SEC: 1.0},
    Theme.INTELLIGENCE: {SEC: 1.0},
    Theme.MARITIME_SECURITY: {SEC: 1.0},
    Theme.SECURITY: {SEC: 1.0},
    Theme.NUCLEAR: {SEC: 0.5, ECON: 0.5},
    Theme.EXPORT_CONTROLS: {SEC: 0.5, ECON: 0.5},
    Theme.CYBER: {SEC: 0.5, DIG: 0.5},
    Theme.UNDERSEA_CABLES: {DIG: 0.5, SEC: 0.5},
    Theme.SEMICONDUCTORS: {ECON: 1.0},
    Theme.CRITICAL_MINERALS: {ECON: 1.0},
    Theme.SUPPLY_CHAINS: {ECON: 1.0},
    Theme.TRADE_INVESTMENT: {GLOBAL: 1.0},
    Theme.FINANCE: {GLOBAL: 1.0},
    Theme.CLEAN_ENERGY: {ECON: 1.0},
    Theme.ENERGY_SECURITY: {ECON: 0.5, SEC: 0.5},
    Theme.DIGITAL_TRADE: {ECON: 0.5, DIG: 0.5},
    Theme.TELECOM_5G: {DIG: 0.5, ECON: 0.5},
    Theme.STANDARDS: {DIG: 0.5, ECON: 0.5},
    Theme.DIGITAL_PUBLIC_INFRASTRUCTURE: {DIG: 1.0},
    Theme.DATA_GOVERNANCE: {DIG: 1.0},
    Theme.INTERNET_GOVERNANCE: {DIG: 1.0},
    Theme.CONNECTIVITY_INFRASTRUCTURE: {DIG: 1.0},
    Theme.AI: _FRONTIER,
    Theme.QUANTUM: _FRONTIER,
    Theme.BIOTECH: _FRONTIER,
    Theme.RESEARCH_INNOVATION: _FRONTIER,
    Theme.SPACE: _FRONTIER,
    Theme.HEALTH: {GLOBAL: 1.0},
    Theme.CLIMATE: {GLOBAL: 1.0},
    Theme.DEVELOPMENT: {GLOBAL: 1.0},
    Theme.GOVERNANCE: {GLOBAL: 1.0},
}

_LABEL = {
    GroupingType.SECURITY_DEFENCE: "security & defence",
    GroupingType.ECONOMIC_SUPPLY_CHAIN: "economic & supply chain",
    GroupingType.DIGITAL_GOVERNANCE: "digital governance & infrastructure",
    GroupingType.MULTIDIMENSIONAL: "multidimensional strategic",
}


@dataclass(frozen=True)
class TypeResult:
    """The typology of one grouping: the rule's answer, any editor's, and why."""

    grouping: str
    name: str
    scores: dict[str, float]
    area_shares: dict[str, float]
    rule_type: str | None
    leans: tuple[str, ...]
    reason: str
    editor_type: str | None
    editor_rationale: str | None
    editor_sources: tuple[str, ...]
    agrees: bool | None
    type: str | None
    sources: tuple[str, ...]

    @property
    def primary(self) -> str | None:
        """The type used downstream: the editor's where one is recorded, else the rule's."""
        return self.type

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def label(type_id: str) -> str:
    """The plain-language name of a type id."""
    return _LABEL[GroupingType(type_id)]


def _area_shares(themes: tuple[Theme, ...]) -> dict[str, float]:
    weights = dict.fromkeys(AREAS, 0.0)
    for pos, theme in enumerate(themes):
        w = 1.0 / (1.0 + pos * POSITION_DECAY)
        for area, part in THEME_AREAS[theme].items():
            weights[area] += w * part
    total = sum(weights.values())
    return {a: weights[a] / total for a in AREAS}


def classify_one(ds: Dataset, g: Grouping) -> TypeResult:
    """The type of grouping ``g`` by the documented rule, beside any editor's override."""
    themes = g.themes.value
    override = g.typology_override
    editor = override.type.value if override else None
    if not themes:
        return TypeResult(
            g.id,
            g.name,
            {},
            {},
            None,
            (),
            "not assessable: missing themes",
            editor,
            override.rationale if override else None,
            tuple(override.sources) if override else (),
            None,
            editor,
            (),
        )
    shares = _area_shares(themes)
    top_area = max(AREAS, key=lambda a: (shares[a], -AREAS.index(a)))
    breadth = (1.0 - shares[top_area]) / (1.0 - 1.0 / len(AREAS))
    scores = {t.value: round(shares[a], 3) for a, t in _TYPE_OF_AREA.items()}
    scores[GroupingType.MULTIDIMENSIONAL.value] = round(breadth, 3)
    shown = ", ".join(f"{a} {shares[a]:.0%}" for a in AREAS if shares[a] > 0)
    tied = [a for a in AREAS if a != top_area and shares[a] == shares[top_area]]
    if top_area != GLOBAL and shares[top_area] >= MAJORITY:
        rule = _TYPE_OF_AREA[top_area].value
        if tied:  # half each: not a majority of one; the order of the areas decides
            reason = (
                f"{top_area} and {' and '.join(tied)} hold {shares[top_area]:.0%} of the"
                f" thematic weight each; {top_area} comes first in the order of the areas"
                f" ({', '.join(AREAS)}) ({shown})"
            )
        else:
            reason = (
                f"{shares[top_area]:.0%} of the thematic weight is {top_area} (at least half;"
                f" {shown})"
            )
    elif top_area == GLOBAL:
        rule = GroupingType.MULTIDIMENSIONAL.value
        reason = f"the global agenda is the largest area ({shown})"
    else:
        rule = GroupingType.MULTIDIMENSIONAL.value
        reason = f"no area holds a majority of the thematic weight ({shown})"
    multi = GroupingType.MULTIDIMENSIONAL.value
    leans = tuple(
        t
        for t, s in sorted(scores.items(), key=lambda kv: -kv[1])
        if t != rule and s >= (MULTI_LEAN if t == multi else LEAN)
    )
    if leans:
        reason += "; leans " + ", ".join(label(t) for t in leans)
    agrees = None if editor is None else editor == rule
    return TypeResult(
        grouping=g.id,
        name=g.name,
        scores=scores,
        area_shares={a: round(v, 3) for a, v in shares.items()},
        rule_type=rule,
        leans=leans,
        reason=reason,
        editor_type=editor,
        editor_rationale=override.rationale if override else None,
        editor_sources=tuple(override.sources) if override else (),
        agrees=agrees,
        type=editor or rule,
        sources=tuple(g.themes.sources),
    )


def classify(
    ds: Dataset, as_of: _dt.date | None = None, *, groupings: list[Grouping] | None = None
) -> dict[str, TypeResult]:
    """The typology of every grouping founded by ``as_of`` (all if None), keyed by id."""
    gs = groupings if groupings is not None else list(ds.groupings.values())
    return {g.id: classify_one(ds, g) for g in gs if as_of is None or g.existed_by(as_of)}


def disagreements(results: dict[str, TypeResult]) -> list[TypeResult]:
    """Every grouping where an editor's override differs from the rule."""
    return [r for r in results.values() if r.agrees is False]
