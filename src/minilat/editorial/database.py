"""The editorial database: everything people write, which cannot be rebuilt.

Suggested corrections, editors, API tokens and sign-in sessions (only hashes), the audit
trail, editors' pending edits and the shared rate-limit counters live in one writable
database, apart from the compiled store (:mod:`minilat.store`), which can be rebuilt from
the YAML at any time. This one cannot, so it is handled with care. By default it is a
SQLite file: WAL mode with FULL synchronisation (an acknowledged write survives the
process being killed, and a power cut), a busy timeout, foreign keys. With
``MINILAT_EDITORIAL_URL=postgresql://...`` it is a PostgreSQL database instead, for
organisations running several hosts or PostgreSQL already (``minilat[postgres]``).

Either way the logic here is written once: every write is one transaction holding the
database's writer lock, and the schema is versioned and moved forward by the same
numbered migration steps; :mod:`minilat.editorial.backend` is the seam between the two
engines. Online backup and checked restore of the SQLite file are here too
(docs/reliability.md; PostgreSQL has pg_dump).

This module and its backends are the only ones of the editorial side that speak SQL.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from minilat.editorial.backend import (
    BUSY_TIMEOUT,
    Backend,
    Connection,
    SQLiteBackend,
    backend_for,
    connect_sqlite,
)
from minilat.errors import BadInput, MinilatError, NotFound, StoreError

__all__ = [
    "BUSY_TIMEOUT",
    "EDITORIAL_VERSION",
    "Conflict",
    "EditorialDB",
    "SuggestionStore",
    "migrate",
]

#: The migration steps of the editorial database; step ``n`` (1-based) moves a file from
#: ``user_version`` n-1 to n. Append new steps; never edit a released one.
_EDITORIAL_STEPS: tuple[tuple[str, ...], ...] = (
    # 1: the visitors' suggestions, exactly as SuggestionStore wrote them before versioning
    (
        "CREATE TABLE IF NOT EXISTS suggestions (id INTEGER PRIMARY KEY, received TEXT NOT NULL,"
        " what TEXT NOT NULL, location TEXT NOT NULL, source_url TEXT NOT NULL,"
        " status TEXT NOT NULL DEFAULT 'new')",
    ),
    # 2: editors and their API tokens (only hashes are stored)
    (
        "CREATE TABLE editors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " password_hash TEXT NOT NULL, created TEXT NOT NULL)",
        "CREATE TABLE tokens (id INTEGER PRIMARY KEY,"
        " editor_id INTEGER NOT NULL REFERENCES editors(id) ON DELETE CASCADE,"
        " token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT)",
        "CREATE INDEX tokens_editor ON tokens(editor_id)",
        "CREATE INDEX suggestions_status ON suggestions(status, id)",
    ),
    # 3: editors' sign-in sessions (only hashes of the session ids) and the audit trail
    (
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY,"
        " editor_id INTEGER NOT NULL REFERENCES editors(id) ON DELETE CASCADE,"
        " session_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, expires TEXT NOT NULL,"
        " revoked TEXT)",
        "CREATE INDEX sessions_editor ON sessions(editor_id)",
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, editor TEXT NOT NULL,"
        " action TEXT NOT NULL, target TEXT NOT NULL, before TEXT, after TEXT,"
        " why TEXT NOT NULL)",
        "CREATE INDEX audit_target ON audit(target, id)",
    ),
    # 4: editors' edits of the dataset: the current document of each edited record
    (
        "CREATE TABLE records (target TEXT PRIMARY KEY, version INTEGER NOT NULL,"
        " doc TEXT NOT NULL, doc_hash TEXT NOT NULL, base_hash TEXT NOT NULL,"
        " synced INTEGER NOT NULL DEFAULT 0,"
        " audit_id INTEGER NOT NULL REFERENCES audit(id))",
    ),
    # 5: the site's own settings (its signing secret, so forms survive a restart)
    ("CREATE TABLE site (key TEXT PRIMARY KEY, value BLOB NOT NULL)",),
    # 6: editor accounts can be disabled (kept, but nothing of theirs answers) or removed
    # (a tombstone: the row stays, so its id and its name are never given to anyone else)
    (
        "ALTER TABLE editors ADD COLUMN disabled TEXT",
        "ALTER TABLE editors ADD COLUMN removed TEXT",
    ),
    # 7: rate limits shared by every worker and host: one token bucket per limit and
    # client, forgotten once it would be full again
    (
        "CREATE TABLE rate_limits (name TEXT NOT NULL, client TEXT NOT NULL,"
        " tokens REAL NOT NULL, updated REAL NOT NULL, PRIMARY KEY (name, client))",
        "CREATE INDEX rate_limits_updated ON rate_limits(updated)",
    ),
)
#: The schema version this minilat writes (the number of migration steps).
EDITORIAL_VERSION = len(_EDITORIAL_STEPS)


#: The largest row id SQLite can hold (a larger number names no row).
_MAX_ID = 2**63 - 1


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _connect_editorial(path: Path) -> sqlite3.Connection:
    return connect_sqlite(path)


#: The seam for a bare SQLite connection (migrating a file being restored, or in tests).
_SQLITE = SQLiteBackend(Path("editorial.db"))


@contextlib.contextmanager
def _transaction(backend: Backend, con: Connection) -> Iterator[Connection]:
    """One write transaction on ``con`` holding the writer lock: committed if the block
    ends, rolled back if not."""
    backend.begin_write(con)
    try:
        yield con
    except BaseException:
        with contextlib.suppress(*backend.errors):
            backend.rollback(con)
        raise
    backend.commit(con)


def _immediate(con: sqlite3.Connection) -> contextlib.AbstractContextManager[Connection]:
    return _transaction(_SQLITE, con)


def _user_version(con: sqlite3.Connection) -> int:
    return _SQLITE.version(con)


def migrate(
    con: Connection, target: int = EDITORIAL_VERSION, backend: Backend | None = None
) -> int:
    """Move the editorial database on ``con`` forward to schema ``target``; return it.

    Each step runs in its own write transaction together with its new schema version, so
    a crash leaves the database at the previous version, and two processes starting at
    once apply each step once. ``backend`` is the database's kind (SQLite by default);
    the same steps run on both, translated by :meth:`Backend.ddl`. Raises StoreError for
    a database newer than this minilat.
    """
    backend = backend or _SQLITE
    version = backend.version(con)
    if version > EDITORIAL_VERSION:
        raise StoreError(
            f"the editorial database is schema version {version}, newer than this minilat"
            f" knows ({EDITORIAL_VERSION})",
            hint="upgrade minilat",
        )
    while version < target:
        with _transaction(backend, con):
            version = backend.version(con)  # another process may have moved it meanwhile
            if version >= target:
                break
            for statement in _EDITORIAL_STEPS[version]:
                con.execute(backend.ddl(statement))
            version += 1
            backend.set_version(con, version)
    return version


class Conflict(MinilatError):
    """A write that contradicts the current state (e.g. deciding a suggestion twice)."""

    status = 409
    exit_code = 1


class EditorialDB:
    """The editorial database: suggestions, editors, API tokens (only their hashes).

    Each call opens a short-lived connection, so an EditorialDB is safe from any thread
    and any number of processes; every write is one transaction.

    >>> import tempfile, pathlib
    >>> db = EditorialDB(pathlib.Path(tempfile.mkdtemp()) / "editorial.db")
    >>> db.version() == EDITORIAL_VERSION, db.integrity_check()
    (True, [])
    """

    def __init__(self, location: Path | str) -> None:
        self._backend = backend_for(location)
        #: The SQLite file (None when the database is a PostgreSQL one).
        self.path: Path | None = (
            self._backend.path if isinstance(self._backend, SQLiteBackend) else None
        )
        #: Where the database is, fit to print (a URL's password masked).
        self.location = self._backend.display
        failures: tuple[type[BaseException], ...] = (OSError, *self._backend.errors)
        try:
            self._backend.prepare()
            with self._backend.connection() as con:
                migrate(con, backend=self._backend)
        except failures as e:
            raise StoreError(
                f"cannot open the editorial database at {self.location}: {e}"
            ) from None

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._backend.name

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._backend.connection() as con:
                yield con
        except self._backend.errors as e:
            raise StoreError(
                f"cannot read the editorial database at {self.location}: {e}"
            ) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        backend = self._backend
        try:
            with backend.connection() as con, _transaction(backend, con):
                yield con
        except backend.integrity_errors:
            raise
        except backend.errors as e:
            bad = backend.bad_value(e)
            if bad is not None:  # nothing was written
                raise BadInput(bad) from None
            raise StoreError(
                f"cannot write the editorial database at {self.location}: {e}"
            ) from None
        except UnicodeEncodeError:  # a lone surrogate: nothing was written
            raise BadInput("the text holds characters that cannot be stored") from None
        except OverflowError:  # a number beyond SQLite's 64 bits: nothing was written
            raise BadInput("a number is too large") from None

    def _insert(self, con: Connection, sql: str, params: tuple[Any, ...]) -> int:
        return self._backend.insert(con, sql, params)

    def _file(self, what: str) -> Path:
        """The SQLite file, for what only a file allows (BadInput on PostgreSQL)."""
        if self.path is None:
            raise BadInput(
                f"{what} works on the SQLite editorial database; this one is PostgreSQL"
                f" ({self.location})",
                hint="back up and restore PostgreSQL with pg_dump and pg_restore (docs/deploy.md)",
            )
        return self.path

    # ---------------------------------------------------------------- the database itself

    def version(self) -> int:
        with self._read() as con:
            return self._backend.version(con)

    def integrity_check(self) -> list[str]:
        """The problems ``PRAGMA integrity_check`` finds (none: an empty list); PostgreSQL
        checks its own pages, so there it is a connection check."""
        with self._read() as con:
            if self.path is None:
                con.execute("SELECT 1").fetchone()
                return []
            return _integrity_problems(con)

    def backup(self, dest: Path) -> Path:
        """Copy the database to ``dest`` with SQLite's online backup (writers may go on).

        The copy is written beside ``dest`` and renamed into place, so ``dest`` is never
        half written; it is a single self-contained file (journal mode DELETE).
        """
        self._file("backup")
        dest = Path(dest)
        tmp = _temp_beside(dest)
        try:
            with (
                contextlib.closing(connect_sqlite(self._file("backup"))) as src,
                contextlib.closing(sqlite3.connect(tmp)) as out,
            ):
                src.backup(out)
                out.execute("PRAGMA journal_mode = DELETE")
            os.replace(tmp, dest)
        except (OSError, sqlite3.Error) as e:
            _unlink(tmp)
            raise StoreError(f"cannot write the backup {dest}: {e}") from None
        except BaseException:
            _unlink(tmp)
            raise
        return dest

    @classmethod
    def restore(cls, source: Path, path: Path) -> int:
        """Replace the editorial database at ``path`` with the backup ``source``.

        ``source`` is first copied beside ``path`` and checked there (``integrity_check``,
        a schema version this minilat knows) and migrated to the current schema; only a
        good copy replaces the data, in one transaction (SQLite's backup API into the live
        file, which is safe with WAL and open readers). When there is no database yet, or
        the current file is not a database or is corrupt, the good copy is renamed into
        place instead, and a damaged file is kept beside it as ``NAME.damaged-TIME``.
        Returns the schema version the backup had. Raises BadInput for a missing or bad
        file, leaving the current data untouched.
        """
        source, path = Path(source), Path(path)
        if not source.is_file():
            raise BadInput(f"no such backup file: {source}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_beside(path)
        try:
            version = _checked_copy(source, tmp)
            if path.exists() and not _replace_damaged(path, tmp):
                with (
                    contextlib.closing(sqlite3.connect(tmp)) as good,
                    contextlib.closing(_connect_editorial(path)) as live,
                ):
                    good.backup(live)
                _unlink(tmp)
            elif not path.exists():
                os.replace(tmp, path)
        except BadInput:
            _unlink(tmp)
            raise
        except (OSError, sqlite3.Error) as e:
            _unlink(tmp)
            raise StoreError(f"cannot restore into {path}: {e}") from None
        except BaseException:
            _unlink(tmp)
            raise
        cls(path)  # the restored file opens and is at the current schema
        return version

    # ------------------------------------------------------------------- suggestions

    def add_suggestion(self, *, what: str, where: str, source_url: str) -> int:
        """Store one suggestion; return its id (the write is committed when this returns)."""
        with self._write() as con:
            return self._insert(
                con,
                "INSERT INTO suggestions (received, what, location, source_url) VALUES (?,?,?,?)",
                (_now(), what, where, source_url),
            )

    def recent_suggestions(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._read() as con:
            rows = con.execute(
                "SELECT * FROM suggestions ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [dict(r) for r in rows]

    def suggestion_ids(self) -> list[int]:
        with self._read() as con:
            return [int(r[0]) for r in con.execute("SELECT id FROM suggestions ORDER BY id")]

    def count_suggestions(self) -> int:
        with self._read() as con:
            return int(con.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0])

    # ---------------------------------------------------------------- editors, tokens

    def add_editor(self, name: str, password_hash: str) -> int:
        """A new editor; BadInput if the name is taken."""
        try:
            with self._write() as con:
                return self._insert(
                    con,
                    "INSERT INTO editors (name, password_hash, created) VALUES (?,?,?)",
                    (name, password_hash, _now()),
                )
        except self._backend.integrity_errors:
            raise BadInput(
                f"there is already an editor called {name!r}", hint="pick another name"
            ) from None

    def editors(self) -> list[dict[str, Any]]:
        """Every editor not removed, with its state (``active`` or ``disabled``) and the
        number of live tokens (never a hash)."""
        with self._read() as con:
            rows = con.execute(
                "SELECT e.id, e.name, e.created,"
                " CASE WHEN e.disabled IS NULL THEN 'active' ELSE 'disabled' END AS state,"
                " (SELECT COUNT(*) FROM tokens t WHERE t.editor_id = e.id AND t.revoked IS NULL)"
                " AS tokens FROM editors e WHERE e.removed IS NULL ORDER BY e.name"
            ).fetchall()
        return [dict(r) for r in rows]

    def password_hash(self, name: str) -> str | None:
        """The password hash of an active editor (None if unknown, disabled or removed)."""
        with self._read() as con:
            row = con.execute(
                "SELECT password_hash FROM editors WHERE name = ? AND disabled IS NULL"
                " AND removed IS NULL",
                (name,),
            ).fetchone()
        return str(row[0]) if row else None

    def _editor_id(self, con: Connection, name: str) -> int:
        row = con.execute(
            "SELECT id FROM editors WHERE name = ? AND removed IS NULL", (name,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no editor called {name!r}", hint="see `minilat editors list`")
        return int(row[0])

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Change an editor's password hash and end its sign-in sessions (its API tokens
        stay: they are revoked one by one)."""
        with self._write() as con:
            editor_id = self._editor_id(con, name)
            con.execute(
                "UPDATE editors SET password_hash = ? WHERE id = ?", (password_hash, editor_id)
            )
            con.execute(
                "UPDATE sessions SET revoked = ? WHERE editor_id = ? AND revoked IS NULL",
                (_now(), editor_id),
            )

    def set_disabled(self, name: str, disabled: bool) -> bool:
        """Disable or enable an editor; True if its state changed. A disabled editor's
        password, tokens and sessions are kept but answer for nothing until enabled."""
        with self._write() as con:
            editor_id = self._editor_id(con, name)
            currently = "disabled IS NULL" if disabled else "disabled IS NOT NULL"
            cur = con.execute(
                f"UPDATE editors SET disabled = ? WHERE id = ? AND {currently}",
                (_now() if disabled else None, editor_id),
            )
            return cur.rowcount > 0

    def remove_editor(self, name: str) -> None:
        """Remove an editor for good: its tokens and sessions are revoked and the row
        becomes a tombstone, so neither its id nor its name is ever given again (the
        audit trail names editors)."""
        with self._write() as con:
            editor_id = self._editor_id(con, name)
            now = _now()
            con.execute(
                "UPDATE tokens SET revoked = ? WHERE editor_id = ? AND revoked IS NULL",
                (now, editor_id),
            )
            con.execute(
                "UPDATE sessions SET revoked = ? WHERE editor_id = ? AND revoked IS NULL",
                (now, editor_id),
            )
            con.execute(
                "UPDATE editors SET removed = ?, password_hash = '' WHERE id = ?", (now, editor_id)
            )

    def add_token(self, name: str, token_hash: str) -> int:
        """Record a token (its hash) for editor ``name``; NotFound for an unknown editor."""
        with self._write() as con:
            editor_id = self._editor_id(con, name)
            return self._insert(
                con,
                "INSERT INTO tokens (editor_id, token_hash, created) VALUES (?,?,?)",
                (editor_id, token_hash, _now()),
            )

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token; NotFound if there is no such token, BadInput if already revoked."""
        with self._write() as con:
            if not 0 < token_id <= _MAX_ID:
                raise NotFound(f"no token {token_id}", hint="see `minilat editors list`")
            row = con.execute("SELECT revoked FROM tokens WHERE id = ?", (token_id,)).fetchone()
            if row is None:
                raise NotFound(f"no token {token_id}", hint="see `minilat editors list`")
            if row[0] is not None:
                raise BadInput(f"token {token_id} was already revoked on {row[0]}")
            con.execute("UPDATE tokens SET revoked = ? WHERE id = ?", (_now(), token_id))

    def tokens(self, name: str | None = None) -> list[dict[str, Any]]:
        """Tokens (id, editor, created, revoked; never the hash), of one editor or all."""
        sql = (
            "SELECT t.id, e.name AS editor, t.created, t.revoked FROM tokens t"
            " JOIN editors e ON e.id = t.editor_id"
        )
        params: tuple[str, ...] = ()
        if name is not None:
            sql += " WHERE e.name = ?"
            params = (name,)
        with self._read() as con:
            return [dict(r) for r in con.execute(sql + " ORDER BY t.id", params)]

    def token_editor(self, token_hash: str) -> str | None:
        """The name of the editor holding the live token with this hash, or None."""
        with self._read() as con:
            row = con.execute(
                "SELECT e.name FROM tokens t JOIN editors e ON e.id = t.editor_id"
                " WHERE t.token_hash = ? AND t.revoked IS NULL"
                " AND e.disabled IS NULL AND e.removed IS NULL",
                (token_hash,),
            ).fetchone()
        return str(row[0]) if row else None

    # ------------------------------------------------------------------ sign-in sessions

    def add_session(self, name: str, session_hash: str, expires: str) -> int:
        """Record a session (its hash) for editor ``name`` until ``expires`` (ISO time, UTC)."""
        with self._write() as con:
            editor_id = self._editor_id(con, name)
            return self._insert(
                con,
                "INSERT INTO sessions (editor_id, session_hash, created, expires) VALUES (?,?,?,?)",
                (editor_id, session_hash, _now(), expires),
            )

    def session_editor(self, session_hash: str) -> str | None:
        """The editor of the live (not revoked, not expired) session with this hash."""
        with self._read() as con:
            row = con.execute(
                "SELECT e.name FROM sessions s JOIN editors e ON e.id = s.editor_id"
                " WHERE s.session_hash = ? AND s.revoked IS NULL AND s.expires > ?"
                " AND e.disabled IS NULL AND e.removed IS NULL",
                (session_hash, _now()),
            ).fetchone()
        return str(row[0]) if row else None

    def revoke_session(self, session_hash: str) -> bool:
        """End a session; True if a live one was ended."""
        with self._write() as con:
            cur = con.execute(
                "UPDATE sessions SET revoked = ? WHERE session_hash = ? AND revoked IS NULL",
                (_now(), session_hash),
            )
            return cur.rowcount > 0

    # ------------------------------------------------------- review and the audit trail

    def open_suggestions(self, limit: int = 200) -> list[dict[str, Any]]:
        """Suggestions not decided yet, oldest first."""
        with self._read() as con:
            rows = con.execute(
                "SELECT * FROM suggestions WHERE status = 'new' ORDER BY id LIMIT ?", (limit,)
            ).fetchall()
        return [dict(r) for r in rows]

    def decide_suggestion(
        self, suggestion_id: int, *, editor: str, status: str, why: str
    ) -> dict[str, Any]:
        """Set an open suggestion's status and write its audit record, in one transaction.

        Returns the audit record. NotFound for an unknown suggestion, Conflict if it was
        decided already (nothing is written then).
        """
        with self._write() as con:
            if not 0 < suggestion_id <= _MAX_ID:
                raise NotFound(f"no suggestion {suggestion_id}")
            row = con.execute("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)).fetchone()
            if row is None:
                raise NotFound(f"no suggestion {suggestion_id}")
            before = dict(row)
            if before["status"] != "new":
                raise Conflict(
                    f"suggestion {suggestion_id} was already decided ({before['status']})"
                )
            after = {**before, "status": status}
            con.execute("UPDATE suggestions SET status = ? WHERE id = ?", (status, suggestion_id))
            record = {
                "at": _now(),
                "editor": editor,
                "action": status,
                "target": f"suggestion:{suggestion_id}",
                "before": before,
                "after": after,
                "why": why,
            }
            audit_id = self._insert(
                con,
                "INSERT INTO audit (at, editor, action, target, before, after, why)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    record["at"],
                    editor,
                    record["action"],
                    record["target"],
                    json.dumps(before, ensure_ascii=False),
                    json.dumps(after, ensure_ascii=False),
                    why,
                ),
            )
            return {"id": audit_id, **record}

    def audit_records(
        self, limit: int = 100, target: str | None = None, before: int | None = None
    ) -> list[dict[str, Any]]:
        """The latest audit records, newest first (before/after decoded from JSON); only
        those about ``target`` (e.g. ``grouping:quad``) if given, and only those older
        than record ``before`` if given (the next page)."""
        where = ["id < ?"]
        params: list[Any] = [min(before, _MAX_ID) if before is not None else _MAX_ID]
        if target is not None:
            where.append("target = ?")
            params.append(target)
        with self._read() as con:
            rows = con.execute(
                f"SELECT * FROM audit WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
                (*params, limit),
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            for k in ("before", "after"):
                d[k] = json.loads(d[k]) if d[k] is not None else None
            out.append(d)
        return out

    # ------------------------------------------------------------ edits of the dataset

    def records(self) -> list[dict[str, Any]]:
        """Every edited record (``target``, ``version``, ``doc`` decoded, ``doc_hash``,
        ``base_hash``, ``synced``, ``audit_id``), by target."""
        with self._read() as con:
            rows = con.execute("SELECT * FROM records ORDER BY target").fetchall()
        return [_record(r) for r in rows]

    def record(self, target: str) -> dict[str, Any] | None:
        with self._read() as con:
            row = con.execute("SELECT * FROM records WHERE target = ?", (target,)).fetchone()
        return _record(row) if row is not None else None

    def change_record(
        self,
        target: str,
        decide: Callable[[dict[str, Any] | None], tuple[dict[str, Any], dict[str, Any]]],
    ) -> dict[str, Any]:
        """Change one record and write its audit record, in one write transaction.

        ``decide(current)`` gets the record as stored (None if never edited), while the
        write lock is held, so nothing can change it meanwhile; it returns the new record
        (``version``, ``doc``, ``doc_hash``, ``base_hash``, ``synced``) and the audit
        record (``editor``, ``action``, ``before``, ``after``, ``why``), or raises (e.g.
        :class:`Conflict` for a stale edit) and nothing is written. Returns the audit
        record with its ``id``.
        """
        with self._write() as con:
            row = con.execute("SELECT * FROM records WHERE target = ?", (target,)).fetchone()
            new, audit = decide(_record(row) if row is not None else None)
            at = _now()
            audit_id = self._insert(
                con,
                "INSERT INTO audit (at, editor, action, target, before, after, why)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    at,
                    audit["editor"],
                    audit["action"],
                    target,
                    json.dumps(audit["before"], ensure_ascii=False),
                    json.dumps(audit["after"], ensure_ascii=False),
                    audit["why"],
                ),
            )
            con.execute(
                "INSERT INTO records (target, version, doc, doc_hash, base_hash, synced,"
                " audit_id) VALUES (?,?,?,?,?,?,?) ON CONFLICT(target) DO UPDATE SET"
                " version = excluded.version, doc = excluded.doc,"
                " doc_hash = excluded.doc_hash, base_hash = excluded.base_hash,"
                " synced = excluded.synced, audit_id = excluded.audit_id",
                (
                    target,
                    int(new["version"]),
                    json.dumps(new["doc"], ensure_ascii=False),
                    new["doc_hash"],
                    new["base_hash"],
                    int(bool(new["synced"])),
                    audit_id,
                ),
            )
            return {"id": audit_id, "at": at, "target": target, **audit}

    def take_token(
        self, name: str, client: str, capacity: int, per: float, now: float | None = None
    ) -> float:
        """Spend one request of ``client`` under the rate limit ``name`` (a token bucket
        of ``capacity`` requests refilled over ``per`` seconds); 0.0 if allowed, else the
        seconds to wait. One write transaction, so every worker and host counts in the
        same bucket; buckets untouched for ``per`` seconds (full again) are deleted.

        ``now`` is the wall clock's seconds (shared by processes and hosts).
        """
        now = time.time() if now is None else now
        rate = capacity / per
        with self._write() as con:
            row = con.execute(
                "SELECT tokens, updated FROM rate_limits WHERE name = ? AND client = ?",
                (name, client),
            ).fetchone()
            tokens, last = (float(capacity), now) if row is None else (row[0], row[1])
            tokens = min(float(capacity), tokens + max(0.0, now - last) * rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / rate
            con.execute(
                "INSERT INTO rate_limits (name, client, tokens, updated) VALUES (?,?,?,?)"
                " ON CONFLICT (name, client) DO UPDATE SET tokens = excluded.tokens,"
                " updated = excluded.updated",
                (name, client, tokens, now),
            )
            con.execute("DELETE FROM rate_limits WHERE name = ? AND updated < ?", (name, now - per))
        return wait

    def copy_into(self, target: EditorialDB) -> dict[str, int]:
        """Copy every row of this editorial database into ``target``, an empty one (of
        either kind: SQLite to PostgreSQL, or back), ids and all, in one transaction of
        ``target``; the number of rows copied per table. The rate-limit buckets are not
        copied (they only ever forgive). BadInput if ``target`` holds any editor,
        suggestion, audit record or edit already; nothing is written then.
        """
        if target.location == self.location:
            raise BadInput("the source and the target are the same database")
        counts: dict[str, int] = {}
        with self._read() as src, target._write() as dst:
            for table in _COPIED:
                if table != "site" and dst.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    raise BadInput(
                        f"the target editorial database ({target.location}) is not empty:"
                        f" its table {table} has rows",
                        hint="copy into a new, empty database",
                    )
            dst.execute("DELETE FROM site")  # a server started on it made its own secret
            for table in _COPIED:
                rows = src.execute(f"SELECT * FROM {table}").fetchall()
                if rows:
                    names = list(rows[0].keys())
                    marks = ",".join("?" * len(names))
                    insert = f"INSERT INTO {table} ({','.join(names)}) VALUES ({marks})"
                    for row in rows:
                        dst.execute(insert, tuple(_portable(v) for v in row))
                if table in _WITH_IDS:
                    target._backend.ids_copied(dst, table)
                counts[table] = len(rows)
        return counts

    def site_secret(self) -> bytes:
        """The site's signing secret: 32 random bytes made on first use, then kept."""
        with self._write() as con:
            row = con.execute("SELECT value FROM site WHERE key = 'secret'").fetchone()
            if row is not None:
                return bytes(row[0])
            secret = secrets.token_bytes(32)
            con.execute("INSERT INTO site (key, value) VALUES ('secret', ?)", (secret,))
            return secret

    def edits_generation(self) -> int:
        """A number that grows with every change to the edited records (0: none yet)."""
        with self._read() as con:
            return int(con.execute("SELECT COALESCE(MAX(audit_id), 0) FROM records").fetchone()[0])


