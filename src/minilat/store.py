"""The SQLite store: the only module that speaks SQL.

The validated dataset is compiled into one SQLite file: normalised tables (groupings,
names, themes, periods, memberships, events, sources, capability tables) indexed for the
questions the CLI and the web ask, plus each grouping's full validated document as JSON
so the analyses get the exact objects back.

The file is built atomically (into a temporary file beside it, then renamed), so a failed
build leaves the previous store intact. :func:`open_store` rebuilds it automatically when
the dataset's fingerprint changes.

The store can be rebuilt from the YAML at any time. What people write (suggestions,
editors, tokens, the audit trail, pending edits) cannot, and lives apart, in the
editorial database (:mod:`minilat.editorial.database`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from minilat import countries
from minilat import dataset as _dataset
from minilat.errors import BadInput, StoreError
from minilat.model import ACTIVE_ROLES, CapabilityTable, Grouping, Participant, Source

_T = TypeVar("_T")

__all__ = [
    "SCHEMA_VERSION",
    "SEARCH_KINDS",
    "Store",
    "build",
    "fts_query",
    "open_store",
]

SCHEMA_VERSION = 5

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT NOT NULL, url TEXT NOT NULL,
    published TEXT, accessed TEXT NOT NULL, copy_of TEXT
);
CREATE TABLE participants (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, doc TEXT NOT NULL
);
CREATE TABLE groupings (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, founded TEXT NOT NULL, founded_day TEXT NOT NULL,
    ended TEXT, ended_day TEXT, instrument TEXT NOT NULL, secretariat TEXT NOT NULL,
    website TEXT NOT NULL, cadence TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE grouping_names (
    grouping_id TEXT NOT NULL REFERENCES groupings(id), name TEXT NOT NULL, kind TEXT NOT NULL
);
CREATE INDEX grouping_names_name ON grouping_names(name COLLATE NOCASE);
CREATE TABLE grouping_themes (
    grouping_id TEXT NOT NULL REFERENCES groupings(id), theme TEXT NOT NULL,
    PRIMARY KEY (theme, grouping_id)
);
CREATE TABLE periods (
    grouping_id TEXT NOT NULL REFERENCES groupings(id), start_day TEXT NOT NULL, end_day TEXT
);
CREATE INDEX periods_grouping ON periods(grouping_id, start_day);
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY, grouping_id TEXT NOT NULL REFERENCES groupings(id),
    participant_id TEXT NOT NULL, role TEXT NOT NULL, active INTEGER NOT NULL,
    start TEXT NOT NULL, start_day TEXT NOT NULL, "end" TEXT, end_day TEXT,
    verified INTEGER NOT NULL, sources TEXT NOT NULL, note TEXT
);
CREATE INDEX memberships_participant ON memberships(participant_id, start_day);
CREATE INDEX memberships_grouping ON memberships(grouping_id, start_day);
CREATE TABLE events (
    grouping_id TEXT NOT NULL REFERENCES groupings(id), date TEXT NOT NULL,
    day TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, sources TEXT NOT NULL
);
CREATE INDEX events_day ON events(day);
CREATE TABLE capability_tables (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
    measure TEXT NOT NULL, year INTEGER NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE capability_rows (
    table_id TEXT NOT NULL REFERENCES capability_tables(id), participant TEXT NOT NULL,
    value REAL NOT NULL, unverified INTEGER NOT NULL, PRIMARY KEY (table_id, participant)
);
"""


#: The site search: one FTS5 row per grouping, participant, event and source, stemmed
#: with the Porter stemmer ("semiconductor" finds "semiconductors"), accents folded.
_SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, key UNINDEXED, grouping UNINDEXED, day UNINDEXED, title, body,
    date UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
#: How much more a hit in a title counts than one in the body (bm25 column weights).
SEARCH_TITLE_WEIGHT = 8.0
#: The kinds of thing the search finds, in the order a tie is broken.
SEARCH_KINDS = ("grouping", "country", "participant", "event", "source")
_MARK = ("\x02", "\x03")


