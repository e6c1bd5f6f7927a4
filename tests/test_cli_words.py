"""What a newcomer read in the CLI's output (review of 2 December): a column named for
one field showing another, ids and Python values where the web shows words, plurals
written "(s)", seconds to six places, and a designer target the web read and the CLI
refused. Each face now says the same thing in the same words; the ids stay in --json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from minilat.cli import cli
from minilat.store import Store


def _header(text: str) -> list[str]:
    """The headers of the first table printed (the line under its top border)."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    return [h.strip() for h in lines[top + 1].strip("┃").split("┃")]


def _rows(text: str) -> dict[str, list[str]]:
    """The first line of each row of the first table, by its first cell."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells
    return rows


def _words(text: str) -> str:
    """The words of a table's last column read on, line after line (a wrapped cell)."""
    cells = [line.strip("│ ").rsplit("│", 1)[-1] for line in text.splitlines()]
    return " ".join(" ".join(cells).split())


# ------------------------------------------------------------ 1. status against life


def test_groupings_name_the_life_column_for_the_life_it_shows(
    run80: Callable[..., Result],
) -> None:
    listing = json.loads(run80("groupings", "--json").stdout)["groupings"]
    assert {g["status"] for g in listing} == {"active"}  # the title's "active"
    dormant = [g["id"] for g in listing if g["life"] == "dormant"]
    assert dormant
    r = run80("groupings")
    head = _header(r.stdout)
    assert "life" in head and "status" not in head
    rows = _rows(r.stdout)
    column = head.index("life")
    assert {rows[g][column] for g in dormant} == {"dormant"}
    legend = " ".join(r.stdout.split())
    assert "life: what a grouping's recorded activity says of it" in legend
    assert "status:" not in legend  # no legend for a column not shown


def test_compare_labels_the_status_and_the_life_apart(bundled_client: TestClient) -> None:
    d = bundled_client.get("/compare", params={"groupings": "quad,chip4", "format": "json"}).json()
    chip4 = next(g for g in d["groupings"] if g["id"] == "chip4")
    assert (chip4["status"], chip4["life"]) == ("active", "dormant")
    page = bundled_client.get("/compare", params={"groupings": "quad,chip4"}).text
    status = re.search(r"<tr><th scope=\"row\">Status(.*?)</tr>", page, re.S)
    life = re.search(r"<tr><th scope=\"row\">Life(.*?)</tr>", page, re.S)
    assert status and "inside its recorded periods" in status.group(1)
    assert life and "read from its recorded activity" in life.group(1)
    assert ">dormant (searched)<" in life.group(1)


# ------------------------------------------------------------ 2. words, not ids


def test_show_says_facts_statuses_and_kinds_in_words(run80: Callable[..., Result]) -> None:
    out = run80("show", "quad").stdout
    assert "instrument: joint declaration" in out
    assert "legal personality: no" in out
    for word in ("in progress", "not delivered"):
        assert f" {word} " in out
    assert "joint statement" in out
    for raw in ("joint_declaration", "False", "in_progress", "not_delivered", "joint_statement"):
        assert raw not in out, raw
    d = json.loads(run80("show", "quad", "--json").stdout)  # the ids stay in the JSON
    assert d["instrument"]["value"] == "joint_declaration"
    assert d["legal_personality"]["value"] is False


def test_scorecard_reasons_read_as_on_the_page(run80: Callable[..., Result]) -> None:
    out = _words(run80("scorecard", "quad").stdout)
    assert "no legal personality" in out and "6 working groups" in out
    assert "legal_personality" not in out and "working_groups" not in out
    assert "strategic clarity strong" in out
    reasons = json.dumps(json.loads(run80("scorecard", "quad", "--json").stdout))
    assert "legal_personality False" in reasons  # the JSON keeps the record's terms


def test_country_type_mix_and_roles_in_words(run80: Callable[..., Result]) -> None:
    out = run80("country", "IND").stdout
    assert "type mix: economic supply chain 14" in " ".join(out.split())
    assert "economic_supply_chain" not in out
    assert "founding member" in out and "founding_member" not in out


def test_members_say_founding_member_at_every_width(bundled_store: Store) -> None:
    for width in (80, 100, 160):
        r = CliRunner(env={"COLUMNS": str(width)}).invoke(
            cli, ["--db", str(bundled_store.path), "members", "quad"], catch_exceptions=False
        )
        assert _rows(r.stdout)["AUS"][2] == "founding member", width


def test_report_names_the_groupings_of_each_bloc(run80: Callable[..., Result]) -> None:
    out = run80("report", "country", "IND", "--as-of", "2026-11-28").stdout
    hedging = out.split("## Hedging between blocs", 1)[1].split("How to read this", 1)[0]
    china = next(line for line in hedging.splitlines() if line.startswith("* China-anchored"))
    assert china == "* China-anchored: BRICS; Shanghai Cooperation Organisation; SKA Observatory"
    assert "artemis_accords" not in hedging and "Artemis Accords" in hedging


