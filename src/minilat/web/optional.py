"""Analyses that may not exist yet, imported lazily.

Several analysis modules are written in parallel with the web. A page asks for one by
name; until it exists (or while it lacks the function) the page shows "not available
yet" instead of failing, and the API answers 501 ``not_available``.

>>> analysis("groupings") is not None
True
>>> analysis("no_such_module") is None
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from minilat.errors import MinilatError

__all__ = ["NotAvailable", "analysis", "function", "require"]


class NotAvailable(MinilatError):
    """An analysis the site would show has not been written yet."""

    status = 501


def analysis(name: str) -> ModuleType | None:
    """The module ``minilat.analysis.<name>``, or None if it cannot be imported."""
    try:
        return importlib.import_module(f"minilat.analysis.{name}")
    except (ImportError, SyntaxError):
        return None


def function(name: str, *candidates: str) -> Callable[..., Any] | None:
    """The first of ``candidates`` that ``minilat.analysis.<name>`` defines, or None."""
    mod = analysis(name)
    if mod is None:
        return None
    for c in candidates:
        try:
            f = getattr(mod, c)
        except AttributeError:
            continue
        if callable(f):
            return f
    return None


def require(name: str, *candidates: str) -> Callable[..., Any]:
    """Like :func:`function`, but NotAvailable (status 501) when it is missing."""
    f = function(name, *candidates)
    if f is None:
        raise NotAvailable(
            f"the {name} analysis is not available yet",
            hint="this part of the observatory is still being written",
        )
    return f
