"""The record itself: build and validate the store, list groupings, show one, its members,
and export everything.

Every listing here answers *as of a date* (today unless ``--as-of``): ``groupings --member
C`` lists the groupings C takes part in on that date, exactly the groupings whose
``members --as-of`` list contains C; ``--ever`` asks about any time instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from minilat.cli.kit import (
    Cell,
    Col,
    Context,
    aligned,
    as_of_option,
    emit_json,
    err_console,
    json_option,
    out_console,
    parse_as_of,
    pass_ctx,
    plural,
    print_not_counted,
    say,
    say_wrote,
    table,
    verified_option,
    writing,
)
from minilat.errors import BadInput, did_you_mean
from minilat.vocab import label

__all__ = ["COMMANDS"]


def _theme(value: str) -> str:
    from minilat.model import Theme

    try:
        return Theme(value).value
    except ValueError:
        themes = [t.value for t in Theme]
        hint = did_you_mean(value, themes) or "one of " + ", ".join(themes)
        raise BadInput(f"unknown theme {value!r}", hint=hint) from None


@click.command()
@click.option("--rebuild", is_flag=True, help="Rebuild even if the store is up to date.")
@pass_ctx
def build(c: Context, rebuild: bool) -> None:
    """Compile the dataset into the SQLite store (done automatically when it changes)."""
    from minilat.store import open_store

    store = open_store(c.db, c.data_dir, rebuild=rebuild)
    ds = store.dataset()
    n_m = sum(len(g.memberships) for g in ds.groupings.values())
    out_console.print(
        f"store {store.path}: {plural(len(ds.groupings), 'grouping')}, "
        f"{plural(n_m, 'membership interval')}, {plural(len(ds.sources), 'source')}, "
        f"{plural(len(ds.capabilities), 'capability table')}",
        markup=False,
    )


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Sourcing warnings count as errors: copies that name no original, facts only a wiki"
    " supports, and copies above 5% of sources (a copy that names its original stays a warning).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List every warning, one line each, instead of a count and an example per kind.",
)
@json_option
@pass_ctx
def validate(c: Context, path: Path | None, strict: bool, show_all: bool, as_json: bool) -> None:
    """Check a dataset folder (the bundled one by default), or one file of one (checked
    with the rest of its folder, for the sources it cites); list every problem.

    Errors are listed one line each. Sources that are copies and facts whose only source
    is a wiki are warnings, counted by kind with one example each (--all lists every
    one; --json holds them all); with --strict they fail the check, and are listed as
    errors, except a copy that names its original (copy_of) while copies stay within 5%
    of sources."""
    from minilat import dataset as _dataset

    root = path or c.data_dir or _dataset.bundled_data_dir()
    only: str | None = None
    if path is not None and path.is_file():
        if path.parent.name not in _dataset.SUBDIRS:
            raise BadInput(
                f"{path} is a file, not a data folder",
                hint="give a data folder, or a file in its groupings/, sources/, participants/,"
                " capabilities/ or indicators/",
            )
        root, only = path.parent.parent, f"{path.parent.name}/{path.name}"
    problems, warnings = _dataset.check(root)
    if only is not None:
        problems = [p for p in problems if p.file == only]
        warnings = [w for w in warnings if w.file == only]
    failing = _dataset.strict_failures(warnings)
    errors = [*problems, *(failing if strict else [])]
    failed = len(errors)
    # the warnings that stay warnings, by kind in WARNING_KINDS order, each in file order
    by_kind: dict[str, list[Any]] = {k: [] for k in _dataset.WARNING_KINDS}
    for w in warnings:
        by_kind[_dataset.warning_kind(w)].append(w)
    if as_json:
        emit_json(_validate_json(c, root, only, strict, problems, warnings, failing, by_kind))
        if failed:
            sys.exit(1)
        return
    for p in problems:
        click.echo(str(p))
    for w in warnings:
        if strict and w in failing:
            click.echo(f"{w} [error]")
        elif show_all:
            click.echo(f"{w} [warning]")
    if not show_all:
        kinds = [(k, [w for w in ws if not (strict and w in failing)]) for k, ws in by_kind.items()]
        kinds = [(k, ws) for k, ws in kinds if ws]
        if kinds:
            click.echo("warnings by kind (--all lists every one, --json holds them all):")
        for k, ws in kinds:
            one, many = _dataset.WARNING_KINDS[k]
            click.echo(f"  {plural(len(ws), one, many)} [warning]\n    e.g. {ws[0]}")
    copies = len(by_kind["unnamed_copy"]) + len(by_kind["named_copy"])
    wiki_only = len(by_kind["wiki_only"])
    if warnings:
        err_console.print(
            f"{plural(copies, 'source')} that are copies, {plural(wiki_only, 'fact')} only a "
            f"wiki supports; {len(failing)} of these warnings fail --strict"
            + (" (errors now)" if strict else ""),
            markup=False,
        )
    if failed:
        err_console.print(f"{plural(failed, 'problem')} in {only or root}", markup=False)
        sys.exit(1)
    if only is not None:
        err_console.print(f"ok: {only} in {root}", markup=False)
        return
    ds = _dataset.load(root)
    err_console.print(
        f"ok: {plural(len(ds.groupings), 'grouping')}, {plural(len(ds.sources), 'source')}, "
        f"{plural(len(ds.capabilities), 'capability table')} in {root}",
        markup=False,
    )


def _validate_json(
    c: Context,
    root: Path,
    only: str | None,
    strict: bool,
    problems: list[Any],
    warnings: list[Any],
    failing: list[Any],
    by_kind: dict[str, list[Any]],
) -> dict[str, Any]:
    """``validate --json``: every error and every warning, and the warnings by kind."""
    from minilat import dataset as _dataset

    def line(p: Any) -> dict[str, Any]:
        return {"file": p.file, "line": p.line, "field": p.field, "message": p.message}

    fails = {id(w) for w in failing}
    failed = len(problems) + (len(failing) if strict else 0)
    out: dict[str, Any] = {
        "root": str(root),
        "file": only,
        "strict": strict,
        "ok": failed == 0,
        "problems": failed,
        "errors": [line(p) for p in problems],
        "warnings": [
            {
                **line(w),
                "kind": _dataset.warning_kind(w),
                "fails_strict": id(w) in fails,
                "level": "error" if strict and id(w) in fails else "warning",
            }
            for w in warnings
        ],
        "warning_kinds": [
            {
                "kind": k,
                "what": _dataset.WARNING_KINDS[k][1],
                "count": len(ws),
                "fail_under_strict": sum(1 for w in ws if id(w) in fails),
                "example": line(ws[0]),
            }
            for k, ws in by_kind.items()
            if ws
        ],
    }
    if failed == 0 and only is None:
        ds = _dataset.load(root)
        out["dataset"] = {
            "groupings": len(ds.groupings),
            "sources": len(ds.sources),
            "capability_tables": len(ds.capabilities),
        }
    return out


@click.command("groupings")
@click.option(
    "--member",
    metavar="COUNTRY",
    help="Only groupings this country takes part in (as of the date), with a column of "
    "its role and the years it began and ended (member_role in --json).",
)
@click.option("--theme", metavar="THEME", help="Only groupings with this theme.")
@as_of_option
@click.option("--active-on", "active_on", metavar="DATE", hidden=True)  # the old name
@click.option(
    "--ever",
    is_flag=True,
    help="At any time instead of as of a date: every grouping in the record, and with "
    "--member every grouping the country has ever taken part in.",
)
@click.option("--search", "query", metavar="TEXT", help="Match names, acronyms and aliases.")
@json_option
@pass_ctx
def groupings_cmd(
    c: Context,
    member: str | None,
    theme: str | None,
    as_of: str | None,
    active_on: str | None,
    ever: bool,
    query: str | None,
    as_json: bool,
) -> None:
    """List the groupings active on a date (today by default), filtered by member, theme
    or name; --ever for any time."""
    from minilat.analysis import groupings as _groupings

    if as_of and active_on:
        raise BadInput("give --as-of or its old name --active-on, not both")
    if ever and (as_of or active_on):
        raise BadInput(
            "--ever asks about any time, --as-of about one date: give one of them",
            hint="minilat groupings --member RUS --ever",
        )
    day = parse_as_of(as_of or active_on, "--active-on" if active_on else "--as-of")
    ds = c.dataset()
    code = ds.resolve_participant(member) if member else None
    listing = _groupings.listing(
        ds,
        c.store().grouping_ids(
            member=code,
            theme=_theme(theme) if theme else None,
            as_of=None if ever else day,
            query=query,
        ),
        as_of=day,
        member=code,
        ever=ever,
        among=None
        if not code or ever
        else c.store().grouping_ids(theme=_theme(theme) if theme else None, as_of=day, query=query),
    )
    listing["filters"].update(theme=theme, search=query)
    if as_json:
        emit_json(listing)
        return
    t = table(
        listing["title"],
        [
            Col("id", "id"),
            # last to go (the id says which grouping), and wrapped a little narrower than
            # other text so that the status (dormant, unknown) still fits at 80 columns;
            # with long ids it wraps narrower still, whole, rather than go (Col.squeeze)
            Col("name", drop=5, min=12, squeeze=10),
            Col("founded", "word", drop=2, narrow="year"),
            # the life read from the recorded activity (the JSON's "life"), not the status
            # (the JSON's "status": "active" for every row of the title's active groupings)
            Col("life", "word", drop=4),
            # partners merged into the members cell ("10 + 10 partners"): never dropped
            Col("members", "num"),
            Col("themes", "ids", drop=1, min=20),
            # the member's own role and its dates: never dropped, so that a grouping it
            # has left never reads as one it is in; wide enough for a role and its years
            # on one line ("observer 1995–2022") now that the members cell is wider
            # ("founding 1945–"); squeezed, the years go under the role ("1995–2022": 9)
            *([Col(f"{code} role", "text", lines=0, min=18, squeeze=9)] if code else []),
        ],
    )
    for r in listing["groupings"]:
        t.add_row(
            r["id"],
            r["name"],
            (r["founded"], r["founded"][:4]),
            (_life_text(r), _life_word(r)),
            # an incomplete list: "N of M" like with like (OF_NOTE), as every face shows it
            _members_cell(r),
            ", ".join(r["themes"]),
            *(
                [(r["member_role"]["text"], r["member_role"]["text"].replace(" member ", " "))]
                if code
                else []
            ),
        )
    shown = t.shown_headers(out_console.width)
    out_console.print(t)
    # the legend says only the columns shown, and the partners in the members cell
    out_console.print(_groupings.counts_legend([*shown, "partners"]), markup=False, style="dim")
    if any(r["named_of_published"] for r in listing["groupings"]):
        out_console.print(listing["of_note"], markup=False, style="dim")
    if listing["incomplete_lists"]:
        print_not_counted(listing["incomplete_lists"], listing["filters"]["member"])


@click.command()
@click.argument("grouping_id", metavar="ID")
@as_of_option
@json_option
@pass_ctx
def show(c: Context, grouping_id: str, as_of: str | None, as_json: bool) -> None:
    """A grouping with its members as of a date, and every source (by id, acronym, alias
    or former name)."""
    from rich.text import Text

    from minilat.analysis import groupings as _groupings

    ds = c.dataset()
    d = _groupings.detail(ds, ds.grouping(grouping_id), parse_as_of(as_of))
    if as_json:
        emit_json(d)
        return
    out_console.print(
        f"[bold]{d['name_as_of']}[/] ({d['id']})  {d['life']['label'].replace('_', ' ')} "
        f"as of {d['as_of']}"
    )
    out_console.print(
        f"founded {d['founded']['date']}" + (f", ended {d['ended']}" if d["ended"] else "")
    )
    for key in (
        "instrument",
        "secretariat",
        "legal_personality",
        "accession",
        "cadence",
        "website",
    ):
        f = d[key]
        flag = "" if f["sources"] and not f["unverified"] else "  [yellow](unverified)[/]"
        # the value in the web's words ("joint declaration", "no"); the ids in --json
        name = key.replace("_", " ")
        out_console.print(f"{name:>17}: {label(f['value'])}{flag}")
    say(", ".join(label(t) for t in d["themes"]["value"]), f"{'themes':>17}: ")
    lf = d["life"]
    out_console.print(f"{'life':>17}: [bold]{lf['label']}[/]", end="")
    out_console.print(f" since {lf['since']}" if lf["since"] else "", markup=False)
    say(lf["explanation"], "  ", style="dim")
    if lf["override"]:
        o = lf["override"]
        say(f"{label(o['status'])} ({o['rationale']})", "  editor's reading: ")
    if d["status"] != "active" and not d["members"]:
        g = ds.grouping(grouping_id)
        out_console.print(_not_active(g, {**d, "name": d["name_as_of"]}), markup=False)
    else:
        _print_members(d["members"], f"taking part as of {d['as_of']}")
        _print_incomplete(d["enumeration"])
    if d["commitments"]:
        say(d["delivery"]["summary"], Text.assemble(("commitments", "bold"), "  "))
        # dates of any precision ("1998", "2025-12") and the prose in aligned columns
        aligned(
            (
                cm["made"],
                label(cm["status"]),
                cm["text"] + (f" due {cm['due']}" if cm["due"] else ""),
            )
            for cm in d["commitments"]
        )
    if d["events"]:
        out_console.print("[bold]events[/]")
        aligned((e["date"], label(e["kind"]), e["title"]) for e in d["events"])
    if d["notes"]:
        out_console.print("[bold]notes[/]")
        out_console.print(d["notes"].strip(), markup=False)
    out_console.print("[bold]sources[/]")
    for sid, s in d["sources"].items():
        say(f"{s['title']} — {s['publisher']}, {s['url']}", f"  [{sid}] ", hang=4)


def _members_cell(r: dict[str, Any]) -> Cell:
    r"""A listing row's members, with its other participants beside them so that no width
    hides them, in the words of :func:`minilat.analysis.groupings.members_cell`: "10 + 10
    partners", "2 of 80 + 5 partners" (a head-count of states, OF_NOTE), "15 of 49 = 8 + 7
    partners" (a head-count of participants: the 15 counts the 7), "25"; narrow, a line
    each, none wider than "+ 12 partners" so that the status keeps its column at 80.

    >>> _members_cell({"named_of_published": None, "full_members": 10, "other_participants": 1})
    ('10 + 1 partner', '10\n+ 1 partner')
    >>> _members_cell({"named_of_published": "10 of 39 reported in 2023", "full_members": 3,
    ...                "named_counts": "participants", "other_participants": 7})[1]
    '10 of 39\nreported in\n2023\n= 3\n+ 7 partners'
    """
    import textwrap

    from minilat.analysis.groupings import members_cell

    lines = members_cell(r)
    narrow = "\n".join(part for line in lines for part in textwrap.wrap(line, 13))
    wide = " ".join(lines)
    return wide if wide == narrow else (wide, narrow)


def _life_text(r: dict[str, Any]) -> str:
    """A listing row's life with what it rests on, in words: "dormant (searched)",
    "active (standing body)", "unknown (not enough record to say)"; a grouping outside its
    periods (--ever) says its status where that differs: "ended"."""
    return label(r.get("life_label") or r.get("life") or r["status"])


def _life_word(r: dict[str, Any]) -> str:
    """A listing row's life in one word: "active", "dormant", "unknown", "revived"."""
    return label(r.get("life") or r["status"])


