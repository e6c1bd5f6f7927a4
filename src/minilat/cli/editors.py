"""``minilat editors``, ``minilat backup`` and ``minilat restore``: the editorial database.

The editorial database (setting ``MINILAT_EDITORIAL``, default ``minilat-editorial.db`` in
the user data folder) holds editors, their API tokens (hashed) and visitors' suggestions.
Passwords are read with a hidden prompt or from standard input (``--password-stdin``);
they are never echoed, logged or stored in clear. Accounts are disabled, enabled, removed
and given new passwords here too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from minilat.cli.kit import (
    Col,
    Context,
    emit_json,
    err_console,
    json_option,
    out_console,
    pass_ctx,
    plural,
    say_wrote,
    size_of,
    writing,
)
from minilat.cli.kit import table as kit_table
from minilat.errors import BadInput

if TYPE_CHECKING:
    from minilat.editorial.database import EditorialDB

__all__ = ["COMMANDS", "backup", "editors", "restore"]


def _db(c: Context) -> EditorialDB:
    from minilat.editorial.database import EditorialDB

    return EditorialDB(c.editorial)


@click.group()
def editors() -> None:
    """Editors and their API tokens (in the editorial database)."""


_password_stdin = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password(password_stdin: bool) -> str:
    """The password: one line of standard input with ``--password-stdin``, else a hidden
    prompt asked twice; BadInput (not a warning and an abort) when stdin is not a terminal."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not _stdin_is_terminal():
        raise BadInput(
            "standard input is not a terminal, so the password cannot be asked for",
            hint="pipe it in with --password-stdin",
        )
    return str(
        click.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True, show_default=False
        )
    )


@editors.command("add")
@click.argument("name")
@_password_stdin
@pass_ctx
def editors_add(c: Context, name: str, password_stdin: bool) -> None:
    """Create editor NAME; the password is asked for (hidden) or read from stdin."""

    from minilat.editorial import editors as _editors

    password = _read_password(password_stdin)
    editor = _editors.add_editor(_db(c), name, password)
    out_console.print(f"editor {editor['name']} added (id {editor['id']})", markup=False)


@editors.command("passwd")
@click.argument("name")
@_password_stdin
@pass_ctx
def editors_passwd(c: Context, name: str, password_stdin: bool) -> None:
    """Give editor NAME a new password; its sign-in sessions end (tokens stay)."""
    from minilat.editorial import editors as _editors

    password = _read_password(password_stdin)
    _editors.set_password(_db(c), name, password)
    out_console.print(f"new password set for {name}; its sessions were ended", markup=False)


@editors.command("disable")
@click.argument("name")
@pass_ctx
def editors_disable(c: Context, name: str) -> None:
    """Disable editor NAME: its password, tokens and sessions answer for nothing."""
    from minilat.editorial import editors as _editors

    changed = _editors.disable_editor(_db(c), name)
    out_console.print(
        f"editor {name} {'disabled' if changed else 'was already disabled'}"
        f" (enable with `minilat editors enable {name}`)",
        markup=False,
    )


@editors.command("enable")
@click.argument("name")
@pass_ctx
def editors_enable(c: Context, name: str) -> None:
    """Enable a disabled editor NAME again."""
    from minilat.editorial import editors as _editors

    changed = _editors.enable_editor(_db(c), name)
    out_console.print(f"editor {name} {'enabled' if changed else 'was not disabled'}", markup=False)


@editors.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def editors_remove(c: Context, name: str, yes: bool) -> None:
    """Remove editor NAME for good: tokens and sessions revoked; id and name never reused."""
    from minilat.editorial import editors as _editors

    if not yes:
        if not _stdin_is_terminal():
            raise BadInput(f"removing {name} needs confirmation", hint="add --yes")
        click.confirm(f"Remove editor {name} for good?", abort=True, err=True)
    _editors.remove_editor(_db(c), name)
    out_console.print(f"editor {name} removed; its tokens and sessions were revoked", markup=False)


