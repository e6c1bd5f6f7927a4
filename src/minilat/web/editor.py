"""Editors' pages and API: sign in and out, review suggestions, and the public changelog.

- ``GET/POST /editors/sign-in`` (a form with a double-submit anti-forgery token, as
  ``/suggest``; rate-limited per client by :data:`SIGN_IN_RATE`), ``POST /editors/sign-out``;
- ``GET /editors``: the open suggestions, each with accept / reject forms (a reason is
  required), posted to ``POST /editors/suggestions/{id}/{accept,reject}``;
- ``GET /api/v1/editor/suggestions``, ``POST /api/v1/editor/suggestions/{id}/accept`` and
  ``/reject`` (JSON ``{"reason": "..."}``), for scripts with an API token;
- ``GET /changelog`` and ``GET /feeds/changelog.atom``: every decision, public, with the
  editor's name only.

Every decision writes its audit record in the same transaction as the change
(:meth:`minilat.editorial.database.EditorialDB.decide_suggestion`). Nothing here is cached: the
answers are ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from minilat.dataset import plain_document
from minilat.editorial import editors, edits
from minilat.errors import BadInput
from minilat.web import auth
from minilat.web.edit import KIND_PATHS, history_link
from minilat.web.feeds import sub
from minilat.web.http import error_body, error_responses
from minilat.web.middleware import RateLimiter, await_wait_for
from minilat.web.render import json_response, request_wants_json
from minilat.web.site import Site, get_site
from minilat.web.suggest import check_token, make_token

__all__ = ["ACTIONS", "MAX_REASON", "SIGN_IN_RATE", "api_router", "router"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/editor", tags=["editors"])
SiteDep = Annotated[Site, Depends(get_site)]

NO_STORE = "no-store"
#: Sign-in attempts allowed per client address: a burst of 5, then one a minute.
SIGN_IN_RATE = (5, 300.0)
#: The sign-in form's double-submit cookie (only sent back to the form itself).
SIGN_IN_COOKIE = "minilat_signin_csrf"
#: The decisions an editor can make on a suggestion, and the status each one sets.
ACTIONS = {"accept": "accepted", "reject": "rejected"}
#: The longest reason accepted, in characters.
MAX_REASON = 2000
_WRONG = "unknown editor or wrong password"
ATOM = "http://www.w3.org/2005/Atom"


def _page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    if request_wants_json(request):
        return json_response(data, status, cache_control=NO_STORE)
    renderer = request.app.state.renderer
    return renderer.html(request, template, data, status=status, cache_control=NO_STORE)


# ------------------------------------------------------------------------- sign in / out


def _sign_in_page(
    request: Request, site: Site, *, status: int = 200, message: str | None = None, name: str = ""
) -> Response:
    token = make_token(site.secret)
    if request_wants_json(request) and message:
        resp = json_response(error_body(status, message), status, cache_control=NO_STORE)
    else:
        data = {"csrf_token": token, "message": message, "name": name}
        resp = _page(request, "signin.html", data, status)
    resp.set_cookie(
        SIGN_IN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/editors/sign-in",
        secure=auth.cookie_secure(request),
    )
    return resp


@router.get("/editors/sign-in")
def sign_in_form(request: Request, site: SiteDep) -> Response:
    return _sign_in_page(request, site)


@router.post("/editors/sign-in")
async def sign_in(request: Request, site: SiteDep) -> Response:
    wait = await await_wait_for(request, "sign_in", SIGN_IN_RATE)
    if wait:
        resp = _sign_in_page(
            request, site, status=429, message="Too many sign-in attempts; please wait a minute."
        )
        resp.headers["retry-after"] = RateLimiter.retry_after(wait)
        return resp
    if not auth._same_origin(request):
        return _sign_in_page(request, site, status=403, message="Sign in from this site.")
    form = await auth.read_form(request, ("name", "password", "csrf_token"))
    if form is None:
        return _sign_in_page(request, site, status=400, message="The form could not be read.")
    if not check_token(site.secret, request.cookies.get(SIGN_IN_COOKIE), form["csrf_token"]):
        return _sign_in_page(
            request, site, status=403, message="The form expired; please sign in again."
        )
    db = auth.editorial_db(request)
    name, password = form["name"].strip()[:100], form["password"][:1000]
    if not await run_in_threadpool(editors.verify_password, db, name, password):
        return _sign_in_page(request, site, status=401, message=_WRONG, name=name)
    session_id = editors.new_session(db, name)
    resp = RedirectResponse("/editors", status_code=303, headers={"cache-control": NO_STORE})
    auth.set_session_cookie(request, resp, session_id)
    return resp


@router.post("/editors/sign-out")
async def sign_out(request: Request) -> Response:
    form = await auth.read_form(request, ("csrf_token",))
    editor = auth.require_editor(request, write=True, csrf_field=(form or {}).get("csrf_token"))
    if editor.session_id is None:
        raise auth.Unauthorized("signing out needs a session", hint="API tokens are revoked")
    editors.end_session(auth.editorial_db(request), editor.session_id)
    resp = RedirectResponse("/", status_code=303, headers={"cache-control": NO_STORE})
    auth.clear_session_cookie(request, resp)
    return resp


# -------------------------------------------------------------------------- review


@router.get("/editors")
def review_page(request: Request) -> Response:
    editor = auth.page_editor(request)
    if isinstance(editor, Response):
        return editor
    site: Site = request.app.state.site
    db = auth.editorial_db(request)
    data = {
        "editor": editor.name,
        "suggestions": db.open_suggestions(),
        "csrf_token": auth.page_csrf(request, editor),
        "max_reason": MAX_REASON,
        "groupings": [{"id": g.id, "name": g.name} for g in site.ds.groupings.values()],
        "pending": [
            {
                "target": rec.target,
                "link": history_link(rec.target),
                "edit": f"/editors/{KIND_PATHS[rec.kind]}/{rec.id}/edit",
                "yaml_changed": rec.yaml_changed,
            }
            for rec in edits.records_of(site.base, db.records())
            if rec.pending
        ],
    }
    return _page(request, "editors.html", data)


def _reason(value: Any) -> str:
    reason = plain_document(value.strip(), "reason") if isinstance(value, str) else ""
    if not reason:
        raise BadInput("a reason is required", hint="say why, in a sentence")
    if len(reason) > MAX_REASON:
        raise BadInput(f"the reason is too long: at most {MAX_REASON} characters")
    return reason


def _decide(request: Request, editor: auth.Editor, sid: int, action: str, why: str) -> Any:
    return auth.editorial_db(request).decide_suggestion(
        sid, editor=editor.name, status=ACTIONS[action], why=why
    )


@router.post("/editors/suggestions/{sid}/{action}")
async def review_form(request: Request, sid: int, action: str) -> Response:
    form = await auth.read_form(request, ("csrf_token", "reason"))
    editor = auth.require_editor(request, write=True, csrf_field=(form or {}).get("csrf_token"))
    if action not in ACTIONS:
        raise BadInput(f"unknown action {action!r}", hint="accept or reject")
    if form is None:
        raise BadInput("send the decision as a web form")
    _decide(request, editor, sid, action, _reason(form["reason"]))
    return RedirectResponse("/editors", status_code=303, headers={"cache-control": NO_STORE})


_RESPONSES = error_responses(
    (400, "Bad input (no reason, a reason too long, a body that is not JSON)"),
    (401, "No credentials, or an unknown, malformed or revoked token or session"),
    (403, "Cross-site, or a session without its anti-forgery token"),
    (404, "No such suggestion"),
    (409, "The suggestion was already decided"),
    (422, "Invalid parameters"),
)


@api_router.get("/suggestions", responses=_RESPONSES)
def api_suggestions(request: Request) -> Response:
    """The open suggestions (an editor's token or session is required). Never cached:
    ``Cache-Control: no-store``, so no shared cache keeps an editor's answer."""
    editor = auth.require_editor(request)
    data = {
        "editor": editor.name,
        "suggestions": auth.editorial_db(request).open_suggestions(),
        "csrf_token": auth.page_csrf(request, editor),
    }
    return json_response(data, cache_control=NO_STORE)


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string", "maxLength": MAX_REASON}},
                }
            }
        },
    }
}


