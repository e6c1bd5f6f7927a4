from __future__ import annotations

import pytest

from framework_helpers import dataset, grouping
from minilat.analysis import typology
from minilat.dataset import load


def _type(themes: list[str], **kw: object) -> typology.TypeResult:
    g = grouping(themes=themes, **kw)
    return typology.classify_one(dataset(g), g)


def test_single_area_majority() -> None:
    assert _type(["defence_platforms", "ai"]).rule_type == "security_defence"
    assert _type(["critical_minerals"]).rule_type == "economic_supply_chain"
    assert _type(["digital_public_infrastructure", "data_governance"]).rule_type == (
        "digital_governance"
    )


def test_no_majority_is_multidimensional() -> None:
    r = _type(["security", "semiconductors", "data_governance", "health"])
    assert r.rule_type == "multidimensional"
    assert "no area holds a majority" in r.reason


def test_global_agenda_largest_is_multidimensional() -> None:
    r = _type(["finance", "development", "security"])
    assert r.rule_type == "multidimensional"


def test_order_of_emphasis_matters() -> None:
    first = _type(["defence_platforms", "semiconductors"])
    second = _type(["semiconductors", "defence_platforms"])
    assert first.rule_type == "security_defence"
    assert second.rule_type == "economic_supply_chain"


def test_scores_by_hand() -> None:
    r = _type(["defence_platforms", "semiconductors"])
    w0, w1 = 1.0, 1 / (1 + typology.POSITION_DECAY)
    assert r.scores["security_defence"] == pytest.approx(w0 / (w0 + w1), abs=1e-3)
    assert r.scores["economic_supply_chain"] == pytest.approx(w1 / (w0 + w1), abs=1e-3)


def test_leans_are_shown() -> None:
    r = _type(["defence_platforms", "semiconductors", "security"])
    assert r.rule_type == "security_defence"
    assert "economic_supply_chain" in r.leans


def test_missing_themes_not_assessable() -> None:
    r = _type([])
    assert r.rule_type is None and "missing themes" in r.reason


def test_override_disagreement_is_reported() -> None:
    g = grouping(
        themes=["semiconductors"],
        typology_override={"type": "security_defence", "rationale": "because", "sources": ["s"]},
    )
    r = typology.classify_one(dataset(g), g)
    assert r.rule_type == "economic_supply_chain"
    assert r.type == "security_defence" and r.agrees is False
    assert typology.disagreements({g.id: r}) == [r]


def test_every_theme_has_areas_summing_to_one() -> None:
    from minilat.model import Theme

    for t in Theme:
        assert sum(typology.THEME_AREAS[t].values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("gid", "expected"),
    [
        ("aukus", "security_defence"),
        ("gcap", "security_defence"),
        ("chip4", "economic_supply_chain"),
        ("digital_nations", "digital_governance"),
        ("three_seas", "digital_governance"),
        ("g7", "multidimensional"),
        ("brics", "multidimensional"),
    ],
)
def test_article_examples_by_rule_alone(gid: str, expected: str) -> None:
    """The rule, not an editor's override, must give the article's classification."""
    ds = load()
    assert typology.classify_one(ds, ds.grouping(gid)).rule_type == expected


# ------------------------------------------------------------ found by mutation testing
# (docs/testing.md): each test below kills mutants of minilat.analysis.typology.


def _themed(themes: tuple, gid: str | None = None):  # type: ignore[no-untyped-def]
    from minilat.dataset import load

    ds = load()
    g = ds.grouping(gid) if gid else next(iter(ds.groupings.values()))
    return ds, g.model_copy(update={"themes": g.themes.model_copy(update={"value": themes})})


