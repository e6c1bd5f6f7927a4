"""Shared pieces of the command-line faces: the context, common options, rendering.

Every command module of :mod:`minilat.cli` takes these, so each command stays a thin
wrapper: parse, call one library function, render. Nothing here imports the dataset, the
store or rich at import time: they come on first use, so ``minilat --help`` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from minilat import settings

if TYPE_CHECKING:
    from rich.console import Console

    from minilat.dataset import Dataset
    from minilat.store import Store

__all__ = [
    "Context",
    "as_of_option",
    "emit_json",
    "err_console",
    "json_option",
    "out_console",
    "parse_as_of",
    "pass_ctx",
    "plural",
    "print_not_counted",
    "table",
    "verified_option",
]


class _LazyConsole:
    """A rich Console made on first use (importing rich costs start-up time)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, **self._options)
        return getattr(self._console, name)


out_console: Any = _LazyConsole()
err_console: Any = _LazyConsole(stderr=True)


class Context:
    """What every command gets: the settings, and the store opened on first use."""

    def __init__(
        self,
        db: str | None = None,
        data: str | None = None,
        editorial: str | None = None,
        editorial_url: str | None = None,
        releases: str | None = None,
        monitor: str | None = None,
    ) -> None:
        self.db = Path(settings.resolve("db", db) or "minilat.db")
        self.monitor = Path(settings.resolve("monitor", monitor) or "monitor")
        data_dir = settings.resolve("data", data)
        self.data_dir = Path(data_dir) if data_dir else None
        self._editorial_setting = settings.resolve("editorial", editorial)
        self._editorial_url = settings.resolve("editorial_url", editorial_url)
        self.releases = Path(settings.resolve("releases", releases) or "releases")
        self._store: Store | None = None

    @property
    def editorial(self) -> Path | str:
        """The editorial database: a PostgreSQL address (``--editorial-url``), else the
        SQLite file of the setting, else its default place (editorial_location)."""
        from minilat.editorial.editors import editorial_location

        return editorial_location(self.db, self._editorial_setting, self._editorial_url)

    @property
    def editorial_file(self) -> Path:
        """The SQLite editorial database minilat uses when no PostgreSQL address is set."""
        from minilat.editorial.editors import editorial_path

        return editorial_path(self.db, self._editorial_setting)

    def store(self) -> Store:
        if self._store is None:
            from minilat.store import open_store

            self._store = open_store(self.db, self.data_dir)
        return self._store

    def dataset(self, *, groupings: bool = True) -> Dataset:
        return self.store().dataset(groupings=groupings)


pass_ctx = click.make_pass_decorator(Context)


def parse_as_of(value: str | None, option: str = "--as-of") -> _dt.date:
    """The ``--as-of`` date, today if not given; BadInput for a malformed one or one
    outside :func:`minilat.dataset.as_of_range`."""
    if not value:
        return _dt.date.today()
    from minilat.dataset import parse_as_of

    return parse_as_of(value, option)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """``1 grouping``, ``2 groupings``, ``0 countries`` (with ``plural_form``).

    >>> plural(1, "editor"), plural(3, "region"), plural(2, "country", "countries")
    ('1 editor', '3 regions', '2 countries')
    """
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


class _Table:
    """Rows for a rich table whose id columns are never cut, however narrow the terminal."""

    def __init__(self, title: str, columns: Sequence[str], ids: Iterable[int]) -> None:
        self.title, self.columns, self.ids = title, list(columns), set(ids)
        self.rows: list[list[str]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append([str(c) for c in cells])

    def __rich__(self) -> Any:
        from rich.table import Table

        t = Table(title=self.title, title_justify="left")
        for i, col in enumerate(self.columns):
            if i in self.ids:
                width = max([len(col), *(len(r[i]) for r in self.rows)])
                t.add_column(col, no_wrap=True, min_width=width)
            else:
                t.add_column(col)
        for r in self.rows:
            t.add_row(*r)
        return t


def table(title: str, columns: Sequence[str], ids: Iterable[int] = (0,)) -> _Table:
    """A table to print with ``out_console.print``; columns ``ids`` (the first by default)
    hold ids a user types next, so they are never shortened."""
    return _Table(title, columns, ids)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/cli.md).")
verified_option = click.option(
    "--verified-only", is_flag=True, help="Leave out facts marked unverified."
)
as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", help="Answer as of this date (YYYY-MM-DD); default today."
)


def print_not_counted(rows: list[dict[str, Any]], who: str) -> None:
    """Name the groupings whose member lists are incomplete in the record and do not list
    ``who``: not counted for it, but they may hold it (``incomplete_lists`` in the JSON)."""
    if rows:
        names = ", ".join(f"{r['grouping']} ({r['listed']} of {r['published']})" for r in rows)
        out_console.print(
            f"Not counted: {plural(len(rows), 'grouping')} whose member lists are incomplete in "
            f"the record (named of published) may also include {who}: {names}.",
            markup=False,
            style="yellow",
        )
