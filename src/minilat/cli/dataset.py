"""``minilat dataset sync``: write editors' accepted changes back into the YAML files.

It shows the unified diff of every file it would change, then asks before writing
(``--yes`` to skip the question; without a terminal, ``--yes`` is required). Exit
status: 0 when everything pending was written (or there was nothing to do, or
``--dry-run``); 1 when conflicts or edits changed meanwhile stay pending, or writing
failed (every file put back); 2 when refused (no ``--yes`` without a terminal).
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
    say_wrote,
    size_of,
    writing,
)
from minilat.errors import BadInput, MinilatError

if TYPE_CHECKING:
    from minilat.editorial.sync import Plan

__all__ = ["COMMANDS", "dataset"]


class _LeftPending(MinilatError):
    """Some edits could not be written and stay pending (exit 1)."""


@click.group()
def dataset() -> None:
    """The YAML dataset: write editors' changes back into it; publish a release."""


def _print_diff(diff: str) -> None:
    from rich.text import Text

    for line in diff.splitlines():
        style = ""
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        out_console.print(Text(line, style=style), soft_wrap=True)


def _summary(p: Plan) -> str:
    n = len(p.files)
    parts = [
        f"{n} file{'s' if n != 1 else ''} to write ({len(p.items) - len(p.already)} edited records)"
    ]
    if p.already:
        parts.append(f"{len(p.already)} already in the YAML")
    if p.conflicts:
        parts.append(f"{len(p.conflicts)} conflicts left pending (--force lets the edit win)")
    if p.unwritable:
        parts.append(f"{len(p.unwritable)} edits cannot be written and stay pending")
    if p.forced:
        parts.append(f"{len(p.forced)} conflicts overridden by --force")
    return "; ".join(parts)


@dataset.command("sync")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--yes", is_flag=True, help="Write without asking (required without a terminal).")
@click.option("--force", is_flag=True, help="Write conflicting edits too: the edit wins.")
@click.option(
    "--editor",
    default=None,
    help="Who the audit records name (default: 'minilat dataset sync').",
)
@json_option
@pass_ctx
def sync_cmd(
    c: Context, dry_run: bool, yes: bool, force: bool, editor: str | None, as_json: bool
) -> None:
    """Write the editors' pending changes into the YAML files, as minimal diffs."""
    from minilat.editorial import sync as _sync

    editor = editor or _sync.DEFAULT_EDITOR
    from minilat import dataset as _dataset
    from minilat.editorial.database import EditorialDB

    root = c.data_dir or _dataset.bundled_data_dir()
    if isinstance(c.editorial, Path) and not c.editorial.exists():
        raise BadInput(
            f"no editorial database at {c.editorial}",
            hint="name the one the server uses: --editorial PATH or MINILAT_EDITORIAL",
        )
    db = EditorialDB(c.editorial)
    plan = _sync.plan(root, db, force=force)
    if plan.empty:
        if as_json:
            emit_json({**plan.as_dict(), **_sync.Applied().as_dict(), "dry_run": dry_run})
        else:
            out_console.print("nothing to sync", markup=False, soft_wrap=True)
        return
    if not as_json:
        for f in plan.files:
            _print_diff(f.diff)
        for conflict in plan.conflicts:
            err_console.print(
                f"conflict: {conflict.target}: {conflict.reason}; not written",
                markup=False,
                soft_wrap=True,
            )
            _print_diff(conflict.diff)
        for u in plan.unwritable:
            err_console.print(f"cannot write {u.target}: {u.reason}", markup=False, soft_wrap=True)
        err_console.print(_summary(plan), markup=False, soft_wrap=True)
    applied = _sync.Applied()
    if not dry_run and (plan.files or plan.items):
        if plan.files and not yes:
            if not sys.stdin.isatty():
                raise BadInput(
                    "standard input is not a terminal: pass --yes to write",
                    hint="or --dry-run to only see the diff",
                )
            n = len(plan.files)
            click.confirm(f"Write {n} file{'s' if n != 1 else ''}?", abort=True, err=True)
        applied = _sync.apply(plan, db, editor=editor)
    if as_json:
        emit_json({**plan.as_dict(), **applied.as_dict(), "dry_run": dry_run})
    else:
        for path in applied.written:
            err_console.print(f"wrote {path}", markup=False, soft_wrap=True)
        if applied.synced:
            err_console.print(
                f"{len(applied.synced)} records marked synced", markup=False, soft_wrap=True
            )
        for target in applied.changed_meanwhile:
            err_console.print(
                f"{target} was edited again while syncing: it stays pending",
                markup=False,
                soft_wrap=True,
            )
    left = len(plan.conflicts) + len(plan.unwritable) + len(applied.changed_meanwhile)
    if left and not dry_run:
        if plan.conflicts:
            hint = "see the conflicts above; --force lets the edit win"
        elif plan.unwritable:
            hint = "edit the YAML file by hand from the document the editors' API shows"
        else:
            hint = "run `minilat dataset sync` again"
        raise _LeftPending(f"{left} edit{'s' if left != 1 else ''} left pending", hint=hint)


@dataset.command("release")
@click.argument("version")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the releases; default the setting MINILAT_RELEASES (./releases).",
)
@click.option(
    "--from", "start", type=int, default=1975, show_default=True, help="First year of the panels."
)
@json_option
@pass_ctx
def release_cmd(c: Context, version: str, out: Path | None, start: int, as_json: bool) -> None:
    """Write the versioned release bundle VERSION (such as 2026.12): CSV, JSON, Parquet,
    the SQLite store, the Frictionless Data Package, the panels, checksums, and the data
    changelog against the previous release, fact by fact. Needs the 'panels' extra."""
    import datetime as _dt

    from minilat import release

    root = out or c.releases
    store = c.store()
    fingerprint = store.meta().get("fingerprint", "")
    today = _dt.date.today()
    with writing(root, folder=True) as made:
        info = release.make(
            store.dataset(),
            root,
            version,
            fingerprint=fingerprint,
            today=today,
            panel_years=(start, today.year),
            progress=None if as_json else lambda m: err_console.print(f"  {m}", markup=False),
        )
    if as_json:
        emit_json({**info, "path": str(root / version)})
        return
    say_wrote(root / version, f"{size_of(root / version)}, release {version}", made)
    ch = info["changes"]
    since = f"since {info['previous']}" if info["previous"] else "(first release)"
    out_console.print(
        f"release {version} written to {root / version}: {info['counts']['groupings']} "
        f"groupings; {ch['added']} facts added, {ch['changed']} changed, {ch['removed']} "
        f"removed {since}. Changelog: {root / version / 'CHANGELOG.md'}",
        markup=False,
    )


COMMANDS = [dataset]
