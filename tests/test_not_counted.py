""" "Not counted" means one thing in a country's answer (review of 2 December).

A country's page said "3 not counted (member list incomplete in the record)" of the
groupings it IS counted in but whose leading side is unknown, and two lines later "Not
counted: 13 groupings" of partial lists that may hold it. The first is now "with the
leading side unknown"; "not counted" only ever names the partial lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from click.testing import Result
from starlette.testclient import TestClient

COUNTRIES = ["IND", "BRA", "ZAF", "IDN", "TUR"]


def _one_meaning(text: str) -> None:
    flat = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    for m in re.finditer(r"not counted", flat, re.I):
        assert re.match(
            r"not counted: \d+ groupings? whose member lists? ", flat[m.start() :], re.I
        ), flat[m.start() - 80 : m.start() + 120]


@pytest.mark.parametrize("code", COUNTRIES)
def test_not_counted_only_names_partial_lists(
    run80: Callable[..., Result], bundled_client: TestClient, code: str
) -> None:
    cli_text = run80("country", code).output
    page = bundled_client.get(f"/countries/{code}").text
    for text in (cli_text, page):
        _one_meaning(text)
    alignment = json.loads(run80("country", code, "--json").output)["alignment"]
    if alignment.get("unknown"):
        said = f"{alignment['unknown']} with the leading side unknown (member list incomplete)"
        assert said in " ".join(cli_text.split())
        assert said in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_india_shows_both_readings_apart(run80: Callable[..., Result]) -> None:
    text = " ".join(run80("country", "IND", "--as-of", "2026-01-01").output.split())
    assert re.search(r"\d+ with the leading side unknown \(member list incomplete\)", text)
    assert re.search(r"Not counted: \d+ groupings whose member lists are incomplete", text)
