"""What-if scenarios: joins, leaves, suspensions, foundings and endings, applied in memory.

A **scenario** is a small YAML or JSON document: a date and a list of changes to the
record (docs/whatif.md has the schema)::

    as_of: 2026-12-01
    changes:
      - join: chip4            # the grouping (id, acronym or alias)
        country: IND           # ISO3 code, country name or participant id
      - leave: paris_call
        country: USA
      - found: AI compute club
        members: [USA, JPN, KOR, TWN, NLD]
        themes: [ai, semiconductors]

:func:`parse` reads such a text into a :class:`Scenario`, naming every problem as
``file:line: field: what is wrong`` as ``minilat validate`` does for the dataset;
:func:`inline` builds the same changes from ``--join IND:chip4`` style options;
:func:`apply` checks the changes against a dataset and returns an edited **copy** of it
(the dataset given, and the store it came from, are never touched). Changes are applied
in date order (ties in the order written), so a leave dated after a join undoes it.

Every problem is a :class:`ScenarioInvalid` (a :class:`~minilat.errors.BadInput`: a 400
on the web, exit 2 on the command line), never a crash: unknown countries and groupings
(with suggestions), a join to a grouping the country is already in, a date before the
grouping existed or after it ended, a leave of a country that is not in it, two changes
that contradict each other.

>>> from minilat.dataset import load
>>> ds = load()
>>> sc = inline(ds, joins=["IND:chip4"], as_of="2026-12-01")
>>> new = apply(ds, sc)
>>> sorted(m.participant for m in new.grouping("chip4").members_on(sc.as_of))
['IND', 'JPN', 'KOR', 'TWN', 'USA']
>>> "IND" in [m.participant for m in ds.grouping("chip4").memberships]
False
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from minilat import countries
from minilat.dataset import (
    Dataset,
    _error_message,
    _fmt,
    _Located,
    _read_yaml,
    _YamlProblem,
    parse_document,
)
from minilat.errors import BadInput, MinilatError, did_you_mean
from minilat.model import (
    ACTIVE_ROLES,
    SLUG_RE,
    Accession,
    Cadence,
    DateField,
    Fact,
    FuzzyDate,
    Grouping,
    Instrument,
    Membership,
    Period,
    Role,
    Secretariat,
    Theme,
)

__all__ = [
    "KINDS",
    "MAX_CHANGES",
    "MAX_MEMBERS",
    "NOTE",
    "Change",
    "Scenario",
    "ScenarioInvalid",
    "apply",
    "apply_resolved",
    "inline",
    "parse",
    "parse_data",
    "resolve",
    "slug",
]

#: The kinds of change, in the order the docs list them.
KINDS = ("join", "leave", "suspend", "found", "end")
#: The most changes one scenario may hold (the web and the API take no more either).
MAX_CHANGES = 20
#: The most members a founded grouping may list (as the designer's largest coalition).
MAX_MEMBERS = 60
#: The note every hypothetical fact carries: it is marked unverified, never passed off as
#: a sourced fact.
NOTE = "hypothetical: added by a what-if scenario"


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, order=True)
class Issue:
    """One problem of a scenario: where (``file:line`` or the option), field, what."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class ScenarioInvalid(BadInput):
    """A scenario that cannot be applied; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        n = len(self.issues)
        shown = "; ".join(str(i) for i in self.issues[:5])
        more = f" (and {n - 5} more)" if n > 5 else ""
        super().__init__(
            shown + more,
            hint="see docs/whatif.md for the scenario format" if n else "the scenario has problems",
        )


# ------------------------------------------------------------------------ the model


@dataclass(frozen=True)
class Change:
    """One change of a scenario, resolved against the dataset (ids, dates).

    ``grouping`` is the id of the grouping changed (for ``found``, the new grouping's
    id); ``country`` the participant joining, leaving or suspended (None for ``found``
    and ``end``); ``where`` names the place it was written, for error messages.
    """

    kind: str
    grouping: str
    date: _dt.date
    where: str
    country: str | None = None
    role: Role = Role.MEMBER
    name: str | None = None
    members: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    instrument: Instrument = Instrument.UNKNOWN
    secretariat: Secretariat = Secretariat.UNKNOWN
    accession: Accession = Accession.UNKNOWN
    legal_personality: bool | None = None
    cadence: Cadence = Cadence.UNKNOWN
    tables: tuple[str, ...] = ()

    def text(self, ds: Dataset | None = None) -> str:
        """The change in one plain sentence.

        >>> Change("join", "chip4", _dt.date(2026, 1, 1), "-", country="IND").text()
        'IND joins chip4 as member on 2026-01-01'
        """

        def g_name(gid: str) -> str:
            if ds is not None and gid in ds.groupings:
                g = ds.groupings[gid]
                return g.acronyms[0] if g.acronyms else g.name
            return gid

        who = self.country or ""
        if ds is not None and self.country:
            try:
                who = ds.participant(self.country).name
            except MinilatError:
                who = self.country
        day = self.date.isoformat()
        if self.kind == "join":
            return f"{who} joins {g_name(self.grouping)} as {self.role.value} on {day}"
        if self.kind == "leave":
            return f"{who} leaves {g_name(self.grouping)} on {day}"
        if self.kind == "suspend":
            return f"{who} is suspended from {g_name(self.grouping)} on {day}"
        if self.kind == "end":
            return f"{g_name(self.grouping)} ends on {day}"
        return f"{self.name} is founded on {day} by {', '.join(self.members)}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "grouping": self.grouping,
            "date": self.date.isoformat(),
        }
        if self.kind in ("join", "leave", "suspend"):
            out["country"] = self.country
        if self.kind == "join":
            out["role"] = self.role.value
        if self.kind == "found":
            out.update(
                name=self.name,
                members=list(self.members),
                themes=[t.value for t in self.themes],
                instrument=self.instrument.value,
                secretariat=self.secretariat.value,
                accession=self.accession.value,
                legal_personality=self.legal_personality,
                cadence=self.cadence.value,
                tables=list(self.tables),
            )
        return out


@dataclass(frozen=True)
class Scenario:
    """A date and the changes to apply (see the module docstring)."""

    as_of: _dt.date
    changes: tuple[Change, ...] = ()
    title: str | None = None

    def to_dict(self, ds: Dataset | None = None) -> dict[str, Any]:
        return {
            "title": self.title,
            "as_of": self.as_of.isoformat(),
            "changes": [{**c.to_dict(), "text": c.text(ds)} for c in self.changes],
        }

    def document(self) -> dict[str, Any]:
        """The scenario as a document :func:`parse_data` reads back (JSON-ready)."""
        out: list[dict[str, Any]] = []
        for c in self.changes:
            d = c.to_dict()
            kind = d.pop("kind")
            if kind == "found":
                d.pop("grouping")
                doc = {"found": d.pop("name"), "id": c.grouping, **d}
            else:
                doc = {kind: d.pop("grouping"), **d}
            out.append(doc)
        return {"as_of": self.as_of.isoformat(), "title": self.title, "changes": out}


# --------------------------------------------------------------- the document schema


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _ScenarioDoc(_Doc):
    title: str | None = Field(default=None, max_length=200)
    as_of: DateField | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_CHANGES)


class _JoinDoc(_Doc):
    join: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=1, max_length=200)
    role: Role = Role.MEMBER
    date: DateField | None = None


class _LeaveDoc(_Doc):
    leave: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=1, max_length=200)
    date: DateField | None = None


class _SuspendDoc(_Doc):
    suspend: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=1, max_length=200)
    date: DateField | None = None


class _EndDoc(_Doc):
    end: str = Field(min_length=1, max_length=200)
    date: DateField | None = None


class _FoundDoc(_Doc):
    found: str = Field(min_length=1, max_length=200)
    id: str | None = Field(default=None, max_length=100)
    members: list[str] = Field(min_length=1, max_length=MAX_MEMBERS)
    themes: tuple[Theme, ...] = Field(default=(), max_length=len(Theme))
    instrument: Instrument = Instrument.UNKNOWN
    secretariat: Secretariat = Secretariat.UNKNOWN
    accession: Accession = Accession.UNKNOWN
    legal_personality: bool | None = None
    cadence: Cadence = Cadence.UNKNOWN
    date: DateField | None = None
    tables: list[str] = Field(default_factory=list, max_length=10)


_MODELS: dict[str, type[_Doc]] = {
    "join": _JoinDoc,
    "leave": _LeaveDoc,
    "suspend": _SuspendDoc,
    "found": _FoundDoc,
    "end": _EndDoc,
}


def slug(name: str) -> str:
    """An id made from a name: lowercase words joined by ``_``.

    >>> slug("AI compute club!")
    'ai_compute_club'
    """
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return s or "new_grouping"


# ------------------------------------------------------------------------- parsing


@dataclass
class _Raw:
    """A change as written, before it is resolved: its data and how to name places."""

    data: Any
    where: str
    place: Any  # (path) -> "file:line" text
    index: int


@dataclass
class _Reader:
    issues: list[Issue] = field(default_factory=list)

    def add(self, where: str, fld: str, message: str) -> None:
        self.issues.append(Issue(where, fld, message))


def _today() -> _dt.date:
    return _dt.date.today()


def _validate(model: type[_Doc], data: Any, base: tuple[Any, ...], place: Any, r: _Reader) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in str(p))
            full = (*base, *loc)
            message = _error_message(err).replace("docs/data.md", "docs/whatif.md")
            r.add(place(full), _fmt(full), message)
        return None


def parse(text: str, name: str = "scenario", *, today: _dt.date | None = None) -> Scenario:
    """A scenario from YAML or JSON ``text``; ``name`` (a file name) prefixes its places.

    Only the document's shape is checked here; :func:`resolve` (called by :func:`apply`
    and by the analyses) checks its ids and dates against a dataset.

    >>> sc = parse("as_of: 2026-12-01\\nchanges:\\n  - join: chip4\\n    country: IND\\n")
    >>> sc.changes[0].kind, sc.changes[0].date.isoformat()
    ('join', '2026-12-01')
    >>> parse("changes:\\n  - join: chip4\\n    contry: IND\\n", "s.yaml")
    Traceback (most recent call last):
    ...
    minilat.scenario.ScenarioInvalid: s.yaml:2: changes[0].country: required field is missing; ...
    """
    try:
        parse_document(text, "the scenario")  # size, anchors and aliases, control characters
        located = _read_yaml(text)
    except BadInput as e:
        m = re.match(r"line (\d+): (.*)", e.message)
        line, msg = (int(m.group(1)), m.group(2)) if m else (1, e.message)
        raise ScenarioInvalid([Issue(f"{name}:{line}", "(document)", msg)]) from None
    except _YamlProblem as p:
        raise ScenarioInvalid([Issue(f"{name}:{p.line}", p.field, p.message)]) from None
    return _from_located(
        located, lambda path: f"{name}:{located.line(path)}", today, lambda p, i: p
    )


def parse_data(data: Any, *, today: _dt.date | None = None) -> Scenario:
    """A scenario from plain data (a JSON body); places are named by field path only."""
    return _from_located(
        _Located(data, {}), lambda path: "scenario", today, lambda p, i: f"changes[{i}]"
    )


def _from_located(
    located: _Located, place: Any, today: _dt.date | None, name_change: Any
) -> Scenario:
    """``place(path)`` names where a field is; ``name_change(place, index)`` a change."""
    r = _Reader()
    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioInvalid(
            [Issue(place(()), "(document)", "a scenario must be a mapping (see docs/whatif.md)")]
        )
    doc = _validate(_ScenarioDoc, data, (), place, r)
    if doc is None:
        raise ScenarioInvalid(r.issues)
    as_of = doc.as_of.first_day() if doc.as_of else (today or _today())
    raws = [
        _Raw(item, name_change(place(("changes", i)), i), place, i)
        for i, item in enumerate(doc.changes or [])
    ]
    changes = _read_changes(raws, as_of, r)
    if r.issues:
        raise ScenarioInvalid(r.issues)
    return Scenario(as_of=as_of, changes=tuple(changes), title=doc.title)


def _read_changes(raws: list[_Raw], as_of: _dt.date, r: _Reader) -> list[Change]:
    out: list[Change] = []
    for raw in raws:
        base: tuple[Any, ...] = ("changes", raw.index)
        if not isinstance(raw.data, dict):
            r.add(
                raw.where, _fmt(base), f"a change must be a mapping with one of {', '.join(KINDS)}"
            )
            continue
        kinds = [k for k in KINDS if k in raw.data]
        if len(kinds) != 1:
            what = "names no kind of change" if not kinds else f"names {' and '.join(kinds)}"
            hint = did_you_mean(next(iter(raw.data), ""), KINDS) if not kinds else None
            r.add(
                raw.where,
                _fmt(base),
                f"{what}; give exactly one of {', '.join(KINDS)}" + (f" ({hint})" if hint else ""),
            )
            continue
        kind = kinds[0]
        d = _validate(_MODELS[kind], raw.data, base, raw.place, r)
        if d is None:
            continue
        day = d.date.first_day() if d.date is not None else as_of
        if day > as_of:
            r.add(
                raw.place((*base, "date")),
                _fmt((*base, "date")),
                f"{day.isoformat()} is after the scenario's date {as_of.isoformat()}: it would"
                " change nothing the analyses see; date it on or before as_of",
            )
            continue
        if kind == "found":
            gid = d.id or slug(d.found)
            if not SLUG_RE.match(gid):
                r.add(
                    raw.place((*base, "id")),
                    _fmt((*base, "id")),
                    f"{gid!r} is not a valid id (lowercase letters, digits, - and _)",
                )
                continue
            out.append(
                Change(
                    "found",
                    gid,
                    day,
                    raw.where,
                    name=d.found,
                    members=tuple(m.strip() for m in d.members),
                    themes=tuple(dict.fromkeys(d.themes)),
                    instrument=d.instrument,
                    secretariat=d.secretariat,
                    accession=d.accession,
                    legal_personality=d.legal_personality,
                    cadence=d.cadence,
                    role=Role.FOUNDING_MEMBER,
                    tables=tuple(d.tables),
                )
            )
        elif kind == "end":
            out.append(Change("end", d.end.strip(), day, raw.where))
        else:
            role = d.role if kind == "join" else Role.MEMBER
            if role not in ACTIVE_ROLES:
                r.add(
                    raw.place((*base, "role")),
                    _fmt((*base, "role")),
                    f"a join takes an active role, not {role.value}; use leave or suspend",
                )
                continue
            out.append(
                Change(
                    kind,
                    getattr(d, kind).strip(),
                    day,
                    raw.where,
                    country=d.country.strip(),
                    role=role,
                )
            )
    return out


def inline(
    ds: Dataset | None = None,
    *,
    joins: Sequence[str] = (),
    leaves: Sequence[str] = (),
    suspends: Sequence[str] = (),
    founds: Sequence[str] = (),
    ends: Sequence[str] = (),
    as_of: str | _dt.date | None = None,
    base: Scenario | None = None,
) -> Scenario:
    """A scenario from command-line style options, appended to ``base`` if given.

    * ``joins``, ``leaves``, ``suspends``: ``COUNTRY:GROUPING`` or ``COUNTRY:GROUPING:DATE``
      (``--join IND:chip4``);
    * ``founds``: ``NAME:MEMBERS`` or ``NAME:MEMBERS:THEMES``, lists comma-separated
      (``--found "compute club:USA,JPN,KOR,TWN,NLD:ai,semiconductors"``);
    * ``ends``: ``GROUPING`` or ``GROUPING:DATE``.

    ``ds`` is not needed to read the options (they are checked by :func:`apply`).

    >>> sc = inline(founds=["compute club:USA,JPN:ai"], as_of="2026-12-01")
    >>> sc.changes[0].grouping, sc.changes[0].members, sc.changes[0].themes
    ('compute_club', ('USA', 'JPN'), (<Theme.AI: 'ai'>,))
    """
    r = _Reader()
    if isinstance(as_of, str):
        try:
            day = FuzzyDate.parse(as_of).first_day()
        except ValueError as e:
            raise ScenarioInvalid([Issue("--as-of", "as_of", str(e))]) from None
    else:
        day = as_of or (base.as_of if base else _today())
    raws: list[_Raw] = []
    n = len(base.changes) if base else 0

    def add(option: str, value: str, doc: dict[str, Any] | None, problem: str | None) -> None:
        where = f"{option} {value}"
        if doc is None:
            r.add(where, option, problem or "malformed")
            return
        raws.append(_Raw(doc, where, lambda path, w=where: w, n + len(raws)))

    for opt, kind, values in (
        ("--join", "join", joins),
        ("--leave", "leave", leaves),
        ("--suspend", "suspend", suspends),
    ):
        for v in values:
            parts = [p.strip() for p in v.split(":")]
            if len(parts) not in (2, 3) or not all(parts):
                add(opt, v, None, "write COUNTRY:GROUPING or COUNTRY:GROUPING:DATE")
                continue
            doc: dict[str, Any] = {kind: parts[1], "country": parts[0]}
            if len(parts) == 3:
                doc["date"] = parts[2]
            add(opt, v, doc, None)
    for v in founds:
        parts = [p.strip() for p in v.split(":")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            add("--found", v, None, "write NAME:MEMBERS or NAME:MEMBERS:THEMES (comma-separated)")
            continue
        doc = {"found": parts[0], "members": [m for m in parts[1].split(",") if m.strip()]}
        if len(parts) == 3 and parts[2]:
            doc["themes"] = [t.strip() for t in parts[2].split(",") if t.strip()]
        add("--found", v, doc, None)
    for v in ends:
        parts = [p.strip() for p in v.split(":")]
        if len(parts) not in (1, 2) or not parts[0]:
            add("--end", v, None, "write GROUPING or GROUPING:DATE")
            continue
        doc = {"end": parts[0]}
        if len(parts) == 2:
            doc["date"] = parts[1]
        add("--end", v, doc, None)
    changes = _read_changes(raws, day, r)
    total = n + len(changes)
    if total > MAX_CHANGES:
        r.add("(options)", "changes", f"{total} changes: a scenario holds at most {MAX_CHANGES}")
    if r.issues:
        raise ScenarioInvalid(r.issues)
    old = tuple(c for c in (base.changes if base else ()) if c.date <= day)
    if base and len(old) != len(base.changes):
        raise ScenarioInvalid(
            [Issue("--as-of", "as_of", "some of the scenario's changes are dated after it")]
        )
    return Scenario(as_of=day, changes=(*old, *changes), title=base.title if base else None)


# ------------------------------------------------------------------------ applying


def _participant(ds: Dataset, text: str) -> str:
    """A participant id from a code, a name or an id; BadInput with suggestions."""
    t = text.strip()
    if t in ds.participants:
        return t
    if t.lower() in ds.participants:  # "EU" for the participant id "eu"
        return t.lower()
    try:
        return countries.resolve_state(t)
    except MinilatError:
        pass
    low = {p.name.lower(): pid for pid, p in ds.participants.items()}
    if t.lower() in low:
        return low[t.lower()]
    hint = did_you_mean(t, [*sorted(countries.codes()), *ds.participants])
    raise BadInput(f"unknown country {text!r}" + (f"; {hint}" if hint else ""))


def _grouping_id(groupings: Mapping[str, Grouping], text: str) -> str:
    t = text.strip()
    if t in groupings:
        return t
    low = t.lower()
    for g in groupings.values():
        if g.id == low or any(n.lower() == low for n in g.all_names()):
            return g.id
    names = {n: g.id for g in groupings.values() for n in [g.id, *g.acronyms]}
    hint = did_you_mean(low, groupings) or did_you_mean(t, names)
    raise BadInput(
        f"unknown grouping {text!r}"
        + (f"; {hint}" if hint else " (list them with `minilat groupings`)")
    )


def _name(ds: Dataset, pid: str) -> str:
    try:
        return ds.participant(pid).name
    except MinilatError:
        return pid


def _hypothetical(**kw: Any) -> dict[str, Any]:
    return {**kw, "unverified": True, "note": NOTE}


def _spell_text(m: Membership) -> str:
    return f"{m.role.value} since {m.start}" + (f" until {m.end}" if m.end else "")


def apply(ds: Dataset, scenario: Scenario) -> Dataset:
    """A copy of ``ds`` with the scenario's changes made; ``ds`` itself is left as it was.

    Only the groupings a change touches are new objects; the rest (and the participants,
    sources and tables) are shared with ``ds``, so the copy costs little. Every fact the
    scenario adds is marked unverified with the note :data:`NOTE`.

    Raises :class:`ScenarioInvalid` listing every change that cannot be made.
    """
    return apply_resolved(ds, scenario)[0]


def resolve(ds: Dataset, scenario: Scenario) -> Scenario:
    """The scenario with ids resolved (``IND`` for ``India``, ``chip4`` for ``Chip 4``)."""
    return apply_resolved(ds, scenario)[1]


def apply_resolved(ds: Dataset, scenario: Scenario) -> tuple[Dataset, Scenario]:
    """:func:`apply` and :func:`resolve` at once: the edited copy and the resolved scenario."""
    r = _Reader()
    groupings: dict[str, Grouping] = dict(ds.groupings)
    order = sorted(range(len(scenario.changes)), key=lambda i: (scenario.changes[i].date, i))
    resolved: dict[int, Change] = {}
    for i in order:
        c = scenario.changes[i]
        try:
            resolved[i] = _one(ds, groupings, c)
        except BadInput as e:
            fld = {"found": "found", "end": "end"}.get(c.kind, c.kind)
            r.add(c.where, fld, e.message)
    if r.issues:
        raise ScenarioInvalid(sorted(r.issues, key=lambda x: scenario_index(scenario, x)))
    new = replace(ds, groupings=groupings)
    changes = tuple(resolved[i] for i in range(len(scenario.changes)))
    return new, replace(scenario, changes=changes)


def scenario_index(scenario: Scenario, issue: Issue) -> int:
    for i, c in enumerate(scenario.changes):
        if c.where == issue.where:
            return i
    return len(scenario.changes)


def _one(ds: Dataset, groupings: dict[str, Grouping], c: Change) -> Change:
    """Make change ``c`` in ``groupings`` (a dict of the copy); the resolved change."""
    day = c.date
    if c.kind == "found":
        return _found(ds, groupings, c)
    gid = _grouping_id(groupings, c.grouping)
    g = groupings[gid]
    label = g.acronyms[0] if g.acronyms else g.name
    if day < g.founded.first_day():
        raise BadInput(f"{label} did not exist on {day.isoformat()}: it was founded {g.founded}")
    if c.kind == "end":
        if not g.active_on(day):
            raise BadInput(f"{label} is not active on {day.isoformat()}, so it cannot end then")
        current = next(p for p in g.periods if p.holds_on(day))
        if day <= current.start.first_day():
            raise BadInput(f"{label}'s active period starts {current.start}: end it after that")
        when = FuzzyDate.parse(day.isoformat())
        periods = tuple(
            p.model_copy(update={"end": when, "end_reason": "dissolved"}) if p is current else p
            for p in g.periods
            if p.start.first_day() < day
        )
        members = tuple(
            m.model_copy(update={"end": when}) if m.end is None or m.end.first_day() > day else m
            for m in g.memberships
            if m.start.first_day() < day
        )
        groupings[gid] = g.model_copy(update={"periods": periods, "memberships": members})
        return replace(c, grouping=gid)
    assert c.country is not None
    pid = _participant(ds, c.country)
    who = _name(ds, pid)
    if not g.active_on(day):
        ended = g.ended
        why = f"it ended {ended}" if ended and day >= ended.first_day() else "it is not active then"
        raise BadInput(f"{label} cannot change on {day.isoformat()}: {why}")
    mine = [m for m in g.memberships if m.participant == pid]
    holding = [m for m in mine if m.holds_on(day)]
    when = FuzzyDate.parse(day.isoformat())
    if c.kind == "join":
        for m in holding:
            if m.active_role:
                raise BadInput(
                    f"{who} is already in {label} on {day.isoformat()} ({_spell_text(m)})",
                    hint="to change its role, leave and join again on the same day",
                )
        later = [m for m in mine if m.start.first_day() > day]
        if later:
            raise BadInput(
                f"{who} joins {label} on {later[0].start} in the record already;"
                f" a join on {day.isoformat()} would overlap it"
            )
        kept = [m for m in g.memberships]
        for k, m in enumerate(kept):  # a suspension or withdrawal holding on the day ends
            if m in holding:
                kept[k] = _end(m, day)
        joined = Membership(**_hypothetical(participant=pid, role=c.role, start=when))
        groupings[gid] = g.model_copy(update={"memberships": (*_drop_empty(kept), joined)})
        return replace(c, grouping=gid, country=pid)
    active = [m for m in holding if m.active_role]
    if not active:
        status = f" ({_spell_text(holding[0])})" if holding else ""
        raise BadInput(
            f"{who} is not in {label} on {day.isoformat()}{status}, so cannot leave it"
            if c.kind == "leave"
            else f"{who} is not in {label} on {day.isoformat()}{status}, so cannot be suspended"
        )
    kept = [(_end(m, day) if m in active else m) for m in g.memberships]
    if c.kind == "suspend":
        kept.append(Membership(**_hypothetical(participant=pid, role=Role.SUSPENDED, start=when)))
    groupings[gid] = g.model_copy(update={"memberships": tuple(_drop_empty(kept))})
    return replace(c, grouping=gid, country=pid)


def _end(m: Membership, day: _dt.date) -> Membership:
    return m.model_copy(update={"end": FuzzyDate.parse(day.isoformat())})


def _drop_empty(ms: Sequence[Membership]) -> list[Membership]:
    """Spells that end where they start (a join undone on its own day) are no spells."""
    return [m for m in ms if m.end is None or m.end.first_day() > m.start.first_day()]


def _found(ds: Dataset, groupings: dict[str, Grouping], c: Change) -> Change:
    gid = c.grouping
    if gid in groupings:
        hint = f"give it another id (`id:`), e.g. {gid}_2"
        raise BadInput(f"a grouping {gid!r} exists already", hint=hint)
    assert c.name is not None
    taken = {n.lower(): g.id for g in groupings.values() for n in g.all_names()}
    if c.name.lower() in taken:
        raise BadInput(f"{c.name!r} is the name of {taken[c.name.lower()]} already")
    ids: list[str] = []
    for text in c.members:
        pid = _participant(ds, text)
        if pid in ids:
            raise BadInput(f"{_name(ds, pid)} is listed twice among the members of {c.name}")
        ids.append(pid)
    for tid in c.tables:
        if tid not in ds.capabilities:
            close = did_you_mean(tid, ds.capabilities)
            raise BadInput(f"unknown capability table {tid!r}" + (f"; {close}" if close else ""))
    when = FuzzyDate.parse(c.date.isoformat())
    fact = _hypothetical
    g = Grouping(
        id=gid,
        name=c.name,
        periods=(Period(**fact(start=when)),),
        instrument=Fact[Instrument](**fact(value=c.instrument)),
        secretariat=Fact[Secretariat](**fact(value=c.secretariat)),
        legal_personality=Fact[bool | None](**fact(value=c.legal_personality)),
        accession=Fact[Accession](**fact(value=c.accession)),
        website=Fact[str](**fact(value="unknown")),
        cadence=Fact[Cadence](**fact(value=c.cadence)),
        themes=Fact[tuple[Theme, ...]](**fact(value=c.themes)),
        memberships=tuple(
            Membership(**fact(participant=p, role=Role.FOUNDING_MEMBER, start=when)) for p in ids
        ),
        notes=NOTE,
    )
    groupings[gid] = g
    return replace(c, members=tuple(ids))
