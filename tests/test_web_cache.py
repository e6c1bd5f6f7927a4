"""The response cache cannot be abused, and nothing slow runs on the event loop.

The cache key holds what an answer depends on and nothing else; memory is bounded in
bytes; answers for someone (a cookie set, ``private``, a request with credentials) are
never shared; the dataset's version is checked in a thread.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from minilat.web import create_app
from minilat.web.middleware import ResponseCache, api_routes


def _cache_of(app: Any) -> ResponseCache:
    """The ResponseCache in an app's middleware stack (built on first request)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, ResponseCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, ResponseCache)
    return layer


class _Counting:
    """A tiny app behind a ResponseCache: how often each path really ran."""

    def __init__(self, max_bytes: int = 1 << 20) -> None:
        self.calls: dict[str, int] = {}

        async def answer(request: Request) -> Response:
            path = request.url.path
            self.calls[path] = self.calls.get(path, 0) + 1
            body = f"{path} {request.query_params.get('n', '')}".ljust(2000, ".")
            if path == "/cookie":
                r = PlainTextResponse(body)
                r.set_cookie("x", "1")
                return r
            if path == "/private":
                return PlainTextResponse(body, headers={"cache-control": "private"})
            return PlainTextResponse(body)

        from starlette.applications import Starlette

        inner = Starlette(routes=[Route("/{p:path}", answer)])
        self.cache = ResponseCache(inner, max_bytes=max_bytes)
        self.client = TestClient(self.cache)


def test_memory_is_bounded_in_bytes_not_entries() -> None:
    app = _Counting(max_bytes=50_000)
    for i in range(200):
        assert app.client.get(f"/page/{i}").status_code == 200
    assert 0 < app.cache.held_bytes <= 50_000
    # the most recent answers are the ones kept
    app.client.get("/page/199")
    assert app.calls["/page/199"] == 1


@pytest.mark.parametrize("path", ["/cookie", "/private"])
def test_answers_for_someone_are_never_shared(path: str) -> None:
    app = _Counting()
    app.client.get(path)
    app.client.get(path)
    assert app.calls[path] == 2


@pytest.mark.parametrize(
    "headers",
    [{"authorization": "Bearer mlt_x"}, {"cookie": "minilat_session=abc"}],
    ids=["token", "session"],
)
def test_requests_with_credentials_are_never_answered_from_the_cache(
    headers: dict[str, str],
) -> None:
    app = _Counting()
    app.client.get("/page")  # cached for everyone
    app.client.get("/page", headers=headers)
    app.client.get("/page", headers=headers)
    assert app.calls["/page"] == 3
    app.client.get("/page")
    assert app.calls["/page"] == 3  # the anonymous answer is still the shared one


@pytest.fixture(scope="module")
def site_client(web_store_module: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_store_module), base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def web_store_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from minilat.store import open_store

    path = tmp_path_factory.mktemp("cache") / "store.db"
    open_store(path)
    return path


def test_unknown_query_parameters_do_not_bust_the_cache(site_client: TestClient) -> None:
    cache = _cache_of(site_client.app)
    first = site_client.get("/groupings", params={"cb": "0"})
    held = cache.held_bytes
    for n in range(1, 300):
        r = site_client.get("/groupings", params={"cb": str(n)})
        assert r.status_code == 200 and r.headers["etag"] == first.headers["etag"]
    assert cache.held_bytes == held


def test_known_parameters_in_any_order_share_one_answer(site_client: TestClient) -> None:
    cache = _cache_of(site_client.app)
    a = site_client.get("/api/v1/groupings?theme=ai&member=IND")
    held = cache.held_bytes
    b = site_client.get("/api/v1/groupings?member=IND&zzz=1&theme=ai")
    assert a.json() == b.json() and cache.held_bytes == held
    c = site_client.get("/api/v1/groupings?member=USA&theme=ai")
    assert c.json() != a.json()


def test_forged_hosts_cannot_evict_the_pages(site_client: TestClient) -> None:
    cache = _cache_of(site_client.app)
    page = site_client.get("/groupings")
    for n in range(200):
        r = site_client.get("/feeds/updates.atom", headers={"host": f"evil{n}.example"})
        assert r.status_code == 200
        assert f"evil{n}.example" in r.text  # each host gets its own links...
    assert cache._hosts.bytes <= cache._hosts.max_bytes  # ... in a pool of their own
    again = site_client.get("/groupings")
    assert again.headers["etag"] == page.headers["etag"]
    assert cache._pool.get  # the page pool was never touched by the feeds


