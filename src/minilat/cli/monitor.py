"""``minilat monitor``: the news monitor (GDELT 2.0) from the command line.

Thin faces over :mod:`minilat.monitor`: ``ingest`` files into the store, ``fetch`` them
from GDELT's master file list, ``report`` on a grouping, ``generate`` synthetic files to
try it all without a download. DuckDB, pyarrow and PySpark are imported inside the
commands (the ``monitor`` and ``spark`` extras).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import click

from minilat.cli.kit import (
    Col,
    Context,
    emit_json,
    err_console,
    json_option,
    out_console,
    pass_ctx,
    plural,
    say_wrote,
    size_of,
    table,
    writing,
)

__all__ = ["COMMANDS", "monitor"]


def _day(value: str | None, option: str, default: _dt.date) -> _dt.date:
    if not value:
        return default
    from minilat.dataset import parse_day

    return parse_day(value, option)


def _require(*modules: str) -> None:
    import importlib.util

    from minilat.errors import BadInput

    for m in modules:
        if importlib.util.find_spec(m) is None:
            extra = "spark" if m == "pyspark" else "monitor"
            raise BadInput(
                f"the news monitor needs {m}, which is not installed",
                hint=f"pip install 'minilat[{extra}]'",
            )


def _matcher(c: Context) -> Any:
    from minilat.monitor.matching import Matcher, targets_from_dataset

    return Matcher(targets_from_dataset(c.dataset().groupings.values()))


@click.group()
def monitor() -> None:
    """The news monitor: GDELT 2.0 events, mentions and GKG, per grouping.

    Coverage and tone, member cooperation, surges and silences, from GDELT files stored
    as Parquet (the --monitor folder) and queried with DuckDB (or Spark). News evidence
    corroborates the curated record; it never changes it. See docs/monitor.md."""


@monitor.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@pass_ctx
def ingest(c: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Ingest GDELT 2.0 files (zipped as published, or unzipped) or folders of them.

    Files already ingested (same name and MD5) are skipped; each file is one
    transaction; a malformed line is reported as FILE:LINE: PROBLEM and skipped; a
    corrupt file is reported and skipped."""
    _require("pyarrow")
    from minilat.monitor.ingest import ingest as run
    from minilat.monitor.lake import Lake

    lake = Lake(c.monitor)

    def say(r: Any) -> None:
        if not as_json:
            line = f"{r.status:8} {r.name}: {plural(r.rows, 'line')}, kept {r.kept}"
            if r.problem_count:
                line += f", {plural(r.problem_count, 'problem')}"
            err_console.print(line + (f" ({r.message})" if r.message else ""), markup=False)

    report = run(lake, list(paths), _matcher(c), on_file=say)
    if as_json:
        emit_json({"store": str(lake.root), **report.as_dict()})
        return
    for f in report.files:
        for p in f.problems[:20]:
            err_console.print(f"  {p}", markup=False)
        if f.problem_count > 20:
            err_console.print(f"  ... and {f.problem_count - 20} more in {f.name}", markup=False)
    err_console.print(
        f"{plural(report.count('ingested'), 'file')} ingested, {report.count('skipped')} "
        f"already there, {report.count('corrupt')} corrupt; "
        f"{plural(report.problem_count, 'malformed line')}; store: {lake.root}",
        markup=False,
    )


