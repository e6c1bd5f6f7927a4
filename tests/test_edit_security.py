"""Editors' edits against hostile input: stored XSS, leaks, hostile bodies, random bodies.

Every free-text field an editor can change (a grouping's name, acronyms, aliases, notes,
objectives, working groups, website; a membership's note; an event's title; a source's
title, publisher and address; the edit's reason) is stored with script payloads, then
every page and feed that shows it is fetched: the payload is never there unescaped, and
its escaped form is (so the test cannot pass vacuously); in the Atom feeds it is intact
text once parsed. Edit answers never reveal a secret, a traceback or a file path. Hostile
bodies get 400/413 in the one error shape and change nothing; random bodies never get a
5xx, and the audit trail grows only with the edits that were accepted.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st

from minilat import dataset
from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from minilat.web.auth import SESSION_COOKIE
from test_auth import assert_error, assert_no_leak, session_csrf, sign_in

GID = "quad"
API = f"/api/v1/editor/groupings/{GID}"
ATOM = "{http://www.w3.org/2005/Atom}"
#: Script payloads: closing tags, attribute break-outs, event handlers.
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"
BREAKOUT = "\"'><svg onload=alert(1)>"
PAYLOAD = SCRIPT + BREAKOUT
#: A URL the model accepts (http, no spaces) that tries to break out of an attribute.
URL_PAYLOAD = 'https://e.org/x"><svg/onload=alert(1)>'
#: What must never appear in a page: the payloads' tags, unescaped.
RAW = ("<script>alert", "<img src=x onerror", "<svg onload", "<svg/onload")
#: What must appear where a payload is shown (as autoescaping writes it).
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;svg onload=alert(1)&gt;")


@pytest.fixture()
def db(editorial_db: EditorialDB) -> EditorialDB:
    """The editorial database the app uses, with editor ``ada`` (conftest.py)."""
    return editorial_db


def _auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _get(client: TestClient, token: str, path: str = API) -> tuple[str, dict[str, Any]]:
    r = client.get(path, headers=_auth(token))
    assert r.status_code == 200, r.text
    body = r.json()
    return body["version"], body["document"]


def _secrets(db: EditorialDB, token: str, *more: str) -> tuple[str, ...]:
    """What no answer may contain: the token, its hash, the password hash, the files."""
    pw_hash = db.password_hash("ada") or "$argon2"
    return (token, editors.hash_token(token), pw_hash, str(db.path), str(db.path.parent), *more)


def _assert_escaped(text: str, where: str, *, shown: bool = True) -> None:
    for raw in RAW:
        assert raw not in text, (where, raw)
    if shown:
        for escaped in ESCAPED:
            assert escaped in text, (where, escaped)


def _unchanged(db: EditorialDB) -> None:
    assert db.records() == [] and db.audit_records() == []


# ---------------------------------------------------------------------- stored XSS


def _store_payloads(client: TestClient, db: EditorialDB, token: str) -> dict[str, Any]:
    """Every free-text field an editor can edit, set to a payload through every way of
    editing (whole document, one item, a source, the web form); what was stored."""
    answers: list[httpx.Response] = []
    version, doc = _get(client, token)
    sid = doc["events"][0]["sources"][0]
    # a javascript: address is refused where an address is free text
    sversion, src = _get(client, token, f"/api/v1/editor/sources/{sid}")
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)"):
        r = client.put(
            f"/api/v1/editor/sources/{sid}",
            json={"document": {**src, "url": bad}, "why": "x", "version": sversion},
            headers=_auth(token),
        )
        assert_error_with_problems(r)
        r = client.put(
            API,
            json={
                "document": {**doc, "website": {"value": bad, "sources": [sid]}},
                "why": "x",
                "version": version,
            },
            headers=_auth(token),
        )
        assert_error_with_problems(r)
        answers.append(r)
    _unchanged(db)
    # the source: title, publisher, address, and the reason
    r = client.put(
        f"/api/v1/editor/sources/{sid}",
        json={
            "document": {
                **src,
                "title": f"Source title {PAYLOAD}",
                "publisher": f"Publisher {PAYLOAD}",
                "url": URL_PAYLOAD,
            },
            "why": f"Source why {PAYLOAD}",
            "version": sversion,
        },
        headers=_auth(token),
    )
    assert r.status_code == 200, r.text
    answers.append(r)
    # the grouping's own fields, as a whole document
    new = copy.deepcopy(doc)
    new["name"] = f"Quad {PAYLOAD}"
    new["aliases"] = [*new.get("aliases", []), f"Alias {PAYLOAD}"]
    new["notes"] = f"Notes {PAYLOAD}"
    new["objectives"][0] = {**new["objectives"][0], "text": f"Objective {PAYLOAD}"}
    new["working_groups"][0] = {**new["working_groups"][0], "name": f"Working group {PAYLOAD}"}
    new["website"] = {"value": URL_PAYLOAD, "sources": [sid]}
    r = client.put(
        API,
        json={"document": new, "why": f"Grouping why {PAYLOAD}", "version": version},
        headers=_auth(token),
    )
    assert r.status_code == 200, r.text
    answers.append(r)
    # one membership, one event (recent, so the site-wide feed lists it)
    version = r.json()["record"]["version"]
    member = {**new["memberships"][0], "note": f"Membership note {PAYLOAD}"}
    r = client.put(
        f"{API}/memberships/0",
        json={"membership": member, "why": f"Membership why {PAYLOAD}", "version": version},
        headers=_auth(token),
    )
    assert r.status_code == 200, r.text
    answers.append(r)
    title = f"Event title {PAYLOAD}"
    event = {"date": "2026-11-20", "kind": "meeting", "title": title, "sources": [sid]}
    r = client.post(
        f"{API}/events",
        json={
            "event": event,
            "why": f"Event why {PAYLOAD}",
            "version": r.json()["record"]["version"],
        },
        headers=_auth(token),
    )
    assert r.status_code == 201, r.text
    answers.append(r)
    # the web form, signed in: acronyms and the reason
    sign_in(client)
    session = client.cookies[SESSION_COOKIE]
    csrf = session_csrf(client)
    version, doc = _get(client, token)
    form = {
        "csrf_token": csrf,
        "version": version,
        "yaml": dataset.document_text({**doc, "acronyms": [f"ACR {PAYLOAD}"]}),
        "why": f"Form why {PAYLOAD}",
    }
    r = client.post(f"/editors/groupings/{GID}/edit", data=form)
    assert r.status_code == 303, r.text
    answers.append(r)
    # a stale form (409 page) and a form that does not validate (400 page) echo the payload
    stale = client.post(f"/editors/groupings/{GID}/edit", data=form)
    assert stale.status_code == 409
    _assert_escaped(stale.text, "the 409 page")
    wrong = {**form, "version": _get(client, token)[0]}
    wrong["yaml"] = form["yaml"].replace("kind: meeting", f"kind: {json.dumps(PAYLOAD)}", 1)
    assert wrong["yaml"] != form["yaml"]
    invalid = client.post(f"/editors/groupings/{GID}/edit", data=wrong)
    assert invalid.status_code == 400
    _assert_escaped(invalid.text, "the 400 page")
    answers += [stale, invalid]
    for a in answers:
        assert_no_leak(a.text, *_secrets(db, token, session))
    return {"sid": sid, "title": title, "name": f"Quad {PAYLOAD}", "session": session}


def assert_error_with_problems(r: httpx.Response) -> None:
    assert r.status_code == 400, r.text
    body = r.json()
    assert set(body) == {"error", "problems"} and body["error"]["status"] == 400
    assert any(p["field"] in ("url", "website") for p in body["problems"]), body


def _sources_page(client: TestClient, sid: str) -> str:
    offset = 0
    while True:
        page = client.get(f"/sources?offset={offset}&limit=500")
        assert page.status_code == 200, (offset, page.text[:200])
        if f'id="src-{sid}"' in page.text:
            return page.text
        assert 'id="src-' in page.text, f"source {sid} is on no page of /sources"
        offset += 500


def test_stored_xss_is_escaped_everywhere(client: TestClient, db: EditorialDB, token: str) -> None:
    stored = _store_payloads(client, db, token)
    sid = stored["sid"]
    assert len(db.audit_records()) == 5
    shown = {
        f"/groupings/{GID}": None,
        "/groupings": None,
        f"/groupings/{GID}/history": None,
        f"/sources/{sid}/history": None,
        "/changelog": None,
        "/editors": None,
        f"/editors/groupings/{GID}/edit": None,
        f"/editors/sources/{sid}/edit": None,
    }
    for path in shown:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html"), path
        _assert_escaped(r.text, path)
        assert_no_leak(r.text, *_secrets(db, token, stored["session"]))
    _assert_escaped(_sources_page(client, sid), "/sources")
    # the history shows every field changed, and every reason
    history = client.get(f"/groupings/{GID}/history").text
    for label in ("Quad ", "Alias ", "Notes ", "Objective ", "Working group ", "ACR "):
        assert f"{label}&lt;script&gt;" in history, label
    for label in ("Membership note", "Event title", "Grouping why", "Form why", "Event why"):
        assert f"{label} &lt;script&gt;" in history, label
    assert "x&#34;&gt;&lt;svg/onload=alert(1)&gt;" in history  # the website, in the diff
    page = client.get(f"/groupings/{GID}").text
    for label in ("Quad ", "Alias ", "Notes ", "Objective ", "Working group ", "Event title "):
        assert f"{label}&lt;script&gt;" in page, label
    assert 'href="https://e.org/x&#34;&gt;&lt;svg/onload=alert(1)&gt;"' in page  # website
    # pages that may show the names: never the raw payload
    for path in ("/", "/network", "/countries", "/countries/IND", "/sources", "/editors/sign-in"):
        r = client.get(path)
        assert r.status_code == 200, path
        _assert_escaped(r.text, path, shown=False)


def _feed(client: TestClient, path: str) -> list[ET.Element]:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    for raw in RAW:
        assert raw.encode() not in r.content, (path, raw)
    return ET.fromstring(r.content).findall(f"{ATOM}entry")


def test_feeds_carry_the_payloads_as_text(client: TestClient, db: EditorialDB, token: str) -> None:
    stored = _store_payloads(client, db, token)
    changes = _feed(client, "/feeds/changelog.atom")
    summaries = [e.findtext(f"{ATOM}summary") or "" for e in changes]
    for why in ("Source why", "Grouping why", "Membership why", "Event why", "Form why"):
        assert any(f"{why} {PAYLOAD}" in s for s in summaries), why
    entry_title = f"{stored['name']}: {stored['title']}"
    for path in ("/feeds/updates.atom", f"/feeds/groupings/{GID}.atom"):
        entries = _feed(client, path)
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert entry_title in titles, path
        (entry,) = [e for e in entries if e.findtext(f"{ATOM}title") == entry_title]
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert f"Source title {PAYLOAD} (Publisher {PAYLOAD}) {URL_PAYLOAD}" in summary


# --------------------------------------------------------------------------- leaks


def test_editor_reads_need_credentials(client: TestClient, db: EditorialDB, token: str) -> None:
    sid = _get(client, token)[1]["events"][0]["sources"][0]
    json_h = {"accept": "application/json"}
    for path in (API, f"/api/v1/editor/sources/{sid}"):
        assert_error(client.get(path), 401)
        assert_error(client.get(path, headers={"authorization": "Bearer mlt_nope"}), 401)
        assert client.get(path, headers=_auth(token)).status_code == 200
    for path in (f"/editors/groupings/{GID}/edit", f"/editors/sources/{sid}/edit"):
        assert_error(client.get(path, headers=json_h), 401)
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/editors/sign-in"
    for r in (client.get(API, headers=_auth(token)), client.get(f"{API}/history")):
        assert_no_leak(r.text, *_secrets(db, token))
    # the public history answers with names only
    history = client.get(f"/api/v1/groupings/{GID}/history")
    assert history.status_code == 200 and "cache-control" in history.headers
    _unchanged(db)


def test_edit_answers_reveal_nothing(client: TestClient, db: EditorialDB, token: str) -> None:
    version, doc = _get(client, token)
    answers = [
        client.put(API, json={"document": doc, "why": "x"}, headers=_auth(token)),  # 428
        client.put(
            API,
            json={"document": doc, "why": "no change", "version": version},
            headers=_auth(token),
        ),  # 400
        client.put(
            API,
            json={"document": {**doc, "periods": []}, "why": "x", "version": version},
            headers=_auth(token),
        ),  # 400 with problems
        client.put(
            f"{API}/events/9999",
            json={"event": {}, "why": "x", "version": version},
            headers=_auth(token),
        ),  # 404
        client.put("/api/v1/editor/groupings/NOT a slug", json={}, headers=_auth(token)),
        client.get("/api/v1/editor/groupings/nope", headers=_auth(token)),  # 404
    ]
    ok = client.put(
        API,
        json={"document": {**doc, "name": "Quad renamed"}, "why": "x", "version": version},
        headers=_auth(token),
    )
    assert ok.status_code == 200
    stale = client.put(
        API,
        json={"document": {**doc, "name": "Quad again"}, "why": "x", "version": version},
        headers=_auth(token),
    )
    assert_error_shape(stale, 409)
    assert stale.json()["current"]["version"] == ok.json()["record"]["version"]
    for r, status in zip(answers, (428, 400, 400, 404, 404, 404), strict=True):
        assert r.status_code == status, r.text
        assert r.json()["error"]["status"] == status
    for r in (*answers, ok, stale):
        assert_no_leak(r.text, *_secrets(db, token))
        assert r.headers["cache-control"] == "no-store"
        assert "set-cookie" not in r.headers
    assert set(ok.json()["change"]) == {
        "id",
        "at",
        "editor",
        "action",
        "target",
        "before",
        "after",
        "why",
    }
    assert len(db.audit_records()) == 1


def assert_error_shape(r: httpx.Response, status: int) -> None:
    """The one error shape, plus what the status adds (409: the current record)."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body["error"]) == {"status", "code", "message", "hint"}
    assert body["error"]["status"] == status
    assert set(body) == ({"error", "current"} if status == 409 else {"error"}) | (
        {"problems"} if "problems" in body else set()
    )