def test_typology_disagreements_name_types_in_words(run80: Callable[..., Result]) -> None:
    out = " ".join(run80("typology", "--disagreements").stdout.split())
    assert "editor economic supply chain (" in out and "global agenda 27%" in out
    assert "economic_supply_chain" not in out and "global_agenda" not in out


# ------------------------------------------------------------ 3. plurals and figures


def test_search_menu_says_countries(bundled_client: TestClient) -> None:
    page = bundled_client.get("/search", params={"q": "india", "kind": "country"}).text
    assert ">countries</option>" in page and "among countries" in page
    assert "countrys" not in page


def test_network_and_country_say_counts_and_strength_as_the_web_does(
    run80: Callable[..., Result],
) -> None:
    out = " ".join(run80("network").stdout.split())
    assert "(s)" not in out and re.search(r"\b1 component, ", out)
    country = " ".join(run80("country", "IND").stdout.split())
    assert re.search(r"network: strength \d+\.\d \(rank", country), country[:400]


def test_designer_page_says_the_solving_time_in_ms(bundled_client: TestClient) -> None:
    page = bundled_client.get("/design", params={"table": "wafer_capacity", "target": "60%"}).text
    solver = re.search(r"Solver: [^<]*", page)
    assert solver and re.search(r", \d+\.\d ms\.", solver.group(0)), solver


def test_every_command_help_line_is_a_whole_phrase() -> None:
    """click's short help stops at a sentence's first period: "(e.g." cut a line short."""
    import click

    def walk(group: click.Group) -> list[tuple[str, str]]:
        ctx = click.Context(group)
        out = []
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None
            line = command.get_short_help_str(limit=10_000)
            out.append((name, line))
            if isinstance(command, click.Group):
                out += walk(command)
        return out

    lines = walk(cli)
    assert any(name == "release" for name, _ in lines)
    cut = [(n, s) for n, s in lines if s.count("(") != s.count(")") or s.endswith(" (e.g.")]
    assert not cut, cut


# ------------------------------------------------------------ 4. the designer's target


def _coalition(result: dict) -> list[str]:
    return [c["id"] for c in result["coalition"]]


def test_cli_reads_60_as_the_web_does_and_says_so(run80: Callable[..., Result]) -> None:
    r = run80("design", "--table", "wafer_capacity", "--target", "60")
    assert r.exit_code == 0, r.output
    assert "target for wafer_capacity: 60 read as 60%" in r.stdout
    quiet = run80("design", "--table", "wafer_capacity", "--target", "0.6")
    assert "read as" not in quiet.stdout  # a share says itself
    answers = [
        json.loads(run80("design", "--table", "wafer_capacity", "--target", t, "--json").stdout)
        for t in ("60", "60%", "0.6")
    ]
    assert len({json.dumps(_coalition(a)) for a in answers}) == 1
    assert {a["tables"][0]["target"] for a in answers} == {0.6}


def test_api_reads_60_as_the_web_does(bundled_client: TestClient) -> None:
    answers = {}
    for target in (60, "60", "60%", 0.6, "0.6"):
        r = bundled_client.post(
            "/api/v1/design", json={"tables": ["wafer_capacity"], "targets": [target]}
        )
        assert r.status_code == 200, (target, r.text)
        answers[str(target)] = r.json()
    assert answers["60"]["readings"] == ["60 read as 60%"]
    assert answers["60%"]["readings"] == ["60%"]
    assert answers["0.6"]["readings"] == ["0.6 read as 60%"]
    assert len({json.dumps(_coalition(a["result"])) for a in answers.values()}) == 1
    too_much = bundled_client.post(
        "/api/v1/design", json={"tables": ["wafer_capacity"], "targets": [150]}
    )
    assert too_much.status_code == 400 and "more than 100%" in too_much.text


def test_every_face_uses_one_reading_of_a_target() -> None:
    from minilat.analysis import coalition
    from minilat.web import designer

    assert designer.read_target is coalition.read_target


def test_shortfall_is_in_percentages_like_a_success(run80: Callable[..., Result]) -> None:
    r = run80("design", "--table", "wafer_capacity", "--target", "0.8", "--exclude", "CHN")
    assert r.exit_code == 1
    said = " ".join((r.stderr or r.output).split())
    assert re.search(r"at most \d+\.\d% reachable without CHN", said), said
    assert re.search(r"short of the 80\.0% target by \d+\.\d%", said), said
    assert not re.search(r"\b0\.\d\d\b", said), said
