"""Search shows a date as recorded (review of 2 December).

The search index keeps the first day of a date to sort by, and every face showed that
day: the Quad's New Delhi meeting, recorded "2026-05" (the day not confirmed), read
"2026-05-01"; a source published "2026" read "2026-01-01". The property, over every hit
of a few queries: the date the API, the ``/search`` page and ``minilat search`` show is
the record's own date text (:meth:`FuzzyDate.iso`), or none for a thing without one.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from minilat.cli import cli
from minilat.dataset import Dataset, load
from minilat.store import Store

DS: Dataset = load()
QUERIES = ["Fiji port", "quad", "semiconductor", "ministerial", "2026"]


def _recorded(hit: dict[str, object]) -> set[str | None]:
    """The date texts the record gives the thing a hit names (an event's title may be
    shared by two events of a grouping: either date is its own)."""
    kind, key = hit["kind"], str(hit["id"])
    if kind == "grouping":
        return {DS.groupings[key].founded.iso()}
    if kind == "event":
        g = DS.groupings[key]
        return {e.date.iso() for e in g.events if e.title == hit["title"]}
    if kind == "source":
        published = DS.sources[key].published
        return {published.iso() if published is not None else None}
    return {None}


def _hits(client: TestClient, q: str) -> list[dict[str, object]]:
    return client.get("/api/v1/search", params={"q": q, "limit": 100}).json()["results"]


@pytest.mark.parametrize("q", QUERIES)
def test_api_and_page_show_the_recorded_date(bundled_client: TestClient, q: str) -> None:
    hits = _hits(bundled_client, q)
    assert hits
    for h in hits:
        assert h["date"] in _recorded(h), h
    page = bundled_client.get("/search", params={"q": q, "limit": 100}).text
    items = re.findall(r"<li><span class=\"badge\">.*?</li>", page, re.S)
    assert len(items) == len(hits)
    for h, item in zip(hits, items, strict=True):
        shown = re.search(r'<span class="muted">\((\d{4}(?:-\d\d){0,2})\)</span>', item)
        assert (shown.group(1) if shown else None) == h["date"], (h, html.unescape(item))


def test_the_review_cases(bundled_client: TestClient) -> None:
    hit = next(
        h
        for h in _hits(bundled_client, "Fiji port")
        if h["kind"] == "event" and "New Delhi" in str(h["title"])
    )
    assert hit["date"] == "2026-05"
    quad = next(h for h in _hits(bundled_client, "quad") if h["id"] == "quad")
    assert quad["date"] == DS.groupings["quad"].founded.iso() == "2007-05"
    years = [s for s in DS.sources.values() if s.published and len(s.published.iso()) == 4]
    if years:  # a source dated by its year alone
        src = years[0]
        found = bundled_client.get(
            "/api/v1/search", params={"q": src.title[:60], "kind": "source", "limit": 100}
        ).json()["results"]
        hit = next(h for h in found if h["id"] == src.id)
        assert hit["date"] == src.published.iso()


@pytest.mark.parametrize("q", QUERIES[:3])
def test_cli_shows_the_recorded_date(bundled_store: Store, q: str) -> None:
    def run(*args: str) -> str:
        return (
            CliRunner(env={"COLUMNS": "400"})
            .invoke(cli, ["--db", str(bundled_store.path), *args], catch_exceptions=False)
            .output
        )

    hits = json.loads(run("search", q, "--limit", "100", "--json"))["results"]
    for h in hits:
        assert h["date"] in _recorded(h), h
    rows: list[list[str]] = []
    for line in run("search", q, "--limit", "100").splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells[0] or not rows:
            rows.append(cells)
        else:  # a long title wrapped onto the next line
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    assert len(rows) == len(hits) and any(h["date"] for h in hits)
    for h, row in zip(hits, rows, strict=True):
        title = row[2]  # kind, id, title (date), found in, address
        shown = re.search(r" \((\d{4}(?:-\d\d){0,2})\)$", title)
        assert (shown.group(1) if shown else None) == h["date"], (h, row)
