"""Editing the data on the web and through the API, and the public history of each record.

Editors (a session with its anti-forgery token, or an API token) change groupings, their
memberships and events, and sources. Every change names the version it was made
against (``If-Match`` or the field ``version``); a stale one answers 409 with the
current record, never overwriting silently (:mod:`minilat.editorial.edits`).

- ``GET /api/v1/editor/groupings/{id}``, ``PUT`` the whole document (JSON, or YAML text
  in ``yaml``); ``POST /api/v1/editor/groupings/{id}/memberships`` (and ``/events``) to
  add one item, ``PUT`` / ``DELETE`` ``.../memberships/{n}`` to replace or remove item n;
  ``GET`` / ``PUT /api/v1/editor/sources/{id}``;
- ``GET``/``POST /editors/groupings/{id}/edit`` and ``/editors/sources/{id}/edit``: the
  record's YAML in a form;
- ``GET /groupings/{id}/history`` and ``/sources/{id}/history`` (public): every change
  with who, when, why and the diff; ``GET /api/v1/groupings/{id}/history``.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from minilat import dataset as _dataset
from minilat.editorial import edits
from minilat.errors import BadInput, MinilatError, NotFound
from minilat.model import SLUG_RE
from minilat.web import auth
from minilat.web.http import ErrorOut, error_responses
from minilat.web.render import json_response, request_wants_json
from minilat.web.site import Site, get_site

__all__ = [
    "KIND_PATHS",
    "api_router",
    "history_entries",
    "history_link",
    "public_api_router",
    "router",
]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/editor", tags=["editors"])
public_api_router = APIRouter(prefix="/api/v1", tags=["history"])
SiteDep = Annotated[Site, Depends(get_site)]
Before = Annotated[
    int | None, Query(ge=1, le=2**63 - 1, description="Only changes older than this one")
]

NO_STORE = "no-store"
#: The largest edit accepted (bytes): a document plus its reason and version.
MAX_BODY = _dataset.MAX_DOCUMENT + 16 * 1024
#: The address segment of each kind of record.
KIND_PATHS = {"grouping": "groupings", "source": "sources"}


def history_link(target: str) -> str | None:
    """The public history page of a change's target, None for what has none (suggestions).

    >>> history_link("grouping:quad"), history_link("suggestion:3")
    ('/groupings/quad/history', None)
    """
    kind, _, ident = target.partition(":")
    return f"/{KIND_PATHS[kind]}/{ident}/history" if kind in KIND_PATHS else None


class PreconditionRequired(MinilatError):
    """A change that does not say which version it was made against (428)."""

    status = 428
    exit_code = 2


class TooLarge(MinilatError):
    status = 413
    exit_code = 2


def _slug(ident: str, kind: str) -> str:
    if not SLUG_RE.match(ident) or len(ident) > 100:
        raise NotFound(f"no {kind} {ident!r}", hint="ids are lowercase letters, digits, - and _")
    return ident


def _record_response(rec: edits.Record, status: int = 200) -> Response:
    resp = json_response(rec.as_dict(), status, cache_control=NO_STORE)
    resp.headers["etag"] = f'"{rec.etag}"'
    return resp


def _expected(request: Request, body: dict[str, Any]) -> str:
    """The version the change was made against: ``If-Match``, else the field ``version``."""
    header = request.headers.get("if-match")
    given = body.get("version")
    value = given if isinstance(given, str) else ""
    if header is not None:
        # a weak tag (W/"...") never satisfies If-Match: it is compared as it is, and fails
        from_header = header.strip().strip('"')
        if value and value != from_header:
            raise BadInput(
                f"If-Match ({from_header}) and the field 'version' ({value}) disagree",
                hint="send the version you changed once, in either",
            )
        value = from_header
    if not value:
        raise PreconditionRequired(
            "say which version you changed: send If-Match or the field 'version'",
            hint="GET the record first; its version is in the ETag and the field 'version'",
        )
    return value[:100]


async def _json_body(request: Request) -> dict[str, Any]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise TooLarge(f"the request is too large: at most {MAX_BODY // 1024} KiB")
    try:
        data = json.loads(body) if body else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadInput(
            "the body is not JSON", hint="send a JSON object; see /api/docs for its fields"
        ) from None
    if not isinstance(data, dict):
        raise BadInput("the body must be a JSON object")
    return data


def _document(data: dict[str, Any], kind: str) -> Any:
    if "document" in data and "yaml" in data:
        raise BadInput(f"send the {kind} once: as 'document' or as 'yaml', not both")
    if "document" in data:
        return data["document"]
    if isinstance(data.get("yaml"), str):
        return _dataset.parse_document(data["yaml"], f"the {kind} YAML")
    raise BadInput(f"send the {kind} as 'document' (JSON) or 'yaml' (text)")


# ------------------------------------------------------------------------------ API

_RESPONSES = error_responses(
    (400, "Bad input: a document that does not validate ('problems'), no reason, not JSON"),
    (401, "No credentials, or an unknown, malformed or revoked token or session"),
    (403, "Cross-site, or a session without its anti-forgery token"),
    (404, "No such record (or no such item of it)"),
    (409, "Changed meanwhile: the answer's 'current' is the record now"),
    (413, "The request is too large"),
    (422, "Invalid parameters"),
    (428, "No version given (If-Match or the field 'version')"),
)


def _body_schema(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "object", "required": required, "properties": properties}
                }
            },
        },
        "parameters": [
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The version changed (else the body's 'version')",
            }
        ],
    }


_VERSION = {"type": "string", "description": "The version changed (as GET gave it)"}
_WHY = {"type": "string", "maxLength": edits.MAX_WHY, "description": "Why, with its source"}
_DOC_BODY = _body_schema(
    ["why"],
    {
        "document": {"type": "object", "description": "The whole record, as in its YAML file"},
        "yaml": {"type": "string", "description": "Or the whole record as YAML text"},
        "version": _VERSION,
        "why": _WHY,
    },
)


def _item_body(noun: str) -> dict[str, Any]:
    return _body_schema([noun, "why"], {noun: {"type": "object"}, "version": _VERSION, "why": _WHY})


_DELETE_BODY = _body_schema(["why"], {"version": _VERSION, "why": _WHY})


def _editor(request: Request) -> auth.Editor:
    return auth.require_editor(request, write=True)


async def _get(request: Request, site: Site, kind: str, ident: str) -> Response:
    auth.require_editor(request)
    return _record_response(edits.record(site.editorial, site.base, kind, _slug(ident, kind)))


async def _put(request: Request, site: Site, kind: str, ident: str) -> Response:
    editor = _editor(request)
    ident = _slug(ident, kind)
    data = await _json_body(request)
    expected = _expected(request, data)
    change, rec = edits.save(
        site.editorial,
        site.base,
        site.ds,
        kind,
        ident,
        _document(data, kind),
        expected=expected,
        editor=editor.name,
        why=data.get("why"),
    )
    site.changed()
    out = {"change": _public(change), "record": rec.as_dict()}
    resp = json_response(out, 201 if expected == "new" else 200, cache_control=NO_STORE)
    resp.headers["etag"] = f'"{rec.etag}"'
    return resp


@api_router.get("/groupings/{gid}", responses=_RESPONSES)
async def api_grouping(request: Request, site: SiteDep, gid: str) -> Response:
    """A grouping's whole document and its version (an editor's token or session)."""
    return await _get(request, site, "grouping", gid)


_PUT_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "Created (the version sent was 'new')"},
    **_RESPONSES,
}


@api_router.put("/groupings/{gid}", responses=_PUT_RESPONSES, openapi_extra=_DOC_BODY)
async def api_put_grouping(request: Request, site: SiteDep, gid: str) -> Response:
    """Replace a grouping's whole document (version ``new`` creates one)."""
    return await _put(request, site, "grouping", gid)


