"""One "N of M" per grouping and date, in every face (review of 2 December).

A grouping whose member list is incomplete in the record (a published head-count above
the members named) shows "N of M": N the members it names in the roles the head-count
covers, M the head-count. The listing once counted every full member (companies and the
EU in the Paris Call's "7 of 80") against a head-count of states, while the members
listing and a country's page said "2 of 80". The property: for every such grouping and
date, the "N of M" of ``groupings``, ``members``, ``country`` (CLI, text and JSON), the
API and the web table are one string, from one function.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset, load
from test_groupings_table import _rows

DS: Dataset = load()
TODAY = dt.date.today()
#: the groupings with a published head-count (the only ones that can be incomplete)
COUNTED = sorted(g.id for g in DS.groupings.values() if g.member_count is not None)


def _dates(gid: str) -> st.SearchStrategy[dt.date]:
    g = DS.groupings[gid]
    return st.dates(min_value=g.founded.first_day(), max_value=TODAY)


CASES = st.sampled_from(COUNTED).flatmap(lambda gid: st.tuples(st.just(gid), _dates(gid)))


def test_paris_call_reads_two_of_eighty_everywhere(run80: Callable[..., Result]) -> None:
    """The case of the review: 7 full members (5 of them companies or the EU) against a
    head-count of 80 states read "7 of 80" in the listing."""
    day = "2024-01-01"
    rows = json.loads(run80("groupings", "--as-of", day, "--json").output)["groupings"]
    row = next(r for r in rows if r["id"] == "paris_call")
    assert row["full_members"] > 2 and row["named_of_published"] == "2 of 80"
    text = run80("groupings", "--as-of", day).output
    assert re.search(r"│ paris_call .*│\s+2 of 80", text), text
    assert "7 of 80" not in text
    assert _groupings.OF_NOTE.split(";")[0] in " ".join(text.split())


def _not_in(gid: str, day: dt.date) -> str | None:
    """A state the record does not list in ``gid`` on ``day`` (its country page names
    the grouping among those that may hold it)."""
    inside = {m.participant for m in DS.groupings[gid].memberships if m.holds_on(day)}
    return next((c for c in ("BRA", "IND", "ZAF", "NGA", "IDN") if c not in inside), None)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=CASES)
def test_one_n_of_m_in_every_face(
    run80: Callable[..., Result], bundled_client: TestClient, case: tuple[str, dt.date]
) -> None:
    gid, day = case
    g = DS.groupings[gid]
    expected = _groupings.named_of_published(_groupings.enumeration(DS, g, day))
    shown: dict[str, str | None] = {}
    listing = json.loads(run80("groupings", "--as-of", str(day), "--json").output)
    row = next((r for r in listing["groupings"] if r["id"] == gid), None)
    if row is not None:
        shown["groupings --json"] = row["named_of_published"]
        text = run80("groupings", "--as-of", str(day), "--search", gid).output
        line = next(x for x in text.splitlines() if x.startswith("┃"))
        at = [h.strip() for h in line.strip("┃").split("┃")].index("members")
        # the cell's lines joined: "10 of 39 reported in 2023" wraps at 80 columns
        cell = re.match(r"\d+ of \d+(?: reported in \d{4})?", _rows(text)[gid][at])
        shown["groupings"] = cell.group(0) if cell else None
        api = bundled_client.get(
            "/api/v1/groupings", params={"as_of": str(day), "limit": 500}
        ).json()
        shown["api"] = next(r for r in api["groupings"] if r["id"] == gid)["named_of_published"]
        page = bundled_client.get("/groupings", params={"as_of": str(day), "q": gid}).text
        m = re.search(
            rf'href="/groupings/{gid}".*?<td class="num">(?:<span[^>]*>)?([^<]+)<', page, re.S
        )
        shown["web"] = m.group(1) if m and " of " in m.group(1) else None
    members = json.loads(run80("members", gid, "--as-of", str(day), "--json").output)
    enum = members["enumeration"]
    shown["members --json"] = enum and enum["named_of_published"]
    code = _not_in(gid, day)
    if code is not None and expected is not None:
        country = json.loads(run80("country", code, "--as-of", str(day), "--json").output)
        maybe = {r["grouping"]: r["named_of_published"] for r in country["incomplete_lists"]}
        shown[f"country {code}"] = maybe.get(gid)
        text = " ".join(run80("country", code, "--as-of", str(day)).output.split())
        found = re.search(rf"{gid} \((\d+ of \d+(?: reported in \d{{4}})?)\)", text)
        shown[f"country {code} text"] = found.group(1) if found else None
    assert shown and all(v == expected for v in shown.values()), (expected, shown)
