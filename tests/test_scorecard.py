from __future__ import annotations

import datetime as dt

import pytest

from framework_helpers import dataset, grouping
from minilat.analysis.scorecard import SCORE_RULES, score
from minilat.dataset import load
from minilat.model import CapabilityTable

DAY = dt.date(2024, 1, 1)


def _ind(card, name):
    return next(i for i in card.indicators if i.name == name)


def test_missing_data_is_not_assessable_never_zero() -> None:
    g = grouping()
    card = score(dataset(g), g, DAY)
    clarity = _ind(card, "strategic_clarity")
    assert clarity.score is None and clarity.missing == ("objectives",)
    assert clarity.reason == "not assessable: missing objectives"
    trans = _ind(card, "transparency")
    assert trans.score is None and "dated events" in trans.missing
    econ = _ind(card, "economic_interdependencies")
    assert econ.score is None and econ.reason.startswith("not assessable: missing")
    assert card.assessable < 5


def test_strategic_clarity_components() -> None:
    g = grouping(
        objectives=[
            {"text": "Deliver X", "timeline": "2030", "sources": ["s"]},
            {"text": "Fund Y", "budget": "USD 1bn", "sources": ["s"]},
        ],
        working_groups=[{"name": "WG", "sources": ["s"]}],
    )
    ind = _ind(score(dataset(g), g, DAY), "strategic_clarity")
    assert ind.score == 1.0
    g2 = grouping(objectives=[{"text": "Deliver X", "sources": ["s"]}])
    assert _ind(score(dataset(g2), g2, DAY), "strategic_clarity").score == 0.25


@pytest.mark.parametrize(
    ("facts", "band", "expected"),
    [
        (
            {"instrument": "joint_declaration", "secretariat": "none", "cadence": "irregular"},
            "no institutions",
            0.5,
        ),
        (
            {"instrument": "joint_declaration", "secretariat": "rotating", "cadence": "annual"},
            "light institutions",
            1.0,
        ),
        (
            {
                "instrument": "treaty",
                "secretariat": "permanent",
                "legal_personality": True,
                "cadence": "continuous",
            },
            "heavy institutions",
            0.3,
        ),
    ],
)
def test_institutional_balance_bands(facts, band: str, expected: float) -> None:
    g = grouping(**facts)
    ind = _ind(score(dataset(g), g, DAY), "institutional_balance")
    assert band in ind.reason
    assert ind.score == expected


def test_transparency_recency_and_website() -> None:
    events = [
        {"date": d, "kind": "meeting", "title": "m", "sources": ["s"]}
        for d in ("2021-06-01", "2022-06-01", "2023-06-01")
    ]
    g = grouping(website="https://example.org", events=events)
    ind = _ind(score(dataset(g), g, DAY), "transparency")
    assert ind.score == 1.0
    stale = _ind(score(dataset(g), g, dt.date(2026, 1, 1)), "transparency")
    assert stale.score is not None and stale.score < 1.0
    none = grouping(website="none", events=events)
    assert _ind(score(dataset(none), none, DAY), "transparency").score == pytest.approx(
        2 / 3, abs=1e-3
    )


def test_economic_interdependence_from_trade_tables() -> None:
    table = CapabilityTable(
        id="export_share_china",
        name="t",
        unit="fraction",
        measure="ratio",
        year=2023,
        scope="test",
        sources=("s",),
        rows=[
            {"participant": "JPN", "value": 0.2},
            {"participant": "AUS", "value": 0.3},
            {"participant": "USA", "value": 0.1},
        ],
    )
    g = grouping(members=("USA", "JPN", "AUS"))
    ds = dataset(g, indicators={"export_share_china": table})
    ind = _ind(score(ds, g, DAY), "economic_interdependencies")
    dep = next(c for c in ind.components if c.name == "dependence_on_CHN")
    assert dep.value["mean"] == pytest.approx(0.2, abs=1e-3)
    assert dep.score == pytest.approx(1 - 0.2 / SCORE_RULES.high_dependence, abs=1e-3)
    assert ind.score is not None
    assert "export_share_usa" not in " ".join(ind.missing)  # the US is a member: not outside


def test_unified_purpose_counts_rival_formats() -> None:
    us = grouping("us_led", members=("USA", "IND", "JPN"))
    cn = grouping("cn_led", members=("CHN", "IND", "RUS"))
    ds = dataset(us, cn)
    ind = _ind(score(ds, us, DAY), "unified_purpose")
    comp = next(c for c in ind.components if c.name.startswith("members_in_china"))
    assert comp.value == {"IND": ["cn_led"]}
    assert comp.score == pytest.approx(0.5, abs=1e-3)  # 1 of 2 non-US member states
    assert "attendance records" in ind.missing


def test_quad_scorecard_on_bundled_data() -> None:
    ds = load()
    card = score(ds, ds.grouping("quad"), dt.date(2026, 1, 1))
    assert len(card.indicators) == 5
    assert card.assessable >= 3
    for ind in card.indicators:
        assert (ind.score is None) == (ind.label == "not assessable")
        if ind.score is None:
            assert ind.missing


def test_no_scores_before_the_grouping_existed() -> None:
    g = grouping(
        start="2021-03-12", objectives=[{"text": "X", "timeline": "2030", "sources": ["s"]}]
    )
    card = score(dataset(g), g, dt.date(1990, 1, 1))
    assert card.assessable == 0 and card.overall is None
    assert all(i.score is None and i.missing for i in card.indicators)
