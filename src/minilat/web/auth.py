"""Who is asking: editors' sign-in sessions, API tokens, and the checks on every write.

An editor is recognised by either

- ``Authorization: Bearer mlt_...``: an API token (``minilat editors token NAME``), for
  scripts; a malformed, unknown or revoked token is refused with 401 (never ignored); or
- the ``minilat_session`` cookie set by ``POST /editors/sign-in``: a random session id
  stored only as its SHA-256 hash in the editorial database, ``HttpOnly``,
  ``SameSite=Strict``, ``Path=/``, ``Max-Age`` :data:`minilat.editorial.editors.SESSION_SECONDS`,
  and ``Secure`` unless the request is plain http between loopback addresses
  (:func:`cookie_secure`).

Every write (POST) is also refused with 403 if its ``Origin`` header is another site's,
or ``Sec-Fetch-Site`` says ``cross-site``; a write made with a session must carry the
session's anti-forgery token (:func:`session_csrf`, an HMAC of the session id with the
site's secret) in the form field ``csrf_token`` or the header ``X-CSRF-Token``. A
bearer token needs none: browsers never add that header on their own.

>>> session_csrf(b"k", "abc") == session_csrf(b"k", "abc") != session_csrf(b"k", "abd")
True
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from minilat.errors import MinilatError
from minilat.web.http import wants_json
from minilat.web.site import Site

__all__ = [
    "CSRF_HEADER",
    "LOOPBACK",
    "SESSION_COOKIE",
    "Editor",
    "Forbidden",
    "Unauthorized",
    "cookie_secure",
    "editorial_db",
    "identify",
    "page_csrf",
    "page_editor",
    "read_form",
    "require_editor",
    "session_csrf",
]

SESSION_COOKIE = "minilat_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: Addresses for which a plain-http session cookie is allowed (no ``Secure`` flag).
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
#: The largest form an editor may post (bytes).
MAX_FORM = 16 * 1024


class Unauthorized(MinilatError):
    """No valid credentials (401)."""

    status = 401
    exit_code = 2


class Forbidden(MinilatError):
    """Credentials present but the request is not allowed (403): cross-site, no CSRF."""

    status = 403
    exit_code = 2


@dataclass(frozen=True)
class Editor:
    """The editor making a request, and how they proved it."""

    name: str
    via: str  # "token" or "session"
    session_id: str | None = None


def editorial_db(request: Request) -> EditorialDB:
    """The app's editorial database (opened once, on first use)."""
    site: Site = request.app.state.site
    return site.editorial


def session_csrf(secret: bytes, session_id: str) -> str:
    """The anti-forgery token bound to one session."""
    return hmac.new(secret, b"editor-csrf|" + session_id.encode(), hashlib.sha256).hexdigest()


def cookie_secure(request: Request) -> bool:
    """Whether the session cookie gets ``Secure``: always, except for plain http where
    both the client and the address asked for are loopback (``minilat serve`` on
    127.0.0.1 during development), where a Secure cookie would never be sent back."""
    client = request.client.host if request.client else ""
    return not (
        request.url.scheme == "http" and client in LOOPBACK and request.url.hostname in LOOPBACK
    )


def identify(request: Request) -> Editor | None:
    """The editor behind the request, or None if it carries no credentials at all.

    Raises :class:`Unauthorized` for an Authorization header that is not a live
    ``Bearer mlt_...`` token, or a session cookie that is unknown, ended or expired.
    """
    db = editorial_db(request)
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, token = auth.partition(" ")
        name = (
            editors.editor_for_token(db, token.strip())
            if scheme.lower() == "bearer" and len(token) < 200
            else None
        )
        if name is None:
            raise Unauthorized(
                "the API token is not valid (unknown, malformed or revoked)",
                hint="send 'Authorization: Bearer mlt_...' with a live token",
            )
        return Editor(name, "token")
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        name = editors.editor_for_session(db, sid)
        if name is None:
            raise Unauthorized("your session has ended", hint="sign in again at /editors/sign-in")
        return Editor(name, "session", sid)
    return None


def _same_origin(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def require_editor(
    request: Request, *, write: bool = False, csrf_field: str | None = None
) -> Editor:
    """The editor behind the request, or :class:`Unauthorized`.

    For a write (``write=True``): :class:`Forbidden` if it comes from another site, or if
    it uses a session without that session's anti-forgery token (from ``csrf_field``,
    the posted form's value, or the ``X-CSRF-Token`` header).
    """
    editor = identify(request)
    if editor is None:
        raise Unauthorized(
            "sign in first, or send an API token",
            hint="sign in at /editors/sign-in, or send 'Authorization: Bearer mlt_...'",
        )
    if write:
        if not _same_origin(request):
            raise Forbidden("cross-site requests cannot change anything here")
        if editor.via == "session":
            assert editor.session_id is not None
            given = csrf_field or request.headers.get(CSRF_HEADER) or ""
            good = session_csrf(request.app.state.site.secret, editor.session_id)
            if not hmac.compare_digest(given.encode(), good.encode()):
                raise Forbidden(
                    "the anti-forgery token is missing or wrong",
                    hint="send the csrf_token of your session (field or X-CSRF-Token header)",
                )
    return editor


def page_editor(request: Request) -> Editor | Response:
    """The editor behind a request for an editors' page, or the answer to send instead:
    a redirect to the sign-in form for a browser (JSON clients get the 401)."""
    try:
        return require_editor(request)
    except Unauthorized:
        if wants_json(request.scope.get("query_string", b""), request.headers.get("accept", "")):
            raise
        return RedirectResponse("/editors/sign-in", status_code=303)


def page_csrf(request: Request, editor: Editor) -> str | None:
    """The anti-forgery token an editors' page puts in its forms (None with a token)."""
    if editor.session_id is None:
        return None
    site: Site = request.app.state.site
    return session_csrf(site.secret, editor.session_id)


async def read_form(
    request: Request, fields: tuple[str, ...], limit: int = MAX_FORM
) -> dict[str, str] | None:
    """The posted web form's ``fields`` (missing ones empty), or None if the body is not
    a form of at most ``limit`` bytes (:data:`MAX_FORM` by default)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    try:
        raw = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
    return {k: raw.get(k, [""])[0] for k in fields}


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    """Give the browser its session cookie (see the module's description)."""
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=editors.SESSION_SECONDS,
        path="/",
        secure=cookie_secure(request),
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=cookie_secure(request), httponly=True, samesite="strict"
    )
