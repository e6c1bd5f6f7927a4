from __future__ import annotations

import datetime as dt

import pytest

from framework_helpers import dataset, grouping
from minilat.analysis.scorecard import SCORE_RULES, Component, Indicator, ScoreRules, score
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


def test_no_scores_while_the_grouping_is_not_active() -> None:
    """Outside its periods (lapsed or ended) nothing is scored, as the characteristics
    say "not active on": the Quad of 2012 was scored strong on strategic clarity."""
    g = grouping(
        periods=[{"start": "2007-05-01", "end": "2008-02-05", "sources": ["s"]}],
        objectives=[{"text": "X", "timeline": "2030", "sources": ["s"]}],
    )
    card = score(dataset(g), g, dt.date(2012, 1, 1))
    assert card.assessable == 0 and card.overall is None
    assert all(i.reason == "not assessable: not active on 2012-01-01" for i in card.indicators)
    assert all(i.missing == ("an active period covering the date",) for i in card.indicators)
    assert card.summary.startswith("0 of 5 indicators assessable")
    assert score(dataset(g), g, dt.date(2007, 6, 1)).assessable > 0


# ------------------------------------------------------------------ exact answers
# Found by mutation testing (docs/testing.md): whole indicators compared on hand-worked
# cases, and every threshold of the transparency and institutions indicators and of the
# labels on the exact value where the answer flips.

INSTITUTIONS = "Balance of informality and institutionalisation"
TRANSPARENCY = "Transparency and public engagement"


def _event(day: str, title: str = "m") -> dict[str, object]:
    return {"date": day, "kind": "meeting", "title": title, "sources": ["s"]}


def test_transparency_exactly() -> None:
    g = grouping(
        website="https://example.org",
        events=[_event("2022-06-01", "b"), _event("2023-06-01", "c"), _event("2021-06-01", "a")],
    )
    assert _ind(score(dataset(g), g, DAY), "transparency") == Indicator(
        "transparency",
        TRANSPARENCY,
        1.0,
        "strong",
        "a dedicated website, 3 public events in the last 3 years, last on 2023-06-01",
        (
            Component("website", "https://example.org", 1.0, ("s",)),
            Component("updates_in_window", 3, 1.0, ("s",)),
            Component(
                "last_public_statement",
                {"date": "2023-06-01", "title": "c", "days_ago": 214},
                1.0,
                ("s",),
            ),
        ),
    )


def test_transparency_without_a_website_or_events_is_not_assessable_exactly() -> None:
    g = grouping()
    assert _ind(score(dataset(g), g, DAY), "transparency") == Indicator(
        "transparency",
        TRANSPARENCY,
        None,
        "not assessable",
        "not assessable: missing website (unknown), dated events",
        (),
        ("website (unknown)", "dated events"),
    )


def test_transparency_with_no_website_and_two_events() -> None:
    """website 0, two updates in the window 0.5, last statement recent 1: 1.5 / 3."""
    g = grouping(website="none", events=[_event("2023-01-01"), _event("2023-06-01")])
    ind = _ind(score(dataset(g), g, DAY), "transparency")
    assert ind.score == 0.5 and ind.label == "moderate"
    assert (
        ind.reason
        == "no dedicated website, 2 public events in the last 3 years, last on 2023-06-01"
    )


def test_transparency_of_an_unknown_website_says_so() -> None:
    g = grouping(events=[_event("2023-06-01")])
    ind = _ind(score(dataset(g), g, DAY), "transparency")
    assert ind.missing == ("website (unknown)",)
    assert ind.reason == (
        "1 public events in the last 3 years, last on 2023-06-01"
        " (not counted, missing: website (unknown))"
    )


def _comps(g, day: dt.date) -> dict[str, float | None]:
    return {c.name: c.score for c in _ind(score(dataset(g), g, day), "transparency").components}


def test_transparency_windows_flip_exactly_at_their_bounds() -> None:
    """One event on 2020-01-01: recent for 365 days, stale until 730, old after; in the
    three-year window (1,095 days) until 2023-01-01 included; counted on its own day."""
    g = grouping(events=[_event("2020-01-01")])
    start = dt.date(2020, 1, 1)
    assert _comps(g, start) == {"updates_in_window": 0.5, "last_public_statement": 1.0}
    assert _comps(g, start - dt.timedelta(days=1)) == {}
    for days, recency in [(365, 1.0), (366, 0.5), (730, 0.5), (731, 0.0)]:
        assert _comps(g, start + dt.timedelta(days=days))["last_public_statement"] == recency
    assert _comps(g, start + dt.timedelta(days=1095))["updates_in_window"] == 0.5
    assert _comps(g, start + dt.timedelta(days=1096))["updates_in_window"] == 0.0


