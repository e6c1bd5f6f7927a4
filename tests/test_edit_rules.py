"""The rules of editors' edits, each with its exact answer: version tokens, which document
is current, the reason and the size limits, where an added event goes, what a refused
edit says, the overlay's problems and what an audit line says. Found by mutation testing
(docs/testing.md): the older tests ran the happy paths on the bundled dataset and read a
word of each message. Everything here runs on the small fixture dataset and a SQLite
editorial database (a fresh one per test: the fixtures that call the code under mutation
are function-scoped)."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest

from minilat import dataset
from minilat.editorial import edits
from minilat.editorial.database import Conflict, EditorialDB
from minilat.errors import BadInput, NotFound, Problem

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def ds() -> dataset.Dataset:
    return dataset.load(FIXTURE)


@pytest.fixture()
def base() -> edits.Base:
    return edits.read_base(FIXTURE)


@pytest.fixture()
def db(tmp_path: Path) -> EditorialDB:
    return EditorialDB(tmp_path / "editorial.db")


def _save(
    db: EditorialDB, base: edits.Base, ds: dataset.Dataset, doc: Any, expected: str, **kw: Any
) -> tuple[dict[str, Any], edits.Record]:
    kind = kw.pop("kind", "grouping")
    return edits.save(
        db, base, ds, kind, doc["id"], doc, expected=expected,
        editor=kw.pop("editor", "ada"), why=kw.pop("why", "a reason"), **kw,
    )  # fmt: skip


def _renamed(doc: dict[str, Any] | None, name: str) -> dict[str, Any]:
    assert doc is not None
    out = copy.deepcopy(doc)
    out["name"] = name
    return out


# ----------------------------------------------------------------- hashes and versions


def test_doc_hash_is_the_sha256_of_canonical_json() -> None:
    doc = {"b": "é", "a": [1, None]}
    canonical = '{"a":[1,null],"b":"é"}'
    assert edits.doc_hash(doc) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert edits.doc_hash(None) == ""
    assert edits.doc_hash({}) == hashlib.sha256(b"{}").hexdigest()


def test_a_version_token_is_the_count_and_twelve_hex_digits_of_the_hash() -> None:
    doc = {"id": "g"}
    rec = edits.Record("grouping", "g", 3, doc)
    assert rec.etag == f"3-{edits.doc_hash(doc)[:12]}"
    assert edits.Record("grouping", "g", 0, None).etag == "new"
    assert rec.target == "grouping:g"


def test_a_record_as_the_api_answers_it() -> None:
    rec = edits.Record("source", "s", 2, {"id": "s", "title": "T"})
    assert rec.as_dict() == {
        "kind": "source",
        "id": "s",
        "version": rec.etag,
        "edits": 2,
        "pending_sync": False,
        "yaml_changed": False,
        "yaml_diff": None,
        "document": {"id": "s", "title": "T"},
        "yaml": "id: s\ntitle: T\n",
    }
    assert edits.Record("source", "s", 0, None).as_dict()["yaml"] is None
    changed = edits.Record(
        "source", "s", 2, {"id": "s", "title": "T"}, pending=True, laid_over=True,
        yaml_changed=True, yaml_doc={"id": "s", "title": "Old"},
    )  # fmt: skip
    out = changed.as_dict()
    assert out["pending_sync"] is True and out["yaml_changed"] is True
    assert out["yaml_diff"] == (
        "--- s (before)\n+++ s (after)\n@@ -1,2 +1,2 @@\n id: s\n-title: Old\n+title: T\n"
    )


# ------------------------------------------------------------------- the YAML base


def test_the_base_holds_each_folder_document_as_plain_data(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "groupings").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "groupings/one.yml").write_text("id: uno\nname: One\nstart: 2020-01-02\n")
    (root / "groupings/two.yaml").write_text("name: Two\n")  # no id: the file's name
    (root / "groupings/list.yaml").write_text("- not a grouping\n")
    (root / "groupings/empty.yaml").write_text("")
    (root / "sources/a.yaml").write_text("- {id: s1, title: A}\n- {title: no id}\n- text\n")
    (root / "sources/b.yml").write_text("- {id: s2, title: B}\n")
    (root / "sources/empty.yaml").write_text("")
    base = edits.read_base(root)
    assert base.root == root
    assert base.groupings == {
        "uno": {"id": "uno", "name": "One", "start": "2020-01-02"},
        "two": {"name": "Two"},
    }
    assert base.sources == {"s1": {"id": "s1", "title": "A"}, "s2": {"id": "s2", "title": "B"}}
    assert base.source_files == {"s1": root / "sources/a.yaml", "s2": root / "sources/b.yml"}
    assert base.doc("grouping", "uno") == base.groupings["uno"]
    assert base.doc("source", "s2") == base.sources["s2"]
    assert base.doc("source", "uno") is None
    assert base.doc("grouping", "s1") is None


def test_the_base_defaults_to_the_bundled_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "bundled_data_dir", lambda: FIXTURE)  # small and quick
    base = edits.read_base()
    assert base.root == FIXTURE
    assert sorted(base.groupings) == ["alpha", "beta"]


# ------------------------------------------------------------- which record is current


def test_a_record_never_edited_is_the_yaml_at_version_zero(
    db: EditorialDB, base: edits.Base
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    assert (rec.kind, rec.id, rec.version, rec.pending, rec.laid_over) == (
        "grouping", "alpha", 0, False, False,
    )  # fmt: skip
    assert rec.doc == base.groupings["alpha"]
    assert rec.etag == f"0-{edits.doc_hash(base.groupings['alpha'])[:12]}"
    with pytest.raises(NotFound) as e:
        edits.record(db, base, "source", "nope")
    assert e.value.message == "no source 'nope'"
    assert e.value.hint == "an editor can create it with a PUT of its source document"


def test_only_groupings_and_sources_are_records(db: EditorialDB, base: edits.Base) -> None:
    with pytest.raises(BadInput) as e:
        edits.record(db, base, "participant", "acme")
    assert e.value.message == "unknown kind of record 'participant'"
    assert e.value.hint == "grouping or source"
    assert edits.KINDS == ("grouping", "source")


def test_records_of_every_stored_row(db: EditorialDB, base: edits.Base, ds: Any) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    _save(db, base, ds, _renamed(rec.doc, "Alpha Renamed"), rec.etag)
    src = {**base.sources["src-a"], "title": "Retitled"}
    _save(db, base, ds, src, edits.record(db, base, "source", "src-a").etag, kind="source")
    [g, s] = edits.records_of(base, db.records())
    assert (g.kind, g.id, g.version, g.pending) == ("grouping", "alpha", 1, True)
    assert g.doc is not None and g.doc["name"] == "Alpha Renamed"
    assert (s.kind, s.id, s.version) == ("source", "src-a", 1)
    assert s.doc is not None and s.doc["title"] == "Retitled"


def test_a_pending_edit_over_unchanged_yaml_is_not_flagged() -> None:
    old, new = {"id": "g", "n": 1}, {"id": "g", "n": 2}
    base = edits.Base(Path("."), {"g": old}, {})
    row = {
        "version": "4",
        "doc": new,
        "doc_hash": edits.doc_hash(new),
        "base_hash": edits.doc_hash(old),
        "synced": False,
    }
    rec = edits.current("grouping", "g", base, row)
    assert rec == edits.Record(
        "grouping", "g", 4, new, pending=True, laid_over=True, yaml_changed=False, yaml_doc=old
    )
    synced = edits.current("grouping", "g", edits.Base(Path("."), {"g": new}, {}), row)
    assert synced == edits.Record("grouping", "g", 4, new)


# ------------------------------------------------------------------------ saving


def test_a_saved_edit_writes_its_record_and_audit(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    doc = _renamed(rec.doc, "Alpha Renamed")
    audit, new = _save(db, base, ds, doc, rec.etag, editor="bob", why="  the charter says so  ")
    assert {k: audit[k] for k in ("editor", "action", "target", "before", "after", "why")} == {
        "editor": "bob",
        "action": "grouping.edit",
        "target": "grouping:alpha",
        "before": rec.doc,
        "after": doc,
        "why": "the charter says so",
    }
    assert new == edits.Record(
        "grouping", "alpha", 1, doc, pending=True, laid_over=True, yaml_doc=rec.doc
    )
    stored = db.record("grouping:alpha")
    assert stored is not None
    assert (stored["version"], stored["doc"], stored["synced"]) == (1, doc, False)
    assert stored["doc_hash"] == edits.doc_hash(doc)
    assert stored["base_hash"] == edits.doc_hash(base.groupings["alpha"])


def test_a_second_pending_edit_keeps_the_yaml_it_started_from(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    _, rec = _save(db, base, ds, _renamed(rec.doc, "One"), rec.etag)
    _, rec = _save(db, base, ds, _renamed(rec.doc, "Two"), rec.etag)
    stored = db.record("grouping:alpha")
    assert stored is not None and stored["version"] == 2
    assert stored["base_hash"] == edits.doc_hash(base.groupings["alpha"])


def test_saving_over_a_changed_yaml_starts_from_the_yaml_now(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    """The editor saw the YAML change (``yaml_changed``) and merged it: from then on the
    record's base is that YAML, and the flag is gone."""
    rec = edits.record(db, base, "grouping", "alpha")
    _, rec = _save(db, base, ds, _renamed(rec.doc, "One"), rec.etag)
    yaml_now = _renamed(base.groupings["alpha"], "Reviewed")
    later = edits.Base(base.root, {**base.groupings, "alpha": yaml_now}, base.sources)
    rec = edits.record(db, later, "grouping", "alpha")
    assert rec.yaml_changed and rec.pending
    _, rec = _save(db, later, ds, _renamed(rec.doc, "Merged"), rec.etag)
    stored = db.record("grouping:alpha")
    assert stored is not None and stored["base_hash"] == edits.doc_hash(yaml_now)
    assert rec.pending and not rec.yaml_changed


