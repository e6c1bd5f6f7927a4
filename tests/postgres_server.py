"""A throwaway PostgreSQL 15 server for the editorial suite, made from the machine's own
packages (Debian's ``postgresql-15``: ``initdb`` and ``pg_ctl`` in
:data:`PG_BIN`), one per test session on a free loopback port in a temporary folder,
with an empty database for each test.

The server runs as the ``postgres`` system user when the tests run as root (as in CI),
since PostgreSQL refuses to run as root. It trusts local connections only (loopback,
``trust``), skips fsync (its data is thrown away), and is stopped and deleted at the end.
Missing binaries skip the PostgreSQL tests locally with the reason, and fail them in CI
(``CI=true``), where ``.ci/run`` installs them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PG_BIN", "fresh_database", "postgres_server"]

#: Where Debian's postgresql-15 package puts the server's programs.
PG_BIN = Path(os.environ.get("MINILAT_PG_BIN", "/usr/lib/postgresql/15/bin"))

_counter = itertools.count(1)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    """``args`` run as ``postgres`` when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def _missing() -> str | None:
    for program in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / program).is_file():
            return (
                f"PostgreSQL 15 is not installed ({PG_BIN / program} is missing):"
                " apt-get install postgresql-15"
            )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "no 'postgres' system user to run the server as: apt-get install postgresql-15"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The address of a running throwaway server (``postgresql://postgres@127.0.0.1:PORT``)."""
    missing = _missing()
    if missing:
        if _in_ci():
            pytest.fail(f"{missing} (CI must run the PostgreSQL tests; see .ci/run)")
        pytest.skip(missing)
    folder = Path(tempfile.mkdtemp(prefix="minilat-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = _free_port()
    try:
        subprocess.run(
            _as_server_user(
                [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C", "--no-sync"]
            ),
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            _as_server_user(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                 str(folder / "server.log"), "-w", "-t", "60", "start"]
            ),
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    except subprocess.CalledProcessError as e:
        log = folder / "server.log"
        detail = log.read_text()[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {e.stderr or e.stdout}{detail}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


#: Databases emptied after their test, ready for the next one (per server address).
_emptied: dict[str, list[str]] = {}


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """An empty database on ``server`` (its address) for one test: new, or one an earlier
    test used and that was emptied since (its schema dropped and made anew, so it holds
    nothing, not even a schema version: as new, and ten times cheaper than CREATE
    DATABASE). Emptied again afterwards."""
    import psycopg

    free = _emptied.setdefault(server, [])
    if free:
        name = free.pop()
    else:
        name = f"minilat_test_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        from minilat.editorial.backend import close_connections

        close_connections(f"{server}/{name}")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            # a server a test started may still be connected: end its sessions
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        with psycopg.connect(f"{server}/{name}", autocommit=True) as con:
            con.execute("DROP SCHEMA public CASCADE")
            con.execute("CREATE SCHEMA public")
        free.append(name)
