"""Every listing agrees with the record (issue 11): for random dates and countries,
``groupings --member C --as-of D`` (CLI, API, web) is exactly the set of groupings whose
``members --as-of D`` contain C, and every count shown counts what its label says.

The dates drawn include every boundary day of the shipped data (the first day of each
membership and period, and the day each ends), where an off-by-one hides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from minilat.analysis import groupings as _groupings
from minilat.cli import cli
from minilat.dataset import Dataset, load
from minilat.model import FULL_ROLES
from minilat.store import Store, open_store

DS: Dataset = load()
TODAY = dt.date.today()


def _boundaries(ds: Dataset) -> list[dt.date]:
    days: set[dt.date] = set()
    for g in ds.groupings.values():
        for iv in (*g.memberships, *g.periods):
            days.add(iv.start.first_day())
            if iv.end is not None:
                days.add(iv.end.first_day())
                days.add(iv.end.first_day() - dt.timedelta(days=1))
    return sorted(d for d in days if dt.date(1900, 1, 1) <= d <= TODAY)


BOUNDARIES = _boundaries(DS)
PARTICIPANTS = sorted({m.participant for g in DS.groupings.values() for m in g.memberships})
DATES = st.one_of(
    st.sampled_from(BOUNDARIES), st.dates(min_value=dt.date(1945, 1, 1), max_value=TODAY)
)


def _expected(code: str, day: dt.date) -> list[str]:
    """From the model alone: the groupings whose members on ``day`` include ``code``."""
    return sorted(
        g.id for g in DS.groupings.values() if any(m.participant == code for m in g.members_on(day))
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_store(tmp_path_factory.mktemp("agree") / "store.db")


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    from minilat.web import create_app

    with TestClient(create_app(store.path)) as c:
        yield c


@pytest.fixture(scope="module")
def cli_run(store: Store) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(store.path), *args], catch_exceptions=False)

    return run


def test_russia_is_not_listed_in_the_g7_today(cli_run: Callable[..., Result]) -> None:
    """The bug that started it: suspended in 2014, withdrawn since, still listed."""
    now = json.loads(cli_run("groupings", "--member", "RUS", "--json").output)
    assert "g7" not in [g["id"] for g in now["groupings"]]
    ever = json.loads(cli_run("groupings", "--member", "RUS", "--ever", "--json").output)
    assert "g7" in [g["id"] for g in ever["groupings"]]
    assert "ever taken part" in ever["title"] and "as of" in now["title"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(PARTICIPANTS), day=DATES)
def test_the_store_filter_is_the_model_members(store: Store, code: str, day: dt.date) -> None:
    assert sorted(store.grouping_ids(member=code, as_of=day)) == _expected(code, day)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(PARTICIPANTS))
def test_ever_is_any_day_of_an_active_role(store: Store, code: str) -> None:
    ever = {
        g.id
        for g in DS.groupings.values()
        for m in g.memberships
        if m.participant == code and m.active_role
    }
    assert set(store.grouping_ids(member=code)) == ever


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(PARTICIPANTS), day=DATES)
def test_cli_listing_equals_cli_members(
    cli_run: Callable[..., Result], code: str, day: dt.date
) -> None:
    """``groupings --member C --as-of D`` against ``members G --as-of D`` for every G."""
    got = json.loads(cli_run("groupings", "--member", code, "--as-of", str(day), "--json").output)
    listed = sorted(g["id"] for g in got["groupings"])
    assert got["count"] == len(listed)
    assert listed == _expected(code, day)
    for gid in listed[:5]:  # and the other command agrees, on the listed ones
        m = json.loads(cli_run("members", gid, "--as-of", str(day), "--json").output)
        assert code in [r["participant"] for r in m["members"]]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(PARTICIPANTS), day=DATES)
def test_api_listing_equals_api_members(client: TestClient, code: str, day: dt.date) -> None:
    r = client.get("/api/v1/groupings", params={"member": code, "as_of": str(day), "limit": 500})
    assert r.status_code == 200, r.text
    body = r.json()
    listed = sorted(g["id"] for g in body["groupings"])
    assert body["total"] == len(listed) == body["count"]
    assert listed == _expected(code, day)
    for gid in listed[:3]:
        members = client.get(f"/api/v1/groupings/{gid}/members", params={"as_of": str(day)})
        assert code in [m["participant"] for m in members.json()["members"]]


@settings(max_examples=60, deadline=None)
@given(gid=st.sampled_from(sorted(DS.groupings)), day=DATES)
def test_every_count_counts_what_it_says(gid: str, day: dt.date) -> None:
    g = DS.groupings[gid]
    s = _groupings.summary(DS, g, day)
    current = g.members_on(day)
    full = [m for m in current if m.role in FULL_ROLES]
    assert s["participants"] == len(current) == len(_groupings.members(DS, g, day)["members"])
    assert s["full_members"] == len(full)
    assert s["other_participants"] == len(current) - len(full)
    assert s["states"] == sum(1 for m in full if DS.participant(m.participant).is_state)


@settings(max_examples=80, deadline=None)
@given(gid=st.sampled_from(sorted(DS.groupings)), day=DATES)
def test_states_means_the_same_in_members_and_in_the_listing(gid: str, day: dt.date) -> None:
    """``states`` is the states among the full members in both shapes (CERN once read 37
    in ``members`` and 25 in ``groupings``); ``states_any_role`` is the other number."""
    g = DS.groupings[gid]
    m = _groupings.members(DS, g, day)
    s = _groupings.summary(DS, g, day)
    assert m["states"] == s["states"]
    assert m["full_members"] == s["full_members"]
    assert m["states_any_role"] == sum(1 for r in m["members"] if r["kind"] == "state")
    assert m["states"] <= m["states_any_role"] <= m["count"] == s["participants"]


def test_cern_states_are_its_full_member_states_in_cli_and_api(
    cli_run: Callable[..., Result],
) -> None:
    day = "2024-01-01"
    d = json.loads(cli_run("members", "cern", "--as-of", day, "--json").output)
    listed = json.loads(cli_run("groupings", "--as-of", day, "--json").output)
    cern = next(g for g in listed["groupings"] if g["id"] == "cern")
    assert d["states"] == cern["states"] < d["states_any_role"] <= d["count"]
    assert "states_any_role" in d["counts_note"]


def test_the_quad_counts_four_full_members_and_the_listing_says_so(
    cli_run: Callable[..., Result],
) -> None:
    d = json.loads(cli_run("groupings", "--search", "quad", "--json").output)
    quad = next(g for g in d["groupings"] if g["id"] == "quad")
    assert (quad["full_members"], quad["states"]) == (4, 4)
    assert "full members" in d["counts_note"]


def test_active_on_is_a_hidden_alias_of_as_of(cli_run: Callable[..., Result]) -> None:
    a = json.loads(cli_run("groupings", "--as-of", "2015-01-01", "--json").output)
    b = json.loads(cli_run("groupings", "--active-on", "2015-01-01", "--json").output)
    assert a["groupings"] == b["groupings"]
    assert "--active-on" not in cli_run("groupings", "--help").output
    both = cli_run("groupings", "--ever", "--as-of", "2015-01-01")
    assert both.exit_code == 2


def test_web_list_page_and_api_agree(client: TestClient) -> None:
    api = client.get("/api/v1/groupings", params={"member": "RUS", "limit": 500}).json()
    page = client.get(
        "/groupings", params={"member": "RUS", "limit": 500}, headers={"accept": "application/json"}
    ).json()
    assert [g["id"] for g in api["groupings"]] == [g["id"] for g in page["groupings"]]
    assert "g7" not in [g["id"] for g in api["groupings"]]
    ever = client.get("/api/v1/groupings", params={"member": "RUS", "ever": "true", "limit": 500})
    assert "g7" in [g["id"] for g in ever.json()["groupings"]]
    html = client.get("/groupings", params={"member": "RUS"}).text
    assert "takes part in as of" in html and "Partners" in html


# ------------------------------------------------------- lists the record knows are partial

STATES = [p for p in PARTICIPANTS if DS.participant(p).is_state]


def _partial(day: dt.date) -> set[str]:
    """From the model alone: groupings active on ``day`` with a published head-count above
    what the record enumerates at the head-count's date."""
    out = set()
    for g in DS.groupings.values():
        mc = g.member_count
        if mc is None or not g.active_on(day):
            continue
        at = max(mc.date.first_day(), g.founded.first_day())
        named = [
            m
            for m in g.members_on(at)
            if mc.counts == "participants" or (m.full and DS.participant(m.participant).is_state)
        ]
        if mc.value > len(named):
            out.add(g.id)
    return out


