"""Atom feeds (RFC 4287) of the dated events: site-wide, per grouping, per country.

An entry is one event; its ``updated`` is the event's date (a month or a year counts from
its first day), its link the grouping's page.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from minilat import countries
from minilat.model import FuzzyDate
from minilat.vocab import label
from minilat.web.http import file_responses
from minilat.web.site import Site, get_site

__all__ = ["atom", "router", "sub", "xml_text"]

router = APIRouter(prefix="/feeds", tags=["feeds"])
SiteDep = Annotated[Site, Depends(get_site)]
ATOM = "http://www.w3.org/2005/Atom"
_LIMIT = 100


def _stamp(date_text: str) -> str:
    return FuzzyDate.parse(date_text).first_day().isoformat() + "T00:00:00Z"


def _entries(site: Site, gids: set[str] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for g in site.ds.groupings.values():
        if gids is not None and g.id not in gids:
            continue
        for e in g.events:
            rows.append(
                {
                    "grouping": g.id,
                    "grouping_name": g.name,
                    "date": e.date.iso(),
                    "kind": e.kind.value,
                    "title": e.title,
                    "sources": [site.ds.sources[s] for s in e.sources if s in site.ds.sources],
                }
            )
    rows.sort(key=lambda r: (FuzzyDate.parse(r["date"]).first_day(), r["grouping"]), reverse=True)
    return rows[:_LIMIT]


#: Characters XML 1.0 cannot carry at all (C0 controls but tab, newline and return;
#: lone surrogates; U+FFFE and U+FFFF): one of them in a title would break the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (each becomes U+FFFD).

    >>> xml_text("a\x07b")
    'a\ufffdb'
    """
    return _NOT_XML.sub("\ufffd", text)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element of an Atom document, its text and attributes made safe for XML."""
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def atom(
    base: str, self_path: str, title: str, entries: list[dict[str, Any]], updated: str
) -> bytes:
    """An Atom document for ``entries`` (dicts as built by the feed views)."""
    ET.register_namespace("", ATOM)

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", base + self_path)
    sub(feed, "title", title)
    sub(feed, "updated", _stamp(entries[0]["date"]) if entries else updated)
    author = sub(feed, "author")
    sub(author, "name", "minilat observatory")
    sub(feed, "link", rel="self", href=base + self_path, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=base + "/", type="text/html")
    sub(feed, "generator", "minilat")
    for r in entries:
        entry = sub(feed, "entry")
        key = f"{r['grouping']}|{r['date']}|{r['kind']}|{r['title']}"
        sub(
            entry,
            "id",
            f"{base}/groupings/{r['grouping']}#event-"
            + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        )
        sub(entry, "title", f"{r['grouping_name']}: {r['title']}")
        sub(entry, "updated", _stamp(r["date"]))
        sub(
            entry,
            "link",
            rel="alternate",
            href=f"{base}/groupings/{r['grouping']}",
            type="text/html",
        )
        # the term stays the id (a reader's filter); the label is for people (RFC 4287 4.2.2)
        sub(entry, "category", term=r["kind"], label=label(r["kind"]))
        cited = "; ".join(f"{s.title} ({s.publisher}) {s.url}" for s in r["sources"])
        sub(
            entry,
            "summary",
            f"{r['date']} — {label(r['kind'])}: {r['title']}"
            + (f". Sources: {cited}" if cited else ". Unverified."),
        )
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _response(body: bytes) -> Response:
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"cache-control": "public, max-age=900"},
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _updated(site: Site) -> str:
    return (site.built_at or "1970-01-01T00:00:00+00:00").replace("+00:00", "Z")


@router.get(
    "/updates.atom",
    summary="Every grouping's latest events (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Not found"),
)
def updates(request: Request, site: SiteDep) -> Response:
    entries = _entries(site, None)
    return _response(
        atom(
            _base(request),
            "/feeds/updates.atom",
            "minilat: latest updates",
            entries,
            _updated(site),
        )
    )


@router.get(
    "/groupings/{gid}.atom",
    summary="One grouping's events (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Unknown grouping"),
)
def grouping_feed(request: Request, site: SiteDep, gid: str) -> Response:
    g = site.ds.grouping(gid)
    entries = _entries(site, {g.id})
    return _response(
        atom(
            _base(request),
            f"/feeds/groupings/{g.id}.atom",
            f"minilat: {g.name}",
            entries,
            _updated(site),
        )
    )


@router.get(
    "/countries/{iso3}.atom",
    summary="Events of the groupings a country belongs to (Atom)",
    response_class=Response,
    responses=file_responses("application/atom+xml", "Unknown country"),
)
def country_feed(request: Request, site: SiteDep, iso3: str) -> Response:
    code = countries.resolve_state(iso3)
    gids = {
        g.id for g in site.ds.groupings.values() for m in g.memberships if m.participant == code
    }
    entries = _entries(site, gids)
    name = countries.state(code).name
    return _response(
        atom(
            _base(request),
            f"/feeds/countries/{code}.atom",
            f"minilat: {name}",
            entries,
            _updated(site),
        )
    )
