"""Write editors' accepted changes back into the YAML files (``minilat dataset sync``).

Editors' changes live in the editorial database as whole documents
(:mod:`minilat.editorial.edits`); the YAML files stay the source of truth. :func:`plan` works out,
for every record that is *pending* (edited, not yet in the YAML files on disk now), the
new text of the file holding it, as a minimal change: the file is read with ruamel.yaml's
round-trip loader and only the differences between the YAML's document and the edited
one are applied (changed scalars replaced with their quoting kept, keys added or removed,
list items kept, inserted, replaced or deleted one by one; a new item of a list of flow
mappings is written as a flow mapping too). Lines ruamel would reformat but the edit does
not touch are left exactly as they were. Every new text is read back as
:func:`minilat.editorial.edits.read_base` reads it and must give back exactly the edited document.

**Conflicts.** An edit remembers the YAML document it started from (``base_hash``). If
the YAML on disk is neither that document nor the edit's (someone changed the file since,
e.g. a reviewed commit), the edit is a conflict: it is not written and stays pending,
unless ``force`` (then the edit wins). A record created by an editor conflicts if its
grouping file or source entry exists by now.

:func:`apply` writes the planned files (each atomically), checks the data folder with
:func:`minilat.dataset.validate` (putting every file back if it does not validate) and
marks each record synced, with an audit record (action ``dataset.sync``).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from minilat import dataset as _dataset
from minilat.editorial import edits as _edits
from minilat.editorial.database import Conflict, EditorialDB
from minilat.errors import DatasetInvalid, MinilatError, Problem

__all__ = [
    "DEFAULT_EDITOR",
    "NEW_SOURCES_FILE",
    "Applied",
    "ChangedMeanwhile",
    "FileChange",
    "Plan",
    "SyncConflict",
    "SyncError",
    "SyncInvalid",
    "apply",
    "plan",
]

#: The editor named in the audit records of ``sync`` unless another is given.
DEFAULT_EDITOR = "minilat dataset sync"
#: Where sources created by editors are appended (relative to the data folder).
NEW_SOURCES_FILE = "sources/editorial.yaml"
#: Lists whose items are written as one-line flow mappings in a new grouping file.
_FLOW_ITEM_LISTS = frozenset({"memberships", "events", "working_groups"})
#: Indentations tried for a file; the one ruamel reproduces it best with is used.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2))
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_STAYS_PENDING = "; edited again meanwhile, the newer version stays pending"
#: Text that reads as a date (a year, a month, a day): always quoted, as the curators do.
_DATE_LIKE = re.compile(r"\d{4}(-\d{2}){0,2}")


class SyncError(MinilatError):
    """The YAML files could not be written as planned (nothing was left half-written)."""


class ChangedMeanwhile(Conflict):
    """A record an editor changed after the plan was made: left pending for the next sync."""


class SyncInvalid(DatasetInvalid):
    """The written files did not validate; every file was put back as it was."""

    def __init__(self, problems: Sequence[Problem], *, before: bool = False) -> None:
        super().__init__(problems)
        n = len(self.problems)
        if before:
            self.message = (
                f"the data folder has {n} problem{'s' if n != 1 else ''} already;"
                " nothing was written"
            )
            self.hint = "run `minilat validate` and fix them first"
        else:
            self.message = (
                f"the synced files would make the data folder invalid ({n} problem"
                f"{'s' if n != 1 else ''}); every file was put back as it was"
            )
            self.hint = "fix the edits named (they stay pending) and sync again"


# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Item:
    """One record to mark synced once its file holds it."""

    target: str
    path: str
    #: The YAML's document now (None for a record created by an editor).
    before: dict[str, Any] | None
    after: dict[str, Any]
    doc_hash: str
    #: True if the YAML holds the document already (nothing to write).
    already: bool = False


@dataclass(frozen=True)
class FileChange:
    """The new text of one file (``old_text`` None for a new file)."""

    path: str
    old_text: str | None
    new_text: str
    targets: tuple[str, ...]
    diff: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "targets": list(self.targets), "diff": self.diff}


@dataclass(frozen=True)
class SyncConflict:
    """An edit whose YAML changed since the edit was made; ``diff``: the file to the edit."""

    target: str
    path: str
    diff: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "path": self.path, "reason": self.reason, "diff": self.diff}


@dataclass(frozen=True)
class Plan:
    """What a sync would write (nothing is written by :func:`plan`)."""

    root: Path
    files: tuple[FileChange, ...] = ()
    items: tuple[Item, ...] = ()
    conflicts: tuple[SyncConflict, ...] = ()
    #: Conflicts written anyway (``force``): the edit wins.
    forced: tuple[str, ...] = ()
    #: Edits that cannot be written faithfully (``reason`` says why): they stay pending.
    unwritable: tuple[SyncConflict, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing pending at all."""
        return not (self.files or self.items or self.conflicts or self.unwritable)

    @property
    def already(self) -> tuple[str, ...]:
        """Records whose document the YAML holds already (only marked synced)."""
        return tuple(i.target for i in self.items if i.already)

    def as_dict(self) -> dict[str, Any]:
        return {
            "data": str(self.root),
            "files": [f.as_dict() for f in self.files],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "forced": list(self.forced),
            "unwritable": [u.as_dict() for u in self.unwritable],
            "already_in_yaml": list(self.already),
        }


