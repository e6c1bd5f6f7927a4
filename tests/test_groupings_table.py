"""The groupings table never hides a count that changes its reading (review of
2 December): at 80 columns the partners column was dropped (the Council of Europe's AI
convention read "0", BRICS "10" with 10 partners hidden) while the legend still described
a partners column, and a states column the table never had. The partners now sit in the
members cell at every width, and the legend describes only the columns shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from minilat.cli import cli
from minilat.store import Store, open_store


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    store: Store = open_store(tmp_path_factory.mktemp("table") / "store.db")

    def go(width: int, *args: str) -> Result:
        return CliRunner(env={"COLUMNS": str(width)}).invoke(
            cli, ["--db", str(store.path), *args], catch_exceptions=False
        )

    return go


def _rows(text: str) -> dict[str, list[str]]:
    """Each row's cells by id (a row's continuation lines are joined to it)."""
    rows: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            last = cells[0]
            rows[last] = cells
        elif last is not None:
            rows[last] = [f"{a} {b}".strip() for a, b in zip(rows[last], cells, strict=True)]
    return rows


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--member", "BRA"),
        ("--member", "USA"),
        ("--as-of", "2020-01-01"),
        ("--member", "RUS", "--ever"),
    ],
)
def test_partners_always_shown_and_legend_says_only_what_is_shown(
    run: Callable[..., Result], width: int, args: tuple[str, ...]
) -> None:
    listing = json.loads(run(width, "groupings", *args, "--json").output)
    text = run(width, "groupings", *args).output
    assert all(len(line) <= width for line in text.splitlines()), text
    rows = _rows(text)
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    headers = [h.strip() for h in header.strip("┃").split("┃")]
    at = headers.index("members")
    for r in listing["groupings"]:
        cell = rows[r["id"]][at]
        n = r["other_participants"]
        if n:
            assert re.search(rf"\+ {n} partners?$", cell), (r["id"], cell)
        else:
            assert "partner" not in cell, (r["id"], cell)
    legend = " ".join(text.split())
    assert "states:" not in legend  # no states column
    assert ("status:" in legend) == ("status" in headers)
    assert "partners:" in legend


def _cells(text: str, header: str) -> dict[str, str]:
    """Each row's cell under ``header``, by id."""
    line = next(line for line in text.splitlines() if line.startswith("┃"))
    at = [h.strip() for h in line.strip("┃").split("┃")].index(header)
    return {i: cells[at] for i, cells in _rows(text).items()}


def test_brics_and_the_coe_convention_at_80(run: Callable[..., Result]) -> None:
    members = _cells(run(80, "groupings", "--as-of", "2026-01-01").output, "members")
    assert members["brics"] == "10 + 10 partners"
    assert re.fullmatch(r"0 \+ \d+ partners", members["coe_ai_convention"])


def test_the_status_still_fits_at_80(run: Callable[..., Result]) -> None:
    """Merging the partners into the members cell made that column wider: the status
    (a dormant grouping is listed as active with its life "dormant") must not be the
    column that pays for it."""
    listing = json.loads(run(80, "groupings", "--json").output)
    status = _cells(run(80, "groupings").output, "life")  # the column is named life (c3c479d)
    dormant = [r["id"] for r in listing["groupings"] if r["life"] == "dormant"]
    assert dormant
    assert all(status[i] == "dormant" for i in dormant)


def test_the_json_keeps_its_separate_counts(run: Callable[..., Result]) -> None:
    """Only the text face merges members and partners; the JSON (and the web API that
    shares its shape) keeps each count apart."""
    listing = json.loads(run(80, "groupings", "--json").output)
    members = _cells(run(160, "groupings").output, "members")
    for r in listing["groupings"]:
        assert isinstance(r["full_members"], int), r
        assert isinstance(r["other_participants"], int), r
        assert isinstance(r["states"], int), r
        head = r["named_of_published"] or str(r["full_members"])
        assert members[r["id"]].startswith(head), (r["id"], members[r["id"]])
    assert "partners:" in listing["counts_note"] and "states:" in listing["counts_note"]
