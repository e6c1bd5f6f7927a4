"""Editing on the web and through the API: versions, conflicts, forms, history, overlay."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from minilat.web import create_app, site
from test_auth import assert_no_leak, session_csrf, sign_in

SOURCE = "quad-fxcnews-2017-11-13"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("edit") / "store.db"


def _app(store_path: Path) -> Any:
    data = os.environ.get("MINILAT_DATA")
    return create_app(store_path, Path(data) if data else None)


@pytest.fixture()
def auth(editorial_db: EditorialDB) -> dict[str, str]:
    return {"authorization": f"Bearer {editors.new_token(editorial_db, 'ada')[1]}"}


def _get(client: TestClient, auth: dict[str, str], gid: str = "quad") -> dict[str, Any]:
    r = client.get(f"/api/v1/editor/groupings/{gid}", headers=auth)
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{r.json()["version"]}"'
    assert r.headers["cache-control"] == "no-store"
    body: dict[str, Any] = r.json()
    return body


def test_a_put_is_served_at_once_and_listed_with_its_diff(
    client: TestClient, auth: dict[str, str], editorial_db: EditorialDB
) -> None:
    page = client.get("/groupings/quad")  # now in the response cache
    assert "Quad (renamed)" not in page.text
    rec = _get(client, auth)
    assert rec["edits"] == 0 and not rec["pending_sync"] and rec["yaml"].startswith("id: quad")
    doc = {**rec["document"], "name": "Quad (renamed)"}
    r = client.put(
        "/api/v1/editor/groupings/quad",
        headers={**auth, "if-match": f'"{rec["version"]}"'},
        json={"document": doc, "why": "its name in the 2024 declaration"},
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["record"]["edits"] == 1 and out["record"]["pending_sync"]
    assert out["change"]["editor"] == "ada" and out["change"]["action"] == "grouping.edit"
    assert r.headers["etag"] == f'"{out["record"]["version"]}"'
    # served at once: the page (no stale cached copy), the API, the list
    assert "Quad (renamed)" in client.get("/groupings/quad").text
    assert client.get("/api/v1/groupings/quad").json()["name"] == "Quad (renamed)"
    # the public history: who, when, why and the diff
    hist = client.get("/api/v1/groupings/quad/history").json()
    assert hist["pending_sync"] and len(hist["entries"]) == 1
    entry = hist["entries"][0]
    assert entry["why"] == "its name in the 2024 declaration" and entry["editor"] == "ada"
    assert "-name: Quadrilateral Security Dialogue" in entry["diff"]
    assert "+name: Quad (renamed)" in entry["diff"]
    page = client.get("/groupings/quad/history")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert "+name: Quad (renamed)" in html.unescape(page.text)
    assert 'href="/groupings/quad/history"' in client.get("/groupings/quad").text
    log = client.get("/changelog?format=json").json()["entries"]
    assert log[0]["link"] == "/groupings/quad/history" and log[0]["summary"].endswith(": name")
    assert "/groupings/quad/history#change-" in client.get("/feeds/changelog.atom").text
    assert len(editorial_db.audit_records(target="grouping:quad")) == 1


def test_a_stale_or_unversioned_edit_is_refused_with_the_current_record(
    client: TestClient, auth: dict[str, str]
) -> None:
    rec = _get(client, auth)
    first = {**rec["document"], "name": "First"}
    second = {**rec["document"], "name": "Second"}
    url = "/api/v1/editor/groupings/quad"
    ok = client.put(
        url, headers=auth, json={"document": first, "why": "w", "version": rec["version"]}
    )
    assert ok.status_code == 200
    stale = client.put(
        url, headers=auth, json={"document": second, "why": "w", "version": rec["version"]}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"]["code"] == "conflict"
    assert body["current"]["version"] == ok.json()["record"]["version"] != rec["version"]
    assert body["current"]["document"]["name"] == "First"
    none = client.put(url, headers=auth, json={"document": second, "why": "w"})
    assert none.status_code == 428 and none.json()["error"]["code"] == "precondition_required"
    assert _get(client, auth)["document"]["name"] == "First"  # never overwritten


def test_one_membership_or_event_at_a_time(client: TestClient, auth: dict[str, str]) -> None:
    rec = _get(client, auth)
    members = len(rec["document"]["memberships"])
    nzl = {"participant": "NZL", "role": "partner", "start": "2026-01", "sources": [SOURCE]}
    r = client.post(
        "/api/v1/editor/groupings/quad/memberships",
        headers={**auth, "if-match": rec["version"]},
        json={"membership": nzl, "why": "test"},
    )
    assert r.status_code == 201, r.text
    version = r.json()["record"]["version"]
    assert r.json()["change"]["action"] == "membership.add"
    members_now = client.get("/api/v1/groupings/quad").json()["members"]
    assert "NZL" in {m["participant"] for m in members_now}
    r = client.put(
        f"/api/v1/editor/groupings/quad/memberships/{members}",
        headers={**auth, "if-match": version},
        json={"membership": {**nzl, "role": "observer"}, "why": "test"},
    )
    assert r.status_code == 200 and r.json()["change"]["action"] == "membership.edit"
    version = r.json()["record"]["version"]
    r = client.request(
        "DELETE",
        f"/api/v1/editor/groupings/quad/memberships/{members}",
        headers={**auth, "if-match": version},
        json={"why": "test over"},
    )
    assert r.status_code == 200 and r.json()["change"]["action"] == "membership.remove"
    assert len(r.json()["record"]["document"]["memberships"]) == members
    missing = client.request(
        "DELETE",
        "/api/v1/editor/groupings/quad/events/999",
        headers={**auth, "if-match": r.json()["record"]["version"]},
        json={"why": "x"},
    )
    assert missing.status_code == 404 and "no event 999" in missing.json()["error"]["message"]


def test_an_invalid_document_names_every_problem_and_changes_nothing(
    client: TestClient, auth: dict[str, str], editorial_db: EditorialDB
) -> None:
    rec = _get(client, auth)
    bad = {"participant": "XXX", "role": "member", "start": "2020"}
    r = client.post(
        "/api/v1/editor/groupings/quad/memberships",
        headers={**auth, "if-match": rec["version"]},
        json={"membership": bad, "why": "x"},
    )
    assert r.status_code == 400
    problems = r.json()["problems"]
    assert {p["field"] for p in problems} >= {"memberships[8]", "memberships[8].participant"}
    assert "unknown participant 'XXX'" in r.json()["error"]["message"]
    assert editorial_db.records() == [] and editorial_db.audit_records() == []
    assert_no_leak(r.text)


def test_sources_are_created_then_cited(client: TestClient, auth: dict[str, str]) -> None:
    src = {
        "id": "test-new-source",
        "title": "A new source",
        "publisher": "Test",
        "url": "https://example.org/new",
        "accessed": "2026-11-28",
    }
    r = client.put(
        "/api/v1/editor/sources/test-new-source",
        headers={**auth, "if-match": "new"},
        json={"document": src, "why": "to cite it"},
    )
    assert r.status_code == 201 and r.json()["change"]["action"] == "source.create"
    assert client.get("/sources/test-new-source/history").status_code == 200
    rec = _get(client, auth)
    doc = rec["document"]
    doc["themes"]["sources"].append("test-new-source")
    r = client.put(
        "/api/v1/editor/groupings/quad",
        headers=auth,
        json={"yaml": _yaml(doc), "why": "cite it", "version": rec["version"]},
    )
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/editor/sources/test-new-source", headers=auth).status_code == 200
    assert client.get("/api/v1/editor/sources/nope", headers=auth).status_code == 404


def _yaml(doc: Any) -> str:
    from minilat.dataset import document_text

    return document_text(doc)


def _form(page: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert m, name
    return html.unescape(m.group(1))


def _textarea(page: str) -> str:
    m = re.search(r'<textarea id="edit-yaml"[^>]*>(.*?)</textarea>', page, re.S)
    assert m
    return html.unescape(m.group(1))


def test_the_edit_form_validates_saves_and_reports_conflicts(client: TestClient) -> None:
    assert client.get("/editors/groupings/quad/edit").headers["location"] == "/editors/sign-in"
    sign_in(client)
    page = client.get("/editors/groupings/quad/edit")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text, version, csrf = _textarea(page.text), _form(page.text, "version"), session_csrf(client)
    assert text.startswith("id: quad\n") and version.startswith("0-")
    url = "/editors/groupings/quad/edit"

    def post(yaml_text: str, v: str, why: str = "a reason") -> Any:
        data = {"csrf_token": csrf, "version": v, "yaml": yaml_text, "why": why}
        return client.post(url, data=data)

    # a problem: named by its line in the editor's own text, nothing saved
    lines = text.splitlines()
    bad = "\n".join([*lines[:2], "bogus: 1", *lines[2:]])
    r = post(bad, version)
    assert r.status_code == 400 and "line 3" in r.text and "bogus" in r.text
    assert "does not validate" in r.text and "bogus: 1" in _textarea(r.text)
    # saved
    r = post(text.replace("name: Quadrilateral Security Dialogue", "name: Quad One"), version)
    assert r.status_code == 303 and r.headers["location"] == "/groupings/quad/history"
    # a second editor's form from version 0 is stale: 409 with the diff, then saved
    r = post(text.replace("name: Quadrilateral Security Dialogue", "name: Quad Two"), version)
    assert r.status_code == 409 and "changed meanwhile" in r.text
    diff = html.unescape(re.search(r'id="conflict-diff">(.*?)</pre>', r.text, re.S).group(1))  # type: ignore[union-attr]
    assert "-name: Quad One" in diff and "+name: Quad Two" in diff
    new_version = _form(r.text, "version")
    assert new_version != version and new_version.startswith("1-")
    r = post(_textarea(r.text), new_version)
    assert r.status_code == 303
    assert "Quad Two" in client.get("/groupings/quad").text
    # no reason: refused
    r = post(text, _form(client.get(url).text, "version"), why="")
    assert r.status_code == 400 and "reason" in r.text
    # the editors' page lists the pending change and links the editing forms
    editors_page = client.get("/editors").text
    assert 'href="/groupings/quad/history">grouping:quad' in editors_page
    assert 'href="/editors/groupings/aukus/edit"' in editors_page


def test_a_new_source_through_the_form(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/editors/sources/edit?id=form-source")
    assert r.status_code == 303 and r.headers["location"] == "/editors/sources/form-source/edit"
    page = client.get(r.headers["location"])
    assert "New source" in page.text and _form(page.text, "version") == "new"
    text = (
        "id: form-source\ntitle: A report\npublisher: An institute\n"
        "url: https://example.org/r\naccessed: '2026-11-28'\n"
    )
    data = {"csrf_token": session_csrf(client), "version": "new", "yaml": text, "why": "new"}
    r = client.post("/editors/sources/form-source/edit", data=data)
    assert r.status_code == 303 and r.headers["location"] == "/sources/form-source/history"
    assert client.get("/api/v1/sources/form-source").json()["title"] == "A report"


def test_another_process_sees_the_edit_soon(
    store_path: Path, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "REFRESH_SECONDS", 0.0)
    with (
        TestClient(_app(store_path), base_url="https://testserver") as a,
        TestClient(_app(store_path), base_url="https://testserver") as b,
    ):
        assert b.get("/api/v1/groupings/quad").json()["name"] != "Quad Elsewhere"
        rec = _get(a, auth)
        doc = {**rec["document"], "name": "Quad Elsewhere"}
        r = a.put(
            "/api/v1/editor/groupings/quad",
            headers=auth,
            json={"document": doc, "why": "w", "version": rec["version"]},
        )
        assert r.status_code == 200
        assert b.get("/api/v1/groupings/quad").json()["name"] == "Quad Elsewhere"
        assert b.app.state.site.fingerprint.endswith(f"+edits.{b.app.state.site.generation}")  # type: ignore[attr-defined]


# ------------------------------------------------ the YAML changing under a running site


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    import shutil

    from minilat.dataset import bundled_data_dir

    dest = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), dest)
    return dest


@pytest.fixture()
def live(
    tmp_path: Path, data_copy: Path, editorial_db: EditorialDB, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """The site over ``data_copy``, looking for changes to the YAML and the edits at
    every request."""
    monkeypatch.setattr(site, "REFRESH_SECONDS", 0.0)
    app = create_app(tmp_path / "s.db", data_copy)
    with TestClient(app, base_url="https://t", follow_redirects=False) as c:
        yield c


def _put_name(c: TestClient, auth: dict[str, str], name: str) -> dict[str, Any]:
    rec = _get(c, auth)
    r = c.put(
        "/api/v1/editor/groupings/quad",
        headers=auth,
        json={"document": {**rec["document"], "name": name}, "why": "w", "version": rec["version"]},
    )
    assert r.status_code == 200, r.text
    record: dict[str, Any] = r.json()["record"]
    return record


def test_the_site_follows_the_yaml_through_sync_and_revert(
    tmp_path: Path,
    live: TestClient,
    data_copy: Path,
    auth: dict[str, str],
    editorial_db: EditorialDB,
) -> None:
    from minilat.editorial import sync

    quad = data_copy / "groupings" / "quad.yaml"
    original = quad.read_text()
    s = live.app.state.site  # type: ignore[attr-defined]
    _put_name(live, auth, "Quad Synced")
    assert "+edits." in s.version
    # written to the YAML by sync: served from the YAML, no edits laid over any more
    sync.apply(sync.plan(data_copy, editorial_db), editorial_db)
    assert "name: Quad Synced" in quad.read_text()
    assert live.get("/api/v1/groupings/quad").json()["name"] == "Quad Synced"
    assert "+edits." not in s.version and s.fingerprint == s.yaml_fingerprint
    # a reviewed revert of the file: the YAML rules, at once and after a restart
    quad.write_text(original)
    assert live.get("/api/v1/groupings/quad").json()["name"] != "Quad Synced"
    assert not _get(live, auth)["pending_sync"]
    # a file that does not validate is not served: the last good dataset stays
    quad.write_text(original.replace("id: quad", "id: [broken"))
    assert live.get("/api/v1/groupings/quad").status_code == 200
    assert s.yaml_problems and "problem" in s.yaml_problems[0]
    quad.write_text(original)
    with TestClient(create_app(tmp_path / "s.db", data_copy), base_url="https://t") as c:
        assert c.get("/api/v1/groupings/quad").json()["name"] == "Quadrilateral Security Dialogue"


def _change_the_file_meanwhile(data_copy: Path) -> None:
    """A reviewed commit changes quad.yaml while an edit of it is pending."""
    quad = data_copy / "groupings" / "quad.yaml"
    quad.write_text(quad.read_text().replace("aliases: [QSD,", "aliases: [The Quad, QSD,"))


def test_a_pending_edit_over_a_changed_file_is_flagged_then_merged(
    live: TestClient, data_copy: Path, auth: dict[str, str], editorial_db: EditorialDB
) -> None:
    from minilat.editorial import sync

    _put_name(live, auth, "Quad Pending")
    _change_the_file_meanwhile(data_copy)
    rec = _get(live, auth)
    assert rec["pending_sync"] and rec["yaml_changed"]
    assert "-- The Quad" in rec["yaml_diff"]  # what the pending edit would undo
    assert sync.plan(data_copy, editorial_db).conflicts
    # the editor merges the file's change and saves: the conflict is resolved
    doc = rec["document"]
    doc["aliases"] = ["The Quad", *doc["aliases"]]
    r = live.put(
        "/api/v1/editor/groupings/quad",
        headers=auth,
        json={"document": doc, "why": "merged", "version": rec["version"]},
    )
    assert r.status_code == 200 and not r.json()["record"]["yaml_changed"]
    plan = sync.plan(data_copy, editorial_db)
    assert not plan.conflicts and len(plan.files) == 1


def test_the_signing_secret_survives_a_restart(
    store_path: Path, editorial_db: EditorialDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINILAT_SECRET")
    first = _app(store_path).state.site.secret
    assert len(first) == 32 and _app(store_path).state.site.secret == first


def test_the_app_uses_the_editorial_database_it_is_given(tmp_path: Path, store_path: Path) -> None:
    path = tmp_path / "elsewhere.db"
    app = create_app(store_path, None, path)
    assert app.state.site.suggestions_path == path and path.exists()


def test_the_form_shows_a_yaml_change_to_merge(
    live: TestClient, data_copy: Path, auth: dict[str, str]
) -> None:
    _put_name(live, auth, "Quad Pending")
    _change_the_file_meanwhile(data_copy)
    sign_in(live)
    form = live.get("/editors/groupings/quad/edit").text
    assert 'id="yaml-changed"' in form and "-- The Quad" in html.unescape(form)
    assert "its YAML file changed since" in live.get("/editors").text


def test_a_long_history_comes_in_pages(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.web import edit

    monkeypatch.setattr(edit, "HISTORY_PAGE", 2)
    for name in ("One", "Two", "Three"):
        _put_name(client, auth, f"Quad {name}")
    first = client.get("/api/v1/groupings/quad/history").json()
    names = [e["diff"].split("+name: ")[1].split("\n")[0] for e in first["entries"]]
    assert names == ["Quad Three", "Quad Two"]
    second = client.get(first["older"]).json()
    assert [e["diff"].split("+name: ")[1].split("\n")[0] for e in second["entries"]] == ["Quad One"]
    assert second["older"] is None
    assert 'id="older"' in client.get("/groupings/quad/history").text
    assert client.get("/groupings/quad/history?before=0").status_code == 422
