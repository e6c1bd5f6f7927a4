"""Suggestion review by editors: decisions, the audit trail, the public changelog, XSS."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from editorial_backends import editorial_backend
from minilat.editorial import editors
from minilat.editorial.database import Conflict, EditorialDB
from minilat.web import create_app
from minilat.web.auth import SESSION_COOKIE
from test_auth import assert_error, assert_no_leak, session_csrf, sign_in

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ATOM = "{http://www.w3.org/2005/Atom}"

__all__ = ["editorial_backend"]  # the fixture: the tests here on SQLite and PostgreSQL


@pytest.fixture()
def db(editorial_db: EditorialDB) -> EditorialDB:
    """The editorial database the app uses, with editor ``ada`` (conftest.py)."""
    return editorial_db


def _add(db: EditorialDB, what: str = "The Quad was founded in 2007") -> int:
    return db.add_suggestion(what=what, where="/groupings/quad", source_url="https://e.org/q")


def test_accept_by_api_writes_the_audit_record(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    sid = _add(db)
    auth = {"authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/editor/suggestions", headers=auth).json()["suggestions"]
    assert [s["id"] for s in listed] == [sid]
    r = client.post(
        f"/api/v1/editor/suggestions/{sid}/accept",
        json={"reason": "source checks out"},
        headers=auth,
    )
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    rec = r.json()
    assert rec["editor"] == "ada" and rec["action"] == "accepted"
    assert rec["target"] == f"suggestion:{sid}" and rec["why"] == "source checks out"
    assert rec["before"]["status"] == "new" and rec["after"]["status"] == "accepted"
    assert rec["at"].endswith("+00:00")
    assert db.open_suggestions() == []
    # decided once only: a second decision is a 409 and writes nothing
    again = client.post(
        f"/api/v1/editor/suggestions/{sid}/reject", json={"reason": "changed my mind"}, headers=auth
    )
    assert_error(again, 409)
    assert len(db.audit_records()) == 1
    log = client.get("/changelog?format=json").json()["entries"]
    assert [e["id"] for e in log] == [rec["id"]]


def test_bad_decisions_are_refused(client: TestClient, db: EditorialDB, token: str) -> None:
    sid = _add(db)
    auth = {"authorization": f"Bearer {token}"}
    url = f"/api/v1/editor/suggestions/{sid}/reject"
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": 3}, {"reason": "x" * 2001}):
        assert_error(client.post(url, json=body, headers=auth), 400)
    assert_error(client.post(url, content=b"[]", headers=auth), 400)
    missing = client.post(
        "/api/v1/editor/suggestions/999/reject", json={"reason": "x"}, headers=auth
    )
    assert_error(missing, 404)
    assert [s["id"] for s in db.open_suggestions()] == [sid] and db.audit_records() == []


def test_decision_and_audit_are_one_transaction(db: EditorialDB) -> None:
    sid = _add(db)
    db.decide_suggestion(sid, editor="ada", status="rejected", why="duplicate")
    with pytest.raises(Conflict):
        db.decide_suggestion(sid, editor="ada", status="accepted", why="oops")
    (rec,) = db.audit_records()
    assert rec["after"]["status"] == "rejected"
    assert db.recent_suggestions()[0]["status"] == "rejected"


def test_review_in_the_browser(client: TestClient, db: EditorialDB) -> None:
    sid = _add(db)
    assert client.get("/editors").status_code == 303  # not signed in: to the form
    sign_in(client)
    page = client.get("/editors")
    assert page.status_code == 200 and f'id="suggestion-{sid}"' in page.text
    csrf = session_csrf(client)
    assert f'value="{csrf}"' in page.text
    r = client.post(
        f"/editors/suggestions/{sid}/reject", data={"csrf_token": csrf, "reason": "no source"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/editors"
    assert "No open suggestions" in client.get("/editors").text
    changelog = client.get("/changelog")
    assert changelog.status_code == 200 and "no source" in changelog.text
    assert changelog.headers["cache-control"] == "no-store"
    bad = client.post(f"/editors/suggestions/{sid}/approve", data={"csrf_token": csrf})
    assert bad.status_code == 400


def test_authenticated_answers_are_never_shared(
    client: TestClient, db: EditorialDB, token: str, web_store: Path
) -> None:
    _add(db)
    ok = client.get("/api/v1/editor/suggestions", headers={"authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and "etag" not in ok.headers
    assert_error(client.get("/api/v1/editor/suggestions"), 401)
    sign_in(client)
    assert client.get("/editors?format=json").status_code == 200
    client.cookies.delete(SESSION_COOKIE)
    assert_error(client.get("/editors?format=json"), 401)


def test_changelog_and_feed_are_public_and_list_names_only(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    empty = client.get("/feeds/changelog.atom")
    assert empty.status_code == 200 and ET.fromstring(empty.content).tag == f"{ATOM}feed"
    assert "No decisions yet" in client.get("/changelog").text
    sid = _add(db)
    client.post(
        f"/api/v1/editor/suggestions/{sid}/accept",
        json={"reason": "verified"},
        headers={"authorization": f"Bearer {token}"},
    )
    feed = client.get("/feeds/changelog.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "ada"
    assert "verified" in (entries[0].findtext(f"{ATOM}summary") or "")
    for r in (feed, client.get("/changelog"), client.get("/changelog?format=json")):
        assert_no_leak(r.text, token, editors.hash_token(token), "password")


def test_stored_xss_is_escaped_everywhere(client: TestClient, db: EditorialDB, token: str) -> None:
    ids = [db.add_suggestion(what=XSS, where=XSS, source_url="javascript:" + XSS) for _ in range(2)]
    sign_in(client)
    page = client.get("/editors")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    for sid in ids:
        r = client.post(
            f"/api/v1/editor/suggestions/{sid}/accept",
            json={"reason": XSS},
            headers={"authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200
    changelog = client.get("/changelog")
    assert "<script>alert" not in changelog.text and "<img src=x" not in changelog.text
    # only the editors' reasons (x2): the submitters' text is not published (issue 17)
    assert changelog.text.count("&lt;script&gt;") == 2
    feed = client.get("/feeds/changelog.atom")
    assert b"<script>" not in feed.content and b"<img " not in feed.content
    summaries = [
        e.findtext(f"{ATOM}summary") or ""
        for e in ET.fromstring(feed.content).findall(f"{ATOM}entry")
    ]
    assert len(summaries) == 2 and all(XSS in s for s in summaries)  # text, once parsed
    assert changelog.headers["content-security-policy"].startswith("default-src 'self'")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_decisions_survive_hostile_bodies(client: TestClient, db: EditorialDB, token: str) -> None:
    """Any body, any reason, any id: a clean answer (200 or the error shape), never a 5xx,
    and an audit record exactly for each suggestion decided."""
    auth = {"authorization": f"Bearer {token}"}
    accepted: list[int] = []

    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(
        body=st.one_of(
            st.binary(max_size=64).map(lambda b: ("raw", b)),
            _JSON.map(lambda j: ("json", j)),
            st.text(max_size=2100).map(lambda t: ("json", {"reason": t})),
        ),
        action=st.sampled_from(["accept", "reject"]),
        known=st.booleans(),
    )
    def check(body: tuple[str, object], action: str, known: bool) -> None:
        sid = _add(db) if known else 10**12
        url = f"/api/v1/editor/suggestions/{sid}/{action}"
        kind, payload = body
        if kind == "raw":
            assert isinstance(payload, bytes)
            r = client.post(
                url, content=payload, headers={**auth, "content-type": "application/json"}
            )
        else:
            r = client.post(url, json=payload, headers=auth)
        assert r.status_code < 500, r.text
        if r.status_code == 200:
            accepted.append(sid)
        else:
            assert set(r.json()["error"]) == {"status", "code", "message", "hint"}
            assert r.status_code in (400, 404)

    check()
    assert sorted(int(a["target"].split(":")[1]) for a in db.audit_records(10_000)) == accepted


def test_loopback_exception_needs_both_ends(web_store: Path, db: EditorialDB) -> None:
    """A loopback client asking for another host name still gets a Secure cookie."""
    data = os.environ.get("MINILAT_DATA")
    app = create_app(web_store, Path(data) if data else None)
    with TestClient(
        app, base_url="http://example.org", client=("127.0.0.1", 4000), follow_redirects=False
    ) as c:
        assert "secure" in sign_in(c).headers["set-cookie"].lower()


def test_an_id_beyond_sqlite_integers_is_not_found(client: TestClient, token: str) -> None:
    # found by the long fuzz run: it used to overflow SQLite's 64-bit integers (500)
    for action in ("accept", "reject"):
        r = client.post(
            f"/api/v1/editor/suggestions/{2**70}/{action}",
            json={"reason": "x"},
            headers={"authorization": f"Bearer {token}"},
        )
        assert_error(r, 404)
