"""The command line reads well (issue 11, part 5): lookups by any name, ids never cut,
counts that say what they count, plurals, rounded share tables, success messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result


def test_show_finds_names_aliases_and_former_names(run: Callable[..., Result]) -> None:
    assert json.loads(run("show", "G8", "--json").stdout)["id"] == "g7"
    assert json.loads(run("show", "AI Safety Institutes", "--json").stdout)["id"] == "aisi_network"
    ambiguous = run("show", "Group")
    assert ambiguous.exit_code == 2 and "more than one grouping" in ambiguous.stderr
    typo = run("show", "quadd")
    assert typo.exit_code == 2 and "did you mean quad" in typo.stderr


def test_show_prints_notes_and_legal_personality(run: Callable[..., Result]) -> None:
    out = run("show", "i2u2").output
    assert "legal personality" in out
    assert "notes" in out


def test_ids_are_never_cut_at_80_columns(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("groupings", "--member", "AUS").output
    assert "australia_group" in out.replace("│", " ").split()


def test_counts_and_plurals_read_well(run: Callable[..., Result]) -> None:
    card = run("scorecard", "quad").output
    flat = " ".join(card.replace("│", " ").split())
    assert "of the 3 member states other than the United States" in flat
    assess = " ".join(run("assess", "quad").output.replace("│", " ").split())
    assert "has informal" not in assess and "typical of a minilateral" in assess
    typology = run("typology", "--disagreements").output
    assert "rule" in typology and "editor" in typology and "used" in typology
    assert "disagreement(s)" not in typology


def test_export_says_what_it_wrote(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "n.gexf"
    r = run("network", "--export", "gexf", "--out", str(out))
    assert r.exit_code == 0 and out.exists()
    assert f"wrote {out}" in r.stderr


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.csv"
    p.write_text(text)
    return p


def test_rounded_share_tables_are_accepted_with_a_notice(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.601\nKOR,0.2\nJPN,0.2\n")  # adds up to 1.001
    r = run("design", "--table", str(p), "--target", "0.6", "--json")
    assert r.exit_code == 0, r.stderr
    assert "Notice:" in r.stderr and "1.0010" in r.stderr


def test_far_over_one_needs_normalize(run: Callable[..., Result], tmp_path: Path) -> None:
    p = _csv(tmp_path, "country,share\nTWN,0.7\nKOR,0.3\nJPN,0.2\n")  # 1.2
    refused = run("design", "--table", str(p), "--target", "0.6")
    assert refused.exit_code == 2 and "--normalize" in refused.stderr
    ok = run("design", "--table", str(p), "--target", "0.6", "--normalize", "--json")
    assert ok.exit_code == 0, ok.stderr
    coalition = json.loads(ok.stdout)["coalition"]
    assert [m["id"] for m in coalition] == ["TWN", "KOR"]
    assert coalition[0]["shares"]["t"] == pytest.approx(0.7 / 1.2, abs=1e-6)
    bundled = run("design", "--table", "wafer_capacity", "--target", "0.5", "--normalize")
    assert bundled.exit_code == 2


def test_percentages_in_a_csv(run: Callable[..., Result], tmp_path: Path) -> None:
    from minilat.capability_csv import read_capability_csv

    p = _csv(tmp_path, "country,share\nTWN,33.4%\nKOR,20 %\n")
    t = read_capability_csv(p)
    assert [round(r.value, 3) for r in t.rows] == [0.334, 0.2]
    v = _csv(tmp_path, "country,value\nTWN,33.4%\n")
    refused = run("design", "--table", str(v), "--target", "0.3", "--unit", "t")
    assert refused.exit_code == 2 and "percentage is a share" in refused.stderr
