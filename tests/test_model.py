from __future__ import annotations

import datetime as dt

import pytest

from minilat.dataset import load
from minilat.model import FuzzyDate, Membership, Precision, Role


@pytest.mark.parametrize(
    ("text", "precision", "first"),
    [
        ("1975", Precision.YEAR, dt.date(1975, 1, 1)),
        ("1975-11", Precision.MONTH, dt.date(1975, 11, 1)),
        ("1975-11-15", Precision.DAY, dt.date(1975, 11, 15)),
    ],
)
def test_fuzzy_date_precision(text: str, precision: Precision, first: dt.date) -> None:
    d = FuzzyDate.parse(text)
    assert d.precision is precision
    assert d.first_day() == first
    assert d.iso() == text


@pytest.mark.parametrize("bad", ["", "75", "1975-13", "2023-02-30", "2023/01/01", "soon"])
def test_fuzzy_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        FuzzyDate.parse(bad)


def test_interval_is_half_open() -> None:
    m = Membership(
        participant="RUS", role=Role.MEMBER, start="1998", end="2014-03-24", sources=("x",)
    )
    assert m.holds_on(dt.date(2014, 3, 23))
    assert not m.holds_on(dt.date(2014, 3, 24))
    assert not m.holds_on(dt.date(1997, 12, 31))


def test_members_follow_periods_and_roles(mini_dir) -> None:
    ds = load(mini_dir)
    alpha = ds.grouping("alpha")
    on = lambda d: sorted(m.participant for m in alpha.members_on(d))  # noqa: E731
    assert on(dt.date(2011, 6, 1)) == ["JPN", "USA"]
    assert on(dt.date(2013, 6, 1)) == []  # dormant between periods
    assert on(dt.date(2018, 1, 1)) == ["JPN", "KOR", "TWN", "USA", "acme"]
    verified = sorted(
        m.participant for m in alpha.members_on(dt.date(2018, 1, 1), verified_only=True)
    )
    assert "TWN" not in verified


def test_suspended_and_withdrawn_do_not_count(mini_dir) -> None:
    beta = load(mini_dir).grouping("beta")
    ids = lambda d: {m.participant for m in beta.members_on(d)}  # noqa: E731
    assert "RUS" in ids(dt.date(2014, 3, 23))
    assert "RUS" not in ids(dt.date(2014, 3, 24))
    assert "RUS" not in ids(dt.date(2020, 1, 1))


def test_lookup_by_acronym_and_alias(mini_dir) -> None:
    ds = load(mini_dir)
    assert ds.grouping("AG").id == "alpha"
    assert ds.grouping("the alpha format").id == "alpha"


# ------------------------------------------------------------ found by mutation testing
# (docs/testing.md): each test below kills mutants of minilat.model that survived.


def test_fuzzy_date_errors_name_the_bad_text() -> None:
    for text, says in (
        ("2024/01", "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2024-13", "has no month 13"),
        ("2023-02-30", "is not a real day"),
    ):
        with pytest.raises(ValueError) as e:
            FuzzyDate.parse(text)
        assert repr(text) in str(e.value) and says in str(e.value)


def test_fuzzy_dates_order_by_first_day_then_year_before_month_or_day() -> None:
    y, m, d = FuzzyDate.parse("2024"), FuzzyDate.parse("2024-01"), FuzzyDate.parse("2024-01-01")
    assert y < m and y < d and not m < y and not d < y
    assert not y < y and not m < m
    assert y <= y and y <= m and m <= m and not m <= y
    assert FuzzyDate.parse("2023-12-31") < y and not y < FuzzyDate.parse("2023-12-31")
    assert FuzzyDate.parse("2023-12-31") <= y and not y <= FuzzyDate.parse("2023-12-31")
    assert FuzzyDate.__le__(y, "2024") is NotImplemented


def test_a_date_field_reads_dates_years_and_strings() -> None:
    from minilat.model import Commitment

    made = Commitment(id="x", text="t", made=dt.date(2021, 3, 4), delivery="d").made
    assert (made.year, made.month, made.day) == (2021, 3, 4)
    assert Commitment(id="x", text="t", made=2021, delivery="d").made == FuzzyDate.parse("2021")
    with pytest.raises(ValueError, match=r"1\.5 is not a date \(use YYYY"):
        Commitment(id="x", text="t", made=1.5, delivery="d")


def test_a_day_field_refuses_a_partial_date_by_name() -> None:
    from minilat.model import Source

    with pytest.raises(ValueError, match=r"'2024-05' must be a full day \(YYYY-MM-DD\)"):
        Source(id="s", title="t", publisher="p", url="https://e.org", accessed="2024-05")


def test_commitment_status_on_its_day_and_before() -> None:
    from minilat.model import Commitment, CommitmentStatus, StatusAssessment

    a = StatusAssessment(
        date="2024-05-01", status=CommitmentStatus.DELIVERED, evidence="e", sources=("s",)
    )
    c = Commitment(id="x", text="t", made="2021", delivery="d", status=(a,))
    assert c.status_on(dt.date(2024, 5, 1)) == a
    assert c.status_on(dt.date(2024, 4, 30)) is None
    assert (
        Commitment(id="x", text="t", made="2021", delivery="d").status_on(dt.date(2030, 1, 1))
        is None
    )


def test_existed_by_includes_the_founding_day() -> None:
    g = load().grouping("quad")
    first = g.founded.first_day()
    assert g.existed_by(first) and not g.existed_by(first - dt.timedelta(days=1))


def test_value_of_and_shares_respect_verified_only_and_regions() -> None:
    from minilat.model import CapabilityRow, CapabilityTable, Measure

    t = CapabilityTable(
        id="t", name="T", unit="u", measure=Measure.VALUE, year=2024, scope="s",
        sources=("s",),
        rows=(
            CapabilityRow(participant="USA", value=2.0),
            CapabilityRow(participant="JPN", value=1.0, unverified=True),
            CapabilityRow(participant="region:rest", value=1.0),
        ),
    )  # fmt: skip
    assert t.value_of("USA") == 2.0 and t.value_of("JPN") == 1.0
    assert t.value_of("JPN", verified_only=True) is None
    assert t.value_of("USA", verified_only=True) == 2.0
    assert t.value_of("CHN") is None
    assert t.shares() == {"USA": 0.5, "JPN": 0.25}
    assert t.shares(verified_only=True) == {"USA": 0.5}
