"""The news monitor on the site: the "in the news" section of a grouping page, the API
endpoints and the Atom feed of surges and silences.

Everything here is news evidence from GDELT, labelled as such; it never changes a curated
fact. When no monitor store exists the section says so plainly and the API answers with
``store.exists = false``. DuckDB queries run in a thread, never on the event loop.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from minilat import settings
from minilat.errors import BadInput
from minilat.web.feeds import ATOM, sub
from minilat.web.http import ERROR_RESPONSES, file_responses
from minilat.web.render import json_response
from minilat.web.site import Site, get_site

__all__ = ["chart", "monitor_root", "news_section", "router", "signals_for", "store_version"]

router = APIRouter(responses=ERROR_RESPONSES)
SiteDep = Annotated[Site, Depends(get_site)]
Day = Annotated[str | None, Query(description="A day, YYYY-MM-DD")]

W, H = 600, 220
_PAD = {"left": 40, "right": 40, "top": 14, "bottom": 30}


def monitor_root() -> Path:
    """The monitor store folder (the ``monitor`` setting, MINILAT_MONITOR)."""
    return Path(settings.resolve("monitor") or "monitor")


def _window(start: str | None, end: str | None, today: _dt.date) -> tuple[_dt.date, _dt.date]:
    from minilat.dataset import parse_day

    last = parse_day(end, "to") if end else today
    if not _dt.date(1901, 1, 1) <= last <= _dt.date(2999, 12, 31):
        raise BadInput("news dates must lie between 1900 and 2999")
    first = parse_day(start, "from") if start else last - _dt.timedelta(days=364)
    if last < first:
        raise BadInput("'to' is before 'from'")
    if first < _dt.date(1900, 1, 1):
        raise BadInput("news dates must lie between 1900 and 2999")
    if (last - first).days > 366 * 20:
        raise BadInput("the window is longer than 20 years")
    return first, last


def chart(weekly: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of the weekly chart: article bars, a tone line on a -10..+10 axis.

    >>> c = chart([{"week": "2024-01-01", "articles": 4, "mean_tone": -2.0},
    ...            {"week": "2024-01-08", "articles": 0, "mean_tone": None}])
    >>> c["max"], len(c["bars"]), len(c["tone"])
    (4, 2, 1)
    """
    left, right, top, bottom = (_PAD[k] for k in ("left", "right", "top", "bottom"))
    iw, ih = W - left - right, H - top - bottom
    n = max(len(weekly), 1)
    vmax = max([w["articles"] for w in weekly] + [1])
    step = iw / n
    bars, tone = [], []
    for i, w in enumerate(weekly):
        h = ih * w["articles"] / vmax
        x = left + i * step
        label = f"week of {w['week']}: {w['articles']} articles"
        bars.append(
            {"x": round(x, 1), "y": round(top + ih - h, 1), "w": round(max(step - 1, 1), 1),
             "h": round(h, 1), "label": label}
        )  # fmt: skip
        if w["mean_tone"] is not None:
            t = max(-10.0, min(10.0, w["mean_tone"]))
            tone.append(f"{x + step / 2:.1f},{top + ih * (10 - t) / 20:.1f}")
    months: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, w in enumerate(weekly):
        month = w["week"][:7]
        if month not in seen and (not months or i - months[-1]["i"] >= n / 6):
            seen.add(month)
            months.append({"i": i, "x": round(left + i * step, 1), "text": month})
    return {
        "width": W, "height": H, "left": left, "right": W - right, "top": top,
        "bottom": H - bottom, "max": vmax, "bars": bars, "tone": tone,
        "zero_tone": top + ih / 2, "x_labels": months,
    }  # fmt: skip


def _sentence(r: dict[str, Any]) -> str:
    if not r["store"]["exists"]:
        return str(r["store"]["message"])
    if not r["articles"]:
        return f"No article matched to this grouping from {r['from']} to {r['to']}."
    text = f"{r['articles']:,} articles from {r['from']} to {r['to']}"
    if r["mean_tone"] is not None:
        text += f", mean tone {r['mean_tone']:+.1f} (GDELT's scale, negative is critical)"
    months = [m for m in r["cooperation"] if "intra" in m]
    if months:
        w = sum(m["intra"]["articles"] for m in months)
        net = sum(m["intra"]["cooperative"] - m["intra"]["conflictual"] for m in months)
        text += (
            ". Between members, news of cooperation outweighs news of conflict"
            if net > 0
            else ". Between members, news of conflict matches or outweighs news of cooperation"
        )
        text += f" (index {net / w:+.2f} over {w:,} articles of events)" if w else ""
    return text + "."


def store_version(root: Path) -> tuple[str, int, int] | None:
    """What the monitor store's answers depend on: its folder and its manifest's
    modification time and size (every ingest appends to the manifest; the same key on
    which the shared DuckDB engine reloads), or None when nothing was ever ingested. A
    file status: cheap enough to take on every request."""
    from minilat.monitor.lake import Lake

    try:
        st = Lake(root).manifest_path.stat()
    except OSError:
        return None
    return str(root), st.st_mtime_ns, st.st_size


