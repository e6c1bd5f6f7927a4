"""Editors and their API tokens, kept in the editorial database.

Passwords are hashed with Argon2id (``argon2-cffi``, its default RFC 9106 parameters);
the password itself is never stored, logged or shown. An API token is 32 random bytes
(shown once, URL-safe base64 with the prefix ``mlt_``) and only its SHA-256 hash is
stored, so a copy of the database does not give anyone a usable token. Tokens are
revoked by their id, which is safe to show.

A password must be at least :data:`MIN_PASSWORD` characters and not guessable: it is
scored with ``zxcvbn`` (common and leaked passwords, names, dates, keyboard patterns,
repeats) and refused below :data:`MIN_STRENGTH`. Checking a password costs Argon2id's
64 MiB for a moment, so at most :data:`MAX_PASSWORD_CHECKS` run at once per process; the
rest wait their turn (40 sign-ins at once stay within a few hundred MiB).

Accounts can be disabled (kept, answering for nothing), enabled again, removed (tokens and
sessions revoked; the row stays as a tombstone, so an id or a name is never given to
anyone else and no old token can answer for a new editor) and given a new password (which
ends its sessions).

All SQL is in :class:`minilat.editorial.database.EditorialDB`; this module holds the rules.

>>> import tempfile, pathlib
>>> from minilat.editorial.database import EditorialDB
>>> db = EditorialDB(pathlib.Path(tempfile.mkdtemp()) / "editorial.db")
>>> add_editor(db, "ada", "a long enough secret")["name"]
'ada'
>>> verify_password(db, "ada", "a long enough secret"), verify_password(db, "ada", "wrong")
(True, False)
>>> add_editor(db, "bob", "password1234")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
minilat.errors.BadInput: the password is too easy to guess: This is a very common password. ...
>>> token_id, token = new_token(db, "ada")
>>> editor_for_token(db, token)
'ada'
>>> revoke_token(db, token_id); editor_for_token(db, token) is None
True
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import os
import re
import secrets
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from minilat.editorial.backend import SQLiteBackend, checkpoint_sqlite, is_url
from minilat.editorial.database import EditorialDB
from minilat.errors import BadInput, StoreError

__all__ = [
    "DEFAULT_NAME",
    "MAX_PASSWORD_CHECKS",
    "MIN_PASSWORD",
    "MIN_STRENGTH",
    "NAME_RE",
    "SESSION_SECONDS",
    "TOKEN_PREFIX",
    "add_editor",
    "check_password",
    "default_editorial_path",
    "disable_editor",
    "editor_for_session",
    "editor_for_token",
    "editorial_location",
    "editorial_path",
    "enable_editor",
    "end_session",
    "hash_token",
    "list_editors",
    "new_session",
    "new_token",
    "remove_editor",
    "revoke_token",
    "set_password",
    "verify_password",
]

#: An editor's name: lower-case letters, digits, ``.``, ``_`` and ``-``; 2 to 40 characters.
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
#: The shortest password accepted, in characters.
MIN_PASSWORD = 12
#: The lowest zxcvbn score accepted (0-4; 3: "safely unguessable", about 10^8 guesses+).
MIN_STRENGTH = 3
#: How many password checks (Argon2id, 64 MiB each) may run at once in one process.
MAX_PASSWORD_CHECKS = 2
#: What every API token starts with (so a leaked one is easy to recognise and search for).
TOKEN_PREFIX = "mlt_"
#: The default file name of the editorial database.
DEFAULT_NAME = "minilat-editorial.db"

_hasher = PasswordHasher()
_checks = threading.BoundedSemaphore(MAX_PASSWORD_CHECKS)


def default_editorial_path() -> Path:
    """The editorial database's default place: the user's data folder (platformdirs),
    never the cache folder, since it cannot be rebuilt."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("minilat")) / DEFAULT_NAME


