"""Editors' sign-in, sessions, API tokens, and the authorization matrix of every write."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import EDITOR_PASSWORD
from editorial_backends import editorial_backend, stored_text
from minilat import dataset
from minilat.editorial import editors, edits
from minilat.editorial.database import EditorialDB
from minilat.web import create_app
from minilat.web.auth import SESSION_COOKIE
from minilat.web.editor import SIGN_IN_RATE

PW = EDITOR_PASSWORD
EVIL = "https://evil.example"
LEAKS = ("$argon2", "Traceback", "site-packages", '.py"', 'File "/')

__all__ = ["editorial_backend"]  # the fixture: the tests here on SQLite and PostgreSQL


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("auth") / "store.db"


@pytest.fixture()
def db(editorial_db: EditorialDB) -> EditorialDB:
    """The editorial database the app uses, with editor ``ada`` (conftest.py)."""
    return editorial_db


@pytest.fixture()
def make_client(store_path: Path, db: EditorialDB) -> Iterator[Callable[..., TestClient]]:
    data = os.environ.get("MINILAT_DATA")
    app = create_app(store_path, Path(data) if data else None)
    opened: list[TestClient] = []

    def make(**kw: Any) -> TestClient:
        kw.setdefault("base_url", "https://testserver")
        c = TestClient(app, raise_server_exceptions=False, follow_redirects=False, **kw)
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture()
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def _form_token(client: TestClient) -> str:
    r = client.get("/editors/sign-in")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m
    return m.group(1)


def sign_in(client: TestClient, name: str = "ada", password: str = PW, **kw: Any) -> httpx.Response:
    token = _form_token(client)
    return client.post(
        "/editors/sign-in",
        data={"name": name, "password": password, "csrf_token": token},
        **kw,
    )


def session_csrf(client: TestClient) -> str:
    r = client.get("/api/v1/editor/suggestions")
    assert r.status_code == 200, r.text
    token: str = r.json()["csrf_token"]
    return token


def assert_error(r: httpx.Response, status: int) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "hint"}
    assert body["error"]["status"] == status


def assert_no_leak(text: str, *secrets: str) -> None:
    for s in (*LEAKS, *secrets):
        assert s not in text, s


# ---------------------------------------------------------------------------- sign in


def test_sign_in_sets_a_strict_session_cookie(client: TestClient, db: EditorialDB) -> None:
    r = sign_in(client)
    assert r.status_code == 303 and r.headers["location"] == "/editors"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/", "Max-Age=28800"):
        assert flag.lower() in cookie.lower(), flag
    sid = client.cookies[SESSION_COOKIE]
    assert editors.editor_for_session(db, sid) == "ada"
    # only the hash is stored
    if db.path is not None:  # the file and its WAL, byte by byte
        raw = b"".join(p.read_bytes() for p in db.path.parent.glob("editorial.db*"))
        assert sid.encode() not in raw
    assert sid not in stored_text(db)
    page = client.get("/editors")
    assert page.status_code == 200 and "Signed in as <strong>ada</strong>" in page.text
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers
    assert_no_leak(page.text, sid)


def test_plain_http_cookie_is_secure_except_on_loopback(
    make_client: Callable[..., TestClient],
) -> None:
    remote = make_client(base_url="http://testserver")
    assert "secure" in sign_in(remote).headers["set-cookie"].lower()
    local = make_client(base_url="http://127.0.0.1:8000", client=("127.0.0.1", 40000))
    r = sign_in(local)
    assert r.status_code == 303 and "secure" not in r.headers["set-cookie"].lower()
    assert local.get("/editors").status_code == 200


def test_wrong_password_and_unknown_editor_answer_alike(client: TestClient) -> None:
    h = {"accept": "application/json"}
    wrong = sign_in(client, password="not the password", headers=h)
    unknown = sign_in(client, name="nobody", headers=h)
    assert_error(wrong, 401)
    assert wrong.json() == unknown.json()
    assert SESSION_COOKIE not in client.cookies
    html = sign_in(client, password="x")
    assert html.status_code == 401 and "unknown editor or wrong password" in html.text


def test_unknown_editor_is_verified_against_a_dummy_hash(
    db: EditorialDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = editors._hasher

    class Spy:
        def hash(self, pw: str) -> str:
            return real.hash(pw)

        def verify(self, h: str, pw: str) -> bool:
            seen.append(h)
            return real.verify(h, pw)

    monkeypatch.setattr(editors, "_hasher", Spy())
    assert not editors.verify_password(db, "nobody", PW)
    assert seen and seen[0].startswith("$argon2id$")


def test_sign_in_needs_its_form_token(client: TestClient) -> None:
    client.get("/editors/sign-in")
    r = client.post(
        "/editors/sign-in",
        data={"name": "ada", "password": PW, "csrf_token": "forged.token"},
        headers={"accept": "application/json"},
    )
    assert_error(r, 403)
    r = client.post(
        "/editors/sign-in",
        data={"name": "ada", "password": PW, "csrf_token": _form_token(client)},
        headers={"origin": EVIL},
    )
    assert r.status_code == 403 and SESSION_COOKIE not in client.cookies


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    burst = SIGN_IN_RATE[0]
    for _ in range(burst):
        assert sign_in(client, password="wrong password!").status_code == 401
    r = sign_in(client, headers={"accept": "application/json"})  # even the right one
    assert_error(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert SESSION_COOKIE not in client.cookies


def test_the_sign_in_limit_is_shared_by_workers(store_path: Path, db: EditorialDB) -> None:
    """Two apps over one editorial database (two workers, or two hosts) count a client's
    attempts in one bucket: it gets the burst once, not once per worker."""
    data = os.environ.get("MINILAT_DATA")
    burst = SIGN_IN_RATE[0]
    apps = [create_app(store_path, Path(data) if data else None) for _ in range(2)]
    kw: dict[str, Any] = {"base_url": "https://testserver", "follow_redirects": False}
    with TestClient(apps[0], **kw) as one, TestClient(apps[1], **kw) as two:
        codes = [
            sign_in((one, two)[i % 2], password="wrong password!").status_code
            for i in range(burst + 3)
        ]
    assert codes == [401] * burst + [429] * 3, codes
    assert {r[0] for r in _buckets(db)} == {"sign_in"}


def _buckets(db: EditorialDB) -> list[tuple[str, str, float]]:
    with db._read() as con:
        rows = con.execute("SELECT name, client, tokens FROM rate_limits").fetchall()
    return [(str(r[0]), str(r[1]), float(r[2])) for r in rows]


def test_rate_buckets_are_forgotten_once_full_again(db: EditorialDB) -> None:
    per = 60.0
    assert [db.take_token("t", "a", 2, per, now=1000.0) for _ in range(3)] == [0, 0, 30.0]
    assert db.take_token("t", "b", 2, per, now=1000.0) == 0.0
    assert db.take_token("t", "a", 2, per, now=1030.0) == 0.0  # refilled one
    assert sorted(r[1] for r in _buckets(db)) == ["a", "b"]
    db.take_token("t", "c", 2, per, now=1061.0)  # b is full again (61 s): forgotten
    assert sorted(r[1] for r in _buckets(db)) == ["a", "c"]


def test_sign_out_ends_the_session(client: TestClient, db: EditorialDB) -> None:
    sign_in(client)
    sid = client.cookies[SESSION_COOKIE]
    r = client.post("/editors/sign-out", data={"csrf_token": session_csrf(client)})
    assert r.status_code == 303
    assert editors.editor_for_session(db, sid) is None
    client.cookies.set(SESSION_COOKIE, sid)  # a stolen copy no longer works
    assert_error(client.get("/api/v1/editor/suggestions"), 401)
    assert client.get("/editors").status_code == 303  # browsers go to the sign-in form


def test_expired_session_is_refused(client: TestClient, db: EditorialDB) -> None:
    sid = editors.new_session(db, "ada", seconds=-1)
    client.cookies.set(SESSION_COOKIE, sid)
    assert_error(client.get("/api/v1/editor/suggestions"), 401)


# ------------------------------------------------------------------------- API tokens


def test_bearer_tokens(client: TestClient, db: EditorialDB) -> None:
    token_id, token = editors.new_token(db, "ada")
    ok = client.get("/api/v1/editor/suggestions", headers={"authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["editor"] == "ada"
    assert ok.json()["csrf_token"] is None
    assert_no_leak(ok.text, token, editors.hash_token(token))
    for bad in ("Bearer mlt_nope", f"Basic {token}", "Bearer", token, "Bearer " + "x" * 500):
        r = client.get("/api/v1/editor/suggestions", headers={"authorization": bad})
        assert_error(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
    editors.revoke_token(db, token_id)
    r = client.get("/api/v1/editor/suggestions", headers={"authorization": f"Bearer {token}"})
    assert_error(r, 401)
    assert_no_leak(r.text, token, editors.hash_token(token))


# --------------------------------------------------------------- authorization matrix

GID = "quad"
_ITEMS = f"/api/v1/editor/groupings/{GID}"
#: Every write endpoint: (method, path with {id} a suggestion and {src} a source, body kind).
WRITES = [
    ("POST", "/editors/sign-out", "form"),
    ("POST", "/editors/suggestions/{id}/accept", "form"),
    ("POST", "/editors/suggestions/{id}/reject", "form"),
    ("POST", "/api/v1/editor/suggestions/{id}/accept", "json"),
    ("POST", "/api/v1/editor/suggestions/{id}/reject", "json"),
    ("PUT", _ITEMS, "grouping"),
    ("POST", _ITEMS + "/memberships", "membership.add"),
    ("PUT", _ITEMS + "/memberships/0", "membership.edit"),
    ("DELETE", _ITEMS + "/memberships/0", "remove"),
    ("POST", _ITEMS + "/events", "event.add"),
    ("PUT", _ITEMS + "/events/0", "event.edit"),
    ("DELETE", _ITEMS + "/events/0", "remove"),
    ("PUT", "/api/v1/editor/sources/{src}", "source"),
    ("POST", f"/editors/groupings/{GID}/edit", "grouping form"),
    ("POST", "/editors/sources/{src}/edit", "source form"),
]
#: Each way of asking, and the status it must get (None: accepted).
CASES: dict[str, int | None] = {
    "no credentials": 401,
    "bad token": 401,
    "revoked token": 401,
    "ended session": 401,
    "session without CSRF token": 403,
    "session, cross-site Origin": 403,
    "token, cross-site Origin": 403,
    "token, Sec-Fetch-Site cross-site": 403,
    "valid": None,
}
MATRIX = [(method, path, kind, case) for method, path, kind in WRITES for case in CASES]
#: The status of an accepted write, by body kind.
ACCEPTED = {"membership.add": 201, "event.add": 201, "form": 303}


def test_matrix_size() -> None:
    assert len(MATRIX) == 135  # 15 writes x 9 ways; recorded in docs/reliability.md


def _edit_body(client: TestClient, kind: str) -> tuple[str, dict[str, Any]]:
    """The source the edit endpoints name, and a valid body for ``kind`` (its version,
    a reason, the changed document or item), so that only the credentials can refuse it."""
    site = client.app.state.site  # type: ignore[attr-defined]
    rec = edits.record(site.editorial, site.base, "grouping", GID)
    assert rec.doc is not None
    doc = copy.deepcopy(rec.doc)
    src_id = doc["events"][0]["sources"][0]
    src = edits.record(site.editorial, site.base, "source", src_id)
    assert src.doc is not None
    body: dict[str, Any] = {"why": "because", "version": rec.etag}
    member = {"participant": "NZL", "role": "partner", "start": "2024-01-01"}
    if kind == "grouping":
        body["document"] = {**doc, "name": doc["name"] + " (edited)"}
    elif kind == "membership.add":
        body["membership"] = {**member, "sources": [src_id]}
    elif kind == "membership.edit":
        body["membership"] = {**doc["memberships"][0], "note": "edited"}
    elif kind == "event.add":
        body["event"] = {
            "date": "2024-01-15",
            "kind": "meeting",
            "title": "Added",
            "sources": [src_id],
        }
    elif kind == "event.edit":
        body["event"] = {**doc["events"][0], "title": "Edited"}
    elif kind in ("source", "source form"):
        body = {"why": "because", "version": src.etag}
        body["document"] = {**src.doc, "title": src.doc["title"] + " (edited)"}
    if kind == "grouping form":
        body["yaml"] = dataset.document_text({**doc, "name": doc["name"] + " (edited)"})
    elif kind == "source form":
        body["yaml"] = dataset.document_text(body.pop("document"))
    return src_id, body


@pytest.mark.parametrize(("method", "path", "kind", "case"), MATRIX)
def test_authorization_matrix(
    make_client: Callable[..., TestClient],
    db: EditorialDB,
    method: str,
    path: str,
    kind: str,
    case: str,
) -> None:
    """Every write endpoint, asked every way: only the valid way changes anything; every
    other way is refused with its status in the one error shape, and writes nothing (no
    suggestion decided, no session ended, no record edited, no audit record). Runs on
    SQLite and on PostgreSQL (the module's ``editorial_backend`` fixture)."""
    _asked(make_client, db, method, path, kind, case)


def _asked(
    make_client: Callable[..., TestClient],
    db: EditorialDB,
    method: str,
    path: str,
    kind: str,
    case: str,
) -> None:
    sid_n = db.add_suggestion(what="A test suggestion", where="/x", source_url="https://e.org")
    client = make_client()
    src_id, body = _edit_body(client, kind)
    url = path.format(id=sid_n, src=src_id)
    is_form = kind.endswith("form")
    token_id, token = editors.new_token(db, "ada")
    headers = {"accept": "application/json"}
    csrf: str | None = None
    session_id = ""
    if case in ("session without CSRF token", "session, cross-site Origin", "ended session"):
        sign_in(client)
        session_id = client.cookies[SESSION_COOKIE]
        csrf = session_csrf(client)
        if case == "ended session":
            editors.end_session(db, session_id)
        if case == "session without CSRF token":
            csrf = None
    elif case == "valid" and is_form:
        sign_in(client)
        session_id = client.cookies[SESSION_COOKIE]
        csrf = session_csrf(client)
    elif case in ("valid", "token, cross-site Origin", "token, Sec-Fetch-Site cross-site"):
        headers["authorization"] = f"Bearer {token}"
    elif case == "bad token":
        headers["authorization"] = "Bearer mlt_" + "A" * 43
    elif case == "revoked token":
        editors.revoke_token(db, token_id)
        headers["authorization"] = f"Bearer {token}"
    if "cross-site Origin" in case:
        headers["origin"] = EVIL
    if "Sec-Fetch-Site" in case:
        headers["sec-fetch-site"] = "cross-site"
    if kind == "form":
        data = {"reason": "because", **({"csrf_token": csrf} if csrf else {})}
        r = client.post(url, data=data, headers=headers)
    elif is_form:
        data = {k: body[k] for k in ("version", "yaml", "why")}
        r = client.post(
            url, data={**data, **({"csrf_token": csrf} if csrf else {})}, headers=headers
        )
    else:
        if csrf:
            headers["x-csrf-token"] = csrf
        json_body = {"reason": "because"} if kind == "json" else body
        r = client.request(method, url, json=json_body, headers=headers)
    expected = CASES[case]
    open_ids = [s["id"] for s in db.open_suggestions()]
    if expected is None:
        assert r.status_code == ACCEPTED.get(kind, 303 if is_form else 200), r.text
        if "suggestions" in path:
            assert sid_n not in open_ids and len(db.audit_records()) == 1
        elif path != "/editors/sign-out":
            assert len(db.audit_records()) == 1 and len(db.records()) == 1
            target = f"source:{src_id}" if kind.startswith("source") else f"grouping:{GID}"
            assert db.audit_records()[0]["target"] == target
            assert [row["target"] for row in db.records()] == [target]
    else:
        assert_error(r, expected)
        assert sid_n in open_ids and db.audit_records() == [] and db.records() == []
        if session_id and case != "ended session":
            assert editors.editor_for_session(db, session_id) == "ada"  # not signed out
    assert_no_leak(r.text, token, editors.hash_token(token), *([session_id] if session_id else []))


def test_no_page_reveals_secrets(client: TestClient, db: EditorialDB) -> None:
    _, token = editors.new_token(db, "ada")
    db.add_suggestion(what="Some suggestion here", where="/x", source_url="https://e.org")
    sign_in(client)
    sid = client.cookies[SESSION_COOKIE]
    client.post(
        "/api/v1/editor/suggestions/1/accept",
        json={"reason": "ok"},
        headers={"authorization": f"Bearer {token}"},
    )
    secrets = (token, editors.hash_token(token), sid, editors.hash_token(sid), PW)
    for url in (
        "/editors",
        "/editors?format=json",
        "/api/v1/editor/suggestions",
        "/changelog",
        "/changelog?format=json",
        "/feeds/changelog.atom",
        "/editors/sign-in",
        "/editors/nope",
    ):
        r = client.get(url)
        assert r.status_code < 500, url
        assert_no_leak(r.text, *secrets)
    r = client.post(
        "/api/v1/editor/suggestions/1/accept",
        content=b"{",
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert_error(r, 400)
    assert_no_leak(r.text, *secrets)


def test_the_product_hashes_with_rfc_9106_parameters_only_tests_are_cheap() -> None:
    """The suite swaps in a cheap hasher (tests/conftest.py); the product must not: a
    fresh interpreter's hasher has argon2-cffi's RFC 9106 low-memory defaults."""
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from minilat.editorial import editors as e; h = e._hasher;"
            " print(h.time_cost, h.memory_cost, h.parallelism, e._hasher.hash('x')[:9])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["3", "65536", "4", "$argon2id"]
    assert editors._hasher.time_cost == 1  # and this suite runs with the cheap one


def test_a_read_only_editorial_database_leaves_each_process_its_own_buckets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from minilat.errors import StoreError
    from minilat.web.middleware import SharedRateLimiter

    class ReadOnly:
        def take_token(self, *args: Any) -> float:
            raise StoreError("attempt to write a readonly database")

    limiter = SharedRateLimiter(ReadOnly(), "sign_in", 2, 60.0)
    with caplog.at_level("WARNING", logger="minilat.web"):
        assert [limiter.take("a"), limiter.take("a"), limiter.take("a") > 0] == [0, 0, True]
    assert len([r for r in caplog.records if "kept per process" in r.message]) == 1
