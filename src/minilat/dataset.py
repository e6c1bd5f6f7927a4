"""Load and validate the curated YAML dataset.

:func:`load` reads a data folder (the bundled one by default) and returns a
:class:`Dataset`, or raises :class:`~minilat.errors.DatasetInvalid` listing every problem
at once. :func:`validate` returns the problems without raising. Each problem names its
place as ``file:line: field: what is wrong``; malformed YAML is a problem like any other.

>>> ds = load()
>>> ds.grouping("quad").name
'Quadrilateral Security Dialogue'
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from minilat import countries
from minilat.errors import DatasetInvalid, NotFound, Problem, did_you_mean
from minilat.memo import Memo
from minilat.model import (
    CapabilityTable,
    Commitment,
    Evidenced,
    Grouping,
    Measure,
    Participant,
    ParticipantKind,
    Source,
)

__all__ = [
    "AS_OF_MIN",
    "AS_OF_YEARS_AHEAD",
    "SUBDIRS",
    "WARNING_KINDS",
    "YAML_SUFFIXES",
    "Dataset",
    "as_of_range",
    "bundled_data_dir",
    "check",
    "check_grouping",
    "check_source",
    "data_files",
    "document_text",
    "fingerprint",
    "load",
    "parse_as_of",
    "parse_day",
    "parse_document",
    "source_warnings",
    "strict_failures",
    "validate",
    "warning_kind",
]

#: The subfolders of a data folder, one kind of document each.
SUBDIRS = ("groupings", "sources", "participants", "capabilities", "indicators")


def bundled_data_dir() -> Path:
    """The folder of the dataset shipped inside the package."""
    return Path(str(resources.files("minilat") / "data"))


@dataclass(frozen=True)
class Dataset:
    """The whole validated dataset, in memory."""

    groupings: Mapping[str, Grouping]
    participants: Mapping[str, Participant]
    sources: Mapping[str, Source]
    capabilities: Mapping[str, CapabilityTable] = field(default_factory=dict)
    indicators: Mapping[str, CapabilityTable] = field(default_factory=dict)
    #: Analyses of this dataset, each computed once (see :mod:`minilat.memo`); a copy
    #: made with ``dataclasses.replace`` starts with an empty one.
    memo: Memo = field(default_factory=Memo, init=False, compare=False, repr=False)

    def grouping(self, gid: str) -> Grouping:
        """The grouping named ``gid``: its id, or (any case) a name, acronym, alias or
        former name, an acronym given in brackets in one (``G8`` in "Group of Eight
        (G8)"), or text found in the names of exactly one grouping; NotFound otherwise,
        with the closest names as a hint.

        >>> ds = load()
        >>> ds.grouping("G8").id, ds.grouping("AI Safety Institutes").id
        ('g7', 'aisi_network')
        """
        if gid in self.groupings:
            return self.groupings[gid]
        low = " ".join(gid.lower().split())
        names = self._names()
        exact = {g for name, g in names if name == low}
        if len(exact) == 1:
            return self.groupings[exact.pop()]
        within = exact if exact else {g for name, g in names if low and low in name}
        if len(within) == 1:
            return self.groupings[within.pop()]
        if within:
            raise NotFound(
                f"{gid!r} names more than one grouping",
                hint="give one of their ids: " + ", ".join(sorted(within)),
            )
        by_name = {name: g for name, g in names}
        close = difflib.get_close_matches(low, list(by_name), n=6, cutoff=0.6)
        ids = list(dict.fromkeys(by_name[c] for c in close))[:3]
        raise NotFound(
            f"unknown grouping {gid!r}",
            hint=f"did you mean {', '.join(ids)}?" if ids else "list them with `minilat groupings`",
        )

    def _names(self) -> list[tuple[str, str]]:
        """Every name a grouping goes by, lower-cased, with its id (once per dataset)."""
        return self.memo.get(("dataset.names",), self._collect_names)

    def _collect_names(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for g in self.groupings.values():
            for name in (g.id, *g.all_names()):
                out.append((" ".join(name.lower().split()), g.id))
                out += [(a.lower(), g.id) for a in re.findall(r"\(([^()]{1,20})\)", name)]
        return out

    def participant(self, pid: str) -> Participant:
        """A state (ISO3) or a non-state participant by id."""
        if pid in self.participants:
            return self.participants[pid]
        if countries.is_state_code(pid):
            return countries.state(pid)
        raise NotFound(
            f"unknown participant {pid!r}",
            hint=did_you_mean(pid, [*self.participants, *self.states()]),
        )

    def resolve_participant(self, text: str) -> str:
        """A participant id, or an ISO3 code from a code (any case) or a country name.

        >>> ds = load()
        >>> ds.resolve_participant("Estonia"), ds.resolve_participant("UK")
        ('EST', 'GBR')
        >>> ds.resolve_participant("European Union"), ds.resolve_participant("EU")
        ('eu', 'eu')
        """
        t = " ".join(text.strip().split())
        if t in self.participants:
            return t
        low = t.lower()
        for p in self.participants.values():  # a non-state by id or name, in any case
            if low in (p.id.lower(), p.name.lower()):
                return p.id
        return countries.resolve_state(t)

    def is_state(self, pid: str) -> bool:
        """True if ``pid`` is a sovereign state: an ISO 3166-1 code that ``participants/``
        does not list as something else (a dependent territory such as ``FRO``).

        Every count of states goes through this (or ``participant(pid).is_state``), never
        through the ISO code alone.

        >>> ds = load()
        >>> ds.is_state("DNK"), ds.is_state("FRO"), ds.is_state("eu")
        (True, False, False)
        """
        if pid in self.participants:
            return self.participants[pid].is_state
        return countries.is_state_code(pid)

    def states(self) -> set[str]:
        """ISO3 codes of every state that appears in some grouping."""
        return {
            m.participant
            for g in self.groupings.values()
            for m in g.memberships
            if self.is_state(m.participant)
        }

    def source(self, sid: str) -> Source:
        try:
            return self.sources[sid]
        except KeyError:
            raise NotFound(f"unknown source {sid!r}") from None

    def indicator(self, tid: str) -> CapabilityTable | None:
        """A per-country indicator table (e.g. trade dependence), None if not curated."""
        return self.indicators.get(tid)

    def capability(self, tid: str) -> CapabilityTable:
        try:
            return self.capabilities[tid]
        except KeyError:
            raise NotFound(
                f"unknown capability table {tid!r}",
                hint=did_you_mean(tid, self.capabilities) or "list them with `minilat tables`",
            ) from None


# ------------------------------------------------------------------ YAML with lines


class _Located:
    """A YAML document as plain Python plus the line of every path in it."""

    def __init__(self, data: Any, lines: dict[tuple[Any, ...], int]) -> None:
        self.data = data
        self.lines = lines

    def line(self, path: tuple[Any, ...]) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


class _YamlProblem(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


_NULL = "tag:yaml.org,2002:null"
# libyaml's parser when the platform has it (ten times faster); the same nodes and marks.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str) -> _Located:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise _YamlProblem(line, "(yaml)", f"malformed YAML: {e.problem or e}") from None
    except yaml.YAMLError as e:  # unmarked: a control character (the reader's error)
        raise _YamlProblem(1, "(yaml)", f"malformed YAML: {e}") from None
    except UnicodeEncodeError as e:  # a lone surrogate in a text given, not read from a file
        raise _YamlProblem(1, "(yaml)", f"malformed YAML: {e.reason}") from None
    lines: dict[tuple[Any, ...], int] = {}

    def convert(node: yaml.Node | None, path: tuple[Any, ...]) -> Any:
        if node is None:
            return None
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise _YamlProblem(k.start_mark.line + 1, _fmt(path), "keys must be plain")
                key = str(k.value)
                if key in out:
                    raise _YamlProblem(
                        k.start_mark.line + 1, _fmt((*path, key)), "key appears twice"
                    )
                lines[(*path, key)] = k.start_mark.line + 1
                out[key] = convert(v, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(v, (*path, i)) for i, v in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _NULL and not node.style:  # plain null, ~ or empty (not "null")
            return None
        return node.value  # every scalar stays text; the models coerce it

    return _Located(convert(root, ()), lines)


def _fmt(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"


# ------------------------------------------------------------------------ loading


@dataclass
class _Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    #: where each source was read: id -> (file, line)
    source_at: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: every fact of every valid grouping: (grouping id, field, sources, file, line)
    facts: list[tuple[str, str, tuple[str, ...], str, int]] = field(default_factory=list)

    def shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def add(self, path: Path, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(self.shown(path), line, fld, message))


def _error_message(err: Any) -> str:
    kind = err.get("type", "")
    given = err.get("input")
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(given), [c for c in choices if c])
        return f"unknown value {given!r}" + (f"; {hint}" if hint else f"; expected {expected}")
    if kind == "extra_forbidden":
        return "unknown field (see docs/data.md for the schema)"
    if kind == "missing":
        return "required field is missing"
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def _validated(
    model: type[BaseModel],
    doc: _Located,
    item: Any,
    base: tuple[Any, ...],
    col: _Collector,
    path: Path,
) -> Any:
    try:
        return model.model_validate(item)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in str(p))
            full = (*base, *loc)
            col.add(path, doc.line(full), _fmt(full), _error_message(err))
        return None


#: The suffixes of a data file. One rule everywhere (loader, editors' base, sync, the
#: web's change detection): both are read, and a new file is written as ``.yaml``.
YAML_SUFFIXES = (".yaml", ".yml")


def data_files(root: Path, sub: str) -> list[Path]:
    """The YAML files of folder ``sub`` of the data folder ``root`` (``.yaml`` and
    ``.yml``), sorted; empty if the folder does not exist."""
    d = root / sub
    return sorted(p for p in d.iterdir() if p.suffix in YAML_SUFFIXES) if d.is_dir() else []


_files = data_files


def _read(path: Path, col: _Collector) -> _Located | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        col.add(path, 1, "(file)", f"cannot read: {e}")
        return None
    try:
        return _read_yaml(text)
    except _YamlProblem as p:
        col.add(path, p.line, p.field, p.message)
        return None


def _read_list(
    root: Path, sub: str, model: type[BaseModel], col: _Collector
) -> Iterator[tuple[Any, Path, _Located, tuple[Any, ...]]]:
    for path in _files(root, sub):
        doc = _read(path, col)
        if doc is None:
            continue
        if doc.data is None:
            continue
        if not isinstance(doc.data, list):
            col.add(path, 1, "(document)", f"must be a list of {sub}")
            continue
        for i, item in enumerate(doc.data):
            obj = _validated(model, doc, item, (i,), col, path)
            if obj is not None:
                yield obj, path, doc, (i,)


def fingerprint(root: Path | None = None) -> str:
    """A hash of every data file's name and content: it changes when the dataset does."""
    root = root or bundled_data_dir()
    h = hashlib.sha256()
    for sub in SUBDIRS:
        for path in _files(root, sub):
            h.update(f"{sub}/{path.name}\0".encode())
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"unreadable")
    return h.hexdigest()