def editorial_path(store_path: Path, given: str | None = None) -> Path:
    """Where the editorial database is: ``given`` (the setting); else, for the store at
    its default place (the cache folder), :func:`default_editorial_path`; else beside a
    store given a place of its own (``--db``), as before.

    >>> editorial_path(Path("/srv/minilat.db")).as_posix()
    '/srv/minilat-editorial.db'
    """
    if given:
        return Path(given)
    from minilat import settings

    store_path = Path(store_path)
    if store_path == Path(settings.SETTINGS[0].default() or ""):
        path = default_editorial_path()
        _move_from_cache(store_path.with_name(DEFAULT_NAME), path)
        return path
    return store_path.with_name(DEFAULT_NAME)


def editorial_location(
    store_path: Path, given: str | None = None, url: str | None = None
) -> Path | str:
    """The editorial database: the PostgreSQL address ``url`` (the setting
    ``MINILAT_EDITORIAL_URL``) if there is one, else the SQLite file of
    :func:`editorial_path`.

    >>> editorial_location(Path("/srv/minilat.db"), url="postgresql://ed@db/minilat")
    'postgresql://ed@db/minilat'
    """
    if url:
        if not is_url(url):
            raise BadInput(
                "MINILAT_EDITORIAL_URL is not a PostgreSQL address",
                hint="postgresql://user@host:port/dbname (or unset it to use SQLite)",
            )
        return url
    return editorial_path(store_path, given)


def _move_from_cache(old: Path, new: Path) -> None:
    """Move an editorial database left in the cache folder by an older minilat to the
    data folder, once, with a notice on standard error."""
    if not old.exists() or new.exists():
        return
    try:
        checkpoint_sqlite(old)  # everything into the main file
        new.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(str(old), str(new))
        os.chmod(new, 0o600)
        for suffix in ("-wal", "-shm"):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
    except (OSError, *SQLiteBackend.errors) as e:
        raise StoreError(
            f"cannot move the editorial database from {old} to {new}: {e}",
            hint="move it by hand, or point MINILAT_EDITORIAL at it",
        ) from None
    print(
        f"minilat: moved the editorial database from the cache folder ({old}) to the"
        f" data folder ({new}), where it is safe from cache cleaning",
        file=sys.stderr,
    )


def check_password(password: str, name: str = "") -> None:
    """BadInput unless ``password`` is long enough and hard to guess (zxcvbn).

    >>> check_password("correct horse battery staple")
    >>> check_password(" " * 12)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    minilat.errors.BadInput: the password is too easy to guess: Repeats like "aaa" are ...
    """
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"the password is too short: at least {MIN_PASSWORD} characters, please")
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:200], user_inputs=[name, "minilat"] if name else ["minilat"])
    if result["score"] < MIN_STRENGTH:
        feedback = result["feedback"]
        why = feedback.get("warning") or "it follows a common pattern."
        raise BadInput(
            f"the password is too easy to guess: {why}",
            hint=" ".join(feedback.get("suggestions") or []) or "use four or more random words",
        )


def _hash(password: str) -> str:
    with _checks:  # Argon2id takes 64 MiB: a few at a time, the rest wait their turn
        return _hasher.hash(password)


def add_editor(db: EditorialDB, name: str, password: str) -> dict[str, Any]:
    """Create editor ``name`` with ``password`` (hashed); BadInput for a bad name,
    a weak password or a name already taken. Returns the editor as :func:`list_editors`."""
    if not NAME_RE.match(name):
        raise BadInput(
            f"{name!r} is not a valid editor name",
            hint="2-40 characters: lower-case letters, digits, '.', '_' or '-'",
        )
    check_password(password, name)
    db.add_editor(name, _hash(password))
    return next(e for e in db.editors() if e["name"] == name)


def set_password(db: EditorialDB, name: str, password: str) -> None:
    """Give editor ``name`` a new password (checked as for :func:`add_editor`); its
    sign-in sessions end. NotFound for an unknown editor."""
    check_password(password, name)
    db.set_password_hash(name, _hash(password))


