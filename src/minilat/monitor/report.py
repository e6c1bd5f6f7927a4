"""A grouping's news report: coverage and tone per week, top themes, member cooperation,
surges and silences, computed from the metrics of :mod:`minilat.monitor.metrics` on any
engine. This is the one result the CLI prints, the site draws and the API returns.

Means and ratios are computed here, from the exact integer sums the SQL returns:

- mean tone = tone sum / articles / 1000 (GDELT's V2Tone, -100..+100, usually -10..+10);
- cooperation index of a month = (cooperative - conflictual) / all events' articles, from
  -1 (all conflict) to +1 (all cooperation), events weighted by NumArticles;
- mean Goldstein = sum(Goldstein x articles) / articles (-10..+10).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from minilat.monitor.engines import Engine
from minilat.monitor.metrics import COOPERATION_MONTHLY, COVERAGE_DAILY, DYADS, TOP_THEMES, render
from minilat.monitor.signals import Signal, silences, surges

__all__ = ["as_day", "as_int", "data_end", "grouping_report", "grouping_signals"]

NOTE = (
    "News evidence from GDELT, matched by name (see the matching rule); it corroborates the "
    "curated record and never changes it."
)


def as_int(day: _dt.date) -> int:
    """A date as the YYYYMMDD integer the store keeps.

    >>> as_int(_dt.date(2024, 3, 9))
    20240309
    """
    return day.year * 10000 + day.month * 100 + day.day


def as_day(n: int) -> _dt.date:
    """A YYYYMMDD integer as a date.

    >>> as_day(20240309)
    datetime.date(2024, 3, 9)
    """
    return _dt.date(n // 10000, n // 100 % 100, n % 100)


def _monday(day: _dt.date) -> _dt.date:
    return day - _dt.timedelta(days=day.weekday())


def _ratio(a: int, b: int, scale: float = 1.0) -> float | None:
    return round(a / b / scale, 3) if b else None


def grouping_report(
    engine: Engine,
    *,
    grouping: str,
    members: Iterable[str],
    start: _dt.date,
    end: _dt.date,
) -> dict[str, Any]:
    """The news report of one grouping between two dates (inclusive)."""
    members = sorted(set(members))
    params: dict[str, Any] = {
        "grouping": grouping,
        "members": members,
        "start": as_int(start),
        "end": as_int(end),
    }
    daily_rows = engine.rows(render(COVERAGE_DAILY, **params))
    daily = {as_day(d): (n, t) for d, n, t in daily_rows}
    weeks: dict[_dt.date, list[int]] = {}
    w = _monday(start)
    while w <= end:
        weeks[w] = [0, 0]
        w += _dt.timedelta(weeks=1)
    for day, (n, t) in daily.items():
        acc = weeks.setdefault(_monday(day), [0, 0])
        acc[0] += n
        acc[1] += t
    weekly = [
        {"week": wk.isoformat(), "articles": n, "mean_tone": _ratio(t, n, 1000)}
        for wk, (n, t) in sorted(weeks.items())
    ]
    total = sum(n for n, _ in daily.values())
    tone_sum = sum(t for _, t in daily.values())
    themes = [{"theme": th, "articles": n} for th, n in engine.rows(render(TOP_THEMES, **params))]
    months: dict[int, dict[str, Any]] = {}
    for month, scope, events, weight, coop, conf, gold in engine.rows(
        render(COOPERATION_MONTHLY, **params)
    ):
        months.setdefault(month, {"month": f"{month // 100}-{month % 100:02d}"})[scope] = {
            "events": events,
            "articles": weight,
            "cooperative": coop,
            "conflictual": conf,
            "index": _ratio(coop - conf, weight),
            "mean_goldstein": _ratio(gold, weight, 10),
        }
    dyads = [
        {
            "a": a,
            "b": b,
            "events": events,
            "articles": weight,
            "cooperative": coop,
            "conflictual": conf,
            "index": _ratio(coop - conf, weight),
            "mean_goldstein": _ratio(gold, weight, 10),
        }
        for a, b, events, weight, coop, conf, gold in engine.rows(render(DYADS, **params))
    ]
    signals = _signals(weeks, daily, start, min(end, data_end(engine) or end))
    return {
        "grouping": grouping,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "engine": engine.name,
        "members": members,
        "articles": total,
        "mean_tone": _ratio(tone_sum, total, 1000),
        "weekly": weekly,
        "themes": themes,
        "cooperation": [months[m] for m in sorted(months)],
        "dyads": dyads,
        "signals": [s.as_dict() for s in signals],
        "note": NOTE,
    }


def data_end(engine: Engine) -> _dt.date | None:
    """The last day of GKG data in the store (silences are looked for up to it)."""
    (last,) = engine.rows("SELECT MAX(day) AS last FROM gkg")[0]
    return as_day(last) if last else None


def _signals(
    weeks: dict[_dt.date, list[int]],
    daily: dict[_dt.date, tuple[int, int]],
    start: _dt.date,
    end: _dt.date,
) -> list[Signal]:
    series = [(wk, n) for wk, (n, _) in sorted(weeks.items())]
    found = surges(series) + silences({d: n for d, (n, _) in daily.items()}, start, end)
    return sorted(found, key=lambda s: (s.start, s.kind))


def grouping_signals(
    engine: Engine,
    *,
    grouping: str,
    members: Iterable[str],
    start: _dt.date,
    end: _dt.date,
) -> list[dict[str, Any]]:
    """Only the surges and silences of a grouping (for feeds and the pulse page)."""
    return grouping_report(engine, grouping=grouping, members=members, start=start, end=end)[
        "signals"
    ]