def _evidence(obj: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Evidenced]]:
    """Every fact-bearing object inside a model, with its path."""
    if isinstance(obj, Evidenced):
        yield path, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _evidence(getattr(obj, name), (*path, name))
    elif isinstance(obj, tuple):
        for i, x in enumerate(obj):
            yield from _evidence(x, (*path, i))


_DEFAULTED = (
    "instrument",
    "secretariat",
    "legal_personality",
    "accession",
    "website",
    "cadence",
    "themes",
)


def _check_evidence(
    g: Grouping,
    raw: dict[str, Any],
    doc: _Located,
    sources: Mapping[str, Source],
    col: _Collector,
    path: Path,
) -> None:
    for p, ev in _evidence(g, ()):
        if p and p[0] in _DEFAULTED and p[0] not in raw:
            continue  # left out entirely: "unknown", reported as missing by the analyses
        where = _fmt(p)
        for s in ev.sources:
            if s not in sources:
                hint = did_you_mean(s, sources)
                col.add(
                    path,
                    doc.line((*p, "sources")),
                    f"{where}.sources",
                    f"source {s!r} does not exist" + (f"; {hint}" if hint else ""),
                )
        if not ev.sources and not ev.unverified and not isinstance(ev, Commitment):
            col.add(
                path,
                doc.line(p),
                where,
                "fact without a source: cite one in `sources` or mark `unverified: true`",
            )
        if ev.unverified and not ev.note:
            col.add(
                path,
                doc.line(p),
                where,
                "`unverified: true` needs a `note` saying what is uncertain",
            )


