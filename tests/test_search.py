"""The site search: the FTS5 index in the store, the page, the API and the CLI agree."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat.search import search
from minilat.store import Store, fts_query, open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_store(tmp_path_factory.mktemp("search") / "store.db")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from minilat.web import create_app

    tmp = tmp_path_factory.mktemp("search-web")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "editorial.db"))
        app = create_app(tmp / "store.db")
    with TestClient(app) as c:
        yield c


def test_stemming_finds_more_than_names(store: Store) -> None:
    found = search(store, store.dataset(), "semiconductor", limit=50)
    groupings = [r["id"] for r in found["results"] if r["kind"] == "grouping"]
    # the issue: the old name filter found Chip 4 alone; objectives and notes count now
    assert "chip4" in groupings and len(groupings) >= 3
    assert found["counts"]["grouping"] == len(groupings)
    assert found["total"] == sum(found["counts"].values())
    # "semiconductors" (plural) is found by the stem
    assert any("semiconductors" in r["snippet"].lower() for r in found["results"])


def test_groupings_and_countries_come_first_with_marked_snippets(store: Store) -> None:
    found = search(store, store.dataset(), "quad")
    kinds = [r["kind"] for r in found["results"]]
    assert kinds[0] == "grouping" and found["results"][0]["id"] == "quad"
    first_other = next(i for i, k in enumerate(kinds) if k not in ("grouping", "country"))
    assert all(k not in ("grouping", "country") for k in kinds[first_other:])
    assert any("<mark>" in r["snippet_html"] for r in found["results"])


def test_countries_aliases_events_and_sources_are_found(store: Store) -> None:
    ds = store.dataset()
    assert search(store, ds, "India", kind="country")["results"][0]["id"] == "IND"
    assert search(store, ds, "Fab 4")["results"][0]["id"] == "chip4"  # an alias
    assert search(store, ds, "summit", kind="event")["total"] > 5
    assert search(store, ds, "Reuters", kind="source")["total"] > 0


def test_half_typed_word_and_unknown_kind(store: Store) -> None:
    assert search(store, store.dataset(), "semicond")["total"] > 0  # the last word as a prefix
    with pytest.raises(Exception, match="unknown kind"):
        search(store, store.dataset(), "quad", kind="planet")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_text_is_a_safe_query(store: Store, text: str) -> None:
    """Quotes, operators (NEAR, AND, *, ^, :) and control characters never break the query."""
    found = search(store, store.dataset(), text)
    assert found["total"] >= len(found["results"])
    assert fts_query(text).count('"') % 2 == 0


def test_page_api_and_cli_agree(client: TestClient, run: Callable[..., Result]) -> None:
    api = client.get("/api/v1/search", params={"q": "quantum"}).json()
    page = client.get("/search", params={"q": "quantum", "format": "json"}).json()
    assert api["total"] == page["total"] > 0
    assert [r["url"] for r in api["results"]] == [r["url"] for r in page["results"][:20]]
    cli = run("search", "quantum", "--json")
    assert cli.exit_code == 0
    assert [r["url"] for r in json.loads(cli.output)["results"]] == [
        r["url"] for r in api["results"]
    ]
    html = client.get("/search", params={"q": "quantum"}).text
    assert "<mark>" in html.lower() and 'id="search-count"' in html
    # the header search box is on every page
    for path in ("/", "/groupings", "/countries/IND", "/network", "/search"):
        assert 'id="site-q"' in client.get(path).text
    bad = client.get("/api/v1/search", params={"q": "x", "kind": "planet"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_input"


def test_cli_text_output(run: Callable[..., Result], columns: Callable[[int], None]) -> None:
    r = run("search", "chip")  # 80 columns: the ids to type next
    assert r.exit_code == 0 and "chip4" in r.output.replace("│", " ").split()
    columns(160)  # wide enough for the addresses too
    assert "/groupings/chip4" in run("search", "chip").output
    assert "nothing found" in run("search", "zzzxqq").output
