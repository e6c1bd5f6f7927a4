"""A country's partners are counted by one rule on every face: the CLI's ``country``
(text and ``--json``) and the web's ``/countries/{iso3}`` leave out the universal bodies
(the UN, any grouping of 100 or more member states) and say so; ``--universal`` counts
them on the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result
from starlette.testclient import TestClient

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
        "text": "counting every grouping, the universal bodies included",
    }
    text = " ".join(run("country", "IND", "--as-of", "2026-12-02", "--universal").output.split())
    assert "counting every grouping, the universal bodies included" in text
