"""``minilat design`` and ``minilat tables``: the coalition designer's faces.

Each command parses its options, calls one library function
(:func:`minilat.analysis.coalition.design` or :func:`~minilat.analysis.coalition.catalogue`)
and renders the plain dict it returns, as rich text or, with ``--json``, as JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from minilat.cli.kit import (
    Col,
    Context,
    as_of_option,
    emit_json,
    err_console,
    json_option,
    out_console,
    parse_as_of,
    pass_ctx,
    plural,
    say,
)
from minilat.cli.kit import table as kit_table
from minilat.errors import BadInput, Infeasible

if TYPE_CHECKING:
    from minilat.dataset import Dataset
    from minilat.model import CapabilityTable

__all__ = ["COMMANDS", "design", "tables"]


# ---------------------------------------------------------------------------- parsing


def _table(ds: Dataset, text: str, unit: str | None, normalize: bool) -> CapabilityTable:
    from minilat.capability_csv import read_capability_csv

    if text in ds.capabilities:
        return ds.capabilities[text]
    path = Path(text)
    if text.lower().endswith(".csv") or path.is_file():
        notices: list[str] = []
        t = read_capability_csv(path, unit=unit, normalize=normalize, notices=notices)
        for n in notices:
            say(n, "Notice: ", hang=2, console=err_console)
        return t
    return ds.capability(text)  # NotFound with a did-you-mean hint


def _codes(ds: Dataset, text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(ds.resolve_participant(p) for p in text.split(",") if p.strip()))


def _pair(ds: Dataset, text: str) -> tuple[str, str]:
    parts = [p for p in text.split(",") if p.strip()]
    if len(parts) != 2:
        raise BadInput(f"--forbid-pair {text!r} must name two countries", hint="e.g. USA,CHN")
    return ds.resolve_participant(parts[0]), ds.resolve_participant(parts[1])


# --------------------------------------------------------------------------- rendering


def _as_percent(text: str, share: float) -> bool:
    """Whether a target was a bare number read as a percentage ("60" as 60%): the reading
    worth saying back ("0.6" and "60%" say themselves).

    >>> _as_percent("60", 0.6), _as_percent("0.6", 0.6), _as_percent("60%", 0.6)
    (True, False, False)
    """
    text = text.strip().replace(",", ".")
    return not text.endswith("%") and abs(float(text) - share) > 1e-12


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _proof(d: dict[str, Any]) -> str:
    if d["optimal"]:
        how = {
            "bound": "the greedy coalition meets a lower bound",
            "enumeration": "LP bound, reduced-cost fixing and enumeration",
        }.get(d["method"], "HiGHS")
        return f"proven optimal ({how}, gap {d['mip_gap'] or 0:g})"
    gap = "unknown" if d["mip_gap"] is None else f"{d['mip_gap']:.2%}"
    return f"NOT proven optimal (solver status {d['status']}, gap {gap})"


def _print_sources(tables: list[dict[str, Any]]) -> None:
    out_console.print("[bold]sources[/]")
    for t in tables:
        for s in t["sources"]:
            url = f", {s['url']}" if s["url"] else ""
            say(f"{s['title']} — {s['publisher']}{url}", f"  {t['id']}: ", hang=4)


def _print_region_notes(tables: list[dict[str, Any]]) -> None:
    for t in tables:
        if t["region_share"] > 0:
            say(
                f"{t['id']}: region rows ({_pct(t['region_share'])}:"
                f" {', '.join(t['regions'])}) count in the world total but cannot be recruited",
                "  note: ",
            )
        if t.get("unverified_share_ignored"):
            say(
                f"{t['id']}: unverified rows ({_pct(t['unverified_share_ignored'])})"
                " ignored (--verified-only)",
                "  note: ",
            )


def _print_coalition(d: dict[str, Any], title: str) -> None:
    ms = 1000 * d["solve_seconds"]
    say(
        f"[bold]{title}[/]: {plural(d['size'], 'member')} — {_proof(d)}, solved in {ms:.1f} ms",
        markup=True,
    )
    table = kit_table(
        "shares of the world total",
        [Col("country", "id"), Col("name"), *(Col(t["id"], "num") for t in d["tables"])],
    )
    for c in d["coalition"]:
        table.add_row(c["id"], c["name"], *(_pct(c["shares"][t["id"]]) for t in d["tables"]))
    out_console.print(table)
    cov = kit_table(
        "coverage per table",
        [Col("table", "id"), *(Col(h, "num") for h in ("coverage", "target", "met", "weight"))],
    )
    for t in d["tables"]:
        met = "—" if t["met"] is None else ("yes" if t["met"] else "NO")
        cov.add_row(t["id"], _pct(t["coverage"]), _pct(t["target"]), met, f"{t['weight']:.2f}")
    out_console.print(cov)
    _print_region_notes(d["tables"])


def _render(d: dict[str, Any]) -> None:
    from rich.text import Text

    mode = d["mode"]
    if mode == "smallest":
        _print_coalition(d, "Smallest coalition meeting every target")
        if d.get("greedy"):
            out_console.print(
                f"  greedy baseline: {plural(d['greedy']['size'], 'member')}", markup=False
            )
    elif mode == "max_coverage":
        _print_coalition(
            d,
            f"Best coalition of at most {d['constraints']['max_size']} members"
            f" (weighted coverage {_pct(d['weighted_coverage'])})",
        )
    elif mode == "frontier":
        table = kit_table(
            "size versus coverage (best coalition of at most k)",
            [
                Col("k", "num"),
                Col("coverage", "num"),
                Col("gain", "num"),
                Col("proof", "word"),
                Col("members", lines=0),
            ],
        )
        for s in d["steps"]:
            if not s["feasible"]:
                table.add_row(str(s["k"]), "infeasible", "", "", "")
                continue
            proof = "optimal" if s["optimal"] else f"{s['status']}"
            table.add_row(
                str(s["k"]),
                _pct(s["weighted_coverage"]),
                f"+{_pct(s['marginal_gain'])}",
                proof,
                " ".join(c["id"] for c in s["coalition"]),
            )
        out_console.print(table)
        _print_region_notes(d["tables"])
    else:
        g, opt = d["grouping"], d["optimal_coalition"]
        cover = _pct(d["weighted_coverage"])
        if not d["coverage_exact"]:
            cover = (
                f"between {cover} and {_pct(d['weighted_coverage_upper'])} (the table does not"
                " split out all of their share: see the notes)"
            )
        e = d["enumeration"]
        ids_g = ", ".join(m["id"] for m in d["members"])
        if e is None:
            head = f"{plural(d['size'], 'member')} ({ids_g}) cover {cover}"
        else:
            head = (
                f"INCOMPLETE LIST: the record names {d['size']} of the {e['published']}"
                f" members it reported as of {e['published_as_of']} ({ids_g});"
                f" the listed {'member covers' if d['size'] == 1 else 'members cover'} {cover}"
            )
        say(Text.assemble((g["name"], "bold"), f" ({g['id']}) as of {d['as_of']}: {head}"))
        ids = [c["id"] for c in opt["coalition"]]
        fewer = (
            f" ({plural(len(ids), 'member')}: no other country adds coverage)"
            if len(ids) < d["size"]
            else ""
        )
        say(
            f"optimal coalition of {'at most ' if fewer else ''}{d['size']}"
            f"{'' if e is None else ' (as many as the listed members)'}: {', '.join(ids)}"
            f"{fewer} covers {_pct(opt['weighted_coverage'])} — {_proof(opt)}",
        )
        eff, rng = d["naim_efficiency"], d["naim_efficiency_range"]
        if eff is not None:
            said = f"{eff:.2f}"
        elif e is not None:
            said = "not known, the member list is incomplete"
            if rng is not None:
                listed = f"{rng[0]:.2f}" if rng[0] == rng[1] else f"{rng[0]:.2f} to {rng[1]:.2f}"
                said += f" (the listed members alone: {listed})"
        elif rng is not None:
            said = f"between {rng[0]:.2f} and {rng[1]:.2f}"
        else:
            said = "—"
        say(
            f"{said} (the grouping's coverage / the optimal coverage"
            f" at the same size{'' if d['coverage_exact'] else ', as far as the table tells'})",
            Text.assemble(("Naim efficiency", "bold"), ": "),
            hang=2,
        )
        sw = d["best_swap"]
        if sw:
            say(
                f"best single swap: {sw['out']} ({sw['out_name']}) out, {sw['in']}"
                f" ({sw['in_name']}) in: +{_pct(sw['gain'])}"
                f" → {_pct(sw['weighted_coverage_after'])}"
                + ("" if d["coverage_exact"] else " (on the rows the table names)"),
            )
        else:
            out_console.print("no single swap raises the coverage")
        for note in d["notes"]:
            say(note, "  note: ")
        _print_region_notes(d["tables"])
    _print_sources(d["tables"])


# ---------------------------------------------------------------------------- commands


@click.command()
@click.option(
    "--table",
    "table_names",
    multiple=True,
    required=True,
    metavar="NAME|FILE.csv",
    help="A bundled capability table (see `minilat tables`) or a CSV file; repeatable.",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="SHARE",
    help="Share of the world total the coalition must reach (60%, 60 or 0.6: a number above "
    "1 is a percentage), one per --table.",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    type=float,
    help="Weight of each --table in the coverage objective (default: equal).",
)
@click.option(
    "--max-size", type=int, metavar="K", help="Best coalition of at most K members instead."
)
@click.option("--include", metavar="ISO3,...", help="Countries that must be members.")
@click.option("--exclude", metavar="ISO3,...", help="Countries that may not be members.")
@click.option(
    "--forbid-pair",
    "forbid_pairs",
    multiple=True,
    metavar="A,B",
    help="Two countries that may not both be members; repeatable.",
)
@click.option(
    "--within-existing",
    is_flag=True,
    help="Every member must already share a grouping with another member (as of --as-of).",
)
@click.option(
    "--universal",
    is_flag=True,
    help="With --within-existing: count universal bodies (the UN, any grouping of 100 or"
    " more states) as existing cooperation too; left out by default, as in the network.",
)
@click.option(
    "--frontier",
    "show_frontier",
    is_flag=True,
    help="Best coverage for k = 1..K (K from --max-size, default 10) and each gain.",
)
@click.option(
    "--compare",
    "compare",
    metavar="GROUPING_ID",
    help="A real grouping against the optimal coalition of its size (Naim efficiency).",
)
@click.option("--unit", help="Unit of the values in a `country,value` CSV table.")
@click.option(
    "--normalize",
    is_flag=True,
    help="Scale a CSV table's shares to add up to 1 when they add up to more.",
)
@click.option("--verified-only", is_flag=True, help="Ignore unverified rows and memberships.")
@click.option(
    "--time-limit",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds the solver may use per solve.",
)
@as_of_option
@json_option
@pass_ctx
def design(
    c: Context,
    table_names: tuple[str, ...],
    targets: tuple[str, ...],
    weights: tuple[float, ...],
    max_size: int | None,
    include: str | None,
    exclude: str | None,
    forbid_pairs: tuple[str, ...],
    within_existing: bool,
    universal: bool,
    show_frontier: bool,
    compare: str | None,
    unit: str | None,
    normalize: bool,
    verified_only: bool,
    time_limit: float,
    as_of: str | None,
    as_json: bool,
) -> None:
    """Design a coalition: the fewest countries meeting every target, exactly.

    \b
    minilat design --table wafer_capacity --target 0.5
    minilat design --table rare_earth_mining --table lithium_mining --max-size 4
    minilat design --compare chip4 --table wafer_capacity
    """

    from minilat.analysis import coalition as _coalition

    # Only --within-existing and --compare read the groupings: skip loading them otherwise.
    ds = c.dataset(groupings=within_existing or compare is not None)
    if unit is not None and all(t in ds.capabilities for t in table_names):
        raise BadInput(
            "--unit is for tables read from a CSV file", hint="bundled tables have theirs"
        )
    if normalize and all(t in ds.capabilities for t in table_names):
        raise BadInput(
            "--normalize is for tables read from a CSV file",
            hint="the bundled tables add up to at most 1 already",
        )
    if universal and not within_existing:
        raise BadInput("--universal only matters with --within-existing")
    if show_frontier and compare:
        raise BadInput("--frontier and --compare cannot be combined")
    # the one reading of every face ("60" is 60%), said back where it was a reading
    read = [_coalition.read_target(t) for t in targets]
    if not as_json:
        for text, (share, reading), name in zip(targets, read, table_names, strict=False):
            if _as_percent(text, share):
                say(f"target for {name}: {reading}", style="dim")
    question = _coalition.Question(
        tables=tuple(_table(ds, t, unit, normalize) for t in table_names),
        targets=tuple(share for share, _ in read) if targets else None,
        weights=tuple(weights) if weights else None,
        max_size=None if show_frontier else max_size,
        include=_codes(ds, include),
        exclude=_codes(ds, exclude),
        forbid_pairs=tuple(_pair(ds, p) for p in forbid_pairs),
        within_existing=within_existing,
        universal=universal,
        as_of=parse_as_of(as_of),
        verified_only=verified_only,
        time_limit=time_limit,
    )
    try:
        d = _coalition.design(
            ds,
            question,
            frontier_size=(max_size or 10) if show_frontier else None,
            compare=compare,
        )
    except Infeasible as e:
        if not as_json:
            raise
        # scripts asked for JSON: give them the explanation as JSON too (exit status 1)
        emit_json({"status": "infeasible", "message": e.message, "hint": e.hint})
        raise SystemExit(e.exit_code) from None
    if as_json:
        emit_json(d)
    else:
        _render(d)


@click.command()
@json_option
@pass_ctx
def tables(c: Context, as_json: bool) -> None:
    """List the bundled capability tables: unit, year, scope, rows and source."""

    from minilat.analysis import coalition as _coalition

    d = _coalition.catalogue(c.dataset())
    if as_json:
        emit_json(d)
        return
    table = kit_table(
        f"{plural(d['count'], 'capability table')}",
        [
            Col("id", "id"),
            Col("measure"),
            Col("year", "word", drop=2),
            Col("rows", "word", drop=3),
            Col("in regions", "num", drop=1, narrow="regions"),
            Col("unit", drop=1),
        ],
    )
    for t in d["tables"]:
        regions = f" + {plural(len(t['regions']), 'region')}" if t["regions"] else ""
        table.add_row(
            t["id"],
            t["measure"],
            str(t["year"] or "—"),
            f"{plural(t['countries'], 'country', 'countries')}{regions}",
            _pct(t["region_share"]) if t["regions"] else "—",
            t["unit"],
        )
    out_console.print(table)
    out_console.print("[bold]sources[/]")
    for t in d["tables"]:
        names = "; ".join(s["publisher"] for s in t["sources"])
        say(names, f"  {t['id']}: ", hang=4)


COMMANDS = [design, tables]