def test_transparency_updates_need_three_for_full_marks() -> None:
    events = [_event("2023-01-01"), _event("2023-02-01"), _event("2023-03-01")]
    for k, expected in [(1, 0.5), (2, 0.5), (3, 1.0)]:
        assert _comps(grouping(events=events[:k]), DAY)["updates_in_window"] == expected


def test_score_labels_flip_exactly_at_their_thresholds() -> None:
    """website none, three recent events: (0 + 1 + 1) / 3 = 0.667."""
    g = grouping(
        website="none", events=[_event("2023-01-01"), _event("2023-02-01"), _event("2023-03-01")]
    )
    ds = dataset(g)

    def ind(**kw: float) -> Indicator:
        return _ind(score(ds, g, DAY, rules=ScoreRules(**kw)), "transparency")

    assert ind().score == 0.667
    assert ind(strong_from=0.667).label == "strong"
    assert ind(strong_from=0.668).label == "moderate"
    assert ind(weak_below=0.667).label == "moderate"
    assert ind(weak_below=0.668).label == "weak"


def test_institutional_balance_exactly() -> None:
    """joint declaration 0, rotating secretariat 0.5, annual 0.5, no working group 0:
    level 0.25, light institutions."""
    g = grouping(instrument="joint_declaration", secretariat="rotating", cadence="annual")
    assert _ind(score(dataset(g), g, DAY), "institutional_balance") == Indicator(
        "institutional_balance",
        INSTITUTIONS,
        1.0,
        "strong",
        "institutionalisation level 0.25 (instrument joint_declaration, secretariat rotating,"
        " cadence annual, working_groups 0): light institutions"
        " (not counted, missing: legal_personality)",
        (
            Component("level:instrument", "joint_declaration", None, ("s",)),
            Component("level:secretariat", "rotating", None, ("s",)),
            Component("level:cadence", "annual", None, ("s",)),
            Component("level:working_groups", 0, None, ()),
            Component("institutionalisation_level", 0.25, 1.0),
        ),
        ("legal_personality",),
    )


def test_institutional_balance_not_assessable_exactly() -> None:
    g = grouping(instrument="treaty")
    assert _ind(score(dataset(g), g, DAY), "institutional_balance") == Indicator(
        "institutional_balance",
        INSTITUTIONS,
        None,
        "not assessable",
        "not assessable: missing secretariat, legal_personality, cadence",
        (
            Component("level:instrument", "treaty", None, ("s",)),
            Component("level:working_groups", 0, None, ()),
        ),
        ("secretariat", "legal_personality", "cadence"),
    )


def test_institutional_balance_with_exactly_the_minimum_components() -> None:
    """treaty 1, permanent secretariat 1, no working group 0: three known, level 0.667."""
    g = grouping(instrument="treaty", secretariat="permanent")
    ind = _ind(score(dataset(g), g, DAY), "institutional_balance")
    assert ind.score == 0.6 and ind.components[-1].value == 0.667
    assert ind.reason.endswith(
        ": substantial institutions (not counted, missing: legal_personality, cadence)"
    )


def test_institutional_level_is_rounded_to_three_places() -> None:
    """mou 1/3 and three zeros: 1/12 = 0.0833."""
    g = grouping(instrument="mou", secretariat="none", cadence="none")
    ind = _ind(score(dataset(g), g, DAY), "institutional_balance")
    assert ind.components[-1] == Component("institutionalisation_level", 0.083, 0.5)


@pytest.mark.parametrize(("k", "level"), [(0, 0.0), (1, 0.125), (2, 0.125), (3, 0.25)])
def test_working_groups_level_by_count(k: int, level: float) -> None:
    """Levels 0, then 0.5 for one or two working groups, 1 from three; with three zeros."""
    wgs = [{"name": f"WG{i}", "start": "2024-01-01", "sources": ["s"]} for i in range(k)]
    g = grouping(instrument="none", secretariat="none", cadence="none", working_groups=wgs)
    ind = _ind(score(dataset(g), g, DAY), "institutional_balance")  # wgs start on DAY itself
    assert ind.components[-1].value == level


