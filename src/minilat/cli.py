"""The ``minilat`` command: thin wrappers that parse, call one library function, render.

A library error becomes one line on standard error with a hint, and the exit status the
error carries (2 for bad input or an unknown id); never a traceback.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.table import Table

from minilat import dataset as _dataset
from minilat import settings
from minilat.analysis import groupings as _groupings
from minilat.clikit import (
    Context,
    as_of_option,
    emit_json,
    err_console,
    json_option,
    out_console,
    parse_as_of,
    pass_ctx,
    verified_option,
)
from minilat.errors import BadInput, DatasetInvalid, MinilatError, did_you_mean
from minilat.model import Theme
from minilat.store import open_store

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


# ---------------------------------------------------------------------------- helpers


def _theme(value: str) -> str:
    try:
        return Theme(value).value
    except ValueError:
        hint = did_you_mean(value, [t.value for t in Theme]) or "see docs/data.md for the themes"
        raise BadInput(f"unknown theme {value!r}", hint=hint) from None


# --------------------------------------------------------------------------- commands


@cli.command()
@click.option("--rebuild", is_flag=True, help="Rebuild even if the store is up to date.")
@pass_ctx
def build(c: Context, rebuild: bool) -> None:
    """Compile the dataset into the SQLite store (done automatically when it changes)."""
    store = open_store(c.db, c.data_dir, rebuild=rebuild)
    ds = store.dataset()
    n_m = sum(len(g.memberships) for g in ds.groupings.values())
    out_console.print(
        f"store {store.path}: {len(ds.groupings)} groupings, {n_m} memberships, "
        f"{len(ds.sources)} sources, {len(ds.capabilities)} capability tables",
        markup=False,
    )


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Sourcing warnings (copies, facts only a wiki supports) count as errors.",
)
@pass_ctx
def validate(c: Context, path: Path | None, strict: bool) -> None:
    """Check a dataset folder (the bundled one by default), or one file of one (checked
    with the rest of its folder, for the sources it cites); list every problem.

    Sources that are copies and facts whose only source is a wiki are listed as
    warnings, with their counts; they fail the check only with --strict."""
    root = path or c.data_dir or _dataset.bundled_data_dir()
    only: str | None = None
    if path is not None and path.is_file():
        if path.parent.name not in _dataset.SUBDIRS:
            raise BadInput(
                f"{path} is a file, not a data folder",
                hint="give a data folder, or a file in its groupings/, sources/, participants/,"
                " capabilities/ or indicators/",
            )
        root, only = path.parent.parent, f"{path.parent.name}/{path.name}"
    problems, warnings = _dataset.check(root)
    if only is not None:
        problems = [p for p in problems if p.file == only]
        warnings = [w for w in warnings if w.file == only]
    label = "error" if strict else "warning"
    for p in problems:
        click.echo(str(p))
    for w in warnings:
        click.echo(f"{w} [{label}]")
    copies = sum(1 for w in warnings if w.field.startswith("source "))
    wiki_only = len(warnings) - copies
    if warnings:
        err_console.print(
            f"{copies} source{'s' if copies != 1 else ''} that are copies, {wiki_only} "
            f"fact{'s' if wiki_only != 1 else ''} only a wiki supports"
            + (" (errors under --strict)" if strict else " (warnings; --strict fails on them)"),
            markup=False,
        )
    failed = len(problems) + (len(warnings) if strict else 0)
    if failed:
        err_console.print(
            f"{failed} problem{'s' if failed != 1 else ''} in {only or root}", markup=False
        )
        sys.exit(1)
    if only is not None:
        err_console.print(f"ok: {only} in {root}", markup=False)
        return
    ds = _dataset.load(root)
    err_console.print(
        f"ok: {len(ds.groupings)} groupings, {len(ds.sources)} sources, "
        f"{len(ds.capabilities)} capability tables in {root}",
        markup=False,
    )


@cli.command("groupings")
@click.option("--member", metavar="ISO3", help="Only groupings this country belongs to.")
@click.option("--theme", metavar="THEME", help="Only groupings with this theme.")
@click.option("--active-on", metavar="DATE", help="Only groupings active on this date.")
@click.option("--search", "query", metavar="TEXT", help="Match names, acronyms and aliases.")
@json_option
@pass_ctx
def groupings_cmd(
    c: Context,
    member: str | None,
    theme: str | None,
    active_on: str | None,
    query: str | None,
    as_json: bool,
) -> None:
    """List groupings, filtered by member, theme, date or name."""
    day = _dataset.parse_day(active_on, "--active-on") if active_on else None
    code = c.dataset().resolve_participant(member) if member else None
    ids = c.store().grouping_ids(
        member=code, theme=_theme(theme) if theme else None, active_on=day, query=query
    )
    ds = c.dataset()
    rows = [_groupings.summary(ds, ds.groupings[i], day or _dt.date.today()) for i in ids]
    if as_json:
        emit_json(
            {
                "filters": {
                    "member": code,
                    "theme": theme,
                    "active_on": active_on,
                    "search": query,
                },
                "as_of": (day or _dt.date.today()).isoformat(),
                "count": len(rows),
                "groupings": rows,
            }
        )
        return
    table = Table(title=f"{len(rows)} groupings", title_justify="left")
    for col in ("id", "name", "founded", "status", "members", "themes"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["id"], r["name"], r["founded"], r["status"], str(r["members"]), ", ".join(r["themes"])
        )
    out_console.print(table)


@cli.command()
@click.argument("grouping_id", metavar="ID")
@as_of_option
@json_option
@pass_ctx
def show(c: Context, grouping_id: str, as_of: str | None, as_json: bool) -> None:
    """A grouping with its members as of a date, and every source."""
    ds = c.dataset()
    d = _groupings.detail(ds, ds.grouping(grouping_id), parse_as_of(as_of))
    if as_json:
        emit_json(d)
        return
    out_console.print(f"[bold]{d['name_as_of']}[/] ({d['id']})  {d['status']} as of {d['as_of']}")
    out_console.print(
        f"founded {d['founded']['date']}" + (f", ended {d['ended']}" if d["ended"] else "")
    )
    for key in ("instrument", "secretariat", "accession", "cadence", "website"):
        f = d[key]
        flag = "" if f["sources"] and not f["unverified"] else "  [yellow](unverified)[/]"
        out_console.print(f"{key:>12}: {f['value']}{flag}")
    out_console.print(f"{'themes':>12}: {', '.join(d['themes']['value'])}")
    _print_members(d["members"], f"members as of {d['as_of']}")
    if d["events"]:
        out_console.print("[bold]events[/]")
        for e in d["events"]:
            out_console.print(f"  {e['date']}  {e['kind']:<15} {e['title']}", markup=False)
    out_console.print("[bold]sources[/]")
    for sid, s in d["sources"].items():
        out_console.print(f"  [{sid}] {s['title']} — {s['publisher']}, {s['url']}", markup=False)


def _print_members(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=f"{len(rows)} {title}", title_justify="left")
    for col in ("participant", "name", "role", "since", "sources"):
        table.add_column(col)
    for m in rows:
        src = ", ".join(m["sources"]) if m["verified"] else "unverified"
        table.add_row(m["participant"], m["name"], m["role"], m["start"], src)
    out_console.print(table)


@cli.command()
@click.argument("grouping_id", metavar="ID")
@as_of_option
@verified_option
@json_option
@pass_ctx
def members(
    c: Context, grouping_id: str, as_of: str | None, verified_only: bool, as_json: bool
) -> None:
    """The members of a grouping as of a date, with roles and sources."""
    ds = c.dataset()
    d = _groupings.members(
        ds, ds.grouping(grouping_id), parse_as_of(as_of), verified_only=verified_only
    )
    if as_json:
        emit_json(d)
        return
    _print_members(d["members"], f"members of {d['name']} as of {d['as_of']} ({d['status']})")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="csv", show_default=True
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("minilat-export"),
    show_default=True,
    help="Folder to write into.",
)
@pass_ctx
def export(c: Context, fmt: str, out_dir: Path) -> None:
    """Export the whole dataset (memberships: one row per participant x grouping x interval)."""
    from minilat import export as _export

    ds = c.dataset()
    try:
        paths = (_export.write_json if fmt == "json" else _export.write_csv)(ds, out_dir)
    except OSError as e:
        raise BadInput(f"cannot write to {out_dir}: {e.strerror}") from None
    for p in paths:
        click.echo(str(p))


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


# Command families kept in modules of their own (cli_*.py); each exposes COMMANDS.
_FAMILIES: tuple[str, ...] = (
    "cli_framework",
    "cli_report",
    "cli_design",
    "cli_web",
    "cli_network",
    "cli_editors",
    "cli_dataset",
)


def _add_families() -> None:
    import importlib

    for name in _FAMILIES:
        for command in importlib.import_module(f"minilat.{name}").COMMANDS:
            cli.add_command(command)


_add_families()
