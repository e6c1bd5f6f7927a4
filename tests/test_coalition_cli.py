"""``minilat design`` and ``minilat tables`` through click's runner, and the CSV reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from minilat.capability_csv import CsvProblems, read_capability_csv
from minilat.cli import cli
from minilat.errors import BadInput
from minilat.model import Measure


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "minilat.db"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def _error(r: Result) -> str:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines and lines[0].startswith("Error:"), r.stderr
    assert "Traceback" not in r.output + r.stderr
    return lines[0]


# ---------------------------------------------------------------------------- design
# Exact answers are checked on a CSV table (bundled figures change as curators work).

FABS_CSV = """country,share
CHN,0.27
TWN,0.18
KOR,0.16
JPN,0.15
region:americas,0.10
region:europe_middle_east,0.09
region:southeast_asia,0.05
"""


@pytest.fixture(scope="module")
def fabs(tmp_path_factory: pytest.TempPathFactory) -> str:
    p = tmp_path_factory.mktemp("csv") / "fabs.csv"
    p.write_text(FABS_CSV)
    return str(p)


def test_design_bundled_table(db: Path) -> None:
    r = run(db, "design", "--table", "wafer_capacity", "--target", "0.5", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["optimal"] is True and d["mip_gap"] == 0 and d["solve_seconds"] >= 0
    assert d["tables"][0]["coverage"] >= 0.5
    assert d["tables"][0]["sources"][0]["url"].startswith("http")


def test_design_smallest_json(db: Path, fabs: str) -> None:
    r = run(db, "design", "--table", fabs, "--target", "0.5", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [c["id"] for c in d["coalition"]] == ["CHN", "TWN", "KOR"]
    assert d["coalition"][0]["name"] == "China"
    assert d["optimal"] is True and d["mip_gap"] == 0


def test_design_smallest_text(db: Path, fabs: str) -> None:
    r = run(db, "design", "--table", fabs, "--target", "0.5")
    assert r.exit_code == 0, r.output
    assert "proven optimal" in r.stdout and "CHN" in r.stdout and "sources" in r.stdout
    assert "cannot be recruited" in r.stdout


def test_design_infeasible_exit_1(db: Path, fabs: str) -> None:
    r = run(db, "design", "--table", fabs, "--target", "0.8", "--exclude", "CHN")
    assert r.exit_code == 1
    line = _error(r)
    assert "at most 49.0% reachable without CHN" in line
    assert "region rows (24.0%) cannot be recruited" in line


def test_design_infeasible_json(db: Path, fabs: str) -> None:
    r = run(db, "design", "--table", fabs, "--target", "0.8", "--exclude", "CHN", "--json")
    assert r.exit_code == 1
    d = json.loads(r.stdout)
    assert d["status"] == "infeasible"
    assert "at most 49.0% reachable without CHN" in d["message"] and d["hint"]


def test_design_max_size_frontier_compare(db: Path, fabs: str) -> None:
    r = run(db, "design", "--table", fabs, "--max-size", "2", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["size"] == 2
    r = run(db, "design", "--table", fabs, "--frontier", "--max-size", "3", "--json")
    assert r.exit_code == 0, r.output
    assert [s["k"] for s in json.loads(r.stdout)["steps"]] == [1, 2, 3]
    r = run(db, "design", "--table", fabs, "--frontier", "--max-size", "3")
    assert r.exit_code == 0 and "size versus coverage" in r.stdout
    r = run(db, "design", "--compare", "chip4", "--table", fabs, "--as-of", "2024-01-01")
    assert r.exit_code == 0, r.output
    assert "Naim efficiency" in r.stdout and "best single swap" in r.stdout
    r = run(db, "design", "--compare", "chip4", "--table", fabs, "--json")
    # the CSV reports the US only inside region:americas: a range, not a figure
    d = json.loads(r.stdout)
    assert d["naim_efficiency"] is None
    assert d["naim_efficiency_range"] == pytest.approx([0.644737, 0.776316])
    r = run(db, "design", "--compare", "chip4", "--table", "wafer_capacity", "--json")
    assert r.exit_code == 0 and 0 < json.loads(r.stdout)["naim_efficiency"] <= 1


def test_design_constraints(db: Path, fabs: str) -> None:
    r = run(
        db,
        "design",
        "--table",
        fabs,
        "--target",
        "0.4",
        "--include",
        "japan",
        "--forbid-pair",
        "CHN,JPN",
        "--json",
    )
    assert r.exit_code == 0, r.output
    ids = {c["id"] for c in json.loads(r.stdout)["coalition"]}
    assert ids == {"JPN", "TWN", "KOR"}
    r = run(
        db,
        "design",
        "--table",
        "rare_earth_mining",
        "--target",
        "0.5",
        "--within-existing",
        "--as-of",
        "2024-06-01",
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["constraints"]["within_existing"] is True


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--table", "wafer_capacityy", "--target", "0.5"], "unknown capability table"),
        (["--table", "wafer_capacity", "--target", "150"], "is more than 100%"),
        (["--table", "wafer_capacity", "--target", "lots"], "is not a number"),
        (["--table", "wafer_capacity", "--target", "0.5", "--exclude", "XXQ"], "unknown country"),
        (["--table", "wafer_capacity", "--target", "0.5", "--forbid-pair", "USA"], "two countries"),
        (["--table", "wafer_capacity"], "give a --target"),
        (["--table", "missing.csv", "--target", "0.5"], "no such CSV file"),
    ],
)
def test_design_bad_input_exit_2(db: Path, args: list[str], needle: str) -> None:
    r = run(db, "design", *args)
    assert r.exit_code == 2, r.output
    assert needle in _error(r)


def test_design_bad_csv_exit_2(db: Path, tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("country,share\nTWN,0.6\nNOWHERE,0.2\n")
    r = run(db, "design", "--table", str(p), "--target", "0.5")
    assert r.exit_code == 2
    assert f"{p}:3: unknown country 'NOWHERE'" in _error(r)


def test_design_with_csv(db: Path, tmp_path: Path) -> None:
    p = tmp_path / "fabs.csv"
    p.write_text("country,value\nUSA,50\nDEU,30\nFRA,20\n")
    r = run(db, "design", "--table", str(p), "--unit", "wafers", "--target", "0.7", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {c["id"] for c in d["coalition"]} == {"USA", "DEU"}
    assert d["tables"][0]["sources"][0]["publisher"] == "user-supplied"


def test_tables(db: Path) -> None:
    r = run(db, "tables", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert "wafer_capacity" in [t["id"] for t in d["tables"]]
    r = run(db, "tables")
    assert r.exit_code == 0 and "wafer_capacity" in r.stdout


# ------------------------------------------------------------------------------- CSV


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_shares_and_regions(tmp_path: Path) -> None:
    p = _csv(tmp_path, "\ufeffCountry,Share\n# comment\nTaiwan,0.5\n\nregion:Europe,0.2\n")
    t = read_capability_csv(p)
    assert t.measure is Measure.SHARE
    assert [(r.participant, r.value) for r in t.rows] == [("TWN", 0.5), ("region:europe", 0.2)]
    assert t.shares() == {"TWN": 0.5}


def test_csv_values_need_a_unit(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,86000\nCHL,44000\n")
    with pytest.raises(CsvProblems, match="needs its unit"):
        read_capability_csv(p)
    t = read_capability_csv(p, unit="t")
    assert t.shares()["AUS"] == pytest.approx(86000 / 130000)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", ":1: missing header: the file is empty"),
        ("TWN,0.5\n", ":1: missing header"),
        ("country,share\nTWN,0.5\nXXQ,0.1\n", ":3: unknown country 'XXQ'"),
        ("country,share\nTWN,-0.5\n", ":2: negative share -0.5"),
        ("country,share\nTWN,abc\n", ":2: 'abc' is not a number"),
        ("country,share\nTWN,nan\n", ":2: 'nan' is not a finite number"),
        ("country,share\nTWN,1.5\n", ":2: share 1.5 is more than 1"),
        ("country,share\nTWN,0.7\nKOR,0.6\n", ":3: shares add up to 1.3000, more than 1"),
        ("country,share\nTWN,0.7,x\n", ":2: expected 2 fields, found 3"),
        ("country,share\nTWN,0.3\nTaiwan,0.3\n", ":3: TWN appears twice (also line 2)"),
        ("country,share\n", "no data rows"),
        ("country,share\nregion:!!,0.3\n", "is not a region"),
    ],
)
def test_csv_problems(tmp_path: Path, text: str, needle: str) -> None:
    p = _csv(tmp_path, text)
    with pytest.raises(CsvProblems) as e:
        read_capability_csv(p)
    assert needle in e.value.message
    assert e.value.exit_code == 2


def test_csv_reports_every_problem(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nXXQ,0.1\nTWN,-1\nKOR,x\n")
    with pytest.raises(CsvProblems) as e:
        read_capability_csv(p)
    assert len(e.value.problems) == 3
    assert e.value.hint is not None and "2 more" in e.value.hint


def test_csv_unreadable(tmp_path: Path) -> None:
    p = tmp_path / "latin.csv"
    p.write_bytes(b"country,share\n\xff\xfe,0.1\n")
    with pytest.raises(BadInput, match="cannot read"):
        read_capability_csv(p)


def test_every_design_option_is_documented() -> None:
    from minilat.cli.design import design

    text = (Path(__file__).parent.parent / "docs" / "designer.md").read_text()
    options = [o for p in design.params for o in p.opts if o.startswith("--")]
    assert options
    missing = [o for o in options if f"`{o}" not in text and o != "--help"]
    assert not missing


def test_targets_are_accepted_as_percentages(run: Any) -> None:
    as_pct = run("design", "--table", "wafer_capacity", "--target", "50%", "--json")
    as_share = run("design", "--table", "wafer_capacity", "--target", "0.5", "--json")
    assert as_pct.exit_code == 0, as_pct.output
    assert json.loads(as_pct.stdout)["coalition"] == json.loads(as_share.stdout)["coalition"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--include", "USA,JPN,KOR", "--max-size", "2"], "3 countries are included"),
        (["--unit", "%"], "--unit is for tables read from a CSV file"),
    ],
)
def test_contradictory_options_are_bad_input(run: Any, args: list[str], needle: str) -> None:
    r = run("design", "--table", "wafer_capacity", *args)
    assert r.exit_code == 2 and needle in r.output


def test_within_existing_leaves_universal_bodies_out(run: Any) -> None:
    from minilat.analysis.network import UNIVERSAL_MIN_STATES
    from minilat.cli.design import design

    args = ["design", "--table", "wafer_capacity", "--target", "0.6", "--within-existing"]
    args += ["--include", "PRK", "--exclude", "CHN", "--as-of", "2024-01-01"]
    r = run(*args)
    assert r.exit_code == 1 and "PRK is included but shares no grouping" in r.output
    assert "--universal" in r.output
    r = run(*args, "--universal", "--json")
    assert r.exit_code == 0, r.output
    assert "PRK" in [c["id"] for c in json.loads(r.stdout)["coalition"]]
    r = run("design", "--table", "wafer_capacity", "--target", "0.6", "--universal")
    assert r.exit_code == 2 and "--within-existing" in r.output
    help_text = next(p.help for p in design.params if p.name == "universal")
    assert f"{UNIVERSAL_MIN_STATES} or more" in (help_text or "")


def _compare_lines(out: str) -> tuple[str, str, str]:
    """The headline, the optimal coalition's line and the rest of a --compare, each
    joined from the lines it wraps over at the terminal's width."""
    head, rest = out.split("\noptimal coalition", 1)
    optimal, rest = ("optimal coalition" + rest).split("\nNaim efficiency", 1)
    return " ".join(head.split()), " ".join(optimal.split()), " ".join(rest.split())


