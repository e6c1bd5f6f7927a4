"""The editorial database: migrations from every earlier schema, editors and tokens,
backup and checked restore, and the CLI faces; on SQLite and PostgreSQL alike (the file's
own features, pragmas and backups, on SQLite only)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from editorial_backends import editorial_backend, postgres_only, sqlite_only, stored_text
from minilat.cli import cli
from minilat.editorial import editors
from minilat.editorial.backend import backend_for
from minilat.editorial.database import EDITORIAL_VERSION, EditorialDB, SuggestionStore, migrate
from minilat.errors import BadInput, NotFound, StoreError

__all__ = ["editorial_backend"]  # the fixture: every test here on SQLite and PostgreSQL

PASSWORD = "correct horse battery staple"

#: The suggestions file exactly as SuggestionStore wrote it before the schema was versioned.
LEGACY_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS suggestions (id INTEGER PRIMARY KEY, received TEXT NOT NULL,"
    " what TEXT NOT NULL, location TEXT NOT NULL, source_url TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'new')"
)


@pytest.fixture
def db(editorial_location: Path | str) -> EditorialDB:
    return EditorialDB(editorial_location)


def _suggest(db: EditorialDB, n: int = 1) -> list[int]:
    return [
        db.add_suggestion(what=f"fix {i}", where="/groupings/quad", source_url="https://e.org")
        for i in range(n)
    ]


# ------------------------------------------------------------------ the file and migrations


@sqlite_only
def test_pragmas_and_version(db: EditorialDB) -> None:
    con = sqlite3.connect(db.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == EDITORIAL_VERSION
    con.close()
    assert db.version() == EDITORIAL_VERSION and db.integrity_check() == []


def test_foreign_keys_are_enforced(db: EditorialDB) -> None:
    with pytest.raises(db._backend.integrity_errors), db._write() as con:
        con.execute("INSERT INTO tokens (editor_id, token_hash, created) VALUES (99, 'h', 'now')")
    assert db.tokens() == []  # and the failed transaction left nothing behind


def test_sql_keeps_a_percent_sign_with_and_without_parameters(db: EditorialDB) -> None:
    with db._read() as con:
        assert con.execute("SELECT 'a%b'").fetchone()[0] == "a%b"
        assert con.execute("SELECT CAST(? AS TEXT) || '%'", ("5",)).fetchone()[0] == "5%"


def test_migrates_the_legacy_suggestions_file(tmp_path: Path) -> None:
    path = tmp_path / "minilat-suggestions.db"
    con = sqlite3.connect(path)
    con.execute(LEGACY_SCHEMA)
    con.execute(
        "INSERT INTO suggestions (received, what, location, source_url) VALUES (?,?,?,?)",
        ("2026-01-01T00:00:00+00:00", "old one", "/", "https://e.org"),
    )
    con.commit()
    con.close()
    db = EditorialDB(path)
    assert db.version() == EDITORIAL_VERSION
    assert [s["what"] for s in db.recent_suggestions()] == ["old one"]
    assert SuggestionStore(path).count() == 1


@pytest.mark.parametrize("start", range(EDITORIAL_VERSION))
def test_migrates_from_every_earlier_version(editorial_location: Path | str, start: int) -> None:
    path = editorial_location
    backend = backend_for(path)
    backend.prepare()
    with backend.connection() as con:
        assert migrate(con, target=start, backend=backend) == start
        if start >= 1:
            con.execute(
                "INSERT INTO suggestions (received, what, location, source_url)"
                " VALUES ('t', 'kept', '/', 'https://e.org')"
            )
    db = EditorialDB(path)
    assert db.version() == EDITORIAL_VERSION and db.integrity_check() == []
    assert db.count_suggestions() == (1 if start >= 1 else 0)
    editors.add_editor(db, "ada", PASSWORD)  # the newest tables work
    assert [e["name"] for e in db.editors()] == ["ada"]
    EditorialDB(path)  # opening again is a no-op
    assert db.version() == EDITORIAL_VERSION


def test_a_newer_database_is_refused(editorial_location: Path | str) -> None:
    backend = backend_for(editorial_location)
    backend.prepare()
    with backend.connection() as con:
        backend.set_version(con, EDITORIAL_VERSION + 1)
    with pytest.raises(StoreError, match="newer than this minilat"):
        EditorialDB(editorial_location)


def test_a_failed_step_leaves_the_previous_version(editorial_location: Path | str) -> None:
    backend = backend_for(editorial_location)
    backend.prepare()
    with backend.connection() as con:
        migrate(con, target=1, backend=backend)
        con.execute("CREATE TABLE editors (x INTEGER)")  # step 2 will fail on this
        with pytest.raises(backend.errors):
            migrate(con, backend=backend)
        assert backend.version(con) == 1
        with pytest.raises(backend.errors):  # step 2's other tables were not made either
            con.execute("SELECT COUNT(*) FROM tokens")


@postgres_only
def test_an_unreachable_server_is_a_store_error(editorial_backend: str) -> None:
    with pytest.raises(StoreError, match="cannot open the editorial database at postgresql") as e:
        EditorialDB("postgresql://nobody:s3cr3t@127.0.0.1:1/none")
    assert "nobody:***@127.0.0.1:1/none" in e.value.message and "s3cr3t" not in e.value.message


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open the editorial database"):
        EditorialDB(path)


# ------------------------------------------------------------------------ editors, tokens


def test_editors_and_tokens(db: EditorialDB) -> None:
    e = editors.add_editor(db, "ada", PASSWORD)
    assert e["name"] == "ada" and "password_hash" not in e
    stored = db.password_hash("ada")
    assert stored and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert editors.verify_password(db, "ada", PASSWORD)
    assert not editors.verify_password(db, "ada", PASSWORD + "x")
    assert not editors.verify_password(db, "nobody", PASSWORD)
    tid, token = editors.new_token(db, "ada")
    assert token.startswith(editors.TOKEN_PREFIX) and len(token) >= 40
    assert editors.editor_for_token(db, token) == "ada"
    assert editors.editor_for_token(db, token + "x") is None
    assert editors.editor_for_token(db, "not-a-token") is None
    # only the hash is stored
    dump = stored_text(db)
    assert token not in dump and editors.hash_token(token) in dump and PASSWORD not in dump
    assert editors.list_editors(db)[0]["token_ids"] == [tid]
    editors.revoke_token(db, tid)
    assert editors.editor_for_token(db, token) is None
    assert editors.list_editors(db)[0]["token_ids"] == []
    with pytest.raises(BadInput, match="already revoked"):
        editors.revoke_token(db, tid)
    with pytest.raises(NotFound):
        editors.revoke_token(db, 999)
    with pytest.raises(NotFound):
        editors.new_token(db, "nobody")


@pytest.mark.parametrize(
    ("name", "password", "match"),
    [
        ("Ada Lovelace", PASSWORD, "not a valid editor name"),
        ("a", PASSWORD, "not a valid editor name"),
        ("ada", "short", "too short"),
    ],
)
def test_bad_editors_are_refused(db: EditorialDB, name: str, password: str, match: str) -> None:
    with pytest.raises(BadInput, match=match):
        editors.add_editor(db, name, password)
    assert db.editors() == []


def test_a_taken_name_is_refused(db: EditorialDB) -> None:
    editors.add_editor(db, "ada", PASSWORD)
    with pytest.raises(BadInput, match="already an editor"):
        editors.add_editor(db, "ada", PASSWORD)


# --------------------------------------------------------------------- backup and restore


@sqlite_only
def test_backup_and_restore_round_trip(db: EditorialDB, tmp_path: Path) -> None:
    editors.add_editor(db, "ada", PASSWORD)
    ids = _suggest(db, 3)
    out = db.backup(tmp_path / "b" / "backup.db")
    assert out.stat().st_mode & 0o077 == 0  # password hashes: readable by the owner only
    _suggest(db, 2)  # changes after the backup are undone by the restore
    reader = sqlite3.connect(db.path)  # an open reader does not stop the restore
    assert EditorialDB.restore(out, db.path) == EDITORIAL_VERSION
    assert db.suggestion_ids() == ids and db.integrity_check() == []
    assert reader.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] == 3
    reader.close()
    assert editors.verify_password(db, "ada", PASSWORD)
    fresh = tmp_path / "new" / "editorial.db"
    EditorialDB.restore(out, fresh)  # into a place with no database yet
    assert EditorialDB(fresh).suggestion_ids() == ids
    assert not [p for p in fresh.parent.iterdir() if p.name.endswith(".tmp")]


@sqlite_only
def test_restore_repairs_a_damaged_database(db: EditorialDB, tmp_path: Path) -> None:
    ids = _suggest(db, 5)
    good = db.backup(tmp_path / "good.db")
    db.path.write_bytes(b"overwritten by accident" * 500)
    with pytest.raises(StoreError):
        db.count_suggestions()
    EditorialDB.restore(good, db.path)
    assert db.suggestion_ids() == ids and db.integrity_check() == []
    kept = [p for p in db.path.parent.iterdir() if ".damaged-" in p.name]
    assert kept and kept[0].read_bytes().startswith(b"overwritten")


@sqlite_only
def test_restore_migrates_an_older_backup(db: EditorialDB, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.execute(LEGACY_SCHEMA)
    con.execute("PRAGMA user_version = 1")
    con.close()
    assert EditorialDB.restore(old, db.path) == 1
    assert db.version() == EDITORIAL_VERSION and db.editors() == []


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(page + 100, len(data), 7):  # damage every page but the header
        data[i] = (data[i] + 0x5A) % 256
    path.write_bytes(bytes(data))


def _future(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute(f"PRAGMA user_version = {EDITORIAL_VERSION + 5}")


def _foreign(path: Path) -> None:
    path.unlink()
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE cats (name TEXT)")
        con.commit()


def _junk(path: Path) -> None:
    path.write_bytes(b"hello, not a database\n" * 300)


@pytest.mark.parametrize(
    ("spoil", "match"),
    [
        (_corrupt, "damaged|integrity check failed|not a readable"),
        (_future, "newer than this minilat"),
        (_foreign, "not a minilat editorial database"),
        (_junk, "not a readable SQLite database"),
        (lambda p: p.unlink(), "no such backup file"),
    ],
)
@sqlite_only
def test_restore_refuses_a_bad_file(
    db: EditorialDB, tmp_path: Path, spoil: Callable[[Path], None], match: str
) -> None:
    ids = _suggest(db, 50)
    bad = db.backup(tmp_path / "bad.db")
    spoil(bad)
    before = db.path.read_bytes()
    with pytest.raises(BadInput, match=match):
        EditorialDB.restore(bad, db.path)
    assert db.path.read_bytes() == before and db.suggestion_ids() == ids
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------- the CLI


@pytest.fixture
def run_ed(tmp_path: Path, editorial_location: Path | str) -> Callable[..., Result]:
    where = (
        ["--editorial-url", editorial_location]
        if isinstance(editorial_location, str)
        else ["--editorial", str(tmp_path / "ed.db")]
    )

    def _run(*args: str, input: str | None = None) -> Result:
        opts = ["--db", str(tmp_path / "m.db"), *where]
        return CliRunner().invoke(cli, [*opts, *args], input=input, catch_exceptions=False)

    return _run


def test_cli_editors(
    run_ed: Callable[..., Result],
    tmp_path: Path,
    editorial_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("minilat.cli.editors._stdin_is_terminal", lambda: True)
    r = run_ed("editors", "add", "ada", "--password-stdin", input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert PASSWORD not in r.output
    r = run_ed("editors", "add", "bob", input=f"{PASSWORD}\n{PASSWORD}\n")  # the prompt
    assert r.exit_code == 0, r.output
    assert PASSWORD not in r.output
    r = run_ed("editors", "token", "ada")
    assert r.exit_code == 0
    token = r.stdout.strip().splitlines()[-1]
    db = EditorialDB(
        editorial_location if isinstance(editorial_location, str) else tmp_path / "ed.db"
    )
    assert editors.editor_for_token(db, token) == "ada"
    listed = run_ed("editors", "list", "--json")
    assert '"token_ids": [\n        1\n      ]' in listed.output and "argon2" not in listed.output
    assert run_ed("editors", "list").exit_code == 0
    assert run_ed("editors", "revoke", "1").exit_code == 0
    again = run_ed("editors", "revoke", "1")
    assert again.exit_code == 2 and "already revoked" in again.output
    assert editors.editor_for_token(db, token) is None
    short = run_ed("editors", "add", "cy", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "too short" in short.output
    assert run_ed("editors", "token", "nobody").exit_code == 2


@postgres_only
def test_cli_backup_of_postgresql_points_to_pg_dump(
    run_ed: Callable[..., Result], tmp_path: Path
) -> None:
    for args in (["backup", str(tmp_path / "b.db")], ["restore", "--yes", str(tmp_path / "b")]):
        r = run_ed(*args)
        assert r.exit_code == 2 and "pg_dump" in r.output, r.output
    assert not (tmp_path / "b.db").exists()


@sqlite_only
def test_cli_backup_and_restore(run_ed: Callable[..., Result], tmp_path: Path) -> None:
    run_ed("editors", "add", "ada", "--password-stdin", input=PASSWORD + "\n")
    r = run_ed("backup", str(tmp_path / "b.db"))
    assert r.exit_code == 0, r.output
    run_ed("editors", "add", "bob", "--password-stdin", input=PASSWORD + "\n")
    (tmp_path / "junk.db").write_text("junk")
    bad = run_ed("restore", "--yes", str(tmp_path / "junk.db"))
    assert bad.exit_code == 2 and "refusing to restore" in bad.output
    no = run_ed("restore", str(tmp_path / "b.db"), input="n\n")
    assert no.exit_code == 1
    assert len(EditorialDB(tmp_path / "ed.db").editors()) == 2
    ok = run_ed("restore", str(tmp_path / "b.db"), input="y\n")
    assert ok.exit_code == 0, ok.output
    assert [e["name"] for e in EditorialDB(tmp_path / "ed.db").editors()] == ["ada"]
    missing = run_ed("restore", "--yes", str(tmp_path / "nope.db"))
    assert missing.exit_code == 2 and "no such backup file" in missing.output


def test_the_default_place_is_beside_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINILAT_EDITORIAL", raising=False)
    r = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "m.db"), "editors", "add", "ada", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "minilat-editorial.db").exists()


@postgres_only
def test_cli_migrate_db_copies_sqlite_into_postgresql(
    run_ed: Callable[..., Result], editorial_location: Path | str, tmp_path: Path
) -> None:
    old = EditorialDB(tmp_path / "old.db")
    editors.add_editor(old, "ada", PASSWORD)
    editors.add_editor(old, "bob", PASSWORD)
    editors.remove_editor(old, "bob")  # a tombstone: its id must never come back
    _, token = editors.new_token(old, "ada")
    sid = editors.new_session(old, "ada")
    ids = _suggest(old, 3)
    old.decide_suggestion(ids[0], editor="ada", status="accepted", why="sourced")
    secret = old.site_secret()
    r = run_ed("editors", "migrate-db", "--from", str(tmp_path / "old.db"), "--json")
    assert r.exit_code == 0, r.output
    assert '"editors": 2' in r.output and '"audit": 1' in r.output
    new = EditorialDB(editorial_location)
    assert new.kind == "postgresql" and new.version() == EDITORIAL_VERSION
    assert editors.editor_for_token(new, token) == "ada"
    assert editors.editor_for_session(new, sid) == "ada"
    assert editors.verify_password(new, "ada", PASSWORD)
    assert new.suggestion_ids() == ids and new.site_secret() == secret
    assert new.audit_records() == old.audit_records()
    assert [e["name"] for e in new.editors()] == ["ada"]
    cy = editors.add_editor(new, "cy", PASSWORD)  # ids go on after the copied ones
    assert cy["id"] == 3
    again = run_ed("editors", "migrate-db", "--from", str(tmp_path / "old.db"))
    assert again.exit_code == 2 and "not empty" in again.output
    assert len(new.editors()) == 2  # nothing was written by the refused copy


@sqlite_only
def test_cli_migrate_db_needs_a_postgresql_target(run_ed: Callable[..., Result]) -> None:
    r = run_ed("editors", "migrate-db")
    assert r.exit_code == 2 and "MINILAT_EDITORIAL_URL" in r.output
