"""``minilat search QUERY``: the site's search from the command line."""

from __future__ import annotations

import click

from minilat.cli.kit import Context, emit_json, out_console, pass_ctx

__all__ = ["COMMANDS", "search"]


@click.command()
@click.argument("query")
@click.option(
    "--kind",
    type=click.Choice(["grouping", "country", "participant", "event", "source"]),
    help="Only one kind of result.",
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="The answer as JSON (as /api/v1/search).")
@pass_ctx
def search(c: Context, query: str, kind: str | None, limit: int, as_json: bool) -> None:
    """Search groupings, countries, participants, events and sources (stemmed: "chip"
    finds "chips"), best first; the same results as the site's search and /api/v1/search."""
    from minilat.search import search as run

    store = c.store()
    found = run(store, store.dataset(), query, kind=kind, limit=limit)
    if as_json:
        emit_json(found)
        return
    if not found["results"]:
        out_console.print(f"nothing found for {query!r}", markup=False)
        return
    counts = ", ".join(f"{n} {k}s" for k, n in found["counts"].items())
    out_console.print(f"{found['total']} results ({counts})", markup=False)
    for r in found["results"]:
        when = f" ({r['date']})" if r["date"] else ""
        out_console.print(f"{r['label']:<12} {r['title']}{when}  {r['url']}", markup=False)
        if r["snippet"]:
            out_console.print(f"{'':<12} {r['snippet']}", markup=False, style="dim")


COMMANDS = [search]
