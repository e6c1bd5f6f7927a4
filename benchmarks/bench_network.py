"""Benchmark the co-membership network: minilat (scipy.sparse) against networkx.

One command, everything from the same run::

    .venv/bin/python benchmarks/bench_network.py

It generates a seeded synthetic membership table (250 countries x 100,000 groupings over
30 years: most groupings have 2-10 members, a few up to 200; random start years, half of
them ended after a random span, popular countries in more groupings), then on the table as
of the last year:

1. the co-membership projection: minilat's ``incidence`` + ``project`` against
   ``networkx.algorithms.bipartite.weighted_projected_graph`` on the same bipartite graph
   (the graph's construction is not timed), checking both give the same counts;
2. the centralities on that projection: minilat's ``centralities`` against networkx's
   degree, weighted degree, ``eigenvector_centrality_numpy`` and
   ``betweenness_centrality`` (tie length 1/weight), checking they agree;
3. the whole ``minilat network`` analysis (``analyse_arrays`` + ``as_dict``: projection,
   centralities, Louvain communities, bridges, grouping overlap and the JSON-ready result)
   in a fresh child process, with its wall time and peak memory (tracemalloc's peak of
   Python allocations and the process's peak resident set).

minilat is timed as the median of several runs, networkx once (it takes seconds to
minutes). Options: ``--groupings N`` and ``--countries N`` for a smaller table,
``--skip-networkx`` to time minilat only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sp
from networkx.algorithms import bipartite

from minilat.analysis import network as net

FIRST_YEAR = 1995
YEARS = 30


def synthetic(
    n_countries: int = 250, n_groupings: int = 100_000, years: int = YEARS, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(participant, grouping, start ordinal, end ordinal) of a synthetic membership table."""
    rng = np.random.default_rng(seed)
    u = rng.random(n_groupings)
    size = np.where(
        u < 0.95,
        rng.integers(2, 11, n_groupings),  # 95 %: 2-10 members
        np.where(u < 0.995, rng.integers(11, 51, n_groupings), rng.integers(51, 201, n_groupings)),
    )
    size = np.minimum(size, n_countries)
    founded = rng.integers(0, years, n_groupings)
    ends = rng.random(n_groupings) < 0.5
    ended = np.minimum(founded + rng.integers(1, years + 1, n_groupings), years + 5)
    # popular countries sit in more groupings: weighted sampling without replacement
    weight = 1.0 / np.arange(1, n_countries + 1) ** 0.8
    parts, groups = [], []
    for lo in range(0, n_groupings, 5_000):
        hi = min(lo + 5_000, n_groupings)
        keys = -np.log(rng.random((hi - lo, n_countries))) / weight
        order = np.argsort(keys, axis=1)
        pick = np.arange(n_countries)[None, :] < size[lo:hi, None]
        parts.append(order[pick])
        groups.append(np.repeat(np.arange(lo, hi), size[lo:hi]))
    p = np.concatenate(parts).astype(np.int64)
    g = np.concatenate(groups).astype(np.int64)
    # a fifth of the members join a few years after the founding
    late = rng.random(p.size) < 0.2
    join = founded[g] + np.where(late, rng.integers(0, 5, p.size), 0)
    base = dt.date(FIRST_YEAR, 1, 1).toordinal()
    start = base + join * 365 + rng.integers(0, 365, p.size)
    end = np.where(ends[g], base + ended[g] * 365, net.OPEN)
    end = np.maximum(end, start + 1)
    return p, g, start.astype(np.int64), end.astype(np.int64)


def as_of() -> int:
    return dt.date(FIRST_YEAR + YEARS - 1, 7, 1).toordinal()


