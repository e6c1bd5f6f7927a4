"""Benchmark the observatory's web server against Datasette on the same SQLite store.

One command, everything from the same run (needs Debian's ``wrk``: ``apt-get install -y
wrk``)::

    .venv/bin/python benchmarks/bench_web.py

It compiles the bundled dataset into a store in a temporary folder, then starts two
servers on loopback: ``minilat serve --workers N`` (uvicorn; ``--workers``, 2 by default
as in the deployment this repository ships, ``deploy/systemd`` and ``deploy/Dockerfile``)
and ``datasette serve`` (one process, as Datasette is deployed) on the same store file.
Each endpoint is driven by ``wrk`` (C, about 20 us of CPU per request, so the load
generator leaves the shared two cores to the servers) with ``--concurrency`` keep-alive
connections (50 by default) for ``--seconds`` seconds (6), after ``--warm`` seconds (1)
of the same load that are not counted (so that every worker process has seen the row:
one keep-alive client would reach only one of them); it reports
p50 and p99 latency, requests per second and the **server's CPU time per request** (its
processes' user and system time from ``/proc``, divided by the requests answered): the
figure that the load of other jobs on a shared machine moves least. wrk's percentiles are
corrected for coordinated omission (a request that waited 2 s also counts the requests
its connection would have sent meanwhile), so one stall of a worker shows in p99 however
few requests it held up. With ``--rounds``
above 1 the rounds are interleaved across all endpoints and the median round is shown.

Endpoints: the main API calls and pages as served (answered from minilat's in-memory
response cache once warm, as in production); the list and theme list of the API and the
list and grouping pages **computed afresh** on every request (a query string of its own,
``?cb=N``, and ``Cache-Control: no-cache``, which the response cache honours), each once
without and once with ``Accept-Encoding: gzip`` (what every browser sends: the answer is
then compressed too);
the list page with **new options** on every request (a page size, start and order never
asked before: the page is rendered for the first time, from the day's analyses, which
every page of the day shares); the list and grouping pages for **a new date** on every
request (``?as_of=`` a day never asked before, so that neither the rendered page nor the
day's analyses are kept: what a page costs the first time); and the equivalent list
query on Datasette: its table view of ``groupings`` and the SQL that filters groupings by
theme.

*Computed* is not *rendered*: the server keeps each rendered page per address, declared
options, day and version of the data (``minilat.web.render.Renderer.pages``), so a
computed row is answered with routing, parameters, the page's look-up, the response and
gzip; a *new options* row pays for the rendering too, and the *new date* rows for
everything.

The load average before and after the run is printed: the machine is shared, so a run
is only comparable with runs made under the same load.

Targets (issue 11, and issue 13's speed line): p99 under 50 ms at 50 concurrent clients
on 2 cores for the list and grouping pages computed afresh (the rows ``minilat page
groupings (computed)`` and ``minilat page grouping (computed)``, with and without gzip);
throughput at least 5x Datasette's on the equivalent list query (``minilat api list
(computed)`` against ``datasette table list``).
"""

from __future__ import annotations

import argparse
import datetime
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


#: Rows computed afresh on every request: (name, path).
COMPUTED = [
    ("api list", "/api/v1/groupings?limit=50"),
    ("api list theme", "/api/v1/groupings?theme=semiconductors&limit=50"),
    ("page groupings", "/groupings"),
    ("page grouping", "/groupings/quad"),
]
#: Rows where every request asks for a date never asked before (``?as_of=``, counting
#: back from today, a disjoint block of :data:`DATES_PER_ROW` days per row): nothing of the
#: page is kept, neither its rendering nor the day's analyses. (name, path before the date)
NEW_DATE = [
    ("page groupings", "/groupings?as_of="),
    ("page grouping", "/groupings/quad?as_of="),
]
#: Days each new-date row may use (more requests than that would repeat dates).
DATES_PER_ROW = 2500
#: Rows where every request asks for options never asked before (a page size, a start and
#: an order; a disjoint block of :data:`OPTIONS_PER_ROW` combinations per row): the page is
#: rendered for the first time, from the day's analyses (shared by every page of the day,
#: and computed before the row). (name, path)
NEW_OPTIONS = [("page groupings", "/groupings")]
#: Combinations each new-options row may use.
OPTIONS_PER_ROW = 12000
#: The orders the new-options rows cycle through (``?sort=``).
SORTS = ("founded", "-founded", "name", "-name", "members", "-members", "status", "-status")
#: The rows of the targets: p99 under 50 ms.
TARGET_ROWS = ("minilat page groupings (computed)", "minilat page grouping (computed)")
FRESH = {"Cache-Control": "no-cache"}
GZIP = {"Accept-Encoding": "gzip"}

