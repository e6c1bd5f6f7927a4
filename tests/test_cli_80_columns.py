"""The README's commands read at 80 columns as a new user's terminal shows them (review of
2 December): the design headline, the scorecard summary, the whatif result line and the
typology disagreements were printed as one long line for the terminal to break anywhere,
and the events of ``show g7`` lost their columns ("1998  expansion" against
"1975-11-15  launch", titles wrapping back to the margin). Prose now wraps at the width,
at spaces, so no id is cut; events and commitments keep their columns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from minilat.cli import cli
from minilat.store import Store, open_store
from minilat.vocab import label
from minilat.web.wording import plain
from test_groupings_table import _rows

WIDTH = 80


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    store: Store = open_store(tmp_path_factory.mktemp("w80") / "store.db")

    def go(*args: str) -> Result:
        r = CliRunner(env={"COLUMNS": str(WIDTH)}).invoke(
            cli, ["--db", str(store.path), *args], catch_exceptions=False
        )
        assert r.exit_code == 0, r.output
        return r

    return go


def _too_wide(text: str) -> list[str]:
    """Lines wider than the terminal (an address longer than a whole line is folded, so
    none may be)."""
    return [line for line in text.splitlines() if len(line.rstrip()) > WIDTH]


README = [
    ("groupings", "--member", "EST"),
    ("members", "brics", "--as-of", "2023-06-01"),
    ("show", "i2u2"),
    ("show", "g7"),
    ("assess", "aukus"),
    ("typology", "--disagreements"),
    ("scorecard", "quad"),
    ("pulse", "--since", "2025-01-01"),
    ("commitments", "quad", "--status", "in_progress"),
    ("design", "--table", "wafer_capacity", "--target", "0.6", "--exclude", "CHN"),
    ("design", "--compare", "chip4", "--table", "wafer_capacity"),
    ("tables",),
    ("country", "IND"),
    ("search", "semiconductor"),
    ("timeline",),
    ("whatif", "--join", "IND:chip4", "--leave", "USA:paris_call"),
]


@pytest.mark.parametrize("args", README, ids=" ".join)
def test_every_readme_command_fits_80_columns(
    run: Callable[..., Result], args: tuple[str, ...]
) -> None:
    r = run(*args)
    assert not _too_wide(r.stdout), _too_wide(r.stdout)
    assert not _too_wide(r.stderr), _too_wide(r.stderr)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_design_headline_wraps_whole(run: Callable[..., Result]) -> None:
    out = run("design", "--compare", "chip4", "--table", "wafer_capacity").stdout
    head = out.splitlines()[:2]
    assert all(len(line.rstrip()) <= WIDTH for line in head)
    # the ids of the members are whole words on the lines
    assert "(JPN, KOR, TWN, USA)" in _flat(out)
    assert "(chip4)" in out.split()


def test_scorecard_summary_and_whatif_result_wrap(run: Callable[..., Result]) -> None:
    card = run("scorecard", "quad")
    # the JSON's summary, in the words the table reads in (indicator names, not ids)
    summary = plain(json.loads(run("scorecard", "quad", "--json").stdout)["summary"])
    tail = card.stdout[card.stdout.rindex("┘") + 1 :]
    assert _flat(tail) == _flat(summary) and len(tail.strip().splitlines()) > 1
    assert not _too_wide(tail)
    w = run("whatif", "--join", "IND:chip4", "--leave", "USA:paris_call")
    result = json.loads(
        run("whatif", "--join", "IND:chip4", "--leave", "USA:paris_call", "--json").stdout
    )["summary"]
    assert _flat(result) in _flat(w.stdout)
    assert not _too_wide(w.stdout)


def _section(text: str, name: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(name) + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


def test_show_g7_events_align(run: Callable[..., Result]) -> None:
    out = run("show", "g7").stdout
    events = json.loads(run("show", "g7", "--json").stdout)["events"]
    lines = _section(out, "events")
    heads = [i for i, line in enumerate(lines) if re.match(r"  \d{4}", line)]
    assert len(heads) == len(events)
    # each event's kind (in words) and title start at the same column, whatever its
    # date's precision
    kind_at = {lines[i].index(label(e["kind"]), 12) for i, e in zip(heads, events, strict=True)}
    title_at = {
        lines[i].index(e["title"].split()[0], min(kind_at) + len(e["kind"]))
        for i, e in zip(heads, events, strict=True)
    }
    assert len(kind_at) == 1 and len(title_at) == 1, (kind_at, title_at, lines)
    (col,) = title_at
    # a long title wraps under itself, not back to the margin
    for i, line in enumerate(lines):
        if i not in heads:
            assert line[:col].strip() == "" and line[col] != " ", line
    assert any(i not in heads for i in range(len(lines)))  # some title does wrap
    for i, e in zip(heads, events, strict=True):
        nxt = next((h for h in heads if h > i), len(lines))
        assert _flat(" ".join(line[col:] for line in lines[i:nxt])) == _flat(e["title"])


def test_show_commitments_align(run: Callable[..., Result]) -> None:
    out = run("show", "g7").stdout
    commitments = json.loads(run("show", "g7", "--json").stdout)["commitments"]
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("commitments"))
    body = lines[start + 1 : lines.index("events")]
    heads = [i for i, line in enumerate(body) if re.match(r"  \d{4}", line)]
    assert len(heads) == len(commitments) > 1
    text_at = {
        body[i].index(c["text"].split()[0], len(c["made"]) + len(c["status"]) + 4)
        for i, c in zip(heads, commitments, strict=True)
    }
    assert len(text_at) == 1, text_at
    (col,) = text_at
    for i, line in enumerate(body[heads[0] :], heads[0]):
        if i not in heads:
            assert line[:col].strip() == "" and line[col] != " ", line


def _table_rows(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The headers of a listing's table and each row's cells by id, a row's continuation
    lines joined to it."""
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    return [h.strip() for h in header.strip("┃").split("┃")], _rows(text)


@pytest.mark.parametrize(
    "args",
    [("--member", "USA"), ("--member", "JPN"), ("--member", "USA", "--ever")],
    ids=" ".join,
)
def test_groupings_of_a_member_keep_the_name_beside_long_ids(
    run: Callable[..., Result], args: tuple[str, ...]
) -> None:
    """The United States' and Japan's lists hold the longest id (34 characters): the
    name column went before the member's role and the counts, so the table read as ids
    alone. The name is the last column to go: it wraps narrower instead, each id whole."""
    listing = json.loads(run("groupings", *args, "--json").stdout)["groupings"]
    out = run("groupings", *args).stdout
    assert not _too_wide(out), _too_wide(out)
    assert max(len(r["id"]) for r in listing) >= 30
    headers, rows = _table_rows(out)
    assert headers[:2] == ["id", "name"]
    assert "members" in headers and headers[-1] == f"{args[1]} role"
    assert list(rows) == [r["id"] for r in listing]  # every id whole, on its row
    for r in listing:
        shown = "".join(rows[r["id"]][1].split()).removesuffix("…")
        assert shown and "".join(r["name"].split()).startswith(shown), (r["id"], shown)


def test_an_unknown_theme_lists_the_themes(run80: Callable[..., Result]) -> None:
    """It sent the reader to docs/data.md for the themes."""
    r = run80("groupings", "--theme", "chips")
    assert r.exit_code != 0
    assert "semiconductors" in r.output and "docs/data.md" not in r.output