@editors.command("list")
@json_option
@pass_ctx
def editors_list(c: Context, as_json: bool) -> None:
    """Every editor (not removed), its state, the ids of its live tokens (never a hash)."""

    from minilat.editorial import editors as _editors

    rows = _editors.list_editors(_db(c))
    if as_json:
        emit_json({"count": len(rows), "editors": rows})
        return
    table = kit_table(
        plural(len(rows), "editor"),
        [
            Col("id", "id"),
            Col("name", "id"),
            Col("state", "word"),
            Col("created", "word", drop=1),
            Col("live tokens", "ids", narrow="tokens"),
        ],
    )
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["state"],
            (r["created"], r["created"][:10]),
            ", ".join(map(str, r["token_ids"])),
        )
    out_console.print(table)


@editors.command("token")
@click.argument("name")
@pass_ctx
def editors_token(c: Context, name: str) -> None:
    """Make a new API token for editor NAME and print it, this once."""

    from minilat.editorial import editors as _editors

    token_id, token = _editors.new_token(_db(c), name)
    err_console.print(
        f"token {token_id} for {name} (shown once; revoke with"
        f" `minilat editors revoke {token_id}`):",
        markup=False,
    )
    click.echo(token)


@editors.command("revoke")
@click.argument("token_id", type=int)
@pass_ctx
def editors_revoke(c: Context, token_id: int) -> None:
    """Revoke API token TOKEN_ID (the id `editors token` and `editors list` show)."""

    from minilat.editorial import editors as _editors

    _editors.revoke_token(_db(c), token_id)
    out_console.print(f"token {token_id} revoked", markup=False)


_NOUNS = {
    "editors": "editor",
    "tokens": "token",
    "sessions": "session",
    "suggestions": "suggestion",
    "audit": "audit record",
    "records": "edited record",
}


@editors.command("migrate-db")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The SQLite editorial database to copy (default: the one minilat would use"
    " without MINILAT_EDITORIAL_URL).",
)
@json_option
@pass_ctx
def editors_migrate_db(c: Context, source: Path | None, as_json: bool) -> None:
    """Copy a SQLite editorial database into the PostgreSQL one (MINILAT_EDITORIAL_URL).

    Everything is copied, ids and all, in one transaction: editors, tokens, sessions,
    suggestions, the audit trail, pending edits, the site's secret. The PostgreSQL
    database must hold no editorial data yet. The SQLite file is left as it was (keep it
    as a backup). Stop the server first, so nothing is written meanwhile.
    """
    from minilat.editorial.database import EditorialDB

    target = c.editorial
    if not isinstance(target, str):
        raise BadInput(
            "no PostgreSQL editorial database to copy into",
            hint="set MINILAT_EDITORIAL_URL (or --editorial-url) to postgresql://...",
        )
    source = source or c.editorial_file
    if not source.is_file():
        raise BadInput(f"no SQLite editorial database at {source}", hint="name it with --from")
    src, dst = EditorialDB(source), EditorialDB(target)
    counts = src.copy_into(dst)
    if as_json:
        emit_json({"from": str(source), "to": dst.location, "copied": counts})
        return
    what = ", ".join(plural(counts[t], noun) for t, noun in _NOUNS.items())
    out_console.print(f"copied {source} into {dst.location}: {what}", markup=False)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def backup(c: Context, file: Path) -> None:
    """Copy the editorial database to FILE (SQLite online backup; the server may run)."""
    db = _db(c)
    with writing(file) as made:
        out = db.backup(file)
    out_console.print(f"backed up {db.location} to {out}", markup=False)
    say_wrote(Path(out), f"{size_of(Path(out))}, a backup of the editorial database", made)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def restore(c: Context, file: Path, yes: bool) -> None:
    """Replace the editorial database with the backup FILE, after checking it."""

    from minilat.editorial.database import EditorialDB

    target = c.editorial
    if not isinstance(target, Path):
        _db(c)._file("restore")  # BadInput: PostgreSQL is restored with pg_restore
        return
    if not file.is_file():
        raise BadInput(f"no such backup file: {file}")
    if not yes and target.exists():
        click.confirm(f"Replace {target} with {file}?", abort=True, err=True)
    version = EditorialDB.restore(file, target)
    out_console.print(f"restored {file} (schema version {version}) into {target}", markup=False)


COMMANDS = [editors, backup, restore]
