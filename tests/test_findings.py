"""The findings sentences that open the grouping and country pages (web/findings.py).

Three mistakes new-user reviews found, and that these tests pin down:

- role-blind: a change of role, a suspension or a withdrawal was taken for a join
  (the G7's "latest to join" was Russia, by its withdrawal);
- date-leaking: a page as of a date named members and events from after it;
- role-merging: partners, associates and observers were counted, named and coloured as
  members (BRICS "20 members" where ``minilat members`` gives 10 and 10 partners).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset, load
from minilat.web import create_app, findings

JSON = {"accept": "application/json"}


@functools.cache
def _ds() -> Dataset:
    return load()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("findings")
    data = os.environ.get("MINILAT_DATA")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "suggestions.db"))
        app = create_app(tmp / "store.db", Path(data) if data else None)
        with TestClient(app, raise_server_exceptions=False) as c:
            yield c


def _joiner_sentence(lines: list[str]) -> str:
    return next(s for s in lines if "on record by" in s)


@pytest.mark.parametrize(
    ("url", "wrong", "right"),
    [
        # a withdrawal, a suspension and a change of role are not joins
        ("/groupings/g7", "Russia", "European Union (1977)"),
        ("/groupings/f35_partnership", "Türkiye", None),
        ("/groupings/sco", "Afghanistan", "Laos (2025, as a partner)"),
        # nothing after the page's date
        ("/groupings/pax_silica?as_of=2025-12-20", "Greece", "none has joined since"),
        ("/groupings/cern?as_of=2000-01-01", "Ireland", None),
    ],
)
def test_latest_to_join(client: TestClient, url: str, wrong: str, right: str | None) -> None:
    lines = client.get(url, headers=JSON).json()["findings"]
    sentence = _joiner_sentence(lines)
    assert "the latest to join" in sentence or "none has joined" in sentence
    assert wrong not in sentence
    if right:
        assert right in sentence


@pytest.mark.parametrize(
    ("url", "year"),
    [("/groupings/pax_silica?as_of=2025-12-20", 2025), ("/groupings/cern?as_of=2000-01-01", 1999)],
)
def test_no_later_event_or_member(client: TestClient, url: str, year: int) -> None:
    text = " ".join(client.get(url, headers=JSON).json()["findings"])
    years = [int(y) for y in re.findall(r"\((\d{4})\b", text)]
    assert years and max(years) <= year, text


def test_not_yet_founded_says_so(client: TestClient) -> None:
    lines = client.get("/groupings/pax_silica?as_of=2025-01-01", headers=JSON).json()["findings"]
    assert lines[0] == "Pax Silica was not yet founded on 2025-01-01."
    assert not any("latest to join" in s for s in lines)


def test_country_latest_is_a_join_up_to_the_date(client: TestClient) -> None:
    lines = client.get("/countries/RUS?as_of=2010-01-01", headers=JSON).json()["findings"]
    last = next(s for s in lines if "first recorded participation" in s)
    # nothing named after 2010 (Russia's later spells, suspensions and withdrawals)
    assert all(int(y) <= 2010 for y in re.findall(r"\((\d{4})\b", last)), last


def test_hedging_index_rounds_like_the_cli(client: TestClient, run: Any) -> None:
    """Indices on a 0-1 scale read the same on both faces: 2 decimals (0.36, not 0.4)."""
    html = client.get("/countries/AUS?as_of=2024-07-01").text
    page = client.get("/countries/AUS?as_of=2024-07-01", headers=JSON).json()
    h = page["profile"]["result"]["alignment"]["hedging_index"]
    assert f"{h:.2f}" != f"{h:.1f}"  # a value where the two roundings differ
    cli = run("country", "AUS", "--as-of", "2024-07-01").output
    assert f"hedging index {h:.2f}" in cli
    assert f"<strong>{h:.2f}</strong>" in html
    assert any(f"hedging index {h:.2f} on a scale" in s for s in page["findings"])


# ------------------------------------------------------------------- property tests

_DATE = re.compile(r"\b(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\b")


def _named_dates(text: str, d: dict[str, Any], ds: Dataset) -> list[dt.date]:
    """The dates a finding names, leaving out quoted titles and names (an event titled
    "Strategy to 2035" names no date of a fact)."""
    quoted = [e["title"] for e in d.get("events") or []]
    quoted += [m["name"] for m in d["membership_history"]]
    quoted += [g.name for g in ds.groupings.values()] + [d.get("name_as_of", "")]
    for q in sorted(filter(None, quoted), key=len, reverse=True):
        text = text.replace(q, "")
    return [dt.date(int(y), int(m or 1), int(dd or 1)) for y, m, dd in _DATE.findall(text)]


def _expected_joiners(g: Any, day: dt.date) -> tuple[set[str], dt.date | None]:
    """An oracle from the model: among participants in an active role on ``day``, those
    whose first active spell (started by ``day``) started latest."""
    first: dict[str, dt.date] = {}
    for m in g.memberships:
        if m.active_role and m.start.first_day() <= day:
            s = m.start.first_day()
            first[m.participant] = min(first.get(m.participant, s), s)
    taking = {m.participant for m in g.memberships if m.active_role and m.holds_on(day)}
    starts = {p: s for p, s in first.items() if p in taking}
    if not starts:
        return set(), None
    last = max(starts.values())
    return {p for p, s in starts.items() if s == last}, last


_IDS = sorted(_ds().groupings)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gid=st.sampled_from(_IDS),
    day=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2027, 12, 31)),
)
def test_grouping_findings_know_only_the_past(gid: str, day: dt.date) -> None:
    ds = _ds()
    g = ds.grouping(gid)
    d = _groupings.detail(ds, g, day)
    lines = findings.grouping(d)
    for s in lines:
        assert all(x <= day for x in _named_dates(s, d, ds)), (s, day)
    joiners, last = _expected_joiners(g, day)
    said = [s for s in lines if "on record by" in s]
    if not joiners:
        assert not any("latest to join" in s for s in said)
        return
    assert last is not None
    (sentence,) = said
    if last <= g.founded.first_day():
        assert "none has joined since the founding" in sentence
        return
    names = sorted(ds.participant(p).name for p in joiners)
    assert f"the latest to join: {findings._names(names)} ({last.year}" in sentence, sentence


_STATES = sorted(
    p
    for p in {m.participant for g in _ds().groupings.values() for m in g.memberships}
    if _ds().participant(p).is_state
)


@settings(max_examples=150, deadline=None)
@given(
    code=st.sampled_from(_STATES),
    day=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2027, 12, 31)),
)
def test_country_findings_know_only_the_past(code: str, day: dt.date) -> None:
    ds = _ds()
    history = [
        {
            "grouping": g.id,
            "role": m.role.value,
            "start": m.start.iso(),
            "end": m.end.iso() if m.end else None,
        }
        for g in ds.groupings.values()
        for m in g.memberships
        if m.participant == code
    ]
    history.sort(key=lambda r: (r["start"], r["grouping"]))
    d = {"name": "X", "as_of": day.isoformat(), "groupings_now": [], "membership_history": history}
    names = {gid: f"G-{i}" for i, gid in enumerate(sorted(ds.groupings))}
    for s in findings.country(d, names):
        years = [int(y) for y in re.findall(r"\((\d{4})\b", s)]
        assert all(y <= day.year for y in years), (s, day)


# -------------------------------------------------------- unverified, on the web too


def _row(html: str, start: str) -> str:
    i = html.index(start)
    return html[i : html.index("</tr>", i)]


def test_an_unverified_membership_keeps_its_sources_and_its_mark(client: TestClient) -> None:
    """Russia in the Global Partnership is unverified but sourced: both show."""
    html = client.get("/groupings/global_partnership_wmd").text
    row = _row(html, 'href="/countries/RUS"')
    assert 'class="cite"' in row or "fn-" in row, row
    assert "unverified" in row


def test_the_country_page_marks_an_unverified_membership(client: TestClient) -> None:
    d = client.get("/countries/RUS", headers=JSON).json()
    marked = [g["id"] for g in d["groupings_now"] if not g["verified"]]
    assert "global_partnership_wmd" in marked
    html = client.get("/countries/RUS").text
    assert "unverified" in _row(html, 'href="/groupings/global_partnership_wmd"')
    assert "unverified" not in _row(html, 'href="/groupings/brics"')


# ------------------------------------------------------- members are full members only

_COUNTED = re.compile(
    r"grouping of (no full members|(\d+) members?)"
    r"((?:(?:, | and )\d+ (?:partners?|associates?|observers?))*) as of"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gid=st.sampled_from(_IDS),
    day=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2027, 12, 31)),
)
def test_findings_count_members_as_the_members_listing_does(gid: str, day: dt.date) -> None:
    """The findings' member count is the number of full members ``members`` gives on the
    date; partners, associates and observers are counted apart, by role, and never named
    among the member states."""
    ds = _ds()
    g = ds.grouping(gid)
    d = _groupings.detail(ds, g, day)
    listing = _groupings.members(ds, g, day)
    lines = findings.grouping(d)
    by_role = {
        plural: sum(1 for m in listing["members"] if m["role"] == role)
        for role, plural in findings.OTHER_ROLES.items()
    }
    counts = findings.role_counts(d["members"])
    assert counts["members"] == listing["full_members"]
    assert counts["member_states"] == listing["states"]
    assert {k: counts[k] for k in by_role} == by_role
    if day < g.founded.first_day():
        return
    match = _COUNTED.search(lines[0])
    assert match, lines[0]
    said = int(match.group(2) or 0)
    assert said == listing["full_members"], lines[0]
    others = dict.fromkeys(by_role, 0)
    for n, word in re.findall(r"(\d+) (partner|associate|observer)", match.group(3)):
        others[word + "s"] = int(n)
    assert others == by_role, lines[0]
    full_states = [
        m for m in listing["members"] if m["role"] in findings.FULL_ROLES and m["kind"] == "state"
    ]
    named = next((s for s in lines if s.startswith("Its member states: ")), None)
    if 0 < len(full_states) <= 12:
        assert named == f"Its member states: {findings._who(full_states)}.", named
    else:
        assert named is None, named


@pytest.mark.parametrize(
    ("gid", "members", "others"),
    [
        ("brics", 10, {"partner": 10}),
        ("sco", 10, {}),
        ("cern", 25, {}),
        ("coe_ai_convention", 0, {}),
        ("global_cbpr", 9, {"associate": 2}),
    ],
)
def test_pages_count_and_colour_roles_apart(
    client: TestClient, gid: str, members: int, others: dict[str, int]
) -> None:
    """The reviewed pages: the head line, the findings and the map all count full members
    as members, and colour, key and title the other roles by their role."""
    url = f"/groupings/{gid}?as_of=2026-12-02"
    d = client.get(url, headers=JSON).json()
    listing = client.get(f"/api/v1/groupings/{gid}/members?as_of=2026-12-02").json()
    assert d["counts"]["members"] == listing["full_members"] == members
    for role, n in others.items():
        assert d["counts"][role + "s"] == n
    rows = {r["iso3"]: r for r in d["map"]["rows"]}
    fills = {}
    for m in listing["members"]:
        if m["participant"] not in rows:
            continue
        row = rows[m["participant"]]
        want = "member" if m["role"] in findings.FULL_ROLES else m["role"]
        assert row["value"] == want, (m, row)
        fills.setdefault(want, set()).add(row["fill"])
    assert all(len(f) == 1 for f in fills.values())
    if len(fills) > 1:
        assert len({f for fs in fills.values() for f in fs}) == len(fills)
    assert {k["label"] for k in d["map"]["legend"]} >= set(fills)
    html = client.get(url).text
    head = f"{members} member{'s' if members != 1 else ''}"
    assert f"· {head}" in html
    # the table of everyone taking part is not headed as members only
    mixed = listing["count"] > listing["full_members"]
    table = "Members and other participants" if mixed else "Members"
    assert f'<h2 id="members-h">{table} as of 2026-12-02</h2>' in html
    for m in listing["members"]:
        if m["participant"] in rows and m["role"] not in findings.FULL_ROLES:
            assert f"<title>{rows[m['participant']]['name']}: {m['role']}</title>" in html


# ------------------------------------------------ the opening sentence adds up (review)

#: How the opening sentence names each class of the alignment, and the class it names.
_CLASS_WORDS = {
    "anchored by the US": "us_anchored",
    "by China": "china_anchored",
    "with both": "both",
    "with neither": "neither",
    "with the leading side unknown (member list incomplete)": "unknown",
}
_OPENING = re.compile(r"takes part in (\d+) groupings? as of [\d-]+(?: \(([^)]*)\))?(?:: (.*))?\.$")


def _counted(text: str) -> dict[str, int]:
    """``15 anchored by the US, 3 by China and 4 with …`` → {phrase: number}."""
    out: dict[str, int] = {}
    for part in re.split(r", | and (?=\d)", text):
        n, _, words = part.partition(" ")
        assert n.isdigit(), (part, text)
        out[words] = int(n)
    return out


def _states_taking_part() -> list[str]:
    from minilat.analysis import countries as _countries

    ds, day = _ds(), dt.date.today()
    return sorted(c for c in ds.states() if _countries.taking_part(ds, c, day))


def test_the_country_openings_add_up(client: TestClient) -> None:
    """India "takes part in 35 groupings …: 15 anchored by the US, 3 by China, 7 with both
    and 6 with neither" (31): the four with the leading side unknown went unsaid. For
    every state with a grouping, the groups the opening sentence names sum to the total it
    states, and so do the classes and roles in the JSON the page and the API serve."""
    codes = _states_taking_part()
    assert len(codes) > 100
    for code in codes:
        d = client.get(f"/countries/{code}", headers=JSON).json()
        assert client.get(f"/api/v1/countries/{code}").json()["findings"] == d["findings"]
        m = _OPENING.search(d["findings"][0])
        assert m, d["findings"][0]
        total = int(m[1])
        assert total == len(d["groupings_now"]), code
        if m[2]:  # the roles, when some are not full membership
            roles = re.findall(r"\ban? (\w+) of (\d+)", m[2])
            assert sum(int(n) for _, n in roles) == total, (code, m[2])
        a = d["profile"]["result"]["alignment"]
        assert sum(a[k] for k in _CLASS_WORDS.values()) == total, code
        said = _counted(m[3])
        assert set(said) <= set(_CLASS_WORDS), said
        assert sum(said.values()) == total, (code, d["findings"][0])
        assert all(a[_CLASS_WORDS[w]] == n for w, n in said.items()), code


#: The opening's state words each life status allows ("Is it alive?" on the same page).
_LIFE_ALLOWS = {
    "active": {"active"},
    "revived": {"active"},
    "dormant": {"dormant"},
    "ended": {"ended"},
    "unknown": set(),
    "not_founded": set(),
}
_STATE_WORDS = {"active", "dormant", "ended", "revived", "unknown"}


def _opening_words(first: str, name: str) -> set[str]:
    """The state words the opening sentence gives the grouping, before "grouping of"."""
    assert first.startswith(name), (first, name)
    head = first[len(name) :].split(" grouping of ", 1)[0]
    return set(re.findall(r"[a-z]+", head)) & _STATE_WORDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gid=st.sampled_from(_IDS),
    day=st.one_of(
        st.just(dt.date(2026, 12, 2)),
        st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2027, 12, 31)),
    ),
)
def test_the_opening_never_contradicts_the_life_reading(gid: str, day: dt.date) -> None:
    """The opening's word for the grouping's state is the page's "Is it alive?" reading:
    the Chip 4, dormant since 2023-02 by its record, was called "an active grouping"
    because the opening read the status (inside its periods) instead."""
    ds = _ds()
    d = _groupings.detail(ds, ds.grouping(gid), day)
    first = findings.grouping(d)[0]
    life = d["life"]["status"]
    if "not yet founded" in first:
        assert life == "not_founded", (first, life)
        return
    words = _opening_words(first, d["name_as_of"])
    assert words <= _LIFE_ALLOWS[life], (first, life)
    if life == "dormant" and d["life"].get("since"):
        assert f"no recorded activity since {d['life']['since']}" in first, first
    if life == "unknown":
        assert "unknown" in first and "active grouping" not in first, first


@pytest.mark.parametrize(("gid", "since"), [("chip4", "2023-02"), ("ttc", "2024-04")])
def test_a_dormant_grouping_opens_as_dormant(client: TestClient, gid: str, since: str) -> None:
    d = client.get(f"/groupings/{gid}?as_of=2026-12-02", headers=JSON).json()
    assert d["life"]["status"] == "dormant"
    first = d["findings"][0]
    assert " is a dormant " in first and "active" not in first, first
    assert f"no recorded activity since {since}" in first, first


def _assessed(gid: str, day: dt.date) -> dict[str, Any]:
    """The grouping page's dict with its characteristics and scorecard, as the page has it."""
    from minilat.analysis import characteristics, scorecard

    ds = _ds()
    g = ds.grouping(gid)
    d = _groupings.detail(ds, g, day)
    d["assessments"] = {
        "characteristics": {"result": characteristics.assess(ds, g, day).to_dict()},
        "scorecard": {"result": scorecard.score(ds, g, day).to_dict()},
    }
    return d


