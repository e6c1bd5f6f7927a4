"""Every command that writes a file follows one rule (docs/cli.md, "Writing files"):
missing folders are made and the success line says so, with what was written where;
a place that cannot be written is a one-line error, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

#: Each writing command, given the place it writes to.
WRITERS: dict[str, Callable[[Path], list[str]]] = {
    "export": lambda p: ["export", "--out", str(p)],
    "network --export": lambda p: ["network", "--export", "graphml", "--out", str(p)],
    "timeline --chart": lambda p: ["timeline", "--chart", str(p.with_suffix(".svg"))],
    "panel": lambda p: ["panel", "--unit", "grouping-year", "--from", "2020", "--out", str(p)],
    "report country": lambda p: ["report", "country", "EST", "--out", str(p.with_suffix(".md"))],
    "backup": lambda p: ["backup", str(p)],
    "monitor generate": lambda p: ["monitor", "generate", str(p), "--days", "1", "--events", "5"],
    "dataset release": lambda p: ["dataset", "release", "9.9", "--out", str(p)],
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.heavy) if n == "dataset release" else n
        for n in sorted(WRITERS)
    ],
)
def test_a_missing_folder_is_made_and_said(
    name: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    if name in ("panel", "dataset release"):
        pytest.importorskip("pandas")
    target = tmp_path / "new" / "deeper" / "out"
    args = WRITERS[name](target)
    r = run("--editorial", str(tmp_path / "ed.db"), *args)
    assert r.exit_code == 0, r.output
    written = Path(next(a for a in args if a.startswith(str(tmp_path))))
    assert written.exists()
    shown = written if name != "dataset release" else target / "9.9"
    line = next(x for x in r.stderr.splitlines() if x.startswith(f"wrote {shown} ("))
    assert " bytes" in line and f"made the folder {tmp_path / 'new'}" in r.stderr


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_unwritable_place_is_one_line(
    name: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    if name in ("panel", "dataset release"):
        pytest.importorskip("pandas")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = run("--editorial", str(tmp_path / "ed.db"), *WRITERS[name](blocker / "out"))
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith(f"Error: cannot write {blocker / 'out'}"), r.stderr
    assert f"{blocker} is a file, not a folder" in lines[0] and "Traceback" not in r.output
    assert len(lines) == 2 and lines[1].startswith("Hint:")


def test_an_existing_folder_is_not_said_to_be_made(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    r = run("network", "--export", "csv", "--out", str(tmp_path / "n.csv"))
    assert r.exit_code == 0
    assert (
        r.stderr.startswith(f"wrote {tmp_path / 'n.csv'} (") and "made the folder" not in r.stderr
    )
