"""Panels: every row agrees with `members --as-of` on 1 July; files keep their labels."""

from __future__ import annotations

import datetime as dt
import json
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minilat import panel_files
from minilat.analysis import panels
from minilat.analysis.groupings import members
from minilat.dataset import Dataset, load
from minilat.errors import BadInput

DS: Dataset = load()
GIDS = sorted(DS.groupings)
YEARS = st.integers(min_value=1975, max_value=2026)


def _members_as_of(gid: str, year: int) -> dict[str, dict[str, Any]]:
    res = members(DS, DS.groupings[gid], dt.date(year, 7, 1))
    return {m["participant"]: m for m in res["members"]}


@settings(max_examples=20, deadline=None)
@given(year=YEARS)
def test_country_year_is_members_as_of_first_july(year: int) -> None:
    frame = panel_files.to_frame(panels.country_year(DS, year, year))
    by_grouping: dict[str, list[Any]] = {}
    for r in frame.itertuples():  # one pass over the frame, not one filter per grouping
        by_grouping.setdefault(r.grouping, []).append(r)
    assert set(by_grouping) <= set(GIDS)
    n_states = len(DS.states())
    for gid in GIDS:
        rows = by_grouping.get(gid, [])
        expected = {p: m for p, m in _members_as_of(gid, year).items() if DS.is_state(p)}
        taking_part = [r for r in rows if r.membership in (1, 2)]
        assert {r.country for r in taking_part} == set(expected), (gid, year)
        for r in taking_part:
            m = expected[r.country]
            assert r.membership == (1 if m["role"] in ("founding_member", "member") else 2)
            assert r.role == m["role"] and r.verified == int(m["verified"])
        if rows:  # a grouping has rows exactly in the years it is active
            assert DS.groupings[gid].active_on(dt.date(year, 7, 1))
            assert len(rows) == n_states


@settings(max_examples=12, deadline=None)
@given(year=YEARS)
def test_dyad_year_counts_shared_groupings_as_of_first_july(year: int) -> None:
    expected: dict[tuple[str, str], int] = {}
    for gid in GIDS:
        states = sorted(p for p in _members_as_of(gid, year) if DS.is_state(p))
        for a, b in combinations(states, 2):
            expected[(a, b)] = expected.get((a, b), 0) + 1
    p = panels.dyad_year(DS, year, year)
    got = {
        (a, b): s
        for a, b, s in zip(
            p.column("country_a").tolist(),
            p.column("country_b").tolist(),
            p.column("shared").tolist(),
            strict=True,
        )
    }
    assert got == expected


@settings(max_examples=15, deadline=None)
@given(year=YEARS, gid=st.sampled_from(GIDS))
def test_dyad_year_by_theme_and_full_membership(year: int, gid: str) -> None:
    g = DS.groupings[gid]
    current = _members_as_of(gid, year)
    states = sorted(p for p in current if DS.is_state(p))
    if len(states) < 2:
        return
    a, b = states[0], states[-1]
    row = panels.dyad_year(DS, year, year).row_where(country_a=a, country_b=b)
    assert row["shared"] >= row["shared_full"]
    for theme in g.themes.value:
        assert row[f"th_{theme.value}"] >= 1
    assert (
        sum(row[f"ty_{t}"] for t in panels.TYPE_CODES.values() if t != "unclassified")
        <= row["shared"]
    )


@settings(max_examples=20, deadline=None)
@given(year=YEARS)
def test_grouping_year_size_is_members_as_of_first_july(year: int) -> None:
    p = panels.grouping_year(DS, year, year)
    by_id = {r["grouping"]: r for r in p.rows()}
    for gid in GIDS:
        g = DS.groupings[gid]
        in_range = g.founded.year <= year and (g.ended is None or year <= g.ended.year)
        assert (gid in by_id) == in_range
        if not in_range:
            continue
        r = by_id[gid]
        current = _members_as_of(gid, year)
        assert r["members"] == len(current)
        assert r["members_full"] == sum(
            1 for m in current.values() if m["role"] in ("founding_member", "member")
        )
        assert r["members_states"] == sum(1 for m in current.values() if m["kind"] == "state")
        assert r["events"] == sum(1 for e in g.events if e.date.year == year)
        assert panels.STATUS_CODES[r["status"]] == r["status_label"]


