from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from minilat.dataset import load
from minilat.errors import DatasetInvalid
from minilat.store import build, open_store


def test_build_and_query(mini_dir: Path, db_path: Path) -> None:
    store = open_store(db_path, mini_dir)
    assert store.grouping_ids() == ["beta", "alpha"]  # by founding date
    assert store.grouping_ids(member="EST") == ["beta"]
    assert store.grouping_ids(theme="semiconductors") == ["alpha"]
    assert store.grouping_ids(as_of=dt.date(2013, 1, 1)) == ["beta"]  # alpha dormant
    assert store.grouping_ids(member="RUS", as_of=dt.date(2015, 1, 1)) == []
    assert store.grouping_ids(member="RUS", as_of=dt.date(2010, 1, 1)) == ["beta"]
    assert store.grouping_ids(query="alpha format") == ["alpha"]
    assert store.grouping_ids(query="%") == []  # LIKE wildcards are escaped
    rows = store.member_rows("alpha", dt.date(2011, 1, 1))
    assert [r["participant_id"] for r in rows] == ["JPN", "USA"]


def test_dataset_round_trips_through_the_store(mini_dir: Path, db_path: Path) -> None:
    ds = load(mini_dir)
    stored = open_store(db_path, mini_dir).dataset()
    assert stored.groupings == ds.groupings
    assert stored.sources == ds.sources
    assert stored.capabilities == ds.capabilities


def test_rebuilds_when_the_data_changes(mini_dir: Path, db_path: Path) -> None:
    open_store(db_path, mini_dir).close()
    path = mini_dir / "groupings/beta.yaml"
    path.write_text(path.read_text().replace("name: Beta Forum", "name: Beta Forum Renamed"))
    assert open_store(db_path, mini_dir).dataset().grouping("beta").name == "Beta Forum Renamed"


def test_failed_build_leaves_previous_store_intact(mini_dir: Path, db_path: Path) -> None:
    open_store(db_path, mini_dir).close()
    before = db_path.read_bytes()
    (mini_dir / "groupings/beta.yaml").write_text("id: beta\nname: [broken\n")
    with pytest.raises(DatasetInvalid):
        open_store(db_path, mini_dir)
    assert db_path.read_bytes() == before
    assert not [p for p in db_path.parent.iterdir() if p.name.startswith(".minilat-build-")]


def test_build_is_atomic_when_writing_fails(mini_dir: Path, tmp_path: Path, monkeypatch) -> None:
    ds = load(mini_dir)
    target = tmp_path / "s.db"
    build(ds, target)
    before = target.read_bytes()

    def boom(*a: object, **k: object) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr("minilat.store._insert_grouping", boom)
    with pytest.raises(sqlite3.OperationalError):
        build(ds, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "s.db"]


def test_store_is_opened_read_only(mini_dir: Path, db_path: Path) -> None:
    store = open_store(db_path, mini_dir)
    with pytest.raises(sqlite3.OperationalError):
        store._con.execute("DELETE FROM groupings")


def test_recent_events_newest_first_then_by_grouping(mini_dir: Path, db_path: Path) -> None:
    """Found by mutation testing: nothing read the store's recent events but the home page."""
    beta = mini_dir / "groupings" / "beta.yaml"
    beta.write_text(
        beta.read_text()
        + "events:\n"
        + '  - {date: "2010-05-01", kind: summit, title: "Beta summit", sources: [src-b]}\n'
        + '  - {date: "2014-03", kind: suspension, title: "Russia suspended", sources: [src-b]}\n'
    )
    store = open_store(db_path, mini_dir)
    rows = store.recent_events()
    assert [(r["grouping_id"], r["date"], r["day"], r["title"]) for r in rows] == [
        ("beta", "2014-03", "2014-03-01", "Russia suspended"),
        ("alpha", "2010-05-01", "2010-05-01", "Alpha Group launched"),
        ("beta", "2010-05-01", "2010-05-01", "Beta summit"),
    ]
    assert rows[0]["kind"] == "suspension" and rows[0]["sources"] == '["src-b"]'
    assert [r["title"] for r in store.recent_events(limit=1)] == ["Russia suspended"]
    assert store.recent_events(limit=0) == []


def test_recent_events_are_twenty_unless_asked(mini_dir: Path, db_path: Path) -> None:
    beta = mini_dir / "groupings" / "beta.yaml"
    beta.write_text(
        beta.read_text()
        + "events:\n"
        + "".join(
            f'  - {{date: "{2000 + i}", kind: summit, title: "S{i}", sources: [src-b]}}\n'
            for i in range(25)
        )
    )
    store = open_store(db_path, mini_dir)
    rows = store.recent_events()
    assert [r["title"] for r in rows] == [
        *(f"S{i}" for i in range(24, 10, -1)),
        "Alpha Group launched",  # 2010-05-01, after S10's 2010 (its first day)
        *(f"S{i}" for i in range(10, 5, -1)),
    ]
    assert len(store.recent_events(limit=30)) == 26  # and alpha's launch


