"""The rendered pages' memo (Renderer.pages): a page is rendered once per address,
declared options, day, version of the data and (grouping pages) version of the news
store, and is never answered from it when any of these changed.

Requests here send ``Cache-Control: no-cache``, so the response cache computes each
answer afresh and only the pages' memo can keep a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from minilat.web import create_app, news

FRESH = {"cache-control": "no-cache"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from minilat.store import open_store

    path = tmp_path_factory.mktemp("pages-memo") / "store.db"
    open_store(path).close()
    return path


@pytest.fixture
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url="http://localhost") as c:
        yield c


def _stats(c: TestClient) -> dict[str, int]:
    stats: dict[str, int] = c.app.state.renderer.pages.stats()  # type: ignore[attr-defined]
    return stats


@pytest.mark.parametrize(
    "path", ["/", "/groupings", "/groupings?type=digital_governance&sort=name", "/groupings/quad",
             "/countries/IND", "/countries/IND?as_of=2020-01-01"],
)  # fmt: skip
def test_a_page_is_rendered_once_and_answered_the_same(client: TestClient, path: str) -> None:
    first = client.get(path, headers=FRESH)
    assert first.status_code == 200
    before = _stats(client)
    again = client.get(path, headers=FRESH)
    gzipped = client.get(path, headers={**FRESH, "accept-encoding": "gzip"})
    after = _stats(client)
    assert again.content == first.content == gzipped.content  # httpx decodes the gzip
    assert after["misses"] == before["misses"]  # not rendered again
    assert after["hits"] >= before["hits"] + 2


def test_the_options_and_the_day_are_part_of_the_key(client: TestClient) -> None:
    today = client.get("/groupings/quad", headers=FRESH).text
    then = client.get("/groupings/quad?as_of=2018-01-01", headers=FRESH).text
    assert today != then and "as of 2018-01-01" in then
    listing = client.get("/groupings", headers=FRESH).text
    filtered = client.get("/groupings?theme=semiconductors", headers=FRESH).text
    assert listing != filtered
    # a parameter the route does not declare is no option: the same page
    assert client.get("/groupings?utm_source=x", headers=FRESH).text == listing


def test_json_and_pages_with_errors_are_never_kept(client: TestClient) -> None:
    client.get("/groupings/quad", headers=FRESH)
    kept = _stats(client)["entries"]
    r = client.get("/groupings/quad?format=json", headers=FRESH)
    assert r.headers["content-type"].startswith("application/json")
    bad = client.get("/groupings?member=Atlantis", headers=FRESH)
    assert bad.status_code == 400 and "Atlantis" in bad.text
    assert _stats(client)["entries"] == kept


def test_a_new_version_of_the_data_renders_the_pages_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    site: Any = client.app.state.site  # type: ignore[attr-defined]
    client.get("/groupings/quad", headers=FRESH)
    misses = _stats(client)["misses"]
    changes = iter([True])  # the YAML changed on disk, once
    monkeypatch.setattr(site, "_reread_yaml", lambda: next(changes, False))
    serial = site.serial
    site.changed()
    client.get("/groupings/quad", headers=FRESH)
    assert site.serial == serial + 1
    assert _stats(client)["misses"] == misses + 1  # rendered from the new version


def test_a_change_to_the_news_store_renders_the_grouping_page_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/groupings/quad", headers=FRESH)
    misses = _stats(client)["misses"]
    client.get("/groupings/quad", headers=FRESH)
    assert _stats(client)["misses"] == misses
    monkeypatch.setattr(news, "store_version", lambda root: (str(root), 12345, 678))
    client.get("/groupings/quad", headers=FRESH)
    assert _stats(client)["misses"] > misses


def test_an_unknown_grouping_is_still_a_404(client: TestClient) -> None:
    for _ in range(2):
        r = client.get("/groupings/no-such-grouping", headers=FRESH)
        assert r.status_code == 404


@pytest.mark.parametrize("path", ["/groupings", "/groupings/quad"])
def test_a_kept_page_carries_the_etag_of_its_bytes(client: TestClient, path: str) -> None:
    """The tag is computed once with the page, and is the digest of the identity body
    (what a client revalidates with); the gzipped answer is another representation, so
    another tag; both revalidate with a 304, kept or not."""
    from minilat.web.http import etag_of

    client.get(path, headers=FRESH)
    plain = client.get(path, headers={**FRESH, "accept-encoding": "identity"})
    zipped = client.get(path, headers={**FRESH, "accept-encoding": "gzip"})
    assert plain.headers["etag"] == etag_of(plain.content)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] == etag_of(plain.content)[:-1] + '-gz"'
    for answer, enc in ((plain, "identity"), (zipped, "gzip")):
        for headers in ({}, FRESH):  # from the response cache, and afresh
            again = client.get(
                path,
                headers={
                    **headers,
                    "accept-encoding": enc,
                    "if-none-match": answer.headers["etag"],
                },
            )
            assert again.status_code == 304, (enc, headers)
            assert again.headers["etag"] == answer.headers["etag"]
