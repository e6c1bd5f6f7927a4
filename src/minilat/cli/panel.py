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
    json_option,
    pass_ctx,
    plural,
    say_wrote,
    size_of,
    writing,
)

__all__ = ["COMMANDS", "panel"]

_UNITS = ("country-year", "dyad-year", "grouping-year")
_FORMATS = {"csv": ".csv", "parquet": ".parquet", "dta": ".dta"}


@click.command()
@click.option(
    "--unit",
    type=click.Choice(_UNITS),
    required=True,
    help="country-year (membership coded), dyad-year (co-memberships) or grouping-year.",
)
@click.option("--from", "start", type=int, default=1975, show_default=True, help="First year.")
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
