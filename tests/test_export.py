"""The CSV and JSON exports, cell by cell (issue 18; found by mutation testing: the CLI
test checked one table's three rows, so a renamed column, a lost value or a wrong share
passed).

The expected rows are written out by hand from tests/fixtures/mini and from one more
grouping, ``gamma``, written here to reach what mini has not: an end, a legal
personality, a fixed cadence and accession, and commitments with and without a status.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from minilat import dataset, export

FIXTURES = Path(__file__).parent / "fixtures"

GAMMA = """\
id: gamma
name: Gamma Pact
periods:
  - {start: "2001-02", end: "2009", end_reason: dissolved, sources: [src-a]}
instrument: {value: treaty, sources: [src-a]}
secretariat: {value: rotating, sources: [src-a]}
legal_personality: {value: false, sources: [src-a]}
accession: {value: closed, sources: [src-a]}
cadence: {value: annual, sources: [src-a]}
website: {value: "https://example.org/gamma", sources: [src-a]}
themes: {value: [space], sources: [src-a]}
memberships:
  - {participant: USA, role: founding_member, start: "2001-02", end: "2009", sources: [src-a]}
commitments:
  - id: first-step
    text: "Build the first step, déjà vu."
    made: "2001-02"
    target: "2003"
    delivery: "A step, built."
    sources: [src-a]
    superseded_by: second-step
    status:
      - {date: "2002", status: in_progress, evidence: "Half built.", sources: [src-b]}
      - {date: "2002-06", status: in_progress, evidence: "Most built.", sources: [src-a]}
      - {date: "2003-06-01", status: superseded, evidence: "Replaced.", sources: [src-a, src-b]}
  - id: second-step
    text: "Build the second step."
    made: "2003-06-01"
    delivery: "Another step."
    sources: [src-b]
