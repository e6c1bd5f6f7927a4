"""A country's partners are counted by one rule on every face: the CLI's ``country``
(text and ``--json``) and the web's ``/countries/{iso3}`` leave out the universal bodies
(the UN, any grouping of 100 or more member states) and say so; ``--universal`` counts
them on the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from click.testing import Result
from starlette.testclient import TestClient

from minilat.analysis.countries import closest_partners
from minilat.analysis.network import without_universal
from minilat.dataset import load

COUNTRIES = ("IND", "USA", "EST", "BRA")


@pytest.mark.parametrize("code", COUNTRIES)
def test_cli_and_api_count_the_same_partners(
    code: str, run: Callable[..., Result], client: TestClient
) -> None:
    cli = json.loads(run("country", code, "--as-of", "2025-06-01", "--json").output)
    api = client.get(f"/api/v1/countries/{code}", params={"as_of": "2025-06-01"}).json()
    assert cli["partner_count"] == api["partner_count"]
    assert cli["network"]["degree"] == api["partner_count"]
    shared = {q["id"]: q["shared"] for q in cli["partners"]}
    # the ten closest on each face: the same counts, ties apart
    assert sorted(shared.values(), reverse=True) == sorted(
        (q["shared"] for q in api["partners"]), reverse=True
    )
    for q in api["partners"]:
        if q["id"] in shared:
            assert shared[q["id"]] == q["shared"], q
    assert not cli["partners_rule"]["universal"]
    assert "un" in {g["id"] for g in cli["partners_rule"]["left_out"]}


def test_india_shares_26_groupings_with_the_united_states_not_counting_the_un(
    run: Callable[..., Result],
) -> None:
    text = " ".join(run("country", "IND", "--as-of", "2026-12-02").output.split())
    assert "shares groupings with 108 states, not counting universal bodies" in text
    d = json.loads(run("country", "IND", "--as-of", "2026-12-02", "--json").output)
    assert (d["partner_count"], d["partners"][0]["id"], d["partners"][0]["shared"]) == (
        108,
        "USA",
        26,
    )
    assert "un" not in d["partners"][0]["groupings"]


def test_universal_counts_the_un_too(run: Callable[..., Result]) -> None:
    d = json.loads(run("country", "IND", "--as-of", "2026-12-02", "--universal", "--json").output)
    usa = next(q for q in d["partners"] if q["id"] == "USA")
    assert (usa["shared"], "un" in usa["groupings"]) == (27, True)
    assert d["partner_count"] == d["network"]["degree"] > 108
    assert d["partners_rule"] == {
        "universal": True,
        "universal_min_states": 100,
        "left_out": [],
        "order": "most shared groupings first, ties by name",
        "text": "counting every grouping, the universal bodies included",
    }
    text = " ".join(run("country", "IND", "--as-of", "2026-12-02", "--universal").output.split())
    assert "counting every grouping, the universal bodies included" in text


SAMPLE = ("CHN", "JPN", "IND", "BRA", "EST", "USA")


def _ranked(rows: list[dict[str, object]]) -> bool:
    keys = [(-int(str(r["shared"])), str(r["name"])) for r in rows]
    return keys == sorted(keys)


@pytest.mark.parametrize("code", SAMPLE)
def test_every_face_names_the_same_closest_partners_in_the_same_order(
    code: str, run: Callable[..., Result], client: TestClient
) -> None:
    """One ranking (most shared groupings, ties by name, universal bodies left out) for
    the CLI, the API, the page's table and the ego network's choice of partners: China's
    closest were once three different lists (one ranked by tie weight)."""
    day = "2026-12-02"
    cli = json.loads(run("country", code, "--as-of", day, "--json").output)
    api = client.get(f"/api/v1/countries/{code}", params={"as_of": day}).json()
    page = client.get(f"/countries/{code}", params={"as_of": day}).text
    table = page.split('id="partners-h"', 1)[1].split("</section>", 1)[0]
    on_page = re.findall(r'href="/countries/([A-Z]{3})"', table)
    assert [q["id"] for q in cli["partners"]] == [q["id"] for q in api["partners"]] == on_page
    assert len(on_page) == 10
    assert _ranked(cli["partners"]) and _ranked(api["partners"])
    assert [(q["id"], q["shared"]) for q in cli["partners"]] == [
        (q["id"], q["shared"]) for q in api["partners"]
    ]
    # the ego network draws the first twelve of the same ranking, with the same counts
    ranked = closest_partners(load(), code, dt.date.fromisoformat(day), include=_counted(day))
    ego = [n for n in api["ego_network"]["nodes"] if not n["center"]]
    assert [(n["id"], n["shared"]) for n in ego] == [(r["id"], r["shared"]) for r in ranked[:12]]
    assert [r["id"] for r in ranked[:10]] == on_page
    assert "most shared groupings first, ties by name" in page


def _counted(day: str) -> frozenset[str]:
    ds = load()
    return without_universal(ds, dt.date.fromisoformat(day))[0]


def test_china_s_ego_network_leaves_out_thailand_and_draws_brazil(client: TestClient) -> None:
    d = client.get("/api/v1/countries/CHN", params={"as_of": "2026-12-02"}).json()
    drawn = {n["id"] for n in d["ego_network"]["nodes"]}
    assert "BRA" in drawn and "THA" not in drawn
    html = client.get("/countries/CHN", params={"as_of": "2026-12-02"}).text
    assert "strongest partners" not in html and "1 / (members − 1)" in html
