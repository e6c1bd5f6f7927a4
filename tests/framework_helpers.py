"""Build small groupings by hand for the framework tests."""

from __future__ import annotations

from typing import Any

from minilat.dataset import Dataset
from minilat.model import Grouping, Participant, Source

SRC = Source(
    id="s", title="Test source", publisher="Tests", url="https://example.org", accessed="2026-11-28"
)
ACME = Participant(id="acme", name="Acme", kind="company", sources=("s",))


def fact(value: Any) -> dict[str, Any]:
    """A sourced fact; a dict is passed through (e.g. an unverified fact)."""
    return value if isinstance(value, dict) else {"value": value, "sources": ["s"]}


def grouping(
    gid: str = "g", members: tuple[str, ...] = ("USA", "JPN", "AUS"), **kw: Any
) -> Grouping:
    doc: dict[str, Any] = {
        "id": gid,
        "name": kw.pop("name", gid.upper()),
        "periods": [{"start": kw.pop("start", "2020-01-01"), "sources": ["s"]}],
        "memberships": [
            {"participant": m, "role": "member", "start": "2020-01-01", "sources": ["s"]}
            for m in members
        ]
        + kw.pop("extra_members", []),
    }
    for key in (
        "instrument",
        "secretariat",
        "legal_personality",
        "accession",
        "website",
        "cadence",
    ):
        if key in kw:
            doc[key] = fact(kw.pop(key))
    if "themes" in kw:
        doc["themes"] = fact(kw.pop("themes"))
    doc.update(kw)
    return Grouping.model_validate(doc)


def dataset(*groupings: Grouping, indicators: dict[str, Any] | None = None) -> Dataset:
    return Dataset({g.id: g for g in groupings}, {"acme": ACME}, {"s": SRC}, {}, indicators or {})
