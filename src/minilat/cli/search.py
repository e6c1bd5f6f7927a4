"""``minilat search QUERY``: the site's search from the command line."""

from __future__ import annotations

import click

from minilat.cli.kit import Col, Context, emit_json, out_console, pass_ctx, plural, table

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
    counts = ", ".join(plural(n, k) for k, n in found["counts"].items())
    t = table(
        f"{plural(found['total'], 'result')} ({counts}), best first",
        [
            Col("kind", "word", drop=2),
            Col("id", "id"),
            Col("title"),
            Col("found in", drop=1),
            Col("address", "id", drop=1),
        ],
    )
    for r in found["results"]:
        when = f" ({r['date']})" if r["date"] else ""
        t.add_row(r["kind"], r["id"], r["title"] + when, r["snippet"] or "", r["url"])
    out_console.print(t)
    if found["total"] > len(found["results"]):
        out_console.print(
            f"{len(found['results'])} shown (--limit N, or --json for all)", markup=False
        )


COMMANDS = [search]