def test_strategic_clarity_exactly() -> None:
    g = grouping(
        objectives=[
            {"text": "Deliver X", "timeline": "2030", "sources": ["s"]},
            {"text": "Fund Y", "budget": "USD 1bn", "sources": ["s"]},
        ],
        working_groups=[{"name": "WG", "sources": ["s"]}],
    )
    assert _ind(score(dataset(g), g, DAY), "strategic_clarity") == Indicator(
        "strategic_clarity",
        "Strategic clarity",
        1.0,
        "strong",
        "2 published objectives, 1 with a timeline, 1 with a budget, 1 working group",
        (
            Component("objectives", 2, 1.0, ("s",)),
            Component("timelines", 1, 1.0),
            Component("budgets", 1, 1.0),
            Component("working_groups", 1, 1.0, ("s",)),
        ),
    )


def test_strategic_clarity_of_one_objective_and_two_working_groups() -> None:
    g = grouping(
        objectives=[{"text": "Deliver X", "sources": ["s"]}],
        working_groups=[{"name": "A", "sources": ["s"]}, {"name": "B", "sources": ["s"]}],
    )
    ind = _ind(score(dataset(g), g, DAY), "strategic_clarity")
    assert (ind.score, ind.label) == (0.5, "moderate")
    assert ind.reason == (
        "1 published objective, 0 with a timeline, 0 with a budget, 2 working groups"
    )
    assert [c.value for c in ind.components] == [1, 0, 0, 2]


def test_strategic_clarity_not_assessable_exactly() -> None:
    g = grouping()
    assert _ind(score(dataset(g), g, DAY), "strategic_clarity") == Indicator(
        "strategic_clarity",
        "Strategic clarity",
        None,
        "not assessable",
        "not assessable: missing objectives",
        (),
        ("objectives",),
    )


def test_strategic_clarity_reads_commitments_from_exactly_the_minimum() -> None:
    """Three recorded commitments (``min_commitments``) switch clarity to commitments; two
    leave it on objectives."""

    def commitment(cid: str) -> dict[str, object]:
        return {
            "id": cid,
            "text": f"Do {cid}",
            "made": "2023-02-16",
            "delivery": "done",
            "sources": ["s"],
        }

    objectives = [{"text": "Deliver X", "sources": ["s"]}]
    for k, reads_commitments in [(2, False), (3, True)]:
        g = grouping(objectives=objectives, commitments=[commitment(c) for c in "abc"[:k]])
        names = [c.name for c in _ind(score(dataset(g), g, DAY), "strategic_clarity").components]
        assert ("commitments" in names) is reads_commitments, k


UNITY = "Unified purpose and commitment"


def test_unified_purpose_of_a_us_anchored_grouping_exactly() -> None:
    us = grouping("us_led", members=("USA", "IND", "JPN"))
    cn = grouping("cn_led", members=("CHN", "IND", "RUS"))
    assert _ind(score(dataset(us, cn), us, DAY), "unified_purpose") == Indicator(
        "unified_purpose",
        UNITY,
        0.75,
        "strong",
        "3 of 3 participants are full members; 1 of the 2 member states other than the"
        " United States also sits in China-anchored formats"
        " (not counted, missing: attendance records)",
        (
            Component("symmetric_roles", "3 of 3 full members", 1.0),
            Component("members_in_china_anchored_formats", {"IND": ["cn_led"]}, 0.5),
        ),
        ("attendance records",),
    )


def test_unified_purpose_of_a_china_anchored_grouping_exactly() -> None:
    """Two full members of three (0.667); Russia, its one state besides China, also sits
    in both US-anchored formats (0)."""
    observer = {"participant": "KOR", "role": "observer", "start": "2020-01-01", "sources": ["s"]}
    cn = grouping("cn_led", members=("CHN", "RUS", "KAZ"), extra_members=[observer])
    us = grouping("us_led", members=("USA", "RUS", "JPN"))
    us2 = grouping("us_two", members=("USA", "RUS", "AUS"))
    ind = _ind(score(dataset(cn, us, us2), cn, DAY), "unified_purpose")
    assert ind.components == (
        Component("symmetric_roles", "3 of 4 full members", 0.75),
        Component("members_in_us_anchored_formats", {"RUS": ["us_led", "us_two"]}, 0.5),
    )
    assert ind.reason == (
        "3 of 4 participants are full members; 1 of the 2 member states other than China"
        " also sits in US-anchored formats (not counted, missing: attendance records)"
    )


def test_unified_purpose_when_every_member_sits_in_rival_formats() -> None:
    cn = grouping("cn_led", members=("CHN", "RUS", "KAZ"))
    us = grouping("us_led", members=("USA", "RUS", "KAZ"))
    ind = _ind(score(dataset(cn, us), cn, DAY), "unified_purpose")
    assert ind.components[-1].score == 0.0 and ind.score == 0.5
    assert "2 of the 2 member states other than China also sit in US-anchored" in ind.reason