def news_section(site: Site, gid: str, today: _dt.date, start: str | None = None,
                 end: str | None = None) -> dict[str, Any]:  # fmt: skip
    """The "in the news" result of a grouping: the report, a sentence and the chart.

    Computed once per version of the data and of the monitor store, grouping, day and
    window, and shared by the grouping page and the API (in the site's memo of answers
    to options a visitor chooses, :meth:`Site.cached_view`): read-only, like every
    shared answer."""
    key = site.ds.grouping(gid).id
    root = monitor_root()
    return site.cached_view(
        ("news", key, today, start, end, str(root), store_version(root)),
        lambda _ds: _news_section(site, key, today, start, end),
    )


def _news_section(site: Site, gid: str, today: _dt.date, start: str | None,
                  end: str | None) -> dict[str, Any]:  # fmt: skip
    from minilat.monitor import service

    g = site.ds.grouping(gid)
    try:
        first, last = _window(start, end, today)
    except BadInput as e:
        if start or end:
            raise
        status = service.store_status(monitor_root())
        return {"grouping": g.id, "articles": 0, "summary": e.message, "chart": None,
                "signals": [], "cooperation": [], "store": status}  # fmt: skip
    r = service.report(monitor_root(), g, first, last, shared=True)
    return {**r, "summary": _sentence(r), "chart": chart(r["weekly"]) if r["weekly"] else None}


def signals_for(site: Site, today: _dt.date, days: int = 365) -> list[dict[str, Any]]:
    """Surges and silences of every grouping in the last ``days`` days, newest first, each
    labelled ``evidence: news (GDELT)``; for the feed and for the pulse page."""
    from minilat.monitor import service

    if not 1901 <= today.year <= 2999:
        return []
    out = service.all_signals(monitor_root(), sorted(site.ds.groupings),
                              today - _dt.timedelta(days=days), today, shared=True)  # fmt: skip
    for s in out:
        s["grouping_name"] = site.ds.groupings[s["grouping"]].name
        s["title"] = f"{s['grouping_name']}: news {s['kind']}, {s['text']}"
    return out


@router.get(
    "/api/v1/groupings/{gid}/news",
    summary="A grouping in the news (GDELT): coverage, tone, themes, member cooperation",
    tags=["news"],
)
async def api_grouping_news(
    request: Request, site: SiteDep, gid: str, start: Annotated[Day, Query(alias="from")] = None,
    end: Annotated[Day, Query(alias="to")] = None,
) -> Response:  # fmt: skip
    """News evidence for one grouping between two days (default: the last year):
    articles per week with mean tone, top themes, monthly cooperation index among members
    and with non-members, member pairs, surges and silences. ``store.exists`` is false
    when no GDELT data was ingested."""
    d = await run_in_threadpool(news_section, site, gid, _dt.date.today(), start, end)
    return json_response({k: v for k, v in d.items() if k != "chart"})  # d is shared


@router.get("/api/v1/news", summary="Every grouping in the news (GDELT)", tags=["news"])
async def api_news(
    site: SiteDep, start: Annotated[Day, Query(alias="from")] = None,
    end: Annotated[Day, Query(alias="to")] = None,
) -> Response:  # fmt: skip
    """Articles, mean tone and counts of surges and silences of every grouping."""
    from minilat.monitor import service

    first, last = _window(start, end, _dt.date.today())
    d = await run_in_threadpool(
        partial(service.overview, monitor_root(), site.ds, first, last, shared=True)
    )
    return json_response(d)


@router.get("/api/v1/news/signals", summary="Surges and silences in the news", tags=["news"])
async def api_signals(site: SiteDep) -> Response:
    """Every surge and silence of the last year, newest first (news evidence)."""
    rows = await run_in_threadpool(signals_for, site, _dt.date.today())
    return json_response({"signals": rows, "evidence": "news (GDELT); never changes curated facts"})


@router.get(
    "/feeds/news.atom",
    summary="Surges and silences in the news (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Not found"),
    tags=["feeds"],
)
async def news_feed(request: Request, site: SiteDep) -> Response:
    rows = await run_in_threadpool(signals_for, site, _dt.date.today())
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", base + "/feeds/news.atom")
    sub(feed, "title", "minilat: surges and silences in the news (GDELT, news evidence)")
    sub(feed, "updated", (rows[0]["end"] if rows else "1970-01-01") + "T00:00:00Z")
    sub(sub(feed, "author"), "name", "minilat observatory")
    sub(feed, "link", rel="self", href=base + "/feeds/news.atom", type="application/atom+xml")
    for s in rows:
        entry = sub(feed, "entry")
        key = f"{s['grouping']}|{s['kind']}|{s['start']}"
        sub(entry, "id", f"{base}/groupings/{s['grouping']}#news-"
            + hashlib.sha1(key.encode()).hexdigest()[:16])  # fmt: skip
        sub(entry, "title", f"{s['grouping_name']}: news {s['kind']}")
        sub(entry, "updated", s["end"] + "T00:00:00Z")
        sub(entry, "link", rel="alternate", href=f"{base}/groupings/{s['grouping']}#news-h",
            type="text/html")  # fmt: skip
        sub(entry, "category", term=f"news-{s['kind']}")
        sub(entry, "summary", f"News evidence (GDELT), not a curated fact: {s['text']}.")
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers={"cache-control": "public, max-age=900"})  # fmt: skip
