"""The ``minilat`` command: thin wrappers that parse, call one library function, render.

One module per command group (``records``, ``framework``, ``design``, ``network``,
``report``, ``web``, ``editors``, ``dataset``, ``panel``, ``whatif``, ``monitor``), each
exposing ``COMMANDS``; :mod:`.kit` holds what they share. A module imports only click and
the kit at its top: the analyses, numpy, scipy, HiGHS and the web are imported inside the
commands that use them, so ``minilat --help`` starts in a fraction of a second.

A library error becomes one line on standard error with a hint, and the exit status the
error carries (2 for bad input or an unknown id); never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from minilat import settings
from minilat.cli.kit import Context, err_console
from minilat.errors import DatasetInvalid, MinilatError

__all__ = ["cli", "main"]


class _Failure(click.ClickException):
    """A MinilatError shown as the CLI shows errors."""

    def __init__(self, err: MinilatError) -> None:
        super().__init__(err.message)
        self.err = err
        self.exit_code = err.exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        err_console.print(f"[bold red]Error:[/] {self.err.message}", markup=True, soft_wrap=True)
        if isinstance(self.err, DatasetInvalid):
            for p in self.err.problems[:20]:
                err_console.print(f"  {p}", markup=False, soft_wrap=True)
            if len(self.err.problems) > 20:
                err_console.print(f"  ... and {len(self.err.problems) - 20} more", markup=False)
        if self.err.hint:
            err_console.print(f"Hint: {self.err.hint}", markup=False, soft_wrap=True)


class _Group(click.Group):
    """The top-level group: commands are loaded on demand (:data:`COMMAND_MODULES`) and a
    MinilatError becomes one line with its hint."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _load(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MinilatError as e:
            raise _Failure(e) from None


def _setting_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for s in reversed(settings.SETTINGS):
        f = click.option(f"--{s.option}", default=None, help=f"{s.help} [env: {s.env}]")(f)
    return f


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@_setting_options
@click.version_option(package_name="minilat")
@click.pass_context
def cli(ctx: click.Context, **options: str | None) -> None:
    """minilat: the open observatory of tech minilateralism.

    Sourced data on small technology coalitions (Quad, AUKUS, GCAP, Chip 4, Digital
    Nations, BRICS, ...), the framework applied to it, and an exact coalition designer.
    """
    ctx.obj = Context(**options)


def _fail(message: str) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}")
    sys.exit(1)


def main() -> None:
    """Console entry point: no traceback reaches a user unless MINILAT_DEBUG is set."""
    try:
        cli.main(prog_name="minilat")
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as e:  # a bug: say so in one line, keep the details for debugging
        if os.environ.get("MINILAT_DEBUG"):
            raise
        _fail(f"internal error ({type(e).__name__}: {e}); set MINILAT_DEBUG=1 for details")


#: Every command, with the module of this package that defines it (each module exposes
#: ``COMMANDS``). A command's module is imported only when that command runs, so
#: ``minilat show quad`` does not pay for the designer's or the web's imports;
#: ``tests/test_cli.py`` keeps this table equal to what the modules define.
COMMAND_MODULES: dict[str, str] = {
    "build": "records",
    "validate": "records",
    "groupings": "records",
    "show": "records",
    "members": "records",
    "export": "records",
    "assess": "framework",
    "typology": "framework",
    "scorecard": "framework",
    "report": "report",
    "design": "design",
    "tables": "design",
    "serve": "web",
    "network": "network",
    "country": "network",
    "timeline": "network",
    "editors": "editors",
    "backup": "editors",
    "restore": "editors",
    "dataset": "dataset",
    "panel": "panel",
    "whatif": "whatif",
    "monitor": "monitor",
    "pulse": "life",
    "commitments": "life",
    "search": "search",
}


def _load(name: str) -> click.Command | None:
    module = COMMAND_MODULES.get(name)
    if module is None:
        return None
    commands = importlib.import_module(f"minilat.cli.{module}").COMMANDS
    return next((c for c in commands if c.name == name), None)