def _print_incomplete(enum: dict[str, Any] | None) -> None:
    """Say that a member list is incomplete, where the record knows it is."""
    if enum:
        out_console.print(enum["text"], markup=False, style="yellow")


def _print_members(rows: list[dict[str, Any]], title: str) -> None:
    full = sum(1 for m in rows if m["role"] in ("founding_member", "member"))
    t = table(
        f"{plural(len(rows), 'participant')} {title} ({full} full "
        f"{'member' if full == 1 else 'members'}, {len(rows) - full} in other roles)",
        [
            Col("participant", "id"),
            Col("name"),
            Col("role", "word"),
            Col("since", "word", drop=2),
            Col("sources", "ids", drop=1),
        ],
    )
    for m in rows:
        # an unverified membership keeps its sources, and says it is unverified (under its
        # role, which is never dropped)
        # the role in words at every width ("founding member"); the id in --json
        flag = "" if m["verified"] else "\n(unverified)"
        role = label(m["role"]) + flag
        t.add_row(m["participant"], m["name"], role, m["start"], ", ".join(m["sources"]))
    out_console.print(t)


@click.command()
@click.argument("grouping_id", metavar="ID")
@as_of_option
@verified_option
@json_option
@pass_ctx
def members(
    c: Context, grouping_id: str, as_of: str | None, verified_only: bool, as_json: bool
) -> None:
    """The participants of a grouping as of a date (every active role), with roles and
    sources."""
    from minilat.analysis import groupings as _groupings

    ds = c.dataset()
    d = _groupings.members(
        ds, ds.grouping(grouping_id), parse_as_of(as_of), verified_only=verified_only
    )
    if as_json:
        emit_json(d)
        return
    if d["status"] != "active" and not d["members"]:
        out_console.print(_not_active(ds.grouping(grouping_id), d), markup=False)
        return
    _print_members(d["members"], f"in {d['name']} as of {d['as_of']}")
    _print_incomplete(d["enumeration"])


