"""Shared helpers of the news-monitor tests: a matcher over the bundled dataset and a
small generated set of files."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from minilat.dataset import load
from minilat.monitor.generator import Generated, generate
from minilat.monitor.matching import Matcher, Target, targets_from_dataset


@cache
def targets() -> tuple[Target, ...]:
    return tuple(targets_from_dataset(load().groupings.values()))


@cache
def matcher() -> Matcher:
    return Matcher(targets())


def small_set(
    folder: Path, *, seed: int = 1, days: int = 3, zipped: bool = True, truncate_every: int = 4
) -> Generated:
    """A few days of generated files with the mess (seconds to write and ingest)."""
    return generate(
        folder,
        start=dt.date(2024, 1, 1),
        days=days,
        files_per_day=2,
        events_per_file=600,
        articles_per_file=150,
        targets=[t for t in targets() if t.members],
        zipped=zipped,
        truncate_every=truncate_every if zipped else 0,
        seed=seed,
    )