@dataclass(frozen=True)
class Applied:
    """What :func:`apply` did."""

    written: tuple[str, ...] = ()
    synced: tuple[str, ...] = ()
    #: Records changed by an editor after the plan: left pending (the next sync writes them).
    changed_meanwhile: tuple[str, ...] = ()
    audit_ids: tuple[int, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "written": bool(self.written),
            "written_files": list(self.written),
            "synced": list(self.synced),
            "changed_meanwhile": list(self.changed_meanwhile),
        }


# -------------------------------------------------------------------------- plan


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(text: str) -> Any:
    """A YAML text as :func:`minilat.editorial.edits.read_base` reads it."""
    return _dataset.plain_document(yaml.load(text, Loader=_LOADER))


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _new_sources_file(root: Path) -> Path:
    """Where a new source goes: ``sources/editorial.yaml``, or ``.yml`` if that exists."""
    path = root / NEW_SOURCES_FILE
    yml = path.with_suffix(".yml")
    return yml if yml.is_file() and not path.is_file() else path


def _grouping_file(root: Path, gid: str) -> Path:
    """The file holding grouping ``gid``: ``groupings/<gid>.yaml`` or ``.yml``, else any
    file whose ``id`` is ``gid``; ``groupings/<gid>.yaml`` for a new one."""
    path = root / "groupings" / f"{gid}.yaml"
    for suffix in _dataset.YAML_SUFFIXES:
        if path.with_suffix(suffix).is_file():
            return path.with_suffix(suffix)
    for other in _dataset.data_files(root, "groupings"):
        doc = _plain(other.read_text("utf-8"))
        if isinstance(doc, dict) and str(doc.get("id", other.stem)) == gid:
            return other
    return path


@dataclass
class _Pending:
    kind: str
    ident: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any]
    doc_hash: str