def test_the_dataset_version_is_checked_off_the_event_loop(
    site_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.web import site as site_module

    site = site_client.app.state.site  # type: ignore[attr-defined]
    seen: list[bool] = []
    original = site.refresh

    def refresh() -> int:
        try:
            asyncio.get_running_loop()
            seen.append(True)  # a loop runs in this thread: we are on it
        except RuntimeError:
            seen.append(False)
        return original()

    monkeypatch.setattr(site, "refresh", refresh)
    monkeypatch.setattr(site_module, "REFRESH_SECONDS", 0.0)
    site_client.get("/groupings", params={"q": "quad"})
    assert seen and not any(seen), seen
    assert threading.current_thread() is threading.main_thread()


def test_requests_that_find_the_check_due_wait_for_one_check(
    site_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a second every request in flight took a thread to run the check for a new
    version of the data (each then waiting on its lock), and the pages queued behind
    them: one worker's p99 at 25 clients was 85 ms with the check, 21 ms without. Now
    the requests that find it due wait for the one check under way."""
    import time

    from minilat.web import site as site_module

    site = site_client.app.state.site  # type: ignore[attr-defined]
    calls: list[float] = []
    original = site.refresh

    def slow_refresh() -> int:
        if site.refresh_due():  # a check that looks at the disk (others return at once)
            calls.append(time.monotonic())
            time.sleep(0.3)  # long enough for every request below to find it due
        return original()

    monkeypatch.setattr(site, "refresh", slow_refresh)
    monkeypatch.setattr(site_module, "REFRESH_SECONDS", 1.0)
    site._checked = float("-inf")
    app = site_client.app

    async def one(i: int) -> int:
        status: list[int] = []
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": "/api/v1/groupings",
            "raw_path": b"/api/v1/groupings", "query_string": f"cb={i}".encode(),
            "root_path": "", "headers": [(b"host", b"testserver")],
            "server": ("testserver", 80), "client": ("127.0.0.1", 1), "state": {},
        }  # fmt: skip

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)  # type: ignore[arg-type]
        return status[0]

    async def many() -> list[int]:
        return list(await asyncio.gather(*(one(i) for i in range(20))))

    assert site_client.portal is not None
    statuses = site_client.portal.call(many)
    assert statuses == [200] * 20
    assert len(calls) == 1, calls  # one check for the twenty requests that found it due


def test_dates_outside_the_data_are_a_clear_400(site_client: TestClient) -> None:
    for path in (
        "/api/v1/groupings?as_of=9999-01-01",
        "/api/v1/countries/IND?as_of=9999-01-01",
        "/api/v1/network?as_of=1066-10-14",
        "/countries/IND?as_of=9999",
    ):
        r = site_client.get(path, headers={"accept": "application/json"})
        assert r.status_code == 400, (path, r.status_code)
        assert "date" in r.json()["error"]["hint"], r.json()


def _awaits(endpoint: Any) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(endpoint)))
    return any(isinstance(n, ast.Await | ast.AsyncFor | ast.AsyncWith) for n in ast.walk(tree))


def test_no_route_does_its_work_on_the_event_loop(site_client: TestClient) -> None:
    """A route handler that is ``async def`` runs on the event loop: it must await (read a
    body, hand work to a thread); one that only computes is a plain ``def``, which
    FastAPI runs in its thread pool."""
    app: FastAPI = site_client.app  # type: ignore[assignment]
    routes = list(api_routes(app))
    assert len(routes) > 40
    offenders = [
        f"{sorted(methods)} {path} ({r.endpoint.__module__}.{r.endpoint.__name__})"
        for path, methods, r in routes
        if inspect.iscoroutinefunction(r.endpoint) and not _awaits(r.endpoint)
    ]
    assert offenders == [], "make these plain def handlers:\n" + "\n".join(offenders)


def test_a_request_may_ask_for_a_fresh_answer() -> None:
    app = _Counting()
    app.client.get("/page")
    app.client.get("/page")
    assert app.calls["/page"] == 1
    app.client.get("/page", headers={"cache-control": "no-cache"})
    assert app.calls["/page"] == 2
    app.client.get("/page")
    assert app.calls["/page"] == 2  # the fresh answer replaced the kept one


def test_the_same_body_is_gzipped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer computed afresh whose body is the same bytes as before (a page kept
    rendered) is not compressed again; another body is, and each decompresses to its
    own text."""
    import gzip as gzip_module

    from minilat.web import middleware

    monkeypatch.setattr(middleware, "_GZIPPED", middleware._Gzipped())
    compressed: list[int] = []
    real = gzip_module.compress

    def counting(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        compressed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(middleware.gzip, "compress", counting)
    app = _Counting()
    fresh = {"cache-control": "no-cache", "accept-encoding": "gzip"}
    one = [app.client.get("/page?n=1", headers=fresh) for _ in range(3)]
    assert app.calls["/page"] == 3  # computed afresh each time...
    assert len(compressed) == 1  # ... compressed once
    assert all(r.headers["content-encoding"] == "gzip" for r in one)
    assert {r.text for r in one} == {"/page 1".ljust(2000, ".")}
    two = app.client.get("/page?n=2", headers=fresh)
    assert len(compressed) == 2 and two.text == "/page 2".ljust(2000, ".")
    assert two.headers["etag"] != one[0].headers["etag"]


def test_the_gzipped_bodies_are_bounded_in_bytes() -> None:
    from minilat.web.middleware import _Gzipped

    memo = _Gzipped(max_bytes=10_000)
    for i in range(50):
        memo.put(i.to_bytes(4, "big"), bytes(1000))
    assert memo.bytes <= 10_000
    assert memo.get((49).to_bytes(4, "big")) is not None
    assert memo.get((0).to_bytes(4, "big")) is None
