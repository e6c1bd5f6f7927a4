"""Panels in the shapes international-relations scholars use (as the COW IGO data does).

Three units of observation, each measured on **1 July** of every year (mid-year, the
convention of the COW IGO data), so that a panel row always agrees with
``minilat members GROUPING --as-of YYYY-07-01``:

* :func:`country_year` — one row per state, grouping and year in which the grouping is
  active on 1 July, with the state's membership coded
  ``0 none / 1 full / 2 associate-observer-partner / 3 suspended / 4 withdrawn``;
* :func:`dyad_year` — one row per pair of states and year in which the two share at
  least one grouping (in an active role: full, associate, observer or partner), with the
  number of shared groupings, of full co-memberships, and of shared groupings by type
  (``ty_*``) and by theme (``th_*``); a pair absent in a year shares none;
* :func:`grouping_year` — one row per grouping and year from its founding year to its
  end: status, members by kind of membership, events that year, type.

A panel is a :class:`Panel`: named, labelled columns of equal length (numpy arrays), with
value labels for the coded ones. The codebook (``docs/codebook.md``) is generated from
:data:`COLUMNS`, the same definitions that label the Stata and Parquet files, so it
cannot drift. Only states (ISO 3166-1 alpha-3) are countries here; the EU and
non-state participants appear in the grouping-year counts only.

The functions are pure: a dataset and a range of years in, arrays out. Turning a panel
into a pandas DataFrame or a file is :mod:`minilat.panel_files`'s job.

>>> from minilat.dataset import load
>>> ds = load()
>>> p = country_year(ds, 2023, 2023)
>>> row = p.row_where(country="IND", grouping="quad")
>>> row["membership"], row["membership_label"]
(1, 'full')
>>> d = dyad_year(ds, 2023, 2023).row_where(country_a="AUS", country_b="JPN")
>>> d["shared"] >= d["th_semiconductors"] >= 1
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import sparse

from minilat import countries
from minilat.analysis.groupings import enumeration, status_on
from minilat.analysis.typology import classify_one
from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.model import EventKind, Grouping, GroupingType, Role, Theme

__all__ = [
    "COLUMNS",
    "LIST_CODES",
    "MEMBERSHIP_CODES",
    "MIN_YEAR",
    "STATUS_CODES",
    "TYPE_CODES",
    "UNITS",
    "VERIFIED_CODES",
    "Column",
    "ColumnSpec",
    "Panel",
    "build",
    "country_year",
    "dyad_year",
    "grouping_year",
    "membership_code",
    "reference_day",
]

Unit = Literal["country-year", "dyad-year", "grouping-year"]
#: The units of observation, as ``minilat panel --unit`` names them.
UNITS: tuple[Unit, ...] = ("country-year", "dyad-year", "grouping-year")
#: The earliest year a panel may start (the oldest grouping, the UN, dates from 1945).
MIN_YEAR = 1945

#: Codes of the membership variable (country-year).
MEMBERSHIP_CODES: Mapping[int, str] = {
    0: "none",
    1: "full",
    2: "associate-observer-partner",
    3: "suspended",
    4: "withdrawn",
}
_ROLE_CODE = {
    Role.FOUNDING_MEMBER: 1,
    Role.MEMBER: 1,
    Role.ASSOCIATE: 2,
    Role.OBSERVER: 2,
    Role.PARTNER: 2,
    Role.SUSPENDED: 3,
    Role.WITHDRAWN: 4,
}
#: Codes of whether the membership record is verified (country-year).
VERIFIED_CODES: Mapping[int, str] = {
    -1: "no membership record",
    0: "unverified",
    1: "verified",
}
#: Codes of whether the record names every member of the grouping (country-year and
#: grouping-year): where it does not (a published head-count above the members named,
#: see ``minilat.analysis.groupings.enumeration``), a state coded "none" may still take
#: part.
LIST_CODES: Mapping[int, str] = {
    0: "incomplete: the grouping publishes more members than the record names",
    1: "complete",
}
#: Codes of a grouping's status on 1 July (grouping-year).
STATUS_CODES: Mapping[int, str] = {
    0: "not_yet_founded",
    1: "active",
    2: "dormant",
    3: "ended",
}
_STATUS = {v: k for k, v in STATUS_CODES.items()}
#: Codes of the article's four types (grouping-year); 0 when the themes are unknown.
TYPE_CODES: Mapping[int, str] = {
    0: "unclassified",
    1: GroupingType.SECURITY_DEFENCE.value,
    2: GroupingType.ECONOMIC_SUPPLY_CHAIN.value,
    3: GroupingType.DIGITAL_GOVERNANCE.value,
    4: GroupingType.MULTIDIMENSIONAL.value,
}
_TYPE = {v: k for k, v in TYPE_CODES.items()}


@dataclass(frozen=True)
class ColumnSpec:
    """What a column means: its name, a short label (<= 80 characters, as Stata allows),
    its kind, the codes of a coded column and a longer definition for the codebook."""

    name: str
    label: str
    kind: Literal["str", "int"]
    doc: str
    codes: Mapping[int, str] | None = None


@dataclass(frozen=True)
class Column:
    spec: ColumnSpec
    values: np.ndarray

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class Panel:
    """A panel: its unit, its years and its columns (equal-length numpy arrays)."""

    unit: Unit
    start: int
    end: int
    columns: tuple[Column, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __len__(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    def column(self, name: str) -> np.ndarray:
        for c in self.columns:
            if c.name == name:
                return c.values
        raise KeyError(name)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every row as a dict of plain Python values (slow: for tests and small panels)."""
        cols = [(c.name, c.values.tolist()) for c in self.columns]
        for i in range(len(self)):
            yield {name: vals[i] for name, vals in cols}

    def row_where(self, **match: Any) -> dict[str, Any]:
        """The one row whose columns equal ``match``; KeyError if there is none."""
        mask = np.ones(len(self), dtype=bool)
        for k, v in match.items():
            mask &= self.column(k) == v
        idx = np.flatnonzero(mask)
        if len(idx) != 1:
            raise KeyError(f"{len(idx)} rows match {match}")
        return {c.name: _plain(c.values[idx[0]]) for c in self.columns}


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


