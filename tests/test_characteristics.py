from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from framework_helpers import dataset, grouping
from minilat.analysis.characteristics import RULES, Characteristic, Evidence, Rules, assess
from minilat.dataset import load

DAY = dt.date(2024, 1, 1)
STATES = ("USA", "JPN", "AUS", "IND", "GBR", "FRA", "DEU", "ITA", "CAN", "KOR", "NZL", "BRA")


@pytest.mark.parametrize(
    ("n", "label"),
    [(2, "bilateral"), (3, "minilateral"), (10, "minilateral"), (11, "plurilateral")],
)
def test_size_classes(n: int, label: str) -> None:
    g = grouping(members=STATES[:n])
    a = assess(dataset(g), g, DAY)
    assert a.size.value == n
    assert a.size.label == label
    assert a.is_minilateral is (label == "minilateral")


def test_size_thresholds_are_configurable() -> None:
    g = grouping(members=STATES[:11])
    a = assess(dataset(g), g, DAY, rules=Rules(minilateral_max=12))
    assert a.size.label == "minilateral"


def test_size_counts_states_in_full_roles_only() -> None:
    g = grouping(
        members=("USA", "JPN", "AUS"),
        extra_members=[
            {"participant": "KOR", "role": "observer", "start": "2020-01-01", "sources": ["s"]},
            {"participant": "acme", "role": "member", "start": "2020-01-01", "sources": ["s"]},
        ],
    )
    a = assess(dataset(g), g, DAY)
    assert a.size.value == 3
    assert "1 company" in a.size.reason and "1 observer" in a.size.reason


def test_size_not_assessable_without_members() -> None:
    g = grouping(members=())
    a = assess(dataset(g), g, DAY)
    assert a.size.verdict is None and a.is_minilateral is None
    assert "memberships" in a.size.missing


def test_published_member_count_when_not_enumerated() -> None:
    g = grouping(
        members=("USA", "JPN"),
        member_count={"value": 191, "date": "2024", "sources": ["s"]},
    )
    a = assess(dataset(g), g, dt.date(2024, 6, 1))
    assert a.size.value == 191 and a.size.label == "multilateral"
    assert "2 enumerated" in a.size.reason


def test_a_published_count_of_participants_sets_the_size_too() -> None:
    """The WTO e-commerce initiative names its 3 co-convenors of 76 participants: it is not
    a minilateral of 3 (the size rule ignored counts of participants). Nor is it 76
    full-member states: a count of participants in every role bounds them (3 to 76), so
    the record cannot say whether it is a minilateral (tests/test_size_counts.py)."""
    g = grouping(
        members=("AUS", "JPN", "SGP"),
        member_count={"value": 76, "date": "2019", "counts": "participants", "sources": ["s"]},
    )
    a = assess(dataset(g), g, dt.date(2024, 6, 1))
    assert a.size.bounds == (3, 76) and a.size.verdict is not True and not a.is_minilateral
    assert a.size.label == "minilateral or plurilateral or multilateral"
    assert "76 participants in every role" in a.size.reason and "3 named here" in a.size.reason


@pytest.mark.parametrize(
    ("facts", "label"),
    [
        ({"instrument": "joint_declaration", "secretariat": "none"}, "informal"),
        ({"instrument": "treaty", "secretariat": "permanent", "legal_personality": True}, "formal"),
        (
            {"instrument": "mou", "secretariat": "permanent", "accession": "by_invitation"},
            "semi-formal",
        ),
    ],
)
def test_informality(facts: dict[str, object], label: str) -> None:
    g = grouping(**facts)
    a = assess(dataset(g), g, DAY)
    assert a.informality.label == label
    assert len(a.informality.evidence) == len(facts)


def test_informality_missing_is_reported_not_zero() -> None:
    g = grouping(instrument="treaty")
    a = assess(dataset(g), g, DAY)
    assert a.informality.value is None and a.informality.verdict is None
    assert set(a.informality.missing) == {"secretariat", "legal_personality", "accession"}
    assert a.informality.reason.startswith("not assessable: missing")


