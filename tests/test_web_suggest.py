"""Suggest a correction: CSRF protection, size limits, validation, escaping, storage."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minilat.editorial.database import SuggestionStore
from minilat.web import create_app
from minilat.web.suggest import COOKIE, MAX_BODY, check_token, make_token

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("suggest") / "store.db"


@pytest.fixture()
def client(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("MINILAT_EDITORIAL", str(tmp_path / "suggestions.db"))
    monkeypatch.setenv("MINILAT_SECRET", "test-secret")
    data = os.environ.get("MINILAT_DATA")
    app = create_app(store_path, Path(data) if data else None)
    # https, as in production: the form's cookie is Secure (plain http only on loopback)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def _token(client: TestClient) -> str:
    r = client.get("/suggest")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert "etag" not in r.headers
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m and client.cookies.get(COOKIE) == m.group(1)
    return m.group(1)


def _form(token: str, **fields: str) -> dict[str, str]:
    base = {
        "csrf_token": token,
        "what": "The Quad's founding year should be 2007, not 2004.",
        "where": "/groupings/quad",
        "source_url": "https://example.org/quad-history",
    }
    return {**base, **fields}


def test_tokens_are_signed() -> None:
    t = make_token(b"k")
    assert check_token(b"k", t, t)
    assert not check_token(b"k", t, make_token(b"k"))
    assert not check_token(b"k", None, t)
    nonce = t.split(".")[0]
    assert not check_token(b"k", nonce + ".forged", nonce + ".forged")


def test_a_good_suggestion_is_stored(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/suggest", data=_form(_token(client)))
    assert r.status_code == 200
    assert "Thank you" in r.text
    stored = SuggestionStore(tmp_path / "suggestions.db").recent()
    assert len(stored) == 1
    assert stored[0]["location"] == "/groupings/quad"
    assert stored[0]["source_url"] == "https://example.org/quad-history"


def test_everything_typed_is_escaped(client: TestClient) -> None:
    ok = client.post("/suggest", data=_form(_token(client), what=XSS + " is wrong", where=XSS))
    assert ok.status_code == 200
    bad = client.post("/suggest", data=_form(_token(client), where=XSS, source_url=XSS))
    assert bad.status_code == 400
    for r in (ok, bad):
        assert "<script>alert" not in r.text
        assert "<img src=x" not in r.text
        assert "&lt;script&gt;" in r.text


def test_without_the_cookie_it_is_refused(client: TestClient, tmp_path: Path) -> None:
    token = _token(client)
    client.cookies.clear()
    r = client.post("/suggest", data=_form(token))
    assert r.status_code == 403
    assert SuggestionStore(tmp_path / "suggestions.db").count() == 0


def test_a_forged_token_is_refused(client: TestClient) -> None:
    _token(client)
    forged = make_token(b"another-secret")
    client.cookies.set(COOKIE, forged, path="/suggest")
    r = client.post("/suggest", data=_form(forged))
    assert r.status_code == 403


def test_validation(client: TestClient) -> None:
    for fields in (
        {"what": "short"},
        {"where": ""},
        {"source_url": "javascript:alert(1)"},
        {"source_url": ""},
        {"what": "x" * 2001},
        {"where": "w" * 301},
    ):
        r = client.post("/suggest", data=_form(_token(client), **fields))
        assert r.status_code == 400, fields
        assert 'aria-invalid="true"' in r.text


def test_size_and_type_limits(client: TestClient) -> None:
    token = _token(client)
    big = client.post("/suggest", data=_form(token, what="y" * (MAX_BODY + 10)))
    assert big.status_code == 413
    as_json = client.post("/suggest", json=_form(token))
    assert as_json.status_code == 415


def test_json_clients_get_the_error_shape(client: TestClient) -> None:
    token = _token(client)
    r = client.post(
        "/suggest", data=_form(token, what="short"), headers={"accept": "application/json"}
    )
    assert r.status_code == 400
    err = r.json()["error"]
    assert set(err) == {"status", "code", "message", "hint"} and err["code"] == "bad_input"
