"""Domain types of minilat: groupings, participants, memberships, events, sources.

These are the lowest layer: they import nothing else from minilat, and every other layer
speaks in them. They are immutable pydantic models, so the same classes validate the
curated YAML (see :mod:`minilat.dataset`) and serialise to JSON for the store and the API.

Facts carry their evidence: every fact-bearing object has ``sources`` (ids of
:class:`Source` entries) or is marked ``unverified`` with a ``note``.

>>> FuzzyDate.parse("2021-09").first_day()
datetime.date(2021, 9, 1)
>>> FuzzyDate.parse("2021-09").precision
<Precision.MONTH: 'month'>
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from minilat.vocab import GroupingType, Theme

__all__ = [
    "ACTIVE_ROLES",
    "FULL_ROLES",
    "SLUG_RE",
    "Accession",
    "ActivitySearch",
    "Cadence",
    "CapabilityRow",
    "CapabilityTable",
    "ChannelKind",
    "Commitment",
    "CommitmentStatus",
    "CopyOf",
    "Event",
    "EventKind",
    "Fact",
    "FuzzyDate",
    "Grouping",
    "GroupingType",
    "Instrument",
    "LifeStatus",
    "Measure",
    "MemberCount",
    "Membership",
    "NameChange",
    "Objective",
    "Participant",
    "ParticipantKind",
    "Period",
    "Precision",
    "Role",
    "Secretariat",
    "Source",
    "StakeholderChannel",
    "StatusAssessment",
    "StatusOverride",
    "Theme",
    "TypologyOverride",
    "WorkingGroup",
]

#: An id: lowercase letters, digits, - and _ (``\Z``: a final newline does not pass).
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*\Z")


# --------------------------------------------------------------------------- dates


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class FuzzyDate(BaseModel):
    """A date known to a year, a month or a day.

    For "as of" questions a partial date resolves to the first day of its period.

    >>> FuzzyDate.parse("1975-11-15").iso()
    '1975-11-15'
    >>> FuzzyDate.parse("1975") < FuzzyDate.parse("1975-02")
    True
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        m = _DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            try:
                _dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a real day") from None
        return cls(year=year, month=month, day=day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def first_day(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return (self.first_day(), self.precision != Precision.YEAR) < (
            other.first_day(),
            other.precision != Precision.YEAR,
        )

    def __le__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self == other or self < other


def _coerce_fuzzy(value: Any) -> Any:
    if isinstance(value, FuzzyDate):
        return value
    if isinstance(value, _dt.date):
        return FuzzyDate(year=value.year, month=value.month, day=value.day)
    if isinstance(value, int):
        return FuzzyDate.parse(str(value))
    if isinstance(value, str):
        return FuzzyDate.parse(value)
    if isinstance(value, dict):
        return value
    raise ValueError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


#: A :class:`FuzzyDate` that reads from and writes to its ISO string.
DateField = Annotated[
    FuzzyDate,
    BeforeValidator(_coerce_fuzzy),
    PlainSerializer(lambda d: d.iso(), return_type=str),
]


def _coerce_day(value: Any) -> Any:
    if isinstance(value, str):
        d = FuzzyDate.parse(value)
        if d.precision != Precision.DAY:
            raise ValueError(f"{value!r} must be a full day (YYYY-MM-DD)")
        return d.first_day()
    return value


Day = Annotated[_dt.date, BeforeValidator(_coerce_day)]


# --------------------------------------------------------------------- vocabularies


class Role(StrEnum):
    FOUNDING_MEMBER = "founding_member"
    MEMBER = "member"
    PARTNER = "partner"
    OBSERVER = "observer"
    ASSOCIATE = "associate"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


#: Roles of full membership.
FULL_ROLES = frozenset({Role.FOUNDING_MEMBER, Role.MEMBER})
#: Roles that count as taking part (suspended and withdrawn do not).
ACTIVE_ROLES = FULL_ROLES | {Role.PARTNER, Role.ASSOCIATE, Role.OBSERVER}


class Instrument(StrEnum):
    TREATY = "treaty"
    CHARTER = "charter"
    AGREEMENT = "agreement"
    MOU = "mou"
    JOINT_DECLARATION = "joint_declaration"
    NONE = "none"
    UNKNOWN = "unknown"


class Secretariat(StrEnum):
    NONE = "none"
    ROTATING = "rotating"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"


class Accession(StrEnum):
    CLOSED = "closed"
    BY_INVITATION = "by_invitation"
    OPEN = "open"
    UNKNOWN = "unknown"


class Cadence(StrEnum):
    CONTINUOUS = "continuous"
    BIANNUAL = "biannual"
    ANNUAL = "annual"
    BIENNIAL = "biennial"
    IRREGULAR = "irregular"
    NONE = "none"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    LAUNCH = "launch"
    SUMMIT = "summit"
    MINISTERIAL = "ministerial"
    JOINT_STATEMENT = "joint_statement"
    AGREEMENT = "agreement"
    EXPANSION = "expansion"
    SUSPENSION = "suspension"
    WITHDRAWAL = "withdrawal"
    WORKING_GROUP = "working_group"
    MEETING = "meeting"
    OTHER = "other"


class LifeStatus(StrEnum):
    """Where a grouping stands in its life on a date (derived in :mod:`minilat.analysis.life`).

    ``revived`` is active again after a lapse (recently: see docs/methodology.md);
    ``unknown`` is a silence in the record that no search covers (not enough record to
    say); ``not_founded`` is any date before the grouping's first period.
    """

    ACTIVE = "active"
    DORMANT = "dormant"
    UNKNOWN = "unknown"
    REVIVED = "revived"
    ENDED = "ended"
    NOT_FOUNDED = "not_founded"


class CommitmentStatus(StrEnum):
    """Where a commitment stands on a date.

    ``not_delivered`` means not delivered by its deadline (it needs a target date and a
    status dated on or after it); ``unknown`` is what a commitment without any status
    reads.
    """

    DELIVERED = "delivered"
    PARTLY_DELIVERED = "partly_delivered"
    NOT_DELIVERED = "not_delivered"
    IN_PROGRESS = "in_progress"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"


class ParticipantKind(StrEnum):
    """What a participant is. Only ``STATE`` counts as a state; ``TERRITORY`` is a
    dependent territory with its own ISO 3166-1 code (the Faroe Islands, Bermuda, ...),
    listed in ``participants/`` with ``country`` the sovereign state it belongs to."""

    STATE = "state"
    TERRITORY = "territory"
    SUPRANATIONAL = "supranational"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    COMPANY = "company"
    RESEARCH = "research"
    CIVIL_SOCIETY = "civil_society"
    INDUSTRY_BODY = "industry_body"


class ChannelKind(StrEnum):
    BUSINESS = "business"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIC = "academic"
    EXPERT = "expert"
    YOUTH = "youth"
    OTHER = "other"


class Measure(StrEnum):
    SHARE = "share"  # fractions of a world total, adding up to at most 1
    VALUE = "value"  # absolute amounts in the table's unit
    RATIO = "ratio"  # each row a fraction of that country's own total (indicator tables)


# ------------------------------------------------------------------------- evidence


class _Strict(BaseModel):
    # defer_build: a model's validator is built the first time it validates, not when this
    # module is imported, so a command that reads one grouping does not pay for them all.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Evidenced(_Strict):
    """Anything that states a fact: it cites sources or is marked unverified."""

    sources: tuple[str, ...] = ()
    unverified: bool = False
    note: str | None = None

    @property
    def verified(self) -> bool:
        return bool(self.sources) and not self.unverified


T = TypeVar("T")


class Fact(Evidenced, Generic[T]):
    """A single sourced value, such as a grouping's founding instrument."""

    value: T


class CopyOf(_Strict):
    """The original of a source that is a copy: its address and why the copy is cited."""

    url: str = Field(pattern=r"^https?://\S+$")
    reason: str = Field(min_length=1)


class Source(_Strict):
    """A published page a fact was checked against (see docs/data.md, "Sources").

    ``copy_of`` is set when the page is a copy (a mirror, an archive, a republication)
    of an original published elsewhere.
    """

    id: str
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    published: DateField | None = None
    accessed: Day
    copy_of: CopyOf | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError(f"{v!r} is not a valid id (lowercase letters, digits, - and _)")
        return v


class Participant(_Strict):
    """A non-state participant, or a state built from the ISO 3166 table."""

    id: str
    name: str
    kind: ParticipantKind
    country: str | None = None
    sources: tuple[str, ...] = ()
    unverified: bool = False
    note: str | None = None

    @property
    def is_state(self) -> bool:
        return self.kind is ParticipantKind.STATE


# ------------------------------------------------------------------------ groupings


class _Interval(Evidenced):
    start: DateField
    end: DateField | None = None

    def holds_on(self, day: _dt.date) -> bool:
        """True if ``day`` lies in ``[start, end)``."""
        if day < self.start.first_day():
            return False
        return self.end is None or day < self.end.first_day()

    def overlaps(self, other: _Interval) -> bool:
        a0, b0 = self.start.first_day(), other.start.first_day()
        a1 = self.end.first_day() if self.end else _dt.date.max
        b1 = other.end.first_day() if other.end else _dt.date.max
        return a0 < b1 and b0 < a1


class Period(_Interval):
    """A span during which the grouping was active."""

    end_reason: str | None = Field(default=None, pattern=r"^(dormant|dissolved|superseded)$")


class NameChange(_Interval):
    name: str


class Membership(_Interval):
    participant: str
    role: Role

    @property
    def active_role(self) -> bool:
        return self.role in ACTIVE_ROLES

    @property
    def full(self) -> bool:
        return self.role in FULL_ROLES


class Objective(Evidenced):
    text: str = Field(min_length=1)
    timeline: str | None = None
    budget: str | None = None


class WorkingGroup(Evidenced):
    name: str = Field(min_length=1)
    start: DateField | None = None
    end: DateField | None = None


class StakeholderChannel(Evidenced):
    name: str = Field(min_length=1)
    kind: ChannelKind = ChannelKind.OTHER
    start: DateField | None = None


class Event(Evidenced):
    date: DateField
    kind: EventKind
    title: str = Field(min_length=1)


class MemberCount(Evidenced):
    """A published head-count, for groupings whose members are not all enumerated."""

    value: int = Field(ge=0)
    date: DateField
    counts: str = Field(default="states", pattern=r"^(states|participants)$")


class TypologyOverride(Evidenced):
    type: GroupingType
    rationale: str = Field(min_length=1)


class StatusAssessment(_Strict):
    """A commitment's status on a date, and the evidence for it.

    Unlike other facts it cannot be marked ``unverified``: a status without sources is
    an error (see :func:`minilat.dataset.validate`).
    """

    date: DateField
    status: CommitmentStatus
    evidence: str = Field(min_length=1)
    sources: tuple[str, ...] = ()
    note: str | None = None


class Commitment(Evidenced):
    """A dated, specific undertaking a grouping made, and what became of it.

    ``target`` is the deadline as published (a partial date means the end of its period:
    ``"2022"`` is due by 31 December 2022); ``delivery`` says what would count as
    delivered; ``status`` is the assessments in date order, the last one on or before a
    day being the status on that day.
    """

    id: str
    text: str = Field(min_length=1)
    made: DateField
    target: DateField | None = None
    delivery: str = Field(min_length=1)
    status: tuple[StatusAssessment, ...] = ()
    superseded_by: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError(f"{v!r} is not a valid id (lowercase letters, digits, - and _)")
        return v

    @property
    def due(self) -> _dt.date | None:
        """The last day of the target's period (a year target is due by 31 December).

        >>> Commitment(id="x", text="t", made="2021", target="2022-02", delivery="d").due
        datetime.date(2022, 2, 28)
        """
        if self.target is None:
            return None
        t = self.target
        if t.month is None:
            return _dt.date(t.year, 12, 31)
        if t.day is None:
            nxt = _dt.date(t.year + (t.month == 12), t.month % 12 + 1, 1)
            return nxt - _dt.timedelta(days=1)
        return t.first_day()

    def status_on(self, day: _dt.date) -> StatusAssessment | None:
        """The latest assessment dated on or before ``day`` (None: unknown)."""
        found = None
        for a in self.status:
            if a.date.first_day() <= day:
                found = a
        return found


class ActivitySearch(_Strict):
    """A record that someone searched for a grouping's recent activity.

    It explains silence: when the event record shows nothing since ``since``, this
    says that someone looked (``what`` they looked for, ``where``, on ``date``) and
    what they ``found``. It is about the curation, not the world, so it cites no
    sources; what it found that is a fact goes in ``events`` with sources.

    ``conclusive`` is False when the search cannot show silence: its sources do not cover
    the span (the search itself says "a gap in the sources searched"), it looked for
    something other than activity (a member list), or it found activity it could not
    record from an original source. Only a conclusive search turns a silence into a lapse
    (docs/methodology.md, section 6).
    """

    date: Day
    since: DateField
    what: str = Field(min_length=1)
    where: tuple[str, ...] = Field(min_length=1)
    found: str = Field(min_length=1)
    by: str | None = None
    conclusive: bool = True


class StatusOverride(Evidenced):
    """An editor's reading of a grouping's life, shown beside the rule's, never instead.

    ``since``: the first day the override applies (always, if left out).
    """

    status: LifeStatus
    rationale: str = Field(min_length=1)
    since: DateField | None = None


def _unknown(value: Any) -> Fact[Any]:
    return Fact(value=value)


class Grouping(_Strict):
    """One international grouping, with every fact sourced."""

    id: str
    name: str = Field(min_length=1)
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    name_history: tuple[NameChange, ...] = ()
    periods: tuple[Period, ...] = Field(min_length=1)
    instrument: Fact[Instrument] = Field(default_factory=lambda: _unknown(Instrument.UNKNOWN))
    secretariat: Fact[Secretariat] = Field(default_factory=lambda: _unknown(Secretariat.UNKNOWN))
    legal_personality: Fact[bool | None] = Field(default_factory=lambda: _unknown(None))
    accession: Fact[Accession] = Field(default_factory=lambda: _unknown(Accession.UNKNOWN))
    website: Fact[str] = Field(default_factory=lambda: _unknown("unknown"))
    cadence: Fact[Cadence] = Field(default_factory=lambda: _unknown(Cadence.UNKNOWN))
    themes: Fact[tuple[Theme, ...]] = Field(default_factory=lambda: _unknown(()))
    objectives: tuple[Objective, ...] = ()
    working_groups: tuple[WorkingGroup, ...] = ()
    stakeholder_channels: tuple[StakeholderChannel, ...] = ()
    memberships: tuple[Membership, ...] = ()
    events: tuple[Event, ...] = ()
    member_count: MemberCount | None = None
    typology_override: TypologyOverride | None = None
    commitments: tuple[Commitment, ...] = ()
    activity_searches: tuple[ActivitySearch, ...] = ()
    status_override: StatusOverride | None = None
    notes: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError(f"{v!r} is not a valid id (lowercase letters, digits, - and _)")
        return v

    @field_validator("legal_personality", mode="before")
    @classmethod
    def _legal_unknown(cls, v: Any) -> Any:
        if isinstance(v, dict) and v.get("value") == "unknown":
            return {**v, "value": None}
        return v

    @field_validator("website")
    @classmethod
    def _website(cls, v: Fact[str]) -> Fact[str]:
        if v.value not in ("none", "unknown") and not re.match(r"^https?://\S+$", v.value):
            raise ValueError("website must be a URL, 'none' or 'unknown'")
        return v

    @model_validator(mode="after")
    def _periods_ordered(self) -> Grouping:
        for a, b in zip(self.periods, self.periods[1:], strict=False):
            if a.end is None or b.start < a.end:
                raise ValueError("periods must be in order and must not overlap")
        return self

    # ---- derived facts

    @property
    def founded(self) -> FuzzyDate:
        return self.periods[0].start

    @property
    def ended(self) -> FuzzyDate | None:
        return self.periods[-1].end

    @property
    def has_website(self) -> bool | None:
        """True/False when known, None when unknown."""
        if self.website.value == "unknown":
            return None
        return self.website.value != "none"

    def active_on(self, day: _dt.date) -> bool:
        return any(p.holds_on(day) for p in self.periods)

    def existed_by(self, day: _dt.date) -> bool:
        return day >= self.founded.first_day()

    def members_on(self, day: _dt.date, *, verified_only: bool = False) -> list[Membership]:
        """Memberships in an active role on ``day`` (empty if the grouping is not active)."""
        if not self.active_on(day):
            return []
        return [
            m
            for m in self.memberships
            if m.active_role and m.holds_on(day) and (m.verified or not verified_only)
        ]

    def name_on(self, day: _dt.date) -> str:
        for n in self.name_history:
            if n.holds_on(day):
                return n.name
        return self.name

    def all_names(self) -> list[str]:
        return [self.name, *self.acronyms, *self.aliases, *(n.name for n in self.name_history)]


class CapabilityRow(_Strict):
    participant: str
    value: float = Field(ge=0)
    year: int | None = None
    sources: tuple[str, ...] = ()
    unverified: bool = False
    note: str | None = None

    @property
    def is_region(self) -> bool:
        return self.participant.startswith("region:")


class CapabilityTable(_Strict):
    """Per-country amounts of a technology capability, from one cited source."""

    id: str
    name: str
    unit: str
    measure: Measure
    year: int
    scope: str
    sources: tuple[str, ...] = Field(min_length=1)
    rows: tuple[CapabilityRow, ...] = Field(min_length=1)
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError(f"{v!r} is not a valid id (lowercase letters, digits, - and _)")
        return v

    @model_validator(mode="after")
    def _shares_sum(self) -> CapabilityTable:
        if self.measure is Measure.SHARE:
            total = sum(r.value for r in self.rows)
            if total > 1.0 + 1e-6:
                raise ValueError(f"shares add up to {total:.4f}, more than 1")
        if self.measure is Measure.RATIO:
            over = [r.participant for r in self.rows if r.value > 1.0]
            if over:
                raise ValueError(f"ratios above 1 for {', '.join(over)}")
        return self

    def value_of(self, participant: str, *, verified_only: bool = False) -> float | None:
        """The row's value for ``participant``, or None when the table has no such row."""
        for r in self.rows:
            if r.participant == participant and (not verified_only or not r.unverified):
                return r.value
        return None

    @property
    def total(self) -> float:
        """The world total: 1 for a share table, the sum of all rows for a value table."""
        if self.measure is Measure.SHARE:
            return 1.0
        return sum(r.value for r in self.rows)

    def shares(self, *, verified_only: bool = False) -> dict[str, float]:
        """Each selectable participant's share of the world total (regions excluded)."""
        total = self.total
        return {
            r.participant: r.value / total
            for r in self.rows
            if not r.is_region and (not verified_only or not r.unverified)
        }