def plan(root: Path | None, db: EditorialDB, *, force: bool = False) -> Plan:
    """What syncing the editorial database ``db`` into the data folder ``root`` (the
    bundled one if None) would write: the new text of each file, as a minimal change.

    Conflicts (the YAML changed since the edit was made) are left out unless ``force``;
    so are edits that cannot be written faithfully (``unwritable``). Raises SyncError if
    the data folder cannot be read.
    """
    root = Path(root) if root is not None else _dataset.bundled_data_dir()
    rows = [r for r in db.records() if not r["synced"]]
    if not rows:
        return Plan(root)
    try:
        base = _edits.read_base(root)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise SyncError(
            f"cannot read the data folder {root}: {e}",
            hint="run `minilat validate` and fix it first",
        ) from None
    by_file: dict[Path, list[_Pending]] = {}
    items: list[Item] = []
    conflicts: list[SyncConflict] = []
    forced: list[str] = []
    for row in rows:
        if not isinstance(row.get("doc"), dict):
            continue
        kind, _, ident = str(row["target"]).partition(":")
        if kind not in _edits.KINDS:
            continue
        before = base.doc(kind, ident)
        if kind == "grouping":
            path = _grouping_file(root, ident)
        else:
            path = Path(base.source_files.get(ident) or _new_sources_file(root))
        rel = _rel(root, path)
        yaml_hash = _edits.doc_hash(before)
        if yaml_hash == row["doc_hash"]:  # the YAML holds it already
            items.append(Item(row["target"], rel, before, row["doc"], row["doc_hash"], True))
            continue
        pending = _Pending(kind, ident, row["target"], before, row["doc"], row["doc_hash"])
        if yaml_hash != row["base_hash"] and not _synced_before(db, row["target"], yaml_hash):
            if not force:
                reason = (
                    f"{rel} was changed since the edit was made"
                    if row["base_hash"]
                    else f"{kind} {ident!r} was created in {rel} since the editor created it"
                )
                try:
                    diff = _file_change(root, path, [pending]).diff
                except SyncError as e:
                    diff = f"(no diff: {e.message})\n"
                conflicts.append(SyncConflict(row["target"], rel, diff, reason))
                continue
            forced.append(row["target"])
        by_file.setdefault(path, []).append(pending)
    files: list[FileChange] = []
    unwritable: list[SyncConflict] = []
    for path, pendings in sorted(by_file.items()):
        change, done, failed = _changes_for(root, path, pendings)
        unwritable.extend(failed)
        if change is not None:
            files.append(change)
            items.extend(Item(p.target, change.path, p.before, p.after, p.doc_hash) for p in done)
    return Plan(
        root, tuple(files), tuple(items), tuple(conflicts), tuple(forced), tuple(unwritable)
    )


def _changes_for(
    root: Path, path: Path, pendings: list[_Pending]
) -> tuple[FileChange | None, list[_Pending], list[SyncConflict]]:
    """The change of one file with every record that can be written into it, and the
    records that cannot (each stays pending, with the reason)."""
    try:
        return _file_change(root, path, pendings), pendings, []
    except SyncError as e:
        if len(pendings) == 1:
            return None, [], [SyncConflict(pendings[0].target, _rel(root, path), "", e.message)]
    good: list[_Pending] = []
    bad: list[SyncConflict] = []
    for p in pendings:
        try:
            _file_change(root, path, [p])
            good.append(p)
        except SyncError as e:
            bad.append(SyncConflict(p.target, _rel(root, path), "", e.message))
    if not good:
        return None, [], bad
    change, done, failed = _changes_for(root, path, good)
    return change, done, bad + failed


def _synced_before(db: EditorialDB, target: str, yaml_hash: str) -> bool:
    """True if the YAML holds a document a sync wrote for ``target`` since its last
    completed sync (an older version: the record was edited again while syncing), so
    the newer edit, made on top of it, is no conflict."""
    for a in db.audit_records(limit=50, target=target):  # newest first
        if a["action"] != "dataset.sync":
            continue
        if _edits.doc_hash(a["after"]) == yaml_hash:
            return True
        if not str(a["why"]).endswith(_STAYS_PENDING):
            return False
    return False


