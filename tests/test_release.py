"""Releases: the bundle, its checksums, the fact-by-fact changelog, and the site serving them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from minilat import release
from minilat.dataset import load
from minilat.errors import BadInput

DAY = dt.date(2026, 12, 2)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _make(data: Path, root: Path, version: str) -> dict[str, Any]:
    return release.make(load(data), root, version, today=DAY, panel_years=(2010, 2026))


@pytest.fixture
def two_releases(mini_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "releases"
    _make(mini_dir, root, "1.0")
    alpha = mini_dir / "groupings" / "alpha.yaml"
    _edit(
        alpha,
        'participant: KOR, role: member, start: "2016-03-01"',
        'participant: KOR, role: observer, start: "2016-03-01"',
    )
    _edit(
        alpha,
        "  - {participant: acme, role: partner",
        '  - {participant: IND, role: member, start: "2020", sources: [src-b]}\n  - {participant: acme, role: partner',
    )
    _edit(
        alpha,
        "secretariat: {value: none, sources: [src-a]}",
        "secretariat: {value: rotating, sources: [src-b]}",
    )
    _edit(
        mini_dir / "sources" / "main.yaml",
        "url: https://example.org/beta",
        "url: https://example.org/beta-charter",
    )
    _make(mini_dir, root, "1.1")
    return root


def test_bundle_has_every_format_and_true_checksums(two_releases: Path) -> None:
    folder = two_releases / "1.1"
    for name in (
        "csv/memberships.csv",
        "json/minilat.json",
        "parquet/memberships.parquet",
        "minilat.db",
        "datapackage.json",
        "panels/dyad-year.dta",
        "panels/country-year.parquet",
        "panels/grouping-year.csv",
        "CHANGELOG.md",
        "changelog.json",
        "release.json",
        "LICENSE-DATA.md",
    ):
        assert (folder / name).is_file(), name
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == sum(1 for p in folder.rglob("*") if p.is_file()) - 1
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    with sqlite3.connect(folder / "minilat.db") as con:
        assert con.execute("SELECT count(*) FROM groupings").fetchone()[0] == 2
    assert len(pd.read_parquet(folder / "parquet" / "memberships.parquet")) == len(
        pd.read_csv(folder / "csv" / "memberships.csv")
    )
    info = json.loads((folder / "release.json").read_text())
    assert info["previous"] == "1.0" and "version 1.1" in info["citation"]


def test_datapackage_is_valid_frictionless(two_releases: Path) -> None:
    from frictionless import Package

    report = Package(str(two_releases / "1.1" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_changelog_lists_each_fact_with_its_source(two_releases: Path) -> None:
    log = json.loads((two_releases / "1.1" / "changelog.json").read_text())
    assert log["previous"] == "1.0"
    by = {(c["kind"], c["change"], c["key"], c["field"]): c for c in log["changes"]}
    role = by[("membership", "changed", "KOR", "role")]
    assert (role["before"], role["after"], role["grouping"]) == ("member", "observer", "alpha")
    added = by[("membership", "added", "IND", None)]
    assert added["sources"] == ["src-b"] and added["after"]["start"] == "2020"
    sec = by[("grouping", "changed", "alpha", "secretariat")]
    assert sec["after"]["value"] == "rotating" and sec["sources"] == ["src-b"]
    url = by[("source", "changed", "src-b", "url")]
    assert url["after"] == "https://example.org/beta-charter"
    assert log["summary"] == {"added": 1, "changed": 3, "removed": 0}
    text = (two_releases / "1.1" / "CHANGELOG.md").read_text()
    assert "role: member → observer" in text and "[src-b](https://example.org/beta-charter)" in text


def test_versions_are_never_overwritten_nor_malformed(two_releases: Path, mini_dir: Path) -> None:
    with pytest.raises(BadInput, match="already exists"):
        _make(mini_dir, two_releases, "1.1")
    with pytest.raises(BadInput, match="bad version"):
        _make(mini_dir, two_releases, "../evil")
    assert [r["version"] for r in release.releases(two_releases)] == ["1.1", "1.0"]
    assert not list(two_releases.glob(".tmp-*"))


def test_cli_release(run: Any, mini_dir: Path, tmp_path: Path) -> None:
    r = run(
        "dataset",
        "release",
        "0.9",
        "--out",
        str(tmp_path / "rel"),
        "--from",
        "2020",
        "--json",
        data=mini_dir,
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["version"] == "0.9"
    again = run("dataset", "release", "0.9", "--out", str(tmp_path / "rel"), data=mini_dir)
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.fixture
def site(
    two_releases: Path, mini_dir: Path, tmp_path: Path, editorial_db: Any
) -> Iterator[TestClient]:
    from minilat.web import create_app

    app = create_app(tmp_path / "store.db", mini_dir, releases=two_releases)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def test_site_serves_releases_changelogs_and_files(site: TestClient) -> None:
    page = site.get("/releases")
    assert page.status_code == 200 and "1.1" in page.text and "How to cite" in page.text
    data = site.get("/releases?format=json").json()
    assert [r["version"] for r in data["releases"]] == ["1.1", "1.0"]
    one = site.get("/releases/1.1?format=json").json()
    assert one["changelog"]["summary"]["changed"] == 3
    assert any(f["name"] == "panels/dyad-year.dta" for f in one["files"])
    html = site.get("/releases/1.1").text
    assert "alpha / KOR" in html and "role" in html and "sha256sum -c" in html
    f = site.get("/releases/1.1/csv/memberships.csv")
    assert f.status_code == 200 and "KOR" in f.text and "IND" in f.text
    assert f.headers["content-type"].startswith("text/csv")
    for bad in (
        "/releases/1.1/..%2f1.0%2frelease.json",
        "/releases/1.1/nope.csv",
        "/releases/9.9",
        "/releases/1.1/%2e%2e/%2e%2e/etc/passwd",
    ):
        r = site.get(bad)
        assert r.status_code == 404, bad
        assert r.headers["content-type"].startswith("text/html")
        j = site.get(bad, headers={"accept": "application/json"})
        assert j.status_code == 404 and j.json()["error"]["status"] == 404


def test_atom_feed_announces_each_release(site: TestClient) -> None:
    r = site.get("/feeds/releases.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["minilat dataset 1.1", "minilat dataset 1.0"]


def test_downloads_page_offers_releases_panels_and_citation(site: TestClient) -> None:
    d = site.get("/downloads?format=json").json()
    assert d["cite"]["version"] == "1.1" and "version 1.1" in d["cite"]["citation"]
    assert "Filer" in d["cite"]["article"]
    assert [p["unit"] for p in d["panels"]] == ["country-year", "dyad-year", "grouping-year"]
    assert site.get(d["panels"][1]["files"][2]["url"]).status_code == 200
    html = site.get("/downloads").text
    assert "How to cite" in html and "Panels" in html and "/releases/1.1" in html
