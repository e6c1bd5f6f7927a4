"""HTTP helpers shared by every view: content negotiation, JSON bodies, the error shape.

Every error the site answers has one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "...", "hint": "..."}}

>>> error_body(404, "unknown grouping 'x'")["error"]["code"]
'not_found'
>>> wants_json(b"format=json", "text/html")
True
>>> wants_json(b"", "text/html,application/xhtml+xml")
False
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlencode

import orjson
from pydantic import BaseModel

__all__ = [
    "CODES",
    "ERROR_RESPONSES",
    "ErrorOut",
    "dumps",
    "error_body",
    "error_responses",
    "etag_of",
    "file_responses",
    "redirect_with_query",
    "wants_json",
]

#: The machine-readable ``code`` of each status the site answers with.
CODES: dict[int, str] = {
    400: "bad_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_available",
    503: "unavailable",
}


def error_body(
    status: int, message: str, hint: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """The one error shape: status, code, message and hint (``None`` when there is none)."""
    return {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
            "hint": hint,
        }
    }


#: orjson's options: keys that are not strings (a year, a date) become strings, as the
#: standard library's encoder makes them; numpy numbers and arrays (an analysis's figures)
#: become JSON numbers and lists.
_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _default(obj: Any) -> Any:
    """What orjson does not know: numpy numbers and arrays as numbers and lists (where
    its own numpy support does not take them), anything else as its text."""
    tolist = getattr(obj, "tolist", None)
    if callable(tolist) and type(obj).__module__ == "numpy":
        return tolist()
    return str(obj)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON, as every JSON answer is sent (anything else JSON does not know
    is written as its text).

    Encoded by orjson, several times faster than the standard library for the large
    answers (a list of groupings, a country). The text is the standard library's compact
    text, except where that was not JSON or not data: NaN is ``null``, a datetime is
    RFC 3339 (``2024-01-02T03:04:00``), a numpy number is a number and a dataclass an
    object. What orjson refuses (an integer beyond 64 bits) falls back to the standard
    library.

    >>> dumps({"b": [1, 2.5, None], "é": "ü", 2024: True})
    b'{"b":[1,2.5,null],"\xc3\xa9":"\xc3\xbc","2024":true}'
    """
    try:
        return orjson.dumps(obj, default=_default, option=_ORJSON)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def etag_of(body: bytes) -> str:
    """The strong ETag of an answer's body: a 96-bit BLAKE2b digest, quoted.

    >>> etag_of(b"x") == etag_of(b"x") != etag_of(b"y")
    True
    """
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def wants_json(query_string: bytes, accept: str) -> bool:
    """True if the client asked for JSON: ``?format=json``, or Accept prefers JSON to HTML."""
    if b"format=" in query_string:
        fmt = parse_qs(query_string.decode("latin-1")).get("format", [""])[-1]
        if fmt == "json":
            return True
        if fmt == "html":
            return False
    accept = accept.lower()
    if "application/json" not in accept:
        return False
    return "text/html" not in accept or accept.index("application/json") < accept.index("text/html")


# ------------------------------------------------------- the error shape, for OpenAPI


class _ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    hint: str | None


class ErrorOut(BaseModel):
    """The one error shape every error answers with."""

    error: _ErrorDetail


def error_responses(*answers: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers in the one error shape: ``(status, description)`` pairs."""
    return {code: {"model": ErrorOut, "description": desc} for code, desc in answers}


ERROR_RESPONSES = error_responses(
    (400, "Bad input (a malformed date, an unknown theme)"),
    (404, "Unknown grouping, country or source"),
    (422, "Invalid parameters"),
    (501, "The analysis is not available yet"),
)


def file_responses(media_type: str, not_found: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers of a route serving a file: its media type, and the error shape."""
    return {
        200: {"content": {media_type: {}}, "description": "The file"},
        404: {"model": ErrorOut, "description": not_found},
        400: {"model": ErrorOut, "description": "Bad input (a malformed date)"},
    }


def redirect_with_query(request: Any, path: str, **params: str) -> Any:
    """A 307 to ``path`` keeping the request's query (``as_of``, ``format``) with
    ``params`` set over it: one address answers for another, e.g. ``/countries/eu`` for
    ``/groupings?member=eu``."""
    from fastapi.responses import RedirectResponse

    query = {k: v for k, v in request.query_params.items() if k not in params}
    return RedirectResponse(f"{path}?{urlencode({**query, **params})}", status_code=307)