# ------------------------------------------------------------------- hostile bodies

_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
#: (what, body bytes, the status it must get, refused before the body is read as an edit)
HOSTILE: list[tuple[str, bytes, int, bool]] = [
    ("not JSON", b"{", 400, True),
    ("not UTF-8", b'{"why": "\xff\xfe"}', 400, True),
    ("a JSON array", b"[]", 400, True),
    ("a JSON string", b'"document"', 400, True),
    (
        "300 KiB",
        json.dumps({"document": {"id": GID, "name": "x" * 300 * 1024}}).encode(),
        413,
        True,
    ),
    ("depth 100000", b"[" * 100_000 + b"]" * 100_000, 400, True),
    (
        "document of depth 100000",
        b'{"document": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        400,
        True,
    ),
    ("no version", json.dumps({"yaml": "id: quad", "why": "x"}).encode(), 428, True),
    (
        "billion laughs",
        json.dumps({"yaml": _LAUGHS, "why": "x", "version": "V"}).encode(),
        400,
        False,
    ),
    (
        "document a string",
        json.dumps({"document": "id: quad", "why": "x", "version": "V"}).encode(),
        400,
        False,
    ),
    (
        "document a list",
        json.dumps({"document": [GID], "why": "x", "version": "V"}).encode(),
        400,
        False,
    ),
    ("yaml a number", json.dumps({"yaml": 3, "why": "x", "version": "V"}).encode(), 400, False),
    (
        "YAML tag",
        json.dumps(
            {"yaml": "!!python/object/apply:os.system [ls]", "why": "x", "version": "V"}
        ).encode(),
        400,
        False,
    ),
]