def _check_grouping(
    g: Grouping,
    raw: dict[str, Any],
    doc: _Located,
    path: Path,
    known: set[str],
    sources: Mapping[str, Source],
    col: _Collector,
) -> None:
    if g.id != path.stem:
        col.add(
            path, doc.line(("id",)), "id", f"id {g.id!r} must match the file name {path.stem!r}"
        )
    _check_evidence(g, raw, doc, sources, col, path)
    _check_life(g, doc, path, sources, col)
    _check_prose(raw, doc, path, col)
    for i, p in enumerate(g.periods):
        if p.end is not None and p.end.first_day() <= p.start.first_day():
            col.add(
                path,
                doc.line(("periods", i, "end")),
                f"periods[{i}].end",
                f"end {p.end} is not after start {p.start}",
            )
    founded = g.founded.first_day()
    ended = g.ended.first_day() if g.ended else None
    by_participant: dict[str, list[tuple[int, Any]]] = {}
    for i, m in enumerate(g.memberships):
        base = ("memberships", i)
        if m.participant not in known and not countries.is_state_code(m.participant):
            hint = did_you_mean(m.participant, known | countries.codes())
            col.add(
                path,
                doc.line((*base, "participant")),
                _fmt((*base, "participant")),
                f"unknown participant {m.participant!r}"
                + (
                    f"; {hint}" if hint else " (use an ISO 3166-1 alpha-3 code or a participant id)"
                ),
            )
        start = m.start.first_day()
        if m.end is not None and m.end.first_day() <= start:
            col.add(
                path,
                doc.line((*base, "end")),
                _fmt((*base, "end")),
                f"end {m.end} is not after start {m.start}",
            )
        if start < founded:
            col.add(
                path,
                doc.line((*base, "start")),
                _fmt((*base, "start")),
                f"starts {m.start}, before the grouping was founded ({g.founded})",
            )
        elif ended is not None and start >= ended:
            col.add(
                path,
                doc.line((*base, "start")),
                _fmt((*base, "start")),
                f"starts {m.start}, after the grouping ended ({g.ended})",
            )
        for j, other in by_participant.get(m.participant, []):
            if m.overlaps(other):
                col.add(
                    path,
                    doc.line((*base, "start")),
                    _fmt((*base, "start")),
                    f"{m.participant}'s interval {m.start}–{m.end or 'open'} overlaps "
                    f"memberships[{j}] ({other.start}–{other.end or 'open'})",
                )
        by_participant.setdefault(m.participant, []).append((i, m))


