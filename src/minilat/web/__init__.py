"""The public observatory: JSON API, server-rendered pages, feeds, downloads (``minilat serve``).

The web is a face like the CLI: each view parses its input, asks the library for one
plain dict and renders it twice, as HTML and as JSON (``Accept: application/json`` or
``?format=json``). Errors, from the library or from HTTP, all answer one JSON shape
(see :mod:`minilat.web.http`).
"""

from minilat.web.app import create_app

__all__ = ["create_app"]