def test_informality_score_by_hand() -> None:
    g = grouping(instrument="mou", secretariat="rotating")
    a = assess(dataset(g), g, DAY)
    w = RULES.table("informality_weights")
    expected = (w["instrument"] * 0.75 + w["secretariat"] * 0.75) / (
        w["instrument"] + w["secretariat"]
    )
    assert a.informality.value == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("themes", "label"),
    [
        (["semiconductors", "supply_chains"], "focused"),
        (["semiconductors", "ai", "cyber"], "moderately focused"),
        (["semiconductors", "security", "digital_public_infrastructure", "health"], "broad"),
    ],
)
def test_thematic_focus(themes: list[str], label: str) -> None:
    g = grouping(themes=themes)
    assert assess(dataset(g), g, DAY).thematic_focus.label == label


def test_multi_stakeholder_from_participants_and_channels() -> None:
    plain = grouping()
    assert assess(dataset(plain), plain, DAY).multi_stakeholder.verdict is False
    with_company = grouping(
        extra_members=[
            {"participant": "acme", "role": "partner", "start": "2021", "sources": ["s"]}
        ]
    )
    a = assess(dataset(with_company), with_company, DAY)
    assert a.multi_stakeholder.verdict is True
    assert a.multi_stakeholder.value["non_state_participants"] == ["acme"]
    channel = grouping(
        stakeholder_channels=[
            {"name": "Business Council", "kind": "business", "start": "2025", "sources": ["s"]}
        ]
    )
    assert assess(dataset(channel), channel, DAY).multi_stakeholder.verdict is False  # not yet
    assert assess(dataset(channel), channel, dt.date(2025, 6, 1)).multi_stakeholder.verdict


# ------------------------------------------------------------------ on the bundled data


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.mark.parametrize("gid", ["aukus", "gcap", "chip4", "i2u2", "quad", "g7", "brics"])
def test_article_examples_are_minilaterals(ds, gid: str) -> None:
    a = assess(ds, ds.grouping(gid), dt.date(2025, 6, 1))
    assert a.is_minilateral is True, a.verdict


def test_un_is_multilateral(ds) -> None:
    a = assess(ds, ds.grouping("un"), dt.date(2025, 6, 1))
    assert a.size.label == "multilateral" and a.is_minilateral is False


def test_size_class_changes_on_the_accession_date(ds) -> None:
    """The MSP grew past ten member states; the class flips on the accession date."""
    g = ds.grouping("msp")
    founding = g.founded.first_day()
    states = lambda day: assess(ds, g, day).size.value  # noqa: E731
    assert states(founding) <= RULES.minilateral_max
    joins = sorted({m.start.first_day() for m in g.memberships if m.start.first_day() > founding})
    crossing = next(d for d in joins if states(d) > RULES.minilateral_max)
    before = crossing - dt.timedelta(days=1)
    assert assess(ds, g, before).size.label == "minilateral"
    assert assess(ds, g, crossing).size.label == "plurilateral"


def test_every_bundled_grouping_is_assessed(ds) -> None:
    for g in ds.groupings.values():
        a = assess(ds, g, dt.date(2026, 1, 1))
        assert a.verdict
        for ch in (a.size, a.informality, a.thematic_focus, a.multi_stakeholder):
            assert ch.reason
            if ch.verdict is None:
                assert ch.missing or "not active" in ch.reason


def test_verified_only_leaves_out_unverified_facts() -> None:
    g = grouping(
        instrument="joint_declaration",
        secretariat={"value": "none", "unverified": True, "note": "not stated"},
        accession={"value": "closed", "unverified": True, "note": "not stated"},
    )
    ds = dataset(g)
    assert "unverified" in assess(ds, g, DAY).informality.reason
    a = assess(ds, g, DAY, verified_only=True)
    assert a.informality.verdict is None
    assert "secretariat (unverified)" in a.informality.missing


