"""Where the editorial database lives: a SQLite file (the default) or a PostgreSQL database.

The editorial logic (:mod:`minilat.editorial.database`) is written once, in the SQL both
engines share, against the small seam here. A backend knows how to

- connect (a connection whose ``execute(sql, params)`` takes ``?`` placeholders and
  returns rows that act as tuples and as mappings, like :class:`sqlite3.Row`);
- open a write transaction that holds the database's single writer lock until it ends:
  ``BEGIN IMMEDIATE`` on SQLite; on PostgreSQL a transaction-scoped advisory lock taken
  first thing (``pg_advisory_xact_lock``), so that writers queue exactly as on SQLite and
  every check-then-write of the editorial logic (a stale edit, a suggestion decided twice,
  a rate limit counted) sees the latest committed state, on any number of processes and
  hosts, with no retry loop to get wrong;
- insert a row and return its id (``lastrowid``; ``RETURNING id``);
- read and write the schema version: ``PRAGMA user_version`` in the SQLite file, the
  one-row table ``minilat_schema`` in PostgreSQL (the same numbered steps move both);
- translate the schema's SQLite types (an ``INTEGER PRIMARY KEY`` becomes an identity
  column, ``BLOB`` becomes ``bytea``).

Upserts (``INSERT ... ON CONFLICT (...) DO UPDATE``) and everything else are the same SQL
on both. Only this module and :mod:`minilat.editorial.database` import a database driver;
``psycopg`` (3) is imported only when a ``postgresql://`` address asks for it (install it
with ``pip install "minilat[postgres]"``).

>>> b = backend_for("postgresql://ed:s3cret@db.internal:5432/minilat")
>>> b.name, b.display
('postgresql', 'postgresql://ed:***@db.internal:5432/minilat')
>>> is_url("/srv/minilat-editorial.db"), is_url("postgres://db/minilat")
(False, True)
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from minilat.errors import BadInput, StoreError

__all__ = [
    "BUSY_TIMEOUT",
    "Backend",
    "Connection",
    "PostgresBackend",
    "SQLiteBackend",
    "backend_for",
    "checkpoint_sqlite",
    "close_connections",
    "is_url",
    "shown",
]

#: Seconds a writer waits for another writer's lock before giving up.
BUSY_TIMEOUT = 5.0

_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: Path | str) -> bool:
    """Whether ``location`` names a PostgreSQL database (else it is a SQLite file)."""
    return isinstance(location, str) and location.startswith(_SCHEMES)


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the editorial logic uses of a connection (sqlite3's, or the wrapper below)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def close(self) -> None: ...


class Backend(ABC):
    """One kind of database holding the editorial data (see the module's docstring)."""

    #: ``sqlite`` or ``postgresql``.
    name: str
    #: Where the data is, safe to print (a URL's password is masked).
    display: str
    #: The driver's errors: any of them means the database could not do what was asked.
    errors: tuple[type[BaseException], ...]
    #: The driver's integrity errors (a unique or foreign key constraint refused a row).
    integrity_errors: tuple[type[BaseException], ...]

    @abstractmethod
    def prepare(self) -> None:
        """Make the database reachable before its first use (a SQLite file is created
        private, 0600, in a private folder)."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether there is a database to read yet (a server's always counts)."""

    @abstractmethod
    def connect(self) -> Connection: ...

    @abstractmethod
    def begin_write(self, con: Connection) -> None:
        """Start a transaction holding the database's single writer lock."""

    def commit(self, con: Connection) -> None:
        con.execute("COMMIT")

    def rollback(self, con: Connection) -> None:
        con.execute("ROLLBACK")

    @abstractmethod
    def version(self, con: Connection) -> int:
        """The schema version (0: an empty database)."""

    @abstractmethod
    def set_version(self, con: Connection, version: int) -> None:
        """Record the schema version, inside the write transaction of its step."""

    def ddl(self, statement: str) -> str:
        """A schema statement (written for SQLite) in this engine's dialect."""
        return statement

    @abstractmethod
    def insert(self, con: Connection, sql: str, params: Sequence[Any]) -> int:
        """Run one ``INSERT`` into a table with an ``id`` column; the new row's id."""

    def bad_value(self, error: BaseException) -> str | None:
        """What is wrong with a value the engine refused to store (None: not that kind)."""
        return None

    def ids_copied(self, con: Connection, table: str) -> None:
        """Rows were inserted into ``table`` with their ids given: make the next id
        follow the largest (SQLite does so by itself)."""
        return None

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        con = self.connect()
        try:
            yield con
        finally:
            con.close()


class SQLiteBackend(Backend):
    """One SQLite file: WAL, FULL synchronisation, a busy timeout, foreign keys."""

    name = "sqlite"
    errors = (sqlite3.Error,)
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.display = str(self.path)

    def prepare(self) -> None:
        if not self.path.exists():
            # private from the first byte: editors, the audit trail, hashes of tokens
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))

    def exists(self) -> bool:
        return self.path.exists()

    def connect(self) -> sqlite3.Connection:
        return connect_sqlite(self.path)

    def begin_write(self, con: Connection) -> None:
        con.execute("BEGIN IMMEDIATE")

    def version(self, con: Connection) -> int:
        return int(con.execute("PRAGMA user_version").fetchone()[0])

    def set_version(self, con: Connection, version: int) -> None:
        con.execute(f"PRAGMA user_version = {int(version)}")

    def insert(self, con: Connection, sql: str, params: Sequence[Any]) -> int:
        return int(con.execute(sql, tuple(params)).lastrowid or 0)