def test_creating_a_source_that_exists_names_its_version(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    src = {**base.sources["src-a"], "title": "Retitled"}
    etag = edits.record(db, base, "source", "src-a").etag
    with pytest.raises(Conflict) as e:
        _save(db, base, ds, src, "new", kind="source")
    assert e.value.message == "source 'src-a' exists already"
    assert e.value.hint == f"GET it and send its version to change it ({etag})"
    assert not isinstance(e.value, edits.StaleEdit)
    new = {**src, "id": "src-new"}
    audit, rec = _save(db, base, ds, new, "new", kind="source", action="source.import")
    assert audit["action"] == "source.import" and audit["before"] is None
    assert rec.version == 1 and rec.etag == f"1-{edits.doc_hash(new)[:12]}"


def test_a_stale_edit_says_the_version_now(db: EditorialDB, base: edits.Base, ds: Any) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    _, now = _save(db, base, ds, _renamed(rec.doc, "One"), rec.etag)
    with pytest.raises(edits.StaleEdit) as e:
        _save(db, base, ds, _renamed(rec.doc, "Two"), rec.etag)
    assert e.value.current == now
    assert (
        e.value.message == f"grouping 'alpha' was changed meanwhile: it is now version {now.etag}"
    )
    assert e.value.hint == "merge your change into the current version (given) and send it again"
    assert e.value.status == 409


def test_an_edit_that_changes_nothing_is_refused(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    with pytest.raises(BadInput) as e:
        _save(db, base, ds, copy.deepcopy(rec.doc), rec.etag)
    assert e.value.message == "the edit changes nothing in grouping 'alpha'"
    assert db.records() == [] and db.audit_records() == []


@pytest.mark.parametrize("why", [None, "", "   ", 7, ["a reason"]])
def test_a_reason_is_required(why: Any, db: EditorialDB, base: edits.Base, ds: Any) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    with pytest.raises(BadInput) as e:
        _save(db, base, ds, _renamed(rec.doc, "X"), rec.etag, why=why)
    assert e.value.message == "a reason is required"
    assert e.value.hint == "say why, in a sentence, with its source"


def test_a_reason_of_the_longest_length_and_one_more(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    with pytest.raises(BadInput) as e:
        _save(db, base, ds, _renamed(rec.doc, "X"), rec.etag, why="w" * (edits.MAX_WHY + 1))
    assert e.value.message == "the reason is too long: at most 2000 characters"
    audit, _ = _save(db, base, ds, _renamed(rec.doc, "X"), rec.etag, why="w" * edits.MAX_WHY)
    assert audit["why"] == "w" * 2000
    with pytest.raises(BadInput) as e:
        _save(db, base, ds, _renamed(rec.doc, "Y"), rec.etag, why="bad\x07")
    assert e.value.message == "why: control character U+0007 is not allowed in text"


# --------------------------------------------------------------- checking a document


def test_a_document_must_be_a_mapping(ds: Any) -> None:
    with pytest.raises(BadInput) as e:
        edits.check("source", "s", ["id", "s"], ds)
    assert e.value.message == "a source document must be a mapping (a JSON object)"


def test_a_list_of_the_most_items_and_one_more(ds: Any) -> None:
    doc = {"id": "g", "events": [{}] * edits.MAX_ITEMS}
    with pytest.raises(edits.EditInvalid):  # long enough, and still checked
        edits.check("grouping", "g", doc, ds)
    doc["events"] = [{}] * (edits.MAX_ITEMS + 1)
    with pytest.raises(BadInput) as e:
        edits.check("grouping", "g", doc, ds)
    assert e.value.message == (
        "a list of 1001 items is longer than any grouping needs (at most 1000)"
    )
    assert not isinstance(e.value, edits.EditInvalid)


def test_the_id_must_be_the_record_s(ds: Any) -> None:
    with pytest.raises(edits.EditInvalid) as e:
        edits.check("grouping", "alpha", {"id": "beta"}, ds)
    assert e.value.problems == [
        Problem("(document)", 1, "id", "must be 'alpha' (the grouping being edited)")
    ]
    assert (
        e.value.message
        == "the grouping document does not validate: id: must be 'alpha' (the grouping being edited)"
    )
    assert e.value.hint == "fix each problem named and send it again"


def test_a_valid_document_gives_its_model(base: edits.Base, ds: Any) -> None:
    g = edits.check("grouping", "alpha", base.groupings["alpha"], ds)
    assert g == ds.groupings["alpha"]
    s = edits.check("source", "src-a", base.sources["src-a"], ds)
    assert s == ds.sources["src-a"]
    with pytest.raises(edits.EditInvalid) as e:
        edits.check("source", "src-a", {"id": "src-a"}, ds)
    assert e.value.message.startswith("the source document does not validate: ")


def test_an_invalid_edit_names_five_problems_and_counts_the_rest() -> None:
    problems = [Problem("f", i, f"field{i}", f"wrong {i}") for i in range(7)]
    err = edits.EditInvalid("the grouping document", problems)
    assert err.problems == problems
    assert err.message == (
        "the grouping document does not validate: field0: wrong 0; field1: wrong 1;"
        " field2: wrong 2; field3: wrong 3; field4: wrong 4 (and 2 more)"
    )
    five = edits.EditInvalid("x", problems[:5])
    assert five.message == (
        "x does not validate: field0: wrong 0; field1: wrong 1; field2: wrong 2;"
        " field3: wrong 3; field4: wrong 4"
    )
    six = edits.EditInvalid("x", problems[:6])
    assert six.message.endswith("field4: wrong 4 (and 1 more)")
    assert err.status == 400


# ------------------------------------------------------------- one item at a time


def _event(date: str, title: str = "T") -> dict[str, Any]:
    return {"date": date, "kind": "meeting", "title": title, "sources": ["src-a"]}


def test_a_new_event_goes_after_the_events_of_its_day_or_before(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    assert rec.doc is not None
    assert [e["date"] for e in rec.doc["events"]] == ["2010-05-01"]
    for date, title in [
        ("2012", "b"), ("2010-05-01", "a2"), ("2009", "first"), ("2012-01-01", "b2"),
        ("2011-06", "mid"),
    ]:  # fmt: skip
        audit, rec = edits.change_item(
            db, base, ds, "alpha", "events", None, _event(date, title),
            expected=rec.etag, editor="ada", why="w",
        )  # fmt: skip
        assert audit["action"] == "event.add"
    assert rec.doc is not None
    assert [e["title"] for e in rec.doc["events"]] == [
        "first", "Alpha Group launched", "a2", "mid", "b", "b2",
    ]  # fmt: skip


def test_an_event_whose_date_cannot_be_read_goes_last() -> None:
    events: list[Any] = [{"date": "2010"}, "not an event", {"date": "bad"}, {"date": "2020"}]
    assert edits._position(events, {"date": "2015"}) == 3
    assert edits._position(events, {"date": "2030"}) == 4
    assert edits._position(events, {"date": "2000"}) == 0
    assert edits._position(events, {"date": "soon"}) == 4
    assert edits._position(events, {}) == 4
    assert edits._position([], {"date": "2015"}) == 0


def test_a_membership_is_added_at_the_end(db: EditorialDB, base: edits.Base, ds: Any) -> None:
    rec = edits.record(db, base, "grouping", "alpha")
    assert rec.doc is not None
    n = len(rec.doc["memberships"])
    m = {"participant": "IND", "role": "member", "start": "2011", "sources": ["src-a"]}
    audit, rec = edits.change_item(
        db, base, ds, "alpha", "memberships", None, m, expected=rec.etag, editor="a", why="w"
    )
    assert audit["action"] == "membership.add"
    assert rec.doc is not None and rec.doc["memberships"][n] == m
    audit, rec = edits.change_item(
        db, base, ds, "alpha", "memberships", n, {**m, "role": "observer"},
        expected=rec.etag, editor="a", why="w",
    )  # fmt: skip
    assert audit["action"] == "membership.edit"
    assert rec.doc is not None and rec.doc["memberships"][n]["role"] == "observer"
    audit, rec = edits.change_item(
        db, base, ds, "alpha", "memberships", 0, None, expected=rec.etag, editor="a", why="w"
    )
    assert audit["action"] == "membership.remove"
    assert rec.doc is not None and len(rec.doc["memberships"]) == n
    assert rec.doc["memberships"][0] == base.groupings["alpha"]["memberships"][1]


def test_a_membership_with_a_date_is_still_added_at_the_end(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    """Only events are placed by their date; a membership carrying one (a field it does
    not have) goes at the end like any other, and is refused there."""
    rec = edits.record(db, base, "grouping", "alpha")
    m = {"participant": "IND", "role": "member", "start": "2011", "date": "2000"}
    with pytest.raises(edits.EditInvalid) as e:
        edits.change_item(
            db, base, ds, "alpha", "memberships", None, m, expected=rec.etag, editor="a", why="w"
        )
    assert [p.field for p in e.value.problems] == ["memberships[7].date"]


def test_an_item_change_is_refused_with_a_useful_message(
    db: EditorialDB, base: edits.Base, ds: Any
) -> None:
    rec = edits.record(db, base, "grouping", "alpha")

    def change(field: str, index: int | None, item: Any, expected: str = rec.etag) -> None:
        edits.change_item(
            db, base, ds, "alpha", field, index, item, expected=expected, editor="a", why="w"
        )

    with pytest.raises(BadInput) as e:
        change("periods", None, {})
    assert (e.value.message, e.value.hint) == ("unknown list 'periods'", "memberships or events")
    with pytest.raises(NotFound) as nf:
        change("events", 1, None)
    assert nf.value.message == "grouping 'alpha' has no event 1"
    assert nf.value.hint == "its events are numbered 0 to 0"
    with pytest.raises(NotFound) as nf:
        change("memberships", -1, None)
    assert nf.value.message == "grouping 'alpha' has no membership -1"
    assert nf.value.hint == "its memberships are numbered 0 to 6"
    with pytest.raises(BadInput) as e:
        change("events", None, None)
    assert e.value.message == "send the event to add"
    with pytest.raises(BadInput) as e:
        change("memberships", 0, ["USA"])
    assert e.value.message == "a membership must be a mapping (a JSON object)"
    with pytest.raises(edits.StaleEdit) as st:
        change("events", 0, None, expected="0-000000000000")
    assert st.value.current == rec
    with pytest.raises(NotFound):
        edits.change_item(
            db, base, ds, "nope", "events", None, {}, expected="new", editor="a", why="w"
        )
    assert db.records() == []


def test_a_grouping_without_events_says_so(db: EditorialDB, base: edits.Base, ds: Any) -> None:
    rec = edits.record(db, base, "grouping", "beta")
    assert rec.doc is not None and "events" not in rec.doc
    with pytest.raises(NotFound) as nf:
        edits.change_item(
            db, base, ds, "beta", "events", 0, None, expected=rec.etag, editor="a", why="w"
        )
    assert nf.value.message == "grouping 'beta' has no event 0"
    assert nf.value.hint == "it has no events"
    _, rec = edits.change_item(
        db, base, ds, "beta", "events", None, {**_event("2001"), "sources": ["src-b"]},
        expected=rec.etag, editor="a", why="w",
    )  # fmt: skip
    assert rec.doc is not None and len(rec.doc["events"]) == 1


# --------------------------------------------------------------------- the overlay


def _pending(doc: Any, base_doc: Any, target: str) -> dict[str, Any]:
    return {
        "target": target,
        "version": 1,
        "doc": doc,
        "doc_hash": edits.doc_hash(doc),
        "base_hash": edits.doc_hash(base_doc),
        "synced": False,
    }


def test_nothing_to_lay_over_serves_the_dataset_itself(base: edits.Base, ds: Any) -> None:
    assert edits.overlay(ds, base, []) == (ds, [])
    same = _pending(base.groupings["alpha"], base.groupings["alpha"], "grouping:alpha")
    served, problems = edits.overlay(ds, base, [same])
    assert served is ds and problems == []


def test_stored_edits_that_no_longer_validate_are_named(base: edits.Base, ds: Any) -> None:
    # four problems each: three are named
    bad_source = {"id": "src-a", "title": "T", "colour": "blue"}
    bad_grouping = {**base.groupings["beta"], "name": "", "colour": 1, "size": 2, "shape": 3}
    rows = [
        _pending(bad_grouping, base.groupings["beta"], "grouping:beta"),
        _pending(bad_source, base.sources["src-a"], "source:src-a"),
    ]
    served, problems = edits.overlay(ds, base, rows)
    assert served.sources == ds.sources and served.groupings == ds.groupings
    assert len(problems) == 2
    # the first three of the checker's problems, one line for the record
    _, found = dataset.check_source(bad_source, "src-a")
    assert len(found) == 4
    assert problems[0] == "source:src-a: " + "; ".join(str(p) for p in found[:3])
    assert problems[0].startswith("source:src-a: sources/src-a:1: ")
    _, found = dataset.check_grouping(bad_grouping, "beta", ds)
    assert len(found) == 4
    assert problems[1] == "grouping:beta: " + "; ".join(str(p) for p in found[:3])
    assert problems[1].startswith("grouping:beta: groupings/beta.yaml:2: name: ")


def test_a_laid_source_is_citable_by_a_laid_grouping(base: edits.Base, ds: Any) -> None:
    src = {**base.sources["src-b"], "id": "src-new", "title": "New"}
    g = copy.deepcopy(base.groupings["alpha"])
    g["name"] = "Alpha Laid"
    g["website"]["sources"] = ["src-new"]
    rows = [
        _pending(g, base.groupings["alpha"], "grouping:alpha"),
        _pending(src, None, "source:src-new"),
    ]
    served, problems = edits.overlay(ds, base, rows)
    assert problems == []
    assert served.sources["src-new"].title == "New"
    assert served.groupings["alpha"].name == "Alpha Laid"
    assert served.groupings["beta"] is ds.groupings["beta"]
    assert list(served.groupings) == ["alpha", "beta"]
    assert served.participants is ds.participants
    assert served.capabilities is ds.capabilities and served.indicators is ds.indicators


def test_the_overlay_remembers_valid_checks_only_while_they_are_used(
    base: edits.Base, ds: Any
) -> None:
    good = _renamed(base.groupings["alpha"], "Alpha Laid")
    bad = {**base.groupings["beta"], "name": ""}
    rows = [
        _pending(good, base.groupings["alpha"], "grouping:alpha"),
        _pending(bad, base.groupings["beta"], "grouping:beta"),
    ]
    checked: dict[tuple[str, str], Any] = {}
    first, _ = edits.overlay(ds, base, rows, checked)
    assert list(checked) == [("grouping:alpha", edits.doc_hash(good))]
    model, problems = checked[("grouping:alpha", edits.doc_hash(good))]
    assert model is first.groupings["alpha"] and problems == []
    again, _ = edits.overlay(ds, base, rows, checked)
    assert again.groupings["alpha"] is first.groupings["alpha"]  # not checked again
    edits.overlay(ds, base, rows[1:], checked)
    assert checked == {}  # alpha is no longer laid over: forgotten


# ------------------------------------------------------------------ what a change did


def test_a_diff_of_two_documents() -> None:
    assert edits.diff({"a": 1}, {"a": 1}, "x") == ""
    assert (
        edits.diff(None, {"id": "s"}, "s")
        == "--- s (before)\n+++ s (after)\n@@ -0,0 +1 @@\n+id: s\n"
    )
    assert (
        edits.diff({"id": "s"}, None, "s")
        == "--- s (before)\n+++ s (after)\n@@ -1 +0,0 @@\n-id: s\n"
    )
    before = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}
    out = edits.diff(before, {**before, "f": 7}, "g")
    assert out == "--- g (before)\n+++ g (after)\n@@ -4,3 +4,3 @@\n d: 4\n e: 5\n-f: 6\n+f: 7\n"


def test_an_audit_line_says_what_changed() -> None:
    assert edits.summary(None, None, "dataset.sync") == "written to the YAML files"
    assert edits.summary(None, {"id": "x"}, "grouping.create") == "grouping created"
    assert edits.summary({"id": "x"}, None, "grouping.remove") == "grouping removed"
    assert edits.summary({"a": 1}, {"a": 1}, "grouping.edit") == "grouping edited"
    assert edits.summary({"a": 1}, {"a": 1}, "source.import") == "source import"
    assert (
        edits.summary(
            {"id": "x", "name": "A", "gone": 1}, {"id": "x", "name": "B", "new": 2}, "grouping.edit"
        )
        == "grouping edited: name, gone, new"
    )


def test_an_item_line_names_the_item() -> None:
    m = {"participant": "NZL", "role": "partner", "start": "2026-01"}
    ended = {"participant": "RUS", "role": "member", "start": "1997", "end": "2014"}
    assert edits.summary(
        {"memberships": [ended]}, {"memberships": [ended, m]}, "membership.add"
    ) == ("membership added: NZL (partner, 2026-01 to now)")
    assert edits.summary(
        {"memberships": [ended, m]}, {"memberships": [m]}, "membership.remove"
    ) == ("membership removed: RUS (member, 1997 to 2014)")
    assert edits.summary({}, {"memberships": [ended]}, "membership.edit") == (
        "membership edited: RUS (member, 1997 to 2014)"
    )
    long = "x" * 81
    e1 = {"date": "2020-01-02", "kind": "summit", "title": long}
    assert edits.summary({"events": []}, {"events": [e1]}, "event.add") == (
        f"event added: 2020-01-02 summit: {'x' * 80}…"
    )
    e2 = {"date": "2021", "kind": "meeting", "title": "y" * 80}
    assert edits.summary({"events": None}, {"events": [e2]}, "event.add") == (
        f"event added: 2021 meeting: {'y' * 80}"
    )
    e3 = {"date": "2022", "kind": "meeting"}
    assert edits.summary({}, {"events": [e3]}, "event.add") == "event added: 2022 meeting: "


def test_an_item_line_without_a_new_item_names_the_fields() -> None:
    m = {"participant": "NZL", "role": "partner", "start": "2026-01"}
    # the same item moved: nothing new, so the changed field is named
    assert (
        edits.summary(
            {"memberships": [m, {**m, "role": "member"}]},
            {"memberships": [{**m, "role": "member"}, m]},
            "membership.edit",
        )
        == "membership edited: memberships"
    )
    assert edits.summary({"events": []}, {"events": ["text"]}, "event.add") == (
        "event added: events"
    )
    # key order does not make an item new
    assert (
        edits.summary(
            {
                "memberships": [{"role": "partner", "participant": "NZL", "start": "2026-01"}],
                "n": 1,
            },
            {"memberships": [m], "n": 2},
            "membership.edit",
        )
        == "membership edited: n"
    )
