from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def test_groupings_json(run, mini_dir: Path) -> None:
    r = run("groupings", "--member", "EST", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["filters"]["member"] == "EST"
    assert [g["id"] for g in out["groupings"]] == ["beta"]


def test_groupings_member_by_name(run, mini_dir: Path) -> None:
    r = run("groupings", "--member", "Estonia", "--json", data=mini_dir)
    assert json.loads(r.output)["filters"]["member"] == "EST"


def test_show_json_is_sourced(run, mini_dir: Path) -> None:
    r = run("show", "alpha", "--as-of", "2018-01-01", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["status"] == "active"
    assert {m["participant"] for m in d["members"]} == {"USA", "JPN", "KOR", "TWN", "acme"}
    assert d["instrument"]["value"] == "joint_declaration"
    assert "src-a" in d["sources"]
    assert d["sources"]["src-a"]["url"] == "https://example.org/alpha"
    twn = next(m for m in d["members"] if m["participant"] == "TWN")
    assert twn["verified"] is False


def test_members_as_of(run, mini_dir: Path) -> None:
    r = run("members", "beta", "--as-of", "2016-01-01", "--json", data=mini_dir)
    d = json.loads(r.output)
    assert [m["participant"] for m in d["members"]] == ["CHN", "EST", "USA", "eu"]
    assert d["states"] == 3


def test_members_human_output(run, mini_dir: Path) -> None:
    r = run("members", "alpha", "--as-of", "2011-01-01", data=mini_dir)
    assert r.exit_code == 0
    assert "USA" in r.output and "JPN" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "alpah"], "did you mean alpha"),
        (["members", "beta", "--as-of", "2023-02-30"], "not a real day"),
        (["groupings", "--member", "Atlantis"], "unknown country"),
        (["groupings", "--theme", "semiconductor"], "did you mean semiconductors"),
        (["groupings", "--active-on", "yesterday"], "bad --active-on"),
    ],
)
def test_bad_input_is_one_line_exit_2(run, mini_dir: Path, args: list[str], message: str) -> None:
    r = run(*args, data=mini_dir)
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_validate_clean_and_broken(run, mini_dir: Path) -> None:
    r = run("validate", str(mini_dir))
    assert r.exit_code == 0, r.output
    (mini_dir / "groupings/alpha.yaml").write_text("id: alpha\nname: [oops\n")
    r = run("validate", str(mini_dir))
    assert r.exit_code == 1
    assert "groupings/alpha.yaml:" in r.output
    assert "Traceback" not in r.output


def test_broken_dataset_gives_clean_error(run, mini_dir: Path) -> None:
    (mini_dir / "groupings/alpha.yaml").write_text("id: alpha\nname: [oops\n")
    r = run("groupings", data=mini_dir)
    assert r.exit_code == 1
    assert "problem" in r.output and "minilat validate" in r.output


def test_export_csv_and_json(run, mini_dir: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "out"
    r = run("export", "--format", "csv", "--out", str(out), data=mini_dir)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((out / "memberships.csv").read_text().splitlines()))
    rus = [x for x in rows if x["participant"] == "RUS"]
    assert [(x["role"], x["start"], x["end"]) for x in rus] == [
        ("founding_member", "1999-03-15", "2014-03-24"),
        ("suspended", "2014-03-24", "2017-01-13"),
        ("withdrawn", "2017-01-13", ""),
    ]
    r = run("export", "--format", "json", "--out", str(out), data=mini_dir)
    doc = json.loads((out / "minilat.json").read_text())
    assert {g["id"] for g in doc["groupings"]} == {"alpha", "beta"}


def test_main_never_shows_a_traceback(monkeypatch, capsys) -> None:
    from minilat import cli

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli.cli, "main", boom)
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err


def test_validate_one_file_of_a_data_folder(run: Any, mini_dir: Path) -> None:
    files = sorted((mini_dir / "groupings").glob("*.yaml"))
    ok = run("validate", str(files[0]))
    assert ok.exit_code == 0 and f"ok: groupings/{files[0].name}" in ok.stderr
    text = files[0].read_text()
    files[0].write_text(text.replace("id:", "bogus: 1\nid:", 1))
    bad = run("validate", str(files[0]))
    assert bad.exit_code == 1 and f"groupings/{files[0].name}:1: bogus" in bad.stdout
    assert run("validate", str(files[1])).exit_code == 0  # the other file is fine
    stray = mini_dir / "notes.yaml"
    stray.write_text("x: 1\n")
    refused = run("validate", str(stray))
    assert refused.exit_code == 2 and "is a file, not a data folder" in refused.stderr


def test_command_table_matches_the_modules() -> None:
    """COMMAND_MODULES (what lets a command load only its own module) names every command
    each module defines, and nothing else."""
    import importlib
    import pkgutil

    import minilat.cli as cli_pkg

    defined: dict[str, str] = {}
    for info in pkgutil.iter_modules(cli_pkg.__path__):
        module = importlib.import_module(f"minilat.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            assert command.name not in defined, f"{command.name} defined twice"
            defined[command.name] = info.name
    assert defined == cli_pkg.COMMAND_MODULES


def test_a_command_imports_only_its_own_module() -> None:
    """`minilat show` must not import the designer's, the web's or the network's modules."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from minilat.cli import cli\n"
        "cli.get_command(None, 'show')\n"
        "print(sorted(m for m in sys.modules if m.startswith('minilat.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "minilat.cli.records" in out
    for other in ("design", "web", "network", "monitor", "whatif"):
        assert f"minilat.cli.{other}'" not in out


def test_members_before_the_founding_says_so(run) -> None:
    """Not a raw "(not_yet_founded)" over an empty table: the founding date, in words."""
    r = run("members", "pax_silica", "--as-of", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert "Pax Silica was not yet founded on 2025-01-01 (founded 2025-12-12)." in r.output
    assert "not_yet_founded" not in r.output and "participant" not in r.output


def test_members_keeps_the_sources_of_an_unverified_membership(run, columns) -> None:
    """Russia in the Global Partnership is unverified: its sources are kept (shown where
    the terminal is wide enough for them), and it is marked at any width."""
    r = run("members", "global_partnership_wmd", "--json")
    rus = next(m for m in json.loads(r.output)["members"] if m["participant"] == "RUS")
    assert rus["verified"] is False and rus["sources"]
    for width in (80, 120):
        columns(width)
        text = run("members", "global_partnership_wmd").output
        row = text[text.index("RUS") : text.index("USA")]
        assert "(unverified)" in row
    assert rus["sources"][0] in row  # at 120 columns


def test_country_marks_an_unverified_membership(run) -> None:
    d = json.loads(run("country", "RUS", "--json").output)
    unverified = [g for g in d["current"] if not g["verified"]]
    assert unverified, "Russia has an unverified membership in the record"
    text = run("country", "RUS").output
    assert text.count("(unverified)") == len(unverified)


def test_show_before_the_founding_says_so(run) -> None:
    r = run("show", "pax_silica", "--as-of", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert "Pax Silica was not yet founded on 2025-01-01 (founded 2025-12-12)." in r.output
    assert "not_founded" not in r.output and "0 participants" not in r.output