Timing = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def median_time(f: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Median wall and CPU time of ``runs`` calls, and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = f()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return (statistics.median(walls), statistics.median(cpus)), out


def once(f: Callable[[], Any]) -> tuple[Timing, Any]:
    return median_time(f, 1)


# ---------------------------------------------------------------- the whole analysis


def whole(n_countries: int, n_groupings: int, runs: int) -> dict[str, Any]:
    """The whole network analysis on the synthetic table (run in a fresh process)."""
    p, g, s, e = synthetic(n_countries, n_groupings)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    labels = [f"C{i:03d}" for i in range(n_countries)]
    glabels = [f"g{i}" for i in range(n_groupings)]

    def run() -> dict[str, Any]:
        r = net.analyse_arrays(p, g, s, e, day=as_of(), shape=(n_countries, n_groupings))
        return net.as_dict(r, labels, glabels)

    (t, cpu), d = median_time(run, runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": t,
        "cpu_seconds": cpu,
        "runs": runs,
        "tracemalloc_peak_mib": peak / 2**20,
        "max_rss_mib": rss / 1024,
        "max_rss_before_mib": rss_before / 1024,
        "nodes": d["projection"]["nodes"],
        "edges": d["projection"]["edges"],
        "communities": len(d["communities"]),
        "memberships": d["bipartite"]["memberships"],
        "groupings": d["bipartite"]["groupings"],
        "overlap_considered": d["overlap"]["considered"],
    }


# ----------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=250)
    ap.add_argument("--groupings", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5, help="minilat runs (the median is shown)")
    ap.add_argument("--skip-networkx", action="store_true")
    ap.add_argument("--child-whole", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_whole:
        print(json.dumps(whole(a.countries, a.groupings, max(1, a.runs // 2))))
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, networkx {nx.__version__}")
    (t_gen, _), (p, g, s, e) = once(lambda: synthetic(a.countries, a.groupings))
    day = as_of()
    shape = (a.countries, a.groupings)
    print(
        f"synthetic table: {a.countries} countries x {a.groupings:,} groupings over {YEARS} "
        f"years, {p.size:,} membership spells (generated in {t_gen:.1f} s); "
        f"as of {dt.date.fromordinal(day)}"
    )

    def ours_projection() -> sp.csr_array:
        B = net.incidence(p, g, s, e, day=day, shape=shape)
        return net.project(B, weighting="count")[1]

    t_ours, shared = median_time(ours_projection, a.runs)
    B = net.incidence(p, g, s, e, day=day, shape=shape)
    print(
        f"on the date: {B.nnz:,} memberships in {(np.diff(B.tocsc().indptr) > 0).sum():,} "
        f"active groupings; projection {shared.shape[0]} nodes, {shared.nnz // 2:,} ties"
    )
    rows: list[tuple[str, Timing | None, Timing]] = []

    W, _ = net.project(B, weighting="count")
    t_cent, cent = median_time(lambda: net.centralities(W), a.runs)
    t_newman, _ = median_time(lambda: net.project(B, weighting="newman"), a.runs)

    if not a.skip_networkx:
        G = nx.Graph()
        G.add_nodes_from(range(a.countries), bipartite=0)
        coo = B.tocoo()
        G.add_edges_from(
            zip(coo.row.tolist(), (a.countries + c for c in coo.col.tolist()), strict=True)
        )
        t_nx, P = once(lambda: bipartite.weighted_projected_graph(G, range(a.countries)))
        ref = nx.to_scipy_sparse_array(P, nodelist=range(a.countries), weight="weight")
        same = bool(np.array_equal(ref.toarray(), shared.toarray()))
        print(f"projection check: networkx and minilat give the same counts: {same}")
        rows.append(("co-membership projection (count)", t_nx, t_ours))

        def nx_centralities() -> tuple[Any, ...]:
            for _, _, d in P.edges(data=True):
                d["distance"] = 1.0 / d["weight"]
            return (
                dict(P.degree()),
                dict(P.degree(weight="weight")),
                nx.eigenvector_centrality_numpy(P, weight="weight"),
                nx.betweenness_centrality(P, weight="distance"),
            )

        t_nxc, (deg, stren, eig, btw) = once(nx_centralities)
        order = range(a.countries)
        ok = (
            np.array_equal([deg[i] for i in order], cent.degree)
            and np.allclose([stren[i] for i in order], cent.strength)
            and np.allclose([eig[i] for i in order], cent.eigenvector, atol=1e-6)
            and np.allclose([btw[i] for i in order], cent.betweenness, atol=1e-9)
        )
        print(f"centrality check: networkx and minilat agree: {ok}")
        rows.append(("centralities (deg., strength, eigv., betw.)", t_nxc, t_cent))
    else:
        rows.append(("co-membership projection (count)", None, t_ours))
        rows.append(("centralities (deg., strength, eigv., betw.)", None, t_cent))
    rows.append(("co-membership projection (newman)", None, t_newman))

    print()
    print(f"{'':<44} {'networkx':>19} {'minilat':>19} {'ratio':>13}")
    print(f"{'step':<44} {'wall':>9} {'cpu':>9} {'wall':>9} {'cpu':>9} {'wall':>6} {'cpu':>6}")
    for name, base, ours in rows:
        b = f"{base[0]:8.3f}s {base[1]:8.3f}s" if base else f"{'-':>9} {'-':>9}"
        o = f"{ours[0]:8.3f}s {ours[1]:8.3f}s"
        r = f"{base[0] / ours[0]:5.0f}x {base[1] / ours[1]:5.0f}x" if base else f"{'-':>6} {'-':>6}"
        print(f"{name:<44} {b} {o} {r}")
    print(f"(minilat: median of {a.runs} runs; networkx: one run; cpu = CPU time of the process)")

    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child-whole",
            "--countries",
            str(a.countries),
            "--groupings",
            str(a.groupings),
            "--runs",
            str(a.runs),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    w = json.loads(child.stdout)
    print()
    print(
        f"whole network analysis (fresh process, median of {w['runs']} runs): "
        f"{w['seconds']:.2f} s wall, {w['cpu_seconds']:.2f} s CPU; "
        f"peak memory: tracemalloc {w['tracemalloc_peak_mib']:.0f} MiB, "
        f"process max RSS {w['max_rss_mib']:.0f} MiB "
        f"({w['max_rss_before_mib']:.0f} MiB of it the interpreter, libraries and the table)"
    )
    print(
        f"  {w['memberships']:,} memberships in {w['groupings']:,} groupings -> "
        f"{w['nodes']} nodes, {w['edges']:,} ties, {w['communities']} communities; "
        f"overlap among the {w['overlap_considered']:,} largest groupings"
    )
    target = w["seconds"] < 10 and w["max_rss_mib"] < 2048
    proj = rows[0]
    proj_ok = proj[1] is not None and proj[1][0] / proj[2][0] >= 100
    print(
        f"targets: projection >= 100x networkx: {proj_ok if proj[1] is not None else 'not run'}; "
        f"whole analysis < 10 s and < 2 GiB: {target}"
    )


if __name__ == "__main__":
    main()
