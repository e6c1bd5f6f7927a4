"""Benchmark of the coalition designer: ours (HiGHS) vs PuLP + CBC vs greedy, one run.

    .venv/bin/python benchmarks/bench_coalition.py [--repeats 3]

(a) every bundled capability table: the smallest coalition for targets 0.5 / 0.8 / 0.9
    where reachable, timed as the solver call and as the full ``design`` library call
    (on a dataset loaded from an already-built store, and once cold: open the store,
    load, design);
(b) a seeded synthetic family, 250 countries x 1..50 tables, with concentrated shares
    (a few dominant producers per table; see :func:`synthetic`);
(c) the hard families of issue 11 (see :func:`hard`): 200-250 countries, 20-50 Zipf-like
    tables whose top three hold 0.6-0.85, targets 0.5-0.9 per table or shared, up to 3
    countries included, up to 8 of the strongest excluded, and often a maximum size —
    where proving that no smaller coalition exists is most of the work.

For every instance the same model (binary x_j, one covering row per table, minimise the
number of members) goes to our solver and to PuLP with CBC; the times are the best of
``--repeats`` runs of each. PuLP's time is its ``solve()`` call only (it writes the model
and runs the CBC binary); building the PuLP model in Python is printed apart and not
counted. Our time is the whole :func:`minilat.analysis.coalition.solve` call
(preprocessing, greedy incumbent, LP bound, HiGHS). Ratio = PuLP time / our time.

The machine these run on is shared, so the wall clock (best of the repeats) is printed
next to the CPU time (median of the repeats: ours is this process's; CBC's is PuLP's
plus the CBC process's, which PuLP waits for), with its own ratio. Under load a call of
2 ms is often descheduled for tens of ms, so the CPU ratio is the one that is stable from
run to run; the wall ratio is what a user on a quiet machine would see, and more.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pulp

from minilat import dataset as _dataset
from minilat.analysis import coalition as C
from minilat.store import open_store

# PuLP 3.3 deprecates its bundled CBC binary (PuLP 4 moves it to `pulp[cbc]`); it still
# ships in the wheel and is what this benchmark compares against.
warnings.filterwarnings("ignore", "PULP_CBC_CMD is deprecated", DeprecationWarning)

N_COUNTRIES = 250
TABLE_COUNTS = (1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50)
TARGETS = (0.5, 0.8, 0.9)


#: The synthetic families: (name, exponent range, most producers named, noise sigma).
FAMILIES = (
    ("concentrated", (2.0, 3.5), 30, 1.0),  # calibrated to the bundled tables' top-3 share
    ("diffuse", (1.0, 1.5), 40, 0.8),  # a harder stress test: long tails, weaker leaders
)


def synthetic(
    n: int,
    m: int,
    seed: int,
    gamma: tuple[float, float] = (2.0, 3.5),
    kmax: int = 30,
    sigma: float = 1.0,
) -> np.ndarray:
    """An (m x n) matrix of concentrated shares, seeded.

    Each country has a general weight (lognormal, sigma 2: a few dominant economies).
    Each table names its top k producers (k uniform in 5..kmax) by weight x lognormal
    noise (``sigma``: the leaders differ from table to table), gives them shares
    proportional to score**g (g uniform in ``gamma``: a Zipf-like head), and leaves 0..15%
    to a region that cannot be recruited. The benchmark prints each family's median top-3
    share next to the bundled tables'.
    """
    rng = np.random.default_rng(seed)
    strength = rng.lognormal(0.0, 2.0, n)
    S = np.zeros((m, n))
    for t in range(m):
        k = int(rng.integers(5, kmax + 1))
        score = strength * rng.lognormal(0.0, sigma, n)
        top = np.argsort(-score)[:k]
        raw = score[top] ** rng.uniform(*gamma)
        region = rng.uniform(0.0, 0.15)
        S[t, top] = raw / raw.sum() * (1 - region)
    return S


#: The hard families: (name, targets per table?, maximum size?).
HARD_FAMILIES = (
    ("hard, shared target", False, False),
    ("hard, per-table targets", True, False),
    ("hard, per-table targets + max size", True, True),
)
HARD_SEEDS = 12  # instances per hard family


def _zipf_exponent(n: int, top3: float) -> float:
    """The exponent a with shares proportional to rank**-a over n ranks whose top three
    hold ``top3`` of the total (bisection; the top-3 share grows with a)."""
    ranks = np.arange(1, n + 1, dtype=float)
    lo, hi = 0.0, 8.0
    for _ in range(60):
        a = (lo + hi) / 2
        w = ranks**-a
        if w[:3].sum() / w.sum() < top3:
            lo = a
        else:
            hi = a
    return (lo + hi) / 2


def hard(seed: int, per_table: bool, capped: bool) -> C.Instance:
    """One hard instance, seeded: 200-250 countries, 20-50 tables.

    Countries have a general strength (lognormal, sigma 1.5); each table ranks them by
    strength x lognormal noise (sigma 1: leaders differ between tables), names its top k
    producers (k drawn from 15-80; the others hold nothing, as in real tables) and gives
    rank r a share proportional to r**-a, with a chosen so that the top three hold a share
    drawn from 0.6-0.85 (Zipf-like, as the bundled tables). Targets are drawn from 0.5-0.9, one
    per table or one shared. Up to 3 countries (among the 60 strongest) are included, up
    to 8 of the 12 strongest excluded; ``capped`` adds a maximum size drawn between the
    greedy coalition's size and 1.3 times it (so some instances are at the edge of
    feasibility, where a proof is needed both ways). Targets are capped at what the
    countries left can reach.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(200, 251))
    m = int(rng.integers(20, 51))
    ids = tuple(f"C{j:03d}" for j in range(n))
    strength = rng.lognormal(0.0, 1.5, n)
    S = np.zeros((m, n))
    for t in range(m):
        k = int(rng.integers(15, 81))
        a = _zipf_exponent(k, float(rng.uniform(0.6, 0.85)))
        order = np.argsort(-(strength * rng.lognormal(0.0, 1.0, n)))[:k]
        w = np.arange(1, k + 1, dtype=float) ** -a
        S[t, order] = w / w.sum()
    strongest = np.argsort(-strength)
    exclude = frozenset(ids[j] for j in rng.choice(strongest[:12], rng.integers(0, 9), False))
    pool = [j for j in strongest[:60] if ids[j] not in exclude]
    include = frozenset(ids[j] for j in rng.choice(pool, rng.integers(0, 4), replace=False))
    reach = S[:, [j for j in range(n) if ids[j] not in exclude]].sum(axis=1)
    tau = rng.uniform(0.5, 0.9, m) if per_table else np.full(m, rng.uniform(0.5, 0.9))
    targets = tuple(float(x) for x in np.minimum(tau, reach - 1e-6))
    inst = C.Instance(ids, S, targets=targets, include=include, exclude=exclude)
    if capped:
        g = C.greedy(inst).size
        inst = replace(inst, max_size=int(rng.integers(g, max(g + 1, int(1.3 * g)) + 1)))
    return inst


