"""The edits library: versions, stale edits, validation, the overlay and the sync rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from editorial_backends import editorial_backend
from minilat import dataset
from minilat.editorial import edits
from minilat.editorial.database import Conflict, EditorialDB
from minilat.errors import BadInput, NotFound

GOOD_SOURCE = "quad-fxcnews-2017-11-13"

__all__ = ["editorial_backend"]  # the fixture: the tests here on SQLite and PostgreSQL


@pytest.fixture(scope="module")
def ds() -> dataset.Dataset:
    return dataset.load()


@pytest.fixture(scope="module")
def base() -> edits.Base:
    return edits.read_base()


@pytest.fixture()
def db(editorial_location: Path | str) -> EditorialDB:
    return EditorialDB(editorial_location)


def _renamed(doc: dict[str, Any] | None, name: str) -> dict[str, Any]:
    assert doc is not None
    out = copy.deepcopy(doc)
    out["name"] = name
    return out


def test_base_reads_every_grouping_and_source(base: edits.Base, ds: dataset.Dataset) -> None:
    assert set(base.groupings) == set(ds.groupings)
    assert set(base.sources) == set(ds.sources)
    assert base.source_files[GOOD_SOURCE].name == "quad.yaml"
    # documents are plain data: dates as text, as the validator reads them
    assert base.groupings["quad"]["periods"][1]["start"] == "2017-11-12"


def test_a_record_never_edited_is_version_zero(db: EditorialDB, base: edits.Base) -> None:
    rec = edits.record(db, base, "grouping", "quad")
    assert rec.version == 0 and rec.etag.startswith("0-") and not rec.pending
    assert rec.doc == base.groupings["quad"]
    with pytest.raises(NotFound):
        edits.record(db, base, "grouping", "no-such-grouping")
    with pytest.raises(BadInput):
        edits.record(db, base, "participant", "IND")


def test_save_checks_the_version_and_writes_one_audit_record(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset
) -> None:
    rec = edits.record(db, base, "grouping", "quad")
    change, new = edits.save(
        db, base, ds, "grouping", "quad", _renamed(rec.doc, "Quad A"),
        expected=rec.etag, editor="ada", why="renamed",
    )  # fmt: skip
    assert change["action"] == "grouping.edit" and change["target"] == "grouping:quad"
    assert change["before"]["name"] == "Quadrilateral Security Dialogue"
    assert change["after"]["name"] == "Quad A"
    assert new.version == 1 and new.pending and new.doc is not None
    # a second editor who read version 0 is refused, and told the current version
    with pytest.raises(edits.StaleEdit) as stale:
        edits.save(
            db, base, ds, "grouping", "quad", _renamed(rec.doc, "Quad B"),
            expected=rec.etag, editor="bob", why="renamed too",
        )  # fmt: skip
    assert stale.value.current.etag == new.etag and stale.value.status == 409
    assert [r["editor"] for r in db.audit_records()] == ["ada"]
    assert db.record("grouping:quad")["doc"]["name"] == "Quad A"  # type: ignore[index]


def test_invalid_documents_are_refused_with_every_problem(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset
) -> None:
    rec = edits.record(db, base, "grouping", "quad")
    doc = copy.deepcopy(rec.doc)
    assert doc is not None
    doc["memberships"].append({"participant": "XXX", "role": "member", "start": "2020-13"})
    doc["themes"]["sources"] = ["no-such-source"]
    with pytest.raises(edits.EditInvalid) as bad:
        edits.save(db, base, ds, "grouping", "quad", doc, expected=rec.etag, editor="a", why="w")
    fields = {p.field for p in bad.value.problems}
    assert "themes.sources" in fields and any(f.startswith("memberships[8]") for f in fields)
    assert bad.value.status == 400
    other = _renamed(rec.doc, "x")
    other["id"] = "aukus"
    with pytest.raises(edits.EditInvalid, match="must be 'quad'"):
        edits.save(db, base, ds, "grouping", "quad", other, expected=rec.etag, editor="a", why="w")
    with pytest.raises(BadInput, match="reason"):
        edits.save(
            db, base, ds, "grouping", "quad", _renamed(rec.doc, "y"),
            expected=rec.etag, editor="a", why="  ",
        )  # fmt: skip
    with pytest.raises(BadInput, match="changes nothing"):
        edits.save(
            db, base, ds, "grouping", "quad", rec.doc, expected=rec.etag, editor="a", why="w"
        )
    assert db.audit_records() == [] and db.records() == []


def test_items_are_added_replaced_and_removed(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset
) -> None:
    rec = edits.record(db, base, "grouping", "quad")
    assert rec.doc is not None
    n = len(rec.doc["events"])
    event = {"date": "2026-12-01", "kind": "meeting", "title": "T", "sources": [GOOD_SOURCE]}
    change, rec = edits.change_item(
        db, base, ds, "quad", "events", None, event, expected=rec.etag, editor="a", why="w"
    )
    assert change["action"] == "event.add" and rec.doc is not None
    assert rec.doc["events"][-1] == event and len(rec.doc["events"]) == n + 1
    # an older event goes in date order, not at the end
    early = {**event, "date": "2021-06", "title": "Early"}
    _, rec = edits.change_item(
        db, base, ds, "quad", "events", None, early, expected=rec.etag, editor="a", why="w"
    )
    assert rec.doc is not None
    dates = [e["date"] for e in rec.doc["events"]]
    at = dates.index("2021-06")
    assert dates[at - 1] <= "2021-06" < dates[at + 1] and rec.doc["events"][at] == early
    _, rec = edits.change_item(
        db, base, ds, "quad", "events", at, None, expected=rec.etag, editor="a", why="w"
    )
    change, rec = edits.change_item(
        db, base, ds, "quad", "events", n, {**event, "title": "T2"},
        expected=rec.etag, editor="a", why="w",
    )  # fmt: skip
    assert change["action"] == "event.edit" and rec.doc["events"][n]["title"] == "T2"
    change, rec = edits.change_item(
        db, base, ds, "quad", "events", n, None, expected=rec.etag, editor="a", why="w"
    )
    assert change["action"] == "event.remove" and rec.doc == base.groupings["quad"]
    with pytest.raises(NotFound, match="no event 99"):
        edits.change_item(
            db, base, ds, "quad", "events", 99, None, expected=rec.etag, editor="a", why="w"
        )
    with pytest.raises(edits.StaleEdit):
        edits.change_item(
            db, base, ds, "quad", "memberships", None, {}, expected="0-x", editor="a", why="w"
        )
    assert rec.version == 5
    # back to the YAML's document: the record is not pending any more
    assert not rec.pending


def test_sources_can_be_created_then_cited(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset
) -> None:
    src = {"id": "new-src", "title": "T", "publisher": "P", "url": "https://e.org/a"}
    with pytest.raises(edits.EditInvalid, match="accessed"):
        edits.save(db, base, ds, "source", "new-src", src, expected="new", editor="a", why="w")
    src["accessed"] = "2026-11-28"
    change, _ = edits.save(
        db, base, ds, "source", "new-src", src, expected="new", editor="a", why="w"
    )
    assert change["action"] == "source.create" and change["before"] is None
    with pytest.raises(Conflict, match="exists already"):
        edits.save(db, base, ds, "source", "new-src", src, expected="new", editor="a", why="w")
    served, problems = edits.overlay(ds, base, db.records())
    assert problems == [] and served.sources["new-src"].title == "T"
    quad = edits.record(db, base, "grouping", "quad")
    doc = copy.deepcopy(quad.doc)
    assert doc is not None
    doc["themes"]["sources"].append("new-src")
    with pytest.raises(edits.EditInvalid, match="new-src"):  # not in the YAML's dataset
        edits.save(db, base, ds, "grouping", "quad", doc, expected=quad.etag, editor="a", why="w")
    edits.save(db, base, served, "grouping", "quad", doc, expected=quad.etag, editor="a", why="w")
    served, problems = edits.overlay(ds, base, db.records())
    assert "new-src" in served.groupings["quad"].themes.sources


def test_overlay_lays_pending_edits_over_the_yaml_only(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset
) -> None:
    rec = edits.record(db, base, "grouping", "quad")
    edits.save(
        db, base, ds, "grouping", "quad", _renamed(rec.doc, "Quad C"),
        expected=rec.etag, editor="a", why="w",
    )  # fmt: skip
    served, problems = edits.overlay(ds, base, db.records())
    assert problems == [] and served.grouping("quad").name == "Quad C"
    assert served.grouping("aukus") is ds.grouping("aukus")  # untouched ones are shared
    assert list(served.groupings) == sorted(served.groupings)


def _row(doc: Any, base_doc: Any, *, synced: bool, version: int = 2) -> dict[str, Any]:
    return {
        "target": "grouping:g",
        "version": version,
        "doc": doc,
        "doc_hash": edits.doc_hash(doc),
        "base_hash": edits.doc_hash(base_doc),
        "synced": synced,
    }


def test_which_document_is_current_before_and_after_sync() -> None:
    old, new, later = {"id": "g", "n": 1}, {"id": "g", "n": 2}, {"id": "g", "n": 3}

    def base_with(doc: Any) -> edits.Base:
        return edits.Base(Path("."), {"g": doc}, {})

    # pending: laid over the YAML
    rec = edits.current("grouping", "g", base_with(old), _row(new, old, synced=False))
    assert rec.doc == new and rec.pending and rec.laid_over
    # pending, and the YAML changed since the edit began: flagged (sync calls it a conflict)
    rec = edits.current("grouping", "g", base_with(later), _row(new, old, synced=False))
    assert rec.doc == new and rec.pending and rec.yaml_changed and rec.yaml_doc == later
    # synced, then the YAML went back (a reviewed revert): the YAML rules
    rec = edits.current("grouping", "g", base_with(old), _row(new, old, synced=True))
    assert rec.doc == old and not rec.pending and not rec.laid_over
    # the YAML holds it: nothing to lay over
    rec = edits.current("grouping", "g", base_with(new), _row(new, old, synced=True))
    assert rec.doc == new and not rec.laid_over and rec.version == 2
    # the YAML changed after the sync (a reviewed commit): the YAML wins
    rec = edits.current("grouping", "g", base_with(later), _row(new, old, synced=True))
    assert rec.doc == later and not rec.laid_over
    # a version token changes with the document even when the count does not
    assert rec.etag != edits.current("grouping", "g", base_with(new), None).etag


def test_parse_document_refuses_what_could_hurt() -> None:
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(BadInput, match="aliases"):
        dataset.parse_document(laughs)
    with pytest.raises(BadInput, match="too large"):
        dataset.parse_document("x: " + "y" * (dataset.MAX_DOCUMENT + 1))
    with pytest.raises(BadInput, match="line 3: malformed YAML"):
        dataset.parse_document("a: 1\nb: [\n")
    assert dataset.parse_document("d: 2021-03-12\nn: 3") == {"d": "2021-03-12", "n": 3}


def test_check_grouping_names_lines_of_the_text_given(ds: dataset.Dataset) -> None:
    lines = dataset.document_text(edits.read_base().groupings["quad"]).splitlines()
    assert lines[2] == "acronyms:"
    yaml_text = "\n".join([*lines[:2], "bogus_field: 1", *lines[2:]])
    g, problems = dataset.check_grouping(yaml_text, "quad", ds)
    assert g is None
    assert [(p.line, p.field) for p in problems] == [(3, "bogus_field")]