# ------------------------------------------------------------------ exact answers
# Found by mutation testing (docs/testing.md): the tests above check labels; these check
# every field of a characteristic (value, label, verdict, reason, evidence, missing) on
# hand-worked cases, and each threshold on the exact value where the answer flips.


def _member(code: str, role: str = "member") -> Evidence:
    return Evidence(f"member {code}", role, ("s",), True)


def test_size_exactly_with_observers_and_a_company() -> None:
    g = grouping(
        extra_members=[
            {"participant": "KOR", "role": "observer", "start": "2020-01-01", "sources": ["s"]},
            {"participant": "NZL", "role": "observer", "start": "2020-01-01", "sources": ["s"]},
            {"participant": "acme", "role": "member", "start": "2020-01-01", "sources": ["s"]},
        ],
    )
    assert assess(dataset(g), g, DAY).size == Characteristic(
        "size",
        3,
        "minilateral",
        True,
        "3 full-member states on 2024-01-01 (besides: 1 company, 2 observer); "
        "minilateral is 3 to 10",
        tuple(
            _member(c, r)
            for c, r in [
                ("AUS", "member"),
                ("JPN", "member"),
                ("KOR", "observer"),
                ("NZL", "observer"),
                ("USA", "member"),
                ("acme", "member"),
            ]
        ),
    )


@pytest.mark.parametrize(
    ("n", "reason"),
    [
        (1, "1 full-member state on 2024-01-01; bilateral is at most 2"),
        (2, "2 full-member states on 2024-01-01; bilateral is at most 2"),
        (3, "3 full-member states on 2024-01-01; minilateral is 3 to 10"),
        (11, "11 full-member states on 2024-01-01; plurilateral is 11 to 50"),
    ],
)
def test_size_reason_names_the_count_and_the_band(n: int, reason: str) -> None:
    g = grouping(members=STATES[:n])
    size = assess(dataset(g), g, DAY).size
    assert size.reason == reason
    assert size.evidence == tuple(_member(c) for c in sorted(STATES[:n]))
    assert size.name == "size" and size.missing == ()


def test_size_of_a_published_count_exactly() -> None:
    g = grouping(
        members=("USA", "JPN"),
        member_count={"value": 191, "date": "2024-06-01", "counts": "states", "sources": ["s"]},
    )
    ds = dataset(g)
    day = dt.date(2024, 6, 1)
    assert assess(ds, g, day).size == Characteristic(
        "size",
        191,
        "multilateral",
        False,
        "191 full-member states on 2024-06-01 (published count as of 2024-06-01; "
        "2 enumerated in the dataset); multilateral is more than 50",
        (_member("JPN"), _member("USA"), Evidence("published count", 191, ("s",), True)),
    )
    # the count holds from its own day, not the day before
    before = assess(ds, g, day - dt.timedelta(days=1)).size
    assert (before.value, before.label) == (2, "bilateral")
    assert before.reason == "2 full-member states on 2024-05-31; bilateral is at most 2"


def test_a_published_count_equal_to_the_members_named_adds_nothing() -> None:
    g = grouping(member_count={"value": 3, "date": "2020", "sources": ["s"]})
    size = assess(dataset(g), g, DAY).size
    assert size.value == 3
    assert size.reason == "3 full-member states on 2024-01-01; minilateral is 3 to 10"
    assert size.evidence == (_member("AUS"), _member("JPN"), _member("USA"))


def test_an_unverified_published_count_counts_unless_verified_only() -> None:
    unverified = {"value": 76, "date": "2020", "unverified": True, "note": "not stated"}
    g = grouping(member_count=unverified)
    ds = dataset(g)
    assert assess(ds, g, DAY).size.value == 76
    assert assess(ds, g, DAY, verified_only=True).size.value == 3
    verified = grouping(member_count={"value": 76, "date": "2020", "sources": ["s"]})
    assert assess(dataset(verified), verified, DAY, verified_only=True).size.value == 76


