"""Downloads (CSV, JSON, a Frictionless Data Package) and Atom feeds."""

from __future__ import annotations

import csv
import io
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from minilat import export
from minilat.web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("webdata")
    data = os.environ.get("MINILAT_DATA")
    app = create_app(tmp / "store.db", Path(data) if data else None)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_csv_downloads_match_the_export(client: TestClient) -> None:
    ds = client.app.state.site.ds  # type: ignore[attr-defined]
    tables = export.csv_rows(ds)
    for name, (header, rows) in tables.items():
        r = client.get(f"/downloads/{name}.csv")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        got = list(csv.reader(io.StringIO(r.text)))
        assert got[0] == header
        assert len(got) == len(rows) + 1


def test_json_download(client: TestClient) -> None:
    d = client.get("/downloads/minilat.json").json()
    assert {"groupings", "participants", "sources", "capability_tables"} <= set(d)
    assert "quad" in {g["id"] for g in d["groupings"]}


def test_datapackage_is_valid_frictionless(client: TestClient, tmp_path: Path) -> None:
    descriptor = client.get("/downloads/datapackage.json").json()
    assert descriptor["profile"] == "tabular-data-package"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for res in descriptor["resources"]:
        (tmp_path / res["path"]).write_bytes(client.get(f"/downloads/{res['path']}").content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # frictionless's own dependencies warn on import
        from frictionless import validate

        report = validate(str(tmp_path / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors
    ]
    assert report.valid, errors[:5]
    assert {r["name"] for r in descriptor["resources"]} == set(export.CSV_TABLES)


def test_network_download(client: TestClient) -> None:
    r = client.get("/downloads/network.graphml")
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    assert root.tag.endswith("graphml")
    gexf = client.get("/downloads/network.gexf")
    assert gexf.status_code == 200
    assert ET.fromstring(gexf.content).tag.endswith("gexf")


def _check_feed(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    ids = set()
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            el = entry.find(f"{ATOM}{tag}")
            assert el is not None and el.text, tag
        updated = entry.find(f"{ATOM}updated")
        assert updated is not None and updated.text and updated.text.endswith("Z")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith("http")
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id not in ids
        ids.add(entry_id)
    return root


def test_site_feed(client: TestClient) -> None:
    r = client.get("/feeds/updates.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = _check_feed(r.content)
    stamps = [e.findtext(f"{ATOM}updated") or "" for e in root.findall(f"{ATOM}entry")]
    assert stamps and stamps == sorted(stamps, reverse=True)


def test_grouping_and_country_feeds(client: TestClient) -> None:
    quad = _check_feed(client.get("/feeds/groupings/quad.atom").content)
    assert all(
        "/groupings/quad" in (e.find(f"{ATOM}link").get("href") or "")  # type: ignore[union-attr]
        for e in quad.findall(f"{ATOM}entry")
    )
    assert quad.findall(f"{ATOM}entry")
    india = _check_feed(client.get("/feeds/countries/IND.atom").content)
    assert india.findall(f"{ATOM}entry")
    assert client.get("/feeds/countries/india.atom").status_code == 200


def test_analysis_errors_answer_with_the_error_shape(client: TestClient) -> None:
    """An analysis's own error reaches an API client as the one JSON error, not a 200."""
    r = client.get("/api/v1/timeline?start=2030&end=2000")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_input"
    assert "public" not in r.headers.get("cache-control", "")


def test_design_api_takes_numbers_or_percentages(client: TestClient) -> None:
    for targets in ([0.5], ["50%"], ["0.5"]):
        r = client.post("/api/v1/design", json={"tables": ["wafer_capacity"], "targets": targets})
        assert r.status_code == 200, (targets, r.text)
