"""Crash safety of the editorial database: a writer killed with SIGKILL in the middle of a
burst of writes loses nothing it acknowledged and leaves no corruption behind.

Each trial starts a fresh process that inserts suggestions as fast as it can and prints
each id once its transaction has committed (the acknowledgement); the test kills it with
SIGKILL after a random number of acknowledgements, reopens the file, runs
``PRAGMA integrity_check`` and looks for every acknowledged id. A second test runs
several writer processes at once: the busy timeout makes them wait their turn, and every
acknowledged write is stored exactly once. Figures:
docs/reliability.md (``python tests/test_crash.py 100`` reruns them).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from minilat.editorial.database import EditorialDB

TRIALS = 6

_WRITER = """
import sys
from pathlib import Path
from minilat.editorial.database import EditorialDB
db = EditorialDB(Path(sys.argv[1]))
print("ready", flush=True)
while True:
    i = db.add_suggestion(what="burst " * 20, where="/crash", source_url="https://e.org")
    print(i, flush=True)
"""


@dataclass
class Trial:
    acknowledged: int
    found: int
    stored: int
    problems: list[str]


def crash_trial(path: Path, rng: random.Random) -> Trial:
    """One writer killed with SIGKILL after a random number of acknowledged writes."""
    kill_after = rng.randint(1, 80)
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "ready"
        acked: list[int] = []
        while len(acked) < kill_after:
            line = proc.stdout.readline()
            assert line, "the writer stopped by itself"
            acked.append(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        # what it printed before it died was acknowledged too (a torn last line was not)
        rest = proc.stdout.read()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    acked += [int(x) for x in rest.split("\n")[:-1] if x.strip()]
    db = EditorialDB(path)  # reopening recovers the WAL
    problems = db.integrity_check()
    stored = set(db.suggestion_ids())
    return Trial(len(acked), len(stored & set(acked)), len(stored), problems)


def run_trials(root: Path, n: int, seed: int = 7) -> list[Trial]:
    rng = random.Random(seed)
    path = root / "editorial.db"  # one file: every trial starts from the last one's wreck
    return [crash_trial(path, rng) for _ in range(n)]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    trials = run_trials(tmp_path, TRIALS)
    for t in trials:
        assert t.problems == []
        assert t.found == t.acknowledged
    total = sum(t.acknowledged for t in trials)
    assert total >= TRIALS
    # nothing appears from nowhere: at most the one write in flight at the kill
    stored = trials[-1].stored
    assert total <= stored <= total + TRIALS


_CONCURRENT = """
import sys
from pathlib import Path
from minilat.editorial.database import EditorialDB
db = EditorialDB(Path(sys.argv[1]))
ids = [db.add_suggestion(what="w", where=sys.argv[2], source_url="https://e.org")
       for _ in range(int(sys.argv[3]))]
print(" ".join(map(str, ids)))
"""


def concurrent_writers(path: Path, writers: int, each: int) -> tuple[list[int], list[int]]:
    """``writers`` processes each writing ``each`` suggestions at once: (acknowledged, stored)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CONCURRENT, str(path), f"w{i}", str(each)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(writers)
    ]
    acked: list[int] = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err  # no "database is locked": the busy timeout waits
        acked += [int(x) for x in out.split()]
    return acked, EditorialDB(path).suggestion_ids()


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    acked, stored = concurrent_writers(tmp_path / "editorial.db", 4, 40)
    assert len(acked) == len(set(acked)) == 160
    assert sorted(acked) == stored
    assert EditorialDB(tmp_path / "editorial.db").integrity_check() == []


if __name__ == "__main__":  # the figures for docs/reliability.md
    import tempfile
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        acked, stored = concurrent_writers(Path(d) / "editorial.db", 8, 250)
    print(
        f"8 concurrent writers in {time.perf_counter() - started:.1f} s: {len(acked)} writes"
        f" acknowledged, {len(set(acked) & set(stored))} found, {len(stored)} stored"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        ts = run_trials(Path(d), n)
    took = time.perf_counter() - started
    print(
        f"{n} trials in {took:.1f} s: {sum(t.acknowledged for t in ts)} writes acknowledged,"
        f" {sum(t.found for t in ts)} found, {ts[-1].stored} stored,"
        f" {sum(bool(t.problems) for t in ts)} trials with integrity problems"
    )
