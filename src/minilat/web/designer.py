"""The coalition designer's view: the form's choices and, when asked, the answer.

The answer comes from :func:`minilat.analysis.coalition.design` (exact, MILP); the view
only parses the form (tables, targets as shares or percentages, constraints) and adds the
size-versus-coverage frontier chart.

Solving is the one costly thing a visitor can ask for, so it is bounded three ways:

* a **budget per request** (:data:`BUDGET` seconds), shared by the design and its
  frontier: a step that runs out says so (``time_limit``), it is never passed off as
  proven;
* at most :data:`MAX_SOLVING` requests solve at once; another waits up to
  :data:`QUEUE_WAIT` seconds for a place, then gets 503 with ``Retry-After``;
* each client may ask :data:`RATE` (requests per seconds) designs; past it, 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as _dt
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request

# the one reading of a target, the CLI's and the API's too ("60" is 60%), re-exported
from minilat.analysis.coalition import read_target
from minilat.errors import BadInput, Busy, MinilatError
from minilat.web import charts, optional
from minilat.web.library import plain, resolve_member
from minilat.web.middleware import RateLimiter, await_wait_for
from minilat.web.site import Site

__all__ = [
    "BUDGET",
    "MAX_SOLVING",
    "QUEUE_WAIT",
    "RATE",
    "design",
    "design_in_slot",
    "limit",
    "read_target",
    "reword",
    "solve_in_thread",
    "solving_slot",
    "whole",
]

#: Seconds of solving one request may use, the frontier included.
BUDGET = 5.0
#: Requests that may solve at once (one per core of a small server).
MAX_SOLVING = 2
#: Seconds a request waits for a place before it is told to come back.
QUEUE_WAIT = 2.0
#: Designs one client may ask for: this many per this many seconds.
RATE = (20, 60.0)

_SLOTS = threading.BoundedSemaphore(MAX_SOLVING)
T = TypeVar("T")


def reword(message: str, site: Site) -> str:
    """A designer message with table ids, ISO3 codes and command-line options put in
    the words of the form: ``wafer_capacity: at most 0.62 reachable without CHN`` becomes
    ``Wafer fabrication capacity: at most 62% reachable without China``."""
    import re

    from minilat import countries

    names = {t.id: t.name for t in site.ds.capabilities.values()}
    for tid, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        message = re.sub(rf"\b{re.escape(tid)}\b", name, message)

    def state(m: re.Match[str]) -> str:
        code = m.group(0)
        return countries.state(code).name if countries.is_state_code(code) else code

    message = re.sub(r"\b[A-Z]{3}\b", state, message)
    # a share written as a fraction, not one already a percentage ("0.6%")
    message = re.sub(
        r"\b(0\.\d+|1\.00)\b(?![.\d]*%)",
        lambda m: f"{float(m.group(0)) * 100:.0f}%",
        message,
    )
    for option, words in (
        ("--forbid-pair", "the pairs that cannot sit together"),
        ("--include", "Must include"),
        ("--exclude", "Must exclude"),
        ("--max-size", "the size limit"),
        ("--within-existing", "only countries already cooperating"),
        ("--as-of", "the date"),
    ):
        message = message.replace(f"({option})", f"({words})").replace(option, words)
    return message


def _busy() -> Busy:
    return Busy(
        "the coalition designer is busy with other questions",
        hint="try again in a few seconds",
        retry_after=5,
    )


@contextlib.asynccontextmanager
async def solving_slot(wait: float | None = None) -> AsyncIterator[None]:
    """A place among the :data:`MAX_SOLVING` requests solving now; Busy (503) if none
    frees up within ``wait`` seconds (:data:`QUEUE_WAIT` by default).

    The wait happens on the event loop (polling every 20 ms), not in a worker thread, so
    a crowd of waiting designs never holds the threads that other pages are served from.
    """
    deadline = time.monotonic() + (QUEUE_WAIT if wait is None else wait)
    while not _SLOTS.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise _busy()
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        _SLOTS.release()


async def solve_in_thread(func: Callable[[], T]) -> T:
    """``func()`` in a worker thread outside the pages' thread limit
    (:mod:`minilat.web.tuning` lets few sync handlers run at once): a solve holds its
    thread for seconds, and the solving slots already bound how many run. Call it inside
    :func:`solving_slot`."""
    return await anyio.to_thread.run_sync(func, limiter=anyio.CapacityLimiter(1))


async def design_in_slot(site: Site, **question: Any) -> dict[str, Any]:
    """:func:`design` in a solving slot, the solving itself in a worker thread."""
    async with solving_slot():
        return await solve_in_thread(functools.partial(design, site, **question))


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
    universal: bool = False,
    frontier: int | None = None,
    as_of: _dt.date | None = None,
    forbid: str | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """The designer's form (capability tables to choose from) and, when asked, its answer.

    ``tables`` and ``targets`` pair in order (a target is a share between 0 and 1, or a
    percentage); ``max_size`` asks for the best coalition of at most that many members
    instead of the smallest one meeting every target; ``frontier`` adds the best coverage
    for each size up to that number.

    A form's mistakes come back in ``errors`` (by field: ``table-0``, ``target-0``,
    ``include``, ``exclude``, ``forbid``) and an infeasible question in ``infeasible``,
    both in the words of the form (names, not ids), so the page keeps what was typed;
    targets are read by :func:`~minilat.analysis.coalition.read_target` ("60" is 60%),
    as the CLI and the API read them, and each reading is in ``readings``. ``strict``
    (the API, JSON clients) raises the mistakes instead and keeps the library's wording.
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
        "universal": universal,
        "frontier": frontier,
        "forbid": forbid or "",
    }
    errors: dict[str, str] = {}
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
        "readings": [],
        "errors": errors,
        "infeasible": None,
    }
    if not available or not table_ids:
        return out
    assert mod is not None

    def field(name: str, parse: Any, *args: Any) -> Any:
        if strict:
            return parse(*args)
        try:
            return parse(*args)
        except MinilatError as e:
            errors[name] = reword(e.message, site) + (f" ({e.hint})" if e.hint else "")
            return None

    chosen = []
    for i, t in enumerate(table_ids):
        table = field(f"table-{i}", site.ds.capability, t)
        if table is not None:
            chosen.append(table)
    goal: tuple[float, ...] | None = None
    # with a maximum size, targets are optional, but those given still bind
    any_target = any(t.strip() for t in target_texts[: len(table_ids)])
    if max_size is None or any_target:
        shares = []
        for i in range(len(table_ids)):
            text = target_texts[i] if i < len(target_texts) else ""
            if not text.strip():
                if strict:
                    raise BadInput(
                        "give a target for each table", hint="e.g. 0.5 for half the world"
                    )
                errors[f"target-{i}"] = "give a target for this table, e.g. 60% (or set a size)"
                continue
            read = field(f"target-{i}", read_target, text)
            # one reading per table, in order ("" where the target was not understood)
            out["readings"].append("" if read is None else read[1])
            if read is not None:
                shares.append(read[0])
        goal = tuple(shares)
    codes_in = field("include", _codes, site, include)
    codes_out = field("exclude", _codes, site, exclude)
    pairs = field("forbid", _pairs, site, forbid)
    if errors:
        return out
    question = mod.Question(
        tuple(chosen),
        targets=goal,
        max_size=max_size,
        include=codes_in,
        exclude=codes_out,
        forbid_pairs=pairs,
        within_existing=within_existing,
        universal=universal,
        as_of=as_of,
        time_limit=BUDGET,
    )
    if frontier and not 1 <= frontier <= 30:
        raise BadInput("the frontier goes up to 30 members at most")
    started = time.perf_counter()
    try:
        out["result"] = plain(mod.design(site.ds, question))
    except MinilatError as e:
        if strict or e.status >= 500:
            raise
        out["infeasible"] = {"message": reword(e.message, site), "hint": reword(e.hint or "", site)}
        return out
    if frontier:
        left = max(BUDGET - (time.perf_counter() - started), 0.05)
        fq = dataclasses.replace(question, max_size=None, time_limit=left)
        steps = plain(mod.design(site.ds, fq, frontier_size=frontier))["steps"]
        out["frontier"] = steps
        out["frontier_chart"] = charts.bar_chart(
            [(str(st["k"]), round(st.get("weighted_coverage", 0.0) * 100, 1)) for st in steps]
        )
    return out


async def limit(request: Request) -> None:
    """Count a design against its client's :data:`RATE`; Busy (429) past it."""
    wait = await await_wait_for(request, "design", RATE)
    if wait:
        raise Busy(
            f"too many designs from this address: at most {RATE[0]} a minute",
            hint=f"try again in {RateLimiter.retry_after(wait)} seconds",
            retry_after=int(RateLimiter.retry_after(wait)),
            status=429,
        )


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
