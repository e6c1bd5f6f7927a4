"""The public observatory: JSON API, server-rendered pages, feeds, downloads (``minilat serve``).

The web is a face like the CLI: each view parses its input, asks the library for one
plain dict and renders it twice, as HTML and as JSON (``Accept: application/json`` or
``?format=json``). Errors, from the library or from HTTP, all answer one JSON shape
(see :mod:`minilat.web.http`).

:func:`create_app` is imported when it is first asked for: the CLI reads the web's
wording (:mod:`minilat.web.wording`) without importing the app and its framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minilat.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from minilat.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
