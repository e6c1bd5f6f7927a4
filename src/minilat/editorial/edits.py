"""Editors' changes to the dataset: whole documents, versions, conflicts, the overlay.

The YAML files stay the source of truth. An editor's change to a grouping (its fields,
its memberships, its events) or to a source is checked exactly as ``minilat validate``
checks a file, then stored in the editorial database as the record's new whole
document together with its audit record (who, when, what before and after, why), in
one transaction (:meth:`minilat.editorial.database.EditorialDB.change_record`). The web serves the
YAML with those documents laid over it (:func:`overlay`); ``minilat dataset sync``
writes them back into the YAML files (:mod:`minilat.editorial.sync`).

**Versions.** Every record has a version token ``N-HASH``: ``N`` counts its edits and
``HASH`` starts the SHA-256 of its current document (a record never edited is ``0-…``;
one that does not exist yet is ``new``). An edit names the token it was made against;
if the record changed since, the edit is refused with :class:`StaleEdit` (409) carrying
the current record: never a silent overwrite.

**Which document is current.** A record's stored document is laid over the YAML while
it is not yet in the YAML files (``pending``). Once ``minilat dataset sync`` wrote it
there, the YAML rules: it holds the edit, or a reviewed change made since (a revert, a
correction), which wins. (The web re-reads the YAML within a second of a file changing.)
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from minilat import dataset as _dataset
from minilat.editorial.database import Conflict, EditorialDB
from minilat.errors import BadInput, NotFound, Problem
from minilat.model import FuzzyDate

__all__ = [
    "ITEM_FIELDS",
    "KINDS",
    "MAX_ITEMS",
    "MAX_WHY",
    "Base",
    "EditInvalid",
    "Record",
    "StaleEdit",
    "change_item",
    "current",
    "diff",
    "doc_hash",
    "overlay",
    "read_base",
    "record",
    "records_of",
    "save",
    "summary",
]

#: What editors can change.
KINDS = ("grouping", "source")
#: The lists inside a grouping that can be changed one item at a time.
ITEM_FIELDS = {"memberships": "membership", "events": "event"}
#: The longest reason accepted for an edit, in characters.
MAX_WHY = 2000
#: The longest list a document may hold (the UN, the largest grouping, has about 200
#: memberships): more would make every page of the record slow for everyone.
MAX_ITEMS = 1000
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EditInvalid(BadInput):
    """An edit that does not validate; ``problems`` says where, as ``validate`` does."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            f"{what} does not validate: {shown}{more}",
            hint="fix each problem named and send it again",
        )


class StaleEdit(Conflict):
    """An edit made against an old version (409); ``current`` is the record now."""

    def __init__(self, record: Record) -> None:
        self.current = record
        super().__init__(
            f"{record.kind} {record.id!r} was changed meanwhile: it is now version {record.etag}",
            hint="merge your change into the current version (given) and send it again",
        )


def doc_hash(doc: Any) -> str:
    """The SHA-256 (hex) of a document in canonical JSON ('' for no document).

    >>> doc_hash({"b": 1, "a": [2]}) == doc_hash({"a": [2], "b": 1})
    True
    """
    if doc is None:
        return ""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# ----------------------------------------------------------------------- the YAML


@dataclass(frozen=True)
class Base:
    """The YAML documents of one data folder, as this process read them."""

    root: Path
    groupings: Mapping[str, dict[str, Any]]
    sources: Mapping[str, dict[str, Any]]
    #: The file holding each source (sources are entries of lists).
    source_files: Mapping[str, Path] = field(default_factory=dict)

    def doc(self, kind: str, ident: str) -> dict[str, Any] | None:
        return (self.groupings if kind == "grouping" else self.sources).get(ident)


def _load(path: Path) -> Any:
    return _dataset.plain_document(yaml.load(path.read_text("utf-8"), Loader=_LOADER))


def read_base(root: Path | None = None) -> Base:
    """The grouping and source documents of the data folder ``root`` (bundled default).

    The folder is expected to validate (the web compiled it already)."""
    root = root or _dataset.bundled_data_dir()
    groupings: dict[str, dict[str, Any]] = {}
    for path in _dataset.data_files(root, "groupings"):
        doc = _load(path)
        if isinstance(doc, dict):
            groupings[str(doc.get("id", path.stem))] = doc
    sources: dict[str, dict[str, Any]] = {}
    files: dict[str, Path] = {}
    for path in _dataset.data_files(root, "sources"):
        for doc in _load(path) or []:
            if isinstance(doc, dict) and "id" in doc:
                sources[str(doc["id"])] = doc
                files[str(doc["id"])] = path
    return Base(root, groupings, sources, files)


