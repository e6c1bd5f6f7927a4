"""`minilat pulse`, `minilat commitments` and the life in `minilat show`."""

from __future__ import annotations

import json
from pathlib import Path

COMMITMENTS = """
commitments:
  - id: fab-plan
    text: "Build a shared fab."
    made: "2016-03-01"
    target: "2018"
    delivery: "A fab producing wafers."
    sources: [src-a]
    status:
      - {date: "2019-02", status: not_delivered, evidence: "No wafers yet.", sources: [src-a]}
  - id: standards
    text: "Agree common standards."
    made: "2016-03-01"
    delivery: "Published standards."
    sources: [src-a]
    status:
      - {date: "2017-05", status: delivered, evidence: "Published.", sources: [src-a]}
"""


def _with_commitments(mini_dir: Path) -> Path:
    path = mini_dir / "groupings" / "alpha.yaml"
    path.write_text(path.read_text() + COMMITMENTS)
    return mini_dir


def test_pulse_json_lists_every_grouping_with_a_status(run, mini_dir: Path) -> None:
    r = run("pulse", "--as-of", "2013-01-01", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    status = {g["id"]: g["status"] for g in d["groupings"]}
    assert status["alpha"] == "dormant"  # between its periods (2012-01 to 2015)
    assert d["changes"] is None
    assert sum(d["counts"].values()) == len(d["groupings"])


def test_pulse_since_lists_the_changes(run, mini_dir: Path) -> None:
    r = run("pulse", "--as-of", "2016-01-01", "--since", "2011-06-01", "--json", data=mini_dir)
    d = json.loads(r.output)
    alpha = [
        (c["date"], c["previous"], c["status"]) for c in d["changes"] if c["grouping"] == "alpha"
    ]
    assert ("2012-01-01", "active", "dormant") in alpha
    assert ("2015-01-01", "dormant", "revived") in alpha


def test_pulse_human_output(run, mini_dir: Path) -> None:
    r = run("pulse", "--as-of", "2016-01-01", "--since", "2011-06-01", data=mini_dir)
    assert r.exit_code == 0, r.output
    assert "alpha" in r.output and "revived" in r.output
    assert "Changes since 2011-06-01" in r.output


def test_pulse_refuses_since_after_as_of(run, mini_dir: Path) -> None:
    r = run("pulse", "--as-of", "2016-01-01", "--since", "2017", data=mini_dir)
    assert r.exit_code == 2
    assert "after --as-of" in r.output and "Traceback" not in r.output


def test_commitments_with_filters(run, mini_dir: Path) -> None:
    data = _with_commitments(mini_dir)
    r = run("commitments", "alpha", "--as-of", "2020-01-01", "--json", data=data)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {c["id"]: c["status"] for c in d["commitments"]} == {
        "fab-plan": "not_delivered",
        "standards": "delivered",
    }
    assert d["delivery"]["alpha"]["assessed"] == 2 and d["delivery"]["alpha"]["rate"] == 0.5
    r = run("commitments", "--status", "delivered", "--as-of", "2020-01-01", "--json", data=data)
    assert [c["id"] for c in json.loads(r.output)["commitments"]] == ["standards"]
    r = run("commitments", "--due-before", "2019", "--as-of", "2020-01-01", "--json", data=data)
    assert [c["id"] for c in json.loads(r.output)["commitments"]] == ["fab-plan"]
    early = run("commitments", "alpha", "--as-of", "2017-01-01", "--json", data=data)
    assert {c["status"] for c in json.loads(early.output)["commitments"]} == {"unknown"}


def test_commitments_human_output_and_errors(run, mini_dir: Path) -> None:
    data = _with_commitments(mini_dir)
    r = run("commitments", "alpha", "--as-of", "2020-01-01", data=data)
    assert r.exit_code == 0 and "fab-plan" in r.output and "delivery:" in r.output
    bad = run("commitments", "--status", "deliverd", data=data)
    assert bad.exit_code == 2 and "did you mean" in bad.output
    unknown = run("commitments", "alfa", data=data)
    assert unknown.exit_code == 2 and "alpha" in unknown.output


def test_show_carries_the_status_and_its_explanation(run, mini_dir: Path) -> None:
    r = run("show", "alpha", "--as-of", "2013-01-01", "--json", data=mini_dir)
    d = json.loads(r.output)
    assert d["life"]["status"] == "dormant"
    assert d["life"]["explanation"].startswith("dormant since 2012-01")
    human = run("show", "alpha", "--as-of", "2013-01-01", data=mini_dir)
    assert "dormant since 2012-01" in human.output


def test_shipped_data_pulse_pins_the_quad(run) -> None:
    d = json.loads(run("pulse", "--as-of", "2012-06-01", "--json").output)
    assert next(g for g in d["groupings"] if g["id"] == "quad")["status"] == "dormant"
    d = json.loads(run("pulse", "--as-of", "2025-06-01", "--json").output)
    assert next(g for g in d["groupings"] if g["id"] == "quad")["status"] == "active"
