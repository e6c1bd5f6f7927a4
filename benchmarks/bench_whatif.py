"""Benchmark what-if scenarios: a 10-change scenario, and what it does not recompute.

One command, everything from the same run::

    .venv/bin/python benchmarks/bench_whatif.py

On the bundled dataset, as of 2026-12-01, it times :func:`minilat.analysis.whatif.run`
on a scenario of ten changes (joins, leaves, a role change, a suspension, a founding and
an ending), network analysis included:

* **cold**: neither side has been asked before (both datasets' memos empty: the record's
  network is computed too, as by the command line);
* **warm**: the record's side was asked before on that date (as on the website, where
  every page of a date shares the dataset's memo), so only the scenario's side is new;
* **full**: the baseline, every analysis recomputed for every grouping, country and
  capability table (``whatif.compare(prune=False)``), whatever the changes touch.

It then counts, by wrapping the analysis functions themselves (not the counts
``whatif`` reports about itself), the calls each answer makes, for the 10-change
scenario, for "India joins Chip 4" alone and for a join then a leave both dated before
the scenario's date (which no analysis can see: nothing may be recomputed), and checks the
pruned answer equals the full recomputation. Times are medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # 2 shared cores: BLAS threads only fight

from minilat.analysis import characteristics, coalition, countries, network, scorecard, typology
from minilat.analysis import whatif as whatif_mod
from minilat.dataset import Dataset, load
from minilat.scenario import Scenario, apply_resolved, parse_data

AS_OF = "2026-12-01"
TEN = {
    "as_of": AS_OF,
    "title": "Ten changes",
    "changes": [
        {"join": "chip4", "country": "IND"},
        {"leave": "paris_call", "country": "USA"},
        {"leave": "three_seas", "country": "UKR"},
        {"join": "three_seas", "country": "UKR", "role": "member"},
        {
            "found": "AI compute club",
            "members": ["USA", "JPN", "KOR", "TWN", "NLD"],
            "themes": ["ai", "semiconductors"],
        },
        {"join": "quad", "country": "KOR"},
        {"join": "i2u2", "country": "GBR"},
        {"suspend": "g20", "country": "RUS"},
        {"join": "aukus", "country": "JPN"},
        {"end": "clean_network", "date": "2026-06-01"},
    ],
}
CHIP4 = {"as_of": AS_OF, "changes": [{"join": "chip4", "country": "IND"}]}
UNDONE = {
    "as_of": AS_OF,
    "changes": [
        {"join": "chip4", "country": "IND", "date": "2025-01-01"},
        {"leave": "chip4", "country": "IND", "date": "2026-01-01"},
    ],
}

#: The analysis functions whatif calls, by the module they live in (counted by wrapping).
WATCHED = [
    (characteristics, "assess"),
    (typology, "classify_one"),
    (scorecard, "score"),
    (countries, "alignments"),
    (network, "analyse"),
    (coalition, "design"),
]


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Count calls into the analyses (countries.alignments counts one per country)."""
    calls: Counter[str] = Counter()
    saved = []
    for mod, name in WATCHED:
        f = getattr(mod, name)
        saved.append((mod, name, f))

        def wrapped(*a: Any, _f: Callable[..., Any] = f, _n: str = name, **k: Any) -> Any:
            if _n == "alignments":
                calls[_n] += len(list(a[1]))
            else:
                calls[_n] += 1
            return _f(*a, **k)

        setattr(mod, name, wrapped)
    try:
        yield calls
    finally:
        for mod, name, f in saved:
            setattr(mod, name, f)


def fresh(ds: Dataset) -> Dataset:
    """The same data with an empty memo (as a newly loaded dataset)."""
    return replace(ds, groupings=dict(ds.groupings))


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
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}"
    )
    ten = parse_data(TEN)
    print(f"dataset: {len(ds.groupings)} groupings; scenario: {len(ten.changes)} changes, {AS_OF}")

    def cold() -> None:
        whatif_mod.run(fresh(ds), ten)

    warm_ds = fresh(ds)
    whatif_mod.run(warm_ds, ten)  # fills the record's side of the memo

    def warm() -> None:
        whatif_mod.run(warm_ds, ten)

    edited, resolved = apply_resolved(ds, ten)

    def full() -> None:
        whatif_mod.compare(fresh(ds), fresh(edited), resolved, prune=False)

    rows = []
    for name, f in (("cold (both sides)", cold), ("warm (record memoised)", warm)):
        rows.append((name, *timed(f, args.repeats)))
    rows.append(("full recomputation (baseline)", *timed(full, max(1, args.repeats // 2))))
    base_wall, base_cpu = rows[-1][1], rows[-1][2]
    print()
    print("| 10-change scenario, network included | wall (s) | CPU (s) | full / this (wall) |")
    print("|---|---|---|---|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {base_wall / wall:.1f}x |")
    del base_cpu

    print()
    print(
        "| scenario | answer | assess | classify_one | score | alignment (countries) "
        "| network.analyse | coalition.design |"
    )
    print("|---|---|---|---|---|---|---|---|")
    cases: list[tuple[str, Scenario]] = [
        ("10 changes", ten),
        ("India joins Chip 4", parse_data(CHIP4)),
        ("join 2025, leave 2026 (before as_of)", parse_data(UNDONE)),
    ]
    for name, sc in cases:
        e, r = apply_resolved(ds, sc)
        with counting() as pruned_calls:
            pruned = whatif_mod.compare(fresh(ds), e, r)
        with counting() as full_calls:
            reference = whatif_mod.compare(fresh(ds), fresh(e), r, prune=False)
        same = pruned["differences"] == reference["differences"]
        for label, calls in (("pruned", pruned_calls), ("full", full_calls)):
            cells = " | ".join(str(calls.get(n, 0)) for _, n in WATCHED)
            print(f"| {name} | {label} | {cells} |")
        print(
            f"| {name} | same differences: {'yes' if same else 'NO'} "
            f"({len(pruned['differences'])}) | | | | | | |"
        )
        if not same:
            raise SystemExit(f"{name}: the pruned answer differs from the full recomputation")


if __name__ == "__main__":
    main()
