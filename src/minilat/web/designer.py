"""The coalition designer's view: the form's choices and, when asked, the answer.

The answer comes from :func:`minilat.analysis.coalition.design` (exact, MILP); the view
only parses the form (tables, targets as shares or percentages, constraints) and adds the
size-versus-coverage frontier chart.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

from minilat.analysis.coalition import parse_share
from minilat.errors import BadInput
from minilat.web import charts, optional
from minilat.web.library import plain, resolve_member
from minilat.web.site import Site

__all__ = ["design", "whole"]


def _codes(site: Site, text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(resolve_member(site, t.strip()) for t in text.split(",") if t.strip())


def design(
    site: Site,
    *,
    tables: list[str] | None = None,
    targets: list[str] | None = None,
    max_size: int | None = None,
    include: str | None = None,
    exclude: str | None = None,
    within_existing: bool = False,
    frontier: int | None = None,
    as_of: _dt.date | None = None,
    forbid: str | None = None,
) -> dict[str, Any]:
    """The designer's form (capability tables to choose from) and, when asked, its answer.

    ``tables`` and ``targets`` pair in order (a target is a share between 0 and 1, or a
    percentage); ``max_size`` asks for the best coalition of at most that many members
    instead of the smallest one meeting every target; ``frontier`` adds the best coverage
    for each size up to that number.
    """
    mod = optional.analysis("coalition")
    available = mod is not None and hasattr(mod, "design") and hasattr(mod, "Question")
    table_ids = [t for t in (tables or []) if t]
    target_texts = list(targets or [])
    form = {
        "tables": table_ids,
        "targets": target_texts,
        "max_size": max_size,
        "include": include or "",
        "exclude": exclude or "",
        "within_existing": within_existing,
        "frontier": frontier,
        "forbid": forbid or "",
    }
    out: dict[str, Any] = {
        "available": available,
        "message": None if available else "not available yet",
        "tables": [
            {"id": t.id, "name": t.name, "unit": t.unit, "year": t.year, "measure": t.measure.value}
            for t in sorted(site.ds.capabilities.values(), key=lambda t: t.id)
        ],
        "form": form,
        "result": None,
        "frontier": None,
        "frontier_chart": None,
    }
    if not available or not table_ids:
        return out
    assert mod is not None
    chosen = tuple(site.ds.capability(t) for t in table_ids)
    goal: tuple[float, ...] | None = None
    if max_size is None:
        values = [t for t in target_texts[: len(chosen)] if t != ""]
        if len(values) != len(chosen):
            raise BadInput("give a target for each table", hint="e.g. 0.5 for half the world")
        goal = tuple(parse_share(v) for v in values)
    question = mod.Question(
        chosen,
        targets=goal,
        max_size=max_size,
        include=_codes(site, include),
        exclude=_codes(site, exclude),
        forbid_pairs=_pairs(site, forbid),
        within_existing=within_existing,
        as_of=as_of,
        time_limit=5.0,
    )
    out["result"] = plain(mod.design(site.ds, question))
    if frontier:
        if not 1 <= frontier <= 30:
            raise BadInput("the frontier goes up to 30 members at most")
        fq = dataclasses.replace(question, max_size=None)
        steps = plain(mod.design(site.ds, fq, frontier_size=frontier))["steps"]
        out["frontier"] = steps
        out["frontier_chart"] = charts.bar_chart(
            [(str(st["k"]), round(st.get("weighted_coverage", 0.0) * 100, 1)) for st in steps]
        )
    return out


def whole(text: str | None, what: str, lo: int, hi: int) -> int | None:
    """An optional whole number from a form field (empty means not given).

    >>> whole("", "max_size", 1, 60) is None, whole("3", "max_size", 1, 60)
    (True, 3)
    """
    if text is None or not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise BadInput(f"{what} must be a whole number", hint=f"from {lo} to {hi}") from None
    if not lo <= value <= hi:
        raise BadInput(f"{what} must be from {lo} to {hi}")
    return value


def _pairs(site: Site, text: str | None) -> tuple[tuple[str, str], ...]:
    """``"CHN-USA, IND-PAK"`` as pairs of codes that cannot sit together."""
    out = []
    for item in (text or "").split(","):
        if not item.strip():
            continue
        a, sep, b = item.partition("-")
        if not sep or not a.strip() or not b.strip():
            raise BadInput(f"{item.strip()!r} is not a pair", hint="write pairs as CHN-USA")
        out.append((resolve_member(site, a.strip()), resolve_member(site, b.strip())))
    return tuple(out)
