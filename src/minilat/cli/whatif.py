"""``minilat whatif``: a scenario's differences from the record, ranked and explained.

The command reads a scenario (a YAML or JSON file, docs/whatif.md) and/or the inline
options (``--join IND:chip4 --leave USA:paris_call --found "club:USA,JPN"``), calls
:func:`minilat.analysis.whatif.run` on the dataset (edited in memory: the store is never
touched) and prints the differences, largest first, or the whole answer with ``--json``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from minilat.cli.kit import (
    Col,
    Context,
    emit_json,
    json_option,
    out_console,
    pass_ctx,
    plural,
    say,
    table,
)
from minilat.errors import BadInput

__all__ = ["COMMANDS", "whatif"]


def _read(path: str) -> tuple[str, str]:
    if path == "-":
        return sys.stdin.read(), "(stdin)"
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        raise BadInput(f"no such scenario file: {path}", hint="see docs/whatif.md") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read the scenario {path}: {e}") from None


def _render(r: dict[str, Any], top: int) -> None:
    from rich.text import Text

    sc = r["scenario"]
    head = f"What if, as of {r['as_of']}" + (f": {sc['title']}" if sc.get("title") else "")
    out_console.print(f"[bold]{head}[/]")
    for c in sc["changes"]:
        say(c["text"], "  • ")
    if r["groupings"]:
        t = table(
            f"{plural(len(r['groupings']), 'affected grouping')}",
            [Col("grouping", "id"), Col("before", lines=0), Col("after", lines=0)],
        )
        for g in r["groupings"]:
            t.add_row(
                g["id"],
                "—" if g["before"] is None else g["before"]["verdict"],
                "—" if g["after"] is None else g["after"]["verdict"],
            )
        out_console.print(t)
    for f in r["founded"]:
        say(f["verdict"], Text.assemble((f["name"], "bold"), ": "), hang=2)
    diffs = r["differences"]
    if diffs:
        t = table(
            f"Differences, largest first ({len(diffs)})",
            [Col("size", "num"), Col("area", "word"), Col("explanation", lines=0, min=24)],
        )
        for d in diffs[:top]:
            t.add_row(f"{d['size']:.3f}", d["area"], d["explanation"])
        out_console.print(t)
        if len(diffs) > top:
            out_console.print(f"... and {len(diffs) - top} more (--top N, or --json for all)")
    apart = r.get("assessability") or []
    if apart:
        t = table(
            f"Becoming assessable or not, not ranked: no change of value ({len(apart)})",
            [Col("area", "word"), Col("explanation", lines=0, min=24)],
        )
        for d in apart:
            t.add_row(d["area"], d["explanation"])
        out_console.print(t)
    say(r["summary"])
    n = r["counts"]["negligible"]
    if n:
        out_console.print(f"{plural(n, 'difference')} smaller than 0.001 not listed.")
    done, full = sum(r["recomputed"].values()), sum(r["full"].values())
    out_console.print(
        f"Analyses recomputed: {done} of the {full} a full recomputation would make "
        f"({', '.join(f'{k} {v}' for k, v in r['recomputed'].items())})."
    )


@click.command()
@click.argument("scenario", required=False, metavar="[SCENARIO]")
@click.option(
    "--join",
    "joins",
    multiple=True,
    metavar="COUNTRY:GROUPING[:DATE]",
    help="A country joins a grouping (as member); repeatable.",
)
@click.option(
    "--leave",
    "leaves",
    multiple=True,
    metavar="COUNTRY:GROUPING[:DATE]",
    help="A country leaves a grouping; repeatable.",
)
@click.option(
    "--suspend",
    "suspends",
    multiple=True,
    metavar="COUNTRY:GROUPING[:DATE]",
    help="A country is suspended from a grouping; repeatable.",
)
@click.option(
    "--found",
    "founds",
    multiple=True,
    metavar="NAME:MEMBERS[:THEMES]",
    help='A new grouping, e.g. "compute club:USA,JPN,KOR,TWN,NLD:ai,semiconductors".',
)
@click.option(
    "--end", "ends", multiple=True, metavar="GROUPING[:DATE]", help="A grouping ends; repeatable."
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The scenario's date (overrides the file's as_of); default today.",
)
@click.option(
    "--top", type=click.IntRange(1, 10_000), default=15, show_default=True, help="Rows shown."
)
@click.option("--no-network", is_flag=True, help="Skip the network analysis (the slowest part).")
@json_option
@pass_ctx
def whatif(
    c: Context,
    scenario: str | None,
    joins: tuple[str, ...],
    leaves: tuple[str, ...],
    suspends: tuple[str, ...],
    founds: tuple[str, ...],
    ends: tuple[str, ...],
    as_of: str | None,
    top: int,
    no_network: bool,
    as_json: bool,
) -> None:
    """What if countries joined, left or founded groupings? Every analysis, before and after.

    SCENARIO is a YAML or JSON file (docs/whatif.md; `-` reads standard input); the
    options add changes to it, or make a scenario of their own. The dataset is edited in
    memory only.

    \b
    minilat whatif --join IND:chip4
    minilat whatif --leave USA:paris_call --as-of 2026-12-01 --json
    minilat whatif --found "compute club:USA,JPN,KOR,TWN,NLD:ai,semiconductors"
    minilat whatif scenario.yaml --top 30
    """
    from minilat import scenario as _scenario
    from minilat.analysis import whatif as _whatif

    base = None
    if scenario is not None:
        text, name = _read(scenario)
        base = _scenario.parse(text, name)
    elif not (joins or leaves or suspends or founds or ends):
        raise BadInput(
            "no scenario given",
            hint="pass a scenario file or options such as --join IND:chip4 (docs/whatif.md)",
        )
    sc = _scenario.inline(
        joins=joins,
        leaves=leaves,
        suspends=suspends,
        founds=founds,
        ends=ends,
        as_of=as_of,
        base=base,
    )
    r = _whatif.run(c.dataset(), sc, network=not no_network)
    if as_json:
        emit_json(r)
    else:
        _render(r, top)


COMMANDS = [whatif]
