"""The monitor benchmark still runs at a tiny scale, and DuckDB over the store gives the
same answer as the pandas baseline over the raw files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_monitor.py"


@pytest.mark.heavy
def test_bench_monitor_tiny(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "tiny", "--no-spark", "--keep", str(tmp_path)],
        capture_output=True, text=True, env={**os.environ}, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert "same answer: True" in out.stdout
    assert "rows/s" in out.stdout and "one-year report of the Quad" in out.stdout
