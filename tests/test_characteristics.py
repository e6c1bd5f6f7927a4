from __future__ import annotations

import datetime as dt

import pytest

from framework_helpers import dataset, grouping
from minilat.analysis.characteristics import RULES, Rules, assess
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
    a minilateral of 3 (the size rule ignored counts of participants)."""
    g = grouping(
        members=("AUS", "JPN", "SGP"),
        member_count={"value": 76, "date": "2019", "counts": "participants", "sources": ["s"]},
    )
    a = assess(dataset(g), g, dt.date(2024, 6, 1))
    assert a.size.value == 76 and a.size.label != "minilateral"
    assert "published count of participants" in a.size.reason and "3 enumerated" in a.size.reason


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
