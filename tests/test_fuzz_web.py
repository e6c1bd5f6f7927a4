"""Hostile input on the suggestion form: rate limits per client address, and hypothesis
fuzzing of what a client can send to ``POST /suggest`` (never a 5xx; JSON clients always
get the one error shape)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat.editorial.database import SuggestionStore
from minilat.web import create_app
from minilat.web.middleware import RateLimiter
from minilat.web.suggest import COOKIE, RATE

EXAMPLES = int(os.environ.get("MINILAT_FUZZ_EXAMPLES", "150"))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    tmp = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("MINILAT_EDITORIAL", str(tmp / "suggestions.db"))
    mp.setenv("MINILAT_SECRET", "test-secret")
    data = os.environ.get("MINILAT_DATA")
    yield create_app(tmp / "store.db", Path(data) if data else None)
    mp.undo()


def _client(app: FastAPI, ip: str = "203.0.113.1") -> TestClient:
    return TestClient(
        app, base_url="https://testserver", raise_server_exceptions=False, client=(ip, 40000)
    )


def _token(c: TestClient) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/suggest").text)
    assert m
    return m.group(1)


def _form(token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "what": "The Quad's founding year should be 2007.",
        "where": "/groupings/quad",
        "source_url": "https://example.org/quad",
        **extra,
    }


# ------------------------------------------------------------------------------ rate limits


def test_the_bucket() -> None:
    now = [0.0]
    lim = RateLimiter(3, 30.0, max_keys=2, clock=lambda: now[0])
    assert [lim.take("a") for _ in range(4)] == [0.0, 0.0, 0.0, 10.0]
    now[0] = 10.0
    assert lim.take("a") == 0.0 and lim.take("a") == 10.0
    lim.take("b"), lim.take("c")  # "a" is forgotten: at most max_keys buckets
    assert lim.take("a") == 0.0
    assert RateLimiter.retry_after(0.2) == "1" and RateLimiter.retry_after(59.5) == "60"


def test_suggestions_are_rate_limited_per_address(app: FastAPI) -> None:
    app.state.suggest_limiter = None  # a fresh limiter for this test
    burst, _per = RATE
    c = _client(app, "198.51.100.7")
    for _ in range(burst):  # each answer sets a new token: take it from the form again
        assert c.post("/suggest", data=_form(_token(c))).status_code == 200
    token = _token(c)
    html = c.post("/suggest", data=_form(token))
    assert html.status_code == 429 and "Too many suggestions" in html.text
    assert int(html.headers["retry-after"]) >= 1
    js = c.post("/suggest", data=_form(token), headers={"accept": "application/json"})
    assert js.status_code == 429
    err = js.json()["error"]
    assert set(err) == {"status", "code", "message", "hint"}
    assert err["code"] == "too_many_requests" and err["status"] == 429
    # invalid submissions count too (no free guessing); another address is not affected
    other = _client(app, "198.51.100.8")
    assert other.post("/suggest", data=_form(_token(other))).status_code == 200


def test_a_limited_submission_is_not_stored(app: FastAPI, tmp_path: Path) -> None:
    app.state.suggest_limiter = RateLimiter(1, 3600.0)
    c = _client(app, "192.0.2.55")
    token = _token(c)
    store = SuggestionStore(Path(os.environ.get("MINILAT_EDITORIAL", "")))
    before = store.count()
    assert c.post("/suggest", data=_form(token)).status_code == 200
    assert c.post("/suggest", data=_form(_token(c))).status_code == 429
    assert store.count() == before + 1


# ------------------------------------------------------------------------------- fuzzing

_field = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "https://e.org/x", "javascript:alert(1)", "<script>x</script>", "%00"]),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
@given(
    body=st.one_of(
        st.binary(max_size=3000),
        st.dictionaries(
            st.sampled_from(["what", "where", "source_url", "csrf_token", "x"]), _field
        ).map(lambda d: "&".join(f"{k}={v}" for k, v in d.items()).encode("utf-8", "replace")),
    ),
    ctype=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "multipart/form-data; boundary=x",
            "application/json",
            "",
        ]
    ),
    accept=st.sampled_from(["application/json", "text/html", "*/*"]),
    with_token=st.booleans(),
)
def test_any_submission_is_answered_cleanly(
    app: FastAPI, body: bytes, ctype: str, accept: str, with_token: bool
) -> None:
    app.state.suggest_limiter = RateLimiter(10**9, 1.0)  # fuzz the form, not the limiter
    c = _client(app)
    if with_token:
        token = _token(c)
        body = body + b"&csrf_token=" + token.encode()
    else:
        c.cookies.clear()
    r = c.post("/suggest", content=body, headers={"content-type": ctype, "accept": accept})
    assert r.status_code in (200, 400, 403, 413, 415), r.status_code
    if r.status_code != 200 and accept == "application/json":
        err = r.json()["error"]
        assert set(err) == {"status", "code", "message", "hint"}
        assert err["status"] == r.status_code
    assert "Traceback" not in r.text and COOKIE in r.headers.get("set-cookie", "")
