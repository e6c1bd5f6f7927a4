"""Benchmark the news monitor: ingest, queries on DuckDB against a pandas baseline, a
one-year report, and the same query on Spark local mode.

One command, everything from the same run::

    .venv/bin/python benchmarks/bench_monitor.py            # a month, about 3 million events
    .venv/bin/python benchmarks/bench_monitor.py --scale tiny --no-spark   # seconds

1. **Data.** Synthetic GDELT 2.0 event files for one month (``minilat.monitor.generator``;
   4 files a day of 24,000 events: about 3 million rows, with the mess of real files), and
   a separate year of event and GKG files for the report.
2. **Ingest** of the month into the Parquet store, in a child process: wall time, rows per
   second, peak resident memory.
3. **The question**: the Quad's monthly cooperation among members and with non-members
   (``COOPERATION_MONTHLY``) plus its member pairs (``DYADS``).
   - baseline: a straightforward pandas read-and-aggregate of the raw zipped files
     (``read_csv`` of the needed columns, bad lines skipped, then boolean masks and
     ``groupby``), in a child process (its peak memory too);
   - minilat: the same two SQL texts on DuckDB over the ingested store (median of 5), and
     the answers compared with the baseline's.
4. **Report**: a grouping's one-year report (``grouping_report``) from the year store,
   warm (median of 5) and cold (a new engine).
5. **Spark** local[*]: session start, then the same two SQL texts (median of 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from minilat.monitor.engines import DuckEngine
from minilat.monitor.generator import generate
from minilat.monitor.lake import Lake
from minilat.monitor.metrics import COOPERATION_MONTHLY, DYADS, render
from minilat.monitor.report import grouping_report

QUAD = ["AUS", "IND", "JPN", "USA"]
SCALES = {
    # files per day, events per file, days; year: events, articles per daily file
    "month": {"files": 4, "events": 24_000, "days": 31, "year_events": 2_000, "year_articles": 300,
              "year_days": 366},
    "tiny": {"files": 2, "events": 500, "days": 3, "year_events": 50, "year_articles": 20,
             "year_days": 20},
}  # fmt: skip

_INGEST = """
import json, resource, sys, time
from pathlib import Path
from minilat.dataset import load
from minilat.monitor.ingest import ingest
from minilat.monitor.lake import Lake
from minilat.monitor.matching import Matcher, targets_from_dataset
m = Matcher(targets_from_dataset(load().groupings.values()))
t = time.perf_counter()
r = ingest(Lake(Path(sys.argv[1])), [Path(sys.argv[2])], m)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": r.rows, "files": len(r.files),
                  "problems": r.problem_count, "corrupt": r.count("corrupt"),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_PANDAS = """
import csv, json, resource, sys, time
from pathlib import Path
import pandas as pd
members = set(sys.argv[2].split(","))
t = time.perf_counter()
frames = []
# GLOBALEVENTID, MonthYear, Actor1CountryCode, Actor2CountryCode, QuadClass,
# GoldsteinScale, NumArticles (0-based columns of the 61)
cols = [0, 2, 6, 7, 17, 29, 30, 33]
for f in sorted(Path(sys.argv[1]).glob("*.export.CSV.zip")):
    try:
        frames.append(pd.read_csv(f, sep="\\t", header=None, usecols=cols, quoting=csv.QUOTE_NONE,
                                  on_bad_lines="skip", encoding_errors="replace", dtype=str))
    except Exception:
        continue  # a truncated zip
df = pd.concat(frames)
df.columns = ["id", "month", "name1", "a1", "a2", "quad", "gold", "arts"]
for c in ("month", "quad", "gold", "arts"):
    df[c] = pd.to_numeric(df[c], errors="coerce")
# lines with a bad byte or a bad number are dropped, as the ingest drops them
df = df[~df.name1.fillna("").str.contains("\ufffd")]
df = df.dropna(subset=["month", "quad", "gold", "arts"]).drop_duplicates("id")
m1, m2 = df.a1.isin(members), df.a2.isin(members)
df = df[(m1 | m2) & (df.a1 != df.a2) & (df.a1.str.len() == 3) & (df.a2.str.len() == 3)]
regions = ["EUR", "AFR", "ASA", "WST", "MEA"]  # CAMEO regions: not states
df = df[~df.a1.isin(regions) & ~df.a2.isin(regions)]
df["scope"] = (df.a1.isin(members) & df.a2.isin(members)).map({True: "intra", False: "outside"})
df["coop"] = df.arts.where(df.quad <= 2, 0)
df["conf"] = df.arts.where(df.quad >= 3, 0)
df["gsum"] = (df.gold * 10).round() * df.arts
g = df.groupby(["month", "scope"]).agg(events=("id", "size"), weight=("arts", "sum"),
    coop=("coop", "sum"), conf=("conf", "sum"), gsum=("gsum", "sum")).reset_index()
rows = [[int(r.month), r.scope, int(r.events), int(r.weight), int(r.coop), int(r.conf), int(r.gsum)]
        for r in g.itertuples()]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows, "input_rows": len(df),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def timed(f: Any, n: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(n):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def cpu_timed(f: Any, n: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds (all threads of this process) of ``n`` calls."""
    walls, cpus, result = [], [], None
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        result = f()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def report_bench(work: Path, s: dict[str, int]) -> None:
    """The one-year report of the Quad from a year of generated events and articles."""
    year_raw = work / "year-raw"
    if not year_raw.exists():
        generate(year_raw, start=dt.date(2024, 1, 1), days=s["year_days"], files_per_day=1,
                 events_per_file=s["year_events"], articles_per_file=s["year_articles"],
                 mentions=False, seed=2)  # fmt: skip
    year_store = work / "year-store"
    if not (year_store / "manifest.jsonl").exists():
        child(_INGEST, str(year_store), str(year_raw))
    year_lake = Lake(year_store)
    entries = year_lake.entries().values()
    window = {"grouping": "quad", "members": QUAD, "start": dt.date(2024, 1, 1),
              "end": dt.date(2024, 12, 31)}  # fmt: skip
    e = DuckEngine(year_lake)
    warm, warm_cpu, r = cpu_timed(lambda: grouping_report(e, **window), 5)
    cold, cold_cpu, _ = cpu_timed(lambda: grouping_report(DuckEngine(year_lake), **window), 1)
    loaded = DuckEngine(year_lake, load=True)
    warm_loaded, loaded_cpu, _ = cpu_timed(lambda: grouping_report(loaded, **window), 5)
    member_events = sum(m.get("intra", {}).get("events", 0) for m in r["cooperation"])
    print(f"one-year report of the Quad ({r['articles']:,} articles, "
          f"{member_events:,} member events; "
          f"store of {sum(x.rows for x in entries):,} lines in {len(entries)} files): "
          f"wall (CPU) {warm * 1000:.0f} ({warm_cpu * 1000:.0f}) ms warm, median of 5; "
          f"{cold * 1000:.0f} ({cold_cpu * 1000:.0f}) ms cold (new engine); "
          f"{warm_loaded * 1000:.0f} ({loaded_cpu * 1000:.0f}) ms from an engine with the "
          "store loaded in memory, as the web server keeps it")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="month")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark timing")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument(
        "--report-only", action="store_true",
        help="only the one-year report (reuses the year store of --keep if there)",
    )  # fmt: skip
    a = ap.parse_args()
    s = SCALES[a.scale]
    work = a.keep or Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
          f"{platform.python_version()}, scale {a.scale}")  # fmt: skip

    if a.report_only:
        report_bench(work, s)
        return
    raw = work / "month-raw"
    if not raw.exists():
        t = time.perf_counter()
        gen = generate(raw, start=dt.date(2024, 3, 1), days=s["days"], files_per_day=s["files"],
                       events_per_file=s["events"], articles_per_file=0, mentions=False,
                       truncate_every=50, seed=1)  # fmt: skip
        print(f"generated {gen.events:,} good event rows in {len(gen.paths)} zipped files "
              f"({time.perf_counter() - t:.0f} s; {sum(gen.problems.values()):,} malformed "
              f"lines, {len(gen.corrupt)} truncated zips)")  # fmt: skip
    size = sum(p.stat().st_size for p in raw.iterdir()) / 2**20
    print(f"raw files: {size:,.0f} MiB zipped")

    store = work / "month-store"
    shutil.rmtree(store, ignore_errors=True)
    ing = child(_INGEST, str(store), str(raw))
    rate = ing["rows"] / ing["seconds"]
    print(f"ingest: {ing['rows']:,} lines of {ing['files']} files in {ing['seconds']:.1f} s = "
          f"{rate:,.0f} rows/s; peak memory {ing['peak_rss_mib']:,.0f} MiB; "
          f"{ing['problems']:,} malformed lines reported, {ing['corrupt']} corrupt files "
          "skipped")  # fmt: skip
    again = child(_INGEST, str(store), str(raw))
    print(f"re-ingest (every file skipped by name and MD5): {again['seconds']:.1f} s")

    base = child(_PANDAS, str(raw), ",".join(QUAD))
    print(f"baseline, pandas read-and-aggregate of the raw files: {base['seconds']:.2f} s, "
          f"peak memory {base['peak_rss_mib']:,.0f} MiB")  # fmt: skip

    lake = Lake(store)
    q = [render(COOPERATION_MONTHLY, start=20000101, end=29991231, members=QUAD),
         render(DYADS, start=20000101, end=29991231, members=QUAD)]  # fmt: skip
    duck = DuckEngine(lake)
    dt_q, (coop, _dyads) = timed(lambda: [duck.rows(x) for x in q], 5)
    same = [list(r) for r in coop] == base["rows"]
    ratio = base["seconds"] / dt_q
    print(
        f"minilat, DuckDB over the store: {dt_q * 1000:.0f} ms (median of 5) -> "
          f"{ratio:,.0f}x faster than the baseline; same answer: {same}"
    )  # fmt: skip
    once = ing["seconds"] + dt_q
    print(f"ingest once + query: {once:.1f} s -> {base['seconds'] / once:.2f}x the baseline's "
          "single pass")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (generator, DuckDB queries): {rss:,.0f} MiB")

    report_bench(work, s)

    if not a.no_spark:
        from minilat.monitor.engines import SparkEngine

        t = time.perf_counter()
        spark = SparkEngine(lake)
        start = time.perf_counter() - t
        ds, srows = timed(lambda: [spark.rows(x) for x in q], 3)
        spark.close()
        n = ing["rows"]
        print(f"Spark local[*]: session start {start:.1f} s; the same query {ds:.2f} s (median "
              f"of 3) vs DuckDB {dt_q:.3f} s = {ds / dt_q:.0f}x slower; same answer: "
              f"{srows[0] == coop}")  # fmt: skip
        per = 1e9 / n  # seconds per row -> milliseconds per million rows
        print(f"per million rows: DuckDB {dt_q * per:.1f} ms, Spark {ds * per:.1f} ms")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
