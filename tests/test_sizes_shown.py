"""A grouping's size is the one every face shows (review of 2 December).

Where the record names only some members of a grouping, every face says "N of M", M the
published head-count. The membership matrix capped its columns at 30 member states by
counting the N it names, so the IMF ("14 of 191"), the PSI and the Zangger Committee sat
among the minilaterals; ``/groupings?sort=members`` put Zangger ("1 of 39") second
smallest. The property: no matrix column is larger than the cap in the size the site
shows, and the members sort is monotone in that size, on the page and in the API.
"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset, load

DS: Dataset = load()
DAY = "2026-06-01"
DS_DAY = __import__("datetime").date(2026, 6, 1)


def _shown_sizes(client: TestClient, day: str) -> dict[str, int]:
    """Each grouping's size as the API's listing shows it: M of "N of M", else its
    full members."""
    rows = client.get("/api/v1/groupings", params={"as_of": day, "limit": 500}).json()
    out = {}
    for r in rows["groupings"]:
        of = r["named_of_published"]
        out[r["id"]] = int(of.split(" of ")[1].split()[0]) if of else r["full_members"]
    return out


@pytest.mark.parametrize("cap", [10, 30, 60])
def test_no_matrix_column_is_above_the_cap(bundled_client: TestClient, cap: int) -> None:
    d = bundled_client.get(
        "/matrix", params={"as_of": DAY, "format": "json", "max_members": cap}
    ).json()
    sizes = _shown_sizes(bundled_client, DAY)
    assert d["columns"]
    for c in d["columns"]:
        enum = _groupings.enumeration(DS, DS.groupings[c["id"]], DS_DAY)
        if enum is None:  # a complete list: its member states
            assert c["size"] == c["states"] <= cap, c
        else:  # an incomplete one: the head-count every face shows, said in the header
            assert c["size"] == sizes[c["id"]] == enum["published"] <= cap, c
            assert c["named_of_published"] == enum["named_of_published"]
    csv = bundled_client.get("/matrix.csv", params={"as_of": DAY, "max_members": cap}).text
    assert csv.splitlines()[0].split(",")[2:] == [c["id"] for c in d["columns"]]


def test_matrix_leaves_out_the_large_incomplete_lists(bundled_client: TestClient) -> None:
    """The review's cases: none of them has at most 30 members."""
    d = bundled_client.get("/matrix", params={"as_of": DAY, "format": "json"}).json()
    ids = {c["id"] for c in d["columns"]}
    incomplete = {
        gid
        for gid, g in DS.groupings.items()
        if _groupings.enumeration(DS, g, DS_DAY) is not None
        and g.member_count is not None
        and g.member_count.value > 30
    }
    assert {"paris_call"} <= incomplete
    assert not ids & incomplete, ids & incomplete


def test_an_incomplete_column_shows_n_of_m(bundled_client: TestClient) -> None:
    d = bundled_client.get(
        "/matrix", params={"as_of": DAY, "format": "json", "max_members": 300}
    ).json()
    col = next(c for c in d["columns"] if c["id"] == "paris_call")
    assert col["named_of_published"] == "2 of 80" or col["named_of_published"].endswith(" of 80")
    html = bundled_client.get("/matrix", params={"as_of": DAY, "max_members": 300}).text
    assert f"({col['named_of_published']} states)" in html
    assert f'<span class="of">({col["named_of_published"]})</span>' in html


@pytest.mark.parametrize("sort", ["members", "-members"])
def test_members_sort_is_monotone_in_the_size_shown(bundled_client: TestClient, sort: str) -> None:
    sizes = _shown_sizes(bundled_client, DAY)
    api = bundled_client.get(
        "/api/v1/groupings", params={"as_of": DAY, "limit": 500, "sort": sort}
    ).json()
    order = [sizes[r["id"]] for r in api["groupings"]]
    assert order == sorted(order, reverse=sort.startswith("-")), order
    page = bundled_client.get("/groupings", params={"as_of": DAY, "sort": sort}).text
    ids = re.findall(r'<tr[^>]*>\s*<t[hd][^>]*><a href="/groupings/([a-z0-9_]+)"', page)
    assert len(ids) > 10
    shown = [sizes[i] for i in ids]
    assert shown == sorted(shown, reverse=sort.startswith("-")), list(zip(ids, shown, strict=True))