@pytest.mark.parametrize("day", [dt.date(2012, 1, 1), dt.date(2026, 12, 2)])
def test_not_assessable_and_assessed_are_never_both_said(day: dt.date) -> None:
    """One reading per page: the Quad of 2012 said "Not assessable: not active on
    2012-01-01" and then "3 of the 5 policy indicators can be assessed; it scores strongly
    on …". A grouping not active on the date has no indicator assessed, and a verdict that
    cannot be given says what it is about (whether it is a minilateral), never bare."""
    for gid in _IDS:
        d = _assessed(gid, day)
        lines = findings.grouping(d)
        text = " ".join(lines)
        bare = [s for s in lines if s.lower().startswith("not assessable")]
        assessed = "can be assessed" in text and "None of its" not in text
        assert not (bare and assessed), (gid, day, lines)
        sc = d["assessments"]["scorecard"]["result"]
        if not _ds().grouping(gid).active_on(day):
            assert sc["assessable"] == 0 and sc["overall"] is None, (gid, day, sc["summary"])
            assert not assessed and "scores strongly" not in text, (gid, day, lines)
        if sc["assessable"] == 0:
            assert "scores strongly" not in text and not assessed, (gid, day, lines)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/groupings/quad?as_of=2012-01-01", "not active on 2012-01-01"),
        ("/groupings/coe_ai_convention?as_of=2026-12-02", "no full-member states"),
    ],
)
def test_the_page_reads_one_way(client: TestClient, url: str, says: str) -> None:
    d = client.get(url, headers=JSON).json()
    text = " ".join(d["findings"])
    assert f"Whether it is a minilateral is not assessable: {says}" in text, text
    assert not [s for s in d["findings"] if s.startswith("Not assessable")], text
    html = client.get(url).text
    if "2012" in url:
        assert d["assessments"]["scorecard"]["result"]["assessable"] == 0
        assert "scores strongly" not in text and "0 of 5 indicators assessable" in html
