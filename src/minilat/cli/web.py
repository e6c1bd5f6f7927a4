"""``minilat serve``: the public observatory (web pages, JSON API, feeds, downloads)."""

from __future__ import annotations

import click

from minilat.cli.kit import Context, out_console, pass_ctx

__all__ = ["COMMANDS", "serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@pass_ctx
def serve(c: Context, host: str, port: int, log_level: str) -> None:
    """Serve the observatory: pages, JSON API (/api/v1, /api/docs), feeds, downloads."""
    import uvicorn

    from minilat.web import create_app

    app = create_app(c.db, c.data_dir, c.editorial, releases=c.releases)
    out_console.print(
        f"minilat observatory on http://{host}:{port}/  (Ctrl-C to stop)\n"
        f"editorial database: {c.editorial}",
        markup=False,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)


COMMANDS = [serve]