# ----------------------------------------------------------------------- the columns

_YEAR = ColumnSpec("year", "Year (observed on 1 July)", "int", "The year; facts as of 1 July.")

_THEMES = tuple(Theme)
_TYPES = tuple(GroupingType)

COLUMNS: Mapping[Unit, tuple[ColumnSpec, ...]] = {
    "country-year": (
        ColumnSpec("country", "State (ISO 3166-1 alpha-3)", "str", "The state's ISO3 code."),
        ColumnSpec("country_name", "State name (ISO 3166)", "str", "The state's ISO name."),
        ColumnSpec("grouping", "Grouping id", "str", "The grouping's stable id (slug)."),
        _YEAR,
        ColumnSpec(
            "membership",
            "Membership on 1 July",
            "int",
            "The state's membership on 1 July of the year, from the membership interval"
            " that holds that day: founding member or member = full; associate, observer"
            " or partner = associate-observer-partner; suspended; withdrawn; none when no"
            " interval holds.",
            MEMBERSHIP_CODES,
        ),
        ColumnSpec(
            "membership_label", "Membership on 1 July (text)", "str", "`membership` as text."
        ),
        ColumnSpec(
            "role",
            "Role recorded in the dataset",
            "str",
            "The dataset's role on 1 July (founding_member, member, associate, observer,"
            " partner, suspended, withdrawn), empty when none.",
        ),
        ColumnSpec(
            "verified",
            "Membership record verified",
            "int",
            "Whether the membership interval is verified against a source (unverified"
            " facts are marked in the dataset with a note).",
            VERIFIED_CODES,
        ),
        ColumnSpec(
            "list_complete",
            "Member list complete",
            "int",
            "Whether the record names every member of the grouping on 1 July: 0 where the"
            " grouping publishes a head-count above the members the record names (their"
            " joining dates were not found), so that `membership` none may hide a member.",
            LIST_CODES,
        ),
    ),
    "dyad-year": (
        ColumnSpec("country_a", "First state (ISO3, alphabetical)", "str", "The first state."),
        ColumnSpec("country_b", "Second state (ISO3)", "str", "The second state (> country_a)."),
        _YEAR,
        ColumnSpec(
            "shared",
            "Groupings both take part in",
            "int",
            "Groupings active on 1 July in which both states hold an active role (full,"
            " associate, observer or partner). Always at least 1: a pair that shares no"
            " grouping in a year has no row.",
        ),
        ColumnSpec(
            "shared_full",
            "Groupings both are full members of",
            "int",
            "Of `shared`, those in which both states are full members.",
        ),
        *(
            ColumnSpec(
                f"ty_{t.value}",
                f"Shared groupings of type {t.value}",
                "int",
                f"Of `shared`, groupings whose type is {t.value} (the editor's type where"
                " one is recorded, else the rule's; see docs/methodology.md).",
            )
            for t in _TYPES
        ),
        *(
            ColumnSpec(
                f"th_{t.value}",
                f"Shared groupings with theme {t.value}",
                "int",
                f"Of `shared`, groupings that list the theme {t.value}.",
            )
            for t in _THEMES
        ),
    ),
    "grouping-year": (
        ColumnSpec("grouping", "Grouping id", "str", "The grouping's stable id (slug)."),
        ColumnSpec("name", "Grouping name on 1 July", "str", "Its name on 1 July of the year."),
        _YEAR,
        ColumnSpec("founded", "Year founded", "int", "The year its first period began."),
        ColumnSpec(
            "status",
            "Status on 1 July",
            "int",
            "Active (inside one of its periods), dormant (between periods, or after a"
            " period that ended as dormant), ended, or not yet founded (founded later"
            " in its founding year).",
            STATUS_CODES,
        ),
        ColumnSpec("status_label", "Status on 1 July (text)", "str", "`status` as text."),
        ColumnSpec(
            "members",
            "Participants in an active role",
            "int",
            "Participants (states and others) in an active role on 1 July: exactly"
            " `minilat members GROUPING --as-of YEAR-07-01`. 0 when not active.",
        ),
        ColumnSpec("members_full", "Full members", "int", "Of `members`, full members."),
        ColumnSpec(
            "members_associate",
            "Associates, observers and partners",
            "int",
            "Of `members`, associates, observers and partners.",
        ),
        ColumnSpec("members_states", "States taking part", "int", "Of `members`, states."),
        ColumnSpec("suspended", "Suspended members", "int", "Participants suspended on 1 July."),
        ColumnSpec(
            "withdrawn",
            "Withdrawn members (recorded)",
            "int",
            "Participants recorded as withdrawn on 1 July.",
        ),
        ColumnSpec("events", "Events in the calendar year", "int", "Dated events in the year."),
        ColumnSpec(
            "meetings",
            "Summits and ministerials in the year",
            "int",
            "Of `events`, summits and ministerial meetings.",
        ),
        ColumnSpec(
            "type",
            "Type (the article's four)",
            "int",
            "The grouping's type: the editor's where recorded, else the rule's.",
            TYPE_CODES,
        ),
        ColumnSpec(
            "list_complete",
            "Member list complete",
            "int",
            "Whether the record names every member on 1 July: 0 where the grouping"
            " publishes a head-count above the members the record names, so that the"
            " member counts of that year are lower bounds.",
            LIST_CODES,
        ),
    ),
}