#: The tables copied by :meth:`EditorialDB.copy_into`, each after those it refers to.
_COPIED = ("suggestions", "editors", "tokens", "sessions", "audit", "records", "site")
_WITH_IDS = ("suggestions", "editors", "tokens", "sessions", "audit")


def _portable(value: Any) -> Any:
    """A value as read from one engine, fit for the other (a memoryview is bytes)."""
    return bytes(value) if isinstance(value, memoryview) else value


def _record(row: Any) -> dict[str, Any]:
    d = dict(row)
    d["doc"] = json.loads(d["doc"])
    d["synced"] = bool(d["synced"])
    return d


def _integrity_problems(con: Connection) -> list[str]:
    rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _unlink(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            os.unlink(p)


def _replace_damaged(path: Path, good: Path) -> bool:
    """If the database at ``path`` is unusable (not a database, or corrupt), set it aside
    with its WAL files and rename ``good`` into its place; True if it did."""
    try:
        with contextlib.closing(_connect_editorial(path)) as con:
            if not _integrity_problems(con):
                return False
    except sqlite3.DatabaseError as e:
        if getattr(e, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, f"{path}.damaged-{stamp}{suffix}")
    os.replace(good, path)
    return True


def _checked_copy(source: Path, tmp: Path) -> int:
    """Copy the backup ``source`` into ``tmp``, check it, migrate it; its schema version.

    BadInput names what is wrong: not a SQLite file, damaged, not an editorial database,
    or from a newer minilat.
    """
    bad = f"refusing to restore {source}"
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            contextlib.closing(sqlite3.connect(tmp)) as out,
        ):
            src.backup(out)
    except sqlite3.Error as e:
        raise BadInput(f"{bad}: it is not a readable SQLite database ({e})") from None
    try:
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as con:
            problems = _integrity_problems(con)
            if problems:
                raise BadInput(
                    f"{bad}: the integrity check failed ({'; '.join(problems[:3])})",
                    hint="the file is damaged; use another backup",
                )
            version = _user_version(con)
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if version < 1 or "suggestions" not in tables:
                raise BadInput(
                    f"{bad}: it is not a minilat editorial database",
                    hint="restore a file written by `minilat backup`",
                )
            if version > EDITORIAL_VERSION:
                raise BadInput(
                    f"{bad}: it is schema version {version}, newer than this minilat knows"
                    f" ({EDITORIAL_VERSION})",
                    hint="upgrade minilat first",
                )
            migrate(con)
            con.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as e:
        raise BadInput(f"{bad}: it is damaged ({e})", hint="use another backup") from None
    return version


class SuggestionStore:
    """Corrections suggested by visitors, kept for editors (the web's face of an
    :class:`EditorialDB`: the same file format, so one file can hold both).

    The store of the dataset stays read-only; this one is append-only from the web.
    Each call opens a short-lived connection, so it is safe from any thread.

    >>> import tempfile, pathlib
    >>> s = SuggestionStore(pathlib.Path(tempfile.mkdtemp()) / "s.db")
    >>> s.add(what="Quad founded 2007", where="/groupings/quad", source_url="https://example.org")
    1
    >>> s.count()
    1
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path
        try:
            self._db = EditorialDB(path)
        except StoreError as e:
            raise StoreError(f"cannot open the suggestions store at {path}: {e}") from None

    def add(self, *, what: str, where: str, source_url: str) -> int:
        """Store one suggestion; return its id."""
        try:
            return self._db.add_suggestion(what=what, where=where, source_url=source_url)
        except StoreError as e:
            raise StoreError(f"cannot store the suggestion: {e.message}") from None

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest suggestions, newest first."""
        return self._db.recent_suggestions(limit)

    def count(self) -> int:
        return self._db.count_suggestions()
