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