async def _api_decide(request: Request, sid: int, action: str) -> Response:
    editor = auth.require_editor(request, write=True)
    body = await request.body()
    try:
        data = json.loads(body) if len(body) <= auth.MAX_FORM else None
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise BadInput('send JSON: {"reason": "..."}')
    record = _decide(request, editor, sid, action, _reason(data.get("reason")))
    return json_response(record, cache_control=NO_STORE)


@api_router.post("/suggestions/{sid}/accept", responses=_RESPONSES, openapi_extra=_BODY)
async def api_accept(request: Request, sid: int) -> Response:
    """Accept a suggestion, with a reason; answers the audit record."""
    return await _api_decide(request, sid, "accept")


@api_router.post("/suggestions/{sid}/reject", responses=_RESPONSES, openapi_extra=_BODY)
async def api_reject(request: Request, sid: int) -> Response:
    """Reject a suggestion, with a reason; answers the audit record."""
    return await _api_decide(request, sid, "reject")


# ---------------------------------------------------------------------- the changelog


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """An audit record as shown to everyone: the editor's name, never anything secret."""
    after = record.get("after") or {}
    before = record.get("before")
    if record["target"].startswith("suggestion:"):
        # a decision, not the submitter's text: only what the editor wrote (the reason) is
        # published, whatever the visitor sent stays with the editors
        summary = f"a visitor's suggestion was {after.get('status', record['action'])}"
        before = after = None
    else:
        summary = edits.summary(before, after, record["action"])
        # whole documents can be large: the record's history has the diff
        before = after = None
    return {
        "id": record["id"],
        "at": record["at"],
        "editor": record["editor"],
        "action": record["action"],
        "target": record["target"],
        "link": history_link(record["target"]),
        "summary": summary,
        "before": before,
        "after": after,
        "why": record["why"],
    }


