"""``minilat whatif`` through the CLI runner: a file, inline options, JSON, clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result


def test_inline_join_prints_the_differences(run: Callable[..., Result]) -> None:
    r = run("whatif", "--join", "IND:chip4", "--as-of", "2026-12-01", "--no-network")
    assert r.exit_code == 0, r.output
    assert "India joins Chip 4 as member on 2026-12-01" in r.output
    assert "Chip 4 grows from 4 to 5 full-member states" in r.output
    assert "Analyses recomputed:" in r.output


def test_scenario_file_as_json(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "club.yaml"
    path.write_text(
        "as_of: 2026-12-01\n"
        "changes:\n"
        "  - found: AI compute club\n"
        "    members: [USA, JPN, KOR, TWN, NLD]\n"
        "    themes: [ai, semiconductors]\n",
        encoding="utf-8",
    )
    r = run("whatif", str(path), "--leave", "USA:paris_call", "--json", "--no-network")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [c["kind"] for c in d["scenario"]["changes"]] == ["found", "leave"]
    assert d["founded"][0]["id"] == "ai_compute_club"
    assert d["differences"] and d["differences"][0]["size"] >= d["differences"][-1]["size"]


def test_errors_are_one_line_with_a_hint(run: Callable[..., Result], tmp_path: Path) -> None:
    r = run("whatif", "--join", "IND:chip5")
    assert r.exit_code == 2
    assert "unknown grouping 'chip5'; did you mean chip4" in r.output
    assert "Traceback" not in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("changes:\n  - join: chip4\n    contry: IND\n", encoding="utf-8")
    r = run("whatif", str(bad))
    assert r.exit_code == 2 and f"{bad}:3: changes[0].contry: unknown field" in r.output
    r = run("whatif", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and "no such scenario file" in r.output
    r = run("whatif")
    assert r.exit_code == 2 and "no scenario given" in r.output
    r = run("whatif", "--join", "USA:chip4", "--as-of", "2026-12-01")
    assert r.exit_code == 2 and "already in Chip 4" in r.output


def test_changes_of_assessability_are_a_table_apart(run: Callable[..., Result]) -> None:
    r = run("whatif", "--join", "IND:chip4", "--as-of", "2026-12-01", "--no-network")
    assert r.exit_code == 0, r.output
    ranked, _, apart = r.output.partition("Becoming assessable or not, not ranked")
    assert "no longer assessable" not in ranked
    text = " ".join(apart.replace("│", " ").split())
    assert "India has no figure of its own in the chip_design table" in text
