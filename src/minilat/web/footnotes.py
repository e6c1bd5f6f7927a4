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

__all__ = ["Footnotes", "fact_citation", "id_citation"]


def _iso(d: Any) -> str:
    if d is None:
        return ""
    iso = getattr(d, "iso", None)
    return str(iso() if callable(iso) else d)


class Footnotes:
    """The numbered sources of one page."""

    def __init__(self, sources: Mapping[str, Any]) -> None:
        self._sources = sources
        self._numbers: dict[str, int] = {}
        self._refs = 0
        self._items: list[dict[str, Any]] = []  # one per number, in order

    def cite(self, ids: Iterable[str]) -> Markup:
        """Superscript links to the footnotes of ``ids`` (numbered on first use)."""
        links = []
        for sid in dict.fromkeys(ids):
            if sid not in self._sources:
                continue
            n = self._numbers.get(sid, 0)
            if not n:
                n = self._numbers[sid] = len(self._numbers) + 1
                self._items.append(self._item(sid, n))
            self._refs += 1
            links.append(
                f'<a href="#fn-{n}" id="ref-{n}-{self._refs}" aria-label="source {n}">{n}</a>'
            )
        if not links:
            return Markup("")
        return Markup('<sup class="cite">' + ",".join(links) + "</sup>")

    def _item(self, sid: str, n: int) -> dict[str, Any]:
        s = self._sources[sid]
        return {
            "number": n,
            "id": sid,
            "title": s.title,
            "publisher": s.publisher,
            "url": s.url,
            "date": _iso(s.published),
            "accessed": str(s.accessed),
        }

    def items(self) -> list[dict[str, Any]]:
        """The sources cited so far, in the order of their numbers."""
        return list(self._items)


def _by_id(ctx: Context, ids: Any) -> Markup:
    """Numbered footnote links when the page numbers its sources (a ``notes`` in the
    template's context), else a link per source id."""
    notes = ctx.resolve_or_missing("notes")
    if notes is not missing:
        return Markup(escape_text(notes.cite(ids)))
    links = "".join(f'<a href="#src-{escape_text(s)}">[{escape_text(s)}]</a>' for s in ids)
    return Markup(f'<sup class="cite">{links}</sup>')


@pass_context
def fact_citation(ctx: Context, f: Any) -> Markup:
    """The citation of a fact (anything with ``sources``, ``unverified`` and ``note``):
    its sources, and an "unverified" badge when the record could not verify it (marked
    ``unverified``, or a membership's ``verified`` false): a fact with sources that is
    still unverified shows both. The templates' ``cite(f)``, written here rather than as a
    macro: a page cites sixty facts or more, and a Jinja2 macro call costs several times
    this."""
    get = ctx.environment.getattr
    sources = get(f, "sources")
    out = _by_id(ctx, sources) if sources else Markup("")
    if get(f, "unverified") is True or get(f, "verified") is False:
        note = get(f, "note")
        note = "" if isinstance(note, Undefined) or not note else note
        out += Markup(f' <span class="badge warn" title="{escape_text(note)}">unverified</span>')
    return out


@pass_context
def id_citation(ctx: Context, ids: Any) -> Markup:
    """The citation of a list of source ids (the templates' ``cite_ids(ids)``)."""
    return _by_id(ctx, ids) if ids else Markup("")
