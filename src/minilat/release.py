"""Versioned releases of the dataset: the bundle researchers cite and download.

:func:`make` writes ``ROOT/VERSION/``::

    release.json          version, date, fingerprint, previous release, counts, citation
    CHANGELOG.md          the data changelog against the previous release, fact by fact
    changelog.json        the same, as data (see minilat.changelog)
    datapackage.json      Frictionless Data Package of the CSV tables
    csv/*.csv             the tables (groupings, memberships, events, sources, ...)
    json/minilat.json     the whole dataset, every fact with its sources
    parquet/*.parquet     the same tables as Parquet
    minilat.db            the SQLite store
    panels/*.{csv,parquet,dta}   country-year, dyad-year and grouping-year panels
    LICENSE-DATA.md       CC BY 4.0
    SHA256SUMS            the checksum of every other file (``sha256sum -c SHA256SUMS``)

The bundle is written beside its final place and renamed into it, so a release folder is
either complete or absent. A version is never overwritten. The previous release is the
highest version below the new one in the same root.

:func:`releases` lists the releases of a root (newest first) for the website.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from minilat import changelog, export
from minilat import datapackage as _datapackage
from minilat.dataset import Dataset, bundled_data_dir
from minilat.errors import BadInput

__all__ = ["DATASET_VERSION", "citation", "make", "releases", "version_key"]

#: The dataset version the repository's citation names (CITATION.cff, README).
DATASET_VERSION = "2026.12"

_VERSION_RE = re.compile(r"^[0-9][0-9A-Za-z.\-]{0,39}\Z")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key comparing versions part by part, numbers as numbers.

    >>> sorted(["2026.10", "2026.9", "2027.1"], key=version_key)
    ['2026.9', '2026.10', '2027.1']
    """
    parts = re.split(r"[.\-]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def citation(version: str) -> str:
    """The reference to cite for a dataset version.

    >>> citation("2026.12")[:40]
    'The minilat contributors (2026). minilat'
    """
    year = version.split(".")[0] if version[:4].isdigit() else str(_dt.date.today().year)
    return (
        f"The minilat contributors ({year}). minilat: a dataset of tech minilateral "
        f"groupings, version {version} [data set]. Licensed under CC BY 4.0."
    )


def _check_version(version: str) -> str:
    if not _VERSION_RE.match(version):
        raise BadInput(
            f"bad version {version!r}",
            hint="digits, letters, dots and dashes, starting with a digit, e.g. 2026.12",
        )
    return version


def releases(root: Path) -> list[dict[str, Any]]:
    """Every complete release under ``root`` (its ``release.json``), newest first."""
    out: list[dict[str, Any]] = []
    if not root.is_dir():
        return out
    for d in root.iterdir():
        meta = d / "release.json"
        if d.is_dir() and not d.name.startswith(".") and meta.is_file():
            try:
                info = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(info, dict) and info.get("version") == d.name:
                out.append(info)
    return sorted(out, key=lambda r: version_key(r["version"]), reverse=True)


def _previous(root: Path, version: str) -> dict[str, Any] | None:
    below = [r for r in releases(root) if version_key(r["version"]) < version_key(version)]
    return below[0] if below else None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _parquet_tables(ds: Dataset, folder: Path) -> None:
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in export.csv_rows(ds).items():
        frame = pd.DataFrame(rows, columns=header)
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("str")
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def _panels(ds: Dataset, folder: Path, start: int, end: int) -> None:
    from minilat import panel_files
    from minilat.analysis import panels

    for unit in panels.UNITS:
        p = panels.build(ds, unit, start, end)
        for fmt, suffix in panel_files.FORMATS.items():
            panel_files.write(p, folder / f"{unit}{suffix}", fmt)


def make(
    ds: Dataset,
    root: Path,
    version: str,
    *,
    fingerprint: str = "",
    today: _dt.date | None = None,
    panel_years: tuple[int, int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write the release ``version`` of ``ds`` under ``root``; its ``release.json``.

    ``panel_years`` is the range of the panels (default 1975 to the release year).
    BadInput if the version is malformed or already released.
    """
    from minilat import panel_files
    from minilat.store import build as build_store

    panel_files.require_pandas("releases")
    _check_version(version)
    today = today or _dt.date.today()
    say = progress or (lambda _m: None)
    final = root / version
    if final.exists():
        raise BadInput(f"release {version} already exists in {root}", hint="pick a new version")
    previous = _previous(root, version)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{version}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        say("tables: CSV, JSON, Parquet")
        export.write_csv(ds, tmp / "csv")
        export.write_json(ds, tmp / "json")
        _parquet_tables(ds, tmp / "parquet")
        created = f"{today.isoformat()}T00:00:00Z"
        (tmp / "datapackage.json").write_text(
            json.dumps(
                _datapackage.descriptor(ds, version, created, folder="csv/"),
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        say("the SQLite store")
        build_store(ds, tmp / "minilat.db", fingerprint)
        (tmp / "minilat.db").chmod(0o644)  # a download, not a private working file
        start, end = panel_years or (1975, today.year)
        say(f"panels {start}-{end}")
        _panels(ds, tmp / "panels", start, end)
        say("the data changelog")
        new_doc = export.as_json(ds)
        if previous is not None:
            old_path = root / previous["version"] / "json" / "minilat.json"
            old_doc = json.loads(old_path.read_text(encoding="utf-8"))
        else:
            old_doc = {"groupings": [], "sources": []}
        log = changelog.compare(old_doc, new_doc)
        prev_version = previous["version"] if previous else None
        log_doc = {"version": version, "previous": prev_version, **log}
        if prev_version is None:  # the first release: every fact is new, counts suffice
            log_doc["changes"] = []
        (tmp / "changelog.json").write_text(
            json.dumps(log_doc, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        urls = {s.id: s.url for s in ds.sources.values()}
        (tmp / "CHANGELOG.md").write_text(
            changelog.markdown(log, version, prev_version, urls), encoding="utf-8"
        )
        licence = bundled_data_dir() / "LICENSE-DATA.md"
        if licence.is_file():
            shutil.copyfile(licence, tmp / "LICENSE-DATA.md")
        n_m = sum(len(g.memberships) for g in ds.groupings.values())
        info = {
            "version": version,
            "date": today.isoformat(),
            "fingerprint": fingerprint,
            "previous": prev_version,
            "counts": {
                "groupings": len(ds.groupings),
                "memberships": n_m,
                "sources": len(ds.sources),
            },
            "changes": log["summary"],
            "panel_years": [start, end],
            "citation": citation(version),
            "licence": "CC-BY-4.0",
        }
        (tmp / "release.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        sums = "".join(f"{_sha256(p)}  {p.relative_to(tmp).as_posix()}\n" for p in files)
        (tmp / "SHA256SUMS").write_text(sums, encoding="utf-8")
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return info
