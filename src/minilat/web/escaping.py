"""HTML escaping for the hottest paths: markupsafe's text, without building a Markup.

:func:`markupsafe.escape` wraps its answer in a :class:`~markupsafe.Markup`, whose
construction (in Python) costs several times the escaping itself (in C). Where the
answer is only joined into a page, that wrapper is wasted: :func:`escape_text` gives
the same characters as a plain ``str``. The templates' ``{{ value }}`` and the table
rows of :mod:`minilat.web.rows` use it.

>>> escape_text("<a href='x'>&</a>")
'&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;'
>>> from markupsafe import Markup, escape
>>> escape_text(Markup("<b>safe</b>")), escape_text(3), escape_text(None)
('<b>safe</b>', '3', 'None')
>>> all(escape_text(v) == str(escape(v)) for v in ["\\"'<>&", 1.5, Markup("&amp;"), True])
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["escape_text"]

try:  # markupsafe's own C escaping, which markupsafe.escape calls
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - a build of markupsafe without its C speedups
    from markupsafe import escape as _escape

    def _escape_inner(s: str, /) -> str:
        return str(_escape(s))


def escape_text(value: Any) -> str:
    """``str(markupsafe.escape(value))``, faster: an object with ``__html__`` (Markup, a
    macro's output) is taken as it is, anything else is converted to text and escaped."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape_inner(str(value))
