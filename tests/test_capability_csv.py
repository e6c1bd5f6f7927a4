"""The capability CSV reader's exact answers: the table it builds (id, name, unit, year,
scope, sources), percentages, the rounding tolerance at its boundary, its notices, and the
exact wording of every problem and of the summary hint (issue 18; found by mutation
testing: the fuzz and boundary tests checked that a problem was raised, not which)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minilat.capability_csv import ROUNDING_TOLERANCE, CsvProblems, read_capability_csv
from minilat.model import Measure


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _problems(path: Path, **kw: object) -> list[str]:
    with pytest.raises(CsvProblems) as e:
        read_capability_csv(path, **kw)  # type: ignore[arg-type]
    return e.value.problems


# ------------------------------------------------------------------------ the table


def test_a_share_table_is_described_by_its_file(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.5\n", name="Chip Fabs 2024.csv")
    t = read_capability_csv(p)
    assert t.id == "chip_fabs_2024"
    assert t.name == "Chip Fabs 2024"
    assert t.unit == "share of the world total"
    assert t.year == 0
    assert t.scope == "user-supplied CSV file Chip Fabs 2024.csv"
    assert t.sources == ("file:Chip Fabs 2024.csv",)
    assert t.measure is Measure.SHARE


def test_name_unit_and_year_given_are_kept(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,3\nCHL,1\n", name="lithium.csv")
    t = read_capability_csv(p, unit="tonnes", name="Lithium mining", year=2023)
    assert (t.id, t.name, t.unit, t.year) == ("lithium", "Lithium mining", "tonnes", 2023)
    assert t.measure is Measure.VALUE
    assert [(r.participant, r.value) for r in t.rows] == [("AUS", 3.0), ("CHL", 1.0)]


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("fabs", "fabs"),
        ("FABS", "fabs"),
        ("my table", "my_table"),
        ("a--b", "a--b"),
        ("__x__", "x"),
        ("-x-", "x"),
        ("été", "t"),
        ("a  &  b", "a_b"),
        ("___", "csv_table"),
        ("!!!", "csv_table"),
        ("日本", "csv_table"),
    ],
)
def test_the_table_id_is_a_slug_of_the_file_name(tmp_path: Path, stem: str, slug: str) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.5\n", name=f"{stem}.csv")
    assert read_capability_csv(p).id == slug


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path: Path) -> None:
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffcountry,share\nTWN,0.5\n".encode())
    assert read_capability_csv(p).rows[0].participant == "TWN"


# ---------------------------------------------------------------------- percentages


def test_percentages_are_shares(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,60%\nKOR, 25.5 %\nregion:rest,14.5%\n")
    t = read_capability_csv(p)
    assert [(r.participant, r.value) for r in t.rows] == [
        ("TWN", pytest.approx(0.6)),
        ("KOR", pytest.approx(0.255)),
        ("region:rest", pytest.approx(0.145)),
    ]


def test_a_percentage_is_refused_in_a_value_table(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,60%\nCHL,4\n")
    assert _problems(p, unit="t") == [f"{p}:2: '60%': a percentage is a share (country,share)"]


def test_a_percentage_over_100_is_more_than_1(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,101%\n")
    assert _problems(p) == [f"{p}:2: share 101% is more than 1 (shares are 0..1)"]


def test_a_share_of_exactly_1_is_accepted(tmp_path: Path) -> None:
    t = read_capability_csv(_csv(tmp_path, "country,share\nTWN,1\n"))
    assert t.rows[0].value == 1.0
    t = read_capability_csv(_csv(tmp_path, "country,share\nTWN,100%\n", name="p.csv"))
    assert t.rows[0].value == 1.0


# -------------------------------------------------- shares over 1: rounding and --normalize


def test_shares_adding_up_to_exactly_1_are_untouched(tmp_path: Path) -> None:
    notices: list[str] = []
    p = _csv(tmp_path, "country,share\nTWN,0.5\nKOR,0.5\n")
    t = read_capability_csv(p, notices=notices)
    assert [r.value for r in t.rows] == [0.5, 0.5]
    assert notices == []


def test_shares_over_1_within_rounding_are_scaled_with_a_notice(tmp_path: Path) -> None:
    notices: list[str] = []
    p = _csv(tmp_path, "country,share\nTWN,0.51\nKOR,0.5\n")
    t = read_capability_csv(p, notices=notices)
    assert [r.participant for r in t.rows] == ["TWN", "KOR"]
    assert [r.value for r in t.rows] == [pytest.approx(0.51 / 1.01), pytest.approx(0.5 / 1.01)]
    assert notices == [
        f"{p}: shares add up to 1.0100; each was divided by that total to add up to 1 (rounding)"
    ]
    # without a notices list the table is scaled all the same
    assert [r.value for r in read_capability_csv(p).rows] == [r.value for r in t.rows]


def test_shares_exactly_at_the_rounding_tolerance_are_accepted(tmp_path: Path) -> None:
    assert ROUNDING_TOLERANCE == 0.015
    notices: list[str] = []
    p = _csv(tmp_path, "country,share\nTWN,0.5\nKOR,0.5\nJPN,0.015\n")
    t = read_capability_csv(p, notices=notices)
    assert sum(r.value for r in t.rows) == pytest.approx(1.0)
    assert notices and notices[0].endswith("(rounding)")


def test_shares_past_the_rounding_tolerance_are_refused(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.5\nKOR,0.5\nJPN,0.016\n")
    assert _problems(p) == [
        f"{p}:4: shares add up to 1.0160, more than 1 (more than rounding explains: up to"
        " 1.015 is accepted; --normalize scales them to 1)"
    ]


def test_normalize_scales_any_total_and_says_so(tmp_path: Path) -> None:
    notices: list[str] = []
    p = _csv(tmp_path, "country,share\nTWN,0.8\nKOR,0.7\n")
    t = read_capability_csv(p, normalize=True, notices=notices)
    assert [r.value for r in t.rows] == [pytest.approx(0.8 / 1.5), pytest.approx(0.7 / 1.5)]
    assert notices == [
        f"{p}: shares add up to 1.5000; each was divided by that total to add up to 1 (--normalize)"
    ]


def test_normalize_leaves_shares_under_1_alone(tmp_path: Path) -> None:
    notices: list[str] = []
    p = _csv(tmp_path, "country,share\nTWN,0.3\n")
    t = read_capability_csv(p, normalize=True, notices=notices)
    assert t.rows[0].value == 0.3
    assert notices == []


# ------------------------------------------------------------------ exact problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "name,amount\nTWN,0.5\n",
            ":1: missing header: the first line must be `country,share` or `country,value`,"
            " not 'name,amount'",
        ),
        ("country,share\nTWN,0.7,x\n", ":2: expected 2 fields, found 3"),
        ("country,share\nTWN\n", ":2: expected 2 fields, found 1"),
        ("country,share\n,0.3\n", ":2: the country is empty"),
        ("country,share\nregion:,0.3\n", ":2: 'region:' is not a region (use region:<slug>)"),
        ("country,share\nTWN,abc\n", ":2: 'abc' is not a number"),
        ("country,share\nTWN,inf\n", ":2: 'inf' is not a finite number"),
        ("country,share\nTWN,-0.5\n", ":2: negative share -0.5"),
        ("country,share\nTWN,1.5\n", ":2: share 1.5 is more than 1 (shares are 0..1)"),
        ("country,share\n# only a comment\n", ":1: no data rows after the header"),
        ("country,share\nTWN,0.3\n\n# end\n", None),
    ],
)
def test_each_problem_is_worded_exactly(tmp_path: Path, text: str, problem: str | None) -> None:
    p = _csv(tmp_path, text)
    if problem is None:
        assert read_capability_csv(p).rows[0].participant == "TWN"
    else:
        assert _problems(p) == [f"{p}{problem}"]


def test_negative_values_name_the_measure(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,-3\n")
    assert _problems(p, unit="t") == [f"{p}:2: negative value -3"]


def test_no_data_rows_names_the_last_line_read(tmp_path: Path) -> None:
    p = _csv(tmp_path, "# a note\n\ncountry,share\n\n")
    assert _problems(p) == [f"{p}:3: no data rows after the header"]


def test_a_header_is_read_after_leading_comments(tmp_path: Path) -> None:
    p = _csv(tmp_path, "# source: a yearbook\n\nCOUNTRY , SHARE\nTWN,0.5\n")
    assert read_capability_csv(p).rows[0].value == 0.5


def test_an_unknown_country_carries_the_lookup_hint(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTaiwn,0.5\n")
    [problem] = _problems(p)
    assert problem.startswith(f"{p}:2: unknown country 'Taiwn' (")
    assert problem.endswith(")")


def test_problems_after_a_bad_row_are_still_found(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.7,x\nKOR,1,y\nJPN,z\n")
    assert _problems(p) == [
        f"{p}:2: expected 2 fields, found 3",
        f"{p}:3: expected 2 fields, found 3",
        f"{p}:4: 'z' is not a number",
    ]


def test_the_total_is_checked_on_the_last_data_line(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,0\nCHL,0\n# end\n")
    assert _problems(p, unit="t") == [f"{p}:3: values add up to 0"]


def test_a_value_table_without_a_unit_says_so_on_line_1(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,value\nAUS,1\n")
    assert _problems(p) == [f"{p}:1: a `country,value` table needs its unit (--unit)"]


# --------------------------------------------------------------------- the summary hint


def _hint(tmp_path: Path, bad_rows: int) -> CsvProblems:
    rows = "".join(f"XQ{i},0.1\n" for i in range(bad_rows))
    p = _csv(tmp_path, "country,share\n" + rows)
    with pytest.raises(CsvProblems) as e:
        read_capability_csv(p)
    assert len(e.value.problems) == bad_rows
    return e.value


def test_one_problem_points_to_the_format(tmp_path: Path) -> None:
    e = _hint(tmp_path, 1)
    assert e.message == f"bad capability CSV: {e.problems[0]}"
    assert e.hint == "the format is in docs/designer.md"


def test_the_hint_lists_up_to_three_more_problems(tmp_path: Path) -> None:
    e = _hint(tmp_path, 4)
    assert e.hint == f"3 more: {'; '.join(e.problems[1:4])} — the format is in docs/designer.md"


def test_the_hint_elides_past_three_more_problems(tmp_path: Path) -> None:
    e = _hint(tmp_path, 5)
    assert e.hint == (
        f"4 more: {'; '.join(e.problems[1:4])}; ... — the format is in docs/designer.md"
    )


def test_two_problems_show_the_second(tmp_path: Path) -> None:
    e = _hint(tmp_path, 2)
    assert e.hint == f"1 more: {e.problems[1]} — the format is in docs/designer.md"


@given(st.text(max_size=40))
def test_any_file_name_gives_a_valid_table_id(stem: str) -> None:
    from minilat.capability_csv import _slug
    from minilat.model import SLUG_RE

    assert SLUG_RE.match(_slug(stem))


def test_every_duplicate_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.1\nTaiwan,0.1\nKOR,x\nTWN,0.2\n")
    assert _problems(p) == [
        f"{p}:3: TWN appears twice (also line 2)",
        f"{p}:4: 'x' is not a number",
        f"{p}:5: TWN appears twice (also line 2)",
    ]


def test_a_field_past_the_csv_limit_is_one_problem(tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.1\n" + "A" * 200_000 + ",0.1\n")
    assert _problems(p) == [f"{p}:3: not readable as CSV: field larger than field limit (131072)"]