def test_unified_purpose_not_assessable_exactly() -> None:
    g = grouping(members=())
    assert _ind(score(dataset(g), g, DAY), "unified_purpose") == Indicator(
        "unified_purpose",
        UNITY,
        None,
        "not assessable",
        "not assessable: missing members on the date",
        (),
        ("memberships", "attendance records"),
    )


def test_unified_purpose_names_commitments_too_few_to_assess() -> None:
    commitment = {"id": "a", "text": "Do a", "made": "2023-02-16", "delivery": "done"}
    g = grouping(commitments=[{**commitment, "sources": ["s"]}])
    ind = _ind(score(dataset(g), g, DAY), "unified_purpose")
    assert ind.missing == (
        "attendance records",
        "assessed commitments (0 of 1 recorded; 2 needed for a delivery rate)",
    )


def test_unified_purpose_with_one_state_besides_the_anchor() -> None:
    """China and Russia in full, Kazakhstan observing: symmetry 2 / 3 = 0.667."""
    observer = {"participant": "KAZ", "role": "observer", "start": "2020-01-01", "sources": ["s"]}
    cn = grouping("cn_led", members=("CHN", "RUS"), extra_members=[observer])
    us = grouping("us_led", members=("USA", "RUS", "JPN"))
    ind = _ind(score(dataset(cn, us), cn, DAY), "unified_purpose")
    assert ind.components[0] == Component("symmetric_roles", "2 of 3 full members", 0.667)
    assert "1 of the 1 member state other than China also sits in US-anchored" in ind.reason


def test_unified_purpose_rounds_the_rival_share_to_three_places() -> None:
    """One of China's three partner states sits in a US-anchored format: 1 - 1/3."""
    cn = grouping("cn_led", members=("CHN", "RUS", "KAZ", "PAK"))
    us = grouping("us_led", members=("USA", "PAK", "JPN"))
    ind = _ind(score(dataset(cn, us), cn, DAY), "unified_purpose")
    assert ind.components[-1].score == 0.667


def _trade(table_id: str, shares: dict[str, float]) -> CapabilityTable:
    return CapabilityTable(
        id=table_id,
        name="t",
        unit="fraction",
        measure="ratio",
        year=2023,
        scope="test",
        sources=("s",),
        rows=[{"participant": p, "value": v} for p, v in shares.items()],
    )


def test_economic_interdependencies_exactly() -> None:
    """China: mean 0.8 / 3 = 0.267 (score 1 - 0.667), spread 0.15 (score 1 - 0.375); the
    US figures cover one member of three, under the half needed."""
    china = {"JPN": 0.2, "AUS": 0.35, "KOR": 0.25}
    g = grouping(members=("JPN", "AUS", "KOR"))
    tables = {
        "export_share_china": _trade("export_share_china", china),
        "export_share_usa": _trade("export_share_usa", {"JPN": 0.2}),
    }
    assert _ind(score(dataset(g, indicators=tables), g, DAY), "economic_interdependencies") == (
        Indicator(
            "economic_interdependencies",
            "Economic interdependencies",
            0.479,
            "moderate",
            "members trade 27% on average with CHN (spread 15%;"
            " export data for 3 of 3 member states)"
            " (not counted, missing: export_share_usa for AUS and KOR:"
            " export data for 1 of 3 member states, at least 50% needed)",
            (
                Component(
                    "dependence_on_CHN",
                    {
                        "mean": 0.267,
                        "by_member": china,
                        "coverage": 1.0,
                        "with_figures": 3,
                        "member_states": 3,
                    },
                    0.333,
                    ("s",),
                ),
                Component("divergence_on_CHN", 0.15, 0.625, ("s",)),
            ),
            (
                "export_share_usa for AUS and KOR:"
                " export data for 1 of 3 member states, at least 50% needed",
            ),
        )
    )


def test_trade_figures_for_exactly_half_the_members_are_enough() -> None:
    g = grouping(members=("JPN", "AUS", "KOR", "NZL"))
    tables = {"export_share_usa": _trade("export_share_usa", {"JPN": 0.2, "AUS": 0.1})}
    ind = _ind(score(dataset(g, indicators=tables), g, DAY), "economic_interdependencies")
    assert [c.name for c in ind.components] == ["dependence_on_USA", "divergence_on_USA"]
    assert ind.missing == ("trade figures (export_share_china)",)


