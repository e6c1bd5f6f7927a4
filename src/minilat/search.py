"""Search: one answer for the site's header box, ``/api/v1/search`` and ``minilat search``.

The index lives in the store (SQLite FTS5 with Porter stemming, see
:meth:`minilat.store.Store.search`); this module turns its rows into results a reader can
follow: a name, an address, and a snippet with the matching words marked.
"""

from __future__ import annotations

from html import escape
from typing import Any

from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.store import SEARCH_KINDS, Store

__all__ = ["MAX_LIMIT", "SOURCES_PAGE", "search"]

MAX_LIMIT = 100
#: Sources per page of the site's ``/sources`` (its default ``limit``), sorted by id: a
#: source's result links to its anchor on the page that lists it.
SOURCES_PAGE = 500
_LABELS = {
    "grouping": "Grouping",
    "country": "Country",
    "participant": "Participant",
    "event": "Event",
    "source": "Source",
}


def _address(kind: str, key: str, ds: Dataset) -> str:
    if kind in ("grouping", "event"):
        return f"/groupings/{key}"
    if kind == "country":
        return f"/countries/{key}"
    if kind == "source":
        # the sources page, not the raw JSON: the entry's anchor on the page listing it
        at = sorted(ds.sources).index(key) if key in ds.sources else 0
        page = at // SOURCES_PAGE * SOURCES_PAGE
        return f"/sources{f'?offset={page}' if page else ''}#src-{key}"
    return f"/groupings?member={key}"


def search(
    store: Store,
    ds: Dataset,
    q: str,
    *,
    kind: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Everything matching ``q``, best first, with counts per kind (for facets).

    ``snippet`` is plain text; ``snippet_html`` is escaped, with the matching words in
    ``<mark>`` (the JSON renders it as a string)."""
    q = (q or "").strip()
    if len(q) > 200:
        raise BadInput("a search is at most 200 characters", hint="use fewer words")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise BadInput(f"limit must be 1..{MAX_LIMIT} and offset at least 0")
    kind = kind or None
    found = store.search(q, kind=kind, limit=limit, offset=offset) if q else None
    results = []
    for r in (found or {}).get("results", []):
        g = ds.groupings.get(r["grouping"]) if r["grouping"] else None
        plain = r["snippet"].replace("\x02", "").replace("\x03", "")
        marked = (
            escape(r["snippet"], quote=False).replace("\x02", "<mark>").replace("\x03", "</mark>")
        )
        results.append(
            {
                "kind": r["kind"],
                "label": _LABELS[r["kind"]],
                "id": r["key"],
                "title": g.name if g is not None and r["kind"] == "grouping" else r["title"],
                "url": _address(r["kind"], r["key"], ds),
                "grouping_name": g.name if g is not None and r["kind"] == "event" else None,
                # the date as recorded, never a day it does not know ("2026-05")
                "date": r["date"],
                "snippet": plain,
                "snippet_html": marked,
                "score": r["score"],
            }
        )
    return {
        "q": q,
        "kind": kind,
        "kinds": list(SEARCH_KINDS),
        "total": (found or {}).get("total", 0),
        "counts": (found or {}).get("counts", {}),
        "limit": limit,
        "offset": offset,
        "results": results,
    }