@monitor.command()
@click.option("--from", "start", metavar="DATE", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Last day; default today.")
@click.option(
    "--tables", default="events,gkg", show_default=True,
    help="Comma-separated: events, mentions, gkg.",
)  # fmt: skip
@click.option("--master", metavar="URL|FILE", help="The master file list; default GDELT's.")
@click.option(
    "--dest", type=click.Path(path_type=Path),
    help="Download folder; default raw/ in the monitor folder.",
)  # fmt: skip
@click.option("--no-ingest", is_flag=True, help="Download only; do not ingest.")
@json_option
@pass_ctx
def fetch(
    c: Context,
    start: str,
    end: str | None,
    tables: str,
    master: str | None,
    dest: Path | None,
    no_ingest: bool,
    as_json: bool,
) -> None:
    """Download GDELT 2.0 files between two dates, verify each MD5, then ingest them.

    Resumable: run it again after an interruption and finished files are kept,
    partial ones continue."""
    from minilat.errors import BadInput
    from minilat.monitor import fetch as f
    from minilat.monitor.formats import KINDS

    first = _day(start, "--from", _dt.date.today())
    last = _day(end, "--to", _dt.date.today())
    if last < first:
        raise BadInput("--to is before --from")
    wanted = [t.strip() for t in tables.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in KINDS]
    if unknown or not wanted:
        raise BadInput(f"unknown table {', '.join(unknown) or '(none)'}",
                       hint="use events, mentions, gkg")  # fmt: skip
    listed = f.select(f.parse_master(f.read_master(master or f.MASTER_URL)), first, last, wanted)
    folder = dest or c.monitor / "raw"
    total = sum(e.size for e in listed)
    if as_json:
        report = f.download(listed, folder)
    else:
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
            TimeRemainingColumn(), console=err_console, transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task(f"{len(listed)} files", total=total)
            report = f.download(listed, folder, on_bytes=lambda n: bar.advance(task, n))
    out: dict[str, Any] = {"listed": len(listed), "folder": str(folder), **report.as_dict()}
    ok = [folder / n for n in report.done["got"] + report.done["have"]]
    if ok and not no_ingest:
        _require("pyarrow")
        from minilat.monitor.ingest import ingest as run
        from minilat.monitor.lake import Lake

        out["ingest"] = run(Lake(c.monitor), ok, _matcher(c)).as_dict()
    if as_json:
        emit_json(out)
    else:
        for p in report.problems:
            err_console.print(f"  {p}", markup=False)
        msg = (
            f"{len(listed)} files listed: {len(report.done['got'])} downloaded, "
            f"{len(report.done['have'])} already there, {len(report.done['bad'])} failed"
        )
        if "ingest" in out:
            i = out["ingest"]
            msg += f"; ingested {i['ingested']}, {plural(i['problems'], 'malformed line')}"
        err_console.print(msg, markup=False)
    if report.done["bad"]:
        raise SystemExit(1)


@monitor.command()
@click.argument("grouping", required=False)
@click.option("--from", "start", metavar="DATE", help="First day; default a year before --to.")
@click.option("--to", "end", metavar="DATE", help="Last day; default today.")
@click.option(
    "--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
    help="Query engine: DuckDB (embedded) or Spark (local[*], or the spark-submit session).",
)  # fmt: skip
@json_option
@pass_ctx
def report(
    c: Context, grouping: str | None, start: str | None, end: str | None, engine: str,
    as_json: bool,
) -> None:  # fmt: skip
    """A grouping's news: articles per week, tone, themes, member cooperation, surges
    and silences. Without GROUPING: articles and signals of every grouping."""
    from minilat.errors import BadInput
    from minilat.monitor import service

    last = _day(end, "--to", _dt.date.today())
    first = _day(start, "--from", last - _dt.timedelta(days=365))
    if last < first:
        raise BadInput("--to is before --from")
    _require("duckdb", *(["pyspark"] if engine == "spark" else []))
    ds = c.dataset()
    if grouping:
        g = ds.grouping(grouping)
        r = service.report(c.monitor, g, first, last, engine=engine)
        if as_json:
            emit_json(r)
            return
        _print_report(r, g.name)
    else:
        rows = service.overview(c.monitor, ds, first, last, engine=engine)
        if as_json:
            emit_json(rows)
            return
        t = table(
            f"In the news, {first} to {last} (GDELT, news evidence)",
            [
                Col("grouping", "id"),
                Col("articles", "num"),
                Col("mean tone", "num", narrow="tone"),
                Col("surges", "num"),
                Col("silences", "num", narrow="silent"),
            ],
        )
        for r in rows["groupings"]:
            t.add_row(r["grouping"], str(r["articles"]), _num(r["mean_tone"]),
                      str(r["surges"]), str(r["silences"]))  # fmt: skip
        out_console.print(t)
        if not rows["store"]["exists"]:
            err_console.print(rows["store"]["message"], markup=False)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:+.1f}"


def _print_report(r: dict[str, Any], name: str) -> None:
    p = out_console.print
    p(f"{name}: {r['articles']} articles from {r['from']} to {r['to']}, mean tone "
      f"{_num(r['mean_tone'])} ({r['engine']})", markup=False)  # fmt: skip
    if not r["store"]["exists"]:
        p(r["store"]["message"], markup=False)
        return
    if r["themes"]:
        p("Top themes: " + ", ".join(f"{t['theme']} ({t['articles']})" for t in r["themes"]),
          markup=False)  # fmt: skip
    t = table("Member cooperation by month (events weighted by articles)",
              [Col("month", "id"), Col("members index", "num"),
               Col("members Goldstein", "num"), Col("with others index", "num")])  # fmt: skip
    for m in r["cooperation"]:
        intra, out = m.get("intra") or {}, m.get("outside") or {}
        t.add_row(m["month"], _num(intra.get("index")), _num(intra.get("mean_goldstein")),
                  _num(out.get("index")))  # fmt: skip
    p(t)
    for s in r["signals"]:
        p(f"{s['kind']}: {s['text']}", markup=False)
    p(r["note"], markup=False)


@monitor.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--from", "start", metavar="DATE", default="2024-01-01", show_default=True)
@click.option("--days", type=click.IntRange(1, 3660), default=7, show_default=True)
@click.option("--files-per-day", type=click.IntRange(1, 96), default=4, show_default=True)
@click.option("--events", type=click.IntRange(0), default=500, show_default=True,
              help="Event lines per file.")  # fmt: skip
@click.option("--articles", type=click.IntRange(0), default=100, show_default=True,
              help="GKG articles per file.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True)
@json_option
@pass_ctx
def generate(
    c: Context, out: Path, start: str, days: int, files_per_day: int, events: int,
    articles: int, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Write SYNTHETIC GDELT 2.0 files (exact formats, with the mess of real files)
    into OUT, to try the monitor without a download. The news in them is made up."""
    from minilat.monitor.generator import generate as gen
    from minilat.monitor.matching import targets_from_dataset

    targets = [t for t in targets_from_dataset(c.dataset().groupings.values()) if t.members]
    first = _day(start, "--from", _dt.date(2024, 1, 1))
    with writing(out, folder=True) as made:
        g = gen(out, start=first, days=days, files_per_day=files_per_day,
                events_per_file=events, articles_per_file=articles, targets=targets,
                seed=seed)  # fmt: skip
    summary = {"folder": str(out), "files": len(g.paths), "events": g.events,
               "articles": len(g.articles), "synthetic": True}  # fmt: skip
    if as_json:
        emit_json(summary)
    else:
        say_wrote(out, f"{plural(len(g.paths), 'synthetic file')}, {size_of(out)}, "
                  f"{g.events} events, {len(g.articles)} articles", made)  # fmt: skip
        err_console.print(f"next: minilat monitor ingest {out}", markup=False)


COMMANDS = [monitor]
