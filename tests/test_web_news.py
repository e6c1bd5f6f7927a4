"""The news monitor on the site: the "in the news" section of a grouping page, the API
endpoints (in the OpenAPI description) and the Atom feed of surges and silences, with a
store and without one."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minilat.monitor.fixture import article_line, write_fixture
from minilat.monitor.generator import write_gdelt_file
from minilat.monitor.ingest import ingest
from minilat.monitor.lake import Lake
from monitor_helpers import matcher

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINILAT_MONITOR", str(tmp_path / "nothing-here"))
    return tmp_path / "nothing-here"


def _stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d") + "000000"


@pytest.fixture
def news_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture, plus a Quad series ending in a surge then a silence, in the last year:
    two articles a week for eight weeks, twelve in the ninth, then none (while Chip 4 is
    still covered up to yesterday, so the store's data reach that far)."""
    raw = tmp_path / "raw"
    write_fixture(raw)
    today = dt.date.today()
    first = today - dt.timedelta(weeks=30)
    first -= dt.timedelta(days=first.weekday())
    for week in range(9):
        day = first + dt.timedelta(weeks=week, days=2)
        n = 12 if week == 8 else 2
        lines = [
            article_line(i, "Quad ministers meet", ["JPN", "IND"], [], "-1.0", ["DIPLOMACY"],
                         stamp=_stamp(day)).encode()
            for i in range(n)
        ]  # fmt: skip
        write_gdelt_file(raw / f"{_stamp(day)}.gkg.csv.zip", lines)
    last = today - dt.timedelta(days=1)
    line = article_line(1, "Chip 4 talks", ["USA", "JPN"], [], "0.5", [], stamp=_stamp(last))
    write_gdelt_file(raw / f"{_stamp(last)}.gkg.csv.zip", [line.encode()])
    store = tmp_path / "monitor"
    ingest(Lake(store), [raw], matcher())
    monkeypatch.setenv("MINILAT_MONITOR", str(store))
    return store


@pytest.fixture
def web(client: TestClient) -> Iterator[TestClient]:
    yield client


def test_grouping_page_says_plainly_when_there_is_no_news_data(web, no_store) -> None:
    r = web.get("/groupings/quad")
    assert r.status_code == 200
    assert "In the news" in r.text and "No news data yet" in r.text
    j = web.get("/api/v1/groupings/quad/news").json()
    assert j["store"]["exists"] is False and j["articles"] == 0
    feed = ET.fromstring(web.get("/feeds/news.atom").content)
    assert feed.findall(f"{ATOM}entry") == []
    assert web.get("/api/v1/news").json()["store"]["exists"] is False


def test_grouping_page_shows_the_news_chart_and_cooperation(web, news_store) -> None:
    r = web.get("/groupings/quad?as_of=2024-03-01")
    assert r.status_code == 200
    page = r.text
    assert "In the news" in page and "2 articles from 2023-03-03 to 2024-03-01" in page
    assert "<svg" in page and "Articles per week about" in page and "mean tone" in page
    assert "Member cooperation" in page and "+0.67" in page  # (5 - 1) / 6 among members
    j = web.get("/groupings/quad?as_of=2024-03-01", headers={"accept": "application/json"})
    assert j.json()["news"]["articles"] == 2


def test_news_api(web, news_store) -> None:
    r = web.get("/api/v1/groupings/quad/news", params={"from": "2024-01-01", "to": "2024-01-31"})
    assert r.status_code == 200
    d = r.json()
    assert d["articles"] == 2 and d["cooperation"][0]["intra"]["index"] == 0.667
    assert d["note"].startswith("News evidence")
    assert web.get("/api/v1/groupings/nope/news").status_code == 404
    bad = web.get("/api/v1/groupings/quad/news", params={"from": "2024-05-01", "to": "2024-01-01"})
    assert bad.status_code == 400 and "error" in bad.json()
    top = web.get("/api/v1/news", params={"from": "2024-01-01", "to": "2024-01-31"}).json()
    assert top["groupings"][0] == {
        "grouping": "quad", "articles": 2, "mean_tone": 0.5, "surges": 0, "silences": 0
    }  # fmt: skip
    spec = web.get("/openapi.json").json()
    for path in ("/api/v1/groupings/{gid}/news", "/api/v1/news", "/api/v1/news/signals"):
        assert path in spec["paths"], path


def test_surges_and_silences_reach_the_feed_labelled_as_news(web, news_store) -> None:
    signals = web.get("/api/v1/news/signals").json()["signals"]
    quad = [(s["kind"], s["evidence"]) for s in signals if s["grouping"] == "quad"]
    assert ("surge", "news (GDELT)") in quad and ("silence", "news (GDELT)") in quad
    feed = ET.fromstring(web.get("/feeds/news.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "Quadrilateral Security Dialogue: news surge" in titles
    assert "Quadrilateral Security Dialogue: news silence" in titles
    for e in entries:
        assert e.find(f"{ATOM}summary").text.startswith("News evidence (GDELT), not a curated fact")


def test_far_dates_are_refused_or_explained_never_a_500(web, news_store) -> None:
    r = web.get("/api/v1/groupings/quad/news", params={"to": "9999-12-31"})
    assert r.status_code == 400
    r = web.get("/groupings/quad", params={"as_of": "0001-01-01"})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert "between 1900 and 2999" in r.text


def test_signals_reach_the_pulse_page_labelled_as_news_evidence(web, news_store) -> None:
    page = web.get("/pulse").text
    assert "News signals" in page and "news evidence" in page
    assert "Quadrilateral Security Dialogue: news surge" in page
    assert "never change them" in page


def test_the_pulse_page_without_a_store_has_no_news_section(web, no_store) -> None:
    r = web.get("/pulse")
    assert r.status_code == 200 and "News signals" not in r.text
    assert web.get("/pulse", params={"as_of": "0001-01-01"}).status_code in (200, 400)


def test_the_news_section_is_computed_once_per_version_of_the_store(
    web, news_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shared by the page and the API for a day, and computed again once the store
    changes (every ingest appends to its manifest)."""
    from minilat.monitor import service

    calls: list[str] = []
    real = service.report
    monkeypatch.setattr(service, "report", lambda *a, **k: calls.append(a[1].id) or real(*a, **k))
    fresh = {"cache-control": "no-cache"}
    first = web.get("/groupings/quad", headers=fresh).text
    assert web.get("/groupings/quad", headers=fresh).text == first
    api = web.get("/api/v1/groupings/quad/news", headers=fresh).json()
    assert calls == ["quad"]
    assert "chart" not in api  # the API leaves the chart out of its copy ...
    assert "Articles per week about" in web.get("/groupings/quad", headers=fresh).text  # ... only
    with Lake(news_store).manifest_path.open("ab") as f:
        f.write(b"\n")  # a new version of the store (a blank line, which readers skip)
    assert web.get("/api/v1/groupings/quad/news", headers=fresh).json() == api
    assert calls == ["quad", "quad"]
