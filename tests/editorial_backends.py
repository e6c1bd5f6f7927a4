"""The editorial suite runs on both kinds of editorial database: a module imports
``editorial_backend`` from here, and every test of it that uses an editorial database
(``editorial_db``, ``editorial_location``, ``client``...) runs once on SQLite and once on
PostgreSQL (marked ``postgres``: ``-m "not postgres"`` leaves those out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from minilat.editorial.database import EditorialDB

__all__ = ["editorial_backend", "postgres_only", "sqlite_only", "stored_text"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def editorial_backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgres``."""
    return str(request.param)


#: Pins a test that uses an editorial database to SQLite (what only a file has: pragmas,
#: minilat's own backup and restore, its default place).
sqlite_only = pytest.mark.parametrize("editorial_backend", ["sqlite"])

#: Pins a test to PostgreSQL (what only a server has).
postgres_only = pytest.mark.parametrize(
    "editorial_backend", [pytest.param("postgres", marks=pytest.mark.postgres)]
)

_TABLES = ("suggestions", "editors", "tokens", "sessions", "audit", "records", "site")


def stored_text(db: EditorialDB) -> str:
    """Everything stored in the editorial tables, as one text (to check what is not)."""
    out = []
    with db._read() as con:
        for table in _TABLES:
            out += [repr(tuple(row)) for row in con.execute(f"SELECT * FROM {table}")]
    return "\n".join(out)