# --------------------------------------------------------------- the minimal edit


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000
    y.allow_unicode = True
    mapping, sequence, offset = indent
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def _dump(y: YAML, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def _noise(a: list[str], b: list[str]) -> int:
    """How many lines differ between two texts."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def _file_change(root: Path, path: Path, pendings: list[_Pending]) -> FileChange:
    """The new text of ``path`` with every pending record of it written in."""
    rel = _rel(root, path)
    old_text = path.read_text("utf-8") if path.is_file() else None
    is_sources = pendings[0].kind == "source"
    if old_text is None:
        indent = (2, 2, 0) if is_sources else (2, 4, 2)
        y = _yaml(indent)
        data: Any = CommentedSeq() if is_sources else None
        expected: Any = [] if is_sources else None
        noop: list[str] = []
    else:
        try:
            data = _yaml(_INDENTS[0]).load(old_text)
        except RuamelError as e:
            raise SyncError(f"cannot read {rel}: {e}", hint="run `minilat validate`") from None
        expected = _plain(old_text)
        orig = old_text.splitlines(keepends=True)
        best: tuple[int, tuple[int, int, int], list[str]] | None = None
        for indent in _INDENTS:
            lines = _dump(_yaml(indent), data).splitlines(keepends=True)
            n = _noise(orig, lines)
            if best is None or n < best[0]:
                best = (n, indent, lines)
            if n == 0:
                break
        assert best is not None
        y, noop = _yaml(best[1]), best[2]
    for p in pendings:
        if is_sources:
            data, expected = _put_source(data, expected, p)
        else:  # the document of the text just read (the YAML read earlier may be older)
            data = _patch_value(data, expected, p.after)
            expected = p.after
    changed = _dump(y, data)
    candidates = [changed]
    if old_text is not None:
        spliced = _splice(old_text.splitlines(keepends=True), noop, changed.splitlines(True))
        if spliced is not None:
            candidates.insert(0, spliced)
    for text in candidates:
        try:
            ok = _edits.doc_hash(_plain(text)) == _edits.doc_hash(expected)
        except yaml.YAMLError:
            ok = False
        if ok:
            return FileChange(
                rel, old_text, text, tuple(p.target for p in pendings), _diff(rel, old_text, text)
            )
    raise SyncError(
        f"cannot write {', '.join(p.target for p in pendings)} into {rel} faithfully"
        " (the file read back would differ from the edited document)",
        hint="edit the YAML file by hand from the document the editors' API shows",
    )


def _diff(rel: str, old: str | None, new: str) -> str:
    a = old.splitlines(keepends=True) if old is not None else []
    b = new.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, f"a/{rel}" if old is not None else "/dev/null", f"b/{rel}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _put_source(data: Any, expected: Any, p: _Pending) -> tuple[Any, Any]:
    """The sources list ``data`` with source ``p`` replaced or appended."""
    if not isinstance(data, CommentedSeq) or not isinstance(expected, list):
        raise SyncError(f"the sources file for {p.target} is not a list")
    expected = list(expected)
    for i, doc in enumerate(expected):
        if isinstance(doc, dict) and str(doc.get("id")) == p.ident:
            data[i] = _patch_value(data[i], doc, p.after)
            expected[i] = p.after
            return data, expected
    sample = data[-1] if len(data) else None
    data.append(_build(p.after, sample))
    expected.append(p.after)
    return data, expected


def _patch_value(node: Any, old: Any, new: Any, key: str | None = None) -> Any:
    """``node`` (ruamel's, holding ``old``) changed to hold ``new``, in place if it can."""
    if isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        _patch_map(node, old, new)
        return node
    if isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list):
        _patch_seq(node, old, new, key)
        return node
    return _build(new, node, key)


def _patch_map(node: CommentedMap, old: dict[str, Any], new: dict[str, Any]) -> None:
    for k in [k for k in old if k not in new]:
        if k in node:
            del node[k]
    prev: str | None = None
    for k, v in new.items():
        if k in old and k in node:
            if _canon(old[k]) != _canon(v):
                node[k] = _patch_value(node[k], old[k], v, k)
        else:
            keys = list(node.keys())
            pos = keys.index(prev) + 1 if prev is not None and prev in keys else 0
            node.insert(pos, k, _build(v, None, k))
        prev = k


def _patch_seq(node: CommentedSeq, old: list[Any], new: list[Any], key: str | None) -> None:
    ops = difflib.SequenceMatcher(
        None, [_canon(x) for x in old], [_canon(x) for x in new], autojunk=False
    ).get_opcodes()
    sample = node[0] if len(node) else None
    item_key = "_flow_item" if key in _FLOW_ITEM_LISTS else None
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):  # change the items in place, pairwise
            node[i1 + k] = _patch_value(node[i1 + k], old[i1 + k], new[j1 + k])
        for k in reversed(range(i1 + paired, i2)):
            del node[k]
        for k in range(paired, j2 - j1):
            node.insert(i1 + k, _build(new[j1 + k], sample, item_key))