def reference_day(year: int) -> _dt.date:
    """The day a panel's year is observed: 1 July.

    >>> reference_day(2024)
    datetime.date(2024, 7, 1)
    """
    return _dt.date(year, 7, 1)


def membership_code(role: Role | None) -> int:
    """The country-year code of a role (None: no interval holds).

    >>> membership_code(Role.OBSERVER), membership_code(None)
    (2, 0)
    """
    return 0 if role is None else _ROLE_CODE[role]


def _years(start: int, end: int) -> range:
    if start > end:
        raise BadInput(f"--from {start} is after --to {end}", hint="give --from <= --to")
    if start < MIN_YEAR or end > 2100:
        raise BadInput(f"years must lie in {MIN_YEAR}-2100", hint="for example --from 1990")
    return range(start, end + 1)


def _panel(unit: Unit, start: int, end: int, data: Mapping[str, np.ndarray]) -> Panel:
    specs = COLUMNS[unit]
    cols = tuple(Column(s, data[s.name]) for s in specs)
    return Panel(unit, start, end, cols)


def _strings(labels: Sequence[str], idx: np.ndarray) -> np.ndarray:
    """``labels[idx]`` as a numpy text array (fixed width: cheap to index and to compare)."""
    table = np.asarray(labels, dtype=str) if len(labels) else np.array([], dtype="U1")
    return table[idx] if len(idx) else np.array([], dtype=table.dtype)