#: wrk's script: the row's headers, and its figures as one JSON line when done.
_LUA = """
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"non2xx": %d, "errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""
#: What the rows whose requests change share: each of wrk's threads numbers its requests
#: ``offset + counter * stride`` (its offset is its place among the threads), so that the
#: threads take turns through one sequence and never ask the same address twice.
_LUA_TURNS = """
local threads, counter, offset = {{}}, 0, 0
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args)
  offset = tonumber(wrk.thread:get("offset"))
end
"""
#: wrk's script for a new-date row: each request names the next day of the row's block,
#: counting back from ``{first}`` (seconds since 1970), wrk's threads taking turns.
_LUA_DATES = (
    _LUA_TURNS
    + """
request = function()
  local i = offset + counter * {stride}
  counter = counter + 1
  return wrk.format(nil, "{prefix}" .. os.date("!%Y-%m-%d", {first} - i * 86400))
end
"""
)
#: wrk's script for a computed row: each request adds a query string of its own
#: (``cb=``, a parameter no route declares: what a visitor adds to bust a cache), wrk's
#: threads taking turns.
_LUA_UNIQUE = (
    _LUA_TURNS
    + """
request = function()
  local i = offset + counter * {stride}
  counter = counter + 1
  return wrk.format(nil, "{prefix}{sep}cb=" .. i)
end
"""
)
#: wrk's script for a new-options row: request ``{first}`` + i gets the i-th combination of
#: a page size (20-100), a start (0-144) and an order, wrk's threads taking turns.
_LUA_OPTIONS = (
    _LUA_TURNS
    + """