"""


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> dataset.Dataset:
    root = tmp_path_factory.mktemp("export") / "data"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "groupings" / "gamma.yaml").write_text(GAMMA, encoding="utf-8")
    return dataset.load(root)


@pytest.fixture
def written(ds: dataset.Dataset, tmp_path: Path) -> dict[str, list]:
    """The CSV files written for each test (function scope: mutation testing runs, for
    a mutant of the writer, only the tests that called it)."""
    paths = export.write_csv(ds, tmp_path / "new" / "nested")  # folders made as needed
    assert [p.name for p in paths] == [f"{t}.csv" for t in export.CSV_TABLES]
    return {p.stem: list(csv.reader(p.read_text(encoding="utf-8").splitlines())) for p in paths}


def test_groupings_csv(written: dict[str, list]) -> None:
    assert written["groupings"] == [
        [
            "id",
            "name",
            "acronyms",
            "founded",
            "founded_precision",
            "ended",
            "instrument",
            "secretariat",
            "legal_personality",
            "accession",
            "website",
            "cadence",
            "themes",
        ],
        [
            "alpha",
            "Alpha Group",
            "AG",
            "2010-05-01",
            "day",
            "",
            "joint_declaration",
            "none",
            "unknown",
            "unknown",
            "none",
            "unknown",
            "semiconductors;supply_chains",
        ],
        [
            "beta",
            "Beta Forum",
            "",
            "1999-03-15",
            "day",
            "",
            "charter",
            "permanent",
            "unknown",
            "unknown",
            "unknown",
            "unknown",
            "trade_investment;finance;ai",
        ],
        [
            "gamma",
            "Gamma Pact",
            "",
            "2001-02",
            "month",
            "2009",
            "treaty",
            "rotating",
            "false",
            "closed",
            "https://example.org/gamma",
            "annual",
            "space",
        ],
    ]


def test_memberships_csv(written: dict[str, list]) -> None:
    head, *rows = written["memberships"]
    assert head == [
        "grouping_id",
        "participant",
        "participant_name",
        "participant_kind",
        "role",
        "start",
        "end",
        "verified",
        "sources",
        "note",
    ]
    assert rows[0] == [
        "alpha",
        "USA",
        "United States",
        "state",
        "founding_member",
        "2010-05-01",
        "2012-01",
        "true",
        "src-a",
        "",
    ]
    assert rows[5] == [
        "alpha",
        "TWN",
        "Taiwan",
        "state",
        "observer",
        "2016-03-01",
        "",
        "false",
        "",
        "reported by press only",
    ]
    assert rows[6][:4] == ["alpha", "acme", "Acme Semiconductors", "company"]
    assert rows[-2][:6] == ["beta", "eu", "European Union", "supranational", "member", "2000"]
    gamma = ["gamma", "USA", "United States", "state", "founding_member", "2001-02", "2009"]
    assert rows[-1][:7] == gamma
    assert len(rows) == 15


def test_events_csv(written: dict[str, list]) -> None:
    assert written["events"] == [
        ["grouping_id", "date", "kind", "title", "verified", "sources"],
        ["alpha", "2010-05-01", "launch", "Alpha Group launched", "true", "src-a"],
    ]


def test_commitments_csv_take_the_latest_status(written: dict[str, list]) -> None:
    assert written["commitments"] == [
        [
            "grouping_id",
            "id",
            "text",
            "made",
            "target",
            "due",
            "delivery",
            "status",
            "status_date",
            "evidence",
            "sources",
            "evidence_sources",
            "superseded_by",
        ],
        [
            "gamma",
            "first-step",
            "Build the first step, déjà vu.",
            "2001-02",
            "2003",
            "2003-12-31",
            "A step, built.",
            "superseded",
            "2003-06-01",
            "Replaced.",
            "src-a",
            "src-a;src-b",
            "second-step",
        ],
        [
            "gamma",
            "second-step",
            "Build the second step.",
            "2003-06-01",
            "",
            "",
            "Another step.",
            "unknown",
            "",
            "",
            "src-b",
            "",
            "",
        ],
    ]


def test_sources_and_participants_csv(written: dict[str, list]) -> None:
    assert written["sources"] == [
        ["id", "title", "publisher", "url", "published", "accessed"],
        [
            "src-a",
            "Founding statement of the Alpha Group",
            "Ministry of Examples",
            "https://example.org/alpha",
            "2010-05-01",
            "2026-11-28",
        ],
        [
            "src-b",
            "Beta Forum charter",
            "Beta Forum",
            "https://example.org/beta",
            "",
            "2026-11-28",
        ],
    ]
    assert written["participants"] == [
        ["id", "name", "kind", "country"],
        ["eu", "European Union", "supranational", ""],
        ["acme", "Acme Semiconductors", "company", "TWN"],
    ]


def test_capabilities_csv_shares_over_the_total(written: dict[str, list]) -> None:
    head, *rows = written["capabilities"]
    assert head == [
        "table_id",
        "table_name",
        "unit",
        "measure",
        "year",
        "participant",
        "value",
        "share",
        "unverified",
        "sources",
    ]
    common = ["widgets", "Share of world widget output", "share of world output", "share", "2022"]
    assert rows == [
        [*common, "TWN", "0.4", "0.4", "false", "src-a"],
        [*common, "USA", "0.3", "0.3", "false", "src-a"],
        [*common, "region:rest_of_world", "0.3", "0.3", "false", "src-a"],
    ]


def test_a_value_table_gets_shares_rounded_to_six_places(ds: dataset.Dataset) -> None:
    from minilat.model import CapabilityRow, CapabilityTable, Measure

    table = CapabilityTable(
        id="t",
        name="T",
        unit="tonnes",
        measure=Measure.VALUE,
        year=2020,
        scope="test",
        sources=("src-a", "src-b"),
        rows=(
            CapabilityRow(participant="USA", value=1.0),
            CapabilityRow(participant="JPN", value=2.0, unverified=True),
        ),
    )
    rows = export.csv_rows(
        dataset.Dataset(ds.groupings, ds.participants, ds.sources, {"t": table})
    )["capabilities"][1]
    assert rows == [
        ["t", "T", "tonnes", "value", 2020, "USA", 1.0, 0.333333, "false", "src-a;src-b"],
        ["t", "T", "tonnes", "value", 2020, "JPN", 2.0, 0.666667, "true", "src-a;src-b"],
    ]


def test_cells_that_a_spreadsheet_would_run_are_defused(
    ds: dataset.Dataset, tmp_path: Path
) -> None:
    """The writer is minilat.csvsafe's: a cell starting with ``=`` is not a formula."""
    from minilat.model import CapabilityRow, CapabilityTable, Measure

    table = CapabilityTable(
        id="t",
        name="=HYPERLINK(1)",
        unit="u",
        measure=Measure.SHARE,
        year=0,
        scope="s",
        sources=("src-a",),
        rows=(CapabilityRow(participant="USA", value=0.5),),
    )
    export.write_csv(
        dataset.Dataset(ds.groupings, ds.participants, ds.sources, {"t": table}), tmp_path
    )
    text = (tmp_path / "capabilities.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_json_holds_every_record(ds: dataset.Dataset, tmp_path: Path) -> None:
    [path] = export.write_json(ds, tmp_path / "new" / "nested")
    assert path == tmp_path / "new" / "nested" / "minilat.json"
    text = path.read_text(encoding="utf-8")
    assert "déjà vu" in text and "\\u" not in text  # ensure_ascii=False: text stays readable
    doc = json.loads(text)
    assert doc == export.as_json(ds)
    assert list(doc) == ["groupings", "participants", "sources", "capability_tables"]
    assert [g["id"] for g in doc["groupings"]] == ["alpha", "beta", "gamma"]
    assert [p["id"] for p in doc["participants"]] == ["eu", "acme"]
    assert [s["id"] for s in doc["sources"]] == ["src-a", "src-b"]
    assert [t["id"] for t in doc["capability_tables"]] == ["widgets"]
    assert doc["groupings"][2]["commitments"][0]["status"][2]["status"] == "superseded"
    assert text.startswith('{\n "groupings": [\n  {')  # indent=1


def test_a_value_table_adding_up_to_zero_exports_no_share(ds: dataset.Dataset) -> None:
    """The model lets an all-zero value table exist (the CSV reader refuses one): its rows
    export with an empty share, never a division by zero."""
    from minilat.model import CapabilityRow, CapabilityTable, Measure

    table = CapabilityTable(
        id="z",
        name="Z",
        unit="t",
        measure=Measure.VALUE,
        year=2020,
        scope="s",
        sources=("src-a",),
        rows=(CapabilityRow(participant="USA", value=0.0),),
    )
    rows = export.csv_rows(
        dataset.Dataset(ds.groupings, ds.participants, ds.sources, {"z": table})
    )["capabilities"][1]
    assert rows == [["z", "Z", "t", "value", 2020, "USA", 0.0, "", "false", "src-a"]]