def test_cli_members_agrees_with_a_panel_row(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "gy.csv"
    r = run(
        "panel",
        "--unit",
        "grouping-year",
        "--from",
        "2023",
        "--to",
        "2023",
        "--out",
        str(out),
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows"] > 0
    frame = pd.read_csv(out)
    quad = frame[frame.grouping == "quad"].iloc[0]
    m = run("members", "quad", "--as-of", "2023-07-01", "--json")
    assert json.loads(m.output)["count"] == quad["members"]


def test_stata_file_opens_in_pandas_with_labels(tmp_path: Path) -> None:
    p = panels.country_year(DS, 2022, 2023)
    path = panel_files.write(p, tmp_path / "cy.dta", "dta")
    frame = pd.read_stata(path)
    assert list(frame.columns) == p.names
    assert set(frame.membership.cat.categories) <= set(panels.MEMBERSHIP_CODES.values())
    quad = frame[(frame.grouping == "quad") & (frame.country == "IND") & (frame.year == 2023)]
    assert quad.membership.iloc[0] == "full"
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
    assert labels["membership"] == "Membership on 1 July"
    assert all(labels[c] for c in p.names)


def test_parquet_and_csv_carry_the_same_rows(tmp_path: Path) -> None:
    p = panels.dyad_year(DS, 2024, 2024)
    pq_path = panel_files.write(p, tmp_path / "d.parquet", "parquet")
    csv_path = panel_files.write(p, tmp_path / "d.csv", "csv")
    a, b = pd.read_parquet(pq_path), pd.read_csv(csv_path)
    assert len(a) == len(b) == len(p)
    assert (a.shared.to_numpy() == b.shared.to_numpy()).all()
    meta = pq.read_schema(pq_path).metadata
    assert json.loads(meta[b"minilat.labels"])["shared"] == "Groupings both take part in"


def test_codebook_is_generated_and_defines_every_column() -> None:
    text = (Path(__file__).parent.parent / "docs" / "codebook.md").read_text()
    assert text == panel_files.codebook_markdown(), "run `make docs`"
    for unit in panels.UNITS:
        for spec in panels.COLUMNS[unit]:
            assert f"| `{spec.name}` |" in text
            assert len(spec.label) <= 80 and len(spec.name) <= 32  # Stata's limits


@pytest.mark.parametrize(("start", "end"), [(2024, 2020), (1800, 1990), (2020, 3000)])
def test_bad_years_are_refused(start: int, end: int) -> None:
    with pytest.raises(BadInput):
        panels.country_year(DS, start, end)


def test_cli_bad_years_one_line(run: Any) -> None:
    r = run("panel", "--unit", "dyad-year", "--from", "2024", "--to", "2020")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_a_partial_member_list_is_coded_in_both_panels() -> None:
    """A state coded "none" in a grouping whose list the record knows is partial must not
    read as a non-member: ``list_complete`` is 0 there, 1 elsewhere, in both panels."""
    from minilat.analysis.groupings import enumeration

    cy = panels.country_year(DS, 2024, 2024)
    gy = panels.grouping_year(DS, 2024, 2024)
    assert cy.row_where(country="BRA", grouping="paris_call")["list_complete"] == 0
    assert cy.row_where(country="IND", grouping="quad")["list_complete"] == 1
    day = panels.reference_day(2024)
    for gid in ("paris_call", "quad", "zangger", "g7", "psi"):
        want = int(enumeration(DS, DS.groupings[gid], day) is None)
        assert gy.row_where(grouping=gid)["list_complete"] == want
    assert gy.row_where(grouping="paris_call")["list_complete"] == 0


def test_a_panel_from_before_the_scope_says_what_it_misses(run: Any, tmp_path: Path) -> None:
    """The record covers groupings active at some time since 1975: a panel from 1945
    counts only those that lasted into 1975, which a scholar must be told, not find out."""
    early = run("panel", "--unit", "grouping-year", "--from", "1960", "--to", "1962",
                "--out", str(tmp_path / "early.csv"))  # fmt: skip
    assert early.exit_code == 0, early.output
    assert "outside the dataset's scope" in early.output and "1975" in early.output
    usual = run("panel", "--unit", "grouping-year", "--from", "1975", "--to", "1976",
                "--out", str(tmp_path / "usual.csv"))  # fmt: skip
    assert usual.exit_code == 0 and "outside the dataset's scope" not in usual.output
