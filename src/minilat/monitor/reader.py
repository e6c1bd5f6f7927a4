"""Read GDELT raw files line by line, zipped as published or unzipped, and turn each line
into the row the store keeps, or into a located problem.

Real GDELT files carry occasional bad bytes and short lines; a reader must survive them.
Nothing here aborts on a bad line: :func:`parse_line` raises :class:`LineError` with a
short reason and the caller records ``file:line: reason`` and goes on. A file that cannot
be read at all (a truncated or corrupt zip) raises :class:`CorruptFile`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minilat.errors import BadInput
from minilat.monitor import codes
from minilat.monitor.formats import COLUMNS
from minilat.monitor.matching import Matcher

__all__ = [
    "CorruptFile",
    "LineError",
    "LineProblem",
    "file_md5",
    "gkg_rows",
    "iter_lines",
    "parse_event",
    "parse_mention",
]


class CorruptFile(BadInput):
    """A file that cannot be read as a whole (truncated zip, bad CRC): it is skipped."""


class LineError(ValueError):
    """One line that cannot be used; its message is the reason, without the location."""


@dataclass(frozen=True)
class LineProblem:
    """A malformed line, located: ``file:line: problem``."""

    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}"


def file_md5(path: Path) -> str:
    """The MD5 of a file's bytes, as GDELT's master file list gives it."""
    h = hashlib.md5()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line without its newline) for each line of a file.

    A ``.zip`` must hold one member, read as a stream (memory stays small whatever its
    size); a truncated or corrupt archive raises :class:`CorruptFile`, possibly after some
    lines were yielded, so a caller must not keep anything of a file that raised.
    """
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                members = z.namelist()
                if len(members) != 1:
                    n = len(members)
                    raise CorruptFile(f"{path.name}: expected one file in the zip, found {n}")
                with z.open(members[0]) as f:
                    yield from _numbered(f)
        else:
            with path.open("rb") as f:
                yield from _numbered(f)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise CorruptFile(
            f"{path.name}: corrupt or truncated file ({e})", hint="download it again"
        ) from None


def _numbered(f: Any) -> Iterator[tuple[int, bytes]]:
    for n, raw in enumerate(f, 1):
        line = raw.rstrip(b"\r\n")
        if line:
            yield n, line


def _fields(raw: bytes, kind: str) -> list[str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LineError(f"invalid UTF-8 at byte {e.start}") from None
    fields = text.split("\t")
    want = len(COLUMNS[kind])
    if len(fields) != want:
        raise LineError(f"{len(fields)} columns, expected {want}")
    return fields


def _int(text: str, what: str, *, empty: int | None = None) -> int:
    if text == "" and empty is not None:
        return empty
    try:
        return int(text)
    except ValueError:
        raise LineError(f"{what} is not an integer: {text[:20]!r}") from None


def _scaled(text: str, what: str, scale: int, *, empty: int | None = None) -> int:
    if text == "" and empty is not None:
        return empty
    try:
        return round(float(text) * scale)
    except ValueError:
        raise LineError(f"{what} is not a number: {text[:20]!r}") from None


def parse_event(raw: bytes) -> tuple[Any, ...]:
    """One event line as the stored row (see ``formats.STORED['events']``)."""
    f = _fields(raw, "events")
    event_id = _int(f[0], "GLOBALEVENTID")
    sqldate = _int(f[1], "SQLDATE")
    if not 19000101 <= sqldate <= 29991231:
        raise LineError(f"SQLDATE out of range: {sqldate}")
    quad = _int(f[29], "QuadClass")
    if quad not in (1, 2, 3, 4):
        raise LineError(f"QuadClass must be 1-4, not {quad}")
    return (
        event_id,
        sqldate,
        _int(f[2], "MonthYear"),
        f[7],
        f[17],
        codes.cameo_to_iso3(f[7]),
        codes.cameo_to_iso3(f[17]),
        f[26],
        _int(f[28], "EventRootCode"),
        quad,
        _scaled(f[30], "GoldsteinScale", 10, empty=0),
        _int(f[33], "NumArticles", empty=0),
        _scaled(f[34], "AvgTone", 1000, empty=0),
        codes.fips_to_iso3(f[53]) if f[53] else None,
        _int(f[59], "DATEADDED"),
        f[60],
    )


def parse_mention(raw: bytes) -> tuple[Any, ...]:
    """One mentions line as the stored row (see ``formats.STORED['mentions']``)."""
    f = _fields(raw, "mentions")
    mention_time = _int(f[2], "MentionTimeDate")
    return (
        _int(f[0], "GLOBALEVENTID"),
        _int(f[1], "EventTimeDate"),
        mention_time,
        mention_time // 1_000_000,
        _int(f[3], "MentionType", empty=0),
        f[4],
        f[5],
        _int(f[11], "Confidence", empty=0),
        _scaled(f[13], "MentionDocTone", 1000, empty=0),
    )


_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.DOTALL)


def _week(day: int) -> int:
    d = _dt.date(day // 10000, day // 100 % 100, day % 100)
    monday = d - _dt.timedelta(days=d.weekday())
    return monday.year * 10000 + monday.month * 100 + monday.day


def _places(v2locations: str) -> set[str]:
    out = set()
    for entry in v2locations.split(";"):
        parts = entry.split("#")
        if len(parts) > 2 and parts[2]:
            iso = codes.fips_to_iso3(parts[2])
            if iso:
                out.add(iso)
    return out


def _orgs(v2orgs: str) -> list[str]:
    return [e.rsplit(",", 1)[0] for e in v2orgs.split(";") if e]


def gkg_rows(raw: bytes, matcher: Matcher) -> tuple[str, list[tuple[Any, ...]]]:
    """(record id, stored rows) for one GKG line: one row per (grouping, theme) of each
    grouping the article is matched to; no rows when it matches none."""
    f = _fields(raw, "gkg")
    gkg_id = f[0]
    if not gkg_id:
        raise LineError("empty GKGRECORDID")
    date = _int(f[1], "DATE")
    day = date // 1_000_000
    if not 19000101 <= day <= 29991231:
        raise LineError(f"DATE out of range: {date}")
    title_m = _TITLE.search(f[26])
    title = title_m.group(1) if title_m else ""
    matches = matcher.match(orgs=_orgs(f[14]), title=title, places=_places(f[10]))
    if not matches:
        return gkg_id, []
    tone = _scaled(f[15].split(",", 1)[0], "V2Tone", 1000, empty=0)
    themes = list(dict.fromkeys(t for t in f[7].split(";") if t)) or [""]
    week = _week(day)
    rows = []
    for m in matches:
        for i, theme in enumerate(themes):
            first = i == 0
            rows.append(
                (
                    gkg_id,
                    day,
                    week,
                    m.grouping,
                    1 if first else 0,
                    tone if first else 0,
                    theme,
                    f[3] if first else None,
                    f[4] if first else None,
                    title if first else None,
                    m.evidence if first else None,
                )
            )
    return gkg_id, rows


PARSERS: dict[str, Callable[[bytes], tuple[Any, ...]]] = {
    "events": parse_event,
    "mentions": parse_mention,
}