def best_of(repeats: int, f: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def timed(repeats: int, f: Callable[[], Any]) -> tuple[float, float, Any]:
    """(best wall time, median CPU time, result) of ``repeats`` runs of ``f``.

    CPU time counts this process and any child process it waited for (CBC), so it does
    not grow with the machine's load the way the wall clock does: on a shared machine
    a 2 ms call is often descheduled for 10-40 ms, a 60 ms one proportionally less.
    """
    walls: list[float] = []
    cpus: list[float] = []
    out = None
    for _ in range(repeats):
        c0 = cpu_now()
        t0 = time.perf_counter()
        out = f()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_now() - c0)
    return min(walls), statistics.median(cpus), out


def cpu_now() -> float:
    """CPU seconds used so far by this process and its waited-for children."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def pulp_smallest(inst: C.Instance, repeats: int) -> tuple[int | None, float, float, float]:
    """Optimal size by PuLP + CBC on the same model (included countries fixed to 1,
    excluded ones left out, the maximum size as a row); (size, best solve seconds, build
    seconds, median solve CPU seconds: PuLP's and the CBC process's). An infeasible
    instance gives size None, as ours does."""
    S, tau = inst.shares, inst.tau
    m = S.shape[0]
    cols = [j for j, c in enumerate(inst.ids) if c not in inst.exclude]

    def build() -> tuple[pulp.LpProblem, dict[int, pulp.LpVariable]]:
        prob = pulp.LpProblem("smallest_coalition", pulp.LpMinimize)
        x = {j: prob.add_variable(f"x{j}", 0, 1, cat="Binary") for j in cols}
        prob += pulp.lpSum(x.values())
        for j in cols:  # a Binary variable's bounds are reset to 0..1: fix by a row
            if inst.ids[j] in inst.include:
                prob += x[j] >= 1
        for t in range(m):
            nz = [j for j in np.flatnonzero(S[t]).tolist() if j in x]
            prob += pulp.lpSum(float(S[t, j]) * x[j] for j in nz) >= float(tau[t]) - C.TOL
        if inst.max_size is not None:
            prob += pulp.lpSum(x.values()) <= inst.max_size
        return prob, x

    t0 = time.perf_counter()
    build()
    build_s = time.perf_counter() - t0
    best, size = float("inf"), None
    cpus: list[float] = []
    for _ in range(repeats):
        prob, _x = build()
        c0 = cpu_now()
        t0 = time.perf_counter()
        prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=120))
        best = min(best, time.perf_counter() - t0)
        cpus.append(cpu_now() - c0)
        ok = pulp.LpStatus[prob.status] == "Optimal"
        size = round(pulp.value(prob.objective)) if ok else None
    return size, best, build_s, statistics.median(cpus)


def ms(s: float) -> str:
    return f"{1000 * s:8.1f}"


def run_instance(
    label: str, inst: C.Instance, repeats: int, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    t_ours, cpu_ours, sol = timed(repeats, lambda: C.solve(inst, tie_break=False))
    t_full, full = best_of(repeats, lambda: C.solve(inst))
    t_greedy, g = best_of(repeats, lambda: C.greedy(inst))
    size, t_pulp, t_build, cpu_pulp = pulp_smallest(inst, repeats)
    row = {
        "label": label,
        "size": sol.size if sol.feasible else None,
        "optimal": sol.optimal and full.optimal and full.size == sol.size,
        "method": sol.method,
        "ours": t_ours,
        "ours_tie": t_full,
        "pulp": t_pulp,
        "pulp_build": t_build,
        "pulp_size": size,
        "greedy": g.size if g.members else None,
        "t_greedy": t_greedy,
        "ratio": t_pulp / t_ours,
        "ratio_e2e": (t_pulp + t_build) / t_ours,
        "cpu_ours": cpu_ours,
        "cpu_pulp": cpu_pulp,
        "cpu_ratio": cpu_pulp / max(cpu_ours, 1e-6),
    }
    agree = "ok" if row["pulp_size"] == row["size"] else "MISMATCH"
    print(
        f"{label:<34} {row['size']!s:>4} {row['pulp_size']!s:>4} {row['greedy']!s:>6}"
        f" {ms(t_ours)} {ms(t_full)} {ms(t_pulp)} {ms(t_build)} {row['ratio']:7.1f}x"
        f" {ms(cpu_ours)} {ms(cpu_pulp)} {row['cpu_ratio']:7.1f}x"
        f"  {row['method']:<6} {'proven' if row['optimal'] else 'NOT PROVEN'} {agree}",
        flush=True,
    )
    rows.append(row)
    return row


HEADER = (
    f"{'instance':<34} {'opt':>4} {'cbc':>4} {'greedy':>6} {'ours ms':>8} {'+tiebrk':>8}"
    f" {'cbc ms':>8} {'build':>8} {'ratio':>8} {'ours cpu':>8} {'cbc cpu':>8} {'cpu rat':>8}"
    "  how"
)


def summary(name: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    ratios = [r["ratio"] for r in rows]
    proven = sum(r["optimal"] for r in rows)
    agree = sum(r["pulp_size"] == r["size"] for r in rows)
    worse = sum(1 for r in rows if r["greedy"] is not None and r["greedy"] > r["size"])
    print(
        f"-- {name}: {len(rows)} instances; proven optimal {proven}/{len(rows)};"
        f" same optimum as CBC {agree}/{len(rows)}; greedy above optimum in {worse};"
        f" median ours {1000 * statistics.median(r['ours'] for r in rows):.1f} ms,"
        f" median CBC {1000 * statistics.median(r['pulp'] for r in rows):.1f} ms;"
        f" median ratio {statistics.median(ratios):.1f}x"
        f" (min {min(ratios):.1f}x, max {max(ratios):.1f}x);"
        f" counting PuLP's model building too:"
        f" {statistics.median(r['ratio_e2e'] for r in rows):.1f}x;"
        f" CPU time: median ours {1000 * statistics.median(r['cpu_ours'] for r in rows):.1f} ms,"
        f" CBC {1000 * statistics.median(r['cpu_pulp'] for r in rows):.1f} ms,"
        f" median ratio {statistics.median(r['cpu_ratio'] for r in rows):.1f}x"
        f" (min {min(r['cpu_ratio'] for r in rows):.1f}x)"
    )


def top3(S: np.ndarray) -> float:
    return float(statistics.median(np.sort(S, axis=1)[:, -3:].sum(axis=1)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rep = args.repeats
    print(
        f"python {platform.python_version()}, {platform.machine()},"
        f" highspy {pulp_version('highspy')}, PuLP {pulp.__version__} (CBC bundled),"
        f" wall: best of {rep} runs each, CPU: median of {rep}; load average"
        f" {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the start"
    )

    # ------------------------------------------------------------------ (a) bundled
    tmp = Path(tempfile.mkdtemp(prefix="minilat-bench-"))
    db = tmp / "minilat.db"
    open_store(db, _dataset.bundled_data_dir()).close()  # built once, before timing
    t0 = time.perf_counter()
    store = open_store(db, _dataset.bundled_data_dir())
    ds = store.dataset()
    t_load = time.perf_counter() - t0
    print(
        f"\n(a) bundled tables ({len(ds.capabilities)}); store open + dataset load: {ms(t_load)} ms"
    )
    print(HEADER)
    bundled: list[dict[str, Any]] = []
    e2e: list[float] = []
    shares_seen: list[np.ndarray] = []
    for tid, table in sorted(ds.capabilities.items()):
        reach = sum(table.shares().values())
        shares_seen.append(np.array([sorted(table.shares().values())[-3:]]))
        for tau in TARGETS:
            if reach < tau - C.TOL:
                continue
            q = C.Question((table,), targets=(tau,))
            t_design, _ = best_of(rep, lambda q=q: C.design(ds, q))
            e2e.append(t_design)
            inst = C._instance(ds, q, "size", None)
            row = run_instance(f"{tid} >= {tau}", inst, rep, bundled)
            row["design"] = t_design
    summary("bundled", bundled)
    if e2e:
        print(
            f"-- full design() call on the loaded dataset: median"
            f" {1000 * statistics.median(e2e):.1f} ms, max {1000 * max(e2e):.1f} ms"
            f" over {len(e2e)} questions"
        )
    store.close()
    wafer = "wafer_capacity"
    for label, with_groupings in (
        ("tables only, as `minilat design` loads", False),
        ("whole dataset, as --compare/--within-existing", True),
    ):
        colds = []
        for _ in range(rep):
            t0 = time.perf_counter()
            with open_store(db, _dataset.bundled_data_dir()) as cold_store:
                cold_ds = cold_store.dataset(groupings=with_groupings)
                q = C.Question((cold_ds.capability(wafer),), targets=(0.5,))
                C.design(cold_ds, q)
            colds.append(time.perf_counter() - t0)
        print(
            f"-- cold, in-process: open the built store + load ({label}) + design"
            f" ({wafer} >= 0.5): median {ms(statistics.median(colds))} ms of {rep}"
        )
    bundled_top3 = float(statistics.median(float(np.sum(s)) for s in shares_seen if s.size))

    # ---------------------------------------------------------------- (b) synthetic
    synth: list[dict[str, Any]] = []
    ids = tuple(f"C{j:03d}" for j in range(N_COUNTRIES))
    for name, gamma, kmax, sigma in FAMILIES:
        print(
            f"\n(b) synthetic, {name}: {N_COUNTRIES} countries x {TABLE_COUNTS} tables,"
            f" targets {TARGETS}"
        )
        print(HEADER)
        family: list[dict[str, Any]] = []
        tops: list[float] = []
        for tau in TARGETS:
            for m in TABLE_COUNTS:
                S = synthetic(N_COUNTRIES, m, 1000 * m + round(10 * tau), gamma, kmax, sigma)
                tops.append(top3(S))
                targets = tuple(float(x) for x in np.minimum(tau, S.sum(axis=1) - 1e-6))
                inst = C.Instance(ids, S, targets=targets)
                run_instance(f"{m:>2} tables >= {tau}", inst, rep, family)
        summary(f"synthetic {name}", family)
        print(
            f"-- median top-3 share per table: {name} {statistics.median(tops):.2f},"
            f" bundled {bundled_top3:.2f}"
        )
        synth += family

    # ------------------------------------------------------------------ (c) hard
    hard_rows: list[dict[str, Any]] = []
    for h, (name, per_table, capped) in enumerate(HARD_FAMILIES):
        print(f"\n(c) {name}: {HARD_SEEDS} instances, 200-250 countries x 20-50 tables")
        print(HEADER)
        family = []
        for i in range(HARD_SEEDS):
            inst = hard(7000 + 100 * h + i, per_table, capped)
            label = (
                f"#{i:<2} {len(inst.ids)}x{inst.m} inc{len(inst.include)}"
                f" exc{len(inst.exclude)}" + (f" k<={inst.max_size}" if capped else "")
            )
            run_instance(label, inst, rep, family)
        summary(name, family)
        tops = [top3(hard(7000 + 100 * h + i, per_table, capped).shares) for i in range(3)]
        print(f"-- median top-3 share per table: {statistics.median(tops):.2f}")
        hard_rows += family
    summary("hard, all", hard_rows)
    allrows = bundled + synth + hard_rows
    summary("all", allrows)
    if any(not r["optimal"] or r["pulp_size"] != r["size"] for r in allrows):
        sys.exit(1)


def pulp_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
