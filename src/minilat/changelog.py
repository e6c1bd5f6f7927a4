"""The data changelog: what changed, fact by fact, between two versions of the dataset.

:func:`compare` takes two whole-dataset documents (as :func:`minilat.export.as_json`
writes them, and as every release keeps in ``json/minilat.json``) and lists each fact
added, changed or removed, with the sources that support it:

* **groupings** added or removed; their facts changed (name, periods — hence founding and
  end dates —, instrument, secretariat, legal personality, accession, website, cadence,
  themes), each with the fact's sources;
* **memberships**, matched by grouping, participant and the order of that participant's
  intervals: added, removed, or changed (role, start, end, verified, sources);
* **events**, matched by grouping, date and title: added, removed or changed;
* **sources** added, removed or changed (title, publisher, address, dates, ``copy_of``).

Pure: documents in, a plain dict out; :func:`markdown` renders it.

>>> old = {"groupings": [], "sources": []}
>>> new = {"groupings": [{"id": "g", "name": "G", "memberships": [], "events": []}],
...        "sources": []}
>>> compare(old, new)["summary"]
{'added': 1, 'changed': 0, 'removed': 0}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FACT_FIELDS", "compare", "markdown"]

#: The grouping-level facts compared one by one.
FACT_FIELDS = (
    "name",
    "acronyms",
    "periods",
    "instrument",
    "secretariat",
    "legal_personality",
    "accession",
    "website",
    "cadence",
    "themes",
    "objectives",
    "member_count",
)
_MEMBERSHIP_FIELDS = ("role", "start", "end", "unverified", "note", "sources")
_EVENT_FIELDS = ("kind", "sources", "unverified")
_SOURCE_FIELDS = ("title", "publisher", "url", "published", "copy_of")


def _sources_of(value: Any) -> list[str]:
    """Every source id cited anywhere inside a fact."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "sources" and isinstance(v, list):
                out += [s for s in v if isinstance(s, str)]
            else:
                out += _sources_of(v)
    elif isinstance(value, list):
        for v in value:
            out += _sources_of(v)
    return list(dict.fromkeys(out))


