"""Download GDELT 2.0 files listed in GDELT's master file list, verifying each MD5.

The master file list (``masterfilelist.txt``) has one line per published file:
``SIZE MD5 URL``. :func:`select` picks the lines of some tables between two dates;
:func:`download` fetches them into a folder:

- a file already there with the right size and MD5 is kept (``have``);
- a download is written to ``NAME.part`` and resumed from where it stopped (an HTTP
  ``Range`` request) when the command is run again;
- a finished download whose size or MD5 differs from the list is deleted and reported
  (``bad``), never kept; only verified files get their final name.

Only the standard library is used (``urllib``); tests run it against a local HTTP server.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minilat.errors import BadInput
from minilat.monitor.formats import file_stamp, kind_of

__all__ = [
    "MASTER_URL",
    "FetchReport",
    "Listed",
    "download",
    "parse_master",
    "read_master",
    "select",
]

#: GDELT 2.0's master file list (events start 2015-02-18 23:00 UTC).
MASTER_URL = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Listed:
    """One line of the master file list."""

    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


def parse_master(text: str) -> list[Listed]:
    """The well-formed lines of a master file list (others are ignored: the real list has
    a few blank or partial lines).

    >>> parse_master("150383 297a16b493de7cf6ca809a7cc31d0b93 http://x/20150218230000.export.CSV.zip\\n"
    ...              "garbage\\n")[0].name
    '20150218230000.export.CSV.zip'
    """
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 32:
            continue
        out.append(Listed(int(parts[0]), parts[1].lower(), parts[2]))
    return out


def select(
    listed: Iterable[Listed], start: _dt.date, end: _dt.date, tables: Iterable[str]
) -> list[Listed]:
    """The files of ``tables`` (events, mentions, gkg) stamped from ``start`` to ``end``
    (whole days, UTC), in time order."""
    want = set(tables)
    lo, hi = start.strftime("%Y%m%d"), end.strftime("%Y%m%d")
    out = []
    for e in listed:
        stamp = file_stamp(e.name)
        if stamp and kind_of(e.name) in want and lo <= stamp[:8] <= hi:
            out.append(e)
    return sorted(out, key=lambda e: e.name)


def read_master(source: str, *, timeout: float = 60) -> str:
    """The text of a master file list from a URL or a local file."""
    if "://" not in source:
        try:
            return Path(source).read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise BadInput(f"cannot read {source}: {e.strerror}") from None
    try:
        with urllib.request.urlopen(source, timeout=timeout) as r:
            return bytes(r.read()).decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError) as e:
        raise BadInput(
            f"cannot download the master file list {source} ({e})",
            hint="check the network, or pass --master FILE with a saved copy",
        ) from None


@dataclass
class FetchReport:
    """What happened to each listed file: ``got``, ``have`` (already verified), ``bad``."""

    done: dict[str, list[str]] = field(default_factory=lambda: {"got": [], "have": [], "bad": []})
    problems: list[str] = field(default_factory=list)
    bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: len(v) for k, v in self.done.items()},
            "bytes": self.bytes,
            "problems": self.problems,
            "files": self.done,
        }


def _md5(path: Path) -> str:
    h = hashlib.md5()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(
    files: Sequence[Listed],
    dest: Path,
    *,
    on_bytes: Callable[[int], None] | None = None,
    timeout: float = 60,
) -> FetchReport:
    """Fetch ``files`` into folder ``dest``, verified, resuming partial downloads."""
    dest.mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    for e in files:
        final = dest / e.name
        if final.exists() and final.stat().st_size == e.size and _md5(final) == e.md5:
            report.done["have"].append(e.name)
            if on_bytes:
                on_bytes(e.size)
            continue
        part = dest / (e.name + ".part")
        try:
            got = _get(e.url, part, timeout, on_bytes)
        except (urllib.error.URLError, OSError) as err:
            report.problems.append(f"{e.name}: download failed ({err}); run again to resume")
            report.done["bad"].append(e.name)
            continue
        report.bytes += got
        size = part.stat().st_size
        if size != e.size or _md5(part) != e.md5:
            part.unlink()
            report.problems.append(
                f"{e.name}: size {size} / MD5 differ from the master list; deleted"
            )
            report.done["bad"].append(e.name)
            continue
        os.replace(part, final)
        report.done["got"].append(e.name)
    return report


def _get(url: str, part: Path, timeout: float, on_bytes: Callable[[int], None] | None) -> int:
    have = part.stat().st_size if part.exists() else 0
    req = urllib.request.Request(url)
    if have:
        req.add_header("Range", f"bytes={have}-")
    got = 0
    with urllib.request.urlopen(req, timeout=timeout) as r:
        mode = "ab" if have and r.status == 206 else "wb"
        if mode == "ab" and on_bytes:
            on_bytes(have)
        with part.open(mode) as f:
            while block := r.read(_CHUNK):
                f.write(block)
                got += len(block)
                if on_bytes:
                    on_bytes(len(block))
    return got
