"""The monitor as the faces use it: reports and signals straight from a store folder and
the curated dataset, answering plainly when no store exists.

The CLI, the web pages, the API and the feed call these functions and only these; each
returns one plain dict (or list) that they render. ``store.exists`` is False, with a
message saying what to run, when nothing was ever ingested into the folder, or when the
``monitor`` extra is not installed.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from minilat import countries
from minilat.model import Grouping
from minilat.monitor.lake import Lake
from minilat.monitor.report import NOTE, as_day, as_int, data_end, grouping_report
from minilat.monitor.signals import Signal, silences, surges

__all__ = ["all_signals", "members_of", "overview", "report", "store_status"]


def store_status(root: Path) -> dict[str, Any]:
    """Whether a monitor store exists at ``root``, and what it holds."""
    lake = Lake(root)
    if importlib.util.find_spec("duckdb") is None:
        return {
            "exists": False,
            "path": str(root),
            "message": "The news monitor is not installed here (pip install 'minilat[monitor]').",
        }
    if not lake.exists():
        return {
            "exists": False,
            "path": str(root),
            "message": "No news data yet: nothing has been ingested into the monitor store. "
            "Run `minilat monitor fetch` or `minilat monitor ingest` (docs/monitor.md).",
        }
    return {"exists": True, "path": str(root), "message": "", "tables": lake.stats()}


def members_of(g: Grouping, start: _dt.date, end: _dt.date) -> list[str]:
    """ISO3 codes of the states with an active role in ``g`` at some time in the window."""
    out = set()
    for m in g.memberships:
        if not (m.active_role and countries.is_state_code(m.participant)):
            continue
        if m.start.first_day() > end:
            continue
        if m.end is not None and m.end.first_day() < start:
            continue
        out.add(m.participant)
    return sorted(out)


class _Shared:
    """A DuckDB engine with the store loaded in memory, shared by a long-lived process
    (the web server) until the store's manifest changes; ``close`` leaves it open."""

    name = "duckdb"

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._engine.rows(sql)
        return rows

    def close(self) -> None:
        pass


_shared: dict[str, tuple[tuple[int, int], _Shared]] = {}
_shared_lock = threading.Lock()


def _engine(root: Path, engine: str, *, shared: bool = False) -> Any:
    from minilat.monitor.engines import DuckEngine, make_engine

    lake = Lake(root)
    if not (shared and engine == "duckdb"):
        return make_engine(engine, lake)
    st = lake.manifest_path.stat()
    key = (st.st_mtime_ns, st.st_size)
    with _shared_lock:
        hit = _shared.get(str(root))
        if hit is None or hit[0] != key:
            if hit is not None:
                hit[1]._engine.close()
            hit = (key, _Shared(DuckEngine(lake, load=True)))
            _shared[str(root)] = hit
        return hit[1]


def report(
    root: Path,
    g: Grouping,
    start: _dt.date,
    end: _dt.date,
    *,
    engine: str = "duckdb",
    shared: bool = False,
) -> dict[str, Any]:
    """The news report of grouping ``g`` (see :func:`report.grouping_report`).

    ``shared=True`` (the web server) answers from one engine per process with the store
    loaded in memory, reloaded when the store changes."""
    status = store_status(root)
    members = members_of(g, start, end)
    if not status["exists"]:
        return {
            "grouping": g.id, "name": g.name, "from": start.isoformat(), "to": end.isoformat(),
            "engine": engine, "members": members, "articles": 0, "mean_tone": None,
            "weekly": [], "themes": [], "cooperation": [], "dyads": [], "signals": [],
            "note": NOTE, "store": status,
        }  # fmt: skip
    e = _engine(root, engine, shared=shared)
    try:
        r = grouping_report(e, grouping=g.id, members=members, start=start, end=end)
    finally:
        e.close()
    return {**r, "name": g.name, "store": status}


def _per_grouping(
    root: Path, start: _dt.date, end: _dt.date, engine: str, shared: bool = False
) -> tuple[dict[str, dict[_dt.date, tuple[int, int]]], _dt.date]:
    """Articles and tone per grouping per day, and the day the window really ends (the
    last day of data in the store, if earlier)."""
    from minilat.monitor.metrics import COVERAGE_ALL_DAILY, render

    e = _engine(root, engine, shared=shared)
    try:
        rows = e.rows(render(COVERAGE_ALL_DAILY, start=as_int(start), end=as_int(end)))
        last = data_end(e)
    finally:
        e.close()
    out: dict[str, dict[_dt.date, tuple[int, int]]] = {}
    for gid, day, n, tone in rows:
        out.setdefault(gid, {})[as_day(day)] = (n, tone)
    return out, min(end, last or end)


def _signals_of(
    daily: dict[_dt.date, tuple[int, int]], start: _dt.date, end: _dt.date
) -> list[Signal]:
    weeks: dict[_dt.date, int] = {}
    w = start - _dt.timedelta(days=start.weekday())
    while w <= end:
        weeks[w] = 0
        w += _dt.timedelta(weeks=1)
    for d, (n, _) in daily.items():
        weeks[d - _dt.timedelta(days=d.weekday())] = (
            weeks.get(d - _dt.timedelta(days=d.weekday()), 0) + n
        )
    found = surges(sorted(weeks.items())) + silences(
        {d: n for d, (n, _) in daily.items()}, start, end
    )
    return sorted(found, key=lambda s: (s.start, s.kind))


def overview(
    root: Path,
    ds: Any,
    start: _dt.date,
    end: _dt.date,
    *,
    engine: str = "duckdb",
    shared: bool = False,
) -> dict[str, Any]:
    """Articles, mean tone and signal counts of every grouping of dataset ``ds``."""
    status = store_status(root)
    per, last = _per_grouping(root, start, end, engine, shared) if status["exists"] else ({}, end)
    rows = []
    for gid in sorted(ds.groupings):
        daily = per.get(gid, {})
        n = sum(a for a, _ in daily.values())
        tone = sum(t for _, t in daily.values())
        sig = _signals_of(daily, start, last) if status["exists"] else []
        rows.append({
            "grouping": gid, "articles": n, "mean_tone": round(tone / n / 1000, 3) if n else None,
            "surges": sum(s.kind == "surge" for s in sig),
            "silences": sum(s.kind == "silence" for s in sig),
        })  # fmt: skip
    rows.sort(key=lambda r: (-r["articles"], r["grouping"]))
    return {"from": start.isoformat(), "to": end.isoformat(), "groupings": rows,
            "note": NOTE, "store": status}  # fmt: skip


def all_signals(
    root: Path, groupings: Iterable[str], start: _dt.date, end: _dt.date, *, shared: bool = False
) -> list[dict[str, Any]]:
    """Every surge and silence of the given groupings, newest first, each labelled as news
    evidence (for the Atom feed and the pulse page); empty when no store exists."""
    if not store_status(root)["exists"]:
        return []
    per, last = _per_grouping(root, start, end, "duckdb", shared)
    out = []
    for gid in groupings:
        for s in _signals_of(per.get(gid, {}), start, last):
            out.append({"grouping": gid, "evidence": "news (GDELT)", **s.as_dict()})
    out.sort(key=lambda s: (s["start"], s["grouping"]), reverse=True)
    return out