def test_an_unverified_membership_is_left_out_when_verified_only() -> None:
    g = grouping(
        extra_members=[
            {
                "participant": "IND",
                "role": "member",
                "start": "2020-01-01",
                "unverified": True,
                "note": "not stated",
            }
        ]
    )
    ds = dataset(g)
    assert assess(ds, g, DAY).size.value == 4
    assert assess(ds, g, DAY, verified_only=True).size.value == 3


def test_size_of_an_inactive_grouping_exactly() -> None:
    g = grouping(periods=[{"start": "2020-01-01", "end": "2023-01-01", "sources": ["s"]}])
    a = assess(dataset(g), g, DAY)
    assert (a.size.name, a.size.value, a.size.label, a.size.verdict) == (
        "size",
        0,
        "inactive",
        None,
    )
    assert a.size.reason == "not active on 2024-01-01"
    assert a.size.evidence == ()  # no members outside an active period
    assert a.size.missing == ("an active period covering the date",)
    assert a.is_minilateral is None
    assert a.verdict == "not assessable: not active on 2024-01-01"


def test_size_without_members_exactly() -> None:
    g = grouping(members=())
    assert assess(dataset(g), g, DAY).size == Characteristic(
        "size",
        0,
        "unknown",
        None,
        "no full-member states recorded on the date",
        (),
        ("memberships",),
    )


def test_informality_exactly_semi_formal() -> None:
    """mou 0.75 x 0.35 and permanent secretariat 0 x 0.30: 0.2625 / 0.65 = 0.40385."""
    g = grouping(instrument="mou", secretariat="permanent")
    assert assess(dataset(g), g, DAY).informality == Characteristic(
        "informality",
        0.404,
        "semi-formal",
        False,
        "informality score 0.40 from instrument mou (0.75), secretariat permanent (0); "
        "not known: legal_personality, accession",
        (
            Evidence("instrument", "mou", ("s",), True),
            Evidence("secretariat", "permanent", ("s",), True),
        ),
        ("legal_personality", "accession"),
    )


def test_informality_exactly_informal_with_an_unverified_fact() -> None:
    g = grouping(
        instrument="joint_declaration",
        secretariat={"value": "none", "unverified": True, "note": "not stated"},
    )
    inf = assess(dataset(g), g, DAY).informality
    assert (inf.value, inf.label, inf.verdict) == (1.0, "informal", True)
    assert inf.reason == (
        "informality score 1.00 from instrument joint_declaration (1), "
        "secretariat none (1, unverified); not known: legal_personality, accession"
    )
    assert inf.evidence[1] == Evidence("secretariat", "none", (), False)


def test_informality_exactly_formal_with_verified_facts_only() -> None:
    """Verified facts are all kept under ``verified_only``: (0.15 x 1) / 1.0 = 0.15."""
    g = grouping(
        instrument="treaty", secretariat="permanent", legal_personality=True, accession="closed"
    )
    inf = assess(dataset(g), g, DAY, verified_only=True).informality
    assert (inf.value, inf.label, inf.verdict, inf.missing) == (0.15, "formal", False, ())
    assert inf.reason == (
        "informality score 0.15 from instrument treaty (0), secretariat permanent (0), "
        "legal_personality true (0), accession closed (1)"
    )


def test_informality_not_assessable_exactly() -> None:
    g = grouping(instrument="treaty")
    assert assess(dataset(g), g, DAY).informality == Characteristic(
        "informality",
        None,
        "unknown",
        None,
        "not assessable: missing secretariat, legal_personality, accession",
        (Evidence("instrument", "treaty", ("s",), True),),
        ("secretariat", "legal_personality", "accession"),
    )


