"""Shared pieces of the command-line faces: the context, common options, rendering.

Every command module (``cli.py`` and the ``cli_*.py`` modules) takes these, so each command
stays a thin wrapper: parse, call one library function, render.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from minilat import dataset as _dataset
from minilat import settings
from minilat.editors import editorial_path
from minilat.store import Store, open_store

__all__ = [
    "Context",
    "as_of_option",
    "emit_json",
    "err_console",
    "json_option",
    "out_console",
    "parse_as_of",
    "pass_ctx",
    "verified_option",
]

out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class Context:
    """What every command gets: the settings, and the store opened on first use."""

    def __init__(
        self, db: str | None = None, data: str | None = None, editorial: str | None = None
    ) -> None:
        self.db = Path(settings.resolve("db", db) or "minilat.db")
        data_dir = settings.resolve("data", data)
        self.data_dir = Path(data_dir) if data_dir else None
        #: the editorial database: the setting, else minilat-editorial.db beside the store
        self.editorial = editorial_path(self.db, settings.resolve("editorial", editorial))
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db, self.data_dir)
        return self._store

    def dataset(self, *, groupings: bool = True) -> _dataset.Dataset:
        return self.store().dataset(groupings=groupings)


pass_ctx = click.make_pass_decorator(Context)


def parse_as_of(value: str | None) -> _dt.date:
    """The ``--as-of`` date, today if not given; BadInput for a malformed one."""
    return _dataset.parse_day(value, "--as-of") if value else _dt.date.today()


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/cli.md).")
verified_option = click.option(
    "--verified-only", is_flag=True, help="Leave out facts marked unverified."
)
as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", help="Answer as of this date (YYYY-MM-DD); default today."
)
