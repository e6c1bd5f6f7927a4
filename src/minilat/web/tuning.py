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
  dataset can be freed.
"""

from __future__ import annotations

import gc
import os

import anyio.to_thread

from minilat.errors import BadInput

__all__ = ["DEFAULT_THREADS", "THREADS_ENV", "limit_threads", "settle_heap", "threads"]

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