def checkpoint_sqlite(path: Path) -> None:
    """Fold the WAL of the SQLite file at ``path`` into the file itself (before moving it)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def connect_sqlite(path: Path) -> sqlite3.Connection:
    """A connection to the editorial SQLite file at ``path``, set up for safe writing."""
    # isolation_level=None: no implicit transactions; writes open them explicitly
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    return con


class _Row(tuple[Any, ...]):
    """A row that is a tuple (``row[0]``) and a mapping (``row["name"]``, ``dict(row)``),
    as :class:`sqlite3.Row` is."""

    _names: tuple[str, ...]

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)


class _PGConnection:
    """A psycopg connection speaking the editorial logic's SQL: ``?`` placeholders, rows
    as :class:`_Row`. In autocommit mode, so transactions are opened explicitly, as on
    SQLite."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        cur = self._con.cursor(row_factory=_row_factory)
        if parameters:
            cur.execute(_placeholders(sql), tuple(parameters))
        else:  # no parameters: psycopg reads no placeholder, so a % stays as written
            cur.execute(sql)
        return cur

    def close(self) -> None:
        self._con.close()

    def usable(self, *, check: bool) -> bool:
        """Whether this connection can serve the next caller: open, outside any
        transaction, and (``check``) answering."""
        info = self._con.info
        if self._con.closed or self._con.broken or info.transaction_status != 0:  # IDLE
            return False
        if check:
            try:
                self._con.execute("SELECT 1")
            except Exception:  # any failure at all: it is not usable
                return False
        return True


