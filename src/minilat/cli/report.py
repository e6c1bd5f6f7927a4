"""Command for generated reports: ``minilat report country ISO3``."""

from __future__ import annotations

from pathlib import Path

import click

from minilat.cli.kit import Context, as_of_option, emit_json, parse_as_of, pass_ctx
from minilat.errors import BadInput

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
            _write(chart_file, reports.memberships_chart(rep))
            chart = chart_file.name
        text = reports.render_markdown(rep, chart_path=chart)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write(out, text)
        click.echo(str(out))


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror}") from None


COMMANDS = [report]
