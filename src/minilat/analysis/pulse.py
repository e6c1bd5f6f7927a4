"""The whole field's pulse: which groupings are alive, what changed, what falls due.

The dataset-wide views over :mod:`minilat.analysis.life`, each one plain dict (JSON-ready)
that the CLI prints and the web renders as HTML and JSON:

* :func:`pulse` — every grouping's status on a date, its activity by year (the heat map),
  counts by status, and the status changes since a date;
* :func:`commitments` — the commitments of one grouping or all, filtered by status and by
  due date, each with its status and evidence on the date;
* :func:`feed_entries` — status changes, commitments falling due and commitments
  delivered, newest first (the Atom feed).

>>> from minilat.dataset import load
>>> import datetime as dt
>>> p = pulse(load(), dt.date(2026, 12, 2))
>>> p["counts"]["active"] + p["counts"]["dormant"] > 0
True
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from minilat.analysis.life import (
    LIFE_RULES,
    LifeRules,
    activity_by_year,
    commitment_states,
    delivery,
    history,
    life,
)
from minilat.dataset import Dataset
from minilat.errors import BadInput, did_you_mean
from minilat.model import CommitmentStatus, Grouping, LifeStatus

__all__ = ["STATUS_ORDER", "commitments", "feed_entries", "life_detail", "pulse"]

#: The order statuses are listed in, liveliest first.
STATUS_ORDER = ("revived", "active", "unknown", "dormant", "ended", "not_founded")


def _sort_key(row: dict[str, Any]) -> tuple[int, str]:
    return (STATUS_ORDER.index(row["status"]), row["name"].lower())


def life_detail(g: Grouping, as_of: _dt.date, *, rules: LifeRules = LIFE_RULES) -> dict[str, Any]:
    """One grouping's life on a date: status and explanation, commitments, delivery."""
    return {
        "life": life(g, as_of, rules=rules).to_dict(),
        "commitments": [c.to_dict() for c in commitment_states(g, as_of)],
        "delivery": delivery(g, as_of, rules=rules).to_dict(),
        "activity_by_year": activity_by_year(g, as_of),
        "history": [vars(c) for c in history(g, as_of, rules=rules)],
    }


def pulse(
    ds: Dataset,
    as_of: _dt.date,
    since: _dt.date | None = None,
    *,
    rules: LifeRules = LIFE_RULES,
) -> dict[str, Any]:
    """Every grouping's status on ``as_of``, with the changes since ``since``."""
    if since is not None and since > as_of:
        raise BadInput(
            f"--since {since} is after --as-of {as_of}",
            hint="changes are counted from --since up to --as-of",
        )
    rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    first_year = as_of.year
    for g in ds.groupings.values():
        lf = life(g, as_of, rules=rules)
        by_year = activity_by_year(g, as_of)
        if by_year:
            first_year = min(first_year, min(by_year))
        d = delivery(g, as_of, rules=rules)
        rows.append(
            {
                "id": g.id,
                "name": lf.name,
                "status": lf.status,
                "label": lf.label,
                "basis": lf.basis,
                "since": lf.since,
                "explanation": lf.explanation,
                "last_activity": lf.last_activity,
                "months_silent": lf.months_silent,
                "cadence": lf.cadence,
                "override": lf.override,
                "disagrees": lf.disagrees,
                "searched": lf.search["date"] if lf.search else None,
                "activity_by_year": by_year,
                "commitments": d.made,
                "delivery_rate": d.rate,
                "assessed": d.assessed,
            }
        )
        if since is not None:
            for ch in history(g, as_of, rules=rules):
                if since < _dt.date.fromisoformat(ch.date) <= as_of and ch.previous is not None:
                    changes.append(vars(ch))
    rows.sort(key=_sort_key)
    changes.sort(key=lambda c: (c["date"], c["grouping"]), reverse=True)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_ORDER}
    alive = counts["active"] + counts["revived"]
    standing = sum(1 for r in rows if r["basis"] == "standing_body")
    summary = (
        f"As of {as_of.isoformat()}, {alive} of {len(rows)} groupings are alive "
        f"({counts['active']} active, of which {standing} standing bodies read active "
        f"through a silent record, and {counts['revived']} newly revived), "
        f"{counts['dormant']} dormant (a search found nothing, or a sourced end), "
        f"{counts['unknown']} unknown (not enough record to say) and {counts['ended']} "
        "ended, judged from their recorded activity against their expected cadence."
    )
    if since is not None:
        summary += f" {len(changes)} status change{'s' if len(changes) != 1 else ''} since {since}."
    return {
        "as_of": as_of.isoformat(),
        "since": since.isoformat() if since else None,
        "summary": summary,
        "counts": counts,
        "standing_bodies": standing,
        "years": [first_year, as_of.year],
        "groupings": rows,
        "changes": changes if since is not None else None,
        "signals": [],  # news signals (issue: monitor) go here, beside the record's pulse
    }


