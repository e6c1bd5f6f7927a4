"""Incremental, streaming ingest of GDELT files into the monitor store.

For each file: skip it if the manifest already holds the same name with the same MD5;
otherwise read it line by line, turn each line into a stored row (or a located problem),
write the rows to one Parquet part in batches, and commit the part (see
:mod:`minilat.monitor.lake`). Memory stays bounded by the batch size whatever the file
size (plus one integer per event id, to find duplicates within a file).

A malformed line is counted and reported as ``file:line: problem`` and never stops the
ingest; a corrupt or truncated file is reported and skipped, and nothing of it is kept.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minilat.errors import BadInput
from minilat.monitor.formats import STORED, kind_of
from minilat.monitor.lake import Entry, Lake
from minilat.monitor.matching import Matcher
from minilat.monitor.reader import (
    PARSERS,
    CorruptFile,
    LineError,
    LineProblem,
    file_md5,
    gkg_rows,
    iter_lines,
)

__all__ = ["BATCH_ROWS", "FileResult", "IngestReport", "arrow_schema", "gdelt_files", "ingest"]

BATCH_ROWS = 50_000
MAX_LISTED = 1_000  # problems listed per file (all are counted)


@dataclass
class FileResult:
    """What happened to one file: ``ingested``, ``skipped`` (already in the store) or
    ``corrupt`` (reported, nothing kept)."""

    name: str
    kind: str
    status: str
    rows: int = 0
    kept: int = 0
    problem_count: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "rows": self.rows,
            "kept": self.kept,
            "problem_count": self.problem_count,
            "problems": [str(p) for p in self.problems],
            "message": self.message,
        }


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def problem_count(self) -> int:
        return sum(f.problem_count for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.count("ingested"),
            "skipped": self.count("skipped"),
            "corrupt": self.count("corrupt"),
            "rows": self.rows,
            "problems": self.problem_count,
            "files": [f.as_dict() for f in self.files],
        }


def arrow_schema(kind: str) -> Any:
    """The pyarrow schema of a stored table."""
    import pyarrow as pa

    types = {"int8": pa.int8(), "int32": pa.int32(), "int64": pa.int64(), "string": pa.string()}
    return pa.schema([(name, types[t]) for name, t in STORED[kind]])


def gdelt_files(paths: Iterable[Path]) -> list[Path]:
    """The GDELT files among ``paths`` (folders are searched, one level deep and below),
    in name order, so 15-minute files go in time order; BadInput for a missing path or a
    file whose name is not a GDELT name."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(f for f in p.rglob("*") if f.is_file() and kind_of(f.name))
        elif p.is_file():
            if not kind_of(p.name):
                raise BadInput(
                    f"{p.name} is not a GDELT 2.0 file name",
                    hint="names look like 20240105121500.export.CSV.zip, .mentions.CSV.zip"
                    " or .gkg.csv.zip",
                )
            out.append(p)
        else:
            raise BadInput(f"no such file or folder: {p}")
    return sorted(dict.fromkeys(out), key=lambda f: (f.name, str(f)))


def ingest(
    lake: Lake,
    paths: Sequence[Path],
    matcher: Matcher,
    *,
    on_file: Callable[[FileResult], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> IngestReport:
    """Ingest GDELT files into ``lake``; re-ingesting the same files is a no-op.

    ``matcher`` decides which groupings a GKG article is about; ``on_file`` is called after
    each file (a progress bar, a log line).
    """
    files = gdelt_files(paths)
    report = IngestReport()
    with lake.writing():
        known = lake.entries()
        for path in files:
            kind = kind_of(path.name) or ""
            md5 = file_md5(path)
            prior = known.get(path.name)
            if prior is not None and prior.md5 == md5:
                result = FileResult(
                    path.name, kind, "skipped", prior.rows, prior.kept, prior.problems
                )
            else:
                result = _one(lake, path, kind, md5, matcher, batch_rows)
            report.files.append(result)
            if on_file is not None:
                on_file(result)
    return report


def _one(
    lake: Lake, path: Path, kind: str, md5: str, matcher: Matcher, batch_rows: int
) -> FileResult:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(kind)
    result = FileResult(path.name, kind, "ingested")
    tmp = lake.tmp_dir / f"{uuid.uuid4().hex}.parquet"
    ncols = len(schema)
    batch: list[tuple[Any, ...]] = []
    seen: dict[int | str, int] = {}
    parse = PARSERS.get(kind)

    def flush(writer: Any) -> None:
        if batch:
            cols = list(zip(*batch, strict=True))
            arrays = [pa.array(cols[i], type=schema.field(i).type) for i in range(ncols)]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            batch.clear()

    def problem(line: int, text: str) -> None:
        result.problem_count += 1
        if len(result.problems) < MAX_LISTED:
            result.problems.append(LineProblem(path.name, line, text))

    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for n, raw in iter_lines(path):
                result.rows += 1
                try:
                    if parse is not None:
                        row = parse(raw)
                        rows = [row]
                        key: int | str | None = row[0] if kind == "events" else None
                    else:
                        key, rows = gkg_rows(raw, matcher)
                except LineError as e:
                    problem(n, str(e))
                    continue
                if key is not None:
                    if key in seen:
                        what = "GLOBALEVENTID" if kind == "events" else "GKGRECORDID"
                        problem(n, f"duplicate {what} {key} (first on line {seen[key]}), skipped")
                        continue
                    seen[key] = n
                if rows:
                    result.kept += 1
                    batch.extend(rows)
                    if len(batch) >= batch_rows:
                        flush(writer)
            flush(writer)
    except CorruptFile as e:
        tmp.unlink(missing_ok=True)
        return FileResult(path.name, kind, "corrupt", result.rows, 0, 0, [], e.message)
    entry = Entry(
        name=path.name,
        md5=md5,
        kind=kind,
        rows=result.rows,
        kept=result.kept,
        problems=result.problem_count,
        ingested=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )
    lake.commit(tmp, kind, entry)
    return result
