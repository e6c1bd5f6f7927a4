"""The app factory: :func:`create_app` wires the store, the routes and the error shape."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from minilat import settings
from minilat.editorial import edits
from minilat.editorial.backend import is_url
from minilat.errors import Busy, MinilatError, StoreError
from minilat.web import (
    api,
    auth,
    downloads,
    edit,
    editor,
    feeds,
    figures,
    news,
    pages,
    pulse,
    suggest,
    tuning,
)
from minilat.web import releases as releases_web
from minilat.web.middleware import BodyLimit, ResponseCache, SecurityHeaders
from minilat.web.render import Renderer
from minilat.web.site import Site

__all__ = ["app_from_settings", "create_app"]

log = logging.getLogger("minilat.web")

_STATIC = Path(__file__).parent / "static"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "query")
        parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg")))
    return "invalid request: " + "; ".join(parts)


def app_from_settings() -> FastAPI:
    """The app over the settings in the environment (``MINILAT_DB``, ``MINILAT_DATA``,
    ``MINILAT_EDITORIAL``, ``MINILAT_EDITORIAL_URL``, ``MINILAT_THREADS``): the factory
    each worker process of ``minilat serve --workers N`` calls."""
    from minilat import settings

    data = settings.resolve("data")
    editorial = settings.resolve("editorial_url") or settings.resolve("editorial")
    return create_app(
        Path(settings.resolve("db") or "minilat.db"),
        Path(data) if data else None,
        editorial if is_url(editorial or "") else Path(editorial) if editorial else None,
        warm=True,
    )


#: Modules a page may need that take long to import (imported once, in the background).
_WARM = (
    "minilat.analysis.network",
    "minilat.analysis.countries",
    "minilat.analysis.typology",
    "minilat.analysis.coalition",
    "igraph",
)


def _warm_up() -> None:
    loaded = len(sys.modules)
    for name in _WARM:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    with contextlib.suppress(Exception):  # the states' regions, read once per process
        importlib.import_module("minilat.regions").region("USA")
    if len(sys.modules) > loaded:  # the libraries' modules are long-lived too
        tuning.settle_heap()


def create_app(
    store_path: Path,
    data_dir: Path | None = None,
    editorial: Path | str | None = None,
    *,
    releases: Path | None = None,
    threads: int | None = None,
    warm: bool = False,
) -> FastAPI:
    """The observatory as an ASGI app over the store at ``store_path``.

    The store is (re)built from ``data_dir`` (the bundled dataset by default) if it is
    missing or out of date, and again whenever the YAML changes. ``editorial`` is the
    editorial database, a SQLite file or a PostgreSQL address (default: the settings
    ``MINILAT_EDITORIAL_URL``, ``MINILAT_EDITORIAL``, else its default place,
    :func:`minilat.editorial.editors.editorial_location`). ``releases`` is the folder
    of release bundles served under /releases (default: the setting ``MINILAT_RELEASES``).
    ``threads`` caps the sync handlers running at once in each process (default:
    ``MINILAT_THREADS``, else :data:`minilat.web.tuning.DEFAULT_THREADS`).

    When it starts (its lifespan), the app applies :mod:`minilat.web.tuning`: the thread
    cap, and the dataset's objects frozen out of the garbage collector's walks. With
    ``warm`` (what ``minilat serve`` uses), it first asks itself for the pages of
    :data:`minilat.web.tuning.WARM_PAGES`, so that no visitor waits for a worker's first
    computation of them.
    """
    n_threads = tuning.threads(threads)
    site = Site(Path(store_path), data_dir, editorial)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tuning.limit_threads(n_threads)
        if warm:  # before the first visitor: the day's analyses, routing, templates
            took = await tuning.warm_pages(app)
            log.info("worker warmed in %.2f s", took)
        tuning.settle_heap()  # the dataset is loaded: freeze it out of the collections
        yield

    app = FastAPI(
        title="minilat observatory API",
        version="1",
        description=(
            "Sourced data on tech minilaterals: groupings, members as of a date, "
            "countries, sources, assessments. Every error answers "
            '`{"error": {"status", "code", "message", "hint"}}`.'
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.site = site
    # the analyses' libraries (numpy, scipy, igraph, HiGHS) load in the background, so the
    # first visitor to a country or network page does not wait for them
    threading.Thread(target=_warm_up, name="minilat-warm-up", daemon=True).start()
    app.state.releases_root = Path(releases or settings.resolve("releases") or "releases")
    renderer = Renderer()
    app.state.renderer = renderer

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        # the message names files on the server: it goes to the log, not to the client
        log.warning("store unavailable on %s %s: %s", request.method, request.url.path, exc)
        resp = renderer.error(
            request, 503, "the database is busy or unavailable", "try again in a moment"
        )
        resp.headers["retry-after"] = "5"
        return resp

    @app.exception_handler(MinilatError)
    async def _library_error(request: Request, exc: MinilatError) -> Response:
        extra: dict[str, Any] | None = None
        if isinstance(exc, edits.StaleEdit):
            extra = {"current": exc.current.as_dict()}
        elif isinstance(exc, edits.EditInvalid):
            extra = {"problems": [{"field": p.field, "message": p.message} for p in exc.problems]}
        resp = renderer.error(request, exc.status, exc.message, exc.hint, extra)
        if isinstance(exc, Busy):
            resp.headers["retry-after"] = str(exc.retry_after)
        if isinstance(exc, edits.StaleEdit):
            resp.headers["etag"] = f'"{exc.current.etag}"'
        return resp

    @app.exception_handler(auth.Unauthorized)
    async def _unauthorized(request: Request, exc: auth.Unauthorized) -> Response:
        resp = renderer.error(request, 401, exc.message, exc.hint)
        resp.headers["www-authenticate"] = 'Bearer realm="minilat"'
        return resp

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return renderer.error(
            request, 422, _validation_message(exc), "see /api/docs for the parameters"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            message, hint = f"no page at {request.url.path}", "start from / or /api/v1"
        elif exc.status_code == 405:
            message, hint = f"{request.method} is not allowed here", "see /api/docs for the methods"
        else:
            message, hint = str(exc.detail), None
        return renderer.error(request, exc.status_code, message, hint)

    @app.get("/health", include_in_schema=False)
    def _health() -> Response:  # sync: run in a worker thread
        """For load balancers and monitors: 200 when the dataset is served and the
        editorial database answers, else the 503 of the one error shape."""
        body = {
            "status": "ok",
            "groupings": len(site.ds.groupings),
            "editorial_schema": site.editorial.version(),
        }
        return Response(
            json.dumps(body), media_type="application/json", headers={"cache-control": "no-store"}
        )

    @app.get("/api/docs", include_in_schema=False)
    def _docs(request: Request) -> Response:
        """Swagger UI (shipped in the package, no CDN) inside the site's header and menu."""
        return renderer.html(request, "api_docs.html", {"openapi": "/openapi.json"})

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(figures.router)
    app.include_router(downloads.router)
    app.include_router(feeds.router)
    app.include_router(releases_web.router)
    app.include_router(news.router)
    app.include_router(pulse.router)
    app.include_router(pulse.api_router)
    app.include_router(pulse.feed_router)
    app.include_router(suggest.router)
    app.include_router(editor.router)
    app.include_router(editor.api_router)
    app.include_router(edit.router)
    app.include_router(edit.api_router)
    app.include_router(edit.public_api_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.add_middleware(BodyLimit)
    app.add_middleware(ResponseCache)
    app.add_middleware(SecurityHeaders)
    return app
