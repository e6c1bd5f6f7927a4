"""The web benchmark runs end to end on a tiny budget (its figures are not checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_web.py"


@pytest.mark.heavy
def test_bench_web_smoke() -> None:
    """Needs Debian's wrk (.ci/run installs it)."""
    r = subprocess.run(
        [sys.executable, str(BENCH), "--concurrency", "4", "--seconds", "1", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "datasette sql list theme" in r.stdout
    assert "minilat api list (computed)" in r.stdout
    assert "minilat page grouping (computed, gzip)" in r.stdout
    assert "minilat page grouping (new date, gzip)" in r.stdout
    assert "minilat page groupings (new options, gzip)" in r.stdout
    assert "some repeated" not in r.stdout  # every new-date request named a new day
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith(("minilat ", "datasette "))]
    rows = [ln.split() for ln in lines if len(ln.split()) > 6 and ln.split()[-5].isdigit()]
    assert len(rows) == 26 and all(row[-5] == "0" for row in rows)  # no errors
    assert sum(float(row[-1]) for row in rows) > 0  # the servers' CPU per request
    assert "p99" in r.stdout.split("targets:")[1]


def test_bench_web_says_how_to_install_wrk(tmp_path: Path) -> None:
    """Without wrk on the PATH, one line naming the package, not a traceback."""
    r = subprocess.run(
        [sys.executable, str(BENCH), "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": str(tmp_path)},
    )
    assert r.returncode != 0
    assert "apt-get install -y wrk" in r.stderr and "Traceback" not in r.stderr