def _needs_quotes(text: str) -> bool:
    """True if YAML (1.1, as the loader reads it) would not read ``text`` back as text."""
    if not text or text != text.strip() or "\n" in text or _DATE_LIKE.fullmatch(text):
        return True
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return bool(tag != _STR_TAG)


def _build(value: Any, sample: Any, key: str | None = None) -> Any:
    """A ruamel node for ``value``, in the style of ``sample`` (a node it replaces or a
    sibling) if given: flow or block, the quoting of strings."""
    if isinstance(value, dict):
        cm = CommentedMap()
        for k, v in value.items():
            child = sample.get(k) if isinstance(sample, CommentedMap) else None
            cm[k] = _build(v, child, k)
        if isinstance(sample, CommentedMap):
            flow = bool(sample.fa.flow_style())
        else:
            flow = key == "_flow_item"
        if flow:
            cm.fa.set_flow_style()
        else:
            cm.fa.set_block_style()
        return cm
    if isinstance(value, list):
        cs = CommentedSeq()
        item_sample = sample[0] if isinstance(sample, CommentedSeq) and len(sample) else None
        item_key = "_flow_item" if key in _FLOW_ITEM_LISTS else None
        for v in value:
            cs.append(_build(v, item_sample, item_key))
        if isinstance(sample, CommentedSeq):
            flow = bool(sample.fa.flow_style())
        else:
            flow = all(not isinstance(v, dict | list) for v in value)
        if flow:
            cs.fa.set_flow_style()
        else:
            cs.fa.set_block_style()
        return cs
    if isinstance(value, str):
        if isinstance(sample, LiteralScalarString) and value.strip():
            return LiteralScalarString(value)
        if isinstance(sample, FoldedScalarString) and value.strip() and "\n" not in value:
            return FoldedScalarString(value)
        if isinstance(sample, SingleQuotedScalarString) and "\n" not in value:
            return SingleQuotedScalarString(value)
        if isinstance(sample, DoubleQuotedScalarString) or _needs_quotes(value):
            return DoubleQuotedScalarString(value)
        return value
    return value


def _splice(orig: list[str], noop: list[str], changed: list[str]) -> str | None:
    """``orig`` with the changes between ``noop`` (ruamel's rendering of ``orig``) and
    ``changed`` (its rendering after the edit) applied, leaving lines that ruamel
    reformats but the edit does not touch as they were in ``orig`` (None if it cannot).

    >>> _splice(["a: 1\\n", "b:  2\\n"], ["a: 1\\n", "b: 2\\n"], ["a: 3\\n", "b: 2\\n"])
    'a: 3\\nb:  2\\n'
    """
    aligned = [
        (i1, j1, j2)
        for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(
            None, orig, noop, autojunk=False
        ).get_opcodes()
        if tag == "equal"
    ]

    def clean(i: int, left: bool = True) -> int | None:
        """The line of orig matching noop's boundary i, if it is not inside reformatted
        lines; where orig has lines noop lacks, a hunk's left boundary takes the last
        candidate and its right boundary the first, so those lines are kept."""
        found = [i1 + i - j1 for i1, j1, j2 in aligned if j1 <= i <= j2]
        if i == 0:
            found.append(0)
        if i == len(noop):
            found.append(len(orig))
        if not found:
            return None
        return max(found) if left else min(found)

    ops = difflib.SequenceMatcher(None, noop, changed, autojunk=False).get_opcodes()
    spans: list[list[int]] = []
    for tag, i1, i2, _j1, _j2 in ops:
        if tag == "equal":
            continue
        a, b = i1, i2
        while clean(a) is None:
            a -= 1
        while clean(b, left=False) is None:
            b += 1
        while spans and a <= spans[-1][1]:  # touches the previous span: one span
            prev = spans.pop()
            a, b = min(a, prev[0]), max(b, prev[1])
        spans.append([a, b])

    def j_of(i: int, left: bool) -> int | None:
        if left and i == 0:
            return 0
        if not left and i == len(noop):
            return len(changed)
        for tag, i1, i2, j1, _j2 in ops:
            if tag == "equal" and (i1 < i <= i2 if left else i1 <= i < i2):
                return j1 + i - i1
        return None

    out: list[str] = []
    at = 0
    for a, b in spans:
        o1, o2, c1, c2 = clean(a), clean(b, left=False), j_of(a, True), j_of(b, False)
        if o1 is None or o2 is None or c1 is None or c2 is None:
            return None
        out.extend(orig[at:o1])
        out.extend(changed[c1:c2])
        at = o2
    out.extend(orig[at:])
    return "".join(out)