def _not_active(g: Any, d: dict[str, Any]) -> str:
    """Why a grouping has no participants on the date, in words, with the date that
    explains it (its founding, or its end).

    >>> from minilat.dataset import load
    >>> g = load().grouping("pax_silica")
    >>> _not_active(g, {"name": "Pax Silica", "as_of": "2025-01-01", "status": "not_yet_founded"})
    'Pax Silica was not yet founded on 2025-01-01 (founded 2025-12-12).'
    """
    name, day, status = d["name"], d["as_of"], d["status"]
    if status == "not_yet_founded":
        return f"{name} was not yet founded on {day} (founded {g.founded.iso()})."
    if status == "ended":
        end = f" (ended {g.ended.iso()})" if g.ended else ""
        return f"{name} had ended by {day}{end}: no participants."
    return f"{name} was {status.replace('_', ' ')} on {day}: no participants taking part."


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="csv", show_default=True
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("minilat-export"),
    show_default=True,
    help="Folder to write into.",
)
@pass_ctx
def export(c: Context, fmt: str, out_dir: Path) -> None:
    """Export the whole dataset (memberships: one row per participant x grouping x interval)."""
    from minilat import export as _export

    ds = c.dataset()
    with writing(out_dir, folder=True) as made:
        paths = (_export.write_json if fmt == "json" else _export.write_csv)(ds, out_dir)
    for p in paths:
        click.echo(str(p))
    size = sum(p.stat().st_size for p in paths)
    say_wrote(out_dir, f"{plural(len(paths), f'{fmt.upper()} file')}, {size:,} bytes", made)


COMMANDS = [build, validate, groupings_cmd, show, members, export]