def test_compare_text_says_what_the_table_cannot_tell(run: Any) -> None:
    r = run("design", "--compare", "semicon_coalition", "--table", "wafer_capacity")
    assert r.exit_code == 0, r.output
    head, _, rest = _compare_lines(r.stdout)
    assert "cover between 0.0% and" in head and "does not split out" in head
    assert rest.startswith(": between 0.00 and")  # Naim efficiency: between ...
    assert "Naim efficiency: 0.00 " not in r.stdout
    r = run("design", "--compare", "pax_silica", "--table", "wafer_capacity")
    assert r.exit_code == 0, r.output
    _, line, _ = _compare_lines(r.stdout)
    # the bound is the listed members' number, and the line says so
    assert line.startswith("optimal coalition of at most 11 (as many as the listed members): ")
    assert "CHN, TWN, JPN, KOR, USA (5 members" in line
    europe = [ln for ln in r.stdout.splitlines() if "region:europe (" in ln]
    assert europe and not any(c in ln for ln in europe for c in ("ARE", "ISR", "SGP"))
    r = run("design", "--compare", "chip4", "--table", "wafer_capacity")
    _, line, _ = _compare_lines(r.stdout)
    assert line.startswith("optimal coalition of 4: ") and "at most" not in line


def test_compare_of_an_incomplete_list_says_so(run: Any) -> None:
    r = run("design", "--compare", "zangger", "--table", "wafer_capacity")
    assert r.exit_code == 0, r.output
    head, _, rest = _compare_lines(r.stdout)
    assert "INCOMPLETE LIST" in head and "of the 39 members" in head
    assert "1 member (CHN)" not in head
    assert rest.startswith(": not known, the member list is incomplete")
    r = run("design", "--compare", "zangger", "--table", "wafer_capacity", "--json")
    d = json.loads(r.stdout)
    assert d["list_complete"] is False and d["naim_efficiency"] is None
    assert d["enumeration"]["published"] == 39