@api_router.get("/sources/{sid}", responses=_RESPONSES)
async def api_source(request: Request, site: SiteDep, sid: str) -> Response:
    """A source's document and its version."""
    return await _get(request, site, "source", sid)


@api_router.put("/sources/{sid}", responses=_PUT_RESPONSES, openapi_extra=_DOC_BODY)
async def api_put_source(request: Request, site: SiteDep, sid: str) -> Response:
    """Replace a source (version ``new`` creates one, to cite it)."""
    return await _put(request, site, "source", sid)


async def _item(
    request: Request, site: Site, gid: str, list_field: str, index: int | None, remove: bool
) -> Response:
    editor = _editor(request)
    gid = _slug(gid, "grouping")
    data = await _json_body(request)
    expected = _expected(request, data)
    noun = edits.ITEM_FIELDS[list_field]
    item = None if remove else data.get(noun)
    if not remove and item is None:
        raise BadInput(f"send the {noun} as the field {noun!r}")
    change, rec = edits.change_item(
        site.editorial,
        site.base,
        site.ds,
        gid,
        list_field,
        index,
        item,
        expected=expected,
        editor=editor.name,
        why=data.get("why"),
    )
    site.changed()
    resp = json_response(
        {"change": _public(change), "record": rec.as_dict()},
        201 if index is None else 200,
        cache_control=NO_STORE,
    )
    resp.headers["etag"] = f'"{rec.etag}"'
    return resp