def _search_rows(
    ds: _dataset.Dataset,
) -> Iterator[tuple[str, str, str | None, str | None, str, str, str | None]]:
    """(kind, key, grouping, day, title, body, date) for every searchable thing of
    ``ds``: ``day`` the first day of its date, to sort by; ``date`` the date as recorded
    ("2026-05" where the day is not known, "2026"), the one a reader is shown."""
    seen: set[str] = set()
    for g in ds.groupings.values():
        title = " · ".join([g.name, *g.acronyms, *g.aliases, *(n.name for n in g.name_history)])
        body = [o.text for o in g.objectives]
        body += [w.name for w in g.working_groups]
        body += [c.name for c in g.stakeholder_channels]
        body += [t.value.replace("_", " ") for t in g.themes.value]
        body += [g.notes or ""]
        yield "grouping", g.id, g.id, _day(g.founded), title, " ".join(body), g.founded.iso()
        for e in g.events:
            yield (
                "event",
                g.id,
                g.id,
                _day(e.date),
                e.title,
                f"{g.name} {e.kind.value}",
                e.date.iso(),
            )
        for m in g.memberships:
            if m.participant in seen:
                continue
            seen.add(m.participant)
            if ds.is_state(m.participant):
                yield (
                    "country",
                    m.participant,
                    None,
                    None,
                    countries.state(m.participant).name,
                    m.participant,
                    None,
                )
    for p in ds.participants.values():  # every non-state participant, territories too
        if not p.is_state:
            yield "participant", p.id, None, None, p.name, p.kind.value.replace("_", " "), None
    for src in ds.sources.values():
        published = src.published.iso() if src.published is not None else None
        about = f"{src.publisher} {src.url}"
        yield "source", src.id, None, _day(src.published), src.title, about, published


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every word must match (the last one also as
    a prefix, so a half-typed word finds something); quotes and operators are plain text.

    >>> fts_query('semiconductor "supply chains"')
    '"semiconductor" "supply" "chains"*'
    >>> fts_query("  ")
    ''
    """
    words = re.findall(r"\w+", text)[:12]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _day(d: Any) -> str | None:
    return d.first_day().isoformat() if d is not None else None


def _insert_grouping(con: sqlite3.Connection, g: Grouping) -> None:
    """Write ``g``'s rows; the SQL text is in ``# pragma: no mutate`` lines, as in
    :class:`Store`."""
    con.execute(
        "INSERT INTO groupings VALUES (?,?,?,?,?,?,?,?,?,?,?)",  # pragma: no mutate
        (
            g.id,
            g.name,
            g.founded.iso(),
            _day(g.founded),
            g.ended.iso() if g.ended else None,
            _day(g.ended),
            g.instrument.value,
            g.secretariat.value,
            g.website.value,
            g.cadence.value,
            g.model_dump_json(),
        ),
    )
    names = [(g.name, "name")]
    names += [(a, "acronym") for a in g.acronyms]
    names += [(a, "alias") for a in g.aliases]
    names += [(n.name, "former") for n in g.name_history]
    con.executemany(
        "INSERT INTO grouping_names VALUES (?,?,?)",  # pragma: no mutate
        [(g.id, n, k) for n, k in names],
    )
    con.executemany(
        "INSERT INTO grouping_themes VALUES (?,?)",  # pragma: no mutate
        [(g.id, t.value) for t in g.themes.value],
    )
    con.executemany(
        "INSERT INTO periods VALUES (?,?,?)",  # pragma: no mutate
        [(g.id, _day(p.start), _day(p.end)) for p in g.periods],
    )
    con.executemany(
        "INSERT INTO memberships (grouping_id, participant_id, role, active,"  # pragma: no mutate
        ' start, start_day, "end", end_day, verified, sources, note)'  # pragma: no mutate
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",  # pragma: no mutate
        [
            (
                g.id,
                m.participant,
                m.role.value,
                int(m.role in ACTIVE_ROLES),
                m.start.iso(),
                _day(m.start),
                m.end.iso() if m.end else None,
                _day(m.end),
                int(m.verified),
                json.dumps(list(m.sources)),
                m.note,
            )
            for m in g.memberships
        ],
    )
    con.executemany(
        "INSERT INTO events VALUES (?,?,?,?,?,?)",  # pragma: no mutate
        [
            (g.id, e.date.iso(), _day(e.date), e.kind.value, e.title, json.dumps(list(e.sources)))
            for e in g.events
        ],
    )


def _fill(con: sqlite3.Connection, ds: _dataset.Dataset, fingerprint: str) -> None:
    con.executescript(_SCHEMA)
    con.executescript(_SEARCH_SCHEMA)
    con.executemany("INSERT INTO search_index VALUES (?,?,?,?,?,?,?)", _search_rows(ds))
    con.executemany(
        "INSERT INTO meta VALUES (?,?)",
        [
            ("schema_version", str(SCHEMA_VERSION)),
            ("fingerprint", fingerprint),
            ("built_at", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")),
        ],
    )
    con.executemany(
        "INSERT INTO sources VALUES (?,?,?,?,?,?,?)",
        [
            (
                s.id,
                s.title,
                s.publisher,
                s.url,
                s.published.iso() if s.published else None,
                s.accessed.isoformat(),
                s.copy_of.model_dump_json() if s.copy_of else None,
            )
            for s in ds.sources.values()
        ],
    )
    con.executemany(
        "INSERT INTO participants VALUES (?,?,?,?,?)",
        [
            (p.id, p.name, p.kind.value, p.country, p.model_dump_json())
            for p in ds.participants.values()
        ],
    )
    for g in ds.groupings.values():
        _insert_grouping(con, g)
    tables = [("capability", t) for t in ds.capabilities.values()]
    tables += [("indicator", t) for t in ds.indicators.values()]
    for kind, t in tables:
        con.execute(
            "INSERT INTO capability_tables VALUES (?,?,?,?,?,?,?)",
            (t.id, kind, t.name, t.unit, t.measure.value, t.year, t.model_dump_json()),
        )
        con.executemany(
            "INSERT INTO capability_rows VALUES (?,?,?,?)",
            [(t.id, r.participant, r.value, int(r.unverified)) for r in t.rows],
        )


def build(ds: _dataset.Dataset, path: Path, fingerprint: str = "") -> Path:
    """Compile ``ds`` into a new SQLite file at ``path``, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".minilat-build-", suffix=".db", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            with con:
                _fill(con, ds, fingerprint)
            con.execute("PRAGMA optimize")
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _read_meta(path: Path) -> dict[str, str]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return {}


