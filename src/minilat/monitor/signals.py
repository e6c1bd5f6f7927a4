"""Surges and silences: when the news about a grouping jumps far above its own usual
level, and when it stops for a long stretch.

These are *news evidence*: they corroborate (or question) what the curated record says
about a grouping's life; they never change a curated fact.

- **Surge**: a week whose article count is at least ``factor`` (3) times the median of the
  grouping's previous ``window`` (12) weeks, and at least ``minimum`` (5) articles. The
  first four weeks of a series have no baseline and are never surges.
- **Silence**: at least ``min_days`` (60) consecutive days without a single article,
  after the grouping had coverage (a grouping never covered in the window has no
  silence, only no coverage). The window should end on the last day the store holds
  data, so that days not yet ingested are not taken for silence.

>>> import datetime as dt
>>> weeks = [(dt.date(2024, 1, 1) + dt.timedelta(weeks=i), n)
...          for i, n in enumerate([2, 3, 2, 2, 3, 15, 2])]
>>> [(s.kind, s.start.isoformat(), s.value) for s in surges(weeks)]
[('surge', '2024-02-05', 15)]
"""

from __future__ import annotations

import datetime as _dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Signal", "silences", "surges"]


@dataclass(frozen=True)
class Signal:
    """One surge or silence of news about a grouping."""

    kind: str  # "surge" or "silence"
    start: _dt.date
    end: _dt.date
    value: int  # articles in the surge week, or days of silence
    baseline: float  # median weekly articles before a surge; 0 for a silence
    text: str

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        return d


def surges(
    weekly: Sequence[tuple[_dt.date, int]],
    *,
    window: int = 12,
    factor: float = 3.0,
    minimum: int = 5,
) -> list[Signal]:
    """The surge weeks of a weekly article series (week start, articles), in order."""
    out = []
    for i, (week, n) in enumerate(weekly):
        if i < 4:
            continue
        base = statistics.median(c for _, c in weekly[max(0, i - window) : i])
        if n >= minimum and n >= factor * max(base, 1.0):
            text = (
                f"{n} articles in the week of {week.isoformat()}, "
                f"{n / max(base, 1.0):.0f}x its usual {base:g} a week"
            )
            out.append(Signal("surge", week, week + _dt.timedelta(days=6), n, float(base), text))
    return out


def silences(
    daily: Mapping[_dt.date, int],
    start: _dt.date,
    end: _dt.date,
    *,
    min_days: int = 60,
) -> list[Signal]:
    """Stretches of at least ``min_days`` days without an article between start and end.

    >>> import datetime as dt
    >>> s = silences({dt.date(2024, 1, 1): 3}, dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    >>> [(x.start.isoformat(), x.value) for x in s]
    [('2024-01-02', 181)]
    """
    out: list[Signal] = []
    covered = sorted(d for d, n in daily.items() if n and start <= d <= end)
    if not covered:
        return out
    run_start: _dt.date | None = None
    day = covered[0]
    while day <= end + _dt.timedelta(days=1):
        quiet = day <= end and daily.get(day, 0) == 0
        if quiet and run_start is None:
            run_start = day
        elif not quiet and run_start is not None:
            last = day - _dt.timedelta(days=1)
            days = (last - run_start).days + 1
            if days >= min_days:
                text = f"no article for {days} days, {run_start.isoformat()} to {last.isoformat()}"
                out.append(Signal("silence", run_start, last, days, 0.0, text))
            run_start = None
        day += _dt.timedelta(days=1)
    return out