def _add_item_routes(list_field: str) -> None:
    noun = edits.ITEM_FIELDS[list_field]

    async def add(request: Request, site: SiteDep, gid: str) -> Response:
        return await _item(request, site, gid, list_field, None, False)

    async def replace(request: Request, site: SiteDep, gid: str, n: int) -> Response:
        return await _item(request, site, gid, list_field, n, False)

    async def remove(request: Request, site: SiteDep, gid: str, n: int) -> Response:
        return await _item(request, site, gid, list_field, n, True)

    add.__doc__ = f"Add one {noun} to a grouping."
    replace.__doc__ = f"Replace {noun} n (counted from 0, as in the document) of a grouping."
    remove.__doc__ = f"Remove {noun} n of a grouping."
    path = f"/groupings/{{gid}}/{list_field}"
    api_router.add_api_route(
        path,
        add,
        methods=["POST"],
        responses=_RESPONSES,
        openapi_extra=_item_body(noun),
        name=f"add_{noun}",
        status_code=201,
    )
    api_router.add_api_route(
        path + "/{n}",
        replace,
        methods=["PUT"],
        responses=_RESPONSES,
        openapi_extra=_item_body(noun),
        name=f"replace_{noun}",
    )
    api_router.add_api_route(
        path + "/{n}",
        remove,
        methods=["DELETE"],
        responses=_RESPONSES,
        openapi_extra=_DELETE_BODY,
        name=f"remove_{noun}",
    )


for _field in edits.ITEM_FIELDS:
    _add_item_routes(_field)


# -------------------------------------------------------------------- the web forms


def _form_data(
    site: Site,
    kind: str,
    ident: str,
    editor: auth.Editor,
    request: Request,
    *,
    text: str | None = None,
    version: str | None = None,
    why: str = "",
) -> dict[str, Any]:
    rec = edits.current(kind, ident, site.base, site.editorial.record(f"{kind}:{ident}"))
    doc = rec.doc if rec.doc is not None else _skeleton(kind, ident)
    return {
        "kind": kind,
        "id": ident,
        "path": KIND_PATHS[kind],
        "new": rec.doc is None,
        "editor": editor.name,
        "csrf_token": auth.page_csrf(request, editor),
        "version": version or rec.etag,
        "current_version": rec.etag,
        "pending_sync": rec.pending,
        "yaml_changed": rec.yaml_changed,
        "yaml_diff": edits.diff(rec.yaml_doc, rec.doc, ident) if rec.yaml_changed else "",
        "yaml": text if text is not None else _dataset.document_text(doc),
        "why": why,
        "max_why": edits.MAX_WHY,
        "problems": [],
        "message": None,
        "conflict": None,
        "sources": sorted(_cited(doc)) if kind == "grouping" else [],
    }