def test_name_queries_match_wildcards_literally_and_combine(mini_dir: Path, db_path: Path) -> None:
    """Found by mutation testing: ``%``, ``_`` and ``\\`` in a query match themselves, and a
    query combines with the other filters."""
    alpha = mini_dir / "groupings" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text().replace(
            "aliases: [The Alpha Format]",
            'aliases: [The Alpha Format, "Alpha_Net", "100% Alpha", "A\\\\B Forum"]',
        )
    )
    store = open_store(db_path, mini_dir)
    assert store.grouping_ids(query="a_n") == ["alpha"]
    assert store.grouping_ids(query="l_h") == []  # "_" is not "any character"
    assert store.grouping_ids(query="0% a") == ["alpha"]
    assert store.grouping_ids(query="a\\b") == ["alpha"]
    assert store.grouping_ids(query="\\") == ["alpha"]
    assert store.grouping_ids(theme="semiconductors", query="alpha") == ["alpha"]
    assert store.grouping_ids(theme="finance", query="alpha") == []
    assert store.grouping_ids(member="USA", as_of=dt.date(2016, 1, 1), query="beta") == ["beta"]


def test_a_name_query_finds_a_grouping_by_each_of_its_names(mini_dir: Path, db_path: Path) -> None:
    """Found by mutation testing: ``query`` matches the name, every acronym, every alias
    and every former name (``grouping_ids``' docstring), each on its own; a lost ``+=``
    dropped the others and nothing noticed."""
    alpha = mini_dir / "groupings" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text()
        .replace("acronyms: [AG]", "acronyms: [XQZ, YQZ]")
        .replace("aliases: [The Alpha Format]", "aliases: [Wombat Format, Quokka Format]")
        + "name_history:\n"
        + '  - {name: "Old Koala Club", start: "2010-05-01", end: "2011", sources: [src-a]}\n'
    )
    store = open_store(db_path, mini_dir)
    for word in ("group", "xqz", "yqz", "wombat", "quokka", "koala"):
        assert store.grouping_ids(query=word) == ["alpha"], word


def test_store_rows_say_what_their_columns_name(mini_dir: Path, db_path: Path) -> None:
    """Found by mutation testing: the columns no query of ``Store`` reads (a grouping's
    name, dates, facts; the kind of each name) are the record's, for anyone reading
    minilat.db directly. Beta's one period has no end; alpha's last one neither, so an
    end is given to beta here: ended "2020-06", its first day 2020-06-01."""
    beta = mini_dir / "groupings" / "beta.yaml"
    beta.write_text(
        beta.read_text().replace(
            '  - start: "1999-03-15"\n    sources: [src-b]',
            '  - start: "1999-03-15"\n    end: "2020-06"\n    sources: [src-b]',
        )
    )
    alpha = mini_dir / "groupings" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text()
        + "name_history:\n"
        + '  - {name: "Old Alpha", start: "2010-05-01", end: "2011", sources: [src-a]}\n'
    )
    open_store(db_path, mini_dir).close()
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute(
            "SELECT id, name, founded, founded_day, ended, ended_day, instrument, secretariat,"
            " website, cadence FROM groupings ORDER BY id"
        ).fetchall()
        names = con.execute(
            "SELECT name, kind FROM grouping_names WHERE grouping_id = 'alpha' ORDER BY kind"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        (
            "alpha",
            "Alpha Group",
            "2010-05-01",
            "2010-05-01",
            None,
            None,
            "joint_declaration",
            "none",
            "none",
            "unknown",
        ),
        (
            "beta",
            "Beta Forum",
            "1999-03-15",
            "1999-03-15",
            "2020-06",
            "2020-06-01",
            "charter",
            "permanent",
            "unknown",
            "unknown",
        ),
    ]
    assert names == [
        ("AG", "acronym"),
        ("The Alpha Format", "alias"),
        ("Old Alpha", "former"),
        ("Alpha Group", "name"),
    ]


def test_member_rows_carry_the_whole_membership(mini_dir: Path, db_path: Path) -> None:
    """Found by mutation testing: every column of a membership row, for a founding member
    with an end ("2012-01", first day 2012-01-01) and an unverified observer with a note."""
    store = open_store(db_path, mini_dir)
    usa = next(
        r for r in store.member_rows("alpha", dt.date(2011, 1, 1)) if r["participant_id"] == "USA"
    )
    assert {k: v for k, v in usa.items() if k != "id"} == {
        "grouping_id": "alpha",
        "participant_id": "USA",
        "role": "founding_member",
        "active": 1,
        "start": "2010-05-01",
        "start_day": "2010-05-01",
        "end": "2012-01",
        "end_day": "2012-01-01",
        "verified": 1,
        "sources": '["src-a"]',
        "note": None,
    }
    twn = next(
        r for r in store.member_rows("alpha", dt.date(2017, 1, 1)) if r["participant_id"] == "TWN"
    )
    assert (twn["role"], twn["verified"], twn["sources"], twn["note"]) == (
        "observer",
        0,
        "[]",
        "reported by press only",
    )