def _holding(g: Grouping, day: _dt.date) -> dict[str, Any]:
    """participant -> the membership interval holding on ``day`` (intervals never overlap)."""
    return {m.participant: m for m in g.memberships if m.holds_on(day)}


# -------------------------------------------------------------------- country-year


def country_year(ds: Dataset, start: int, end: int) -> Panel:
    """One row per state, grouping and year the grouping is active on 1 July.

    The states are every state that appears in some grouping of the dataset.
    """
    years = _years(start, end)
    states = sorted(ds.states())
    pos = {s: i for i, s in enumerate(states)}
    n = len(states)
    gids = sorted(ds.groupings)
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("country", "grouping", "year", "membership", "role", "verified", "complete")
    }
    roles = [""] + [r.value for r in Role]
    role_idx = {r: i + 1 for i, r in enumerate(Role)}
    for gi, gid in enumerate(gids):
        g = ds.groupings[gid]
        for y in years:
            day = reference_day(y)
            if not g.active_on(day):
                continue
            code = np.zeros(n, dtype=np.int8)
            role = np.zeros(n, dtype=np.int16)
            verified = np.full(n, -1, dtype=np.int8)
            for pid, m in _holding(g, day).items():
                i = pos.get(pid)
                if i is None:
                    continue
                code[i] = _ROLE_CODE[m.role]
                role[i] = role_idx[m.role]
                verified[i] = 1 if m.verified else 0
            parts["country"].append(np.arange(n, dtype=np.int32))
            parts["grouping"].append(np.full(n, gi, dtype=np.int32))
            parts["year"].append(np.full(n, y, dtype=np.int16))
            parts["membership"].append(code)
            parts["role"].append(role)
            parts["verified"].append(verified)
            complete = enumeration(ds, g, day) is None
            parts["complete"].append(np.full(n, int(complete), dtype=np.int8))

    def cat(k: str, dtype: Any) -> np.ndarray:
        return np.concatenate(parts[k]) if parts[k] else np.array([], dtype=dtype)

    country = cat("country", np.int32)
    membership = cat("membership", np.int8).astype(np.int64)
    names = [countries.state(s).name for s in states]
    data = {
        "country": _strings(states, country),
        "country_name": _strings(names, country),
        "grouping": _strings(gids, cat("grouping", np.int32)),
        "year": cat("year", np.int16).astype(np.int64),
        "membership": membership,
        "membership_label": _strings(
            [MEMBERSHIP_CODES[i] for i in range(len(MEMBERSHIP_CODES))], membership
        ),
        "role": _strings(roles, cat("role", np.int16)),
        "verified": cat("verified", np.int8).astype(np.int64),
        "list_complete": cat("complete", np.int8).astype(np.int64),
    }
    return _panel("country-year", start, end, data)


# ----------------------------------------------------------------------- dyad-year


def _type_of(ds: Dataset, g: Grouping) -> str | None:
    return classify_one(ds, g).type


