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
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MinilatError as e:
            raise _Failure(e) from None


def _setting_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for s in reversed(settings.SETTINGS):
        f = click.option(f"--{s.name}", default=None, help=f"{s.help} [env: {s.env}]")(f)
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


#: The command groups, one module each in this package; each exposes ``COMMANDS``.
_FAMILIES: tuple[str, ...] = (
    "records",
    "framework",
    "report",
    "design",
    "web",
    "network",
    "editors",
    "dataset",
    "panel",
    "whatif",
    "monitor",
    "life",
    "search",
)


def _add_families() -> None:
    for name in _FAMILIES:
        for command in importlib.import_module(f"minilat.cli.{name}").COMMANDS:
            cli.add_command(command)


_add_families()
