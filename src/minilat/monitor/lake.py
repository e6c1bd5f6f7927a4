"""The monitor's store: Parquet files partitioned by date, one file per ingested GDELT
file, and a manifest of what was ingested.

Layout under the store folder::

    manifest.jsonl                     one line per ingested file (name, md5, rows, problems)
    lock                               held by the one process that ingests
    .tmp/                              parts being written (cleared on the next ingest)
    events/2024-01-05/20240105121500.export.CSV.parquet
    mentions/2024-01-05/...
    gkg/2024-01-05/...

**One transaction per file.** A GDELT file becomes exactly one Parquet part. The part is
written under ``.tmp/``, flushed to disk, then moved into place with one atomic rename:
that rename is the commit. The manifest line is appended (and flushed) after it. A process
killed at any moment therefore leaves either no part or the whole part for each file, and
never a half-written part where readers look. A part committed without its manifest line
(killed between the two steps) is simply ingested again next time, to the same path and
the same content: re-ingesting is idempotent. A torn last manifest line is cut off when
the next ingest starts.

Readers (DuckDB, Spark) read ``<table>/*/*.parquet``; nothing else.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from minilat.errors import StoreError
from minilat.monitor.formats import KINDS, file_stamp

__all__ = ["Entry", "Lake"]


@dataclass(frozen=True)
class Entry:
    """One manifest line: a GDELT file that was ingested."""

    name: str
    md5: str
    kind: str
    rows: int
    kept: int
    problems: int
    ingested: str


class Lake:
    """The monitor store in folder ``root`` (created when first written)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # ---- reading

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.jsonl"

    def exists(self) -> bool:
        """True when something was ever ingested here."""
        return self.manifest_path.exists()

    def entries(self) -> dict[str, Entry]:
        """The manifest, by file name (the last line for a name wins; a torn line is
        ignored)."""
        out: dict[str, Entry] = {}
        if not self.manifest_path.exists():
            return out
        with self.manifest_path.open("rb") as f:
            for raw in f:
                if not raw.endswith(b"\n"):
                    break
                try:
                    e = Entry(**json.loads(raw))
                except (ValueError, TypeError):
                    continue
                out[e.name] = e
        return out

    def parts(self, kind: str) -> list[Path]:
        """Every committed Parquet part of a table, in date order."""
        if kind not in KINDS:
            raise ValueError(kind)
        return sorted((self.root / kind).glob("*/*.parquet"))

    def glob(self, kind: str) -> str:
        """The pattern a query engine reads for a table."""
        return str(self.root / kind / "*" / "*.parquet")

    def part_path(self, kind: str, name: str) -> Path:
        """Where the part of GDELT file ``name`` lives (its date folder from the name)."""
        stamp = file_stamp(name)
        if stamp is None:
            raise ValueError(name)
        day = _dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        return self.root / kind / day.isoformat() / (name.removesuffix(".zip") + ".parquet")

    # ---- writing

    @contextlib.contextmanager
    def writing(self) -> Iterator[Lake]:
        """Hold the store's lock, recover from any interrupted ingest, then write."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(
                    f"another ingest is writing to {self.root}",
                    hint="wait for it to finish",
                ) from None
            try:
                self._recover()
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _recover(self) -> None:
        shutil.rmtree(self.tmp_dir, ignore_errors=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        path = self.manifest_path
        if path.exists():
            data = path.read_bytes()
            if data and not data.endswith(b"\n"):
                with path.open("r+b") as f:
                    f.truncate(data.rfind(b"\n") + 1)
                    os.fsync(f.fileno())

    @property
    def tmp_dir(self) -> Path:
        return self.root / ".tmp"

    def commit(self, tmp: Path, kind: str, entry: Entry) -> Path:
        """Move a finished part into place (the commit), then record it in the manifest."""
        final = self.part_path(kind, entry.name)
        final.parent.mkdir(parents=True, exist_ok=True)
        _fsync_file(tmp)
        os.replace(tmp, final)
        _fsync_dir(final.parent)
        self._append(entry)
        return final

    def _append(self, entry: Entry) -> None:
        line = json.dumps(asdict(entry), sort_keys=True) + "\n"
        with self.manifest_path.open("ab") as f:
            f.write(line.encode())
            f.flush()
            os.fsync(f.fileno())

    def stats(self) -> dict[str, Any]:
        """Files and rows per table, for `minilat monitor report` and the site."""
        out: dict[str, Any] = {k: {"files": 0, "rows": 0, "kept": 0, "problems": 0} for k in KINDS}
        for e in self.entries().values():
            s = out[e.kind]
            s["files"] += 1
            s["rows"] += e.rows
            s["kept"] += e.kept
            s["problems"] += e.problems
        return out


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
