"""Benchmark the dyad-year panel: minilat's pair-id build against a straightforward pandas build.

One command::

    .venv/bin/python benchmarks/bench_panels.py [--from 1990] [--to 2026] [--repeats 3]

Both build the same panel over every grouping of the bundled dataset: one row per pair
of states and year (observed on 1 July) sharing at least one grouping, with the number
of shared groupings, of full co-memberships, and of shared groupings by type and by
theme. The baseline is what an analyst would write in pandas: a long table of
(state, grouping, year, full) from ``members_on``, merged with itself on grouping and
year, pairs kept once (a < b), joined to a grouping x type/theme indicator table, and
summed by pair and year. The script checks both give the same rows, then prints each
one's median wall time and the ratio. The issue's target: minilat under 5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd

from minilat import countries, panel_files
from minilat.analysis import panels
from minilat.analysis.typology import classify_one
from minilat.dataset import Dataset, load


def pandas_baseline(ds: Dataset, start: int, end: int) -> pd.DataFrame:
    rows = []
    for gid, g in ds.groupings.items():
        for y in range(start, end + 1):
            for m in g.members_on(panels.reference_day(y)):
                if countries.is_state_code(m.participant):
                    rows.append((m.participant, gid, y, int(m.full)))
    long = pd.DataFrame(rows, columns=["country", "grouping", "year", "full"])
    pairs = long.merge(long, on=["grouping", "year"], suffixes=("_a", "_b"))
    pairs = pairs[pairs.country_a < pairs.country_b]
    pairs = pairs.assign(shared=1, shared_full=pairs.full_a * pairs.full_b)
    ind = []
    for gid, g in ds.groupings.items():
        t = classify_one(ds, g).type
        row: dict[str, object] = {"grouping": gid}
        for gt in panels.TYPE_CODES.values():
            if gt != "unclassified":
                row[f"ty_{gt}"] = int(t == gt)
        themes = {th.value for th in g.themes.value}
        for spec in panels.COLUMNS["dyad-year"]:
            if spec.name.startswith("th_"):
                row[spec.name] = int(spec.name[3:] in themes)
        ind.append(row)
    pairs = pairs.merge(pd.DataFrame(ind), on="grouping")
    value_cols = [s.name for s in panels.COLUMNS["dyad-year"]][3:]
    out = pairs.groupby(["country_a", "country_b", "year"], as_index=False)[value_cols].sum()
    return out.sort_values(["year", "country_a", "country_b"], ignore_index=True)


def ours(ds: Dataset, start: int, end: int) -> pd.DataFrame:
    return panel_files.to_frame(panels.dyad_year(ds, start, end))


def _median(fn, repeats: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="start", type=int, default=1990)
    ap.add_argument("--to", dest="end", type=int, default=2026)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    ds = load()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}"
    )
    print(
        f"dataset: {len(ds.groupings)} groupings, {len(ds.states())} states; "
        f"dyad-year {args.start}-{args.end}"
    )
    t_lib, _ = _median(lambda: panels.dyad_year(ds, args.start, args.end), args.repeats)
    t_ours, frame = _median(lambda: ours(ds, args.start, args.end), args.repeats)
    t_base, base = _median(lambda: pandas_baseline(ds, args.start, args.end), args.repeats)
    assert isinstance(frame, pd.DataFrame) and isinstance(base, pd.DataFrame)
    mine = frame.sort_values(["year", "country_a", "country_b"], ignore_index=True)
    same = len(mine) == len(base) and all(
        (mine[c].to_numpy() == base[c].to_numpy()).all() for c in base.columns
    )
    print(f"rows: {len(mine):,} (pandas baseline: {len(base):,}); same rows and counts: {same}")
    print(f"{'build':<44}{'median s':>10}")
    print(f"{'minilat panels.dyad_year (arrays)':<44}{t_lib:>10.2f}")
    print(f"{'minilat dyad_year + DataFrame':<44}{t_ours:>10.2f}")
    print(f"{'straightforward pandas (merge + groupby)':<44}{t_base:>10.2f}")
    print(
        f"ratio baseline / minilat (DataFrame): {t_base / t_ours:.1f}x; "
        f"target < 5 s: {'met' if t_ours < 5 else 'NOT met'}"
    )
    if not same:
        raise SystemExit("the two builds disagree")


if __name__ == "__main__":
    main()
