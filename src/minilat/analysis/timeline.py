"""The timeline of groupings: how many were founded and how many were active each year.

A grouping is *founded* in the year its first active period starts, and *active* in a year
if any of its active periods overlaps that year (so one dormant between periods, such as
the Quad in 2009-2016, is not counted then). ``ended`` counts groupings whose last period
ended in the year. The current year is marked ``partial``.

The "steep increase" is measured per calendar decade (groupings founded, founded per
year, active at the decade's first and last year and the annual growth rate of the active
count between them) and as the founding rate of the last ten years against the years
before.

>>> from minilat.dataset import load
>>> t = timeline(load(), start=1975, end=2024)
>>> t["years"][0]["year"], t["years"][-1]["year"]
(1975, 2024)
"""

from __future__ import annotations

import datetime as _dt
import io
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.model import Grouping

__all__ = ["START_YEAR", "chart", "timeline"]

#: The first year of the timeline by default (the first G7 summit, 1975).
START_YEAR = 1975


def _active_in(g: Grouping, year: int) -> bool:
    lo, hi = _dt.date(year, 1, 1), _dt.date(year + 1, 1, 1)
    return any(
        p.start.first_day() < hi and (p.end is None or p.end.first_day() > lo) for p in g.periods
    )


def _rate(a: int, b: int, years: int) -> float | None:
    if a <= 0 or years <= 0:
        return None
    return round((b / a) ** (1 / years) - 1, 6)


def timeline(
    ds: Dataset,
    *,
    start: int = START_YEAR,
    end: int | None = None,
    include: Collection[str] | None = None,
    types: Mapping[str, str] | None = None,
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """Groupings founded, active and ended per year from ``start`` to ``end``.

    ``end`` defaults to the current year (marked ``partial``); ``include`` limits the
    groupings (ids); ``types`` (grouping id to type, from the typology analysis) adds the
    counts by type, a grouping without a type counting as ``unclassified``.

    >>> from minilat.dataset import load
    >>> t = timeline(load(), start=2021, end=2021, include={"aukus", "quad", "g7"})
    >>> t["years"][0]["founded"], t["years"][0]["active"]
    (1, 3)
    """
    today = today or _dt.date.today()
    end = today.year if end is None else end
    if end < start:
        raise BadInput(f"the timeline ends ({end}) before it starts ({start})")
    gs = [g for gid, g in sorted(ds.groupings.items()) if include is None or gid in include]

    def kind(g: Grouping) -> str:
        return types.get(g.id, "unclassified") if types is not None else ""

    years = []
    for y in range(start, end + 1):
        founded = [g for g in gs if g.founded.year == y]
        active = [g for g in gs if _active_in(g, y)]
        ended = [g for g in gs if g.ended is not None and g.ended.year == y]
        row: dict[str, Any] = {
            "year": y,
            "founded": len(founded),
            "active": len(active),
            "ended": len(ended),
            "founded_ids": [g.id for g in founded],
            "partial": y == today.year,
        }
        if types is not None:
            row["founded_by_type"] = dict(sorted(Counter(kind(g) for g in founded).items()))
            row["active_by_type"] = dict(sorted(Counter(kind(g) for g in active).items()))
        years.append(row)
    by_year = {r["year"]: r for r in years}
    decades = []
    for d0 in range(start - start % 10, end + 1, 10):
        y0, y1 = max(d0, start), min(d0 + 9, end)
        n = sum(by_year[y]["founded"] for y in range(y0, y1 + 1))
        a0, a1 = by_year[y0]["active"], by_year[y1]["active"]
        decades.append(
            {
                "from": y0,
                "to": y1,
                "founded": n,
                "founded_per_year": round(n / (y1 - y0 + 1), 6),
                "active_first": a0,
                "active_last": a1,
                "active_growth_per_year": _rate(a0, a1, y1 - y0),
            }
        )
    split = max(start, end - 9)
    recent = sum(by_year[y]["founded"] for y in range(split, end + 1))
    before = sum(by_year[y]["founded"] for y in range(start, split))
    rate_recent = recent / (end - split + 1)
    rate_before = before / (split - start) if split > start else None
    return {
        "start": start,
        "end": end,
        "definition": {
            "founded": "first active period starts in the year",
            "active": "an active period overlaps the year",
            "ended": "last active period ends in the year",
        },
        "groupings": len(gs),
        "founded_before_start": sum(1 for g in gs if g.founded.year < start),
        "by_type": types is not None,
        "years": years,
        "decades": decades,
        "increase": {
            "recent_from": split,
            "recent_founded": recent,
            "recent_per_year": round(rate_recent, 6),
            "earlier_founded": before,
            "earlier_per_year": None if rate_before is None else round(rate_before, 6),
            "ratio": round(rate_recent / rate_before, 6) if rate_before else None,
        },
    }


def chart(result: Mapping[str, Any], fmt: str = "svg") -> bytes:
    """A two-panel chart of a :func:`timeline` result (SVG or PNG bytes).

    Top: groupings active per year (stacked by type when the result has types); bottom:
    groupings founded per year. Drawn with matplotlib's Agg backend, no display needed; the
    SVG is reproducible (fixed ids, no date).

    >>> from minilat.dataset import load
    >>> chart(timeline(load(), start=2000, end=2024))[:5]
    b'<?xml'
    """
    if fmt not in ("svg", "png"):
        raise BadInput(f"unknown chart format {fmt!r}", hint="use a .svg or .png file")
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = result["years"]
    xs = [r["year"] for r in rows]
    with matplotlib.rc_context({"svg.hashsalt": "minilat", "font.size": 9}):
        fig = Figure(figsize=(9, 6), layout="constrained")
        FigureCanvasAgg(fig)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        if result.get("by_type"):
            kinds = sorted({k for r in rows for k in r["active_by_type"]})
            top.stackplot(
                xs,
                [[r["active_by_type"].get(k, 0) for r in rows] for k in kinds],
                labels=[k.replace("_", " ") for k in kinds],
                alpha=0.85,
            )
            base = [0] * len(rows)
            for k in kinds:
                vals = [r["founded_by_type"].get(k, 0) for r in rows]
                bottom.bar(xs, vals, bottom=base, label=k.replace("_", " "))
                base = [a + b for a, b in zip(base, vals, strict=True)]
            top.legend(loc="upper left", frameon=False)
        else:
            top.plot(xs, [r["active"] for r in rows], color="C0", linewidth=2)
            top.fill_between(xs, [r["active"] for r in rows], alpha=0.2, color="C0")
            bottom.bar(xs, [r["founded"] for r in rows], color="C1")
        top.set_ylabel("groupings active")
        bottom.set_ylabel("groupings founded")
        top.set_title(
            f"Tech minilateral groupings, {result['start']}–{result['end']}"
            + (" (last year partial)" if rows and rows[-1]["partial"] else ""),
            loc="left",
        )
        for ax in (top, bottom):
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", alpha=0.3)
        bottom.set_xlabel("year")
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, metadata=meta, dpi=150)
    return buf.getvalue()
