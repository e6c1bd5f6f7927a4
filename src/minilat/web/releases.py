"""Releases on the website: every release, its changelog and files, and an Atom feed.

The releases are the folders written by ``minilat dataset release`` under the releases
root (the setting ``MINILAT_RELEASES``). Pages:

* ``/releases`` — every release, newest first, with its citation and change counts;
* ``/releases/{version}`` — one release: its files with checksums, its data changelog;
* ``/releases/{version}/{path}`` — a file of the bundle (only files its SHA256SUMS lists);
* ``/feeds/releases.atom`` — an entry per release.

Every page is one dict rendered as HTML or JSON (``?format=json``). Reading the release
folders is file I/O, so the handlers are plain functions FastAPI runs in a thread.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from minilat import release as _release
from minilat.errors import NotFound
from minilat.web.feeds import ATOM, sub
from minilat.web.http import file_responses

__all__ = ["listing", "one", "router"]

router = APIRouter(tags=["releases"])
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.\-]{0,39}\Z")
_MEDIA = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".db": "application/vnd.sqlite3",
    ".parquet": "application/vnd.apache.parquet",
    ".dta": "application/x-stata-dta",
}
_CHANGES_SHOWN = 500


def _root(request: Request) -> Path:
    return Path(request.app.state.releases_root)


def listing(root: Path) -> dict[str, Any]:
    """Every release under ``root``, newest first."""
    rels = _release.releases(root)
    return {
        "releases": [
            {**r, "url": f"/releases/{r['version']}", "changelog": f"/releases/{r['version']}"}
            for r in rels
        ],
        "latest": rels[0]["version"] if rels else None,
        "feed": "/feeds/releases.atom",
        "citation": rels[0]["citation"] if rels else _release.citation(_release.DATASET_VERSION),
    }


def _checksums(folder: Path) -> dict[str, str]:
    sums = folder / "SHA256SUMS"
    out: dict[str, str] = {}
    if sums.is_file():
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name:
                out[name] = digest
    return out


def _release_dir(root: Path, version: str) -> Path:
    if not _VERSION.match(version):
        raise NotFound(f"no release {version!r}", hint="see /releases")
    folder = root / version
    if not (folder / "release.json").is_file():
        raise NotFound(f"no release {version!r}", hint="see /releases")
    return folder


def one(root: Path, version: str) -> dict[str, Any]:
    """One release: its metadata, files (with sizes and checksums) and changelog."""
    folder = _release_dir(root, version)
    info = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    sums = _checksums(folder)
    files = [
        {
            "name": name,
            "url": f"/releases/{version}/{name}",
            "bytes": (folder / name).stat().st_size,
            "sha256": digest,
        }
        for name, digest in sorted(sums.items())
        if (folder / name).is_file()
    ]
    files.append(
        {
            "name": "SHA256SUMS",
            "url": f"/releases/{version}/SHA256SUMS",
            "bytes": (folder / "SHA256SUMS").stat().st_size,
            "sha256": None,
        }
    )
    log = json.loads((folder / "changelog.json").read_text(encoding="utf-8"))
    changes = log.get("changes", [])
    return {
        "release": info,
        "files": files,
        "changelog": {
            "previous": log.get("previous"),
            "summary": log.get("summary"),
            "counts": log.get("counts"),
            "changes": changes[:_CHANGES_SHOWN] if log.get("previous") else [],
            "shown": min(len(changes), _CHANGES_SHOWN) if log.get("previous") else 0,
            "total": len(changes),
            "full": f"/releases/{version}/changelog.json",
        },
    }


@router.get("/releases", include_in_schema=False)
def releases_page(request: Request) -> Response:
    r = request.app.state.renderer
    return r.page(request, "releases.html", listing(_root(request)))


@router.get("/releases/{version}", include_in_schema=False)
def release_page(request: Request, version: str) -> Response:
    r = request.app.state.renderer
    return r.page(request, "release.html", one(_root(request), version))


@router.get("/releases/{version}/{path:path}", include_in_schema=False)
def release_file(request: Request, version: str, path: str) -> Response:
    folder = _release_dir(_root(request), version)
    allowed = set(_checksums(folder)) | {"SHA256SUMS"}
    if path not in allowed:  # only the bundle's own files: no path is ever built from input
        raise NotFound(f"no file {path!r} in release {version}", hint=f"see /releases/{version}")
    target = folder / path
    return FileResponse(
        target,
        media_type=_MEDIA.get(target.suffix, "application/octet-stream"),
        filename=f"minilat-{version}-{target.name}",
        headers={"cache-control": "public, max-age=86400"},
    )


def _atom(base: str, rels: list[dict[str, Any]]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", base + "/feeds/releases.atom")
    sub(feed, "title", "minilat: dataset releases")
    stamp = (rels[0]["date"] if rels else "1970-01-01") + "T00:00:00Z"
    sub(feed, "updated", stamp)
    author = sub(feed, "author")
    sub(author, "name", "minilat observatory")
    sub(feed, "link", rel="self", href=base + "/feeds/releases.atom", type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=base + "/releases", type="text/html")
    for r in rels:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{base}/releases/{r['version']}")
        sub(entry, "title", f"minilat dataset {r['version']}")
        sub(entry, "updated", f"{r['date']}T00:00:00Z")
        sub(
            entry, "link", rel="alternate", href=f"{base}/releases/{r['version']}", type="text/html"
        )
        c = r.get("changes") or {}
        counts = r.get("counts") or {}
        sub(
            entry,
            "summary",
            f"Release {r['version']} ({r['date']}): {counts.get('groupings', '?')} groupings, "
            f"{counts.get('memberships', '?')} memberships, {counts.get('sources', '?')} sources; "
            f"since {r.get('previous') or 'the start'}: {c.get('added', 0)} facts added, "
            f"{c.get('changed', 0)} changed, {c.get('removed', 0)} removed. "
            f"Cite as: {r.get('citation', '')}",
        )
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


@router.get(
    "/feeds/releases.atom",
    summary="Dataset releases (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Not found"),
)
def releases_feed(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return Response(
        _atom(base, _release.releases(_root(request))),
        media_type="application/atom+xml; charset=utf-8",
        headers={"cache-control": "public, max-age=900"},
    )