def dyad_year(ds: Dataset, start: int, end: int) -> Panel:
    """One row per pair of states and year in which they share at least one grouping.

    Built from the pairs themselves: each grouping active on 1 July contributes every
    pair of its states (as one integer id per pair); the counts per pair, per type and
    per theme are weighted ``bincount`` s over those ids, so the cost follows the number
    of co-memberships, not the square of the number of states.
    """
    years = _years(start, end)
    states = sorted(ds.states())
    pos = {s: i for i, s in enumerate(states)}
    gids = sorted(ds.groupings)
    gs = [ds.groupings[g] for g in gids]
    n, k = len(states), len(gs)
    # groupings x (type columns + theme columns) indicator
    ind = np.zeros((k, len(_TYPES) + len(_THEMES)), dtype=np.int64)
    for j, g in enumerate(gs):
        t = _type_of(ds, g)
        for ti, gt in enumerate(_TYPES):
            if t == gt.value:
                ind[j, ti] = 1
        themes = set(g.themes.value)
        for hi, th in enumerate(_THEMES):
            if th in themes:
                ind[j, len(_TYPES) + hi] = 1
    out: dict[str, list[np.ndarray]] = {"a": [], "b": [], "year": [], "shared": [], "full": []}
    extra: list[np.ndarray] = []
    triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for y in years:
        day = reference_day(y)
        pids: list[np.ndarray] = []
        fulls: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for j, g in enumerate(gs):
            members: dict[int, bool] = {}
            for m in g.members_on(day):
                i = pos.get(m.participant)
                if i is not None:
                    members[i] = m.full
            if len(members) < 2:
                continue
            idx = np.array(sorted(members), dtype=np.int64)
            is_full = np.array([members[i] for i in idx.tolist()], dtype=bool)
            if len(idx) not in triu:
                triu[len(idx)] = np.triu_indices(len(idx), k=1)
            ii, jj = triu[len(idx)]
            pids.append(idx[ii] * n + idx[jj])
            fulls.append(is_full[ii] & is_full[jj])
            owners.append(np.full(len(ii), j, dtype=np.int64))
        if not pids:
            continue
        pid, inverse = np.unique(np.concatenate(pids), return_inverse=True)
        owner = np.concatenate(owners)
        out["a"].append(pid // n)
        out["b"].append(pid % n)
        out["year"].append(np.full(len(pid), y, dtype=np.int64))
        out["shared"].append(np.bincount(inverse, minlength=len(pid)))
        out["full"].append(np.bincount(inverse, weights=np.concatenate(fulls), minlength=len(pid)))
        pairs_by_grouping = sparse.csr_matrix(
            (np.ones(len(owner), dtype=np.int64), (inverse, owner)), shape=(len(pid), k)
        )
        extra.append(np.asarray(pairs_by_grouping @ ind))

    def cat(key: str) -> np.ndarray:
        return np.concatenate(out[key]) if out[key] else np.array([], dtype=np.int64)

    ext = np.concatenate(extra) if extra else np.zeros((0, ind.shape[1]), dtype=np.int64)
    data: dict[str, np.ndarray] = {
        "country_a": _strings(states, cat("a").astype(np.int64)),
        "country_b": _strings(states, cat("b").astype(np.int64)),
        "year": cat("year").astype(np.int64),
        "shared": cat("shared"),
        "shared_full": np.rint(cat("full")).astype(np.int64),
    }
    for ti, gt in enumerate(_TYPES):
        data[f"ty_{gt.value}"] = ext[:, ti]
    for hi, th in enumerate(_THEMES):
        data[f"th_{th.value}"] = ext[:, len(_TYPES) + hi]
    return _panel("dyad-year", start, end, data)


# ------------------------------------------------------------------- grouping-year


_MEETINGS = {EventKind.SUMMIT, EventKind.MINISTERIAL}


def grouping_year(ds: Dataset, start: int, end: int) -> Panel:
    """One row per grouping and year, from its founding year to the year it ended."""
    years = _years(start, end)
    rows: list[tuple[Any, ...]] = []
    for gid in sorted(ds.groupings):
        g = ds.groupings[gid]
        t = _type_of(ds, g)
        last = g.ended.year if g.ended else None
        for y in years:
            if y < g.founded.year or (last is not None and y > last):
                continue
            day = reference_day(y)
            status = status_on(g, day)
            current = g.members_on(day)
            holding = list(_holding(g, day).values()) if status == "active" else []
            full = sum(1 for m in current if m.full)
            events = [e for e in g.events if e.date.year == y]
            rows.append(
                (
                    gid,
                    g.name_on(day),
                    y,
                    g.founded.year,
                    _STATUS[status],
                    status,
                    len(current),
                    full,
                    len(current) - full,
                    sum(1 for m in current if ds.is_state(m.participant)),
                    sum(1 for m in holding if m.role is Role.SUSPENDED),
                    sum(1 for m in holding if m.role is Role.WITHDRAWN),
                    len(events),
                    sum(1 for e in events if e.kind in _MEETINGS),
                    _TYPE.get(t or "unclassified", 0),
                    int(enumeration(ds, g, day) is None),
                )
            )
    specs = COLUMNS["grouping-year"]
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in specs]
    data = {
        s.name: np.array(v, dtype=object if s.kind == "str" else np.int64)
        for s, v in zip(specs, cols, strict=True)
    }
    return _panel("grouping-year", start, end, data)


def build(ds: Dataset, unit: str, start: int, end: int) -> Panel:
    """The panel of ``unit`` (one of :data:`UNITS`) over ``start``..``end``."""
    if unit == "country-year":
        return country_year(ds, start, end)
    if unit == "dyad-year":
        return dyad_year(ds, start, end)
    if unit == "grouping-year":
        return grouping_year(ds, start, end)
    raise BadInput(f"unknown unit {unit!r}", hint=f"one of {', '.join(UNITS)}")