def test_economic_interdependencies_with_both_powers_inside_exactly() -> None:
    g = grouping(members=("USA", "CHN", "JPN"))
    assert _ind(score(dataset(g), g, DAY), "economic_interdependencies") == Indicator(
        "economic_interdependencies",
        "Economic interdependencies",
        None,
        "not assessable",
        "not assessable: missing an outside power (both the US and China are members)",
        (),
        ("an outside power (both the US and China are members)",),
    )


def test_economic_interdependencies_without_members_exactly() -> None:
    g = grouping(members=())
    assert _ind(score(dataset(g), g, DAY), "economic_interdependencies") == Indicator(
        "economic_interdependencies",
        "Economic interdependencies",
        None,
        "not assessable",
        "not assessable: missing member states on the date",
        (),
        ("memberships",),
    )


def test_a_power_inside_or_short_figures_do_not_stop_the_other_power() -> None:
    usa = _trade("export_share_usa", {"JPN": 0.2, "AUS": 0.1, "KOR": 0.3})
    inside = grouping(members=("CHN", "JPN", "AUS"))  # China inside: only the US counts
    ind = _ind(
        score(dataset(inside, indicators={"export_share_usa": usa}), inside, DAY),
        "economic_interdependencies",
    )
    assert [c.name for c in ind.components] == ["dependence_on_USA", "divergence_on_USA"]
    g = grouping(members=("JPN", "AUS", "KOR"))
    short = {
        "export_share_china": _trade("export_share_china", {"JPN": 0.2}),
        "export_share_usa": usa,
    }
    ind = _ind(score(dataset(g, indicators=short), g, DAY), "economic_interdependencies")
    assert [c.name for c in ind.components] == ["dependence_on_USA", "divergence_on_USA"]
    assert ind.missing == (
        "export_share_china for AUS and KOR:"
        " export data for 1 of 3 member states, at least 50% needed",
    )


def test_economic_interdependencies_on_both_powers() -> None:
    """China figures for two members of three: coverage 0.67."""
    g = grouping(members=("JPN", "AUS", "KOR"))
    tables = {
        "export_share_china": _trade("export_share_china", {"JPN": 0.2, "AUS": 0.3}),
        "export_share_usa": _trade("export_share_usa", {"JPN": 0.2, "AUS": 0.1, "KOR": 0.3}),
    }
    ind = _ind(score(dataset(g, indicators=tables), g, DAY), "economic_interdependencies")
    assert ind.components[0].value["coverage"] == 0.67
    assert ind.reason == (
        "members trade 25% on average with CHN (spread 10%;"
        " export data for 2 of 3 member states); "
        "members trade 20% on average with USA (spread 20%;"
        " export data for 3 of 3 member states)"
    )


# Found by mutation testing (docs/testing.md): strategic clarity read from commitments
# (docs/methodology.md, section 3.1) had only its switch tested, never its answer.


def _commitment(cid: str, target: str | None = None, status: str | None = None) -> dict:
    c: dict[str, object] = {
        "id": cid,
        "text": f"Do {cid}",
        "made": "2023-02-16",
        "delivery": "done",
        "sources": ["c"],
    }
    if target:
        c["target"] = target
    if status:
        c["status"] = [
            {"date": "2023-10-01", "status": status, "evidence": "seen", "sources": ["e"]}
        ]
    return c


CLARITY = "Strategic clarity"


def test_strategic_clarity_by_commitments_exactly() -> None:
    """Two objectives (one with a budget), two working groups, three commitments: two
    with a target date (2 / 3 = 0.667), one delivered and one partly (rate (1 + 0.5) / 2
    = 0.75). Score (1 + 1 + 0.667 + 1 + 1 + 0.75) / 6 = 0.903."""
    g = grouping(
        objectives=[
            {"text": "Deliver X", "budget": "USD 1bn", "sources": ["o"]},
            {"text": "Fund Y", "sources": ["p"]},
        ],
        working_groups=[{"name": "A", "sources": ["w"]}, {"name": "B", "sources": ["w"]}],
        commitments=[
            _commitment("a", "2023-12", "delivered"),
            _commitment("b", "2024-06", "partly_delivered"),
            _commitment("c"),
        ],
    )
    counts = {
        "delivered": 1,
        "partly_delivered": 1,
        "not_delivered": 0,
        "in_progress": 0,
        "superseded": 0,
        "unknown": 1,
    }
    assert _ind(score(dataset(g), g, DAY), "strategic_clarity") == Indicator(
        "strategic_clarity",
        CLARITY,
        0.903,
        "strong",
        "3 recorded commitments, 2 with a target date; 1 delivered and 1 partly delivered"
        " of 2 assessed (rate 75%); 3 recorded in all; 1 unknown; 1 objective with a"
        " budget, 2 working groups",
        (
            Component("objectives", 2, 1.0, ("o", "p")),
            Component("commitments", 3, 1.0, ("c",)),
            Component("commitments_with_target", "2 of 3", 0.667),
            Component("budgets", 1, 1.0),
            Component("working_groups", 2, 1.0, ("w",)),
            Component(
                "delivery_rate",
                {"rate": 0.75, "assessed": 2, "made": 3, "counts": counts},
                0.75,
                ("c", "e"),
            ),
        ),
    )


