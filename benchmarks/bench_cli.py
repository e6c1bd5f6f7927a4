"""How fast the command line starts, against ``python -c "import click"`` and against the
observatory as it was before (a named git revision, from its own source) in the same run.

One command::

    .venv/bin/python benchmarks/bench_cli.py            # against --baseline b135a8c

Each command runs ``--runs`` times (15), interleaved with the others so that a burst of
load on the shared machine hits all of them alike; the median wall time of each is shown,
and its ratio to ``import click`` (the floor any click program pays). ``show quad --json``
runs against a store built beforehand.

Targets (issue 11): ``minilat --help`` <= 150 ms and ``minilat show quad --json`` <= 300 ms
on an idle 2-core machine; on a loaded one, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _revision import ROOT, checked_out

CLI = "from minilat.cli import main; import sys; sys.argv[0] = 'minilat'; main()"


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default="b135a8c", help="git revision to compare against")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="minilat-bench-cli-"))
    with checked_out(args.baseline, tmp / "baseline") as base_src:
        times = _measure(args.runs, tmp, base_src)
    shutil.rmtree(tmp, ignore_errors=True)
    _report(times, args.runs, args.baseline)


def _measure(runs: int, tmp: Path, base_src: Path) -> dict[str, list[float]]:
    py = sys.executable
    envs = {
        name: {**os.environ, "PYTHONPATH": str(src), "MINILAT_DB": str(tmp / f"{name}.db")}
        for name, src in (("baseline", base_src), ("ours", ROOT / "src"))
    }
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        'python -c "import click"': ([py, "-c", "import click"], envs["ours"]),
    }
    for name, env in envs.items():
        subprocess.run([py, "-c", CLI, "build"], env=env, check=True, capture_output=True)
        commands[f"{name}: minilat --help"] = ([py, "-c", CLI, "--help"], env)
        commands[f"{name}: minilat show quad --json"] = (
            [py, "-c", CLI, "show", "quad", "--json"],
            env,
        )
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, (cmd, env) in commands.items():
            times[key].append(_time(cmd, env))
    return times


def _report(times: dict[str, list[float]], runs: int, baseline: str) -> None:
    click = statistics.median(times['python -c "import click"'])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
        f"{runs} interleaved runs, medians; baseline {baseline}"
    )
    print(f"{'command':<40} {'median ms':>10} {'x import click':>14}")
    for key, ts in times.items():
        m = statistics.median(ts)
        print(f"{key:<40} {m * 1000:>10.0f} {m / click:>14.1f}")
    for what in ("minilat --help", "minilat show quad --json"):
        b = statistics.median(times[f"baseline: {what}"])
        o = statistics.median(times[f"ours: {what}"])
        print(f"{what}: {b / o:.1f}x faster than the baseline")


if __name__ == "__main__":
    main()
