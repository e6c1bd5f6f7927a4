"""How the web asks the library: optional analyses as page sections, and shared look-ups.

An analysis still being written is asked for by module and function name (see
:mod:`minilat.web.optional`); its section is ``{"available": False, ...}`` until it exists,
and the API answers 501 ``not_available`` meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

from minilat.errors import MinilatError
from minilat.web import optional
from minilat.web.site import Site

__all__ = ["available_or_raise", "known_types", "plain", "resolve_member", "section", "types_on"]


def section(
    module: str,
    candidates: tuple[str, ...],
    *args: Any,
    raise_errors: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Run an optional analysis: ``{"available": True, "result": ...}`` or not available.

    A page shows an analysis's error as a message in its section; the API
    (``raise_errors=True``) lets it through, so it answers with the one error shape.
    """
    f = optional.function(module, *candidates)
    if f is None:
        return {"available": False, "result": None, "message": "not available yet"}
    try:
        result = f(*args, **kwargs)
    except MinilatError as e:
        if raise_errors:
            raise
        return {"available": True, "result": None, "message": e.message}
    return {"available": True, "result": plain(result), "message": None}


def plain(obj: Any) -> Any:
    """JSON-ready data from whatever an analysis returns (dicts, dataclasses, models)."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, _dt.date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [plain(v) for v in obj]
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return plain(dump(mode="json"))
    as_dict = getattr(obj, "as_dict", None) or getattr(obj, "to_dict", None)
    if callable(as_dict):
        return plain(as_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain(dataclasses.asdict(obj))
    if hasattr(obj, "value") and isinstance(obj.value, str):  # enums
        return obj.value
    return str(obj)


def known_types(types: dict[str, str | None] | None) -> dict[str, str] | None:
    return None if types is None else {k: v for k, v in types.items() if v is not None}


def resolve_member(site: Site, text: str) -> str:
    """A participant id or ISO3 code from a code or a country name; NotFound otherwise."""
    return site.ds.resolve_participant(text)


def _type_value(result: Any) -> str | None:
    if result is None:
        return None
    if isinstance(result, dict):
        t = result.get("type") or result.get("assigned") or result.get("final")
        return plain(t) if t is not None else None
    t = getattr(result, "type", None)
    return plain(t) if t is not None else None


def types_on(site: Site, as_of: _dt.date) -> dict[str, str | None] | None:
    """Each grouping's type, or None while the typology is not available."""
    classify = optional.function("typology", "classify")
    if classify is None:
        return None
    # the rule reads themes only: one answer per version of the dataset
    types: dict[str, str | None] = site.cached(
        ("types",), lambda ds: {gid: _type_value(r) for gid, r in classify(ds).items()}
    )
    return types


def available_or_raise(
    name: str, data: dict[str, Any], as_of: _dt.date | None = None
) -> dict[str, Any]:
    """The API's answer for an optional section: its result, or 501 ``not_available``."""
    if not data["available"]:
        raise optional.NotAvailable(
            f"the {name} analysis is not available yet",
            hint="this part of the observatory is still being written",
        )
    out: dict[str, Any] = {"as_of": as_of.isoformat()} if as_of else {}
    if data["result"] is None:
        out["message"] = data["message"]
    out["result"] = data["result"]
    return out
