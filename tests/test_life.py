"""The life of a grouping: statuses derived from the record, pinned on known lives,
explained from their evidence; commitments' delivery and its place in the scorecard."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minilat.analysis.life import (
    LIFE_RULES,
    activities,
    activity_by_year,
    add_months,
    delivery,
    history,
    life,
    standing_body,
)
from minilat.analysis.scorecard import score
from minilat.dataset import Dataset, load
from minilat.model import Grouping, LifeStatus

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load()


def _grouping(**extra: Any) -> Grouping:
    base: dict[str, Any] = {
        "id": "fmt",
        "name": "A Format",
        "periods": [{"start": "2023-02-16", "sources": ["s"]}],
        "memberships": [
            {"participant": p, "role": "founding_member", "start": "2023-02-16", "sources": ["s"]}
            for p in ("USA", "JPN", "KOR")
        ],
        "cadence": {"value": "irregular", "sources": ["s"]},
        "events": [
            {"date": "2023-02-16", "kind": "meeting", "title": "First meeting", "sources": ["s"]}
        ],
    }
    return Grouping.model_validate(base | extra)


def _search(since: str, date: str = "2026-12-02", **extra: Any) -> dict[str, Any]:
    return {
        "date": date,
        "since": since,
        "what": "Meetings and statements",
        "where": ["the official site"],
        "found": "Nothing.",
    } | extra


# ------------------------------------------------------------------ known lives


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2006-01-01", "not_founded"),
        ("2007-06-01", "active"),
        ("2008-03-01", "dormant"),
        ("2012-06-01", "dormant"),
        ("2017-06-01", "dormant"),
        ("2018-06-01", "revived"),
        ("2025-06-01", "active"),
        ("2026-12-02", "active"),
    ],
)
def test_the_quad_lapsed_2008_to_2017_and_lives_after_its_revival(
    ds: Dataset, day: str, status: str
) -> None:
    assert life(ds.grouping("quad"), dt.date.fromisoformat(day)).status == status


def test_the_quads_lapse_is_explained_by_its_period(ds: Dataset) -> None:
    lf = life(ds.grouping("quad"), dt.date(2012, 6, 1))
    assert lf.since == "2008-02-05"
    assert "ended 2008-02-05 as dormant" in lf.explanation
    assert "quad-twocircles-2008-02-05" in lf.explanation
    later = life(ds.grouping("quad"), dt.date(2025, 6, 1))
    assert ("2008-02-05", "2017-11-12") in later.lapses
    assert "lapsed 2008-02-05 to 2017-11-12" in later.explanation


def test_one_meeting_in_2023_and_a_search_since_that_found_nothing_reads_dormant_in_2026() -> None:
    g = _grouping(activity_searches=[_search("2023-03", "2026-05-01")])
    lf = life(g, dt.date(2026, 6, 1))
    assert lf.status == "dormant" and lf.basis == "search"
    assert lf.since == "2023-02"
    assert lf.months_silent == 39
    assert "the last recorded activity was a meeting on 2023-02-16" in lf.explanation
    assert "irregular cadence" in lf.explanation and "dormant after 24 months" in lf.explanation
    # an irregular cadence is not said to be "expected every 12 months"
    assert "no fixed rhythm" in lf.explanation and "expected every" not in lf.explanation
    assert "Searched on 2026-05-01 for activity since 2023-03" in lf.explanation
    assert lf.search is not None and lf.search["date"] == "2026-05-01"
    assert life(g, dt.date(2024, 6, 1)).status == "active"


def test_one_meeting_in_2023_and_no_search_reads_unknown_not_dormant() -> None:
    g = _grouping()
    lf = life(g, dt.date(2026, 6, 1))
    assert lf.status == "unknown" and lf.basis == "no_record"
    assert lf.label == "unknown (not enough record to say)"
    assert lf.since == "2023-02"
    assert lf.explanation.startswith("unknown since 2023-02: not enough record to say")
    assert "no conclusive search" in lf.explanation
    assert not lf.alive
    assert life(g, dt.date(2024, 6, 1)).status == "active"


@pytest.mark.parametrize(
    ("search", "status"),
    [
        (_search("2024-06"), "dormant"),  # 30 months searched, 24 allowed
        (_search("2025-01"), "unknown"),  # 23 months searched: too short to read
        (_search("2024-01", "2026-05-01"), "dormant"),  # an older search still reads it
        (_search("2023-03", conclusive=False), "unknown"),  # says it cannot show silence
        (_search("2023-03", "2024-12-01"), "unknown"),  # ends before the silence is long
    ],
)
def test_only_a_conclusive_search_longer_than_the_allowed_silence_reads_dormant(
    search: dict[str, Any], status: str
) -> None:
    assert life(_grouping(activity_searches=[search]), TODAY).status == status


def test_chip4_is_dormant_and_its_search_explains_the_silence(ds: Dataset) -> None:
    lf = life(ds.grouping("chip4"), TODAY)
    assert lf.status == "dormant" and lf.since == "2023-02"
    assert lf.search is not None and lf.search["date"] == "2026-12-02"
    assert "Searched on 2026-12-02 for activity since 2024-01" in lf.explanation


def test_a_dissolved_grouping_reads_ended(ds: Dataset) -> None:
    lf = life(ds.grouping("cocom"), TODAY)
    assert lf.status == "ended"
    assert lf.since == "1994-04-01" and "dissolved" in lf.explanation


def test_a_searched_silence_inside_a_period_then_a_meeting_reads_revived() -> None:
    g = _grouping(
        events=[
            {"date": "2023-02-16", "kind": "meeting", "title": "First", "sources": ["s"]},
            {"date": "2026-03-01", "kind": "summit", "title": "Back", "sources": ["s"]},
        ],
        activity_searches=[_search("2023-03", "2025-12-01")],
    )
    lf = life(g, TODAY)
    assert lf.status == "revived" and lf.since == "2026-03-01"
    assert lf.lapses == (("2025-02-17", "2026-03-01"),)
    assert life(g, dt.date(2029, 6, 1)).status == "unknown"  # no search after 2026
    steps = [(c.date, c.status) for c in history(g, dt.date(2030, 1, 1))]
    assert steps == [
        ("2023-02-16", "active"),
        ("2025-02-17", "dormant"),
        ("2026-03-01", "revived"),
        ("2028-03-02", "unknown"),
    ]


def test_an_unsearched_silence_then_a_meeting_is_a_gap_not_a_lapse() -> None:
    g = _grouping(
        events=[
            {"date": "2023-02-16", "kind": "meeting", "title": "First", "sources": ["s"]},
            {"date": "2026-03-01", "kind": "summit", "title": "Back", "sources": ["s"]},
        ]
    )
    lf = life(g, TODAY)
    assert lf.status == "active" and lf.lapses == ()
    assert lf.gaps == (("2025-02-17", "2026-03-01"),)
    assert "not read as a lapse" in lf.explanation
    assert life(g, dt.date(2025, 6, 1)).status == "unknown"
    steps = [(c.date, c.status) for c in history(g, dt.date(2027, 1, 1))]
    assert steps == [
        ("2023-02-16", "active"),
        ("2025-02-17", "unknown"),
        ("2026-03-01", "active"),
    ]


def test_withdrawals_are_not_activity() -> None:
    g = _grouping(
        events=[
            {"date": "2023-02-16", "kind": "meeting", "title": "First", "sources": ["s"]},
            {"date": "2026-01-01", "kind": "withdrawal", "title": "KOR leaves", "sources": ["s"]},
        ],
        activity_searches=[_search("2023-03")],
    )
    assert life(g, TODAY).status == "dormant"
    assert all(a.kind != "withdrawal" for a in activities(g))


def test_the_override_is_shown_beside_the_rule_never_instead() -> None:
    g = _grouping(
        status_override={
            "status": "active",
            "rationale": "Meets in private.",
            "since": "2025",
            "sources": ["s"],
        },
        activity_searches=[_search("2023-03")],
    )
    lf = life(g, TODAY)
    assert lf.status == "dormant"
    assert lf.override is not None and lf.override["status"] == "active"
    assert lf.disagrees
    assert life(g, dt.date(2024, 6, 1)).override is None  # before its `since`


def test_quad_history_names_the_lapse_and_the_revival(ds: Dataset) -> None:
    steps = {(c.date, c.status) for c in history(ds.grouping("quad"), TODAY)}
    assert ("2008-02-05", "dormant") in steps
    assert ("2017-11-12", "revived") in steps


# ------------------------------------------------ every shipped status is explained


def test_every_shipped_status_is_explained_from_its_record(ds: Dataset) -> None:
    for g in ds.groupings.values():
        lf = life(g, TODAY)
        assert lf.status in {s.value for s in LifeStatus}, g.id
        assert lf.explanation.startswith(lf.status.replace("not_founded", "not yet")), g.id
        for s in lf.sources:
            assert s in ds.sources, (g.id, s)
            assert s in lf.explanation, (g.id, s)
        if lf.status in ("active", "revived", "dormant") and lf.last_activity:
            assert lf.last_activity["date"] in lf.explanation, g.id
            recorded = {a.date for a in activities(g)}
            assert lf.last_activity["date"] in recorded, g.id
        if lf.status == "dormant" and lf.search is None:
            assert "No search for later activity is recorded" in lf.explanation, g.id
        assert sum(activity_by_year(g, TODAY).values()) >= 1, g.id


# ------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=8, unique=True),
    st.integers(min_value=0, max_value=5000),
    st.booleans(),
)
def test_silent_exactly_when_past_the_threshold_and_dormant_only_if_searched(
    offsets: list[int], probe: int, searched: bool
) -> None:
    start = dt.date(2010, 1, 1)
    days = sorted(start + dt.timedelta(days=o) for o in offsets)
    g = _grouping(
        periods=[{"start": start.isoformat(), "sources": ["s"]}],
        memberships=[],
        events=[
            {"date": d.isoformat(), "kind": "meeting", "title": f"m{i}", "sources": ["s"]}
            for i, d in enumerate(days)
        ],
        # a search over the whole span: the record is complete, so every silence is read
        activity_searches=[_search("2010-01-01", "2030-01-01")] if searched else [],
    )
    day = start + dt.timedelta(days=probe)
    last = max(d for d in [start, *days] if d <= day)
    limit = LIFE_RULES.dormant_after("irregular")
    status = life(g, day).status
    silent = day > add_months(last, limit)
    assert (status == ("dormant" if searched else "unknown")) == silent, (days, day, status)
    assert status != ("unknown" if searched else "dormant"), (days, day, status)
    assert searched or life(g, day).lapses == ()


# ------------------------------------------------------------------ delivery


def _commitment(cid: str, *statuses: tuple[str, str], target: str | None = None) -> dict[str, Any]:
    return {
        "id": cid,
        "text": f"Do {cid}",
        "made": "2023-02-16",
        "target": target,
        "delivery": "done",
        "sources": ["s"],
        "status": [
            {"date": d, "status": s, "evidence": "shown", "sources": ["s"]} for d, s in statuses
        ],
    }


def test_the_delivery_rate_shows_its_denominator() -> None:
    g = _grouping(
        commitments=[
            _commitment("a", ("2024-01", "delivered")),
            _commitment("b", ("2024-01", "partly_delivered")),
            _commitment("c", ("2025-02", "not_delivered"), target="2024"),
            _commitment("d", ("2024-01", "in_progress"), target="2025"),
            _commitment("e"),
        ]
    )
    d = delivery(g, TODAY)
    assert (d.made, d.assessed) == (5, 3)
    assert d.rate == pytest.approx((1 + 0.5) / 3, abs=1e-3)
    assert d.overdue == 1  # d: in progress past its 2025 deadline
    assert "of 3 assessed" in d.summary and "1 unknown" in d.summary
    early = delivery(g, dt.date(2023, 6, 1))
    assert early.rate is None and early.counts["unknown"] == 5


def test_delivery_feeds_the_scorecard_where_it_is_better_evidence(ds: Dataset) -> None:
    commitments = [
        _commitment("a", ("2024-01", "delivered"), target="2024"),
        _commitment("b", ("2024-01", "not_delivered"), target="2023"),
        _commitment("c"),
    ]
    with_them = _grouping(commitments=commitments)
    card = {i.name: i for i in score(ds, with_them, TODAY).indicators}
    unity = {c.name: c for c in card["unified_purpose"].components}
    assert unity["delivery_rate"].score == 0.5
    clarity = {c.name: c for c in card["strategic_clarity"].components}
    assert clarity["commitments_with_target"].score == pytest.approx(2 / 3, abs=1e-3)
    assert clarity["delivery_rate"].score == 0.5
    one = _grouping(commitments=commitments[:1])
    card1 = {i.name: i for i in score(ds, one, TODAY).indicators}
    assert "delivery_rate" not in {c.name for c in card1["unified_purpose"].components}
    assert any("assessed commitments" in m for m in card1["unified_purpose"].missing)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=10, unique=True),
    st.integers(min_value=0, max_value=6000),
)
def test_history_names_every_change(offsets: list[int], probe: int) -> None:
    """The status on any day is the one of the latest change in `history` on or before it."""
    start = dt.date(2008, 1, 1)
    g = _grouping(
        periods=[
            {"start": "2008-01-01", "end": "2011-01-01", "end_reason": "dormant", "sources": ["s"]},
            {"start": "2013-06-01", "sources": ["s"]},
        ],
        memberships=[],
        events=[
            {"date": d.isoformat(), "kind": "meeting", "title": f"m{i}", "sources": ["s"]}
            for i, d in enumerate(sorted(start + dt.timedelta(days=o) for o in offsets))
            if not dt.date(2011, 1, 1) <= d < dt.date(2013, 6, 1)
        ],
    )
    end = dt.date(2026, 12, 31)
    changes = history(g, end)
    day = start + dt.timedelta(days=probe)
    latest = [c for c in changes if dt.date.fromisoformat(c.date) <= day]
    assert latest, day
    assert life(g, day).status == latest[-1].status, (day, changes)
    assert all(a.status != b.status for a, b in itertools.pairwise(changes))


# ------------------------------------- gaps in the record are not gaps in life (review)


def test_the_g7_never_lapsed_since_1975(ds: Dataset) -> None:
    g = ds.grouping("g7")
    lf = life(g, TODAY)
    assert lf.status == "active" and lf.lapses == ()
    assert "lapsed" not in lf.explanation and "not read as lapses" in lf.explanation
    steps = history(g, TODAY)
    assert {c.status for c in steps} <= {"active", "unknown"}
    assert all(life(g, dt.date(y, 7, 1)).status != "dormant" for y in range(1976, 2027))


def test_the_un_is_not_revived(ds: Dataset) -> None:
    g = ds.grouping("un")
    for day in (TODAY, dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2019, 1, 1)):
        lf = life(g, day)
        assert lf.status == "active" and lf.lapses == (), (day, lf.status)
    assert "revived" not in life(g, TODAY).explanation
    assert [c.status for c in history(g, TODAY)] == ["not_founded", "active"]


@pytest.mark.parametrize("gid", ["imf", "iter", "wassenaar", "pesco", "f35_partnership"])
def test_standing_bodies_read_active_through_a_silent_record(ds: Dataset, gid: str) -> None:
    lf = life(ds.grouping(gid), TODAY)
    assert lf.status == "active" and lf.basis == "standing_body", lf.explanation
    assert lf.label == "active (standing body)"
    assert lf.explanation.startswith("active (standing body): it has ")
    assert "no sourced end or suspension" in lf.explanation
    assert lf.lapses == ()


def test_imf_and_iter_are_active_as_standing_bodies(ds: Dataset) -> None:
    imf = life(ds.grouping("imf"), TODAY)
    assert imf.label == "active (standing body)" and "a permanent secretariat" in imf.explanation
    assert "legal personality (unverified)" in imf.explanation  # the record marks it so
    iter_ = life(ds.grouping("iter"), TODAY)
    assert iter_.label == "active (standing body)" and "legal personality," in iter_.explanation
    # ITER's search found nothing after November 2024: shown, but a standing body's silence
    # in the record is not dormancy
    assert "Searched on 2026-12-02" in iter_.explanation


@pytest.mark.parametrize("gid", ["rcep", "usmca"])
def test_rcep_and_usmca_are_not_dormant_from_an_unsearched_gap(ds: Dataset, gid: str) -> None:
    g = ds.grouping(gid)
    # the gap is unsearched, or searched only without a conclusive search (usmca's search
    # for its 2026 joint review): either way, no search that can show a silence covers it
    assert not any(s.conclusive for s in g.activity_searches)
    lf = life(g, TODAY)
    assert lf.status != "dormant" and lf.status == "active"
    assert all(c.status != "dormant" for c in history(g, TODAY))


def test_a_standing_body_ends_only_by_a_sourced_end() -> None:
    g = _grouping(
        secretariat={"value": "permanent", "sources": ["s"]},
        periods=[
            {"start": "2023-02-16", "end": "2026-01", "end_reason": "dormant", "sources": ["s"]}
        ],
        activity_searches=[_search("2023-03")],
    )
    assert life(g, dt.date(2025, 6, 1)).label == "active (standing body)"
    lf = life(g, TODAY)
    assert lf.status == "dormant" and lf.basis == "period"


def test_a_non_standing_grouping_is_never_active_by_default() -> None:
    g = _grouping(secretariat={"value": "rotating", "sources": ["s"]})
    assert standing_body(g) is None
    assert life(g, TODAY).status == "unknown"
    treaty = _grouping(instrument={"value": "treaty", "sources": ["s"]})
    assert standing_body(treaty) == "a founding treaty"
    assert life(treaty, TODAY).status == "active"


@pytest.mark.parametrize("gid", ["mtcr", "nsg"])
def test_a_search_that_says_it_cannot_show_silence_reads_unknown(ds: Dataset, gid: str) -> None:
    g = ds.grouping(gid)
    assert g.activity_searches and not any(s.conclusive for s in g.activity_searches)
    assert "not evidence of inactivity" in g.activity_searches[-1].found
    lf = life(g, TODAY)
    assert lf.status == "unknown" and "not conclusive" in lf.explanation


def test_dormant_in_the_shipped_data_always_rests_on_a_search_or_a_sourced_end(
    ds: Dataset,
) -> None:
    for g in ds.groupings.values():
        for day in (TODAY, dt.date(2015, 1, 1), dt.date(2000, 1, 1)):
            lf = life(g, day)
            if lf.status == "dormant":
                assert lf.basis in ("search", "period"), (g.id, day)
                assert lf.basis == "period" or (lf.search and lf.search["conclusive"]), g.id
            if lf.status == "revived":
                assert lf.lapses, (g.id, day)


def test_a_records_reading_kept_across_dates_gives_the_same_life_as_read_afresh(
    ds: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """life() reads a grouping's record once (its activities, lapses and silences do not
    depend on the date): the answers on every date are those of a fresh reading, and a
    grouping with the same id but another record is read for itself."""
    from minilat.analysis import life as life_module

    days = [dt.date(y, m, 1) for y in (2005, 2010, 2018, 2026) for m in (1, 7)]
    kept = {(g.id, d): life(g, d) for g in ds.groupings.values() for d in days}
    calls: list[str] = []
    real = life_module.activities
    monkeypatch.setattr(life_module, "activities", lambda g: calls.append(g.id) or real(g))
    monkeypatch.setattr(life_module, "_records", type(life_module._records)())
    fresh = {(g.id, d): life(g, d) for g in ds.groupings.values() for d in days}
    assert fresh == kept
    assert len(calls) == len(ds.groupings)  # once per grouping, not once per date
    quiet = _grouping()  # one meeting in 2023
    busy = _grouping(
        events=[
            {"date": f"{y}-03-01", "kind": "meeting", "title": "Meeting", "sources": ["s"]}
            for y in range(2023, 2027)
        ]
    )
    assert quiet.id == busy.id
    assert life(quiet, TODAY).last_activity != life(busy, TODAY).last_activity
    assert life(busy, TODAY) == life_module._life(busy, TODAY, LIFE_RULES, *_fresh_record(busy))


def _fresh_record(g: Grouping) -> tuple[Any, Any, Any]:
    from minilat.analysis import life as life_module

    acts = activities(g)
    silences = life_module._silences(g, acts, LIFE_RULES)
    return acts, life_module._lapses(g, acts, LIFE_RULES, silences), silences