def _cited(doc: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "sources" and isinstance(v, list):
                out |= {s for s in v if isinstance(s, str)}
            else:
                out |= _cited(v)
    elif isinstance(doc, list):
        for v in doc:
            out |= _cited(v)
    return out


def _skeleton(kind: str, ident: str) -> dict[str, Any]:
    if kind == "source":
        return {"id": ident, "title": "", "publisher": "", "url": "https://", "accessed": ""}
    return {
        "id": ident,
        "name": "",
        "periods": [{"start": "", "sources": []}],
        "themes": {"value": [], "sources": []},
        "memberships": [],
        "events": [],
    }


def _edit_page(request: Request, data: dict[str, Any], status: int = 200) -> Response:
    renderer = request.app.state.renderer
    return renderer.html(request, "edit.html", data, status=status, cache_control=NO_STORE)


async def _edit_form(request: Request, site: Site, kind: str, ident: str) -> Response:
    editor = auth.page_editor(request)
    if isinstance(editor, Response):
        return editor
    ident = _slug(ident, kind)
    return _edit_page(request, _form_data(site, kind, ident, editor, request))


async def _edit_post(request: Request, site: Site, kind: str, ident: str) -> Response:
    form = await auth.read_form(request, ("csrf_token", "version", "yaml", "why"), limit=MAX_BODY)
    editor = auth.require_editor(request, write=True, csrf_field=(form or {}).get("csrf_token"))
    ident = _slug(ident, kind)
    if form is None:
        raise TooLarge(f"send the edit as a web form of at most {MAX_BODY // 1024} KiB")
    text, why = form["yaml"].replace("\r\n", "\n"), form["why"]
    data = _form_data(
        site, kind, ident, editor, request, text=text, version=form["version"], why=why
    )
    try:
        doc = _dataset.parse_document(text, f"the {kind} YAML")
        edits.save(
            site.editorial,
            site.base,
            site.ds,
            kind,
            ident,
            doc,
            expected=form["version"],
            editor=editor.name,
            why=why,
        )
    except edits.StaleEdit as e:
        current = e.current
        data["version"] = current.etag
        data["conflict"] = {
            "yaml": _dataset.document_text(current.doc) if current.doc is not None else "",
            "diff": edits.diff(current.doc, _safe_doc(text), ident),
        }
        data["message"] = e.message
        return _edit_page(request, data, 409)
    except edits.EditInvalid as e:
        # checked again only when invalid, on the editor's own text: its line numbers
        if kind == "grouping":
            _, problems = _dataset.check_grouping(text, ident, site.ds)
        else:
            _, problems = _dataset.check_source(text, ident)
        data["problems"] = [
            {"line": p.line, "field": p.field, "message": p.message} for p in problems or e.problems
        ]
        data["message"] = f"The {kind} does not validate; nothing was saved."
        return _edit_page(request, data, 400)
    except BadInput as e:
        data["message"] = e.message
        return _edit_page(request, data, 400)
    site.changed()
    return RedirectResponse(
        f"/{KIND_PATHS[kind]}/{ident}/history", status_code=303, headers={"cache-control": NO_STORE}
    )


def _safe_doc(text: str) -> Any:
    try:
        return _dataset.parse_document(text)
    except BadInput:
        return None


@router.get("/editors/groupings/{gid}/edit")
async def edit_grouping_form(request: Request, site: SiteDep, gid: str) -> Response:
    return await _edit_form(request, site, "grouping", gid)


@router.post("/editors/groupings/{gid}/edit")
async def edit_grouping(request: Request, site: SiteDep, gid: str) -> Response:
    return await _edit_post(request, site, "grouping", gid)


@router.get("/editors/sources/edit")
def edit_source_by_id(request: Request, id: str = "") -> Response:
    """The small form on /editors ("edit or add the source with id ...") lands here."""
    return RedirectResponse(f"/editors/sources/{_slug(id.strip(), 'source')}/edit", status_code=303)


@router.get("/editors/sources/{sid}/edit")
async def edit_source_form(request: Request, site: SiteDep, sid: str) -> Response:
    return await _edit_form(request, site, "source", sid)


@router.post("/editors/sources/{sid}/edit")
async def edit_source(request: Request, site: SiteDep, sid: str) -> Response:
    return await _edit_post(request, site, "source", sid)


# ------------------------------------------------------------------- public history


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A change as shown to everyone: the editor's name, never anything secret."""
    return {
        k: record.get(k)
        for k in ("id", "at", "editor", "action", "target", "before", "after", "why")
    }


#: Changes shown per page of a history (each with its diff); older ones: ``?before=ID``.
HISTORY_PAGE = 50


def history_entries(
    site: Site, kind: str, ident: str, limit: int = HISTORY_PAGE, before: int | None = None
) -> list[dict[str, Any]]:
    """The changes to one record, newest first (older than change ``before`` if given),
    each with its diff."""
    out = []
    for r in site.editorial.audit_records(limit, target=f"{kind}:{ident}", before=before):
        e = {k: r[k] for k in ("id", "at", "editor", "action", "target", "why")}
        e["diff"], e["summary"] = _described(site, r, ident)
        out.append(e)
    return out


#: How many changes' diffs and summaries a process remembers.
CHANGES_KEPT = 5000
_changes: OrderedDict[tuple[str, int], tuple[str, str]] = OrderedDict()
_changes_lock = threading.Lock()


def _described(site: Site, r: dict[str, Any], ident: str) -> tuple[str, str]:
    """A change's diff and summary: an audit record never changes, so each is computed
    once per process (not again after every edit, as the dataset's answers are)."""
    key = (str(site.suggestions_path), int(r["id"]))
    with _changes_lock:
        if key in _changes:
            _changes.move_to_end(key)
            return _changes[key]
    synced = r["action"] == "dataset.sync"  # the same document, now in the YAML
    value = (
        "" if synced else edits.diff(r["before"], r["after"], ident),
        edits.summary(r["before"], r["after"], r["action"]),
    )
    with _changes_lock:
        _changes[key] = value
        while len(_changes) > CHANGES_KEPT:
            _changes.popitem(last=False)
    return value


def _history_data(
    site: Site, kind: str, ident: str, before: int | None, prefix: str = ""
) -> dict[str, Any]:
    """A page of a record's history; ``older`` links the next page (under ``prefix``:
    ``/api/v1`` for the API)."""
    ident = _slug(ident, kind)
    exists = ident in (site.ds.groupings if kind == "grouping" else site.ds.sources)
    entries = history_entries(site, kind, ident, HISTORY_PAGE + 1, before)
    if not exists and not entries and before is None:
        raise NotFound(f"no {kind} {ident!r}")
    more = len(entries) > HISTORY_PAGE
    entries = entries[:HISTORY_PAGE]
    rec = edits.current(kind, ident, site.base, site.editorial.record(f"{kind}:{ident}"))
    name = site.ds.groupings[ident].name if kind == "grouping" and exists else ident
    return {
        "kind": kind,
        "id": ident,
        "name": name,
        "path": KIND_PATHS[kind],
        "version": rec.etag,
        "pending_sync": rec.pending,
        "entries": entries,
        "older": f"{prefix}/{KIND_PATHS[kind]}/{ident}/history?before={entries[-1]['id']}"
        if more
        else None,
    }


#: Histories change with every edit: browsers ask again each time (the ETag makes it cheap).
HISTORY_CACHE = "no-cache"


def _history_page(request: Request, data: dict[str, Any]) -> Response:
    if request_wants_json(request):
        return json_response(data, cache_control=HISTORY_CACHE)
    renderer = request.app.state.renderer
    return renderer.html(request, "history.html", data, cache_control=HISTORY_CACHE)


@router.get("/groupings/{gid}/history")
def grouping_history(  # sync: run in a worker thread
    request: Request, site: SiteDep, gid: str, before: Before = None
) -> Response:
    return _history_page(request, _history_data(site, "grouping", gid, before))


@router.get("/sources/{sid}/history")
def source_history(  # sync: run in a worker thread
    request: Request, site: SiteDep, sid: str, before: Before = None
) -> Response:
    return _history_page(request, _history_data(site, "source", sid, before))


_HISTORY_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such grouping or source"}
}


@public_api_router.get("/groupings/{gid}/history", responses=_HISTORY_RESPONSES)
def api_grouping_history(site: SiteDep, gid: str, before: Before = None) -> Response:
    """The editorial changes to a grouping, newest first: who, when, why, the diff; 50 a
    page, the next page at ``older``."""
    data = _history_data(site, "grouping", gid, before, "/api/v1")
    return json_response(data, cache_control=HISTORY_CACHE)


@public_api_router.get("/sources/{sid}/history", responses=_HISTORY_RESPONSES)
def api_source_history(site: SiteDep, sid: str, before: Before = None) -> Response:
    """The editorial changes to a source, newest first, 50 a page."""
    data = _history_data(site, "source", sid, before, "/api/v1")
    return json_response(data, cache_control=HISTORY_CACHE)
