"""Command for generated reports: ``minilat report country ISO3``."""

from __future__ import annotations

from pathlib import Path

import click

from minilat.cli.kit import Context, as_of_option, emit_json, parse_as_of, pass_ctx, write_out

__all__ = ["COMMANDS"]


@click.group()
def report() -> None:
    """Generated case-study reports, every fact footnoted to its source."""


@report.command("country")
@click.argument("code", metavar="ISO3")
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (Markdown also writes FILE-memberships.svg beside it).",
)
@pass_ctx
def country(c: Context, code: str, as_of: str | None, fmt: str, out: Path | None) -> None:
    """A country's memberships, type mix, partners, network place, hedging and groupings."""

    from minilat import reports

    ds = c.dataset()
    iso = ds.resolve_participant(code)
    rep = reports.country_report(ds, iso, parse_as_of(as_of))
    if fmt == "json":
        if out is None:
            emit_json(rep.to_dict())
            return
        import json

        text = json.dumps(rep.to_dict(), indent=2, ensure_ascii=False)
    elif fmt == "html":
        text = reports.render_html(rep)
    else:
        chart = None
        if out is not None:
            chart_file = out.with_name(f"{out.stem}-memberships.svg")
            write_out(chart_file, reports.memberships_chart(rep), "the memberships chart")
            chart = chart_file.name
        text = reports.render_markdown(rep, chart_path=chart)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_out(out, text, f"the report on {iso} as {fmt}")
        click.echo(str(out))


COMMANDS = [report]
