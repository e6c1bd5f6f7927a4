"""Boundary tests: every date, threshold and total that decides an answer, tested on the
exact day or value where the answer flips (issue 18).

Each of the four bugs that once slipped through the suite has a named test here:

* ``test_store_drops_a_member_on_the_day_its_membership_ends`` — ``end_day > ?`` made
  ``>=`` in the store's member-on-a-date query (Russia active in the G7 on the day of
  its suspension);
* ``test_a_share_exactly_at_the_majority_threshold_is_a_majority`` — ``>=`` made ``>`` on
  the typology's majority threshold;
* ``test_an_all_zero_value_table_is_refused`` (with the store-side guard in
  ``test_zero_and_empty_tables_never_divide_by_zero``) — a ``country,value`` table whose
  values add up to 0;
* ``test_feed_titles_lose_every_character_xml_cannot_carry`` — the feed sanitiser
  returning its input unchanged.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minilat import dataset as _dataset
from minilat.analysis import characteristics, typology
from minilat.capability_csv import CsvProblems, read_capability_csv
from minilat.model import Grouping, Theme
from minilat.store import Store, open_store

ONE_DAY = dt.timedelta(days=1)


@cache
def _shipped() -> _dataset.Dataset:
    return _dataset.load()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("boundaries") / "minilat.db"
    return open_store(path, _dataset.bundled_data_dir())


def _edges(g: Grouping) -> set[dt.date]:
    """The start and end days of ``g``'s periods and memberships, with the day before and
    the day after each: the only days on which ``g``'s members can change."""
    days: set[dt.date] = set()
    for iv in (*g.periods, *g.memberships):
        for edge in (iv.start, iv.end):
            if edge is not None:
                d = edge.first_day()
                days |= {d - ONE_DAY, d, d + ONE_DAY}
    return days


def _boundary_days() -> list[dt.date]:
    """Every start and end day of a membership or period in the shipped data, with the
    day before and the day after each."""
    return sorted(set().union(*(_edges(g) for g in _shipped().groupings.values())))


# ------------------------------------------------------------------ memberships and periods


def test_store_drops_a_member_on_the_day_its_membership_ends(store: Store) -> None:
    """Russia's G7 membership ends on 2014-03-24, the day its suspension starts: a member
    the day before, not on the day (intervals are ``[start, end)``)."""
    day = dt.date(2014, 3, 24)
    before = {r["participant_id"] for r in store.member_rows("g7", day - ONE_DAY)}
    on = {r["participant_id"] for r in store.member_rows("g7", day)}
    assert "RUS" in before
    assert "RUS" not in on
    assert "g7" in store.grouping_ids(member="RUS", as_of=day - ONE_DAY)
    assert "g7" not in store.grouping_ids(member="RUS", as_of=day)


def test_store_answers_equal_the_model_on_every_boundary_day(store: Store) -> None:
    """For every start/end day in the shipped data (and the days either side): the store's
    groupings of five members are the model's ``members_on``; and the store's members of
    each grouping are the model's on every one of that grouping's own boundary days (the
    only days its members can change; every other day is the next test's, and the heavy
    exhaustive one's)."""
    ds = _shipped()
    days = _boundary_days()
    assert len(days) > 300  # the shipped data has many boundaries; this is not vacuous
    own = {g.id: _edges(g) for g in ds.groupings.values()}
    checked = 0
    for day in days:
        by_member: dict[str, set[str]] = {}
        for g in ds.groupings.values():
            expected = {m.participant for m in g.members_on(day)}
            if day in own[g.id]:
                got = {r["participant_id"] for r in store.member_rows(g.id, day)}
                assert got == expected, (g.id, day)
                checked += 1
            for p in expected:
                by_member.setdefault(p, set()).add(g.id)
        for p in ("RUS", "USA", "GBR", "IND", "CHN"):
            got_ids = set(store.grouping_ids(member=p, as_of=day))
            assert got_ids == by_member.get(p, set()), (p, day)
    assert checked == sum(len(d) for d in own.values())


