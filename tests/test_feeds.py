"""The Atom feeds, element by element, over a small dataset written here (issue 18; found by
mutation testing: the web tests checked that a feed parsed and had entries, not what the
entries said, in which order, or how many).

tests/fixtures/mini plus events on ``beta``: a day, a month and a year (a month or a year
counts from its first day), one without a source, and a tie on the same day broken by the
grouping's id.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from minilat import dataset
from minilat.web import feeds

FIXTURES = Path(__file__).parent / "fixtures"
A = f"{{{feeds.ATOM}}}"

EVENTS = """\
events:
  - {date: "2014-03", kind: suspension, title: "Russia suspended", sources: [src-b]}
  - {date: "2010-05-01", kind: summit, title: "Beta summit & <dinner>", sources: [src-a, src-b]}
  - {date: "2017", kind: other, title: "Russia leaves", unverified: true, note: "press"}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feeds") / "data"
    shutil.copytree(FIXTURES / "mini", root)
    beta = root / "groupings" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8") + EVENTS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ds(data: Path) -> dataset.Dataset:
    return dataset.load(data)


@pytest.fixture(scope="module")
def client(data: Path) -> Iterator[TestClient]:
    """One app for the module: the feeds only read."""
    from minilat.web import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(data.parent / "editorial.db"))
        mp.setenv("MINILAT_SECRET", "test-secret")
        app = create_app(data.parent / "store.db", data)
        with TestClient(app, base_url="https://feeds.test") as c:
            yield c


def _id(grouping: str, date: str, kind: str, title: str) -> str:
    key = f"{grouping}|{date}|{kind}|{title}"
    return (
        f"https://feeds.test/groupings/{grouping}#event-"
        + hashlib.sha1(key.encode()).hexdigest()[:16]
    )


def _entries(root: ET.Element) -> list[dict[str, object]]:
    return [
        {
            "id": e.findtext(f"{A}id"),
            "title": e.findtext(f"{A}title"),
            "updated": e.findtext(f"{A}updated"),
            "link": dict(e.find(f"{A}link").attrib),  # type: ignore[union-attr]
            "category": dict(e.find(f"{A}category").attrib),  # type: ignore[union-attr]
            "summary": e.findtext(f"{A}summary"),
        }
        for e in root.findall(f"{A}entry")
    ]


def test_the_site_feed_entry_by_entry(client: TestClient) -> None:
    r = client.get("/feeds/updates.atom")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert r.headers["cache-control"] == "public, max-age=900"
    assert r.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http')
    root = ET.fromstring(r.content)
    assert root.findtext(f"{A}id") == "https://feeds.test/feeds/updates.atom"
    assert root.findtext(f"{A}title") == "minilat: latest updates"
    assert root.findtext(f"{A}updated") == "2017-01-01T00:00:00Z"  # the newest entry's
    assert root.findtext(f"{A}author/{A}name") == "minilat observatory"
    assert root.findtext(f"{A}generator") == "minilat"
    assert [dict(link.attrib) for link in root.findall(f"{A}link")] == [
        {
            "rel": "self",
            "href": "https://feeds.test/feeds/updates.atom",
            "type": "application/atom+xml",
        },
        {"rel": "alternate", "href": "https://feeds.test/", "type": "text/html"},
    ]
    beta_link = {
        "rel": "alternate",
        "href": "https://feeds.test/groupings/beta",
        "type": "text/html",
    }
    assert _entries(root) == [
        {
            "id": _id("beta", "2017", "other", "Russia leaves"),
            "title": "Beta Forum: Russia leaves",
            "updated": "2017-01-01T00:00:00Z",
            "link": beta_link,
            "category": {"term": "other", "label": "other"},
            "summary": "2017 — other: Russia leaves. Unverified.",
        },
        {
            "id": _id("beta", "2014-03", "suspension", "Russia suspended"),
            "title": "Beta Forum: Russia suspended",
            "updated": "2014-03-01T00:00:00Z",
            "link": beta_link,
            "category": {"term": "suspension", "label": "suspension"},
            "summary": "2014-03 — suspension: Russia suspended. Sources: Beta Forum charter"
            " (Beta Forum) https://example.org/beta",
        },
        {
            "id": _id("beta", "2010-05-01", "summit", "Beta summit & <dinner>"),
            "title": "Beta Forum: Beta summit & <dinner>",
            "updated": "2010-05-01T00:00:00Z",
            "link": beta_link,
            "category": {"term": "summit", "label": "summit"},
            "summary": "2010-05-01 — summit: Beta summit & <dinner>. Sources: Founding statement"
            " of the Alpha Group (Ministry of Examples) https://example.org/alpha; Beta Forum"
            " charter (Beta Forum) https://example.org/beta",
        },
        {
            "id": _id("alpha", "2010-05-01", "launch", "Alpha Group launched"),
            "title": "Alpha Group: Alpha Group launched",
            "updated": "2010-05-01T00:00:00Z",
            "link": {
                "rel": "alternate",
                "href": "https://feeds.test/groupings/alpha",
                "type": "text/html",
            },
            "category": {"term": "launch", "label": "launch"},
            "summary": "2010-05-01 — launch: Alpha Group launched. Sources: Founding statement"
            " of the Alpha Group (Ministry of Examples) https://example.org/alpha",
        },
    ]