def _field_names() -> frozenset[str]:
    """Every field name of the record's schema that is more than one word (member_count,
    legal_personality, ...): prose that names one in parentheses shows readers a field,
    not words."""
    import minilat.model as model

    return frozenset(
        name
        for obj in vars(model).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel)
        for name in obj.model_fields
        if "_" in name
    )


_FIELD_IN_PROSE = re.compile(r"\(([a-z]+(?:_[a-z]+)+)\)")


def _check_prose(
    raw: Any, doc: _Located, path: Path, col: _Collector, at: tuple[Any, ...] = ()
) -> None:
    """Notes and other free text never name a schema field in parentheses ("the head-count
    of participants (member_count)"): every face prints them as they are, so a reader
    would see the field's name where words belong."""
    if isinstance(raw, dict):
        for k, v in raw.items():
            _check_prose(v, doc, path, col, (*at, k))
    elif isinstance(raw, list):
        for i, v in enumerate(raw):
            _check_prose(v, doc, path, col, (*at, i))
    elif isinstance(raw, str) and " " in raw:
        for m in _FIELD_IN_PROSE.finditer(raw):
            if m.group(1) in _field_names():
                col.add(
                    path,
                    doc.line(at),
                    _fmt(at),
                    f"names the field {m.group(1)} in parentheses, which every face prints "
                    "as it is: say it in words (e.g. 'the published head-count')",
                )


def _check_life(
    g: Grouping,
    doc: _Located,
    path: Path,
    sources: Mapping[str, Source],
    col: _Collector,
) -> None:
    """Commitments, their statuses and the activity searches (see docs/data.md)."""

    def add(where: tuple[Any, ...], message: str) -> None:
        col.add(path, doc.line(where), _fmt(where), message)

    ids = {c.id for c in g.commitments}
    seen: set[str] = set()
    for i, c in enumerate(g.commitments):
        base = ("commitments", i)
        if c.id in seen:
            add((*base, "id"), f"commitment id {c.id!r} appears twice in this grouping")
        seen.add(c.id)
        if not c.sources:
            add(base, "commitment without a source: cite where it was made in `sources`")
        made = c.made.first_day()
        # a target is a deadline: "2025" means by 31 December 2025 (Commitment.due)
        if c.due is not None and c.due < made:
            add((*base, "target"), f"target {c.target} is before the commitment's date {c.made}")
        if c.superseded_by is not None and (c.superseded_by not in ids or c.superseded_by == c.id):
            hint = did_you_mean(c.superseded_by, ids - {c.id})
            add(
                (*base, "superseded_by"),
                f"no other commitment {c.superseded_by!r} in this grouping"
                + (f"; {hint}" if hint else ""),
            )
        previous = None
        for j, a in enumerate(c.status):
            where = (*base, "status", j)
            if not a.sources:
                add(where, "status without evidence: cite the sources that show it in `sources`")
            for s in a.sources:
                if s not in sources:
                    hint = did_you_mean(s, sources)
                    add(
                        (*where, "sources"),
                        f"source {s!r} does not exist" + (f"; {hint}" if hint else ""),
                    )
            if a.date.first_day() < made:
                add((*where, "date"), f"status dated {a.date}, before the commitment ({c.made})")
            if previous is not None and a.date < previous:
                add((*where, "date"), f"statuses must be in date order ({a.date} after {previous})")
            previous = a.date
            if a.status.value == "not_delivered":
                due = c.due
                if due is None:
                    add(
                        (*where, "status"),
                        "not_delivered means not delivered by its deadline: give the "
                        "commitment a `target`",
                    )
                elif a.date.first_day() <= due:
                    add(
                        (*where, "status"),
                        f"not_delivered dated {a.date}, before the deadline {c.target} has passed",
                    )
    for i, search in enumerate(g.activity_searches):
        at = ("activity_searches", i)
        if search.since.first_day() > search.date:
            add(
                (*at, "since"),
                f"searched from {search.since}, after the search itself ({search.date})",
            )


def _check_raw_references(
    doc: _Located, path: Path, known: set[str], sources: Mapping[str, Source], col: _Collector
) -> None:
    """Unknown source ids and participants in a document that failed the schema."""

    def walk(x: Any, where: tuple[Any, ...]) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "sources" and isinstance(v, list):
                    for i, s in enumerate(v):
                        if isinstance(s, str) and s not in sources:
                            hint = did_you_mean(s, sources)
                            col.add(
                                path,
                                doc.line((*where, k, i)),
                                _fmt((*where, k)),
                                f"source {s!r} does not exist" + (f"; {hint}" if hint else ""),
                            )
                elif (
                    k == "participant"
                    and isinstance(v, str)
                    and where[:1] == ("memberships",)
                    and v not in known
                    and not countries.is_state_code(v)
                ):
                    col.add(
                        path, doc.line((*where, k)), _fmt((*where, k)), f"unknown participant {v!r}"
                    )
                else:
                    walk(v, (*where, k))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, (*where, i))

    walk(doc.data, ())