@pytest.mark.parametrize(("what", "body", "status", "early"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_bodies_change_nothing(
    client: TestClient,
    db: EditorialDB,
    token: str,
    what: str,
    body: bytes,
    status: int,
    early: bool,
) -> None:
    """Each write endpoint gets the hostile body: the expected status in the error shape,
    and nothing is written. (A removal reads only the version and the reason, so it is
    sent only the bodies refused before that.)"""
    version, doc = _get(client, token)
    body = body.replace(b'"V"', json.dumps(version).encode())
    sid = doc["events"][0]["sources"][0]
    endpoints = [("PUT", API), ("POST", f"{API}/events"), ("PUT", f"{API}/memberships/0")]
    endpoints += [("PUT", f"/api/v1/editor/sources/{sid}")]
    if early:
        endpoints += [("DELETE", f"{API}/events/0"), ("DELETE", f"{API}/memberships/0")]
    for method, path in endpoints:
        headers = {**_auth(token), "content-type": "application/json"}
        r = client.request(method, path, content=body, headers=headers)
        assert r.status_code == status, (what, method, path, r.status_code, r.text[:300])
        assert_error(r, status)
        assert_no_leak(r.text, *_secrets(db, token))
        if what == "billion laughs" and path in (API, f"/api/v1/editor/sources/{sid}"):
            assert "anchors and aliases" in r.json()["error"]["message"]
    _unchanged(db)


def test_hostile_forms_change_nothing(client: TestClient, db: EditorialDB, token: str) -> None:
    sign_in(client)
    csrf = session_csrf(client)
    version, doc = _get(client, token)
    url = f"/editors/groupings/{GID}/edit"
    base = {"csrf_token": csrf, "version": version, "why": "x"}
    for yaml_text, status in (
        (_LAUGHS, 400),
        ("[" * 5000 + "]" * 5000, 400),
        ("id: quad\nname: [unclosed", 400),
        ("just a string", 400),
        ("!!python/object/apply:os.system [ls]", 400),
        (dataset.document_text({**doc, "id": "other"}), 400),
    ):
        r = client.post(url, data={**base, "yaml": yaml_text})
        assert r.status_code == status, (yaml_text[:40], r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        assert_no_leak(r.text, *_secrets(db, token))
    big = {**base, "yaml": "x: " + "y" * 300 * 1024}
    # too large to be read: its anti-forgery token is not read either (403); with a token, 413
    assert client.post(url, data=big).status_code == 403
    assert client.post(url, data=big, headers=_auth(token)).status_code == 413
    assert client.post(
        url, content=b"\xff" * 100, headers={"content-type": "application/x-www-form-urlencoded"}
    ).status_code in (400, 403, 413)
    _unchanged(db)


@pytest.mark.parametrize("field", ["document", "event"])
def test_deep_json_that_parses_is_refused(
    client: TestClient, db: EditorialDB, token: str, field: str
) -> None:
    version, _ = _get(client, token)
    nested = "[" * 900 + "]" * 900
    body = f'{{"{field}": {{"id": "quad", "name": {nested}}}, "why": "x", "version": "{version}"}}'
    path = API if field == "document" else f"{API}/events"
    method = "PUT" if field == "document" else "POST"
    r = client.request(
        method, path, content=body, headers={**_auth(token), "content-type": "application/json"}
    )
    assert_error(r, 400)
    _unchanged(db)


def test_yaml_binary_value_is_refused(client: TestClient, db: EditorialDB, token: str) -> None:
    version, doc = _get(client, token)
    text = re.sub(r"(?m)^name: .*$", "name: !!binary UXVhZA==", dataset.document_text(doc), count=1)
    r = client.put(API, json={"yaml": text, "why": "x", "version": version}, headers=_auth(token))
    assert r.status_code == 400, r.text
    _unchanged(db)


def test_lone_surrogate_reason_is_refused(client: TestClient, db: EditorialDB, token: str) -> None:
    version, doc = _get(client, token)
    body = json.dumps({"document": {**doc, "name": "Quad"}, "why": "ok \ud800", "version": version})
    r = client.put(API, content=body, headers={**_auth(token), "content-type": "application/json"})
    assert r.status_code == 400, r.text
    _unchanged(db)


def test_lone_surrogate_in_yaml_text_is_refused(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    """Found by mutation testing: the YAML reader raised UnicodeEncodeError on a lone
    surrogate (JSON carries one escaped), so the edit failed with a server error."""
    version, doc = _get(client, token)
    text = dataset.document_text({**doc, "name": "Quad"}).replace("Quad", "Quad \ud800", 1)
    body = json.dumps({"yaml": text, "why": "ok", "version": version})
    r = client.put(API, content=body, headers={**_auth(token), "content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert "surrogates not allowed" in r.json()["error"]["message"]
    _unchanged(db)


def test_control_characters_cannot_break_the_feeds(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    version, doc = _get(client, token)
    r = client.put(
        API,
        json={
            "document": {**doc, "name": "Quad \x00\x07\x1b"},
            "why": "bell \x07",
            "version": version,
        },
        headers=_auth(token),
    )
    assert r.status_code == 400, r.text  # refused at the door ...
    _unchanged(db)
    for path in ("/feeds/changelog.atom", "/feeds/updates.atom", f"/feeds/groupings/{GID}.atom"):
        ET.fromstring(client.get(path).content)  # ... and the feeds stay well-formed


def test_a_feed_carrying_control_characters_stays_well_formed() -> None:
    """Whatever reaches a feed (a name, a title, a source, an attribute), the Atom
    document parses and every character XML cannot carry became U+FFFD."""
    from types import SimpleNamespace

    from minilat.web.feeds import atom

    bad = "Quad \x00\x07\x1b\ud800\uffff"
    src = SimpleNamespace(title=f"T{bad}", publisher=f"P{bad}", url="https://e.org/\x01")
    entry = {
        "grouping": "quad",
        "grouping_name": f"Quad{bad}",
        "date": "2024-01-02",
        "kind": "summit\x02",
        "title": f"Summit{bad}",
        "sources": [src],
    }
    body = atom("https://x.org", "/feeds/updates.atom", f"Updates{bad}", [entry], "2024-01-02")
    root = ET.fromstring(body)
    texts = [el.text or "" for el in root.iter()] + [
        v for el in root.iter() for v in el.attrib.values()
    ]
    assert any("Summit" in t for t in texts)
    assert not any(ch in t for t in texts for ch in "\x00\x01\x02\x07\x1b\ud800\uffff")
    assert any("\ufffd" in t for t in texts)


# -------------------------------------------------------------------- random bodies

#: Any character but lone surrogates, which the client cannot encode as UTF-8 (they are
#: sent escaped in test_lone_surrogate_reason_is_refused). Control characters: 400.
_CHARS = st.characters(exclude_categories=("Cs",))


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # a named function, not a multi-line lambda: hypothesis reads the source of `extend`
    # to check that it recurses, and cannot always find a lambda's
    return st.lists(inner, max_size=4) | st.dictionaries(
        st.text(_CHARS, max_size=8), inner, max_size=4
    )


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(_CHARS, max_size=20),
    _nested,
    max_leaves=12,
)
#: Sentinels replaced, when the request is made, by the record's current version or document.
CURRENT, DOC, EVENT = "<current version>", "<current document, renamed>", "<a valid event>"
_ENDPOINTS = [
    ("PUT", API),
    ("POST", f"{API}/events"),
    ("PUT", f"{API}/events/0"),
    ("DELETE", f"{API}/events/0"),
    ("POST", f"{API}/memberships"),
    ("PUT", f"{API}/memberships/0"),
    ("DELETE", f"{API}/memberships/99"),
    ("PUT", "/api/v1/editor/sources/<sid>"),
    ("PUT", "/api/v1/editor/groupings/hypothesis-new"),
]


def _mostly(good: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` three times in four, else ``other``."""
    return st.one_of(good, good, good, other)


_EDIT = st.fixed_dictionaries(
    {
        "why": _mostly(st.just("a reason"), st.text(_CHARS, max_size=30) | _JSON),
        "version": _mostly(st.just(CURRENT), st.sampled_from(["new", "0-000000000000"]) | _JSON),
    },
    optional={
        "document": _mostly(st.just(DOC), _JSON),
        "yaml": st.text(_CHARS, max_size=40) | _JSON,
        "event": _mostly(st.just(EVENT), _JSON),
        "membership": _JSON,
    },
)
#: Any JSON at all, or (three times in four) something shaped like an edit.
_BODIES = st.one_of(_JSON, _EDIT, _EDIT, _EDIT)
ALLOWED = {200, 201, 400, 404, 409, 413, 428}


def test_random_bodies_never_fail(client: TestClient, db: EditorialDB, token: str) -> None:
    """Random JSON to every write endpoint with a valid token: a clean answer (one of
    ALLOWED, the error shape when refused), never a 5xx; an audit record for each 2xx."""
    sid = _get(client, token)[1]["events"][0]["sources"][0]
    seen: dict[int, int] = {}

    def fill(value: Any, path: str) -> Any:
        target = path.replace("/events/0", "").replace("/events", "")
        target = re.sub(r"/memberships(/\d+)?$", "", target)
        if value == CURRENT:
            r = client.get(target, headers=_auth(token))
            return r.json()["version"] if r.status_code == 200 else "new"
        if value == DOC:
            r = client.get(target, headers=_auth(token))
            if r.status_code != 200:
                return {"id": "hypothesis-new", "name": "New", "periods": [{"start": "2020"}]}
            doc = r.json()["document"]
            key = "title" if "/sources/" in target else "name"
            return {**doc, key: f"{doc[key]}!"[-80:]}
        if value == EVENT:
            return {"date": "2024-02-02", "kind": "meeting", "title": "Random", "sources": [sid]}
        return value

    @settings(max_examples=100, deadline=None, derandomize=True, database=None)
    @given(endpoint=st.sampled_from(_ENDPOINTS), body=_BODIES, if_match=st.booleans())
    # one valid write for certain, so the run is never all refusals
    @example(
        endpoint=("POST", f"{API}/events"),
        body={"event": EVENT, "why": "because", "version": CURRENT},
        if_match=False,
    )
    def check(endpoint: tuple[str, str], body: Any, if_match: bool) -> None:
        method, path = endpoint[0], endpoint[1].replace("<sid>", sid)
        if isinstance(body, dict):
            body = {k: fill(v, path) for k, v in body.items()}
        headers = _auth(token)
        if if_match and isinstance(body, dict) and isinstance(body.get("version"), str):
            headers["if-match"] = f'"{body["version"]}"'
        before = len(db.audit_records(10_000))
        r = client.request(method, path, json=body, headers=headers)
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        assert r.status_code in ALLOWED, (method, path, body, r.status_code, r.text[:300])
        after = len(db.audit_records(10_000))
        if r.status_code < 300:
            assert after == before + 1
            assert set(r.json()) == {"change", "record"}
        else:
            assert after == before
            assert set(r.json()["error"]) == {"status", "code", "message", "hint"}

    check()
    assert sum(seen.values()) == 101, seen
    assert any(s >= 400 for s in seen) and any(s < 300 for s in seen), seen


# ------------------------------------------------ found by the security review (fixed)


def test_a_forged_host_never_reaches_another_client(client: TestClient) -> None:
    forged = client.get("/feeds/updates.atom", headers={"host": "attacker.example"})
    assert forged.status_code == 200
    honest = client.get("/feeds/updates.atom")
    assert "attacker.example" not in honest.text and "testserver" in honest.text


def test_an_id_with_a_trailing_newline_is_no_id(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    src = {"title": "T", "publisher": "P", "url": "https://e.org", "accessed": "2026-11-28"}
    r = client.put(
        "/api/v1/editor/sources/evil%0A",
        json={"document": {"id": "evil\n", **src}, "why": "x", "version": "new"},
        headers=_auth(token),
    )
    assert r.status_code == 404
    r = client.put(
        "/api/v1/editor/sources/evil",
        json={"document": {"id": "evil\n", **src}, "why": "x", "version": "new"},
        headers=_auth(token),
    )
    assert r.status_code == 400
    _unchanged(db)


def test_a_weak_tag_does_not_satisfy_if_match(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    version, doc = _get(client, token)
    r = client.put(
        API,
        json={"document": {**doc, "name": "Weak"}, "why": "x"},
        headers={**_auth(token), "if-match": f'W/"{version}"'},
    )
    assert r.status_code == 409 and r.json()["current"]["version"] == version
    _unchanged(db)


def test_non_finite_numbers_and_endless_lists_are_refused(
    client: TestClient, db: EditorialDB, token: str
) -> None:
    version, doc = _get(client, token)
    body = '{"document": {"id": "quad", "name": 1e999}, "why": "x", "version": "VERSION"}'
    body = body.replace("VERSION", version)
    r = client.put(API, content=body, headers={**_auth(token), "content-type": "application/json"})
    assert_error(r, 400)
    many = [dict(doc["memberships"][0], start="2020-01")] * 1001
    r = client.put(
        API,
        json={"document": {**doc, "memberships": many}, "why": "x", "version": version},
        headers=_auth(token),
    )
    assert_error(r, 400)
    assert "at most 1000" in r.json()["error"]["message"]
    _unchanged(db)


def test_a_busy_database_does_not_name_its_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.editorial.database import SuggestionStore
    from minilat.errors import StoreError

    def busy(*args: Any, **kwargs: Any) -> int:
        raise StoreError("cannot write the editorial database at /srv/secret/ed.db: locked")

    monkeypatch.setattr(SuggestionStore, "add", busy)
    page = client.get("/suggest")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = client.post(
        "/suggest",
        data={
            "what": "A correction",
            "where": "/groupings/quad",
            "source_url": "https://e.org",
            "csrf_token": token.group(1),
        },
    )
    assert r.status_code == 503 and "/srv/secret" not in r.text
    assert r.headers["retry-after"] == "5"
