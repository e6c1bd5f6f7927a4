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

from markupsafe import Markup

__all__ = ["Footnotes"]


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
