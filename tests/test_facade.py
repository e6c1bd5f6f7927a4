"""The Python interface: minilat.open() gives DataFrames that agree with the CLI; import stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import minilat
from minilat.errors import BadInput, NotFound


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> minilat.facade.Observatory:
    return minilat.open(db=tmp_path_factory.mktemp("facade") / "store.db")


def test_import_minilat_is_cheap() -> None:
    code = (
        "import sys, minilat; heavy = [m for m in ('numpy', 'pandas', 'pydantic', 'scipy',"
        " 'yaml', 'minilat.dataset') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_members_agree_with_the_cli(obs: Any, run: Any) -> None:
    frame = obs.members("brics", as_of="2024-07-01")
    cli = json.loads(run("members", "brics", "--as-of", "2024-07-01", "--json").output)
    assert isinstance(frame, pd.DataFrame)
    assert sorted(frame.participant) == sorted(m["participant"] for m in cli["members"])
    assert list(frame.columns[:4]) == ["participant", "name", "kind", "role"]


def test_groupings_filters_and_panel(obs: Any) -> None:
    est = obs.groupings(member="Estonia", as_of="2024-01-01")
    assert "digital_nations" in set(est.id)
    ai = obs.groupings(theme="ai")
    assert all("ai" in t.split(";") for t in ai.themes)
    cy = obs.panel("country-year", 2020, 2020)
    assert set(cy.columns) >= {"country", "grouping", "year", "membership"}


def test_analyses_as_dicts(obs: Any) -> None:
    assert obs.scorecard("quad", as_of="2024-01-01")["grouping"] == "quad"
    assert obs.country("India", as_of="2024-01-01")["as_of"] == "2024-01-01"
    assert obs.network(as_of="2020-01-01")["nodes"]
    assert obs.timeline(2000, 2005)["start"] == 2000
    typ = obs.typology()
    assert {"grouping", "type", "rule_type"} <= set(typ.columns)
    assert len(obs.memberships()) >= 1000


def test_errors_are_the_library_errors(obs: Any, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        obs.members("no_such_grouping")
    with pytest.raises(BadInput):
        obs.members("quad", as_of="2024-13-01")
