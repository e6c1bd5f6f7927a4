"""Pure ASGI middleware: security headers, ETags with a response cache, and the last
line of defence that turns any unexpected exception into the one error shape; and the
:class:`RateLimiter` (token buckets per client) the write endpoints use.

The dataset is read-only while the app runs, so a GET answer depends only on its URL,
the negotiated format and (for answers "as of today") the date: :class:`ResponseCache`
keeps recent answers in memory and revalidates ``If-None-Match`` with a 304.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import gzip
import hashlib
import html
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minilat.errors import MinilatError
from minilat.web.http import dumps, error_body, etag_of, wants_json

__all__ = [
    "CSP",
    "DOCS_CSP",
    "GZIP_LEVEL",
    "GZIP_ON_LOOP",
    "MAX_BODY",
    "BodyLimit",
    "RateLimiter",
    "ResponseCache",
    "SecurityHeaders",
    "SharedRateLimiter",
    "api_routes",
    "await_wait_for",
    "query_names",
]

log = logging.getLogger("minilat.web")

#: The content security policy: everything from this site, no inline scripts, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The API explorer (Swagger UI) sets inline styles; its scripts stay same-origin only.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

_SECURITY = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


#: Read-only open data that scripts on any site may fetch (CORS ``*``; no cookies sent).
_OPEN_DATA = ("/api/v1", "/openapi.json", "/downloads/", "/feeds/")
#: ... except the editors' API, which no other site's script has any business calling.
_EDITORS_ONLY = "/api/v1/editor/"
#: The largest request body any route reads (bytes); each route may set a lower one.
MAX_BODY = 1024 * 1024


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return ""


class SecurityHeaders:
    """Adds security headers to every answer and catches anything left uncaught.

    An unexpected exception is logged with its traceback on the server and answered
    with a 500 in the one error shape: no traceback or file path reaches the client.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/api/docs" else CSP
        open_data = scope["path"].startswith(_OPEN_DATA) and not scope["path"].startswith(
            _EDITORS_ONLY
        )
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    h for h in message.get("headers", []) if h[0] != b"content-security-policy"
                ]
                headers += [*_SECURITY, (b"content-security-policy", csp.encode())]
                if open_data:
                    headers.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await _send_500(scope, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request body over ``max_bytes`` with 413 in the one error shape: at once
    when ``Content-Length`` says so, else as soon as the streamed body passes it, so no
    route ever holds more than that in memory."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        seen = 0
        exceeded = refused = started = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise _TooLarge
            return message

        async def watch(message: Message) -> None:
            # a route may catch the error and answer something else (FastAPI answers 400
            # when it cannot read a body): once the limit is passed, the answer is 413
            nonlocal started, refused
            if exceeded:
                if not started and not refused:
                    refused = True
                    await self._refuse(send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except _TooLarge:
            if started:
                raise
        if exceeded and not started and not refused:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = dumps(
            error_body(413, f"the request body is too large: at most {self.max_bytes // 1024} KiB")
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _send_500(scope: Scope, send: Send) -> None:
    message = "internal error: the observatory could not answer this request"
    hint = "try again later; if it persists, report the address you asked for"
    if scope["path"].startswith(("/api/", "/feeds/", "/downloads/")) or wants_json(
        scope.get("query_string", b""), _header(scope, b"accept")
    ):
        body = dumps(error_body(500, message, hint))
        ctype = b"application/json"
    else:
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Error 500</title>"
            f"<main><h1>Error 500</h1><p>{html.escape(message)}</p>"
            f"<p>{html.escape(hint)}</p></main></html>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


_COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/xml",
    b"application/atom+xml",
    b"application/javascript",
    b"image/svg+xml",
)


#: zlib's level for the answers gzipped on the way out. Every answer computed afresh is
#: compressed once, on the request's own time, so the level is a trade of server CPU for
#: bytes; measured on the site's pages (docs/benchmarks/web.md), level 1 writes 10-25 %
#: more bytes than zlib's default 6 in a fifth to a sixth of the time (the grouping page:
#: 1.3 ms instead of 6.8 ms, the largest single cost of a page a browser asks for).
GZIP_LEVEL = 1
#: Bodies up to this size are compressed on the event loop (a tenth of a millisecond at
#: :data:`GZIP_LEVEL`, less than handing them to a thread); larger ones in a thread.
GZIP_ON_LOOP = 32 * 1024


#: What :data:`_GZIPPED` may hold (bytes of compressed bodies).
GZIPPED_MAX_BYTES = 8 * 1024 * 1024


class _Gzipped:
    """Compressed bodies by a digest of the body: the same bytes are compressed once.

    A page kept rendered (:attr:`minilat.web.render.Renderer.pages`) is the same body for
    every request that bypasses the response cache; compressing it again was most of
    what such a request cost (0.4 ms of a 75 KB grouping page, against 0.05 ms to hash
    it). Bounded in bytes, least recently used out; a lock, since large bodies are
    compressed in a worker thread."""

    def __init__(self, max_bytes: int = GZIPPED_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()

    def get(self, digest: bytes) -> bytes | None:
        with self._lock:
            hit = self._entries.get(digest)
            if hit is not None:
                self._entries.move_to_end(digest)
            return hit

    def put(self, digest: bytes, gz: bytes) -> None:
        if len(gz) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(digest, None)
            self.bytes += len(gz) - (len(old) if old is not None else 0)
            self._entries[digest] = gz
            while self.bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.bytes -= len(dropped)


_GZIPPED = _Gzipped()


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


def _gzip(
    body: bytes, headers: list[tuple[bytes, bytes]], digest: bytes | None = None
) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The body gzipped (once, when cached) if it is text of some size, with its headers;
    with the body's ``digest``, a body compressed before is not compressed again."""
    h = dict(headers)
    vary = h.get(b"vary", b"")
    vary = vary + b", Accept-Encoding" if vary else b"Accept-Encoding"
    rest = [(k, v) for k, v in headers if k != b"vary"] + [(b"vary", vary)]
    ctype = h.get(b"content-type", b"")
    if len(body) < 1024 or b"content-encoding" in h or not ctype.startswith(_COMPRESSIBLE):
        return body, rest
    gz = _GZIPPED.get(digest) if digest is not None else None
    if gz is None:
        gz = gzip.compress(body, GZIP_LEVEL, mtime=0)
        if digest is not None:
            _GZIPPED.put(digest, gz)
    return gz, [*rest, (b"content-encoding", b"gzip")]


def _etag(body: bytes, given: bytes | None, gzipped: bool) -> str:
    """The answer's strong ETag: the tag the app gave for the body it wrote (a page kept
    rendered carries one, computed once: :func:`minilat.web.render.Renderer.html`), with
    ``-gz`` for its gzipped form, which is another representation; else a digest of the
    bytes sent."""
    if given is not None:
        tag = given.decode("latin-1")
        return tag[:-1] + '-gz"' if gzipped else tag
    return etag_of(body)


def _strong_tag(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The strong ETag among an answer's headers, if the app gave one."""
    for k, v in headers:
        if k == b"etag":
            return v if v.startswith(b'"') and v.endswith(b'"') and len(v) > 2 else None
    return None


def _matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


#: Paths whose answers hold absolute links built from the Host header (the feeds): cached
#: per host, in a pool of their own so that forged hosts cannot evict anything else.
_HOST_DEPENDENT = ("/feeds/",)
#: Query parameters every route understands (the negotiated format).
_ALWAYS_KNOWN = frozenset({"format"})


#: A cached answer: status, headers, body, ETag.
_Entry = tuple[int, list[tuple[bytes, bytes]], bytes, str]


class _Pool:
    """An LRU of answers bounded in bytes (bodies and headers)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[
            tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]], bytes, str]
        ]
        self.entries = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> _Entry | None:
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
        return hit

    @staticmethod
    def size(body: bytes, headers: list[tuple[bytes, bytes]]) -> int:
        return len(body) + sum(len(k) + len(v) + 64 for k, v in headers) + 512

    def put(self, key: tuple[Any, ...], value: _Entry) -> None:
        size = self.size(value[2], value[1])
        if size > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= self.size(old[2], old[1])
        self.entries[key] = value
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= self.size(dropped[2], dropped[1])

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0


def _authenticated(scope: Scope) -> bool:
    """Whether the request speaks for someone (a token, or an editor's session cookie):
    its answer may hold that person's data and is never shared."""
    if _header(scope, b"authorization"):
        return True
    return "minilat_session=" in _header(scope, b"cookie")


class ResponseCache:
    """ETag on every successful GET, 304 on a match, and recent answers kept in memory.

    The key is what the answer depends on and nothing else: the path, the query
    parameters the route declares (in a canonical order; unknown ones such as a
    cache-busting ``?cb=N`` are ignored), the negotiated format and encoding, the day
    (answers "as of today"), the version of the dataset served, and the host only for
    the feeds, whose links are absolute (those are kept in a small pool of their own).
    Memory is bounded in bytes (:attr:`max_bytes`), not in entries.

    A request with ``Cache-Control: no-cache`` is answered afresh (and the answer kept).
    Never cached: answers marked ``no-store`` or ``private``, answers that set a cookie,
    and any answer to a request carrying credentials (a token or a session cookie). The
    version of the dataset is checked in a thread when it is due, never on the loop.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = 64 * 1024 * 1024,
        max_body: int = 4_000_000,
        host_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self._pool = _Pool(max_bytes)
        self._hosts = _Pool(host_bytes)
        self._known: dict[int, list[tuple[re.Pattern[str], set[str], frozenset[str]]]] = {}
        #: The check for a new version of the data under way, if any (see _refreshed).
        self._refreshing: asyncio.Future[Any] | None = None

    @property
    def held_bytes(self) -> int:
        """Bytes held now (both pools)."""
        return self._pool.bytes + self._hosts.bytes

    def clear(self) -> None:
        self._pool.clear()
        self._hosts.clear()

    def _params(self, scope: Scope) -> frozenset[str] | None:
        """The query parameters the route that will answer declares (None: no route of
        the app's own, keep every parameter)."""
        app = scope.get("app")
        table = self._known.get(id(app))
        if table is None:
            table = self._known[id(app)] = [
                (compile_path(path)[0], methods, frozenset(query_names(route.dependant)))
                for path, methods, route in api_routes(app)
            ]
        for regex, methods, names in table:
            if scope["method"] in methods and regex.match(scope["path"]):
                return names
        return None

    def _query(self, scope: Scope) -> bytes:
        qs: bytes = scope.get("query_string", b"")
        if not qs:
            return qs
        known = self._params(scope)
        if known is None:
            return qs
        pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k in known or k in _ALWAYS_KNOWN]
        kept.sort(key=lambda kv: kv[0])  # stable: repeated parameters keep their order
        return urlencode(kept).encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        app = scope.get("app")
        site = getattr(getattr(app, "state", None), "site", None)
        serial = 0
        if site is not None:
            if site.refresh_due():  # file stats and a database read: not on the loop
                await self._refreshed(site)
            serial = site.serial
        if _authenticated(scope):
            await self.app(scope, receive, send)
            return
        qs = scope.get("query_string", b"")
        accept = _header(scope, b"accept")
        path = scope["path"]
        by_host = path.startswith(_HOST_DEPENDENT)
        pool = self._hosts if by_host else self._pool
        key = (
            path,
            self._query(scope),
            wants_json(qs, accept),
            "gzip" in _header(scope, b"accept-encoding"),
            _dt.date.today().toordinal(),
            serial,  # a new version after every edit
            _header(scope, b"host") if by_host else "",
        )
        if_none_match = _header(scope, b"if-none-match")
        # a client may ask for a fresh answer (HTTP's request no-cache): it is computed
        # and replaces the one kept
        fresh = b"no-cache" in _header(scope, b"cache-control").encode("latin-1").lower()
        hit: _Entry | None = None if fresh else pool.get(key)
        if hit is not None:
            await self._answer(scope, send, *hit, if_none_match)
            return

        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False
        done: list[bool] = []

        head = scope["method"] == "HEAD"

        async def capture(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                if head and message["type"] == "http.response.body":
                    message = {"type": "http.response.body", "body": b"", "more_body": False}
                    if done:
                        return
                    done.append(True)
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                given = dict(message.get("headers", []))
                cc = given.get(b"cache-control", b"").lower()
                if (
                    message["status"] != 200
                    or b"no-store" in cc
                    or b"private" in cc
                    or b"set-cookie" in given
                ):
                    passthrough = True
                    await send(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    assert start is not None
                    body = b"".join(chunks)
                    tag = _strong_tag(start.get("headers", []))
                    headers = [
                        (k, v)
                        for k, v in start.get("headers", [])
                        if k not in (b"content-length", b"etag")
                    ]
                    raw = body
                    if key[3]:
                        digest = tag or (_digest(body) if len(body) >= 1024 else None)
                        if len(body) <= GZIP_ON_LOOP or (
                            digest is not None and _GZIPPED.get(digest) is not None
                        ):
                            body, headers = _gzip(body, headers, digest)
                        else:
                            body, headers = await anyio.to_thread.run_sync(
                                _gzip, body, headers, digest
                            )
                    etag = _etag(body, tag, gzipped=body is not raw)
                    if len(body) <= self.max_body:
                        pool.put(key, (200, headers, body, etag))
                    await self._answer(scope, send, 200, headers, body, etag, if_none_match)

        # HEAD is answered as GET without the body (link checkers use it on cited URLs)
        await self.app({**scope, "method": "GET"} if head else scope, receive, capture)

    async def _refreshed(self, site: Any) -> None:
        """``site.refresh()`` in a worker thread, one at a time: the requests that find the
        check due while it runs wait for that one. Each request in flight used to take a
        thread of its own to wait on the refresh's lock, once a second, so the pages queued
        behind them: one worker's p99 at 25 clients was 85 ms with the check and 21 ms
        without it. Shielded: a request that goes away does not cancel it for the others."""
        task = self._refreshing
        if task is None or task.done():
            task = self._refreshing = asyncio.ensure_future(anyio.to_thread.run_sync(site.refresh))
        await asyncio.shield(task)

    @staticmethod
    async def _answer(
        scope: Scope,
        send: Send,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: str,
        if_none_match: str,
    ) -> None:
        out = [*headers, (b"etag", etag.encode())]
        if _matches(if_none_match, etag):
            keep = (b"cache-control", b"vary", b"content-encoding")
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(k, v) for k, v in out if k in keep or k == b"etag"],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        out.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


class RateLimiter:
    """A token bucket per key (a client address), kept in memory.

    Each key may spend ``capacity`` requests at once; its bucket refills at
    ``capacity / per`` requests a second. At most ``max_keys`` buckets are kept (the least
    recently used are forgotten, which only ever forgives). One process, one event loop:
    no lock is needed, and several workers each keep their own buckets.

    >>> t = [0.0]
    >>> lim = RateLimiter(2, 60.0, clock=lambda: t[0])
    >>> [lim.take("a"), lim.take("a"), lim.take("a"), lim.take("b")]
    [0.0, 0.0, 30.0, 0.0]
    >>> t[0] = 30.0; lim.take("a")
    0.0
    """

    def __init__(
        self,
        capacity: int,
        per: float,
        *,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / per
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()

    def take(self, key: Hashable) -> float:
        """Spend one request of ``key``: 0.0 if allowed, else the seconds to wait."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        """``wait`` as a Retry-After header value (whole seconds, at least 1)."""
        return str(max(1, math.ceil(wait)))


def api_routes(app: Any) -> Iterator[tuple[str, set[str], Any]]:
    """Every FastAPI route of ``app`` as (full path, methods, route), through included
    routers (``GET`` routes also answer ``HEAD``)."""

    def walk(routes: Any, prefix: str) -> Iterator[tuple[str, set[str], Any]]:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                context = getattr(route, "include_context", None)
                yield from walk(included.routes, prefix + getattr(context, "prefix", ""))
            elif hasattr(route, "dependant") and hasattr(route, "path"):
                methods = set(getattr(route, "methods", None) or ())
                if "GET" in methods:
                    methods.add("HEAD")
                yield prefix + route.path, methods, route

    yield from walk(getattr(getattr(app, "router", None), "routes", []), "")


def query_names(dependant: Any) -> set[str]:
    """The query parameter names a FastAPI route reads, its dependencies' included; a
    model of query parameters (``Annotated[Model, Query()]``) gives its fields' names."""
    names: set[str] = set()
    for param in getattr(dependant, "query_params", []):
        info = getattr(param, "field_info", None)
        annotation = getattr(info, "annotation", None) or getattr(param, "type_", None)
        fields = getattr(annotation, "model_fields", None)
        if isinstance(fields, dict):
            names |= {getattr(f, "alias", None) or name for name, f in fields.items()}
        else:
            names.add(getattr(param, "alias", None) or param.name)
    for sub in getattr(dependant, "dependencies", []):
        names |= query_names(sub)
    return names


class SharedRateLimiter:
    """The same token buckets as :class:`RateLimiter`, kept in the editorial database
    (:meth:`minilat.editorial.database.EditorialDB.take_token`), so that every worker
    process and every host sharing the database count in one bucket per client: with
    ``--workers N`` a client still gets each limit once, not N times.

    If the database cannot be written (a read-only deployment), it falls back to a
    bucket in this process, and says so once in the log.
    """

    def __init__(self, db: Any, name: str, capacity: int, per: float) -> None:
        self.db, self.name, self.capacity, self.per = db, name, capacity, per
        self._fallback: RateLimiter | None = None

    def take(self, key: Hashable) -> float:
        """Spend one request of ``key``: 0.0 if allowed, else the seconds to wait."""
        if self._fallback is None:
            try:
                return float(self.db.take_token(self.name, str(key), self.capacity, self.per))
            except MinilatError as e:
                log.warning(
                    "rate limit %s kept per process: the editorial database cannot count it (%s)",
                    self.name,
                    e.message,
                )
                self._fallback = RateLimiter(self.capacity, self.per)
        return self._fallback.take(key)


def wait_for(request: Any, name: str, rate: tuple[int, float]) -> float:
    """Seconds the client must wait before its next ``name`` request (0: go ahead).

    Each limited form keeps one limiter on the app, made on first use and keyed by the
    client's address: a :class:`SharedRateLimiter` counting in the editorial database
    (shared by all workers), or whatever was set as ``app.state.<name>_limiter``. It
    writes to the database: from a coroutine, use :func:`await_wait_for`.
    """
    state = request.app.state
    limiter: RateLimiter | SharedRateLimiter | None = getattr(state, f"{name}_limiter", None)
    if limiter is None:
        site = getattr(state, "site", None)
        if site is not None:
            try:
                limiter = SharedRateLimiter(site.editorial, name, *rate)
            except MinilatError:  # no editorial database to count in: this process's
                limiter = RateLimiter(*rate)
        else:
            limiter = RateLimiter(*rate)
        setattr(state, f"{name}_limiter", limiter)
    return limiter.take(request.client.host if request.client else "unknown")


async def await_wait_for(request: Any, name: str, rate: tuple[int, float]) -> float:
    """:func:`wait_for` in a worker thread, so the event loop never waits on the
    database."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(wait_for, request, name, rate)
