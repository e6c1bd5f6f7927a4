"""Whole-dataset exports in open formats: JSON and CSV.

The CSV export has one row per participant x grouping x interval in ``memberships.csv``,
so a spreadsheet user can filter by date without any minilat code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from minilat import csvsafe
from minilat.dataset import Dataset

__all__ = ["CSV_TABLES", "as_json", "csv_rows", "write_csv", "write_json"]


def as_json(ds: Dataset) -> dict[str, Any]:
    """The whole dataset as one JSON-ready document."""
    return {
        "groupings": [g.model_dump(mode="json") for g in ds.groupings.values()],
        "participants": [p.model_dump(mode="json") for p in ds.participants.values()],
        "sources": [s.model_dump(mode="json") for s in ds.sources.values()],
        "capability_tables": [t.model_dump(mode="json") for t in ds.capabilities.values()],
    }


def _join(xs: Any) -> str:
    return ";".join(str(x) for x in xs)


def _tristate(v: bool | None) -> str:
    """A yes/no/unknown answer as a CSV cell: ``true``, ``false`` or ``unknown``."""
    return "unknown" if v is None else str(v).lower()


def csv_rows(ds: Dataset) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each CSV table as (header, rows)."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    out["groupings"] = (
        [
            "id",
            "name",
            "acronyms",
            "founded",
            "founded_precision",
            "ended",
            "instrument",
            "secretariat",
            "legal_personality",
            "accession",
            "website",
            "cadence",
            "themes",
        ],
        [
            [
                g.id,
                g.name,
                _join(g.acronyms),
                g.founded.iso(),
                g.founded.precision.value,
                g.ended.iso() if g.ended else "",
                g.instrument.value.value,
                g.secretariat.value.value,
                _tristate(g.legal_personality.value),
                g.accession.value.value,
                g.website.value,
                g.cadence.value.value,
                _join(t.value for t in g.themes.value),
            ]
            for g in ds.groupings.values()
        ],
    )
    out["memberships"] = (
        [
            "grouping_id",
            "participant",
            "participant_name",
            "participant_kind",
            "role",
            "start",
            "end",
            "verified",
            "sources",
            "note",
        ],
        [
            [
                g.id,
                m.participant,
                ds.participant(m.participant).name,
                ds.participant(m.participant).kind.value,
                m.role.value,
                m.start.iso(),
                m.end.iso() if m.end else "",
                str(m.verified).lower(),
                _join(m.sources),
                m.note or "",
            ]
            for g in ds.groupings.values()
            for m in g.memberships
        ],
    )
    out["events"] = (
        ["grouping_id", "date", "kind", "title", "verified", "sources"],
        [
            [g.id, e.date.iso(), e.kind.value, e.title, str(e.verified).lower(), _join(e.sources)]
            for g in ds.groupings.values()
            for e in g.events
        ],
    )
    out["commitments"] = (
        [
            "grouping_id",
            "id",
            "text",
            "made",
            "target",
            "due",
            "delivery",
            "status",
            "status_date",
            "evidence",
            "sources",
            "evidence_sources",
            "superseded_by",
        ],
        [
            [
                g.id,
                c.id,
                c.text,
                c.made.iso(),
                c.target.iso() if c.target else "",
                c.due.isoformat() if c.due else "",
                c.delivery,
                c.status[-1].status.value if c.status else "unknown",
                c.status[-1].date.iso() if c.status else "",
                c.status[-1].evidence if c.status else "",
                _join(c.sources),
                _join(c.status[-1].sources) if c.status else "",
                c.superseded_by or "",
            ]
            for g in ds.groupings.values()
            for c in g.commitments
        ],
    )
    out["sources"] = (
        ["id", "title", "publisher", "url", "published", "accessed"],
        [
            [
                s.id,
                s.title,
                s.publisher,
                s.url,
                s.published.iso() if s.published else "",
                s.accessed.isoformat(),
            ]
            for s in ds.sources.values()
        ],
    )
    out["participants"] = (
        ["id", "name", "kind", "country"],
        [[p.id, p.name, p.kind.value, p.country or ""] for p in ds.participants.values()],
    )
    out["capabilities"] = (
        [
            "table_id",
            "table_name",
            "unit",
            "measure",
            "year",
            "participant",
            "value",
            "share",
            "unverified",
            "sources",
        ],
        [
            [
                t.id,
                t.name,
                t.unit,
                t.measure.value,
                t.year,
                r.participant,
                r.value,
                round(r.value / t.total, 6) if t.total else "",
                str(r.unverified).lower(),
                _join(t.sources),
            ]
            for t in ds.capabilities.values()
            for r in t.rows
        ],
    )
    return out


CSV_TABLES = (
    "groupings",
    "memberships",
    "events",
    "commitments",
    "sources",
    "participants",
    "capabilities",
)


def write_csv(ds: Dataset, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in csv_rows(ds).items():
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csvsafe.writer(f)
            w.writerow(header)
            w.writerows(rows)
        written.append(path)
    return written


def write_json(ds: Dataset, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "minilat.json"
    path.write_text(json.dumps(as_json(ds), indent=1, ensure_ascii=False), encoding="utf-8")
    return [path]