def _status(value: str) -> str:
    try:
        return CommitmentStatus(value).value
    except ValueError:
        choices = [s.value for s in CommitmentStatus]
        raise BadInput(
            f"unknown commitment status {value!r}",
            hint=did_you_mean(value, choices) or f"one of: {', '.join(choices)}",
        ) from None


def commitments(
    ds: Dataset,
    as_of: _dt.date,
    grouping: str | None = None,
    *,
    status: str | None = None,
    due_before: _dt.date | None = None,
) -> dict[str, Any]:
    """The commitments made by ``as_of`` (of one grouping, or all), each with its status.

    ``status`` keeps those with that status on the date; ``due_before`` keeps those whose
    due date (the end of the target's period) falls before that day.
    """
    wanted = _status(status) if status else None
    groups = [ds.grouping(grouping)] if grouping else list(ds.groupings.values())
    rows: list[dict[str, Any]] = []
    for g in groups:
        for c in commitment_states(g, as_of):
            if wanted and c.status != wanted:
                continue
            if due_before and (c.due is None or _dt.date.fromisoformat(c.due) >= due_before):
                continue
            rows.append({**c.to_dict(), "name": g.name_on(as_of)})
    rows.sort(key=lambda r: (r["due"] or "9999", r["grouping"], r["id"]))
    counts = {s.value: sum(1 for r in rows if r["status"] == s.value) for s in CommitmentStatus}
    rates = {g.id: delivery(g, as_of).to_dict() for g in groups} if grouping else None
    who = groups[0].name_on(as_of) if grouping else "all groupings"
    bits = [f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n]
    summary = f"{len(rows)} commitment{'s' if len(rows) != 1 else ''} of {who} as of {as_of}"
    summary += f": {', '.join(bits)}." if bits else "."
    return {
        "as_of": as_of.isoformat(),
        "grouping": groups[0].id if grouping else None,
        "filters": {
            "status": wanted,
            "due_before": due_before.isoformat() if due_before else None,
        },
        "summary": summary,
        "counts": counts,
        "commitments": rows,
        "delivery": rates,
    }


def feed_entries(
    ds: Dataset, as_of: _dt.date, *, limit: int = 50, rules: LifeRules = LIFE_RULES
) -> list[dict[str, Any]]:
    """Status changes, commitments falling due and commitments delivered, newest first.

    Each entry: ``id`` (stable), ``date``, ``kind`` (``status`` | ``due`` | ``delivered``),
    ``grouping``, ``title``, ``summary``, ``sources``.
    """
    out: list[dict[str, Any]] = []
    for g in ds.groupings.values():
        for ch in history(g, as_of, rules=rules):
            if ch.previous is None or ch.status == LifeStatus.NOT_FOUNDED:
                continue
            out.append(
                {
                    "id": f"status/{g.id}/{ch.date}",
                    "date": ch.date,
                    "kind": "status",
                    "grouping": g.id,
                    "title": f"{ch.name}: {ch.previous} → {ch.status}",
                    "summary": ch.explanation,
                    "sources": [],
                }
            )
        for c in g.commitments:
            if c.due is not None and c.due <= as_of:
                st = c.status_on(c.due)
                out.append(
                    {
                        "id": f"due/{g.id}/{c.id}",
                        "date": c.due.isoformat(),
                        "kind": "due",
                        "grouping": g.id,
                        "title": f"{g.name_on(c.due)}: commitment falls due — {c.text}",
                        "summary": f"Due {c.due.isoformat()} (target {c.target}); "
                        f"status then: {st.status.value if st else 'unknown'}. "
                        f"Delivery means: {c.delivery}",
                        "sources": list(c.sources),
                    }
                )
            for a in c.status:
                if a.status is CommitmentStatus.DELIVERED and a.date.first_day() <= as_of:
                    out.append(
                        {
                            "id": f"delivered/{g.id}/{c.id}/{a.date.iso()}",
                            "date": a.date.first_day().isoformat(),
                            "kind": "delivered",
                            "grouping": g.id,
                            "title": f"{g.name_on(as_of)}: commitment delivered — {c.text}",
                            "summary": a.evidence,
                            "sources": list(a.sources),
                        }
                    )
    out.sort(key=lambda e: (e["date"], e["id"]), reverse=True)
    return out[:limit]
