"""The members cell never counts a participant twice, and an "N of M" before its
head-count's date says the year M was reported in (newcomer review of 2 December).

1. Where a grouping's published head-count covers every role (``counts: participants``),
   N already counts the partners: the listing read "hiroshima_ai_process 15 of 49 + 7
   partners" (and the site "15 of 49 | Partners 7") while ``minilat members`` listed 15
   participants, 8 full members and 7 partners. The cell now reads "15 of 49 = 8 + 7
   partners". The property, over every grouping and several dates, in the CLI, the API
   and the site: the participants the cell counts never sum to more than ``members``
   lists, and N is the count of named participants in the roles the head-count covers.
2. As of 2013, "ccdcoe (10 of 39)" set ten members against a head-count published in
   2023: every face now says "10 of 39 reported in 2023" wherever the date shown is
   before the head-count's own.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from starlette.testclient import TestClient

from conftest import cli_at
from minilat import store as _store
from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset, load
from test_groupings_table import _rows

DS: Dataset = load()
TODAY = dt.date.today()
#: before and after the head-counts' dates (2015 to 2024), and today
DATES = [
    dt.date(2005, 1, 1),
    dt.date(2013, 1, 1),
    dt.date(2019, 6, 30),
    dt.date(2023, 6, 1),
    dt.date(2024, 6, 1),
    TODAY,
]

#: "N of M", "reported in YYYY", "= F", "+ P partner(s)": the parts of a members cell
_CELL = re.compile(
    r"(?:(?P<n>\d+) of (?P<m>\d+)(?: reported in (?P<year>\d{4}))?|(?P<full>\d+))"
    r"(?: = (?P<parts>\d+))?(?: \+ (?P<partners>\d+) partners?)?"
)


@pytest.fixture(scope="module")
def wide(bundled_store: _store.Store) -> Callable[..., Result]:
    """The CLI over the bundled store, wide enough for every cell on one line."""
    return cli_at(bundled_store, 400)


def _check(gid: str, day: dt.date, cell: str, partners_column: int | None = None) -> None:
    """The cell's counts against what ``members`` lists on ``day``: never more than its
    participants, never a number added to one that already counts it; N of M like with
    like, with the head-count's year where it is later than ``day``."""
    g = DS.groupings[gid]
    listed = _groupings.members(DS, g, day)
    m = _CELL.fullmatch(cell)
    assert m, (gid, day, cell)
    partners = int(m["partners"]) if m["partners"] else partners_column or 0
    if m["parts"] is not None:
        # "N of M = F + P partners": F and P are the parts of N, not added to it
        assert int(m["n"]) == int(m["parts"]) + partners, (gid, day, cell)
        counted = int(m["n"])
    else:
        counted = int(m["n"] or m["full"]) + partners
    assert counted <= listed["count"], (gid, day, cell, listed["count"])
    mc = g.member_count
    if m["n"] is None:
        assert listed["enumeration"] is None, (gid, day, cell)
        return
    assert mc is not None and int(m["m"]) == mc.value, (gid, day, cell)
    # N counts the named participants in the roles the head-count covers
    covered = listed["count"] if mc.counts == "participants" else listed["states"]
    assert int(m["n"]) == covered, (gid, day, cell, covered)
    later = day < mc.date.first_day()
    assert m["year"] == (str(mc.date.year) if later else None), (gid, day, cell)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_cli_members_cell_counts_nobody_twice(
    wide: Callable[..., Result], day: dt.date
) -> None:
    listing = json.loads(wide("groupings", "--as-of", str(day), "--json").output)
    text = wide("groupings", "--as-of", str(day)).output
    header = next(x for x in text.splitlines() if x.startswith("┃"))
    at = [h.strip() for h in header.strip("┃").split("┃")].index("members")
    cells = _rows(text)
    assert listing["groupings"]
    for r in listing["groupings"]:
        _check(r["id"], day, cells[r["id"]][at])
        _check(r["id"], day, r["members_text"])  # the API's and --json's words


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_site_members_cell_counts_nobody_twice(
    bundled_client: TestClient, day: dt.date
) -> None:
    page = bundled_client.get("/groupings", params={"as_of": str(day), "limit": 500}).text
    rows = re.findall(
        r'<a href="/groupings/([a-z0-9_]+)">.*?<td class="num">(.*?)</td>\s*'
        r'<td class="num">(\d+)</td>',
        page,
        re.S,
    )
    api = bundled_client.get("/api/v1/groupings", params={"as_of": str(day), "limit": 500})
    ids = {r["id"] for r in api.json()["groupings"]}
    assert ids and {gid for gid, _, _ in rows} == ids
    for gid, cell, partners in rows:
        words = html.unescape(re.sub(r"<[^>]+>", "", cell))
        _check(gid, day, words, int(partners))


