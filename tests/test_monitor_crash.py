"""Crash safety of the monitor's ingest: a process killed with SIGKILL in the middle of an
ingest leaves a store that reads cleanly, keeps every file it acknowledged, and a second
ingest brings it to exactly what one uninterrupted ingest gives.

Each trial starts a fresh process that ingests a generated set of files and prints each
file's name once its part is committed (the acknowledgement); the test kills it with
SIGKILL after a random number of acknowledgements plus a random few milliseconds, so the
kill lands at different points: while a part is written, between the commit rename and
the manifest line, between files.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from minilat.monitor.engines import DuckEngine
from minilat.monitor.ingest import ingest
from minilat.monitor.lake import Lake
from monitor_helpers import matcher, small_set

TRIALS = 4

_INGESTER = """
import sys
from pathlib import Path
from typing import Any
from minilat.dataset import load
from minilat.monitor.ingest import ingest
from minilat.monitor.lake import Lake
from minilat.monitor.matching import Matcher, targets_from_dataset
m = Matcher(targets_from_dataset(load().groupings.values()))
print("ready", flush=True)
ingest(Lake(Path(sys.argv[1])), [Path(sys.argv[2])], m, batch_rows=97,
       on_file=lambda r: print(r.status, r.name, flush=True))
print("done", flush=True)
"""


def summary(lake: Lake) -> list[tuple[object, ...]]:
    e = DuckEngine(lake)
    try:
        return (
            e.rows("SELECT COUNT(*), SUM(articles), SUM(goldstein_x10) FROM events")
            + e.rows("SELECT COUNT(*), SUM(tone_x1000) FROM mentions")
            + e.rows("SELECT grouping, SUM(first), COUNT(*) FROM gkg GROUP BY 1 ORDER BY 1")
        )
    finally:
        e.close()


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    small_set(folder, days=4, seed=5)
    return folder


def crash_trial(lake: Lake, raw: Path, rng: random.Random, want: list[Any]) -> tuple[int, int]:
    """One ingest killed with SIGKILL; (files acknowledged, of them found) after checking
    that the store reads and that one more ingest makes it equal to ``want``."""
    import pyarrow.parquet as pq

    proc = subprocess.Popen(
        [sys.executable, "-c", _INGESTER, str(lake.root), str(raw)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    acknowledged = []
    kill_after = rng.randint(0, 20)
    while len(acknowledged) < kill_after:
        line = proc.stdout.readline().split()
        if not line or line[0] == "done":
            break
        if line[0] == "ingested":
            acknowledged.append(line[1])
    time.sleep(rng.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()

    # Every part reads; every acknowledged file is in the manifest with its part.
    for part in lake.root.rglob("*.parquet"):
        if ".tmp" not in part.parts:
            pq.read_metadata(part)
    entries = lake.entries()
    found = [
        n for n in acknowledged if n in entries and lake.part_path(entries[n].kind, n).exists()
    ]
    summary(lake)  # queries run on the interrupted store

    # A second ingest finishes the job: the store is exactly the uninterrupted one.
    again = ingest(lake, [raw], matcher())
    assert again.count("skipped") >= len(found)
    assert summary(lake) == want
    assert not any((lake.root / ".tmp").iterdir())
    return len(acknowledged), len(found)


def test_killed_ingest_leaves_a_consistent_store(raw: Path, tmp_path: Path) -> None:
    reference = Lake(tmp_path / "reference")
    ingest(reference, [raw], matcher())
    want = summary(reference)
    rng = random.Random(15)
    for trial in range(TRIALS):
        acknowledged, found = crash_trial(Lake(tmp_path / f"trial{trial}"), raw, rng, want)
        assert found == acknowledged, f"trial {trial}: an acknowledged file was lost"


if __name__ == "__main__":  # python tests/test_monitor_crash.py [TRIALS]
    import tempfile

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        small_set(folder / "raw", days=4, seed=5)
        ref = Lake(folder / "reference")
        ingest(ref, [folder / "raw"], matcher())
        want = summary(ref)
        rng = random.Random()
        acked = got = 0
        t0 = time.perf_counter()
        for i in range(n):
            a, f = crash_trial(Lake(folder / f"t{i}"), folder / "raw", rng, want)
            acked, got = acked + a, got + f
        print(f"{n} trials in {time.perf_counter() - t0:.0f} s: {acked} files acknowledged, "
              f"{got} found, {acked - got} lost; every interrupted store read cleanly and "
              "equalled the uninterrupted one after one more ingest")  # fmt: skip