def test_scores_worked_by_hand() -> None:
    """AI (weight 1: a third to each functional area), cyber (2/3: half security, half
    digital), nuclear (1/2: half security, half economic). Total 13/6; security
    (1/3 + 1/3 + 1/4) / (13/6) = 0.423, economic 0.269, digital 0.308; breadth
    (1 - 0.423) / 0.75 = 0.769: no majority, multidimensional, leaning all three."""
    from minilat.analysis.typology import classify_one
    from minilat.model import Theme

    ds, g = _themed((Theme.AI, Theme.CYBER, Theme.NUCLEAR))
    r = classify_one(ds, g)
    assert r.scores == {
        "security_defence": 0.423,
        "economic_supply_chain": 0.269,
        "digital_governance": 0.308,
        "multidimensional": 0.769,
    }
    assert r.area_shares == {
        "security": 0.423,
        "economic": 0.269,
        "digital": 0.308,
        "global_agenda": 0.0,
    }
    assert r.rule_type == "multidimensional"
    assert r.leans == ("security_defence", "digital_governance", "economic_supply_chain")
    d = r.to_dict()
    assert d["grouping"] == g.id and d["scores"] == r.scores and d["leans"] == r.leans


def test_missing_themes_is_not_assessable_and_keeps_the_editors_type() -> None:
    from minilat.analysis.typology import classify_one

    ds, g = _themed((), "ai_safety_summits")
    o = g.typology_override
    assert o is not None
    r = classify_one(ds, g)
    assert (r.grouping, r.name) == (g.id, g.name)
    assert r.scores == {} and r.area_shares == {} and r.leans == ()
    assert r.rule_type is None and r.reason == "not assessable: missing themes"
    assert r.editor_type == r.type == o.type.value == "digital_governance"
    assert r.editor_rationale == o.rationale
    assert r.editor_sources == tuple(o.sources) == ("aiss-govuk-bletchley-declaration",)
    assert r.agrees is None and r.sources == ()
    _, plain = _themed((), "apsco")
    assert plain.typology_override is None
    bare = classify_one(ds, plain)
    assert bare.editor_type is None and bare.editor_rationale is None
    assert bare.editor_sources == () and bare.type is None


def test_classify_keeps_the_groupings_founded_by_the_date() -> None:
    import datetime as dt

    from minilat.analysis.typology import classify, classify_one

    ds = load()
    everything = classify(ds)
    assert set(everything) == set(ds.groupings)
    day = dt.date(2000, 1, 1)
    by_2000 = classify(ds, day)
    assert set(by_2000) == {g.id for g in ds.groupings.values() if g.founded.first_day() <= day}
    assert 0 < len(by_2000) < len(everything)
    quad = ds.grouping("quad")
    only = classify(ds, groupings=[quad])
    assert list(only) == ["quad"] and only["quad"] == classify_one(ds, quad)


def test_the_reason_and_the_editors_view_beside_the_rule() -> None:
    """The hand-worked mix on a grouping an editor typed: the reason in words (areas
    with weight only, rounded), the leans in order, the editor's type, rationale and
    sources kept beside the rule's, and their disagreement said."""
    from minilat.analysis.typology import classify_one
    from minilat.model import Theme

    ds, g = _themed((Theme.AI, Theme.CYBER, Theme.NUCLEAR), "ai_safety_summits")
    o = g.typology_override
    assert o is not None
    r = classify_one(ds, g)
    assert r.reason == (
        "no area holds a majority of the thematic weight (security 42%, economic 27%,"
        " digital 31%); leans security & defence, digital governance & infrastructure,"
        " economic & supply chain"
    )
    assert r.name == g.name and r.sources == tuple(g.themes.sources)
    assert (r.editor_type, r.editor_rationale, r.editor_sources) == (
        "digital_governance",
        o.rationale,
        ("aiss-govuk-bletchley-declaration",),
    )
    assert r.agrees is False and r.type == "digital_governance"
    health = classify_one(ds, _themed((Theme.HEALTH,), "apsco")[1])
    assert health.reason == "the global agenda is the largest area (global_agenda 100%)"
    assert health.agrees is None


def test_a_tie_at_half_is_not_called_a_majority() -> None:
    """Two areas at 50% each: the first in the order of the areas is taken, and the reason
    says it was a tie (the Zangger Committee read "50% ... security (a majority ...)")."""
    from minilat.analysis.typology import classify_one
    from minilat.dataset import load

    ds = load()
    r = classify_one(ds, ds.grouping("zangger"))
    assert r.rule_type == "security_defence", r
    assert "each" in r.reason and "comes first in the order" in r.reason
    assert "majority" not in r.reason