def test_strategic_clarity_by_commitments_without_objectives_or_assessments() -> None:
    """No objectives: no objectives component (never a free 1); nothing assessed: the
    delivery rate is missing, not zero. Score (1 + 0 + 0 + 1) / 4 = 0.5."""
    g = grouping(
        working_groups=[{"name": "A", "sources": ["w"]}],
        commitments=[_commitment(c) for c in "xyz"],
    )
    lacking = "assessed commitments (0 of 3 recorded; 2 needed for a delivery rate)"
    assert _ind(score(dataset(g), g, DAY), "strategic_clarity") == Indicator(
        "strategic_clarity",
        CLARITY,
        0.5,
        "moderate",
        "3 recorded commitments, 0 with a target date; 3 commitments recorded, none yet"
        " assessed as delivered or not; 3 unknown; 0 objectives with a budget, 1 working"
        f" group (not counted, missing: {lacking})",
        (
            Component("commitments", 3, 1.0, ("c",)),
            Component("commitments_with_target", "0 of 3", 0.0),
            Component("budgets", 0, 0.0),
            Component("working_groups", 1, 1.0, ("w",)),
        ),
        (lacking,),
    )


def test_strategic_clarity_by_commitments_with_budgets_and_no_working_groups() -> None:
    """Two budgeted objectives score 1 (plural); no working group scores 0; one target
    among four commitments is 0.25; nothing assessed, so five components."""
    g = grouping(
        objectives=[
            {"text": "Deliver X", "budget": "USD 1bn", "sources": ["o"]},
            {"text": "Fund Y", "budget": "EUR 2m", "sources": ["o"]},
        ],
        commitments=[_commitment("a", "2025")] + [_commitment(c) for c in "bcd"],
    )
    ind = _ind(score(dataset(g), g, DAY), "strategic_clarity")
    assert ind.components[2:] == (
        Component("commitments_with_target", "1 of 4", 0.25),
        Component("budgets", 2, 1.0),
        Component("working_groups", 0, 0.0),
    )
    assert ind.reason.endswith(
        "; 2 objectives with a budget, 0 working groups (not counted,"
        " missing: assessed commitments (0 of 4 recorded; 2 needed"
        " for a delivery rate))"
    )
    assert ind.score == 0.65  # (1 + 1 + 0.25 + 1 + 0) / 5


# Found by mutation testing (docs/testing.md): economic interdependencies' member filter,
# its caps at 0, its rounding and the not-assessable reason with two gaps.

ECON = "economic_interdependencies"


def test_economic_interdependencies_count_full_member_states_only() -> None:
    """An observer state and a company taking part in full are not members whose trade
    is counted: only Japan and Australia (mean 0.25, spread 0.1)."""
    extra = [
        {"participant": "KOR", "role": "observer", "start": "2020-01-01", "sources": ["s"]},
        {"participant": "acme", "role": "member", "start": "2020-01-01", "sources": ["s"]},
    ]
    g = grouping(members=("JPN", "AUS"), extra_members=extra)
    china = _trade("export_share_china", {"JPN": 0.2, "AUS": 0.3, "KOR": 0.9})
    ind = _ind(score(dataset(g, indicators={"export_share_china": china}), g, DAY), ECON)
    assert ind.components[0] == Component(
        "dependence_on_CHN",
        {
            "mean": 0.25,
            "by_member": {"JPN": 0.2, "AUS": 0.3},
            "coverage": 1.0,
            "with_figures": 2,
            "member_states": 2,
        },
        0.375,
        ("s",),
    )