def _check_capability(
    t: CapabilityTable,
    doc: _Located,
    path: Path,
    known: set[str],
    sources: Mapping[str, Source],
    col: _Collector,
) -> None:
    if t.id != path.stem:
        col.add(
            path, doc.line(("id",)), "id", f"id {t.id!r} must match the file name {path.stem!r}"
        )
    for s in t.sources:
        if s not in sources:
            col.add(path, doc.line(("sources",)), "sources", f"source {s!r} does not exist")
    seen: dict[str, int] = {}
    for i, r in enumerate(t.rows):
        for s in r.sources:
            if s not in sources:
                col.add(
                    path,
                    doc.line(("rows", i, "sources")),
                    _fmt(("rows", i, "sources")),
                    f"source {s!r} does not exist",
                )
        where = ("rows", i, "participant")
        if r.participant in seen:
            col.add(
                path,
                doc.line(where),
                _fmt(where),
                f"{r.participant} appears twice (also rows[{seen[r.participant]}])",
            )
        seen[r.participant] = i
        if (
            not r.is_region
            and r.participant not in known
            and not countries.is_state_code(r.participant)
        ):
            hint = did_you_mean(r.participant, countries.codes())
            col.add(
                path,
                doc.line(where),
                _fmt(where),
                f"unknown participant {r.participant!r}"
                + (f"; {hint}" if hint else " (use ISO3, a participant id or region:<slug>)"),
            )
        if r.unverified and not r.note:
            col.add(
                path,
                doc.line(("rows", i)),
                _fmt(("rows", i)),
                "`unverified: true` needs a `note` saying what is uncertain",
            )


def _collect(root: Path) -> tuple[Dataset, list[Problem]]:
    return _collect_into(_Collector(root))


def _collect_into(col: _Collector) -> tuple[Dataset, list[Problem]]:
    """Read and check every file under ``col.root``, in dependency order: sources, then
    participants (which cite sources), then groupings (which cite both), then tables."""
    root = col.root
    if not root.is_dir():
        what = "is a file, not a data folder" if root.is_file() else "no such data folder"
        col.problems.append(Problem(str(root), 1, "(folder)", what))
        return Dataset({}, {}, {}), col.problems
    if not (root / "groupings").is_dir():
        col.add(root, 1, "(folder)", "no groupings/ folder: is this a minilat data folder?")
    sources = _collect_sources(col)
    participants = _collect_participants(col, sources)
    groupings = _collect_groupings(col, set(participants), sources)
    capabilities, indicators = _collect_tables(col, set(participants), sources)
    ds = Dataset(groupings, participants, sources, capabilities, indicators)
    return ds, sorted(col.problems)


def _collect_sources(col: _Collector) -> dict[str, Source]:
    """Every source of ``sources/``, keyed by id; duplicates reported."""
    sources: dict[str, Source] = {}
    for src, path, doc, base in _read_list(col.root, "sources", Source, col):
        if src.id in sources:
            col.add(
                path,
                doc.line((*base, "id")),
                _fmt((*base, "id")),
                f"duplicate source id {src.id!r}",
            )
        sources[src.id] = src
        col.source_at[src.id] = (col.shown(path), doc.line(base))
    return sources


def _collect_participants(col: _Collector, sources: dict[str, Source]) -> dict[str, Participant]:
    """Every non-state participant of ``participants/``, keyed by id; duplicates, state
    codes, unknown sources and unknown countries reported."""
    participants: dict[str, Participant] = {}
    for part, path, doc, base in _read_list(col.root, "participants", Participant, col):
        if part.id in participants:
            col.add(
                path,
                doc.line((*base, "id")),
                _fmt((*base, "id")),
                f"duplicate participant id {part.id!r}",
            )
        elif countries.is_state_code(part.id) and part.kind is not ParticipantKind.TERRITORY:
            col.add(
                path,
                doc.line((*base, "id")),
                _fmt((*base, "id")),
                f"{part.id!r} is a state code; states come from ISO 3166 and are not listed"
                " (a dependent territory with its own code is listed with kind: territory)",
            )
        if part.kind is ParticipantKind.TERRITORY and not part.country:
            col.add(
                path,
                doc.line((*base, "kind")),
                _fmt((*base, "country")),
                f"territory {part.id!r} needs country: the sovereign state it belongs to",
            )
        for s in part.sources:
            if s not in sources:
                col.add(
                    path,
                    doc.line((*base, "sources")),
                    _fmt((*base, "sources")),
                    f"source {s!r} does not exist",
                )
        if part.country and not countries.is_state_code(part.country):
            col.add(
                path,
                doc.line((*base, "country")),
                _fmt((*base, "country")),
                f"unknown country code {part.country!r}",
            )
        participants[part.id] = part
    return participants