local sorts = {{{sorts}}}
request = function()
  local i = {first} + offset + counter * {stride}
  counter = counter + 1
  local sort = sorts[math.floor(i / (81 * 145)) % #sorts + 1]
  return wrk.format(nil, "{prefix}?limit=" .. (20 + i % 81) .. "&offset="
    .. (math.floor(i / 81) % 145) .. "&sort=" .. sort)
end
"""
)


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


def _settle(pid: int, timeout: float = 60.0) -> None:
    """Wait until the server is idle (its CPU time stops growing): the requests a row
    left in flight when wrk stopped (a new-date row: seconds of them) must not be
    counted in the next row's time and latency."""
    deadline = time.monotonic() + timeout
    last = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_seconds(pid)
        if now - last < 0.05:  # under 10 % of a core
            return
        last = now


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


def _wrk_or_exit() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(
            "bench_web.py drives the servers with wrk, which is not installed here: "
            "install it with `apt-get install -y wrk` (Debian's package), then run again"
        )
    return wrk


def _drive(
    wrk: str,
    tmp: Path,
    base: str,
    name: str,
    path: str,
    headers: dict[str, str],
    args: argparse.Namespace,
    pid: int,
    block: int | None = None,
    idle: tuple[int, ...] = (),
    options: bool = False,
) -> Result:
    """One row: warm up, then ``wrk`` for ``args.seconds`` with ``args.concurrency``
    keep-alive connections; the server's CPU time is read before and after. With
    ``block`` (a new-date row), each request asks ``path`` followed by a day of that block
    of :data:`DATES_PER_ROW` days never asked before, and there is no warm-up; with
    ``options`` too (a new-options row), ``path`` with a combination of options of that
    block of :data:`OPTIONS_PER_ROW`. The servers in ``idle`` are waited for until idle
    before the warm-up and the run."""
    script = tmp / f"row-{abs(hash((name, path))) % 10**8}.lua"
    lines = [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    text = _LUA.format(headers="\n".join(lines))
    if block is None and headers.get("Cache-Control") == "no-cache":  # a computed row
        stride = min(args.wrk_threads, args.concurrency)
        sep = "&" if "?" in path else "?"
        text += _LUA_UNIQUE.format(stride=stride, prefix=path, sep=sep)
    elif block is not None and options:
        text += _LUA_OPTIONS.format(
            first=block * OPTIONS_PER_ROW, stride=min(args.wrk_threads, args.concurrency),
            prefix=path, sorts=", ".join(json.dumps(x) for x in SORTS),
        )  # fmt: skip
    elif block is not None:
        today = datetime.datetime.now(datetime.UTC).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        first = int(today.timestamp()) - block * DATES_PER_ROW * 86400
        stride = min(args.wrk_threads, args.concurrency)
        text += _LUA_DATES.format(first=first, stride=stride, prefix=path)
    script.write_text(text)
    for server in idle:
        _settle(server)
    with httpx.Client(timeout=60) as client:  # the row answers at all
        for _ in range(5 if block is None else 0):
            client.get(base + path, headers=headers)

    def run_wrk(seconds: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                wrk, f"-t{min(args.wrk_threads, args.concurrency)}", f"-c{args.concurrency}",
                f"-d{seconds:g}s", "--timeout", "10s", "--latency", "-s", str(script),
                base + path,
            ],
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip

    # warm-up with as many connections as the run: one keep-alive client reaches one of
    # the worker processes only, and the other's first computation of the row (up to 2 s
    # of a cold home page) then landed in the measured seconds
    if block is None:
        run_wrk(args.warm)
        for server in idle:
            _settle(server)
    cpu0 = _cpu_seconds(pid)
    out = run_wrk(args.seconds)
    cpu = _cpu_seconds(pid) - cpu0
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("WRK-JSON "))
    w = json.loads(line.removeprefix("WRK-JSON "))
    n = int(w["requests"])
    most = OPTIONS_PER_ROW if options else DATES_PER_ROW
    if block is not None and n > most:
        print(f"warning: {name}: {n} requests for {most} new addresses, some repeated")
    return Result(
        name,
        n,
        int(w["non2xx"]) + int(w["errors"]),
        w["duration_us"] / 1e6,
        w["p50_us"] / 1e6,
        w["p99_us"] / 1e6,
        cpu / n if n else 0.0,
    )


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
        f"{r.name:<42} {r.n:>7} {r.errors:>4} {r.p50 * 1000:>8.1f} {r.p99 * 1000:>8.1f} "
        f"{r.rps:>9.0f} {r.cpu * 1000:>7.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=6.0, help="wrk's duration per row")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved rounds; medians shown")
    ap.add_argument(
        "--warm", type=float, default=1.0, help="seconds of wrk before each row (not counted)"
    )
    ap.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (-t)")
    ap.add_argument("--data", type=Path, default=None, help="dataset folder (bundled default)")
    ap.add_argument(
        "--workers", type=int, default=2, help="minilat's worker processes (as deployed: 2)"
    )
    args = ap.parse_args()
    wrk = _wrk_or_exit()

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

        plan: list[tuple[str, str, str, dict[str, str], int]] = [
            (base_ours, f"minilat {name}", path, {}, ours.pid) for name, path in OURS
        ]
        for name, path in COMPUTED:
            plan.append((base_ours, f"minilat {name} (computed)", path, FRESH, ours.pid))
            plan.append(
                (base_ours, f"minilat {name} (computed, gzip)", path, FRESH | GZIP, ours.pid)
            )
        new_dates: dict[str, int] = {}  # row: its block of days, disjoint across rows and rounds
        for name, prefix in NEW_DATE:
            for label, headers in (("new date", FRESH), ("new date, gzip", FRESH | GZIP)):
                row = f"minilat {name} ({label})"
                new_dates[row] = len(new_dates)
                plan.append((base_ours, row, prefix, headers, ours.pid))
        new_options: dict[str, int] = {}
        for name, prefix in NEW_OPTIONS:
            for label, headers in (("new options", FRESH), ("new options, gzip", FRESH | GZIP)):
                row = f"minilat {name} ({label})"
                new_options[row] = len(new_options)
                plan.append((base_ours, row, prefix, headers, ours.pid))
        plan += [
            (base_ds, "datasette table list", DATASETTE_TABLE, {}, datasette.pid),
            (base_ds, "datasette sql list theme", DATASETTE_SQL, {}, datasette.pid),
        ]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; minilat serve --workers {args.workers}, datasette "
            f"one process; wrk -t{min(args.wrk_threads, args.concurrency)} "
            f"-c{args.concurrency} -d{args.seconds:g}s per endpoint and round, "
            f"{args.rounds} interleaved round(s) (medians shown)"
        )
        print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        rounds: dict[str, list[Result]] = {name: [] for _, name, _, _, _ in plan}
        for k in range(args.rounds):
            for base, name, path, headers, pid in plan:
                block = new_dates.get(name)
                if block is not None:
                    block += k * len(new_dates)
                elif name in new_options:
                    block = new_options[name] + k * len(new_options)
                rounds[name].append(
                    _drive(
                        wrk, tmp, base, name, path, headers, args, pid, block,
                        (ours.pid, datasette.pid), options=name in new_options,
                    )
                )  # fmt: skip
        print(
            f"{'endpoint':<42} {'n':>7} {'err':>4} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} "
            f"{'cpu ms':>7}"
        )
        for name, rs in rounds.items():
            r = _median(name, rs)
            print(_row(r), flush=True)
            results.append(r)
        by_name = {r.name: r for r in results}
        ds_table, ds_sql = by_name["datasette table list"], by_name["datasette sql list theme"]
        print()
        print("equivalent list query, minilat / datasette throughput (median latency):")
        for ours_name, ds_r in (
            ("minilat api list", ds_table),
            ("minilat api list (computed)", ds_table),
            ("minilat api list theme", ds_sql),
            ("minilat api list theme (computed)", ds_sql),
        ):
            o = by_name[ours_name]
            print(
                f"  {o.name:<34} vs {ds_r.name:<26} {o.rps / ds_r.rps:>5.1f}x "
                f"({o.p50 * 1000:.1f} ms vs {ds_r.p50 * 1000:.1f} ms)"
            )
        print()
        print(f"targets: p99 < 50 ms at {args.concurrency} clients, pages computed afresh:")
        for name in TARGET_ROWS:
            for row in (name, name.replace("(computed)", "(computed, gzip)")):
                p99 = by_name[row].p99 * 1000
                print(f"  {row:<42} p99 {p99:6.1f} ms  {'met' if p99 < 50 else 'NOT met'}")
        print(
            "  (computed: the response cache bypassed, the page rendered once per address,"
            " options, day and version of the data and kept; new options: each page"
            " rendered for the first time from the day's analyses; new date: nothing kept)"
        )
        for name in TARGET_ROWS:
            for label in ("(new options)", "(new options, gzip)", "(new date)", "(new date, gzip)"):
                row = name.replace("(computed)", label)
                if row not in by_name:
                    continue
                p99 = by_name[row].p99 * 1000
                print(f"  {row:<42} p99 {p99:6.1f} ms  {'met' if p99 < 50 else 'NOT met'}")
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
