"""``minilat panel``: country-year, dyad-year and grouping-year panels as files.

A thin face over :mod:`minilat.analysis.panels` (the panel) and
:mod:`minilat.panel_files` (the file): parse, build, write, say what was written.
The codebook of every column is docs/codebook.md.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import click

from minilat.cli.kit import (
    Context,
    emit_json,
    err_console,
    json_option,
    pass_ctx,
    plural,
    say_wrote,
    size_of,
    writing,
)

__all__ = ["COMMANDS", "panel"]

_UNITS = ("country-year", "dyad-year", "grouping-year")
#: The first year of the dataset's scope (docs/data.md): groupings active at some time
#: from 1975 to today; the few founded earlier are kept, the ones that ended earlier are
#: not in the record.
SCOPE_FROM = 1975
_FORMATS = {"csv": ".csv", "parquet": ".parquet", "dta": ".dta"}


@click.command()
@click.option(
    "--unit",
    type=click.Choice(_UNITS),
    required=True,
    help="country-year (membership coded), dyad-year (co-memberships) or grouping-year.",
)
@click.option(
    "--from",
    "start",
    type=int,
    default=SCOPE_FROM,
    show_default=True,
    help="First year. The dataset covers groupings active at some time since 1975, so a "
    "year before that misses any grouping that had ended by then (a warning says so).",
)
@click.option("--to", "end", type=int, default=None, help="Last year; default this year.")
@click.option(
    "--format", "fmt", type=click.Choice(list(_FORMATS)), default="csv", show_default=True
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write; default panel-UNIT-FROM-TO.EXT in the current folder.",
)
@json_option
@pass_ctx
def panel(
    c: Context, unit: str, start: int, end: int | None, fmt: str, out: Path | None, as_json: bool
) -> None:
    """Write a panel (observed on 1 July of each year) as CSV, Parquet or Stata.

    Every row agrees with `minilat members GROUPING --as-of YEAR-07-01`; the codebook of
    every column and code is docs/codebook.md. Needs the 'panels' extra (pandas,
    pyarrow) for the files."""
    from minilat import panel_files
    from minilat.analysis import panels

    end = _dt.date.today().year if end is None else end
    if start < SCOPE_FROM:  # a silent gap in a scholar's panel is a wrong answer
        err_console.print(
            f"Note: years before {SCOPE_FROM} are outside the dataset's scope: they count only"
            f" the groupings still active in {SCOPE_FROM} or later (docs/data.md, Scope), not"
            " those that had ended by then.",
            markup=False,
            style="yellow",
        )
    panel_files.require_pandas()
    p = panels.build(c.dataset(), unit, start, end)
    path = out or Path(f"panel-{unit}-{start}-{end}{_FORMATS[fmt]}")
    with writing(path) as made:
        panel_files.write(p, path, fmt)
    summary = {
        "unit": unit,
        "from": start,
        "to": end,
        "format": fmt,
        "rows": len(p),
        "columns": p.names,
        "path": str(path),
        "observed_on": "1 July of each year",
        "in_scope_from": SCOPE_FROM,
        "codebook": "docs/codebook.md",
    }
    if as_json:
        emit_json(summary)
        return
    say_wrote(
        path,
        f"{size_of(path)}: {unit} panel {start}-{end}, {plural(len(p), 'row')}, "
        f"{plural(len(p.names), 'column')}; codebook: docs/codebook.md",
        made,
    )


COMMANDS = [panel]