def test_informality_labels_flip_exactly_at_their_thresholds() -> None:
    """The score 0.404 (above) is informal from 0.404, formal below 0.405."""
    g = grouping(instrument="mou", secretariat="permanent")
    ds = dataset(g)

    def label(**kw: float) -> str:
        return assess(ds, g, DAY, rules=Rules(**kw)).informality.label

    assert label(informal_from=0.404) == "informal"
    assert label(informal_from=0.405) == "semi-formal"
    assert label(formal_below=0.404) == "semi-formal"
    assert label(formal_below=0.405) == "formal"


def test_thematic_focus_exactly() -> None:
    g = grouping(themes=["semiconductors", "supply_chains", "ai"])
    assert assess(dataset(g), g, DAY).thematic_focus == Characteristic(
        "thematic_focus",
        {
            "themes": 3,
            "domains": 2,
            "by_domain": {
                "economic": ["semiconductors", "supply_chains"],
                "frontier_technology": ["ai"],
            },
        },
        "focused",
        True,
        "3 themes in 2 domains (economic: semiconductors, supply_chains; frontier_technology: ai)",
        (Evidence("themes", ["semiconductors", "supply_chains", "ai"], ("s",), True),),
    )


def test_thematic_focus_of_one_theme_is_singular() -> None:
    g = grouping(themes=["ai"])
    assert assess(dataset(g), g, DAY).thematic_focus.reason == (
        "1 theme in 1 domain (frontier_technology: ai)"
    )


ECONOMIC = [
    "semiconductors",
    "critical_minerals",
    "supply_chains",
    "clean_energy",
    "energy_security",
    "digital_trade",
]


@pytest.mark.parametrize(
    ("themes", "rules", "label", "verdict"),
    [
        (ECONOMIC, RULES, "focused", True),  # 6 themes: exactly focused_max_themes
        (ECONOMIC, Rules(focused_max_themes=5), "moderately focused", True),
        ([*ECONOMIC, "ai"], RULES, "moderately focused", True),  # 7 themes, 2 domains
        (["ai", "semiconductors"], Rules(focused_max_domains=2), "focused", True),
        (["ai", "semiconductors"], Rules(focused_max_domains=1), "moderately focused", True),
        (["ai", "semiconductors", "cyber", "health"], RULES, "broad", False),
        (["ai", "semiconductors", "cyber"], Rules(broad_min_domains=3), "broad", False),
    ],
)
def test_thematic_focus_flips_exactly_at_its_thresholds(
    themes: list[str], rules: Rules, label: str, verdict: bool
) -> None:
    g = grouping(themes=themes)
    focus = assess(dataset(g), g, DAY, rules=rules).thematic_focus
    assert (focus.label, focus.verdict) == (label, verdict)


def test_thematic_focus_not_assessable_exactly() -> None:
    g = grouping()
    assert assess(dataset(g), g, DAY).thematic_focus == Characteristic(
        "thematic_focus", None, "unknown", None, "not assessable: missing themes", (), ("themes",)
    )


def test_unverified_themes_count_unless_verified_only() -> None:
    g = grouping(themes={"value": ["ai"], "unverified": True, "note": "not stated"})
    ds = dataset(g)
    assert assess(ds, g, DAY).thematic_focus.label == "focused"
    assert assess(ds, g, DAY, verified_only=True).thematic_focus.label == "unknown"
    verified = grouping(themes=["ai"])
    assert assess(dataset(verified), verified, DAY, verified_only=True).thematic_focus.verdict


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [
        ({"instrument": "joint_declaration", "secretariat": "none"}, True),
        ({"instrument": "treaty", "secretariat": "permanent", "legal_personality": True}, False),
        ({"instrument": "mou", "secretariat": "permanent", "accession": "by_invitation"}, False),
    ],
)
def test_informality_verdicts(facts: dict[str, Any], verdict: bool) -> None:
    g = grouping(**facts)
    assert assess(dataset(g), g, DAY).informality.verdict is verdict
