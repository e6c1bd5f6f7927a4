"""Benchmark the observatory's web server against Datasette on the same SQLite store.

One command, everything from the same run::

    .venv/bin/python benchmarks/bench_web.py

It compiles the bundled dataset into a store in a temporary folder, then starts two
servers on loopback: ``minilat serve --workers N`` (uvicorn; ``--workers``, 2 by default
as in the deployment this repository ships, ``deploy/systemd`` and ``deploy/Dockerfile``)
and ``datasette serve`` (one process, as Datasette is deployed) on the same store file.
For each endpoint it drives the server with ``--concurrency`` concurrent keep-alive
clients (50 by default) for ``--requests`` requests (2,000 by default) or ``--seconds``
seconds (20), whichever comes first, after a warm-up, and reports p50 and p99 latency
and requests per second.

Endpoints: the main API calls and pages (answered from minilat's in-memory response
cache once warm, as in production), the same list and the list and grouping pages
computed afresh on every request (``Cache-Control: no-cache``, which the response cache
honours), and the equivalent list query on Datasette:
its table view of ``groupings`` and the SQL that filters groupings by theme.

The load average before and after the run is printed: the machine is shared, so a run
is only comparable with runs made under the same load.

Targets (issue 11): p99 under 50 ms at 50 concurrent clients on 2 cores for the list
and grouping pages computed afresh; throughput at least 5x Datasette's on the
equivalent list query.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

_COLS = "id, name, founded, ended, instrument, secretariat, website"
DATASETTE_TABLE = (
    "/store/groupings.json?_size=50&_shape=objects&_sort=founded_day&_nosuggest=1"
    + "".join(f"&_col={c.strip()}" for c in _COLS.split(",")[1:])
)
DATASETTE_SQL = "/store.json?_shape=objects&theme=semiconductors&sql=" + (
    f"select {', '.join('g.' + c.strip() for c in _COLS.split(','))} from groupings g "
    "join grouping_themes t on t.grouping_id = g.id where t.theme = :theme "
    "order by g.founded_day, g.id limit 50"
).replace(" ", "+")

OURS = [
    ("api list", "/api/v1/groupings?limit=50"),
    ("api list theme", "/api/v1/groupings?theme=semiconductors&limit=50"),
    ("api grouping", "/api/v1/groupings/quad"),
    ("api members", "/api/v1/groupings/quad/members?as_of=2023-01-01"),
    ("api country", "/api/v1/countries/IND"),
    ("api network graph", "/api/v1/network/graph?as_of=2023-01-01"),
    ("page home", "/"),
    ("page groupings", "/groupings"),
    ("page grouping", "/groupings/quad"),
    ("feed updates", "/feeds/updates.atom"),
]


@dataclass
class Result:
    name: str
    n: int
    errors: int
    seconds: float
    p50: float
    p99: float
    #: The server's CPU time per request (all its processes), in seconds.
    cpu: float = 0.0

    @property
    def rps(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0


def _cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by process ``pid`` and its descendants
    (uvicorn's workers), from ``/proc``: what a request costs the server, whatever the
    load on the shared machine does to its latency. 0.0 where ``/proc`` is missing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # after the name: state, ppid, ... utime and stime are the 12th and 13th
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    family, total = {pid}, 0.0
    changed = True
    while changed:
        changed = False
        for p, (ppid, _) in stats.items():
            if ppid in family and p not in family:
                family.add(p)
                changed = True
    for p in family:
        total += stats.get(p, (0, 0.0))[1]
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


#: Sent with the "computed afresh" paths: the response cache answers such a request anew
#: (a unique query string no longer bypasses it: unknown parameters are ignored).
FRESH = "Cache-Control: no-cache\r\n"


async def _get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str
) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; the status code. A path ending
    in ``#fresh`` is asked for afresh (``Cache-Control: no-cache``)."""
    extra = ""
    if path.endswith("#fresh"):
        path, extra = path.removesuffix("#fresh"), FRESH
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n{extra}\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _drive(
    base: str,
    name: str,
    paths: list[str],
    concurrency: int,
    total: int,
    seconds: float,
    pid: int = 0,
) -> Result:
    """Drive ``base`` with ``concurrency`` keep-alive connections (a minimal asyncio
    HTTP/1.1 client, so that the client costs the shared 2 cores as little as possible)."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    counter = itertools.count()
    conns = [await asyncio.open_connection(host, int(port)) for _ in range(concurrency)]

    async def ask(k: int, path: str) -> int:
        """One request on connection ``k``. A server may close a keep-alive connection
        that sat idle (uvicorn does after 5 s, as during a slow warm-up on a loaded
        machine): the client then reconnects and asks again, as browsers do, and the
        time of both attempts counts."""
        reader, writer = conns[k]
        try:
            return await _get(reader, writer, host, path)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            conns[k] = reader, writer = await asyncio.open_connection(host, int(port))
            return await _get(reader, writer, host, path)

    # warm-up: a request per connection, all at once (none sits idle meanwhile)
    await asyncio.gather(*(ask(k, paths[0]) for k in range(concurrency)))
    cpu0 = _cpu_seconds(pid) if pid else 0.0
    start = time.perf_counter()
    stop_at = start + seconds

    async def worker(k: int) -> None:
        nonlocal errors
        while True:
            i = next(counter)
            if i >= total or time.perf_counter() > stop_at:
                return
            t0 = time.perf_counter()
            status = await ask(k, paths[i % len(paths)])
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors += 1

    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - start
    cpu = (_cpu_seconds(pid) - cpu0) / len(latencies) if pid and latencies else 0.0
    for _, writer in conns:
        writer.close()
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0.0
    return Result(name, len(lat), errors, elapsed, statistics.median(lat) if lat else 0.0, p99, cpu)


def _median(name: str, rs: list[Result]) -> Result:
    """The median round: median latencies and rate over rounds, counts summed."""
    rate = statistics.median(r.rps for r in rs)
    n = sum(r.n for r in rs)
    return Result(
        name,
        n,
        sum(r.errors for r in rs),
        n / rate if rate else 0.0,
        statistics.median(r.p50 for r in rs),
        statistics.median(r.p99 for r in rs),
        statistics.median(r.cpu for r in rs),
    )


def _row(r: Result) -> str:
    return (
        f"{r.name:<34} {r.n:>6} {r.errors:>4} {r.p50 * 1000:>8.1f} {r.p99 * 1000:>8.1f} "
        f"{r.rps:>9.0f} {r.cpu * 1000:>7.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians shown")
    ap.add_argument("--data", type=Path, default=None, help="dataset folder (bundled default)")
    ap.add_argument(
        "--workers", type=int, default=2, help="minilat's worker processes (as deployed: 2)"
    )
    args = ap.parse_args()

    from minilat.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="minilat-bench-web-"))
    store = tmp / "store.db"
    open_store(store, args.data).close()
    env = {**os.environ, "MINILAT_SUGGESTIONS": str(tmp / "suggestions.db")}
    port_ours, port_ds = _free_port(), _free_port()
    # the server as users run it: `minilat serve`, with the deployment's worker count
    data = ["--data", str(args.data)] if args.data else []
    ours = subprocess.Popen(
        [
            sys.executable, "-m", "minilat", "--db", str(store), *data,
            "--editorial", str(tmp / "editorial.db"), "--releases", str(tmp / "releases"),
            "serve", "--host", "127.0.0.1", "--port", str(port_ours),
            "--workers", str(args.workers), "--log-level", "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    datasette = subprocess.Popen(
        [
            sys.executable, "-m", "datasette", "serve", str(store), "-h", "127.0.0.1",
            "-p", str(port_ds), "--setting", "sql_time_limit_ms", "5000",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results: list[Result] = []
    try:
        base_ours, base_ds = f"http://127.0.0.1:{port_ours}", f"http://127.0.0.1:{port_ds}"
        _wait(base_ours + "/api/v1", ours)
        _wait(base_ds + "/-/versions.json", datasette)
        time.sleep(5)  # each worker imports its analyses' libraries in the background

        fresh = ["/api/v1/groupings?limit=50#fresh"]
        fresh_theme = ["/api/v1/groupings?theme=semiconductors&limit=50#fresh"]
        fresh_pages = ["/groupings#fresh", "/groupings/quad#fresh"]
        plan: list[tuple[str, str, list[str]]] = [
            (base_ours, f"minilat {name}", [path]) for name, path in OURS
        ]
        plan += [
            (base_ours, "minilat api list (computed)", fresh),
            (base_ours, "minilat api list theme (computed)", fresh_theme),
            (base_ours, "minilat pages list+grouping (computed)", fresh_pages),
            (base_ds, "datasette table list", [DATASETTE_TABLE]),
            (base_ds, "datasette sql list theme", [DATASETTE_SQL]),
        ]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; minilat serve --workers {args.workers}, datasette "
            f"one process; {args.concurrency} concurrent clients, "
            f"up to {args.requests} requests or {args.seconds:.0f} s per endpoint and round, "
            f"{args.rounds} interleaved rounds (medians shown)"
        )
        print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        rounds: dict[str, list[Result]] = {name: [] for _, name, _ in plan}
        for k in range(args.rounds):
            for base, name, paths in plan:
                offset = k * args.requests  # computed rows: new addresses every round
                shifted = paths[offset:] + paths[:offset] if len(paths) > 1 else paths
                rounds[name].append(
                    asyncio.run(
                        _drive(
                            base,
                            name,
                            shifted,
                            args.concurrency,
                            args.requests,
                            args.seconds,
                            ours.pid if base == base_ours else datasette.pid,
                        )
                    )
                )
        print(
            f"{'endpoint':<34} {'n':>6} {'err':>4} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} "
            f"{'cpu ms':>7}"
        )
        for name, rs in rounds.items():
            r = _median(name, rs)
            print(_row(r), flush=True)
            results.append(r)
        ds_table = next(r for r in results if r.name == "datasette table list")
        ds_sql = next(r for r in results if r.name == "datasette sql list theme")
        ours_fresh = next(r for r in results if r.name == "minilat api list (computed)")
        ours_fresh_theme = next(r for r in results if r.name == "minilat api list theme (computed)")
        cached = {r.name: r for r in results}
        print()
        print("equivalent list query, minilat / datasette throughput (median latency):")
        for ours_r, ds_r in (
            (cached["minilat api list"], ds_table),
            (ours_fresh, ds_table),
            (cached["minilat api list theme"], ds_sql),
            (ours_fresh_theme, ds_sql),
        ):
            print(
                f"  {ours_r.name:<34} vs {ds_r.name:<26} {ours_r.rps / ds_r.rps:>5.1f}x "
                f"({ours_r.p50 * 1000:.1f} ms vs {ds_r.p50 * 1000:.1f} ms)"
            )
        served = [r for r in results if r.name.startswith("minilat") and "computed" not in r.name]
        computed = [r for r in results if "computed" in r.name]
        print(
            f"worst minilat p99 (target < 50 ms): {max(r.p99 for r in served) * 1000:.1f} ms "
            f"as served, {max(r.p99 for r in computed) * 1000:.1f} ms computed afresh"
        )
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(
            "cpu ms: the server's CPU time per request (all its processes, from /proc); "
            f"{os.cpu_count()} cores / cpu ms is what the server could answer with the "
            "machine to itself"
        )
    finally:
        for proc in (ours, datasette):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