def test_economic_interdependencies_score_zero_past_the_thresholds() -> None:
    """A mean share of 0.6 and a spread of 0.6, both past 0.4, score 0, never below."""
    g = grouping(members=("JPN", "AUS"))
    china = _trade("export_share_china", {"JPN": 0.3, "AUS": 0.9})
    ind = _ind(score(dataset(g, indicators={"export_share_china": china}), g, DAY), ECON)
    assert [(c.name, c.score) for c in ind.components] == [
        ("dependence_on_CHN", 0.0),
        ("divergence_on_CHN", 0.0),
    ]
    assert (ind.score, ind.label) == (0.0, "weak")


def test_economic_interdependencies_round_to_three_places() -> None:
    """Shares 0.1, 0.2239, 0.15: mean 0.158 (score 1 - 0.395 = 0.605), spread 0.1239 shown
    as 0.124 (score 1 - 0.30975 shown as 0.69)."""
    g = grouping(members=("JPN", "AUS", "KOR"))
    china = _trade("export_share_china", {"JPN": 0.1, "AUS": 0.2239, "KOR": 0.15})
    ind = _ind(score(dataset(g, indicators={"export_share_china": china}), g, DAY), ECON)
    assert ind.components[0].value["mean"] == 0.158 and ind.components[0].score == 0.605
    assert (ind.components[1].value, ind.components[1].score) == (0.124, 0.69)


def test_economic_interdependencies_without_any_trade_table_names_both() -> None:
    g = grouping(members=("JPN", "AUS"))
    ind = _ind(score(dataset(g), g, DAY), ECON)
    assert ind.reason == (
        "not assessable: missing trade figures (export_share_china);"
        " trade figures (export_share_usa)"
    )


# Found by mutation testing (docs/testing.md): unified purpose counts only formats
# anchored by the rival, and an incomplete member list anchors nothing.


def test_unified_purpose_counts_only_formats_anchored_by_the_rival() -> None:
    """India also sits in another US-anchored format and in one anchored by neither: not
    counted. Japan sits in a China-anchored one: 1 of 2, score 0.5."""
    us = grouping("us_led", members=("USA", "IND", "JPN"))
    us2 = grouping("us_two", members=("USA", "IND", "AUS"))
    neither = grouping("neither", members=("IND", "BRA", "ZAF"))
    cn = grouping("cn_led", members=("CHN", "JPN", "RUS"))
    ind = _ind(score(dataset(us, us2, neither, cn), us, DAY), "unified_purpose")
    assert ind.components[-1] == Component(
        "members_in_china_anchored_formats", {"JPN": ["cn_led"]}, 0.5
    )


def test_unified_purpose_of_an_incompletely_listed_grouping_has_no_rival_component() -> None:
    """The record lists 3 of a published 10 members: whether China is among the others is
    unknown, so the grouping is not US-anchored (groupings.anchor_class) and its members
    are not judged by rival formats."""
    g = grouping("partial", member_count={"value": 10, "date": "2020", "sources": ["s"]})
    cn = grouping("cn_led", members=("CHN", "JPN", "RUS"))
    ind = _ind(score(dataset(g, cn), g, DAY), "unified_purpose")
    assert ind.components == (Component("symmetric_roles", "3 of 3 full members", 1.0),)
    assert ind.reason == (
        "3 of 3 participants are full members (not counted, missing: attendance records)"
    )


def test_unified_purpose_ignores_a_rival_format_whose_list_is_incomplete() -> None:
    """China and Japan are listed in a grouping of a published 30: not China-anchored
    (unknown), so Japan is not counted as sitting in a China-anchored format."""
    us = grouping("us_led", members=("USA", "JPN", "AUS"))
    partial = grouping(
        "partial",
        members=("CHN", "JPN"),
        member_count={"value": 30, "date": "2020", "sources": ["s"]},
    )
    ind = _ind(score(dataset(us, partial), us, DAY), "unified_purpose")
    assert ind.components[-1] == Component("members_in_china_anchored_formats", {}, 1.0)


def test_unified_purpose_with_no_member_state_besides_the_anchor() -> None:
    """The United States the one full member (Japan observes): no partner state, so none
    sits with the rival; the share is 0 (scored 1), not a division by zero."""
    observer = {"participant": "JPN", "role": "observer", "start": "2020-01-01", "sources": ["s"]}
    g = grouping(members=("USA",), extra_members=[observer])
    cn = grouping("cn_led", members=("CHN", "JPN"))
    ind = _ind(score(dataset(g, cn), g, DAY), "unified_purpose")
    assert ind.components[-1] == Component("members_in_china_anchored_formats", {}, 1.0)
    assert "0 of the 0 member states other than the United States" in ind.reason


