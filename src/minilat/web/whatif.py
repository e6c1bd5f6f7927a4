"""The what-if page and API: a scenario from form fields (or a JSON body), its answer.

A scenario's answer runs the network analysis and designer solves, so it is bounded as
the designer is (:mod:`minilat.web.designer`): a budget of :data:`designer.BUDGET`
seconds of solving per request, a place among the :data:`designer.MAX_SOLVING` requests
solving at once (503 with ``Retry-After`` past :data:`designer.QUEUE_WAIT`), and
:data:`designer.RATE` scenarios per client (429 past it); at most
:data:`minilat.scenario.MAX_CHANGES` changes and :data:`minilat.scenario.MAX_MEMBERS`
members per founded grouping.

The form's rows are parallel query parameters (``kind``, ``grouping``, ``country``,
``date``, ``themes``), so the page's address holds the whole scenario and can be shared.
The answer comes from :func:`minilat.analysis.whatif.run`; the record's side of it (the
network above all) is computed once per dataset version and date by the dataset's memo
(:mod:`minilat.memo`) and shared with every page asking about that date. This module only
reads the form and lays out charts.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from typing import Any

from fastapi import Request

from minilat import scenario as _scenario
from minilat.errors import BadInput, Busy
from minilat.model import Theme
from minilat.web import designer
from minilat.web.library import plain
from minilat.web.middleware import RateLimiter, await_wait_for
from minilat.web.site import Site
from minilat.web.wording import figure, measure_words

__all__ = [
    "EMPTY_ROWS",
    "answer",
    "answer_in_slot",
    "limit",
    "page",
    "page_in_slot",
    "rows_document",
]

#: Blank rows the form offers below the scenario's own (more are added by resubmitting).
EMPTY_ROWS = 3
#: Differences drawn in the charts.
CHART_TOP = 12


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def rows_document(
    as_of: str | None,
    kinds: Sequence[str],
    groupings: Sequence[str],
    countries: Sequence[str],
    dates: Sequence[str],
    themes: Sequence[str],
) -> dict[str, Any]:
    """The scenario document the form's parallel fields describe (blank rows skipped).

    >>> rows_document("2026-12-01", ["join", "found", ""], ["chip4", "club", ""],
    ...               ["IND", "USA,JPN", ""], ["", "", ""], ["", "ai", ""])["changes"][1]
    {'found': 'club', 'members': ['USA', 'JPN'], 'themes': ['ai']}
    """
    n = max(len(kinds), len(groupings), len(countries), len(dates), len(themes), 0)

    def at(xs: Sequence[str], i: int) -> str:
        return xs[i].strip() if i < len(xs) and xs[i] else ""

    changes: list[dict[str, Any]] = []
    for i in range(n):
        kind, gid, who, day, th = (at(x, i) for x in (kinds, groupings, countries, dates, themes))
        if not (gid or who):
            continue
        kind = kind or "join"
        if kind not in _scenario.KINDS:
            raise BadInput(f"row {i + 1}: unknown change {kind!r}", hint="join, leave, ...")
        doc: dict[str, Any] = {kind: gid}
        if kind == "found":
            doc["members"] = _split(who)
            if th:
                doc["themes"] = _split(th)
        elif kind != "end":
            doc["country"] = who
        if day:
            doc["date"] = day
        changes.append(doc)
    out: dict[str, Any] = {"changes": changes}
    if as_of:
        out["as_of"] = as_of
    return out


def _form_rows(
    kinds: Sequence[str],
    groupings: Sequence[str],
    countries: Sequence[str],
    dates: Sequence[str],
    themes: Sequence[str],
) -> list[dict[str, str]]:
    """The rows as the visitor typed them (blank ones dropped), then blank rows."""
    rows = []
    for i in range(max(len(kinds), len(groupings), len(countries), len(dates), len(themes), 0)):
        row = {
            k: (xs[i] if i < len(xs) and xs[i] else "").strip()
            for k, xs in (
                ("kind", kinds),
                ("grouping", groupings),
                ("country", countries),
                ("date", dates),
                ("themes", themes),
            )
        }
        if row["grouping"] or row["country"]:
            rows.append(row)
    blank = {"kind": "join", "grouping": "", "country": "", "date": "", "themes": ""}
    return rows + [dict(blank) for _ in range(EMPTY_ROWS)]


def answer(site: Site, doc: dict[str, Any], *, network: bool = True) -> dict[str, Any]:
    """The analysis of a scenario document on the site's dataset, JSON-ready.

    Raises :class:`~minilat.scenario.ScenarioInvalid` (400) for a scenario that cannot
    be applied.
    """
    from minilat.analysis import whatif as _whatif

    sc = _scenario.parse_data(doc)
    # the record's side (the network above all) comes from the dataset's memo, shared
    # with every page asking about the same date; the scenario's copy starts empty
    result: dict[str, Any] = plain(
        _whatif.run(site.ds, sc, network=network, budget=designer.BUDGET)
    )
    return result


def _bars(diffs: list[dict[str, Any]]) -> dict[str, Any]:
    """Horizontal bars of the largest differences' sizes, each labelled, 0..1 wide."""
    rows = []
    top = diffs[:CHART_TOP]
    for i, d in enumerate(top):
        y = 8 + i * 34
        rows.append(
            {
                "y": y,
                "label": f"{d['name']}: {measure_words(d['measure'])}",
                "w": round(max(d["size"], 0.004) * 300, 1),
                "value": f"{d['size']:.2f}",
                "area": d["area"],
            }
        )
    return {"rows": rows, "height": 16 + len(top) * 34}