def test_a_grouping_feed_holds_its_own_events_only(client: TestClient) -> None:
    root = ET.fromstring(client.get("/feeds/groupings/alpha.atom").content)
    assert root.findtext(f"{A}id") == "https://feeds.test/feeds/groupings/alpha.atom"
    assert root.findtext(f"{A}title") == "minilat: Alpha Group"
    assert [e["title"] for e in _entries(root)] == ["Alpha Group: Alpha Group launched"]
    assert client.get("/feeds/groupings/gamma.atom").status_code == 404


def test_a_country_feed_holds_its_groupings_events(client: TestClient) -> None:
    root = ET.fromstring(client.get("/feeds/countries/kor.atom").content)
    assert root.findtext(f"{A}id") == "https://feeds.test/feeds/countries/KOR.atom"
    assert root.findtext(f"{A}title") == "minilat: South Korea"
    assert [e["title"] for e in _entries(root)] == ["Alpha Group: Alpha Group launched"]
    root = ET.fromstring(client.get("/feeds/countries/Russia.atom").content)
    assert root.findtext(f"{A}title") == "minilat: Russia"
    assert len(_entries(root)) == 3
    assert all(str(e["title"]).startswith("Beta Forum: ") for e in _entries(root))


def test_a_feed_without_entries_is_as_old_as_the_store(client: TestClient) -> None:
    root = ET.fromstring(client.get("/feeds/countries/FRA.atom").content)
    assert _entries(root) == []
    updated = root.findtext(f"{A}updated") or ""
    assert updated.endswith("Z") and "+00:00" not in updated and updated[:2] == "20"


def test_the_feed_date_without_a_build_time_is_the_epoch() -> None:
    assert feeds._updated(SimpleNamespace(built_at="")) == "1970-01-01T00:00:00Z"  # type: ignore[arg-type]
    built = SimpleNamespace(built_at="2026-12-02T07:00:00+00:00")
    assert feeds._updated(built) == "2026-12-02T07:00:00Z"  # type: ignore[arg-type]


def test_a_feed_holds_the_newest_100_events(ds: dataset.Dataset) -> None:
    from minilat.model import Event, EventKind, FuzzyDate

    alpha = ds.groupings["alpha"]
    many = tuple(
        Event(
            date=FuzzyDate.parse(f"{1900 + i}"),
            kind=EventKind("summit"),
            title=f"summit {i}",
            sources=("src-a",),
        )
        for i in range(120)
    )
    big = dict(ds.groupings) | {"alpha": alpha.model_copy(update={"events": many})}
    site = SimpleNamespace(ds=dataset.Dataset(big, ds.participants, ds.sources))
    rows = feeds._entries(site, {"alpha"})  # type: ignore[arg-type]
    assert len(rows) == 100
    assert rows[0]["date"] == "2019" and rows[-1]["date"] == "1920"
    assert rows[0] == {
        "grouping": "alpha",
        "grouping_name": "Alpha Group",
        "date": "2019",
        "kind": "summit",
        "title": "summit 119",
        "sources": [ds.sources["src-a"]],
    }
    assert len(feeds._entries(site, None)) == 100  # type: ignore[arg-type]
    assert feeds._entries(site, set()) == []  # type: ignore[arg-type]


def test_sub_cleans_text_and_attributes() -> None:
    root = ET.Element("r")
    el = feeds.sub(root, "title", "a\x01b", term="c\x02d")
    assert el.tag == A + "title"
    assert el.text == "a\ufffdb" and el.get("term") == "c\ufffdd"
    assert feeds.sub(root, "author").text is None


def test_an_entry_id_survives_a_lone_surrogate_and_kinds_read_as_words() -> None:
    """A lone surrogate cannot be encoded as UTF-8: the entry's id hashes it anyway
    (``surrogatepass``) and its text becomes U+FFFD; ``joint_statement`` reads
    "joint statement"."""
    entry = {
        "grouping": "g",
        "grouping_name": "G",
        "date": "2020-02",
        "kind": "joint_statement",
        "title": "bad \ud800 title",
        "sources": [],
    }
    body = feeds.atom("https://x.test", "/f.atom", "T", [entry], "2026-01-01T00:00:00Z")
    root = ET.fromstring(body)
    [e] = root.findall(f"{A}entry")
    key = "g|2020-02|joint_statement|bad \ud800 title".encode("utf-8", "surrogatepass")
    assert e.findtext(f"{A}id") == (
        "https://x.test/groupings/g#event-" + hashlib.sha1(key).hexdigest()[:16]
    )
    assert e.findtext(f"{A}title") == "G: bad \ufffd title"
    assert e.findtext(f"{A}summary") == "2020-02 — joint statement: bad \ufffd title. Unverified."
    assert root.findtext(f"{A}updated") == "2020-02-01T00:00:00Z"
    # UTF-8 bytes, not character references: the dash is written as itself
    assert "— joint statement".encode() in body


def test_the_base_address_loses_only_its_trailing_slash(client: TestClient) -> None:
    r = client.get("/feeds/groupings/alpha.atom", headers={"host": "MIRROR.X"})
    root = ET.fromstring(r.content)
    assert root.findtext(f"{A}id") == "https://MIRROR.X/feeds/groupings/alpha.atom"
