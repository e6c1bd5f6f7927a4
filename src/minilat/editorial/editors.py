"""Editors and their API tokens, kept in the editorial database.

Passwords are hashed with Argon2id (``argon2-cffi``, its default RFC 9106 parameters);
the password itself is never stored, logged or shown. An API token is 32 random bytes
(shown once, URL-safe base64 with the prefix ``mlt_``) and only its SHA-256 hash is
stored, so a copy of the database does not give anyone a usable token. Tokens are
revoked by their id, which is safe to show.

All SQL is in :class:`minilat.editorial.database.EditorialDB`; this module holds the rules.

>>> import tempfile, pathlib
>>> from minilat.editorial.database import EditorialDB
>>> db = EditorialDB(pathlib.Path(tempfile.mkdtemp()) / "editorial.db")
>>> add_editor(db, "ada", "a long enough secret")["name"]
'ada'
>>> verify_password(db, "ada", "a long enough secret"), verify_password(db, "ada", "wrong")
(True, False)
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
import re
import secrets
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from minilat.editorial.database import EditorialDB
from minilat.errors import BadInput

__all__ = [
    "DEFAULT_NAME",
    "MIN_PASSWORD",
    "NAME_RE",
    "SESSION_SECONDS",
    "TOKEN_PREFIX",
    "add_editor",
    "editor_for_session",
    "editor_for_token",
    "editorial_path",
    "end_session",
    "hash_token",
    "list_editors",
    "new_session",
    "new_token",
    "revoke_token",
    "verify_password",
]

#: An editor's name: lower-case letters, digits, ``.``, ``_`` and ``-``; 2 to 40 characters.
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
#: The shortest password accepted, in characters.
MIN_PASSWORD = 12
#: What every API token starts with (so a leaked one is easy to recognise and search for).
TOKEN_PREFIX = "mlt_"
#: The default file name of the editorial database, beside the compiled store.
DEFAULT_NAME = "minilat-editorial.db"

_hasher = PasswordHasher()


def editorial_path(store_path: Path, given: str | None = None) -> Path:
    """Where the editorial database is: ``given`` (the setting), else beside the store.

    >>> editorial_path(Path("/srv/minilat.db")).as_posix()
    '/srv/minilat-editorial.db'
    """
    return Path(given) if given else Path(store_path).with_name(DEFAULT_NAME)


def add_editor(db: EditorialDB, name: str, password: str) -> dict[str, Any]:
    """Create editor ``name`` with ``password`` (hashed); BadInput for a bad name,
    a short password or a name already taken. Returns the editor as :func:`list_editors`."""
    if not NAME_RE.match(name):
        raise BadInput(
            f"{name!r} is not a valid editor name",
            hint="2-40 characters: lower-case letters, digits, '.', '_' or '-'",
        )
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"the password is too short: at least {MIN_PASSWORD} characters, please")
    db.add_editor(name, _hasher.hash(password))
    return next(e for e in db.editors() if e["name"] == name)


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
