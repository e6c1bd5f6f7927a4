"""Commands ``network``, ``country`` and ``timeline``: thin faces over the analyses.

Each parses its options, calls one analysis (:mod:`minilat.analysis.network`,
:mod:`minilat.analysis.countries`, :mod:`minilat.analysis.timeline`) and renders the
result with rich, or as JSON with ``--json``. ``--type`` and the type breakdowns need the
typology analysis (``minilat.analysis.typology``); where it is not there yet, ``--type``
fails with a clear message and the breakdowns are left out.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import importlib.util
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

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
    print_not_counted,
    say,
    verified_option,
    write_out,
)
from minilat.cli.kit import table as kit_table
from minilat.errors import BadInput, did_you_mean
from minilat.vocab import WEIGHTINGS, GroupingType, label

if TYPE_CHECKING:
    from minilat.dataset import Dataset

__all__ = ["COMMANDS", "country", "network", "timeline"]


# ------------------------------------------------------------------------ typology


def _types(ds: Dataset, as_of: _dt.date) -> dict[str, str] | None:
    """Grouping id -> primary type from the typology analysis, or None if not there yet."""
    if importlib.util.find_spec("minilat.analysis.typology") is None:
        return None
    classify = getattr(importlib.import_module("minilat.analysis.typology"), "classify", None)
    if classify is None:
        return None
    return {
        gid: "unclassified" if r.primary is None else str(getattr(r.primary, "value", r.primary))
        for gid, r in classify(ds, as_of).items()
    }


def _type_value(value: str) -> str:
    try:
        return GroupingType(value).value
    except ValueError:
        hint = did_you_mean(value, [t.value for t in GroupingType])
        raise BadInput(
            f"unknown type {value!r}",
            hint=hint or "use one of " + ", ".join(t.value for t in GroupingType),
        ) from None


def _of_type(ds: Dataset, as_of: _dt.date, value: str) -> tuple[set[str], dict[str, str]]:
    kind = _type_value(value)
    types = _types(ds, as_of)
    if types is None:
        raise BadInput(
            "--type is not available yet: this version has no typology analysis "
            "(minilat.analysis.typology)",
            hint="run the command without --type",
        )
    return {gid for gid, t in types.items() if t == kind}, types


type_option = click.option(
    "--type",
    "type_",
    metavar="TYPE",
    help="Only groupings of this type: " + ", ".join(t.value for t in GroupingType) + ".",
)


def _f(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


# ------------------------------------------------------------------------- network


@click.command()
@as_of_option
@type_option
@click.option(
    "--weighting",
    type=click.Choice(list(WEIGHTINGS)),
    default="newman",
    show_default=True,
    help="Tie weights: newman (each grouping adds 1/(n-1)) or count (shared groupings).",
)
@click.option(
    "--all-participants",
    is_flag=True,
    help="Put non-state participants (the EU, companies, ...) in the projection too.",
)
@verified_option
@click.option(
    "--export",
    "fmt",
    type=click.Choice(["graphml", "gexf", "csv"]),
    help="Write the network to --out instead of printing it (GEXF is dynamic).",
)
@click.option(
    "--graph",
    type=click.Choice(["bipartite", "projection"]),
    default="bipartite",
    show_default=True,
    help="Which graph to export (GraphML and CSV).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="File to export to ('-': standard output).",
)
@click.option("--top", default=15, show_default=True, help="Rows to show in each table.")
@click.option(
    "--universal",
    is_flag=True,
    help="Count the universal bodies (the UN, any grouping of 100 or more member states); "
    "left out by default, as on the web and in `minilat country`.",
)
@json_option
@pass_ctx
def network(
    c: Context,
    as_of: str | None,
    type_: str | None,
    weighting: str,
    all_participants: bool,
    verified_only: bool,
    fmt: str | None,
    graph: str,
    out: Path | None,
    top: int,
    universal: bool,
    as_json: bool,
) -> None:
    """The co-membership network as of a date: centralities, communities, bridges, overlap.

    Countries are tied by the groupings they share (see docs/network.md for the weighting).
    The universal bodies (the UN) are left out unless --universal: they tie every state to
    every other.
    """
    from minilat.analysis import network as _network

    given = click.get_current_context().get_parameter_source("graph")
    if fmt is None and given is click.core.ParameterSource.COMMANDLINE:
        raise BadInput(
            "--graph goes with --export", hint="for example --export csv --graph projection"
        )
    day = parse_as_of(as_of)
    ds = c.dataset()
    include: Collection[str] | None = _of_type(ds, day, type_)[0] if type_ else None
    left_out: list[str] = []
    if not universal:
        include, left_out = _network.without_universal(ds, day, include)
    if fmt is not None:
        if out is None:
            raise BadInput("--export needs --out FILE", hint="use --out - to print it")
        text = _network.export(
            ds,
            day,
            fmt,
            graph=graph,
            include=include,
            weighting=cast(_network.Weighting, weighting),
            states_only=not all_participants,
            verified_only=verified_only,
        )
        write_out(out, text, f"the {graph} graph as {fmt}")
        return
    if out is not None:
        raise BadInput("--out goes with --export", hint="for example --export graphml --out n.xml")
    d = _network.analyse(
        ds,
        day,
        include=include,
        weighting=cast(_network.Weighting, weighting),
        states_only=not all_participants,
        verified_only=verified_only,
    )
    # the analysis is shared: copy, then add
    d = {**d, "universal": universal, "universal_left_out": left_out}
    if type_:
        d["type"] = _type_value(type_)
    if as_json:
        emit_json(d)
        return
    _render_network(d, top)
    if left_out:
        names = ", ".join(ds.groupings[g].name for g in left_out)
        one = len(left_out) == 1
        say(
            f"Left out: {names} ({'a universal body' if one else 'universal bodies'}, tying"
            f" every state to every other; --universal counts {'it' if one else 'them'}).",
            style="dim",
        )


def _render_network(d: dict[str, Any], top: int) -> None:
    b, p = d["bipartite"], d["projection"]
    out_console.print(
        f"[bold]Co-membership network[/] as of {d['as_of']} ({d['weighting']} weighting"
        + (", states only" if d["states_only"] else "")
        + ")"
    )
    out_console.print(
        f"bipartite: {b['participants']} participants x {b['groupings']} groupings, "
        f"{b['memberships']} memberships; projection: {p['nodes']} nodes, {p['edges']} ties, "
        f"density {_f(p['density'])}, {plural(p['components'], 'component')}, "
        f"{len(d['communities'])} communities (modularity {_f(p['modularity'])})",
        markup=False,
    )
    table = kit_table(
        f"most central (of {p['nodes']})",
        [
            Col("id", "id"),
            Col("name"),
            Col("groupings", "num", narrow="groups"),
            Col("partners", "num"),
            Col("strength", "num"),
            Col("eigenvector", "num", narrow="eigen"),
            Col("betweenness", "num", narrow="betw."),
            Col("community", "num", narrow="comm."),
        ],
    )
    for n in d["nodes"][:top]:
        table.add_row(
            n["id"],
            n["name"],
            str(n["groupings"]),
            str(n["degree"]),
            _f(n["strength"], 1),  # as the web rounds it (round1): 83.0, not 83.00
            _f(n["eigenvector"]),
            _f(n["betweenness"]),
            str(n["community"]),
        )
    out_console.print(table)
    for cm in d["communities"][:top]:
        more = f" (+{cm['size'] - 12})" if cm["size"] > 12 else ""
        out_console.print(
            f"community {cm['id']} ({cm['size']}): {', '.join(cm['members'][:12])}{more}",
            markup=False,
        )
    if d["bridges"]:
        table = kit_table(
            "bridging participants",
            [
                Col("id", "id"),
                Col("name"),
                Col("community", "num", narrow="comm."),
                Col("participation", "num", narrow="partic."),
                Col("outside share", "num", narrow="outside"),
                Col("betweenness", "num", narrow="betw."),
            ],
        )
        for r in d["bridges"][:top]:
            table.add_row(
                r["id"],
                r["name"],
                str(r["community"]),
                _f(r["participation"]),
                _f(r["outside_share"]),
                _f(r["betweenness"]),
            )
        out_console.print(table)
    table = kit_table(
        "strongest ties",
        [Col("a", "id"), Col("b", "id"), Col("shared", "num"), Col("weight", "num")],
    )
    for e in d["edges"][:top]:
        table.add_row(e["a"], e["b"], str(e["shared"]), _f(e["weight"]))
    out_console.print(table)
    table = kit_table(
        "most overlapping groupings (Jaccard)",
        [Col("a", "id"), Col("b", "id"), Col("shared", "num"), Col("jaccard", "num")],
    )
    for o in d["overlap"]["pairs"][:top]:
        table.add_row(o["a"], o["b"], str(o["shared"]), _f(o["jaccard"]))
    out_console.print(table)


# ------------------------------------------------------------------------- country


@click.command()
@click.argument("code", metavar="ISO3")
@as_of_option
@verified_option
@click.option(
    "--universal",
    is_flag=True,
    help="Count the universal bodies (the UN, any grouping of 100 or more member states) "
    "in partners and the network; left out by default, as on the web.",
)
@json_option
@pass_ctx
def country(
    c: Context,
    code: str,
    as_of: str | None,
    verified_only: bool,
    universal: bool,
    as_json: bool,
) -> None:
    """A country's profile: memberships, partners, network place, hedging, specialisation.

    ISO3 is an ISO 3166-1 alpha-3 code or a country name (or a participant id such as eu).
    Partners and the network place leave out the universal bodies unless --universal.
    """

    from minilat.analysis import countries as _countries

    day = parse_as_of(as_of)
    ds = c.dataset()
    p = _countries.profile(
        ds,
        ds.resolve_participant(code),
        day,
        types=_types(ds, day),
        verified_only=verified_only,
        universal=universal,
    )
    if as_json:
        emit_json(p)
        return
    _render_country(p)


#: The narrow forms of the country table's "anchored" column.
_ANCHOR_WORD = {"us-anchored": "US", "china-anchored": "China"}


def _render_country(p: dict[str, Any]) -> None:
    who = p["country"]
    out_console.print(f"[bold]{who['name']}[/] ({who['id']}) as of {p['as_of']}")
    a = p["alignment"]
    hi = "n/a" if a["hedging_index"] is None else _f(a["hedging_index"], 2)
    out_console.print(
        f"alignment: {a['label']} — hedging index {hi}; in {a['us_anchored']} of "
        f"{a['available']['us_anchored']} US-anchored and {a['china_anchored']} of "
        f"{a['available']['china_anchored']} China-anchored groupings; {a['both']} with both, "
        f"{a['neither']} with neither"
        + (
            f", {a['unknown']} with the leading side unknown (member list incomplete)"
            if a.get("unknown")
            else ""
        ),
        markup=False,
    )
    out_console.print(
        f"partners: shares groupings with {plural(p['partner_count'], 'state')}, "
        f"{p['partners_rule']['text']}",
        markup=False,
    )
    n = p["network"]
    if n is not None:
        r = n["rank"]
        out_console.print(
            f"network: strength {_f(n['strength'], 1)} (rank "
            f"{r['strength']} of {n['of']}), eigenvector rank {r['eigenvector']}, "
            f"betweenness rank {r['betweenness']}, community {n['community']} "
            f"({plural(n['community_size'], 'member')})",
            markup=False,
        )
    if p["type_mix"] is not None:
        mix = ", ".join(f"{label(k)} {v}" for k, v in p["type_mix"].items())
        out_console.print(f"type mix: {mix or 'none'}", markup=False)
    anchor = {
        g["grouping"]: k.replace("_", "-")
        for k, gs in p["alignment"]["groupings"].items()
        for g in gs
    }
    table = kit_table(
        f"{plural(len(p['current']), 'current grouping')}",
        [Col("grouping", "id"), Col("name"), Col("role", "word"), Col("anchored", "word", drop=1)],
    )
    for g in p["current"]:
        # the role in words at every width ("founding member"); the id in --json
        role = label(g["role"]) + ("" if g.get("verified", True) else "\n(unverified)")
        where = anchor.get(g["grouping"], "")
        table.add_row(g["grouping"], g["name"], role, (where, _ANCHOR_WORD.get(where, where)))
    out_console.print(table)
    print_not_counted(p.get("incomplete_lists") or [], who["id"])
    table = kit_table(
        f"closest partners ({p['partners_rule']['order']})",
        [Col("id", "id"), Col("name"), Col("shared", "num"), Col("weight", "num")],
    )
    for q in p["partners"]:
        table.add_row(q["id"], q["name"], str(q["shared"]), _f(q["weight"]))
    out_console.print(table)
    spec = p["specialisation"]
    for key in ("types", "themes"):
        rows = spec[key]
        if rows:
            shown = ", ".join(
                f"{label(r['category'])} {_f(r['lq'], 2)}" for r in rows[:8] if r["lq"] > 1
            )
            out_console.print(f"over-weights ({key}, LQ > 1): {shown or 'none'}", markup=False)
    if p["over_time"]:
        series = "  ".join(f"{r['year']}:{r['groupings']}" for r in p["over_time"][-12:])
        out_console.print(f"groupings on 1 July of each year: {series}", markup=False)


# ------------------------------------------------------------------------ timeline


@click.command()
@type_option
@click.option(
    "--from",
    "start",
    type=int,
    metavar="YEAR",
    help="First year (default: 1975, the first G6 summit).",
)
@click.option("--to", "end", type=int, metavar="YEAR", help="Last year (default: this year).")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also draw the timeline to FILE (.svg or .png).",
)
@json_option
@pass_ctx
def timeline(
    c: Context,
    type_: str | None,
    start: int | None,
    end: int | None,
    chart_path: Path | None,
    as_json: bool,
) -> None:
    """Groupings founded and active per year (by type when the typology is available)."""
    from minilat.analysis import timeline as _timeline

    start = _timeline.START_YEAR if start is None else start
    ds = c.dataset()
    today = _dt.date.today()
    include: set[str] | None = None
    types: dict[str, str] | None
    if type_:
        include, types = _of_type(ds, today, type_)
    else:
        types = _types(ds, today)
    fmt = None
    if chart_path is not None:
        fmt = chart_path.suffix.lower().lstrip(".")
        if fmt not in ("svg", "png"):
            raise BadInput(f"cannot draw to {chart_path}", hint="name a .svg or .png file")
    t = _timeline.timeline(ds, start=start, end=end, include=include, types=types, today=today)
    if type_:
        t["type"] = _type_value(type_)
    if chart_path is not None and fmt is not None:
        write_out(chart_path, _timeline.chart(t, fmt), "the timeline chart")
    if as_json:
        emit_json(t)
        return
    _render_timeline(t, chart_path)


def _render_timeline(t: dict[str, Any], chart_path: Path | None) -> None:
    kinds = sorted({k for r in t["years"] for k in r.get("active_by_type", {})})
    table = kit_table(
        f"{t['groupings']} groupings, {t['start']}–{t['end']}: founded, active and ended "
        "each year" + (", and active by type" if kinds else ""),
        [
            Col("year", "num"),
            Col("founded", "num"),
            Col("active", "num"),
            Col("ended", "num"),
            *(Col(f"active: {k}", "num", narrow=k.split("_")[0][:8]) for k in kinds),
        ],
    )
    for r in t["years"]:
        table.add_row(
            str(r["year"]) + ("*" if r["partial"] else ""),
            str(r["founded"]),
            str(r["active"]),
            str(r["ended"]),
            *(str(r["active_by_type"].get(k, 0)) for k in kinds),
        )
    out_console.print(table)
    table = kit_table(
        "by decade",
        [
            Col("years", "num"),
            Col("founded", "num"),
            Col("per year", "num"),
            Col("active", "num"),
            Col("active growth / yr", "num", narrow="growth/yr"),
        ],
    )
    for d in t["decades"]:
        g = d["active_growth_per_year"]
        table.add_row(
            f"{d['from']}–{d['to']}",
            str(d["founded"]),
            _f(d["founded_per_year"], 1),
            f"{d['active_first']} → {d['active_last']}",
            "n/a" if g is None else f"{g:+.1%}",
        )
    out_console.print(table)
    inc = t["increase"]
    ratio = "n/a" if inc["ratio"] is None else f"{inc['ratio']:.1f}x"
    earlier = "n/a" if inc["earlier_per_year"] is None else _f(inc["earlier_per_year"], 2)
    out_console.print(
        f"founded per year since {inc['recent_from']}: {_f(inc['recent_per_year'], 2)} "
        f"against {earlier} before ({ratio}); * = year so far",
        markup=False,
    )


COMMANDS = [network, country, timeline]
