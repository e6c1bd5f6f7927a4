"""Every listing reads at 80 and 120 columns (issue 11, part 5): tables fit the terminal,
every id a user types next appears whole, and no cell is cut to a stub ("U.S…")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from minilat.cli import kit

WIDTHS = (80, 120)


def _ids_groupings(d: dict[str, Any]) -> list[str]:
    return [g["id"] for g in d["groupings"]]


def _ids_network(d: dict[str, Any]) -> list[str]:
    edges = [x for e in d["edges"][:15] for x in (e["a"], e["b"])]
    pairs = [x for p in d["overlap"]["pairs"][:15] for x in (p["a"], p["b"])]
    return [n["id"] for n in d["nodes"][:15]] + edges + pairs


def _none(d: Any) -> list[str]:
    return []


#: Each listing command, and the ids in its JSON answer that its table must show whole.
LISTINGS: dict[str, tuple[tuple[str, ...], Callable[[Any], list[str]]]] = {
    "groupings": (("groupings", "--theme", "semiconductors"), _ids_groupings),
    "groupings-member": (("groupings", "--member", "USA"), _ids_groupings),
    "groupings-ever": (("groupings", "--ever"), _ids_groupings),
    "members": (("members", "brics"), lambda d: [m["participant"] for m in d["members"]]),
    "show": (("show", "quad"), lambda d: [m["participant"] for m in d["members"]]),
    "country": (
        ("country", "USA"),
        lambda d: [g["grouping"] for g in d["current"]] + [p["id"] for p in d["partners"]],
    ),
    "search": (("search", "korea"), lambda d: [r["id"] for r in d["results"]]),
    "pulse": (("pulse", "--since", "2024-01-01"), lambda d: [g["id"] for g in d["groupings"]]),
    "commitments": (("commitments",), lambda d: [c["grouping"] for c in d["commitments"]]),
    "timeline": (("timeline",), _none),
    "typology": (("typology",), lambda d: [g["grouping"] for g in d["groupings"]]),
    "scorecard": (("scorecard", "quad"), _none),
    "assess": (("assess", "quad"), _none),
    "tables": (("tables",), lambda d: [t["id"] for t in d["tables"]]),
    "design": (
        ("design", "--table", "wafer_capacity", "--table", "chip_design", "--max-size", "4"),
        lambda d: [c["id"] for c in d["coalition"]] + [t["id"] for t in d["tables"]],
    ),
    "whatif": (("whatif", "--join", "IND:chip4"), lambda d: [g["id"] for g in d["groupings"]]),
    "network": (("network",), _ids_network),
}

_BORDERS = re.compile(r"[│┃┏┓┗┛┡┩└┘┳┻╇━─┼╋]")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]


def check_readable(text: str, width: int, ids: list[str]) -> None:
    """The checks a reader makes: tables within ``width``, no cell cut to fewer than six
    characters before its "…", every id of ``ids`` whole on a line of the output."""
    table_lines = [line for line in text.splitlines() if _BORDERS.search(line)]
    assert table_lines, "no table printed"
    for line in table_lines:
        assert len(line) <= width, f"wider than {width}: {line!r}"
        for cell in _cells(line):
            assert not (cell.endswith("…") and len(cell) < 7), f"cut to a stub: {cell!r}"
    words = set(re.split(r"[\s│┃,()]+", text))
    missing = sorted({i for i in ids if i not in words})
    assert not missing, f"ids not shown whole: {missing[:10]}"


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_reads_at_80_and_120_columns(
    name: str, run: Callable[..., Result], columns: Callable[[int], None]
) -> None:
    args, ids_of = LISTINGS[name]
    answer = run(*args, "--json")
    assert answer.exit_code == 0, answer.output
    ids = ids_of(json.loads(answer.stdout))
    for width in WIDTHS:
        columns(width)
        r = run(*args)
        assert r.exit_code == 0, r.output
        check_readable(r.stdout, width, ids)


def test_the_json_is_the_same_at_any_width(
    run: Callable[..., Result], columns: Callable[[int], None]
) -> None:
    columns(40)
    narrow = run("groupings", "--member", "USA", "--json").stdout
    columns(200)
    assert run("groupings", "--member", "USA", "--json").stdout == narrow
    assert "…" not in narrow


def test_narrow_forms_then_dropped_columns_never_a_cut_id() -> None:
    t = kit.table(
        "3 groupings",
        [
            kit.Col("id", "id"),
            kit.Col("name"),
            kit.Col("founded", "word", drop=2, narrow="year"),
            kit.Col("themes", "ids", drop=1),
        ],
    )
    t.add_row("us_japan_netherlands_chip_controls", "US-Japan-Netherlands understanding "
              "on semiconductor manufacturing equipment export controls",
              ("2023-01-27", "2023"), "semiconductors, export_controls")  # fmt: skip
    t.add_row("quad", "Quadrilateral Security Dialogue", ("2007-05-25", "2007"), "ai")
    t.add_row("g7", "Group of Seven", ("1975-11-15", "1975"), "")
    shown, widths, narrow = t.layout(120)
    assert shown == [0, 1, 2, 3] and not narrow
    shown, widths, narrow = t.layout(80)
    assert narrow and shown == [0, 1, 2]  # the year, then no themes
    assert widths[0] == len("us_japan_netherlands_chip_controls")
    shown, widths, _ = t.layout(20)  # narrower than the id itself: the id stays whole
    assert shown == [0, 1] and widths[0] == len("us_japan_netherlands_chip_controls")


def test_editors_list_reads_at_80_and_120_columns(
    tmp_path: Path, db_path: Path, columns: Callable[[int], None]
) -> None:
    from minilat.cli import cli

    opts = ["--db", str(db_path), "--editorial", str(tmp_path / "ed.db")]

    def run(*args: str, stdin: str | None = None) -> Result:
        return CliRunner().invoke(cli, [*opts, *args], input=stdin, catch_exceptions=False)

    name = "an-editor-with-a-long-name"
    assert (
        run(
            "editors", "add", name, "--password-stdin", stdin="correct horse battery staple 42"
        ).exit_code
        == 0
    )
    for _ in range(3):
        run("editors", "token", name)
    ids = [name] + [str(t) for t in json.loads(run("editors", "list", "--json").stdout)[
        "editors"][0]["token_ids"]]  # fmt: skip
    for width in WIDTHS:
        columns(width)
        check_readable(run("editors", "list").stdout, width, ids)


def test_the_last_column_to_drop_squeezes_before_it_goes() -> None:
    """A text column with a ``squeeze`` wraps below its ``min`` rather than be dropped,
    once every column of a lower drop rank has gone; without one it goes as before."""

    def make(squeeze: int | None) -> Any:
        t = kit.table(
            "1 grouping",
            [
                kit.Col("id", "id"),
                kit.Col("name", drop=5, min=12, squeeze=squeeze),
                kit.Col("founded", "word", drop=2),
                kit.Col("role", "text", lines=0, min=18, squeeze=9),
            ],
        )
        t.add_row("us_japan_netherlands_chip_controls", "Organisation for Economic "
                  "Co-operation", "2023-01-27", "observer 1995–2022")  # fmt: skip
        return t

    assert make(None).layout(64)[0] == [0, 3]  # the name went
    shown, widths, _ = make(10).layout(64)
    assert shown == [0, 1, 3]  # the founding date went first, then the text squeezed
    assert widths[0] == len("us_japan_netherlands_chip_controls")
    assert widths[2] >= len("1995–2022") and sum(widths) + 3 * 3 + 1 <= 64
    assert make(10).layout(120)[0] == [0, 1, 2, 3]  # with room, nothing squeezes


def test_tables_follow_the_width_of_each_run_in_one_process(
    bundled_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rich fixes a console's width from COLUMNS when it is made: the CLI's console was
    made once per process, so a run at 400 columns after one at 80 was laid out at 80
    (a test of the wide layout passed or failed with the order the suite ran in)."""
    from click.testing import CliRunner

    from minilat.cli import cli, kit

    monkeypatch.setattr(kit.out_console, "_console", None)
    widths = {}
    for n in (80, 400):
        r = CliRunner(env={"COLUMNS": str(n)}).invoke(
            cli, ["--db", str(bundled_store.path), "groupings"], catch_exceptions=False
        )
        widths[n] = max(len(line) for line in r.output.splitlines())
    assert widths[80] <= 80 < 120 < widths[400], widths
