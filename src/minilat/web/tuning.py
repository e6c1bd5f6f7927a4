"""How a server process is tuned for many small requests: its worker threads and its
garbage collector.

Two costs, measured with 50 concurrent clients on two cores (docs/benchmarks/web.md),
made the slowest answers slow rather than the average ones:

* **Too many threads.** The pages and the API are sync handlers, run in anyio's worker
  threads (40 at once by default). Forty threads taking turns at one interpreter lock do
  no more work than four, but each request waits behind more of the others: p99 of the
  list page 78 → 44 ms with both changes below. :func:`limit_threads` caps them at
  :data:`DEFAULT_THREADS` (``minilat serve --threads N``, env :data:`THREADS_ENV`); 4 was
  the best of 1, 2, 4 and 40. Long computations that hold a thread for seconds (the
  coalition designer) run on a limiter of their own, so they never take these.
* **Collections over the whole dataset.** The dataset and the libraries' modules are
  some 150,000 long-lived objects that the cycle collector would walk on every full
  collection, a pause of 25-50 ms that lands on whichever requests are running.
  :func:`settle_heap` collects once and freezes what is left (:func:`gc.freeze`): those
  objects are never walked again. It runs when the app starts and again whenever the
  dataset served is replaced (an edit, a changed YAML), first unfreezing so that the old
  dataset can be freed; for a burst of edits, at most once every :data:`SETTLE_EVERY`
  seconds (:func:`settle_heap_soon`): each settling is a full collection (0.2 s in a
  server under 48 concurrent edits, where it ran once per edit).

A third cost made the slowest answers of a *cached* page slow: a process's **first**
request for a page. ``minilat serve --workers 2`` runs two processes, and each computes
the day's analyses, FastAPI's routing tables (built on the event loop on the first request
through each router, about 0.1 s) and the page once; the home page's view alone is about
0.5 s of CPU, and a worker's clients all wait behind it (p99 of the home page 1.5-2.3 s in
``benchmarks/bench_web.py``, whose warm-up reached only one of the two workers).
:func:`warm_pages` asks for :data:`WARM_PAGES` in process before the worker takes
traffic (``minilat serve`` turns it on; the app's lifespan runs it, then freezes what it
computed out of the collector).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from typing import Any

import anyio.to_thread

from minilat.errors import BadInput

__all__ = [
    "DEFAULT_THREADS",
    "THREADS_ENV",
    "WARM_PAGES",
    "limit_threads",
    "settle_heap",
    "settle_heap_soon",
    "threads",
    "warm_pages",
]

log = logging.getLogger("minilat.web")

#: Worker threads per server process answering pages and API calls (sync handlers).
DEFAULT_THREADS = 4
#: The environment variable that sets them (``minilat serve --threads`` sets it for its
#: worker processes).
THREADS_ENV = "MINILAT_THREADS"


def threads(value: int | str | None = None) -> int:
    """The worker threads to use: ``value``, else :data:`THREADS_ENV`, else
    :data:`DEFAULT_THREADS`; BadInput unless a whole number from 1 to 256.

    >>> threads(), threads("2")
    (4, 2)
    """
    raw = value if value not in (None, "") else os.environ.get(THREADS_ENV, "")
    if raw in (None, ""):
        return DEFAULT_THREADS
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if not 1 <= n <= 256:
        raise BadInput(
            f"{THREADS_ENV}={raw!r}: worker threads must be a whole number from 1 to 256",
            hint=f"the default is {DEFAULT_THREADS}",
        )
    return n


def limit_threads(n: int) -> None:
    """Let at most ``n`` sync handlers run at once on this event loop (anyio's default
    thread limiter, which FastAPI and Starlette use). Call it on the loop."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = n


def settle_heap() -> int:
    """Collect garbage once and freeze every object left, so that later collections
    skip them; the number of objects frozen. Unfreezes first, so that what was frozen
    before and is garbage now (a replaced dataset) is freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


#: The least time between two settlings of the heap for replaced datasets (seconds).
SETTLE_EVERY = 5.0


class _Settler:
    """Settles the heap now if it was not settled in the last :data:`SETTLE_EVERY`
    seconds, else once when they are over, however many replacements asked meanwhile
    (the old datasets of a burst stay frozen, unfreed, until then)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = float("-inf")
        self._timer: threading.Timer | None = None

    def request(self) -> None:
        with self._lock:
            now = time.monotonic()
            wait = self._last + SETTLE_EVERY - now
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._deferred)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._last = now
        settle_heap()

    def _deferred(self) -> None:
        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        settle_heap()


_SETTLER = _Settler()


def settle_heap_soon() -> None:
    """:func:`settle_heap` for a replaced dataset: now, or once at the end of a burst of
    replacements (:data:`SETTLE_EVERY`)."""
    _SETTLER.request()


#: What a worker asks itself for before it takes traffic (path, gzipped): the pages every
#: visitor starts from, the list the API is asked for most, and one grouping page (which
#: computes what all grouping pages share: the catalogue of sources, the day's news).
WARM_PAGES: tuple[tuple[str, bool], ...] = (
    ("/", False),
    ("/", True),
    ("/groupings", False),
    ("/groupings", True),
    ("/groupings/quad", False),
    ("/api/v1/groupings", False),
)


async def warm_pages(app: Any, pages: tuple[tuple[str, bool], ...] = WARM_PAGES) -> float:
    """Ask ``app`` for ``pages`` in process (an ASGI call, no socket), so that the day's
    analyses, the routing tables, the templates and the response cache are ready before
    the first visitor; the seconds it took. A page that fails is logged and skipped: the
    worker serves anyway."""
    t0 = time.perf_counter()
    for path, gzipped in pages:
        headers = [(b"host", b"localhost"), (b"accept", b"text/html,*/*")]
        if gzipped:
            headers.append((b"accept-encoding", b"gzip, deflate, br"))
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "headers": headers,
            "server": ("localhost", 80), "client": ("127.0.0.1", 0), "state": {},
        }  # fmt: skip
        status = [0]

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any], status: list[int] = status) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]

        try:
            await app(scope, receive, send)
        except Exception:  # the worker serves anyway; the first visitor will see the error
            log.exception("warming %s failed", path)
            continue
        if status[0] != 200:
            log.warning("warming %s answered %s", path, status[0])
    return time.perf_counter() - t0