@pytest.mark.heavy
def test_store_answers_equal_the_model_for_every_grouping_on_every_boundary_day(
    store: Store,
) -> None:
    """The exhaustive form: every grouping's members on every boundary day of the whole
    data (about 250,000 queries; `make check` runs it)."""
    ds = _shipped()
    for day in _boundary_days():
        for g in ds.groupings.values():
            expected = {m.participant for m in g.members_on(day)}
            got = {r["participant_id"] for r in store.member_rows(g.id, day)}
            assert got == expected, (g.id, day)


@settings(deadline=None, max_examples=60)
@given(st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_store_answers_equal_the_model_on_any_day(day: dt.date) -> None:
    ds = _shipped()
    store = _memory_store()
    for g in ds.groupings.values():
        expected = {m.participant for m in g.members_on(day)}
        assert {r["participant_id"] for r in store.member_rows(g.id, day)} == expected


@cache
def _memory_store() -> Store:
    return Store.in_memory(_shipped())


def test_periods_and_memberships_hold_on_their_start_day_not_their_end_day() -> None:
    for g in _shipped().groupings.values():
        for iv in (*g.periods, *g.memberships):
            start = iv.start.first_day()
            assert iv.holds_on(start)
            assert not iv.holds_on(start - ONE_DAY)
            if iv.end is not None:
                end = iv.end.first_day()
                assert not iv.holds_on(end)
                assert iv.holds_on(end - ONE_DAY) == (end - ONE_DAY >= start)


# ------------------------------------------------------------------ typology thresholds


def _with_themes(themes: tuple[Theme, ...]) -> Grouping:
    g = next(iter(_shipped().groupings.values()))
    return g.model_copy(update={"themes": g.themes.model_copy(update={"value": themes})})


#: The themes split evenly between two functional areas (nuclear: security and economic,
#: ...): a grouping with one of them alone has exactly MAJORITY in its first area.
EVEN_THEMES = [
    t
    for t in Theme
    if sorted(typology.THEME_AREAS[t].values()) == [0.5, 0.5]
    and typology.GLOBAL not in typology.THEME_AREAS[t]
]


def test_a_share_exactly_at_the_majority_threshold_is_a_majority() -> None:
    """Exactly MAJORITY counts: each of the eight evenly split themes alone gives the
    functional type of its first area, never "multidimensional", and says it was a tie."""
    assert len(EVEN_THEMES) == 8
    ds = _shipped()
    for theme in EVEN_THEMES:
        r = typology.classify_one(ds, _with_themes((theme,)))
        first = next(a for a in typology.AREAS if typology.THEME_AREAS[theme].get(a))
        assert r.area_shares[first] == typology.MAJORITY, theme
        assert r.rule_type == typology._TYPE_OF_AREA[first].value, theme
        # half each over two areas: a tie, said as one, decided by the areas' order
        assert "each; " + first + " comes first in the order" in r.reason, r.reason


def test_just_under_the_majority_threshold_is_not_a_majority() -> None:
    """AI then cyber: shares 0.4 / 0.2 / 0.4 — no majority, multidimensional."""
    themes = (Theme.AI, Theme.CYBER)
    shares = typology._area_shares(themes)
    assert max(shares.values()) == pytest.approx(0.4)
    r = typology.classify_one(_shipped(), _with_themes(themes))
    assert r.rule_type == "multidimensional"
    assert "no area holds a majority" in r.reason


def test_a_lean_exactly_at_its_threshold_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """LEAN and MULTI_LEAN are inclusive: with the threshold set to a grouping's own score
    the lean is reported, a hair above it is not. Cyber then nuclear: security 0.5 (the
    type), digital 0.3, economic 0.2; breadth 0.667."""
    g = _with_themes((Theme.CYBER, Theme.NUCLEAR))
    ds = _shipped()
    r = typology.classify_one(ds, g)
    assert r.rule_type == "security_defence"
    for name, type_id in (("LEAN", "digital_governance"), ("MULTI_LEAN", "multidimensional")):
        score = r.scores[type_id]
        monkeypatch.setattr(typology, name, score)
        assert type_id in typology.classify_one(ds, g).leans, name
        monkeypatch.setattr(typology, name, score + 1e-9)
        assert type_id not in typology.classify_one(ds, g).leans, name


# ------------------------------------------------------------------ size classes


@pytest.mark.parametrize("gid", ["quad", "g7", "chip4", "aukus"])
def test_size_class_flips_exactly_at_each_threshold(gid: str) -> None:
    """With a threshold set at the grouping's own size it falls in the lower class; one
    below, in the next class up."""
    ds = _shipped()
    g = ds.grouping(gid)
    day = dt.date(2024, 6, 1)
    n = characteristics.assess(ds, g, as_of=day).size.value
    assert isinstance(n, int) and n > 0
    R = characteristics.Rules
    cases = [
        (R(bilateral_max=n, minilateral_max=n + 1, plurilateral_max=n + 2), "bilateral"),
        (R(bilateral_max=n - 1, minilateral_max=n, plurilateral_max=n + 1), "minilateral"),
        (R(bilateral_max=n - 2, minilateral_max=n - 1, plurilateral_max=n + 1), "plurilateral"),
        (R(bilateral_max=n - 3, minilateral_max=n - 2, plurilateral_max=n), "plurilateral"),
        (R(bilateral_max=n - 3, minilateral_max=n - 2, plurilateral_max=n - 1), "multilateral"),
    ]
    for rules, label in cases:
        size = characteristics.assess(ds, g, as_of=day, rules=rules).size
        assert size.label == label, (rules, size.label)
        assert size.verdict == (label == "minilateral")


# ------------------------------------------------------------------ zero and empty tables


def test_an_all_zero_value_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zero.csv"
    path.write_text("country,value\nUSA,0\nJPN,0\n")
    with pytest.raises(CsvProblems, match="values add up to 0"):
        read_capability_csv(path, unit="tonnes")


def test_a_value_table_with_one_positive_row_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("country,value\nUSA,0\nJPN,1e-9\n")
    table = read_capability_csv(path, unit="tonnes")
    assert table.shares() == {"USA": 0.0, "JPN": 1.0}


def test_an_empty_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("country,value\n")
    with pytest.raises(CsvProblems, match="no data rows"):
        read_capability_csv(path, unit="tonnes")
    path.write_text("")
    with pytest.raises(CsvProblems, match="empty"):
        read_capability_csv(path, unit="tonnes")


def test_zero_and_empty_tables_never_divide_by_zero(tmp_path: Path) -> None:
    """An all-zero share table is read (its shares are all 0) and the designer says no
    target can be met, rather than dividing by zero."""
    from minilat.analysis import coalition
    from minilat.errors import Infeasible

    path = tmp_path / "zero.csv"
    path.write_text("country,share\nUSA,0\nJPN,0\n")
    table = read_capability_csv(path)
    assert table.shares() == {"USA": 0.0, "JPN": 0.0}
    q = coalition.Question((table,), targets=(0.5,))
    with pytest.raises(Infeasible):
        coalition.design(_shipped(), q)


# ------------------------------------------------------------------ the feed sanitiser


def test_feed_titles_lose_every_character_xml_cannot_carry() -> None:
    from minilat.web.feeds import xml_text

    bad = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
    bad += "\ud800\udfff\ufffe\uffff"
    assert xml_text(bad) == "\ufffd" * len(bad)
    good = "Quad \t\n\r é 中 \U0001f600 <&>"
    assert xml_text(good) == good
    assert xml_text("G7\x00 summit\x1f") == "G7\ufffd summit\ufffd"