def changelog_entries(request: Request, limit: int = 100) -> list[dict[str, Any]]:
    return [_public(r) for r in auth.editorial_db(request).audit_records(limit)]


@router.get("/changelog")
def changelog(request: Request) -> Response:  # sync: run in a worker thread
    return _page(request, "changelog.html", {"entries": changelog_entries(request)})


def changelog_atom(base: str, entries: list[dict[str, Any]]) -> bytes:
    """The changelog as an Atom document (text escaped by the XML serialiser)."""
    ET.register_namespace("", ATOM)

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", base + "/feeds/changelog.atom")
    sub(feed, "title", "minilat: editorial changelog")
    stamp = (entries[0]["at"] if entries else "1970-01-01T00:00:00+00:00").replace("+00:00", "Z")
    sub(feed, "updated", stamp)
    sub(sub(feed, "author"), "name", "minilat editors")
    sub(feed, "link", rel="self", href=base + "/feeds/changelog.atom")
    sub(feed, "link", rel="alternate", href=base + "/changelog", type="text/html")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{base}/changelog#change-{e['id']}")
        sub(entry, "title", f"{e['target']} {e['action']} by {e['editor']}")
        sub(entry, "updated", e["at"].replace("+00:00", "Z"))
        link = f"{base}{e['link']}#change-{e['id']}" if e["link"] else None
        sub(entry, "link", rel="alternate", href=link or f"{base}/changelog#change-{e['id']}")
        sub(sub(entry, "author"), "name", e["editor"])
        sub(entry, "summary", f"{e['action']}: {e['summary']}. Why: {e['why']}")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


@router.get("/feeds/changelog.atom")
def changelog_feed(request: Request) -> Response:  # sync: run in a worker thread
    body = changelog_atom(str(request.base_url).rstrip("/"), changelog_entries(request))
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"cache-control": NO_STORE},
    )
