"""Serving under pressure: analyses computed once per date, a cache that cannot be
flooded, and a designer that cannot starve the pages; ours against the observatory as it
was before (a named git revision, run from its own source in the same run).

One command::

    .venv/bin/python benchmarks/bench_serving.py            # against --baseline b135a8c

It checks the baseline revision out into a temporary folder (``git worktree``), compiles
each version's own bundled dataset into a store, and starts both servers on loopback
(uvicorn, one process each). Then, on each server in turn:

1. **Country pages at a date not yet analysed**: the first answer, then every other
   state at that date one after another (median and p99), then 50 concurrent requests
   for 50 distinct countries at another new date (the slowest answer).
2. **Cache-busting flood**: 10,000 requests with a unique ``?cb=N`` over five pages, 20
   at a time; the server's resident memory before and after (``VmRSS``).
3. **Designer flood**: 50 clients sending the heaviest design the API allows (10 tables,
   a 30-member frontier) for ``--flood-seconds``, while one reader asks for a grouping
   page afresh (``Cache-Control: no-cache``) every 100 ms; the reader's latencies.

Targets (issue 11): first answer < 300 ms, other countries < 30 ms each, 50 distinct
countries all answered within 2 s; < 100 MiB more memory after 10,000 cache-busting
requests; pages held up by at most 1 s during the designer flood. The machine is shared
and its load varies: read the ratios of the two columns, measured side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _revision import ROOT, checked_out

LAUNCH = (
    "import sys, uvicorn\nfrom pathlib import Path\nfrom minilat.web import create_app\n"
    "try:\n    import minilat.web.designer as d\n    d.RATE = (10**9, 60.0)\n"
    "except Exception:\n    pass\n"
    "uvicorn.run(create_app(Path(sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]),"
    " log_level='warning', access_log=False)\n"
)
#: The heaviest design the API accepts: every bundled table (up to 10), high targets, and
#: a frontier of 30.
HEAVY_TABLES = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    """One observatory server from a source folder, on its own store and port."""

    def __init__(self, name: str, src: Path, tmp: Path) -> None:
        self.name, self.src = name, src
        self.env = {
            **os.environ,
            "PYTHONPATH": str(src),
            "MINILAT_EDITORIAL": str(tmp / f"{name}-editorial.db"),
            "MINILAT_SECRET": "bench",
            "XDG_CACHE_HOME": str(tmp / f"{name}-cache"),
            "XDG_DATA_HOME": str(tmp / f"{name}-data"),
        }
        self.store = tmp / f"{name}.db"
        subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path;"
             " from minilat.store import open_store;"
             " open_store(Path(sys.argv[1])).close()", str(self.store)],
            env=self.env, check=True,
        )  # fmt: skip
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(self.store), str(self.port)], env=self.env
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/v1", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"{name} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _states(s: Server) -> list[str]:
    rows = httpx.get(s.base + "/api/v1/countries", timeout=60).json()["countries"]
    return sorted(r["iso3"] for r in rows)


def country_pages(s: Server, day1: str, day2: str) -> dict[str, float]:
    codes = _states(s)
    with httpx.Client(base_url=s.base, timeout=120) as c:
        # a server that has answered before: its one-time costs (imports, the typology of
        # the version) are paid on another date, so the date below is the only thing new
        c.get("/api/v1/countries/USA?as_of=2020-01-01")
        t0 = time.perf_counter()
        r = c.get(f"/api/v1/countries/IND?as_of={day1}")
        first = time.perf_counter() - t0
        assert r.status_code == 200, r.text[:200]
        each = []
        for code in codes:
            if code == "IND":
                continue
            t0 = time.perf_counter()
            c.get(f"/api/v1/countries/{code}?as_of={day1}")
            each.append(time.perf_counter() - t0)
    each.sort()

    async def burst() -> float:
        async with httpx.AsyncClient(base_url=s.base, timeout=120) as ac:
            t0 = time.perf_counter()

            async def one(code: str) -> float:
                await ac.get(f"/api/v1/countries/{code}?as_of={day2}")
                return time.perf_counter() - t0

            return max(await asyncio.gather(*(one(code) for code in codes[:50])))

    return {
        "first answer, ms": first * 1000,
        f"other {len(each)} countries, median ms": statistics.median(each) * 1000,
        "other countries, p99 ms": each[int(len(each) * 0.99)] * 1000,
        "50 distinct at a new date, slowest ms": asyncio.run(burst()) * 1000,
    }


def cache_flood(s: Server, n: int) -> dict[str, float]:
    pages = ["/groupings", "/groupings/quad", "/api/v1/groupings", "/countries", "/"]

    async def flood() -> None:
        sem = asyncio.Semaphore(20)
        async with httpx.AsyncClient(base_url=s.base, timeout=120) as ac:

            async def one(i: int) -> None:
                async with sem:
                    await ac.get(f"{pages[i % len(pages)]}?cb={i}")

            await asyncio.gather(*(one(i) for i in range(n)))

    for p in pages:  # warm: the pages themselves are cached before the flood
        httpx.get(s.base + p, timeout=120)
    before = _rss_mib(s.proc.pid)
    t0 = time.perf_counter()
    asyncio.run(flood())
    took = time.perf_counter() - t0
    after = _rss_mib(s.proc.pid)
    return {
        "RSS before, MiB": before,
        "RSS after, MiB": after,
        "growth, MiB": after - before,
        "requests/s": n / took,
    }


def designer_flood(s: Server, seconds: float) -> dict[str, float]:
    listed = httpx.get(s.base + "/api/v1/design/tables", timeout=60).json()["tables"]
    tables = [t["id"] for t in listed]
    body = {"tables": tables[:HEAVY_TABLES], "max_size": 8, "frontier": 30}
    codes: dict[int, int] = {}
    lat: list[float] = []

    async def run() -> None:
        stop = time.perf_counter() + seconds
        async with httpx.AsyncClient(base_url=s.base, timeout=300) as ac:

            async def designer() -> None:
                while time.perf_counter() < stop:
                    try:
                        r = await ac.post("/api/v1/design", json=body, timeout=60)
                        status = r.status_code
                    except httpx.TimeoutException:
                        status = 0  # no answer within a minute
                    codes[status] = codes.get(status, 0) + 1
                    if status in (429, 503):
                        await asyncio.sleep(0.2)

            async def reader() -> None:
                while time.perf_counter() < stop:
                    t0 = time.perf_counter()
                    await ac.get("/groupings/quad", headers={"cache-control": "no-cache"})
                    lat.append(time.perf_counter() - t0)
                    await asyncio.sleep(0.1)

            await asyncio.gather(reader(), *(designer() for _ in range(50)))

    asyncio.run(run())
    lat.sort()
    return {
        "page reads": float(len(lat)),
        "page p50 ms": statistics.median(lat) * 1000,
        "page p99 ms": lat[int(len(lat) * 0.99)] * 1000,
        "page max ms": lat[-1] * 1000,
        "designs answered 200": float(codes.get(200, 0)),
        "designs told to wait (503/429)": float(codes.get(503, 0) + codes.get(429, 0)),
        "designs unanswered after 60 s": float(codes.get(0, 0)),
    }


#: Measures where more is better (the ratio shown is then ours / baseline).
_MORE_IS_BETTER = ("requests/s", "page reads", "answered 200")


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """The side-by-side table of a run's results (also from its printed JSON)."""
    lines = [f"{'measure':<48} {'baseline':>10} {'ours':>10} {'better by':>10}"]
    for section, rows in results["ours"].items():
        lines.append(f"-- {section}")
        for key, ours in rows.items():
            base = results["baseline"][section][key]
            more = any(k in key for k in _MORE_IS_BETTER)
            num, den = (ours, base) if more else (base, ours)
            ratio = f"{num / den:.1f}x" if den > 0 and num >= 0 and "RSS" not in key else ""
            lines.append(f"{key:<48} {base:>10.1f} {ours:>10.1f} {ratio:>10}")
    lines.append(
        "(better by: how many times better ours is: baseline/ours for times, ours/baseline"
        " for rates and counts)"
    )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default="b135a8c", help="git revision to compare against")
    ap.add_argument("--flood", type=int, default=10_000, help="cache-busting requests")
    ap.add_argument("--flood-seconds", type=float, default=20.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="minilat-bench-serving-"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
        f"baseline {args.baseline} (its own bundled data) vs this tree"
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    with checked_out(args.baseline, tmp / "baseline") as base_src:
        for name, src in (("baseline", base_src), ("ours", ROOT / "src")):
            server = Server(name, src, tmp)
            try:
                results[name] = {
                    "country pages": country_pages(server, "2019-03-07", "2018-05-09"),
                    "cache-busting flood": cache_flood(server, args.flood),
                    "designer flood": designer_flood(server, args.flood_seconds),
                }
            finally:
                server.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    print(table(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
