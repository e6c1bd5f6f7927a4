"""What one page computed afresh costs the server, in CPU time, and what gzip adds.

One command::

    .venv/bin/python benchmarks/bench_pages.py          # --requests 300

It compiles the bundled dataset into a store in a temporary folder, makes the app in
this process (its start-up tuning applied, the libraries' warm-up finished) and calls it
as an ASGI server would, one request after another, with ``Cache-Control: no-cache`` so
that every answer is computed afresh (routing, view, rendering, middleware; no sockets
and no HTTP parsing). For each page it prints the CPU time per request (this process's
user and system time, which other jobs on a shared machine move far less than they move
wall time) without and with ``Accept-Encoding: gzip``, and the body's size.

Then, on the same bodies, the size and CPU time of gzip at zlib levels 1 to 9: how the
level of :data:`minilat.web.middleware.GZIP_LEVEL` was chosen.

The home, groupings, grouping and country pages are kept rendered per address, options,
day and version of the data (``minilat.web.render.Renderer.pages``): after the warm-up
their rows measure a request that bypasses the response cache but finds the page
rendered (routing, parameters, the view's and the page's look-ups, the response,
middleware, gzip). What a page costs the first time is measured by ``bench_web.py``'s
*new date* rows.

Target (issue 11): the list and grouping pages computed afresh at p99 < 50 ms with 50
concurrent clients on 2 cores, which a closed loop of 50 clients only reaches below about
1.2 ms of server CPU per page (``benchmarks/bench_web.py`` measures the latency itself).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import platform
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PAGES = [
    ("home", "/", b""),
    ("groupings", "/groupings", b""),
    ("grouping", "/groupings/quad", b""),
    ("country", "/countries/IND", b""),
    ("api list", "/api/v1/groupings", b"limit=50"),
]
LEVELS = (1, 2, 4, 6, 9)


async def _call(app: Any, path: str, qs: bytes, gzipped: bool) -> tuple[int, bytes]:
    """One GET through the whole app, as uvicorn would make it; status and body."""
    headers = [(b"host", b"bench"), (b"cache-control", b"no-cache"), (b"accept", b"*/*")]
    if gzipped:
        headers.append((b"accept-encoding", b"gzip, deflate, br"))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": qs,
        "root_path": "", "headers": headers, "server": ("bench", 80),
        "client": ("127.0.0.1", 9),
    }  # fmt: skip
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def _cpu_ms(run: Any, n: int) -> float:
    t = time.process_time()
    for _ in range(n):
        run()
    return (time.process_time() - t) / n * 1000


async def _measure(app: Any, n: int) -> tuple[list[str], dict[str, bytes]]:
    rows, bodies = [], {}
    async with app.router.lifespan_context(app):
        for name, path, qs in PAGES:
            cells = []
            for gzipped in (False, True):
                for _ in range(20):  # warm: memos, templates, the libraries' first calls
                    status, body = await _call(app, path, qs, gzipped)
                assert status == 200, (path, status)
                t = time.process_time()
                for _ in range(n):
                    await _call(app, path, qs, gzipped)
                cells.append((time.process_time() - t) / n * 1000)
                if not gzipped:
                    bodies[name] = body
                    size = len(body)
                else:
                    zsize = len(body)
            rows.append(
                f"| {name} | {size / 1024:.1f} KB | {cells[0]:.2f} | {zsize / 1024:.1f} KB "
                f"| {cells[1]:.2f} |"
            )
    return rows, bodies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=300, help="requests per page and row")
    ap.add_argument("--data", type=Path, default=None, help="dataset folder (bundled default)")
    args = ap.parse_args()

    from minilat.store import open_store
    from minilat.web import create_app
    from minilat.web.middleware import GZIP_LEVEL

    tmp = Path(tempfile.mkdtemp(prefix="minilat-bench-pages-"))
    store = tmp / "store.db"
    open_store(store, args.data).close()
    os.environ.setdefault("MINILAT_MONITOR", str(tmp / "monitor"))
    app = create_app(store, args.data, tmp / "editorial.db", releases=tmp / "releases")
    for t in threading.enumerate():  # its CPU time would count against the first page
        if t.name == "minilat-warm-up":
            t.join()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.requests} requests per row, one at a time, "
        f"computed afresh (Cache-Control: no-cache); gzip level {GZIP_LEVEL}"
    )
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    rows, bodies = asyncio.run(_measure(app, args.requests))
    print()
    print("| page | body | CPU ms per request | gzipped body | CPU ms with gzip |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("gzip of the same bodies by zlib level: size, CPU ms")
    print()
    print("| page | " + " | ".join(f"level {lv}" for lv in LEVELS) + " |")
    print("|---|" + "---|" * len(LEVELS))
    for name, body in bodies.items():
        cells = []
        for lv in LEVELS:
            size = len(gzip.compress(body, lv, mtime=0))
            ms = _cpu_ms(lambda b=body, lv=lv: gzip.compress(b, lv, mtime=0), 60)
            cells.append(f"{size / 1024:.1f} KB, {ms:.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