# ------------------------------------------------------------------------- apply


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _restore(root: Path, done: list[FileChange]) -> None:
    for change in reversed(done):
        path = root / change.path
        if change.old_text is None:
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            _write_atomic(path, change.old_text)


def apply(
    p: Plan,
    db: EditorialDB,
    *,
    editor: str = DEFAULT_EDITOR,
    validate: Callable[[Path], list[Problem]] | None = None,
) -> Applied:
    """Write the files of plan ``p``, check the data folder and mark the records synced.

    Each file is written atomically. If a file changed since the plan, SyncError and
    nothing is written. If the folder does not validate afterwards, every written file is
    put back and SyncInvalid names the problems. A record an editor changed after the plan
    stays pending (``changed_meanwhile``); the next sync writes its newer document.
    """
    root = p.root
    for change in p.files:
        path = root / change.path
        now = path.read_text("utf-8") if path.is_file() else None
        if now != change.old_text:
            raise SyncError(
                f"{change.path} changed since the sync was planned; nothing was written",
                hint="run `minilat dataset sync` again",
            )
    done: list[FileChange] = []
    try:
        for change in p.files:
            _write_atomic(root / change.path, change.new_text)
            done.append(change)
    except OSError as e:
        _restore(root, done)
        raise SyncError(f"cannot write {root}: {e}; every file was put back") from None
    if p.files:
        check = validate or _dataset.validate
        problems = check(root)
        if problems:
            _restore(root, done)
            raise SyncInvalid(problems, before=bool(check(root)))
    synced: list[str] = []
    meanwhile: list[str] = []
    audit_ids: list[int] = []
    for item in p.items:
        try:
            audit = db.change_record(item.target, _marker(item, editor))
        except ChangedMeanwhile:  # pragma: no cover - records are never deleted
            meanwhile.append(item.target)
            continue
        audit_ids.append(int(audit["id"]))
        row = db.record(item.target)
        if row is not None and row["synced"]:
            synced.append(item.target)
        else:
            meanwhile.append(item.target)
    return Applied(tuple(c.path for c in done), tuple(synced), tuple(meanwhile), tuple(audit_ids))


def _marker(
    item: Item, editor: str
) -> Callable[[dict[str, Any] | None], tuple[dict[str, Any], dict[str, Any]]]:
    def decide(row: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
        if row is None:  # pragma: no cover - records are never deleted
            raise ChangedMeanwhile(f"{item.target} is no longer in the editorial database")
        newer = row["doc_hash"] != item.doc_hash
        new = {
            "version": row["version"],
            "doc": row["doc"],
            "doc_hash": row["doc_hash"],
            "base_hash": row["base_hash"],
            "synced": not newer,
        }
        if item.already:
            why = f"found already in {item.path}"
        elif newer:
            why = f"written to {item.path}{_STAYS_PENDING}"
        else:
            why = f"written to {item.path}"
        audit = {
            "editor": editor,
            "action": "dataset.sync",
            "before": item.before,
            "after": item.after,
            "why": why,
        }
        return new, audit

    return decide
