"""The life of groupings: which are alive (``pulse``) and what they promised
(``commitments``).

Both answer as of a date (today unless ``--as-of``); statuses are derived from each
grouping's dated record against its cadence (docs/methodology.md, section 6).
"""

from __future__ import annotations

import click

from minilat.cli.kit import (
    Col,
    Context,
    as_of_option,
    emit_json,
    json_option,
    out_console,
    parse_as_of,
    pass_ctx,
    plural,
    table,
)

__all__ = ["COMMANDS"]


@click.command()
@as_of_option
@click.option(
    "--since",
    metavar="DATE",
    help="Also list the status changes after this date (up to --as-of).",
)
@json_option
@pass_ctx
def pulse(c: Context, as_of: str | None, since: str | None, as_json: bool) -> None:
    """Which groupings are alive, dormant, newly revived, ended or unknown (not enough
    record to say) on a date, and what changed since another (--since)."""
    from minilat.analysis import pulse as _pulse

    day = parse_as_of(as_of)
    since_day = parse_as_of(since, "--since") if since else None
    p = _pulse.pulse(c.dataset(), day, since_day)
    if as_json:
        emit_json(p)
        return
    t = table(
        f"The pulse of {plural(len(p['groupings']), 'grouping')} as of {p['as_of']}",
        [
            Col("id", "id"),
            Col("status"),
            Col("since", "word", drop=3),
            Col("last activity", narrow="last"),
            Col("cadence", "word", drop=1),
            Col("delivery", "word", drop=2),
        ],
    )
    for r in p["groupings"]:
        last = r["last_activity"]
        status = r["label"] + (f" (editor: {r['override']['status']})" if r["disagrees"] else "")
        rate = (
            f"{r['delivery_rate']:.0%} of {r['assessed']}"
            if r["delivery_rate"] is not None
            else (f"{r['commitments']} recorded" if r["commitments"] else "")
        )
        t.add_row(
            r["id"],
            (
                status,
                r["status"] + (f"\neditor: {r['override']['status']}" if r["disagrees"] else ""),
            ),
            r["since"] or "",
            (f"{last['date']} {last['kind']}", last["date"]) if last else "",
            r["cadence"],
            rate,
        )
    out_console.print(t)
    out_console.print(p["summary"], markup=False)
    if p["changes"] is not None:
        if not p["changes"]:
            out_console.print(f"No status changed since {p['since']}.", markup=False)
        ct = table(
            f"Changes since {p['since']} ({plural(len(p['changes']), 'status change')})",
            [Col("grouping", "id"), Col("date", "word"), Col("from", "word"), Col("to", "word")],
        )
        for ch in p["changes"]:
            ct.add_row(ch["grouping"], ch["date"], ch["previous"] or "", ch["status"])
        if p["changes"]:
            out_console.print(ct)


@click.command()
@click.argument("grouping_id", metavar="[GROUPING]", required=False)
@click.option(
    "--status",
    metavar="STATUS",
    help="Only commitments with this status on the date (delivered, partly_delivered, "
    "not_delivered, in_progress, superseded, unknown).",
)
@click.option(
    "--due-before", "due_before", metavar="DATE", help="Only commitments due before this date."
)
@as_of_option
@json_option
@pass_ctx
def commitments(
    c: Context,
    grouping_id: str | None,
    status: str | None,
    due_before: str | None,
    as_of: str | None,
    as_json: bool,
) -> None:
    """What groupings promised, and what became of it: commitments with their status and
    evidence on a date, of one grouping or all."""
    from minilat.analysis import pulse as _pulse

    day = parse_as_of(as_of)
    due = parse_as_of(due_before, "--due-before") if due_before else None
    d = _pulse.commitments(c.dataset(), day, grouping_id, status=status, due_before=due)
    if as_json:
        emit_json(d)
        return
    t = table(
        d["summary"].rstrip("."),
        [
            Col("grouping", "id"),
            Col("id", "word", drop=1),
            Col("due", "word"),
            Col("status", "word"),
            Col("commitment", lines=0, min=20),
        ],
    )
    for r in d["commitments"]:
        flag = " (overdue)" if r["overdue"] else ""
        when = str(r["due"] or "")
        state = (r["status"] + flag, r["status"].replace("_", "\n") + flag.replace(" ", "\n"))
        t.add_row(r["grouping"], r["id"], (when, when[:7]), state, r["text"])
    out_console.print(t)
    for rate in (d["delivery"] or {}).values():
        out_console.print(f"delivery: {rate['summary']}", markup=False)
    if not d["commitments"]:
        out_console.print(
            "No commitments match. The record grows as curators add them (docs/data.md).",
            markup=False,
            style="dim",
        )


COMMANDS = [pulse, commitments]