def open_store(path: Path, data_dir: Path | None = None, *, rebuild: bool = False) -> Store:
    """The store at ``path``, (re)built from ``data_dir`` if missing or out of date.

    Raises DatasetInvalid if the dataset must be compiled but does not validate (the
    previous store, if any, is left as it was), StoreError if the file cannot be used.
    """
    data_dir = data_dir or _dataset.bundled_data_dir()
    fp = _dataset.fingerprint(data_dir)
    meta = _read_meta(path) if path.exists() else {}
    stale = (
        rebuild
        or meta.get("fingerprint") != fp
        or meta.get("schema_version") != str(SCHEMA_VERSION)
    )
    if stale:
        ds = _dataset.load(data_dir)
        try:
            build(ds, path, fp)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"cannot write the store at {path}: {e}") from None
    return Store(path)


class Store:
    """Read access to a compiled store. One connection per Store, read-only.

    The queries' SQL text sits in ``# pragma: no mutate`` lines: mutation testing
    (docs/testing.md) would only change its letter case, which SQLite ignores, or wrap it
    in ``XX``, a syntax error. The comparisons inside it (``end_day > ?``) are what
    matter, and mutmut never mutates them: the boundary tests (tests/test_boundaries.py)
    do.
    """

    def __init__(self, path: Path, *, _con: sqlite3.Connection | None = None) -> None:
        self.path = path
        try:
            if _con is None:
                _con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._con = _con
            self._con.row_factory = sqlite3.Row
            self._con.execute("SELECT 1 FROM meta LIMIT 1")
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the store at {path}: {e}") from None
        self._dataset: _dataset.Dataset | None = None
        self._tables_only: _dataset.Dataset | None = None

    @classmethod
    def in_memory(cls, ds: _dataset.Dataset, fingerprint: str = "") -> Store:
        """A store compiled from ``ds`` into memory (the web's view of the dataset with
        editors' edits applied; the file on disk stays the YAML's)."""
        con = sqlite3.connect(":memory:", check_same_thread=False)
        with con:
            _fill(con, ds, fingerprint)
        store = cls(Path(":memory:"), _con=con)
        store._dataset = ds
        return store

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._con.execute(sql, params).fetchall()

    # ------------------------------------------------------------------ the dataset

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}

    def dataset(self, *, groupings: bool = True) -> _dataset.Dataset:
        """The whole dataset as domain objects (read once, then kept).

        ``groupings=False`` skips the groupings (most of the store) for questions that
        need only the participants, sources and tables, such as most coalition designs.
        """
        if self._dataset is not None:
            return self._dataset
        if not groupings:
            if self._tables_only is None:
                self._tables_only = self._load({})
            return self._tables_only
        self._dataset = self._load(
            _Parsed(
                {
                    r["id"]: r["doc"]
                    for r in self._rows("SELECT id, doc FROM groupings ORDER BY id")
                },
                Grouping.model_validate_json,
            )
        )
        return self._dataset

    def _load(self, groupings: Mapping[str, Grouping]) -> _dataset.Dataset:
        participants = _Parsed(
            {r["id"]: r["doc"] for r in self._rows("SELECT id, doc FROM participants ORDER BY id")},
            Participant.model_validate_json,
        )
        docs: dict[str, dict[str, str]] = {"capability": {}, "indicator": {}}
        for r in self._rows("SELECT id, kind, doc FROM capability_tables ORDER BY id"):
            docs[r["kind"]][r["id"]] = r["doc"]
        caps = {k: _Parsed(d, CapabilityTable.model_validate_json) for k, d in docs.items()}
        wanted: set[str] | None = None
        if not groupings:  # tables only: just the sources the tables and participants cite
            tables = [*caps["capability"].values(), *caps["indicator"].values()]
            wanted = {
                s for t in tables for s in (*t.sources, *(x for r in t.rows for x in r.sources))
            }
            wanted |= {s for p in participants.values() for s in p.sources}
        sources = _Parsed(
            {
                r["id"]: {
                    k: (json.loads(r[k]) if k == "copy_of" else r[k])
                    for k in r.keys()  # noqa: SIM118
                    if r[k] is not None
                }
                for r in self._rows("SELECT * FROM sources ORDER BY id")
                if wanted is None or r["id"] in wanted
            },
            Source.model_validate,
        )
        return _dataset.Dataset(
            groupings, participants, sources, caps["capability"], caps["indicator"]
        )

    # ------------------------------------------------------------------- questions

    def grouping_ids(
        self,
        *,
        member: str | None = None,
        theme: str | None = None,
        as_of: _dt.date | None = None,
        query: str | None = None,
    ) -> list[str]:
        """Ids of the groupings matching every filter given, sorted by founding date.

        With ``as_of``, only groupings active on that day, and ``member`` means a
        participant in an active role on that day: exactly the groupings whose
        ``Grouping.members_on(as_of)`` holds the member. Without it (``None``: at any
        time), every grouping, and ``member`` means in an active role at some time.
        ``query`` matches names, acronyms, aliases and former names (case-insensitive
        substring).
        """
        where: list[str] = []
        params: list[Any] = []
        if as_of is not None:
            day = as_of.isoformat()
            # pragma: no mutate start (SQL text; see the class docstring)
            where.append(
                "g.id IN (SELECT grouping_id FROM periods WHERE start_day <= ?"
                " AND (end_day IS NULL OR end_day > ?))"
            )
            # pragma: no mutate end
            params += [day, day]
        if member is not None:
            if as_of is not None:
                # pragma: no mutate start
                where.append(
                    "g.id IN (SELECT grouping_id FROM memberships WHERE participant_id = ?"
                    " AND active = 1 AND start_day <= ? AND (end_day IS NULL OR end_day > ?))"
                )
                # pragma: no mutate end
                params += [member, as_of.isoformat(), as_of.isoformat()]
            else:
                # pragma: no mutate start
                where.append(
                    "g.id IN (SELECT grouping_id FROM memberships WHERE participant_id = ?"
                    " AND active = 1)"
                )
                # pragma: no mutate end
                params.append(member)
        if theme is not None:
            # pragma: no mutate start
            where.append("g.id IN (SELECT grouping_id FROM grouping_themes WHERE theme = ?)")
            # pragma: no mutate end
            params.append(theme)
        if query:
            # pragma: no mutate start
            where.append(
                "g.id IN (SELECT grouping_id FROM grouping_names WHERE name LIKE ? ESCAPE '\\')"
                " OR g.id LIKE ? ESCAPE '\\'"
            )
            # pragma: no mutate end
            pattern = (
                "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            params += [pattern, pattern]
        sql = "SELECT g.id FROM groupings g"  # pragma: no mutate
        if where:
            sql += " WHERE " + " AND ".join(f"({w})" for w in where)  # pragma: no mutate
        sql += " ORDER BY g.founded_day, g.id"  # pragma: no mutate
        return [r["id"] for r in self._rows(sql, params)]

    def member_rows(self, grouping_id: str, as_of: _dt.date) -> list[dict[str, Any]]:
        """Memberships of a grouping holding on ``as_of`` (active roles only)."""
        day = as_of.isoformat()
        # pragma: no mutate start
        sql = (
            "SELECT m.* FROM memberships m JOIN periods p ON p.grouping_id = m.grouping_id"
            " WHERE m.grouping_id = ? AND m.active = 1 AND m.start_day <= ?"
            " AND (m.end_day IS NULL OR m.end_day > ?)"
            " AND p.start_day <= ? AND (p.end_day IS NULL OR p.end_day > ?)"
            " ORDER BY m.participant_id"
        )
        # pragma: no mutate end
        rows = self._rows(sql, (grouping_id, day, day, day, day))
        return [dict(r) for r in rows]

    def recent_events(self, limit: int = 20) -> list[dict[str, Any]]:
        sql = "SELECT * FROM events ORDER BY day DESC, grouping_id LIMIT ?"  # pragma: no mutate
        rows = self._rows(sql, (limit,))
        return [dict(r) for r in rows]

    def search(
        self, text: str, *, kind: str | None = None, limit: int = 20, offset: int = 0
    ) -> dict[str, Any]:
        """Full-text search over names, acronyms, aliases, objectives, notes, events,
        participants and sources: groupings and countries first, then the rest, each best
        first (bm25, a hit in a title counting :data:`SEARCH_TITLE_WEIGHT` times one in
        the body).

        Returns ``{"total", "counts" (per kind), "results"}``; each result has ``kind``,
        ``key``, ``grouping``, ``day`` (the first day of its date, to sort by), ``date``
        (the date as recorded: "2026-05", "2026"), ``title`` and ``snippet`` (the
        matching words between the characters \\x02 and \\x03).
        """
        query = fts_query(text)
        if not query:
            return {"total": 0, "counts": {}, "results": []}
        if kind is not None and kind not in SEARCH_KINDS:
            raise BadInput(f"unknown kind {kind!r}", hint="one of " + ", ".join(SEARCH_KINDS))
        try:
            counts = {
                r["kind"]: r["n"]
                for r in self._rows(
                    "SELECT kind, count(*) AS n FROM search_index WHERE search_index MATCH ?"
                    " GROUP BY kind",
                    (query,),
                )
            }
            where, params = "search_index MATCH ?", [query]
            if kind is not None:
                where += " AND kind = ?"
                params.append(kind)
            order = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(SEARCH_KINDS))
            rows = self._rows(
                "SELECT kind, key, grouping, day, date, title,"
                f" snippet(search_index, 5, '{_MARK[0]}', '{_MARK[1]}', '…', 14) AS snippet,"
                f" bm25(search_index, 0, 0, 0, 0, {SEARCH_TITLE_WEIGHT}, 1.0, 0) AS score"
                f" FROM search_index WHERE {where}"
                " ORDER BY CASE WHEN kind IN ('grouping', 'country') THEN 0 ELSE 1 END,"
                f" score, CASE kind {order} END, title LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        except sqlite3.OperationalError as e:
            raise BadInput(f"cannot search for {text!r}: {e}", hint="try plain words") from None
        total = counts.get(kind, 0) if kind else sum(counts.values())
        out = []
        for r in rows:
            d = dict(r)
            d["score"] = round(-float(d["score"]), 3)
            out.append(d)
        return {"total": total, "counts": counts, "results": out}


class _Parsed(Mapping[str, _T]):
    """A read-only mapping of stored documents, each validated into its model the first
    time it is asked for, then kept.

    The store's documents were validated when the store was built, yet building the models
    is most of the cost of loading it: ``minilat show quad`` needs one grouping and its
    sources, not all of them. Iterating over the values (most analyses do) validates every
    document once. Thread-safe in the sense that matters here: two threads asking for the
    same missing document may both build it, and one of the equal results is kept.

    >>> m = _Parsed({"a": "1", "b": "2"}, int)
    >>> m["b"], len(m), sorted(m.items())
    (2, 2, [('a', 1), ('b', 2)])
    """

    __slots__ = ("_docs", "_done", "_parse")

    def __init__(self, docs: dict[str, Any], parse: Callable[[Any], _T]) -> None:
        self._docs = docs
        self._parse = parse
        self._done: dict[str, _T] = {}

    def __getitem__(self, key: str) -> _T:
        try:
            return self._done[key]
        except KeyError:
            doc = self._docs[key]  # KeyError for an unknown key, as a dict would
        value = self._done[key] = self._parse(doc)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)
