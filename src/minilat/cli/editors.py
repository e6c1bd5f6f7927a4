"""``minilat editors``, ``minilat backup`` and ``minilat restore``: the editorial database.

The editorial database (setting ``MINILAT_EDITORIAL``, default ``minilat-editorial.db``
beside the store) holds editors, their API tokens (hashed) and visitors' suggestions.
Passwords are read with a hidden prompt or from standard input (``--password-stdin``);
they are never echoed, logged or stored in clear.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from minilat.cli.kit import (
    Context,
    emit_json,
    err_console,
    json_option,
    out_console,
    pass_ctx,
    plural,
)
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


@editors.command("add")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@pass_ctx
def editors_add(c: Context, name: str, password_stdin: bool) -> None:
    """Create editor NAME; the password is asked for (hidden) or read from stdin."""

    from minilat.editorial import editors as _editors

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True, show_default=False
        )
    editor = _editors.add_editor(_db(c), name, password)
    out_console.print(f"editor {editor['name']} added (id {editor['id']})", markup=False)


@editors.command("list")
@json_option
@pass_ctx
def editors_list(c: Context, as_json: bool) -> None:
    """Every editor, with the ids of their live tokens (never a hash)."""

    from rich.table import Table

    from minilat.editorial import editors as _editors

    rows = _editors.list_editors(_db(c))
    if as_json:
        emit_json({"count": len(rows), "editors": rows})
        return
    table = Table(title=plural(len(rows), "editor"), title_justify="left")
    for col in ("id", "name", "created", "live tokens"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["created"], ", ".join(map(str, r["token_ids"])))
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


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def backup(c: Context, file: Path) -> None:
    """Copy the editorial database to FILE (SQLite online backup; the server may run)."""
    out = _db(c).backup(file)
    out_console.print(f"backed up {c.editorial} to {out}", markup=False)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def restore(c: Context, file: Path, yes: bool) -> None:
    """Replace the editorial database with the backup FILE, after checking it."""

    from minilat.editorial.database import EditorialDB

    target = c.editorial
    if not file.is_file():
        raise BadInput(f"no such backup file: {file}")
    if not yes and target.exists():
        click.confirm(f"Replace {target} with {file}?", abort=True, err=True)
    version = EditorialDB.restore(file, target)
    out_console.print(f"restored {file} (schema version {version}) into {target}", markup=False)


COMMANDS = [editors, backup, restore]