def test_hiroshima_and_ccdcoe_read_their_parts(
    wide: Callable[..., Result], bundled_client: TestClient
) -> None:
    """The cases of the review: 15 named of 49, of them 8 full members and 7 partners."""
    rows = {
        r["id"]: r
        for r in json.loads(wide("groupings", "--as-of", "2025-01-01", "--json").output)[
            "groupings"
        ]
    }
    assert rows["hiroshima_ai_process"]["members_text"] == "15 of 49 = 8 + 7 partners"
    assert rows["hiroshima_ai_process"]["named_counts"] == "participants"
    assert rows["paris_call"]["named_counts"] == "states"
    text = wide("groupings", "--as-of", "2025-01-01").output
    assert "15 of 49 + 7" not in text and "15 of 49 = 8 + 7 partners" in text
    assert re.search(r"│ ccdcoe .*│\s+32 of 39 = 25 \+ 7 partners │", text), text
    page = bundled_client.get("/groupings/hiroshima_ai_process", params={"as_of": "2025-01-01"})
    lead = re.sub(r"<[^>]+>", "", re.search(r'<p class="lead">.*?</p>', page.text, re.S)[0])
    assert "8 members · 7 partners (15 of 49: participants in every role" in lead, lead


def test_a_past_date_says_when_the_head_count_was_reported(
    wide: Callable[..., Result], bundled_client: TestClient
) -> None:
    """``groupings --member RUS --as-of 2013-01-01`` set ten named members of the CCDCOE
    against the 39 it reported in 2023, without saying so."""
    day = "2013-01-01"
    text = " ".join(wide("groupings", "--member", "RUS", "--as-of", day).output.split())
    assert "ccdcoe (10 of 39 reported in 2023)" in text
    assert "foc (21 of 39 reported in 2024)" in text
    listing = json.loads(wide("groupings", "--member", "RUS", "--as-of", day, "--json").output)
    maybe = {r["grouping"]: r for r in listing["incomplete_lists"]}
    assert maybe["ccdcoe"]["reported_later"] and maybe["ccdcoe"]["published_as_of"] == "2023-05-16"
    rows = {
        r["id"]: r
        for r in json.loads(wide("groupings", "--as-of", day, "--json").output)["groupings"]
    }
    assert rows["ccdcoe"]["published_count_date"] == "2023-05-16"
    assert rows["ccdcoe"]["reported_later"] is True
    assert rows["ccdcoe"]["named_of_published"] == "10 of 39 reported in 2023"
    api = bundled_client.get("/api/v1/groupings", params={"as_of": day, "limit": 500}).json()
    row = next(r for r in api["groupings"] if r["id"] == "ccdcoe")
    assert row["named_of_published"] == "10 of 39 reported in 2023"
    assert row["published_count_date"] == "2023-05-16"
    for page in (
        bundled_client.get("/groupings", params={"member": "RUS", "as_of": day}).text,
        bundled_client.get("/countries/RUS", params={"as_of": day}).text,
        bundled_client.get("/groupings", params={"as_of": day, "limit": 500}).text,
    ):
        assert "10 of 39 reported in 2023" in page
    grouping = bundled_client.get("/groupings/ccdcoe", params={"as_of": day}).text
    assert "10 of 39 reported in 2023" in grouping
    # on or after the head-count's date, no year: the head-count is of that date or before
    now = json.loads(wide("groupings", "--as-of", "2024-01-01", "--json").output)
    ccdcoe = next(r for r in now["groupings"] if r["id"] == "ccdcoe")
    assert ccdcoe["named_of_published"] == "32 of 39" and ccdcoe["reported_later"] is False


def test_the_country_and_compare_pages_say_n_of_m_too(bundled_client: Any) -> None:
    """The country page showed the Christchurch Call with 27 members (every named
    participant, companies too) and /compare 27 full members, where the listing says
    18 of 55 (member states named, of the published head-count)."""
    listing = bundled_client.get("/api/v1/groupings", params={"limit": 500}).json()
    named = {g["id"]: g["named_of_published"] for g in listing["groupings"]}
    assert named["christchurch_call"]
    page = bundled_client.get("/countries/IND").text
    row = re.search(r'href="/groupings/christchurch_call">.*?</tr>', page, re.S)
    assert row is not None and named["christchurch_call"] in row.group(0)
    both = bundled_client.get("/compare", params={"groupings": "christchurch_call,quad"}).text
    assert "Named of published" in both and named["christchurch_call"] in both
