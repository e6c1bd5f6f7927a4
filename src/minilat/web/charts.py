"""Chart geometry for server-rendered SVG: plain numbers in, coordinates out.

The templates draw the SVG (readable without JavaScript); the shipped script only adds
hover and keyboard read-outs. Nothing here knows about HTML.

>>> c = step_chart([("2020-01-01", 1), ("2021-01-01", 3)], width=200, height=100)
>>> c["max"], len(c["points"])
(3, 2)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

__all__ = ["bar_chart", "heat_map", "step_chart"]

_PAD = {"left": 36, "right": 12, "top": 22, "bottom": 28}


def _nice_max(v: float) -> int:
    if v <= 5:
        return max(1, int(v))
    step = 5 if v <= 50 else 10 if v <= 100 else 50
    return int(-(-v // step) * step)


def _ticks(vmax: int) -> list[int]:
    if vmax <= 5:
        return list(range(vmax + 1))
    step = max(1, vmax // 5)
    return list(range(0, vmax + 1, step))


def step_chart(
    points: Sequence[tuple[str, float]], *, width: int = 640, height: int = 220
) -> dict[str, Any]:
    """A step line through ``(ISO day, value)`` points, scaled into ``width`` x ``height``."""
    if not points:
        return {
            "width": width,
            "height": height,
            "points": [],
            "path": "",
            "max": 0,
            "yticks": [],
            "xticks": [],
        }
    days = [_dt.date.fromisoformat(d) for d, _ in points]
    x0, x1 = days[0].toordinal(), max(days[-1].toordinal(), days[0].toordinal() + 1)
    vmax = _nice_max(max(v for _, v in points))
    inner_w = width - _PAD["left"] - _PAD["right"]
    inner_h = height - _PAD["top"] - _PAD["bottom"]

    def sx(day: _dt.date) -> float:
        return round(_PAD["left"] + (day.toordinal() - x0) / (x1 - x0) * inner_w, 1)

    def sy(v: float) -> float:
        return round(_PAD["top"] + inner_h - v / vmax * inner_h, 1)

    coords = [(sx(d), sy(v)) for d, (_, v) in zip(days, points, strict=True)]
    path = f"M{coords[0][0]},{coords[0][1]}"
    for (x, y), (_, prev_y) in zip(coords[1:], coords, strict=False):
        path += f" H{x} V{y}" if y != prev_y else f" H{x}"
    years = sorted({d.year for d in days})
    step = max(1, (years[-1] - years[0]) // 6 or 1)
    xticks = [
        {"x": sx(_dt.date(y, 1, 1)), "label": str(y)}
        for y in range(years[0], years[-1] + 1, step)
        if x0 <= _dt.date(y, 1, 1).toordinal() <= x1
    ]
    return {
        "width": width,
        "height": height,
        "max": vmax,
        "path": path,
        "points": [
            {"x": x, "y": y, "day": d, "value": v}
            for (x, y), (d, v) in zip(coords, points, strict=True)
        ],
        "yticks": [{"y": sy(t), "label": t} for t in _ticks(vmax)],
        "xticks": xticks,
        "baseline": sy(0),
        "left": _PAD["left"],
        "right": width - _PAD["right"],
    }


def bar_chart(
    bars: Sequence[tuple[str, float]], *, width: int = 640, height: int = 220
) -> dict[str, Any]:
    """Vertical bars for ``(label, value)`` pairs, scaled into ``width`` x ``height``.

    >>> bar_chart([("2020", 2), ("2021", 4)])["bars"][1]["value"]
    4
    """
    if not bars:
        return {"width": width, "height": height, "bars": [], "max": 0, "yticks": []}
    vmax = _nice_max(max(v for _, v in bars))
    inner_w = width - _PAD["left"] - _PAD["right"]
    inner_h = height - _PAD["top"] - _PAD["bottom"]
    bw = inner_w / len(bars)
    out = []
    label_every = max(1, len(bars) // 10)
    for i, (label, v) in enumerate(bars):
        h = v / vmax * inner_h if vmax else 0
        out.append(
            {
                "x": round(_PAD["left"] + i * bw + bw * 0.1, 1),
                "y": round(_PAD["top"] + inner_h - h, 1),
                "w": round(bw * 0.8, 1),
                "h": round(h, 1),
                "label": label,
                "value": v,
                "show_label": i % label_every == 0,
                "cx": round(_PAD["left"] + i * bw + bw / 2, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "max": vmax,
        "bars": out,
        "yticks": [
            {"y": round(_PAD["top"] + inner_h - t / vmax * inner_h, 1), "label": t}
            for t in _ticks(vmax)
        ],
        "baseline": _PAD["top"] + inner_h,
        "left": _PAD["left"],
        "right": width - _PAD["right"],
    }


def heat_map(
    rows: Sequence[tuple[str, str, dict[int, int]]],
    years: tuple[int, int],
    *,
    cell: int = 10,
    gap: int = 2,
    label_width: int = 110,
) -> dict[str, Any]:
    """A grid of ``(id, status, {year: count})`` rows by year, in a viewBox narrow enough
    for a 390 px phone at the default sizes (label column plus one cell a year).

    Each cell's ``level`` is 0 (nothing recorded) to 4 (the most active quarter of the
    busiest cell's count).

    >>> h = heat_map([("quad", "active", {2021: 3, 2022: 1})], (2020, 2022))
    >>> [c["level"] for c in h["rows"][0]["cells"]], h["width"] <= 390
    ([0, 4, 2], True)
    """
    y0, y1 = years
    pitch = cell + gap
    peak = max((n for _, _, counts in rows for n in counts.values()), default=0)
    top = 16
    out = []
    for i, (gid, status, counts) in enumerate(rows):
        y = top + i * pitch
        cells = []
        for j, year in enumerate(range(y0, y1 + 1)):
            n = counts.get(year, 0)
            level = 0 if n == 0 else max(1, min(4, -(-n * 4 // peak))) if peak else 0
            cells.append(
                {"x": label_width + j * pitch, "y": y, "year": year, "n": n, "level": level}
            )
        out.append({"id": gid, "status": status, "y": y, "text_y": y + cell - 1, "cells": cells})
    step = 5 if y1 - y0 > 12 else 1
    xticks = [
        {"x": label_width + (year - y0) * pitch + cell / 2, "label": str(year)}
        for year in range(y0, y1 + 1)
        if (year - y0) % step == 0 or year == y1
    ]
    return {
        "width": label_width + (y1 - y0 + 1) * pitch + 8,
        "height": top + len(rows) * pitch,
        "cell": cell,
        "rows": out,
        "xticks": xticks,
        "label_width": label_width,
    }