def _placeholders(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled).

    >>> _placeholders("SELECT * FROM t WHERE a = ? AND b LIKE '5%'")
    "SELECT * FROM t WHERE a = %s AND b LIKE '5%%'"
    """
    return sql.replace("%", "%%").replace("?", "%s")


def _row_factory(cursor: Any) -> Any:
    names = tuple(c.name for c in cursor.description or ())

    def make(values: Sequence[Any]) -> _Row:
        row = _Row(values)
        row._names = names
        return row

    return make


#: The key of the editorial database's writer lock (a PostgreSQL advisory lock).
_WRITE_LOCK = 0x6D696E69  # "mini"

#: SQLite's types, as the schema's steps spell them, and their PostgreSQL equivalents.
_PG_TYPES = (
    (
        re.compile(r"\bid INTEGER PRIMARY KEY\b"),
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER NOT NULL REFERENCES\b"), "BIGINT NOT NULL REFERENCES"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
)


class PostgresBackend(Backend):
    """A PostgreSQL database (``postgresql://user:password@host:port/dbname``)."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.display = _masked(url)
        self._psycopg = _driver()
        self.errors = (self._psycopg.Error,)
        self.integrity_errors = (self._psycopg.IntegrityError,)

    def prepare(self) -> None:
        return None

    def exists(self) -> bool:
        return True

    def connect(self) -> _PGConnection:
        con = self._psycopg.connect(
            self.url, autocommit=True, connect_timeout=int(BUSY_TIMEOUT), application_name="minilat"
        )
        return _PGConnection(con)

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection from this process's few idle ones to this address (a new one
        costs a server process and a handshake, about 15 ms), given back if it is clean."""
        con = _POOL.take(self.url) or self.connect()
        ok = False
        try:
            yield con
            ok = True
        finally:
            _POOL.give(self.url, con, ok)

    def begin_write(self, con: Connection) -> None:
        con.execute("BEGIN")
        con.execute(f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT * 1000)}ms'")
        con.execute("SELECT pg_advisory_xact_lock(?)", (_WRITE_LOCK,))

    def version(self, con: Connection) -> int:
        if con.execute("SELECT to_regclass('minilat_schema')").fetchone()[0] is None:
            return 0
        row = con.execute("SELECT MAX(version) FROM minilat_schema").fetchone()
        return int(row[0] or 0)

    def set_version(self, con: Connection, version: int) -> None:
        con.execute("CREATE TABLE IF NOT EXISTS minilat_schema (version INTEGER NOT NULL)")
        con.execute("DELETE FROM minilat_schema")
        con.execute("INSERT INTO minilat_schema (version) VALUES (?)", (int(version),))

    def ddl(self, statement: str) -> str:
        for pattern, replacement in _PG_TYPES:
            statement = pattern.sub(replacement, statement)
        return statement

    def insert(self, con: Connection, sql: str, params: Sequence[Any]) -> int:
        return int(con.execute(f"{sql} RETURNING id", params).fetchone()[0])

    def ids_copied(self, con: Connection, table: str) -> None:
        con.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
        )

    def bad_value(self, error: BaseException) -> str | None:
        errors = self._psycopg.errors
        if isinstance(error, errors.NumericValueOutOfRange):
            return "a number is too large"
        if isinstance(error, self._psycopg.DataError):
            return "the text holds characters that cannot be stored"
        return None


class _Pool:
    """Idle PostgreSQL connections of this process, a few per address. One idle for a
    while is checked (``SELECT 1``) before it is used again, so a server restart costs
    no request; all are closed at exit (and by :func:`close_connections`)."""

    #: Idle connections kept per address.
    KEEP = 4
    #: Seconds idle after which a connection is checked before use.
    CHECK_AFTER = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[str, list[tuple[float, _PGConnection]]] = {}
        self._pid = os.getpid()

    def take(self, url: str) -> _PGConnection | None:
        while True:
            with self._lock:
                if self._pid != os.getpid():  # a forked child: its parent's are not ours
                    self._idle, self._pid = {}, os.getpid()
                idle = self._idle.get(url)
                if not idle:
                    return None
                since, con = idle.pop()
            if con.usable(check=time.monotonic() - since > self.CHECK_AFTER):
                return con
            con.close()

    def give(self, url: str, con: Connection, ok: bool) -> None:
        assert isinstance(con, _PGConnection)
        if ok and con.usable(check=False):
            with self._lock:
                idle = self._idle.setdefault(url, [])
                if len(idle) < self.KEEP and self._pid == os.getpid():
                    idle.append((time.monotonic(), con))
                    return
        con.close()

    def close(self, url: str | None = None) -> None:
        with self._lock:
            urls = [url] if url is not None else list(self._idle)
            closing = [con for u in urls for _, con in self._idle.pop(u, [])]
        for con in closing:
            con.close()


_POOL = _Pool()
atexit.register(_POOL.close)


def close_connections(url: str | None = None) -> None:
    """Close this process's idle connections to ``url`` (all addresses if None), e.g.
    before the database is dropped."""
    _POOL.close(url)


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "the editorial database is a PostgreSQL address, but the PostgreSQL driver"
            " (psycopg) is not installed",
            hint='pip install "minilat[postgres]"',
        ) from None
    return psycopg


def _masked(url: str) -> str:
    """``url`` with its password (if any) masked, fit for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{userinfo}:***@{netloc[1]}"))


def shown(location: Path | str) -> str:
    """Where the editorial database is, fit to print: a URL's password masked.

    >>> shown("postgresql://ed:pw@db/minilat"), shown(Path("/srv/ed.db"))
    ('postgresql://ed:***@db/minilat', '/srv/ed.db')
    """
    return _masked(location) if isinstance(location, str) else str(location)


def backend_for(location: Path | str) -> Backend:
    """The backend of ``location``: a ``postgresql://`` address, else a SQLite file path."""
    if is_url(location):
        return PostgresBackend(str(location))
    if isinstance(location, str) and "://" in location:
        raise BadInput(
            f"not an editorial database address: {_masked(location)}",
            hint="a file path, or postgresql://user@host:port/dbname",
        )
    return SQLiteBackend(Path(location))