def _collect_groupings(
    col: _Collector, known: set[str], sources: dict[str, Source]
) -> dict[str, Grouping]:
    """Every grouping of ``groupings/``, keyed by id, each checked against the known
    participants and sources; its sourced facts noted in ``col.facts``."""
    groupings: dict[str, Grouping] = {}
    for path in _files(col.root, "groupings"):
        gdoc = _read(path, col)
        if gdoc is None:
            continue
        doc = gdoc
        if not isinstance(doc.data, dict):
            col.add(path, 1, "(document)", "a grouping file must be a mapping (see docs/data.md)")
            continue
        g = _validated(Grouping, doc, doc.data, (), col, path)
        if g is None:
            # the schema failed: still name the dangling references, so that one run
            # lists every problem in the file, not just the first kind
            _check_raw_references(doc, path, known, sources, col)
            continue
        if g.id in groupings:
            col.add(path, doc.line(("id",)), "id", f"duplicate grouping id {g.id!r}")
            continue
        _check_grouping(g, doc.data, doc, path, known, sources, col)
        groupings[g.id] = g
        for p, ev in _evidence(g, ()):
            if ev.sources:
                col.facts.append((g.id, _fmt(p), ev.sources, col.shown(path), doc.line(p)))
    return groupings


def _collect_tables(
    col: _Collector, known: set[str], sources: dict[str, Source]
) -> tuple[dict[str, CapabilityTable], dict[str, CapabilityTable]]:
    """The capability tables of ``capabilities/`` and the ratio tables of
    ``indicators/``, each keyed by id; a table in the wrong folder for its measure is
    reported."""
    capabilities: dict[str, CapabilityTable] = {}
    indicators: dict[str, CapabilityTable] = {}
    for path in [*_files(col.root, "capabilities"), *_files(col.root, "indicators")]:
        is_indicator = path.parent.name == "indicators"
        cdoc = _read(path, col)
        if cdoc is None:
            continue
        doc = cdoc
        if not isinstance(doc.data, dict):
            col.add(path, 1, "(document)", "a capability table must be a mapping")
            continue
        t = _validated(CapabilityTable, doc, doc.data, (), col, path)
        if t is None:
            continue
        _check_capability(t, doc, path, known, sources, col)
        if is_indicator != (t.measure is Measure.RATIO):
            col.add(
                path,
                doc.line(("measure",)),
                "measure",
                "indicators/ tables must have measure: ratio; capabilities/ tables must not",
            )
        (indicators if is_indicator else capabilities)[t.id] = t
    return capabilities, indicators


# ------------------------------------------------------- one document at a time (edits)

#: The largest document an editor may send (bytes of YAML or JSON).
MAX_DOCUMENT = 256 * 1024