def test_a_partial_list_says_so() -> None:
    """The Paris Call publishes 80 states and the record names a few: its members listing
    must say it is incomplete; the Quad's must not."""
    day = dt.date(2024, 1, 1)
    paris = _groupings.members(DS, DS.grouping("paris_call"), day)["enumeration"]
    assert paris is not None and paris["published"] == 80 and paris["listed"] < 80
    assert "Incomplete list" in paris["text"] and "80" in paris["text"]
    assert _groupings.members(DS, DS.grouping("quad"), day)["enumeration"] is None
    assert _groupings.detail(DS, DS.grouping("quad"), day)["enumeration"] is None


@settings(max_examples=80, deadline=None)
@given(gid=st.sampled_from(sorted(DS.groupings)), day=DATES)
def test_the_incomplete_notice_is_exactly_the_partial_lists(gid: str, day: dt.date) -> None:
    g = DS.groupings[gid]
    e = _groupings.enumeration(DS, g, day)
    assert (e is not None) == (gid in _partial(day))
    s = _groupings.summary(DS, g, day)
    assert s["complete_list"] == (e is None)
    assert s["published_count"] == (None if e is None else g.member_count.value)  # type: ignore[union-attr]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(STATES), day=DATES)
def test_a_member_listing_names_the_lists_that_may_hold_it(
    cli_run: Callable[..., Result], client: TestClient, code: str, day: dt.date
) -> None:
    """``groupings --member C`` counts the groupings that list C, and names apart (never
    counted) every partial list that does not: the CLI, the API and the country profile
    agree with the model."""
    got = json.loads(cli_run("groupings", "--member", code, "--as-of", str(day), "--json").output)
    listed = {g["id"] for g in got["groupings"]}
    maybe = {r["grouping"] for r in got["incomplete_lists"]}
    assert maybe == _partial(day) - set(_expected(code, day))
    assert not maybe & listed
    api = client.get("/api/v1/groupings", params={"member": code, "as_of": str(day), "limit": 500})
    assert {r["grouping"] for r in api.json()["incomplete_lists"]} == maybe
    from minilat.analysis.groupings import not_listing

    assert {r["grouping"] for r in not_listing(DS, code, day, listed)} == maybe


def test_the_cli_warns_of_partial_lists(cli_run: Callable[..., Result]) -> None:
    out = cli_run("members", "paris_call", "--as-of", "2024-01-01").output
    assert "Incomplete list" in out and "80" in out
    assert "Incomplete list" not in cli_run("members", "quad").output
    listing = cli_run("groupings", "--member", "BRA", "--as-of", "2024-01-01").output
    assert "Not counted" in listing and "paris_call" in listing
    themed = json.loads(
        cli_run(
            "groupings", "--member", "BRA", "--as-of", "2024-01-01", "--theme", "space", "--json"
        ).output
    )
    assert "paris_call" not in {r["grouping"] for r in themed["incomplete_lists"]}