def disable_editor(db: EditorialDB, name: str) -> bool:
    """Disable editor ``name``: its password, tokens and sessions answer for nothing
    until :func:`enable_editor`. True if it was active."""
    return db.set_disabled(name, True)


def enable_editor(db: EditorialDB, name: str) -> bool:
    """Enable a disabled editor again; True if it was disabled."""
    return db.set_disabled(name, False)


def remove_editor(db: EditorialDB, name: str) -> None:
    """Remove editor ``name`` for good: tokens and sessions revoked, id and name never
    reused. NotFound for an unknown editor."""
    db.remove_editor(name)


def list_editors(db: EditorialDB) -> list[dict[str, Any]]:
    """Every editor (id, name, created, number of live tokens) with their tokens' ids."""
    tokens = db.tokens()
    return [
        {
            **e,
            "token_ids": [t["id"] for t in tokens if t["editor"] == e["name"] and not t["revoked"]],
        }
        for e in db.editors()
    ]


@functools.cache
def _dummy_hash() -> str:
    """An Argon2id hash of a random password, made once: verified against for unknown
    editors, so an unknown name costs exactly what a wrong password does."""
    return _hasher.hash(secrets.token_urlsafe(24))


def verify_password(db: EditorialDB, name: str, password: str) -> bool:
    """True if ``password`` is editor ``name``'s (False for an unknown editor too)."""
    stored = db.password_hash(name)
    try:
        # the same work either way: no timing hint of who exists
        with _checks:  # Argon2id takes 64 MiB: a few at a time, the rest wait their turn
            ok = _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored is not None


#: How long a sign-in session lasts (seconds); the cookie's Max-Age is the same.
SESSION_SECONDS = 8 * 3600


def new_session(db: EditorialDB, name: str, seconds: int = SESSION_SECONDS) -> str:
    """Open a sign-in session for editor ``name``; return its id (shown once, kept hashed).

    >>> import tempfile, pathlib
    >>> from minilat.editorial.database import EditorialDB
    >>> db = EditorialDB(pathlib.Path(tempfile.mkdtemp()) / "e.db")
    >>> _ = add_editor(db, "ada", "a long enough secret")
    >>> sid = new_session(db, "ada"); editor_for_session(db, sid)
    'ada'
    >>> end_session(db, sid), editor_for_session(db, sid) is None
    (True, True)
    """
    sid = secrets.token_urlsafe(32)
    expires = _dt.datetime.now(_dt.UTC) + _dt.timedelta(seconds=seconds)
    db.add_session(name, hash_token(sid), expires.isoformat(timespec="seconds"))
    return sid


def editor_for_session(db: EditorialDB, session_id: str) -> str | None:
    """The editor of a live session, or None (unknown, ended or expired)."""
    if not session_id or len(session_id) > 100:
        return None
    return db.session_editor(hash_token(session_id))


def end_session(db: EditorialDB, session_id: str) -> bool:
    """End (revoke) a session; True if it was live."""
    return db.revoke_session(hash_token(session_id))


def hash_token(token: str) -> str:
    """The SHA-256 hash (hex) of a token, as stored.

    >>> len(hash_token("mlt_x"))
    64
    """
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(db: EditorialDB, name: str) -> tuple[int, str]:
    """A new API token for editor ``name``: ``(token_id, token)``. The token is shown
    this once; only its hash is kept. NotFound for an unknown editor."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return db.add_token(name, hash_token(token)), token


def revoke_token(db: EditorialDB, token_id: int) -> None:
    """Revoke token ``token_id`` for good; NotFound if there is none."""
    db.revoke_token(token_id)


def editor_for_token(db: EditorialDB, token: str) -> str | None:
    """The editor a live token belongs to, or None (unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return db.token_editor(hash_token(token))