def _memberships(g: Mapping[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    by: dict[str, list[dict[str, Any]]] = {}
    for m in g.get("memberships", []):
        by.setdefault(m["participant"], []).append(m)
    out = {}
    for pid, ms in by.items():
        for i, m in enumerate(sorted(ms, key=lambda m: str(m.get("start")))):
            out[(pid, i)] = m
    return out


def _events(g: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(str(e.get("date")), str(e.get("title"))): e for e in g.get("events", [])}


def _change(
    kind: str,
    change: str,
    *,
    grouping: str | None = None,
    key: str | None = None,
    field: str | None = None,
    before: Any = None,
    after: Any = None,
    sources: Iterable[str] = (),
) -> dict[str, Any]:
    return {
        "kind": kind,
        "change": change,
        "grouping": grouping,
        "key": key,
        "field": field,
        "before": before,
        "after": after,
        "sources": list(sources),
    }


def _diff_records(
    kind: str,
    gid: str,
    old: Mapping[Any, dict[str, Any]],
    new: Mapping[Any, dict[str, Any]],
    fields: tuple[str, ...],
    label: Any,
) -> list[dict[str, Any]]:
    out = []
    for k in sorted(set(old) | set(new), key=str):
        a, b = old.get(k), new.get(k)
        if a is None and b is not None:
            out.append(
                _change(
                    kind, "added", grouping=gid, key=label(k, b), after=b, sources=_sources_of(b)
                )
            )
        elif b is None and a is not None:
            out.append(
                _change(
                    kind, "removed", grouping=gid, key=label(k, a), before=a, sources=_sources_of(a)
                )
            )
        elif a is not None and b is not None:
            for f in fields:
                if a.get(f) != b.get(f):
                    out.append(
                        _change(
                            kind,
                            "changed",
                            grouping=gid,
                            key=label(k, b),
                            field=f,
                            before=a.get(f),
                            after=b.get(f),
                            sources=_sources_of(b),
                        )
                    )
    return out


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Every fact added, changed or removed from ``old`` to ``new`` (dataset documents).

    Returns ``{"summary": {added, changed, removed}, "counts": {kind: {...}},
    "changes": [...]}``; each change names its kind (grouping, membership, event,
    source), the grouping, a key saying which record, the field, the values before and
    after, and the source ids that support the fact (the new ones; the old ones for a
    removal).
    """
    changes: list[dict[str, Any]] = []
    og = {g["id"]: g for g in old.get("groupings", [])}
    ng = {g["id"]: g for g in new.get("groupings", [])}
    for gid in sorted(set(og) | set(ng)):
        a, b = og.get(gid), ng.get(gid)
        if a is None:
            assert b is not None
            changes.append(
                _change(
                    "grouping",
                    "added",
                    grouping=gid,
                    key=gid,
                    after=b.get("name"),
                    sources=_sources_of(b),
                )
            )
            changes += _diff_records(
                "membership", gid, {}, _memberships(b), _MEMBERSHIP_FIELDS, lambda k, m: k[0]
            )
            continue
        if b is None:
            changes.append(
                _change(
                    "grouping",
                    "removed",
                    grouping=gid,
                    key=gid,
                    before=a.get("name"),
                    sources=_sources_of(a),
                )
            )
            continue
        for f in FACT_FIELDS:
            if a.get(f) != b.get(f):
                changes.append(
                    _change(
                        "grouping",
                        "changed",
                        grouping=gid,
                        key=gid,
                        field=f,
                        before=a.get(f),
                        after=b.get(f),
                        sources=_sources_of(b.get(f)),
                    )
                )
        changes += _diff_records(
            "membership",
            gid,
            _memberships(a),
            _memberships(b),
            _MEMBERSHIP_FIELDS,
            lambda k, m: k[0],
        )
        changes += _diff_records(
            "event", gid, _events(a), _events(b), _EVENT_FIELDS, lambda k, e: f"{k[0]} {k[1]}"
        )
    os_ = {s["id"]: s for s in old.get("sources", [])}
    ns = {s["id"]: s for s in new.get("sources", [])}
    for sid in sorted(set(os_) | set(ns)):
        a, b = os_.get(sid), ns.get(sid)
        if a is None:
            changes.append(_change("source", "added", key=sid, after=b, sources=[sid]))
        elif b is None:
            changes.append(_change("source", "removed", key=sid, before=a, sources=[sid]))
        else:
            for f in _SOURCE_FIELDS:
                if a.get(f) != b.get(f):
                    changes.append(
                        _change(
                            "source",
                            "changed",
                            key=sid,
                            field=f,
                            before=a.get(f),
                            after=b.get(f),
                            sources=[sid],
                        )
                    )
    summary = {
        c: sum(1 for x in changes if x["change"] == c) for c in ("added", "changed", "removed")
    }
    counts: dict[str, dict[str, int]] = {}
    for x in changes:
        counts.setdefault(x["kind"], {"added": 0, "changed": 0, "removed": 0})[x["change"]] += 1
    return {"summary": summary, "counts": counts, "changes": changes}


def _short(v: Any) -> str:
    if isinstance(v, dict):
        if "value" in v:
            return _short(v["value"])
        if "role" in v:
            end = f"–{v['end']}" if v.get("end") else "–"
            return f"{v['role']} {v.get('start')}{end}"
        if "title" in v:
            return str(v["title"])
    if isinstance(v, list):
        return ", ".join(_short(x) for x in v) if v else "(none)"
    return "(none)" if v is None else str(v)


def markdown(
    log: Mapping[str, Any], version: str, previous: str | None, urls: Mapping[str, str]
) -> str:
    """The changelog as Markdown; ``urls`` maps source ids to addresses."""
    lines = [f"# Data changelog: minilat {version}", ""]
    if previous is None:
        lines += ["The first release: every fact is new.", ""]
    else:
        lines += [f"Changes since release {previous}, fact by fact.", ""]
    s = log["summary"]
    lines += [f"{s['added']} added, {s['changed']} changed, {s['removed']} removed.", ""]
    if previous is None:
        for kind, c in sorted(log["counts"].items()):
            lines.append(f"* {kind}: {c['added']} added")
        return "\n".join(lines) + "\n"
    for kind in ("grouping", "membership", "event", "source"):
        items = [x for x in log["changes"] if x["kind"] == kind]
        if not items:
            continue
        lines += [f"## {kind.capitalize()}s", ""]
        for x in items:
            g, key = x["grouping"], x["key"]
            where = f"{g} / {key}" if g and key and key != g else str(key or g)
            what = x["change"]
            if what == "changed":
                text = f"{x['field']}: {_short(x['before'])} → {_short(x['after'])}"
            elif what == "added":
                text = f"added: {_short(x['after'])}"
            else:
                text = f"removed (was {_short(x['before'])})"
            cites = ", ".join(
                f"[{sid}]({urls[sid]})" if sid in urls else sid for sid in x["sources"][:5]
            )
            lines.append(f"* **{where}** — {text}" + (f" (sources: {cites})" if cites else ""))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
