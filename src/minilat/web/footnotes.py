"""Citations as numbered footnotes: ``[3]`` in the text, a numbered source list below.

One :class:`Footnotes` is made per page render; each source gets a number the first time
it is cited, and :meth:`Footnotes.items` lists the sources in that order with publisher
and date.

>>> from types import SimpleNamespace as S
>>> src = {"a": S(title="T", publisher="P", url="https://x", published=None, accessed="2026-01-01")}
>>> n = Footnotes(src)
>>> str(n.cite(["a", "a"]))
'<sup class="cite"><a href="#fn-1" id="ref-1-1" aria-label="source 1">1</a></sup>'
>>> [i["number"] for i in n.items()]
[1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Undefined, pass_context
from jinja2.runtime import Context
from jinja2.utils import missing
from markupsafe import Markup

from minilat.web.escaping import escape_text

__all__ = ["Catalog", "Footnotes", "catalog", "fact_citation", "id_citation"]


def _iso(d: Any) -> str:
    if d is None:
        return ""
    iso = getattr(d, "iso", None)
    return str(iso() if callable(iso) else d)


class Catalog:
    """What a footnote shows of each source (title, publisher, address, dates), taken
    from the dataset's sources the first time a page cites it and kept for every later
    page: one per version of the data (:func:`catalog`), so that numbering a citation
    costs a dictionary look-up rather than reading a source record."""

    def __init__(self, sources: Mapping[str, Any]) -> None:
        self._sources = sources
        self._items: dict[str, dict[str, Any]] = {}

    def item(self, sid: str) -> dict[str, Any] | None:
        """The footnote of source ``sid`` without its number (None: no such source).
        Shared: read-only."""
        try:
            return self._items[sid]
        except KeyError:
            pass
        if sid not in self._sources:
            return None
        s = self._sources[sid]
        item = self._items[sid] = {
            "id": sid,
            "title": s.title,
            "publisher": s.publisher,
            "url": s.url,
            "date": _iso(s.published),
            "accessed": str(s.accessed),
        }
        return item


def catalog(site: Any) -> Catalog:
    """The :class:`Catalog` of the dataset ``site`` serves (one per version of the data)."""
    found: Catalog = site.cached(("footnotes-catalog",), lambda ds: Catalog(ds.sources))
    return found


class Footnotes:
    """The numbered sources of one page, over the dataset's ``sources`` (or their
    :class:`Catalog`, shared by the pages of one version of the data)."""

    def __init__(self, sources: Mapping[str, Any] | Catalog) -> None:
        self._catalog = sources if isinstance(sources, Catalog) else Catalog(sources)
        self._numbers: dict[str, int] = {}
        self._refs = 0
        self._items: list[dict[str, Any]] = []  # one per number, in order

    def cite(self, ids: Iterable[str]) -> Markup:
        """Superscript links to the footnotes of ``ids`` (numbered on first use)."""
        links = []
        # most facts cite one source: no need to drop repeats then
        for sid in ids if type(ids) is list and len(ids) == 1 else dict.fromkeys(ids):
            n = self._numbers.get(sid, 0)
            if not n:
                item = self._catalog.item(sid)
                if item is None:
                    continue
                n = self._numbers[sid] = len(self._numbers) + 1
                self._items.append({"number": n, **item})
            self._refs += 1
            links.append(
                f'<a href="#fn-{n}" id="ref-{n}-{self._refs}" aria-label="source {n}">{n}</a>'
            )
        if not links:
            return Markup("")
        return Markup('<sup class="cite">' + ",".join(links) + "</sup>")

    def fact(self, f: Any) -> Markup:
        """:func:`fact_citation` numbered on this page: what a page that numbers its
        sources calls for ``cite(f)``. A plain method, which Jinja2 calls at once, where a
        function that asks for the template's context gets a copy of the context made for
        each call inside a loop: most of a citation's cost."""
        return _fact(f, self.cite)

    def ids(self, ids: Any) -> Markup:
        """:func:`id_citation` numbered on this page (``cite_ids(ids)``)."""
        return self.cite(ids) if ids else Markup("")

    def items(self) -> list[dict[str, Any]]:
        """The sources cited so far, in the order of their numbers."""
        return list(self._items)

    def template_globals(self) -> dict[str, Any]:
        """What a template rendered with these notes calls to cite: ``cite`` and
        ``cite_ids`` of macros.html are these methods rather than the module's
        functions."""
        return {"notes": self, "fact_citation": self.fact, "id_citation": self.ids}


def _by_id(ctx: Context, ids: Any) -> Markup:
    """Numbered footnote links when the page numbers its sources (a ``notes`` in the
    template's context), else a link per source id."""
    notes = ctx.resolve_or_missing("notes")
    if notes is not missing:
        cited: Markup = notes.cite(ids)
        return cited
    links = "".join(f'<a href="#src-{escape_text(s)}">[{escape_text(s)}]</a>' for s in ids)
    return Markup(f'<sup class="cite">{links}</sup>')


def _field(f: Any, name: str) -> Any:
    """``f.name`` as a template reads it: a dict's key, else an attribute, else an item;
    None when there is none (a template's undefined, which citations treat as absent)."""
    if type(f) is dict:
        return f.get(name)
    try:
        return getattr(f, name)
    except AttributeError:
        pass
    try:
        return f[name]
    except (TypeError, LookupError):
        return None


def _fact(f: Any, by_id: Any) -> Markup:
    sources = _field(f, "sources")
    out = by_id(sources) if sources else Markup("")
    if _field(f, "unverified") is True or _field(f, "verified") is False:
        note = _field(f, "note")
        note = "" if isinstance(note, Undefined) or not note else note
        out += Markup(f' <span class="badge warn" title="{escape_text(note)}">unverified</span>')
    return out


@pass_context
def fact_citation(ctx: Context, f: Any) -> Markup:
    """The citation of a fact (anything with ``sources``, ``unverified`` and ``note``):
    its sources, and an "unverified" badge when the record could not verify it (marked
    ``unverified``, or a membership's ``verified`` false): a fact with sources that is
    still unverified shows both. The templates' ``cite(f)``, written here rather than as a
    macro: a page cites sixty facts or more, and a Jinja2 macro call costs several times
    this. A page that numbers its sources calls :meth:`Footnotes.fact` instead."""
    return _fact(f, lambda ids: _by_id(ctx, ids))


@pass_context
def id_citation(ctx: Context, ids: Any) -> Markup:
    """The citation of a list of source ids (the templates' ``cite_ids(ids)``)."""
    return _by_id(ctx, ids) if ids else Markup("")
