"""Benchmark the life of groupings: status histories read once, against a naive reread.

One command, everything from the same run::

    .venv/bin/python benchmarks/bench_life.py --repeats 5

On the bundled dataset, as of 2026-12-02, it times the pulse with ``--since`` (every
grouping's status history), the Atom feed's entries, and the history of the grouping
with the longest record, two ways:

* **ours**: :func:`minilat.analysis.life.history` reads a grouping's record (its
  activities and lapses) once and evaluates the rules on each day the status can change;
* **baseline**: the same days, each evaluated with the public :func:`life`, which rereads
  the record every time (what ``history`` did first).

It checks both give the same changes. Times are medians of ``--repeats`` runs, wall and
CPU (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from minilat.analysis import life as life_mod
from minilat.analysis import pulse
from minilat.dataset import load

AS_OF = dt.date(2026, 12, 2)
SINCE = dt.date(2025, 1, 1)


def naive_history(g: Any, as_of: dt.date) -> list[tuple[str, str]]:
    """The baseline: every candidate day evaluated from scratch with ``life``."""
    rules = life_mod.LIFE_RULES
    acts = life_mod.activities(g)
    limit = rules.dormant_after(g.cadence.value)
    days = {g.founded.first_day()}
    for p in g.periods:
        days.add(p.start.first_day())
        if p.end:
            days.add(p.end.first_day())
    for a in acts:
        days |= {
            a.day,
            life_mod.add_months(a.day, limit) + dt.timedelta(days=1),
            life_mod.add_months(a.day, rules.revived_months),
        }
    out, prev = [], None
    for d in sorted(x for x in days if x <= as_of):
        status = life_mod.life(g, d).status
        if status != prev:
            out.append((d.isoformat(), status))
            prev = status
    return out


def timed(f: Callable[[], Any], repeats: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        f()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    ds = load()
    groupings = list(ds.groupings.values())
    longest = max(groupings, key=lambda g: len(life_mod.activities(g)))
    for g in groupings:
        ours = [(c.date, c.status) for c in life_mod.history(g, AS_OF)]
        assert ours == naive_history(g, AS_OF), g.id
    n_acts = len(life_mod.activities(longest))
    rows = [
        (
            f"history of {longest.id} ({n_acts} recorded activities)",
            lambda: life_mod.history(longest, AS_OF),
            lambda: naive_history(longest, AS_OF),
        ),
        (
            f"every grouping's history ({len(groupings)} groupings)",
            lambda: [life_mod.history(g, AS_OF) for g in groupings],
            lambda: [naive_history(g, AS_OF) for g in groupings],
        ),
        ("pulse --since 2025-01-01 (ours only)", lambda: pulse.pulse(ds, AS_OF, SINCE), None),
        ("feed entries (ours only)", lambda: pulse.feed_entries(ds, AS_OF), None),
        ("pulse, no --since (ours only)", lambda: pulse.pulse(ds, AS_OF), None),
    ]
    print(f"machine: {platform.machine()}, {platform.python_version()}, as of {AS_OF}")
    print(
        "| question | ours wall (s) | ours CPU (s) | baseline wall (s) | baseline CPU (s) "
        "| ratio (CPU) |"
    )
    print("|---|---|---|---|---|---|")
    for name, ours, base in rows:
        w, c = timed(ours, args.repeats)
        if base is None:
            print(f"| {name} | {w:.3f} | {c:.3f} | — | — | — |")
            continue
        bw, bc = timed(base, args.repeats)
        print(f"| {name} | {w:.3f} | {c:.3f} | {bw:.3f} | {bc:.3f} | {bc / c:.1f}x |")
    print("Both ways give the same status changes for every grouping (checked).")


if __name__ == "__main__":
    main()