def _before_after(diffs: list[dict[str, Any]]) -> dict[str, Any]:
    """Paired bars (before, after) for the largest differences between 0 and 1."""
    picked = [
        d
        for d in diffs
        if isinstance(d["before"], int | float)
        and isinstance(d["after"], int | float)
        and not isinstance(d["before"], bool)
        and not isinstance(d["after"], bool)
        and 0 <= d["before"] <= 1
        and 0 <= d["after"] <= 1
    ][:CHART_TOP]
    rows = []
    for i, d in enumerate(picked):
        y = 8 + i * 44
        rows.append(
            {
                "y": y,
                "label": f"{d['name']}: {measure_words(d['measure'])}",
                "before": figure(d["measure"], d["before"]),
                "after": figure(d["measure"], d["after"]),
                "wb": round(d["before"] * 300, 1),
                "wa": round(d["after"] * 300, 1),
            }
        )
    return {"rows": rows, "height": 16 + len(picked) * 44}


def page(
    site: Site,
    *,
    as_of: str | None,
    kinds: Sequence[str],
    groupings: Sequence[str],
    countries: Sequence[str],
    dates: Sequence[str],
    themes: Sequence[str],
) -> dict[str, Any]:
    """The what-if page: the form (choices and the scenario's rows) and, when the form
    holds changes, the answer with its charts. BadInput for a scenario that cannot be
    applied (the page shows it beside the form, with status 400)."""
    gs = sorted(site.ds.groupings.values(), key=lambda g: g.name.lower())
    out: dict[str, Any] = {
        "form": {
            "as_of": as_of or _dt.date.today().isoformat(),
            "rows": _form_rows(kinds, groupings, countries, dates, themes),
        },
        "choices": {
            "kinds": list(_scenario.KINDS),
            "groupings": [{"id": g.id, "name": g.name} for g in gs],
            "themes": [t.value for t in Theme],
        },
        "scenario": None,
        "result": None,
        "charts": None,
        "error": None,
    }
    try:
        doc = rows_document(as_of, kinds, groupings, countries, dates, themes)
        out["scenario"] = doc
        if not doc["changes"]:
            return out
        result = answer(site, doc)
    except BadInput as e:
        out["error"] = {"message": e.message, "hint": e.hint}
        return out
    out["result"] = result
    out["charts"] = {
        "sizes": _bars(result["differences"]),
        "before_after": _before_after(result["differences"]),
    }
    return out


async def limit(request: Request) -> None:
    """Count a scenario against its client's :data:`designer.RATE`; Busy (429) past it."""
    wait = await await_wait_for(request, "whatif", designer.RATE)
    if wait:
        raise Busy(
            f"too many scenarios from this address: at most {designer.RATE[0]} a minute",
            hint=f"try again in {RateLimiter.retry_after(wait)} seconds",
            retry_after=int(RateLimiter.retry_after(wait)),
            status=429,
        )


async def answer_in_slot(site: Site, doc: dict[str, Any], *, network: bool = True) -> Any:
    """:func:`answer` in one of the designer's solving slots, in a worker thread."""
    async with designer.solving_slot():
        return await designer.solve_in_thread(functools.partial(answer, site, doc, network=network))


async def page_in_slot(site: Site, **form: Any) -> dict[str, Any]:
    """:func:`page` in one of the designer's solving slots, in a worker thread."""
    async with designer.solving_slot():
        result: dict[str, Any] = await designer.solve_in_thread(
            functools.partial(page, site, **form)
        )
        return result