#: How deeply an editor's document may nest (the bundled files need 4 levels).
MAX_DEPTH = 32
#: Characters no text in the dataset may hold: C0 controls but tab, newline and return,
#: and lone surrogates (they cannot be stored as UTF-8 nor written in XML).
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def plain_document(data: Any, _where: str = "", _depth: int = 0) -> Any:
    """A YAML-loaded value as JSON-ready data: dates become ``YYYY-MM-DD`` text.

    BadInput, naming the place, for what JSON and the YAML files cannot hold: binary
    values, sets and other types, control characters, nesting deeper than
    :data:`MAX_DEPTH`.

    >>> plain_document({"start": _dt.date(2021, 3, 12), "n": [1, True, None]})
    {'start': '2021-03-12', 'n': [1, True, None]}
    >>> plain_document({"name": "a\x07b"})
    Traceback (most recent call last):
    ...
    minilat.errors.BadInput: name: control character U+0007 is not allowed in text
    """
    from minilat.errors import BadInput

    where = _where or "(document)"
    if _depth > MAX_DEPTH:
        raise BadInput(f"{where}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            key = str(plain_document(k, _where, _depth + 1))
            out[key] = plain_document(v, f"{_where}.{key}" if _where else key, _depth + 1)
        return out
    if isinstance(data, list | tuple):
        return [plain_document(v, f"{_where}[{i}]", _depth + 1) for i, v in enumerate(data)]
    if isinstance(data, _dt.datetime | _dt.date):
        return data.isoformat()
    if isinstance(data, str):
        bad = _BAD_TEXT.search(data)
        if bad:
            raise BadInput(
                f"{where}: control character U+{ord(bad.group()):04X} is not allowed in text"
            )
        return data
    if isinstance(data, float) and not math.isfinite(data):
        raise BadInput(f"{where}: {data} is not a number JSON can carry")
    if data is None or isinstance(data, bool | int | float):
        return data
    raise BadInput(f"{where}: a value of type {type(data).__name__} is not allowed here")


def parse_document(text: str, what: str = "the document") -> Any:
    r"""An editor's YAML (or JSON, which is YAML) as plain data, refusing what could hurt.

    BadInput, naming the line, for malformed YAML; for anchors and aliases (an alias
    can make a small text expand into an enormous document); for more than
    :data:`MAX_DOCUMENT` bytes.

    >>> parse_document("id: x\nstart: 2021-03-12")
    {'id': 'x', 'start': '2021-03-12'}
    >>> parse_document("a: &x [1]\nb: *x")
    Traceback (most recent call last):
    ...
    minilat.errors.BadInput: line 1: anchors and aliases (& and *) are not allowed in ...
    """
    from minilat.errors import BadInput

    if len(text.encode("utf-8", "replace")) > MAX_DOCUMENT:
        raise BadInput(f"{what} is too large: at most {MAX_DOCUMENT // 1024} KiB")
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise BadInput(
                    f"line {line}: anchors and aliases (& and *) are not allowed in {what}"
                )
        return plain_document(yaml.load(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise BadInput(f"line {line}: malformed YAML in {what}: {e.problem or e}") from None
    except (yaml.YAMLError, RecursionError) as e:
        raise BadInput(f"{what} cannot be read: {e}") from None
    except UnicodeEncodeError as e:  # a lone surrogate (JSON can carry one escaped)
        raise BadInput(f"{what} cannot be read: {e.reason}") from None


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def document_text(doc: Any) -> str:
    """A document as YAML text, in the key order given (what editors see and diff).

    >>> print(document_text({"id": "x", "start": "2021-03-12", "themes": ["ai"]}), end="")
    id: x
    start: '2021-03-12'
    themes:
    - ai
    """
    return yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100_000)


def _located(doc_or_text: Any) -> tuple[_Located | None, list[Problem], str]:
    text = doc_or_text if isinstance(doc_or_text, str) else document_text(doc_or_text)
    try:
        return _read_yaml(text), [], text
    except _YamlProblem as p:
        return None, [Problem("(document)", p.line, p.field, p.message)], text
    except RecursionError:
        return None, [Problem("(document)", 1, "(document)", "nested too deeply")], text


def _one(doc_or_text: Any, path: Path, what: str) -> tuple[_Located | None, _Collector]:
    """A single document read for checking: its located data (None if it cannot be
    checked further, the collector then saying why) and the collector of problems."""
    col = _Collector(Path("."))
    located, problems, _ = _located(doc_or_text)
    col.problems.extend(problems)
    if located is not None and not isinstance(located.data, dict):
        col.add(path, 1, "(document)", f"a {what} must be a mapping (see docs/data.md)")
        return None, col
    return located, col


def check_grouping(
    doc_or_text: Any, gid: str, ds: Dataset
) -> tuple[Grouping | None, list[Problem]]:
    """One grouping document (plain data or YAML text) checked as ``minilat validate``
    checks a file ``groupings/GID.yaml`` against ``ds``: the schema, every source and
    participant it names, its dates. The problems' lines are those of the YAML text."""
    path = Path("groupings") / f"{gid}.yaml"
    located, col = _one(doc_or_text, path, "grouping")
    if located is None:
        return None, col.problems
    g = _validated(Grouping, located, located.data, (), col, path)
    if g is None:
        _check_raw_references(located, path, set(ds.participants), ds.sources, col)
        return None, sorted(col.problems)
    _check_grouping(g, located.data, located, path, set(ds.participants), ds.sources, col)
    return (None if col.problems else g), sorted(col.problems)


def check_source(doc_or_text: Any, sid: str) -> tuple[Source | None, list[Problem]]:
    """One source document checked as an entry of ``sources/*.yaml``; its id must be
    ``sid``."""
    path = Path("sources") / f"{sid}"
    located, col = _one(doc_or_text, path, "source")
    if located is None:
        return None, col.problems
    src = _validated(Source, located, located.data, (), col, path)
    if src is not None and src.id != sid:
        col.add(path, located.line(("id",)), "id", f"id {src.id!r} must be {sid!r}")
        return None, col.problems
    return src, sorted(col.problems)


def validate(root: Path | None = None, *, strict: bool = False) -> list[Problem]:
    """Every problem in the dataset at ``root`` (the bundled one by default); with
    ``strict``, the :func:`strict_failures` among the :func:`source_warnings` too."""
    if not strict:
        return _collect(root or bundled_data_dir())[1]
    errors, warnings = check(root)
    return sorted([*errors, *strict_failures(warnings)])


#: How a warning about a copy that names its original begins (see :func:`source_warnings`).
NAMED_COPY = "copy of "


#: The kinds of sourcing warning, in the order ``minilat validate`` shows them: each kind
#: with what one warning of it is, in the singular and the plural.
WARNING_KINDS: dict[str, tuple[str, str]] = {
    "unnamed_copy": (
        "source that is a copy and names no original",
        "sources that are copies and name no original",
    ),
    "copy_share": ("share of copies above the limit", "shares of copies above the limit"),
    "wiki_only": ("fact only a wiki supports", "facts only a wiki supports"),
    "named_copy": (
        "source that is a copy and names its original (copy_of)",
        "sources that are copies and name their original (copy_of)",
    ),
}


def warning_kind(w: Problem) -> str:
    """The kind of a sourcing warning of :func:`source_warnings` (a key of
    :data:`WARNING_KINDS`), read from where it is and what it says."""
    if w.field == "sources":
        return "copy_share"
    if w.field.startswith("source "):
        return "named_copy" if w.message.startswith(NAMED_COPY) else "unnamed_copy"
    return "wiki_only"


def strict_failures(warnings: list[Problem]) -> list[Problem]:
    """The sourcing warnings that ``--strict`` turns into errors: every one except a copy
    that names its original (``copy_of``). A named copy is allowed, as long as copies stay
    within :data:`minilat.provenance.COPY_SHARE_LIMIT` of all sources; above it, a warning
    on ``sources`` says so, and that one fails too."""
    return [w for w in warnings if not w.message.startswith(NAMED_COPY)]


def check(root: Path | None = None) -> tuple[list[Problem], list[Problem]]:
    """The problems (errors) and the sourcing warnings of the dataset at ``root``."""
    col = _Collector(root or bundled_data_dir())
    ds, problems = _collect_into(col)
    return problems, _source_warnings(ds, col)


def source_warnings(root: Path | None = None) -> list[Problem]:
    """What the sourcing rule discourages but does not forbid, one line each:

    * a source that is a copy (``copy_of`` set, or a known mirror's address);
      one that does not name its original says so;
    * copies above :data:`minilat.provenance.COPY_SHARE_LIMIT` of all sources (one line,
      on ``sources``);
    * a fact whose only sources are wikis.

    ``minilat validate`` prints them as warnings with their counts; ``--strict`` makes
    them errors. See :mod:`minilat.provenance` for how an address is classified.
    """
    return check(root)[1]


def _source_warnings(ds: Dataset, col: _Collector) -> list[Problem]:
    from minilat import provenance

    rep = provenance.report(
        {s.id: (s.url, s.copy_of.url if s.copy_of else None) for s in ds.sources.values()},
        ((gid, where, sids) for gid, where, sids, _, _ in col.facts),
    )
    out: list[Problem] = []
    unnamed = set(rep.unnamed_copies)
    for sid in rep.copies:
        file, line = col.source_at.get(sid, ("sources", 1))
        src = ds.sources[sid]
        if sid in unnamed:
            msg = (
                f"copy: {src.url} is a mirror or republication and names no original; "
                "cite the original publisher's page, or add `copy_of` (url, reason)"
            )
        else:
            assert src.copy_of is not None
            msg = f"{NAMED_COPY}{src.copy_of.url} ({src.copy_of.reason})"
        out.append(Problem(file, line, f"source {sid}", msg))
    if rep.too_many_copies:
        out.append(
            Problem(
                "sources",
                1,
                "sources",
                f"{len(rep.copies)} of {rep.total} sources are copies "
                f"({rep.copy_share:.1%}), above the {provenance.COPY_SHARE_LIMIT:.0%} allowed; "
                "cite original publishers' pages instead",
            )
        )
    wiki_only = set(rep.wiki_only)
    for gid, where, sids, file, line in col.facts:
        if (gid, where) in wiki_only:
            out.append(
                Problem(
                    file,
                    line,
                    where,
                    f"only a wiki supports this fact ({', '.join(sids)}); "
                    "add the primary source it relies on",
                )
            )
    return sorted(out)


def load(root: Path | None = None) -> Dataset:
    """The validated dataset at ``root``; DatasetInvalid listing every problem otherwise."""
    ds, problems = _collect(root or bundled_data_dir())
    if problems:
        raise DatasetInvalid(problems)
    return ds


def parse_day(text: str, what: str = "date") -> _dt.date:
    """A user-given date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (first day of the period)."""
    from minilat.errors import BadInput
    from minilat.model import FuzzyDate

    try:
        return FuzzyDate.parse(text).first_day()
    except ValueError as e:
        raise BadInput(f"bad {what}: {e}", hint="for example 2023-06-01") from None


#: The first day an analysis may be asked about: before it no grouping of the record existed.
AS_OF_MIN = _dt.date(1900, 1, 1)
#: How many years past today an "as of" date may lie (memberships dated ahead, such as a
#: scheduled accession, can be asked about; further out nothing is recorded).
AS_OF_YEARS_AHEAD = 1


def as_of_range(today: _dt.date | None = None) -> tuple[_dt.date, _dt.date]:
    """The first and last day an "as of" question may name: 1900-01-01 to the end of next
    year (docs/cli.md)."""
    today = today or _dt.date.today()
    return AS_OF_MIN, _dt.date(today.year + AS_OF_YEARS_AHEAD, 12, 31)


def parse_as_of(text: str, what: str = "as_of") -> _dt.date:
    """An "as of" date given by a user: :func:`parse_day`, and inside :func:`as_of_range`,
    so that year 9999 is a clear error rather than minutes of work.

    >>> parse_as_of("2023-06")
    datetime.date(2023, 6, 1)
    >>> from minilat.errors import BadInput
    >>> try:
    ...     parse_as_of("9999-01-01")
    ... except BadInput as e:
    ...     print(e.message)
    bad as_of: 9999-01-01 is after the last date the data can answer for
    """
    from minilat.errors import BadInput

    day = parse_day(text, what)
    lo, hi = as_of_range()
    if day < lo:
        raise BadInput(
            f"bad {what}: {text} is before {lo.isoformat()}, when no grouping of the record "
            "existed",
            hint=f"give a date from {lo.isoformat()} to {hi.isoformat()}",
        )
    if day > hi:
        raise BadInput(
            f"bad {what}: {text} is after the last date the data can answer for",
            hint=f"give a date from {lo.isoformat()} to {hi.isoformat()}",
        )
    return day
