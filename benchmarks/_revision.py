"""A git revision of this repository checked out beside it, for benchmarks that run the
observatory as it was against the observatory as it is, in the same run."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def checked_out(revision: str, folder: Path) -> Iterator[Path]:
    """``revision`` checked out (detached) in ``folder``; removed afterwards. Yields the
    folder of its Python package sources (``src``), for ``PYTHONPATH``."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision],
        check=True,
        capture_output=True,
    )
    try:
        yield folder / "src"
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
            capture_output=True,
        )
