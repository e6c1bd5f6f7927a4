"""What a newcomer read in the CLI's output (review of 2 December): a column named for
one field showing another, ids and Python values where the web shows words, plurals
written "(s)", seconds to six places, and a designer target the web read and the CLI
refused. Each face now says the same thing in the same words; the ids stay in --json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from click.testing import Result
from fastapi.testclient import TestClient


def _header(text: str) -> list[str]:
    """The headers of the first table printed (the line under its top border)."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    return [h.strip() for h in lines[top + 1].strip("┃").split("┃")]


def _rows(text: str) -> dict[str, list[str]]:
    """The first line of each row of the first table, by its first cell."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells
    return rows


# ------------------------------------------------------------ 1. status against life


def test_groupings_name_the_life_column_for_the_life_it_shows(
    run80: Callable[..., Result],
) -> None:
    listing = json.loads(run80("groupings", "--json").stdout)["groupings"]
    assert {g["status"] for g in listing} == {"active"}  # the title's "active"
    dormant = [g["id"] for g in listing if g["life"] == "dormant"]
    assert dormant
    r = run80("groupings")
    head = _header(r.stdout)
    assert "life" in head and "status" not in head
    rows = _rows(r.stdout)
    column = head.index("life")
    assert {rows[g][column] for g in dormant} == {"dormant"}
    legend = " ".join(r.stdout.split())
    assert "life: what a grouping's recorded activity says of it" in legend
    assert "status:" not in legend  # no legend for a column not shown


def test_compare_labels_the_status_and_the_life_apart(bundled_client: TestClient) -> None:
    d = bundled_client.get("/compare", params={"groupings": "quad,chip4", "format": "json"}).json()
    chip4 = next(g for g in d["groupings"] if g["id"] == "chip4")
    assert (chip4["status"], chip4["life"]) == ("active", "dormant")
    page = bundled_client.get("/compare", params={"groupings": "quad,chip4"}).text
    status = re.search(r"<tr><th scope=\"row\">Status(.*?)</tr>", page, re.S)
    life = re.search(r"<tr><th scope=\"row\">Life(.*?)</tr>", page, re.S)
    assert status and "inside its recorded periods" in status.group(1)
    assert life and "read from its recorded activity" in life.group(1)
    assert ">dormant (searched)<" in life.group(1)