# --------------------------------------------------------------------- the records


@dataclass(frozen=True)
class Record:
    """One grouping or source as an editor sees it."""

    kind: str
    id: str
    version: int
    doc: dict[str, Any] | None
    #: Changed by editors and not yet written to the YAML files (``minilat dataset sync``).
    pending: bool = False
    #: Its document differs from the YAML this process read, so it is laid over it.
    laid_over: bool = False
    #: Pending, and the YAML file changed since the first pending edit was made (a
    #: reviewed commit): ``minilat dataset sync`` will call it a conflict until an editor
    #: saves the record again, having merged the file's change (:attr:`yaml_doc`).
    yaml_changed: bool = False
    yaml_doc: dict[str, Any] | None = None

    @property
    def target(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def etag(self) -> str:
        return "new" if self.doc is None else f"{self.version}-{doc_hash(self.doc)[:12]}"

    def as_dict(self) -> dict[str, Any]:
        """The record as the API answers it (the document also as YAML text)."""
        return {
            "kind": self.kind,
            "id": self.id,
            "version": self.etag,
            "edits": self.version,
            "pending_sync": self.pending,
            "yaml_changed": self.yaml_changed,
            "yaml_diff": diff(self.yaml_doc, self.doc, self.id) if self.yaml_changed else None,
            "document": self.doc,
            "yaml": _dataset.document_text(self.doc) if self.doc is not None else None,
        }


def records_of(base: Base, rows: Iterable[Mapping[str, Any]]) -> list[Record]:
    """The current record of every stored row (``EditorialDB.records()``)."""
    out = []
    for row in rows:
        kind, _, ident = str(row["target"]).partition(":")
        out.append(current(kind, ident, base, row))
    return out


def current(kind: str, ident: str, base: Base, row: Mapping[str, Any] | None) -> Record:
    """The record now, from the YAML this process read and its stored row (if edited).

    A pending edit (not yet written to the YAML by ``minilat dataset sync``) is laid over
    the YAML. Once synced, the YAML rules: it holds the edit, or a reviewed change made
    since (a revert, a correction), which wins.
    """
    base_doc = base.doc(kind, ident)
    if row is None:
        return Record(kind, ident, 0, base_doc)
    yaml_hash = doc_hash(base_doc)
    if row["doc_hash"] == yaml_hash or row["synced"]:
        return Record(kind, ident, int(row["version"]), base_doc)
    return Record(
        kind,
        ident,
        int(row["version"]),
        row["doc"],
        pending=True,
        laid_over=True,
        yaml_changed=yaml_hash != row["base_hash"],
        yaml_doc=base_doc,
    )


def record(db: EditorialDB, base: Base, kind: str, ident: str) -> Record:
    """The current record of a grouping or source; NotFound if it does not exist."""
    _check_kind(kind)
    rec = current(kind, ident, base, db.record(f"{kind}:{ident}"))
    if rec.doc is None:
        raise NotFound(
            f"no {kind} {ident!r}",
            hint=f"an editor can create it with a PUT of its {kind} document",
        )
    return rec


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise BadInput(f"unknown kind of record {kind!r}", hint="grouping or source")


def _why(value: Any) -> str:
    why = _dataset.plain_document(value.strip(), "why") if isinstance(value, str) else ""
    if not why:
        raise BadInput("a reason is required", hint="say why, in a sentence, with its source")
    if len(why) > MAX_WHY:
        raise BadInput(f"the reason is too long: at most {MAX_WHY} characters")
    return why


def check(kind: str, ident: str, doc: Any, ds: _dataset.Dataset) -> Any:
    """The model of a document, checked against ``ds``; EditInvalid naming each problem."""
    if not isinstance(doc, dict):
        raise BadInput(f"a {kind} document must be a mapping (a JSON object)")
    longest = max((len(v) for v in doc.values() if isinstance(v, list)), default=0)
    if longest > MAX_ITEMS:
        raise BadInput(
            f"a list of {longest} items is longer than any {kind} needs (at most {MAX_ITEMS})"
        )
    if doc.get("id") != ident:
        raise EditInvalid(
            f"the {kind} document",
            [Problem("(document)", 1, "id", f"must be {ident!r} (the {kind} being edited)")],
        )
    model: Any
    if kind == "grouping":
        model, problems = _dataset.check_grouping(doc, ident, ds)
    else:
        model, problems = _dataset.check_source(doc, ident)
    if problems:
        raise EditInvalid(f"the {kind} document", problems)
    return model


def save(
    db: EditorialDB,
    base: Base,
    ds: _dataset.Dataset,
    kind: str,
    ident: str,
    doc: Any,
    *,
    expected: str,
    editor: str,
    why: Any,
    action: str | None = None,
) -> tuple[dict[str, Any], Record]:
    """Replace a record's whole document, if it is still at version ``expected``.

    ``doc`` is checked against ``ds`` (the dataset being served, edits included) as
    ``validate`` checks a file. ``expected`` is the version token the editor started
    from (``new`` to create a record). Returns the audit record and the new record.
    StaleEdit (409) if the record changed meanwhile; EditInvalid or BadInput (400) for a
    document that does not validate, a change that changes nothing or no reason.
    """
    _check_kind(kind)
    reason = _why(why)
    doc = _dataset.plain_document(doc)
    check(kind, ident, doc, ds)
    new_hash = doc_hash(doc)

    def decide(row: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
        rec = current(kind, ident, base, row)
        if expected == "new" and rec.doc is not None:
            raise Conflict(
                f"{kind} {ident!r} exists already",
                hint=f"GET it and send its version to change it ({rec.etag})",
            )
        if rec.etag != expected:
            raise StaleEdit(rec)
        if new_hash == doc_hash(rec.doc):
            raise BadInput(f"the edit changes nothing in {kind} {ident!r}")
        # a pending edit keeps the YAML its first pending edit started from (for sync);
        # saving over a YAML changed since means the editor merged it: start from it now
        if row is not None and rec.pending and not rec.yaml_changed:
            base_hash = row["base_hash"]
        else:
            base_hash = doc_hash(base.doc(kind, ident))
        new = {
            "version": rec.version + 1,
            "doc": doc,
            "doc_hash": new_hash,
            "base_hash": base_hash,
            "synced": False,
        }
        audit = {
            "editor": editor,
            "action": action or (f"{kind}.create" if rec.doc is None else f"{kind}.edit"),
            "before": rec.doc,
            "after": doc,
            "why": reason,
        }
        return new, audit

    audit = db.change_record(f"{kind}:{ident}", decide)
    return audit, current(kind, ident, base, db.record(f"{kind}:{ident}"))


def change_item(
    db: EditorialDB,
    base: Base,
    ds: _dataset.Dataset,
    gid: str,
    list_field: str,
    index: int | None,
    item: Any,
    *,
    expected: str,
    editor: str,
    why: Any,
) -> tuple[dict[str, Any], Record]:
    """Add (``index`` None), replace or remove (``item`` None) one membership or event
    of a grouping: a :func:`save` of the grouping with that one change."""
    if list_field not in ITEM_FIELDS:
        raise BadInput(f"unknown list {list_field!r}", hint="memberships or events")
    rec = record(db, base, "grouping", gid)
    if rec.etag != expected:
        raise StaleEdit(rec)
    assert rec.doc is not None
    doc = copy.deepcopy(rec.doc)
    items = doc.get(list_field) or []
    if not isinstance(items, list):  # pragma: no cover - the validator guarantees a list
        items = []
    noun = ITEM_FIELDS[list_field]
    if index is not None and not 0 <= index < len(items):
        raise NotFound(
            f"grouping {gid!r} has no {noun} {index}",
            hint=f"its {list_field} are numbered 0 to {len(items) - 1}"
            if items
            else f"it has no {list_field}",
        )
    if item is None and index is None:
        raise BadInput(f"send the {noun} to add")
    if item is not None and not isinstance(item, dict):
        raise BadInput(f"a {noun} must be a mapping (a JSON object)")
    if index is None:
        assert item is not None
        items.insert(_position(items, item) if list_field == "events" else len(items), item)
        action = f"{noun}.add"
    elif item is None:
        del items[index]
        action = f"{noun}.remove"
    else:
        items[index] = item
        action = f"{noun}.edit"
    doc[list_field] = items
    return save(
        db, base, ds, "grouping", gid, doc, expected=expected, editor=editor, why=why, action=action
    )


def _day(value: Any) -> Any:
    try:
        return FuzzyDate.parse(str(value)).first_day()
    except ValueError:
        return None


def _position(events: list[Any], event: dict[str, Any]) -> int:
    """Where a new event goes to keep the list in date order (last among equal dates;
    at the end if its date cannot be read: the validator will say why)."""
    day = _day(event.get("date"))
    if day is None:
        return len(events)
    for i, other in enumerate(events):
        when = _day(other.get("date")) if isinstance(other, dict) else None
        if when is not None and when > day:
            return i
    return len(events)


# ------------------------------------------------------------------- the overlay


def overlay(
    ds: _dataset.Dataset,
    base: Base,
    rows: Iterable[Mapping[str, Any]],
    checked: dict[tuple[str, str], Any] | None = None,
) -> tuple[_dataset.Dataset, list[str]]:
    """``ds`` (compiled from the YAML that ``base`` was read from) with every edited
    document that is not in that YAML laid over it, and the edits that could not be
    (one line each: a stored edit that no longer validates, e.g. after an upgrade)."""
    laid = [r for r in records_of(base, rows) if r.laid_over]
    if not laid:
        return ds, []
    sources = dict(ds.sources)
    problems: list[str] = []
    # (target, hash) -> (model, problems) of the documents checked by an earlier call: only
    # valid ones are kept (sources are never removed, so a valid grouping stays valid)
    checked = {} if checked is None else checked
    used: set[tuple[str, str]] = set()

    def check_once(rec: Record, check: Any) -> Any:
        key = (rec.target, doc_hash(rec.doc))
        used.add(key)
        if key in checked:
            return checked[key]
        model, found = check()
        if model is not None:
            checked[key] = (model, found)
        return model, found

    for rec in (r for r in laid if r.kind == "source"):
        src, found = check_once(rec, lambda r=rec: _dataset.check_source(r.doc, r.id))
        if src is None:
            problems.append(f"{rec.target}: {'; '.join(str(p) for p in found[:3])}")
        else:
            sources[rec.id] = src
    with_sources = _dataset.Dataset(
        ds.groupings, ds.participants, sources, ds.capabilities, ds.indicators
    )
    groupings = dict(ds.groupings)
    for rec in (r for r in laid if r.kind == "grouping"):
        g, found = check_once(rec, lambda r=rec: _dataset.check_grouping(r.doc, r.id, with_sources))
        if g is None:
            problems.append(f"{rec.target}: {'; '.join(str(p) for p in found[:3])}")
        else:
            groupings[rec.id] = g
    for key in [k for k in checked if k not in used]:
        del checked[key]
    out = _dataset.Dataset(
        dict(sorted(groupings.items())), ds.participants, sources, ds.capabilities, ds.indicators
    )
    return out, problems


def diff(before: Any, after: Any, name: str) -> str:
    """A unified diff between two documents as YAML text ('' if equal)."""
    a = _dataset.document_text(before).splitlines(keepends=True) if before is not None else []
    b = _dataset.document_text(after).splitlines(keepends=True) if after is not None else []
    return "".join(difflib.unified_diff(a, b, f"{name} (before)", f"{name} (after)", n=2))


def summary(before: Any, after: Any, action: str) -> str:
    """One line saying what a change did.

    >>> summary({"id": "x", "name": "A"}, {"id": "x", "name": "B"}, "grouping.edit")
    'grouping edited: name'
    >>> summary(None, {"id": "x"}, "source.create")
    'source created'
    >>> m = {"participant": "NZL", "role": "partner", "start": "2026-01"}
    >>> summary({"memberships": []}, {"memberships": [m]}, "membership.add")
    'membership added: NZL (partner, 2026-01 to now)'
    """
    thing, _, verb = action.partition(".")
    label = {"edit": "edited", "create": "created", "add": "added", "remove": "removed"}
    if action == "dataset.sync":
        return "written to the YAML files"
    head = f"{thing} {label.get(verb, verb)}"
    if not isinstance(before, dict) or not isinstance(after, dict):
        return head
    field = {v: k for k, v in ITEM_FIELDS.items()}.get(thing)
    if field is not None:
        old, new = before.get(field) or [], after.get(field) or []
        if verb == "remove":
            old, new = new, old
        seen = {_canonical(x) for x in old}  # linear: lists can be long
        changed = next((x for x in new if _canonical(x) not in seen), None)
        if isinstance(changed, dict):
            return f"{head}: {_describe(thing, changed)}"
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return f"{head}: {', '.join(keys)}" if keys else head


def _canonical(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _describe(thing: str, item: dict[str, Any]) -> str:
    if thing == "membership":
        return (
            f"{item.get('participant')} ({item.get('role')}, {item.get('start')} to"
            f" {item.get('end') or 'now'})"
        )
    title = str(item.get("title", ""))
    return f"{item.get('date')} {item.get('kind')}: {title[:80]}{'…' if len(title) > 80 else ''}"