# The coverage rule (docs/methodology.md, economic interdependencies): figures must cover
# half the grouping's member states, counted against the published head-count when the
# record names only some of them; the reason says how many states the score rests on.


def test_paris_call_is_not_assessed_from_the_united_states_alone() -> None:
    """France and the United States are named of 80 states; the United States is inside,
    so only China counts, and only the United States has a figure: 1 of 80."""
    ds = load()
    ind = _ind(score(ds, ds.grouping("paris_call"), dt.date(2026, 12, 2)), ECON)
    expected = (
        "export_share_china for FRA and the 78 member states not named in the record:"
        " export data for 1 of 80 member states (published head-count of 80 states as of"
        " 2021-11-11, 2 named in the record), at least 50% needed"
    )
    assert (ind.score, ind.label, ind.components) == (None, "not assessable", ())
    assert ind.missing == (expected,)
    assert ind.reason == f"not assessable: missing {expected}"


def test_pax_silica_is_not_assessable_with_figures_for_5_of_15() -> None:
    """11 states named of 15 participants published; each unnamed one counts as a state."""
    ds = load()
    ind = _ind(score(ds, ds.grouping("pax_silica"), dt.date(2026, 12, 2)), ECON)
    expected = (
        "export_share_china for ARE, GBR, GRC, ISR, QAT, SGP and the 4 participants not"
        " named in the record: export data for 5 of 15 member states (published head-count"
        " of 15 participants as of 2026-02-20, 11 named in the record), at least 50% needed"
    )
    assert (ind.score, ind.missing) == (None, (expected,))
    assert ind.reason == f"not assessable: missing {expected}"


def _partial(named: dict[str, float], published: int, counts: str = "states"):
    g = grouping(
        "partial",
        members=(*named, "KOR"),
        member_count={"value": published, "date": "2020", "counts": counts, "sources": ["s"]},
    )
    china = _trade("export_share_china", named)
    return _ind(score(dataset(g, indicators={"export_share_china": china}), g, DAY), ECON)


def test_coverage_exactly_at_the_threshold_of_a_published_head_count() -> None:
    """4 states named (3 with figures) of a published 6: 3 of 6 is exactly half."""
    ind = _partial({"JPN": 0.2, "AUS": 0.3, "NZL": 0.1}, 6)
    assert (ind.score, ind.label) == (0.5, "moderate")  # mean 0.2 and spread 0.2: 0.5 each
    assert ind.components[0].value["coverage"] == 0.5
    assert ind.components[0].value["member_states"] == 6
    assert ind.reason == (
        "members trade 20% on average with CHN (spread 20%; export data for 3 of 6 member"
        " states (published head-count of 6 states as of 2020, 4 named in the record))"
        " (not counted, missing: trade figures (export_share_usa))"
    )


def test_coverage_one_state_under_the_threshold_is_not_assessable() -> None:
    """The same 3 figures of a published 7: under half, however complete the named list."""
    ind = _partial({"JPN": 0.2, "AUS": 0.3, "NZL": 0.1}, 7)
    assert (ind.score, ind.label) == (None, "not assessable")
    assert ind.missing[0] == (
        "export_share_china for KOR and the 3 member states not named in the record:"
        " export data for 3 of 7 member states (published head-count of 7 states as of 2020,"
        " 4 named in the record), at least 50% needed"
    )


def test_coverage_over_the_threshold_and_a_head_count_of_participants() -> None:
    """3 figures of a published 5 participants (4 named states, 1 unnamed participant
    counted as a state): 3 of 5, over half."""
    ind = _partial({"JPN": 0.2, "AUS": 0.3, "NZL": 0.1}, 5, counts="participants")
    assert ind.score == 0.5
    assert ind.components[0].value["coverage"] == 0.6
    assert "export data for 3 of 5 member states (published head-count of 5 participants" in (
        ind.reason
    )


def test_one_figure_gives_no_spread() -> None:
    """One state of two with a figure: half, but a spread of one figure is no spread."""
    g = grouping(members=("JPN", "AUS"))
    china = _trade("export_share_china", {"JPN": 0.2})
    ind = _ind(score(dataset(g, indicators={"export_share_china": china}), g, DAY), ECON)
    assert [c.name for c in ind.components] == ["dependence_on_CHN"]
    assert "divergence on CHN (figures for one member state only)" in ind.missing
    assert ind.reason.startswith(
        "members trade 20% on average with CHN (export data for 1 of 2 member states)"
    )
