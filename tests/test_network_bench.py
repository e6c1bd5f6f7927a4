"""The network benchmark still runs, and its checks against networkx still pass (tiny input)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from minilat.analysis import network as net

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_network.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_network", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_synthetic_table_is_seeded_and_well_formed() -> None:
    bench = _bench()
    p, g, s, e = bench.synthetic(30, 400)
    p2, *_ = bench.synthetic(30, 400)
    assert np.array_equal(p, p2)
    assert p.size == g.size == s.size == e.size
    assert p.min() >= 0 and p.max() < 30 and g.max() < 400
    assert (e > s).all()
    sizes = np.bincount(g, minlength=400)
    assert sizes.min() >= 2 and np.median(sizes) <= 10
    # no participant twice in a grouping
    assert np.unique(g * 30 + p).size == p.size
    B = net.incidence(p, g, s, e, day=bench.as_of(), shape=(30, 400))
    assert B.nnz > 0


@pytest.mark.heavy
def test_benchmark_runs_and_agrees_with_networkx() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--countries", "25", "--groupings", "300", "--runs", "1"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert "networkx and minilat give the same counts: True" in out
    assert "networkx and minilat agree: True" in out
    assert "whole network analysis" in out
