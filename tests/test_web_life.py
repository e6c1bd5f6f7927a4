"""The life of groupings on the web: the pulse page, the commitments page, a grouping's
life on its page, the API endpoints (in the OpenAPI description) and the Atom feed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from minilat.web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    tmp = tmp_path_factory.mktemp("web-life")
    data = os.environ.get("MINILAT_DATA")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "suggestions.db"))
        yield create_app(tmp / "store.db", Path(data) if data else None)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_pulse_page_shows_statuses_and_a_heat_map(client: TestClient) -> None:
    r = client.get("/pulse?as_of=2026-12-02&since=2025-01-01")
    assert r.status_code == 200
    html = r.text
    assert 'id="heat-map"' in html and "<svg" in html
    assert 'id="life-chip4"' in html
    assert re.search(r'id="life-chip4">.*?life-dormant', html, re.S)
    assert 'data-slot="news-signals"' in html
    assert "Changes since 2025-01-01" in html
    # the heat map's default span fits a 390 px phone without scaling the labels away
    heat = html.split('id="heat-h"')[1]
    m = re.search(r'viewBox="0 0 (\d+)', heat)
    assert m is not None
    width = int(m.group(1))
    assert width <= 390


def test_pulse_as_json_matches_the_api(client: TestClient) -> None:
    page = client.get("/pulse?as_of=2026-12-02&format=json").json()
    api = client.get("/api/v1/pulse?as_of=2026-12-02").json()
    assert page["counts"] == api["counts"]
    assert {r["id"]: r["status"] for r in page["groupings"]} == {
        r["id"]: r["status"] for r in api["groupings"]
    }
    assert sum(api["counts"].values()) == len(api["groupings"])
    quad = next(r for r in api["groupings"] if r["id"] == "quad")
    assert quad["status"] == "active" and quad["explanation"].startswith("active:")


def test_pulse_at_2012_has_the_quad_dormant(client: TestClient) -> None:
    api = client.get("/api/v1/pulse?as_of=2012-06-01").json()
    assert next(r for r in api["groupings"] if r["id"] == "quad")["status"] == "dormant"


def test_grouping_page_shows_its_life_and_commitments(client: TestClient) -> None:
    html = client.get("/groupings/chip4?as_of=2026-12-02").text
    assert 'id="life-status"' in html and "dormant" in html
    assert "Searched on 2026-12-02" in html
    quad = client.get("/groupings/quad?as_of=2026-12-02").text
    assert "1.2 billion doses" in quad and "in progress" in quad
    # the evidence's source is a numbered footnote, listed at the bottom of the page
    note = re.search(r'<li id="fn-(\d+)" data-source="quad-bs-2022-05-24-health">', quad)
    assert note is not None and f'href="#fn-{note.group(1)}"' in quad


def test_grouping_life_api(client: TestClient) -> None:
    d = client.get("/api/v1/groupings/quad/life?as_of=2012-06-01").json()
    assert d["life"]["status"] == "dormant" and d["life"]["since"] == "2008-02-05"
    assert d["delivery"]["made"] == 0  # nothing promised yet in 2012
    now = client.get("/api/v1/groupings/quad/life?as_of=2026-12-02").json()
    dl = now["delivery"]
    assert dl["made"] == len(now["commitments"]) >= 2
    resolved = ("delivered", "partly_delivered", "not_delivered")
    assert dl["assessed"] == sum(dl["counts"][s] for s in resolved)
    assert client.get("/api/v1/groupings/nope/life").status_code == 404


def test_commitments_filters(client: TestClient) -> None:
    d = client.get("/api/v1/commitments?grouping=quad&as_of=2026-12-02").json()
    ids = {c["id"] for c in d["commitments"]}
    assert "vaccine-donations-1-2bn" in ids
    due = client.get("/api/v1/commitments?due_before=2023-01-01&as_of=2026-12-02").json()
    assert all(c["due"] and c["due"] < "2023-01-01" for c in due["commitments"])
    assert "pandemic-exercise-2022" in {c["id"] for c in due["commitments"]}
    inprog = client.get("/api/v1/commitments?status=in_progress&as_of=2026-12-02").json()
    assert all(c["status"] == "in_progress" for c in inprog["commitments"])
    bad = client.get("/api/v1/commitments?status=done")
    assert bad.status_code == 400 and "unknown commitment status" in bad.json()["error"]["message"]
    page = client.get("/commitments?grouping=quad&as_of=2026-12-02")
    assert page.status_code == 200 and 'id="c-quad-vaccine-donations-1-2bn"' in page.text


def test_bad_dates_are_one_line_errors(client: TestClient) -> None:
    r = client.get("/api/v1/pulse?as_of=2026-12-02&since=2027-01-01")
    assert r.status_code == 400 and "after" in r.json()["error"]["message"]
    assert client.get("/pulse?since=yesterday").status_code == 400


def test_feed_is_valid_atom_with_changes_and_commitments(client: TestClient) -> None:
    r = client.get("/feeds/pulse.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    kinds = {e.find(f"{ATOM}category").get("term") for e in entries}  # type: ignore[union-attr]
    assert "status" in kinds
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_feed_has_the_quad_commitment_falling_due(app: FastAPI) -> None:
    import datetime as dt

    from minilat.analysis.pulse import feed_entries

    site = app.state.site
    entries = feed_entries(site.ds, dt.date(2026, 12, 2), limit=10_000)
    due = [e for e in entries if e["kind"] == "due" and e["grouping"] == "quad"]
    assert "due/quad/pandemic-exercise-2022" in {e["id"] for e in due}
    assert all(e["date"] <= "2026-12-02" for e in due)


def test_openapi_describes_the_life_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/v1/pulse",
        "/api/v1/commitments",
        "/api/v1/groupings/{gid}/life",
        "/feeds/pulse.atom",
    ):
        assert p in paths, p


def test_home_counts_the_groupings_alive_by_their_record(client: TestClient) -> None:
    home = client.get("/?format=json").json()
    today = home["as_of"]
    p = client.get(f"/api/v1/pulse?as_of={today}").json()
    assert home["figures"]["alive_groupings"] == p["counts"]["active"] + p["counts"]["revived"]
    assert 'href="/pulse"' in client.get("/").text


def test_commitments_download_and_its_data_package_entry(client: TestClient) -> None:
    import csv
    import io

    r = client.get("/downloads/commitments.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    vaccine = next(x for x in rows if x["id"] == "vaccine-donations-1-2bn")
    assert vaccine["grouping_id"] == "quad" and vaccine["status"] == "in_progress"
    assert vaccine["evidence_sources"] == "quad-bs-2022-05-24-health"
    assert all(x["sources"] for x in rows)  # a commitment without a source cannot load
    package = client.get("/downloads/datapackage.json").json()
    res = next(x for x in package["resources"] if x["name"] == "commitments")
    assert [f["name"] for f in res["schema"]["fields"]] == list(rows[0])
