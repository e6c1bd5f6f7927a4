"""Suggest a correction: a public form, protected against cross-site request forgery.

The protection is a signed double-submit token: the form page sets a cookie holding
``nonce.signature`` (HMAC-SHA256 with the site's secret, from ``MINILAT_SECRET`` or made
per process) and puts the same token in a hidden field; a submission is accepted only if
both are present, equal and correctly signed. Bodies are capped at :data:`MAX_BODY` bytes,
each field has a size limit, and every value is shown back only through autoescaped
templates. Submissions are rate-limited per client address (:data:`RATE`: a token
bucket in memory); over the limit the answer is 429 with ``Retry-After``.

>>> t = make_token(b"k")
>>> check_token(b"k", t, t), check_token(b"other", t, t), check_token(b"k", "é", "é")
(True, False, False)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from minilat.web.auth import cookie_secure
from minilat.web.http import error_body
from minilat.web.middleware import RateLimiter, await_wait_for
from minilat.web.render import json_response, request_wants_json
from minilat.web.site import Site, get_site

__all__ = [
    "COOKIE",
    "LIMITS",
    "MAX_BODY",
    "RATE",
    "check_token",
    "clean_text",
    "make_token",
    "router",
]

router = APIRouter(include_in_schema=False)
SiteDep = Annotated[Site, Depends(get_site)]

COOKIE = "minilat_csrf"
FIELD = "csrf_token"
MAX_BODY = 16 * 1024
#: The size limit of each field, in characters.
LIMITS = {"what": 2000, "where": 300, "source_url": 500}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_NO_STORE = "no-store"
#: Submissions allowed per client address: a burst of 10, then one a minute (10 / 600 s).
RATE = (10, 600.0)


def make_token(secret: bytes) -> str:
    """A fresh ``nonce.signature`` token."""
    nonce = secrets.token_urlsafe(18)
    sig = hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()
    return f"{nonce}.{sig}"


def check_token(secret: bytes, cookie: str | None, field: str | None) -> bool:
    """True if the cookie and the form field carry the same, correctly signed token."""
    # compared as bytes: compare_digest refuses str with non-ASCII characters (TypeError)
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        return False
    nonce, _, sig = field.partition(".")
    good = hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()
    return bool(nonce) and hmac.compare_digest(sig.encode(), good.encode())


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without control characters (nor bidirectional overrides): line breaks
    are kept (as ``\\n``) only when ``multiline``, tabs become spaces.

    >>> clean_text("a\\x07b\\r\\nc\\td\\u202e", multiline=True)
    'ab\\nc d'
    >>> clean_text("line\\nbreak")
    'linebreak'
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        value = value.replace("\n", "")
    return _CONTROL.sub("", value)


def _validate(form: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    what, where, url = form["what"], form["where"], form["source_url"]
    if len(what) < 10:
        errors["what"] = "Say what is wrong or missing, in at least 10 characters."
    if not where:
        errors["where"] = "Say where: a page address, a grouping id or a country."
    if not url:
        errors["source_url"] = "Give a source (an address starting with https://)."
    elif not _URL.match(url):
        errors["source_url"] = "The source must be a web address starting with http:// or https://."
    for name, limit in LIMITS.items():
        if len(form[name]) > limit:
            errors[name] = f"At most {limit} characters, please."
    return errors


def _form_page(
    request: Request,
    site: Site,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    sent: int | None = None,
    message: str | None = None,
) -> Response:
    token = make_token(site.secret)
    data: dict[str, Any] = {
        "form": form
        or {"what": "", "where": request.query_params.get("where", "")[:300], "source_url": ""},
        "errors": errors or {},
        "limits": LIMITS,
        "sent": sent,
        "message": message,
        "csrf_token": token,
    }
    renderer = request.app.state.renderer
    if request_wants_json(request):
        if errors or message:
            first = message or next(iter((errors or {}).values()))
            body = error_body(
                status,
                first,
                hint="; ".join(f"{k}: {v}" for k, v in (errors or {}).items()) or None,
            )
            resp = json_response(body, status, cache_control=_NO_STORE)
        else:
            resp = json_response(data, status, cache_control=_NO_STORE)
    else:
        resp = renderer.html(request, "suggest.html", data, status=status, cache_control=_NO_STORE)
    resp.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/suggest",
        secure=cookie_secure(request),
    )
    return resp


@router.get("/suggest")
def suggest_form(request: Request, site: SiteDep) -> Response:
    return _form_page(request, site)


@router.post("/suggest")
async def suggest_submit(request: Request, site: SiteDep) -> Response:
    wait = await await_wait_for(request, "suggest", RATE)
    if wait:
        minutes = max(1, round(wait / 60))
        resp = _form_page(
            request,
            site,
            status=429,
            message=f"Too many suggestions from your address; please try again in about"
            f" {minutes} minute{'s' if minutes != 1 else ''}.",
        )
        resp.headers["retry-after"] = RateLimiter.retry_after(wait)
        return resp
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return _form_page(request, site, status=415, message="Send the form as a web form.")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return _form_page(request, site, status=413, message="The suggestion is too long.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return _form_page(request, site, status=413, message="The suggestion is too long.")
    try:
        raw = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return _form_page(request, site, status=400, message="The form could not be read.")
    form = {k: clean_text(raw.get(k, [""])[0], multiline=k == "what").strip() for k in LIMITS}
    if not check_token(site.secret, request.cookies.get(COOKIE), raw.get(FIELD, [""])[0]):
        return _form_page(
            request,
            site,
            form=form,
            status=403,
            message="The form expired or did not come from this site; please send it again.",
        )
    errors = _validate(form)
    if errors:
        return _form_page(request, site, form=form, errors=errors, status=400)
    sid = site.suggestions.add(
        what=form["what"], where=form["where"], source_url=form["source_url"]
    )
    return _form_page(request, site, form=form, sent=sid)
