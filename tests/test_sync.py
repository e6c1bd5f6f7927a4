"""``minilat dataset sync``: editors' changes written back into a copy of the bundled YAML."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from editorial_backends import editorial_backend
from minilat import dataset
from minilat.cli import cli
from minilat.editorial import edits, sync
from minilat.editorial.database import EditorialDB
from minilat.errors import Problem

QUAD = "groupings/quad.yaml"

__all__ = ["editorial_backend"]  # the fixture: the tests here on SQLite and PostgreSQL


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the bundled data folder, taken once (curators may be editing it)."""
    dest = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(dataset.bundled_data_dir(), dest)
    return dest


@pytest.fixture(scope="module")
def loaded(pristine: Path) -> tuple[dataset.Dataset, edits.Base]:
    return dataset.load(pristine), edits.read_base(pristine)


@pytest.fixture
def root(tmp_path: Path, pristine: Path) -> Path:
    """A writable copy of the data folder for one test: never the bundled one."""
    dest = tmp_path / "data"
    shutil.copytree(pristine, dest)
    return dest


@pytest.fixture
def db(editorial_location: Path | str) -> EditorialDB:
    return EditorialDB(editorial_location)


@pytest.fixture
def run(tmp_path: Path, root: Path, editorial_location: Path | str) -> Callable[..., Result]:
    def _run(*args: str, input: str | None = "") -> Result:
        opts = ["--db", str(tmp_path / "m.db"), "--data", str(root)]
        if isinstance(editorial_location, str):
            opts += ["--editorial-url", editorial_location]
        else:
            opts += ["--editorial", str(editorial_location)]
        return CliRunner().invoke(
            cli, [*opts, "dataset", "sync", *args], input=input, catch_exceptions=False
        )

    return _run


class Editor:
    """Edits made as the web makes them, against the dataset read once."""

    def __init__(self, db: EditorialDB, loaded: tuple[dataset.Dataset, edits.Base]) -> None:
        self.db, (self.ds, self.base) = db, loaded

    def doc(self, kind: str, ident: str) -> dict[str, Any]:
        rec = edits.record(self.db, self.base, kind, ident)
        assert rec.doc is not None
        return copy.deepcopy(rec.doc)

    def save(self, kind: str, ident: str, doc: dict[str, Any]) -> None:
        try:
            etag = edits.record(self.db, self.base, kind, ident).etag
        except edits.NotFound:
            etag = "new"
        edits.save(
            self.db, self.base, self.ds, kind, ident, doc, expected=etag, editor="ada", why="test"
        )

    def membership(self, gid: str, index: int, **changes: Any) -> None:
        item = {**self.doc("grouping", gid)["memberships"][index], **changes}
        etag = edits.record(self.db, self.base, "grouping", gid).etag
        edits.change_item(
            self.db, self.base, self.ds, gid, "memberships", index, item,
            expected=etag, editor="ada", why="a better note",
        )  # fmt: skip

    def pending(self, target: str, root: Path) -> bool:
        """As :func:`edits.current` says, reading only the file concerned."""
        row = self.db.record(target)
        assert row is not None
        kind, _, ident = target.partition(":")
        return (
            not row["synced"] and edits.doc_hash(_read_back(root, kind, ident)) != row["doc_hash"]
        )


@pytest.fixture
def ed(db: EditorialDB, loaded: tuple[dataset.Dataset, edits.Base]) -> Editor:
    return Editor(db, loaded)


def _changed_lines(diff: str) -> tuple[list[str], list[str]]:
    lines = [x for x in diff.splitlines() if not x.startswith(("+++", "---"))]
    return [x for x in lines if x.startswith("-")], [x for x in lines if x.startswith("+")]


def _texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.yaml"))}


def _read_back(root: Path, kind: str, ident: str) -> dict[str, Any] | None:
    """The document as :func:`edits.read_base` reads it (from its file only: faster)."""
    if kind == "grouping":
        path = root / "groupings" / f"{ident}.yaml"
        return sync._plain(path.read_text()) if path.exists() else None
    for path in sorted((root / "sources").glob("*.yaml")):
        for doc in sync._plain(path.read_text()):
            if doc["id"] == ident:
                return dict(doc)
    return None


# ----------------------------------------------------------------------------- the CLI


def test_dry_run_and_no_terminal_show_a_one_line_diff_and_write_nothing(
    run: Callable[..., Result], ed: Editor, root: Path
) -> None:
    ed.membership("quad", 4, note="Quad 2.0 revival, 12 Nov 2017")
    before = _texts(root)
    r = run("--dry-run")
    assert r.exit_code == 0, r.output
    assert f"--- a/{QUAD}" in r.stdout and f"+++ b/{QUAD}" in r.stdout
    minus, plus = _changed_lines(r.stdout)
    assert len(minus) == 1 and len(plus) == 1
    assert (
        minus[0].replace('"Quad 2.0 revival"', '"Quad 2.0 revival, 12 Nov 2017"')[1:]
        == (plus[0][1:])
    )
    assert "1 file to write" in r.output
    assert _texts(root) == before
    assert ed.pending("grouping:quad", root)
    refused = run(input="")  # no --yes, and standard input is not a terminal
    assert refused.exit_code == 2
    assert "pass --yes" in refused.output and "Traceback" not in refused.output
    assert _texts(root) == before
    assert ed.pending("grouping:quad", root)


def test_yes_writes_validates_marks_synced_and_audits(
    run: Callable[..., Result], ed: Editor, root: Path, db: EditorialDB
) -> None:
    old_doc = _read_back(root, "grouping", "quad")
    ed.membership("quad", 4, note="Quad 2.0 revival (senior officials)")
    doc = ed.doc("grouping", "quad")
    doc["events"].append(
        {"date": "2026-06-01", "kind": "summit", "title": "Test: yes", "sources": ["quad-lowy-who-killed-quad"]}
    )  # fmt: skip
    ed.save("grouping", "quad", doc)
    old_text = (root / QUAD).read_text()
    r = run("--yes")
    assert r.exit_code == 0, r.output
    new_text = (root / QUAD).read_text()
    minus, plus = _changed_lines(sync._diff(QUAD, old_text, new_text))
    assert len(minus) == 1 and len(plus) == 2
    assert '  - {date: "2026-06-01", kind: summit, title: "Test: yes",' in new_text
    assert dataset.validate(root) == []
    row = db.record("grouping:quad")
    assert row is not None and row["synced"]
    assert edits.doc_hash(_read_back(root, "grouping", "quad")) == row["doc_hash"]
    assert not ed.pending("grouping:quad", root)
    audit = db.audit_records(target="grouping:quad")[0]
    assert audit["action"] == "dataset.sync" and audit["editor"] == sync.DEFAULT_EDITOR
    assert audit["why"] == f"written to {QUAD}"
    assert audit["before"] == old_doc and audit["after"] == row["doc"]
    again = run("--yes")
    assert again.exit_code == 0 and "nothing to sync" in again.output


def test_conflict_is_not_written_unless_forced(
    run: Callable[..., Result], ed: Editor, root: Path, db: EditorialDB
) -> None:
    ed.membership("quad", 4, note="edited by an editor")
    path = root / QUAD
    reviewed = path.read_text().replace(
        "name: Quadrilateral Security Dialogue", "name: Quadrilateral Security Dialogue (Quad)"
    )
    path.write_text(reviewed)  # a reviewed commit changed the file meanwhile
    r = run("--yes")
    assert r.exit_code == 1
    assert "conflict: grouping:quad" in r.output and "left pending" in r.output
    assert "Quad 2.0 revival" in r.output and "edited by an editor" in r.output  # the diff
    assert path.read_text() == reviewed
    assert ed.pending("grouping:quad", root)
    forced = run("--yes", "--force", "--editor", "lead")
    assert forced.exit_code == 0, forced.output
    row = db.record("grouping:quad")
    assert row is not None and row["synced"]
    assert _read_back(root, "grouping", "quad") == row["doc"]
    assert db.audit_records(target="grouping:quad")[0]["editor"] == "lead"


def test_a_file_that_does_not_validate_is_put_back(
    run: Callable[..., Result],
    ed: Editor,
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ed.membership("quad", 0, note="edited")
    new = {"id": "new-src", "title": "T", "publisher": "P", "url": "https://example.org"}
    ed.save("source", "new-src", new | {"accessed": "2026-11-28"})
    before = _texts(root)
    calls: list[Path] = []

    def broken(folder: Path) -> list[Problem]:
        calls.append(folder)
        return [Problem(QUAD, 3, "name", "invented problem")] if len(calls) == 1 else []

    monkeypatch.setattr(dataset, "validate", broken)
    r = run("--yes")
    assert r.exit_code == 1
    assert "put back" in r.output and "invented problem" in r.output
    assert _texts(root) == before and not (root / sync.NEW_SOURCES_FILE).exists()
    assert ed.pending("grouping:quad", root) and ed.pending("source:new-src", root)


def test_json_and_nothing_to_sync(run: Callable[..., Result], ed: Editor, root: Path) -> None:
    empty = run("--json")
    assert empty.exit_code == 0 and json.loads(empty.stdout)["files"] == []
    assert "nothing to sync" in run().output
    ed.membership("quad", 0, note="edited")
    r = run("--json", "--dry-run")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [f["path"] for f in out["files"]] == [QUAD]
    assert out["files"][0]["targets"] == ["grouping:quad"]
    assert out["files"][0]["diff"].startswith(f"--- a/{QUAD}")
    assert out["written"] is False and out["conflicts"] == [] and out["dry_run"] is True
    done = json.loads(run("--json", "--yes").stdout)
    assert done["written"] is True and done["synced"] == ["grouping:quad"]


# --------------------------------------------------------------------------- the library


def _no_problems(root: Path) -> list[Problem]:
    """Stands for ``dataset.validate`` where validation is not what is tested (speed)."""
    return []


def test_sources_edited_and_created(ed: Editor, root: Path, db: EditorialDB) -> None:
    sid = "quad-lowy-who-killed-quad"
    rel = f"sources/{ed.base.source_files[sid].name}"
    doc = ed.doc("source", sid)
    doc["title"] = "Who killed the Quad? yes: it was..."
    ed.save("source", sid, doc)
    new = {"id": "ed-new", "title": "On: 2024", "publisher": "P", "url": "https://example.org/x"}
    new |= {"published": "2024-01-02", "accessed": "2026-11-28"}
    ed.save("source", "ed-new", new)
    p = sync.plan(root, db)
    by_path = {f.path: f for f in p.files}
    assert set(by_path) == {rel, sync.NEW_SOURCES_FILE}
    minus, plus = _changed_lines(by_path[rel].diff)
    assert len(minus) == 1 and len(plus) == 1 and "title:" in plus[0]
    assert by_path[sync.NEW_SOURCES_FILE].old_text is None
    assert 'published: "2024-01-02"' in by_path[sync.NEW_SOURCES_FILE].new_text
    applied = sync.apply(p, db)
    assert set(applied.synced) == {f"source:{sid}", "source:ed-new"}
    back = edits.read_base(root)
    assert back.sources[sid] == doc and back.sources["ed-new"] == new
    assert back.source_files["ed-new"] == root / sync.NEW_SOURCES_FILE
    assert dataset.validate(root) == []


def test_a_new_grouping_gets_its_own_file(ed: Editor, root: Path, db: EditorialDB) -> None:
    doc = ed.doc("grouping", "quad")
    doc.update(id="quad_copy", name="Quad copy", acronyms=["QC"], aliases=[])
    del doc["aliases"]
    ed.save("grouping", "quad_copy", doc)
    p = sync.plan(root, db)
    (change,) = p.files
    assert change.path == "groupings/quad_copy.yaml" and change.old_text is None
    assert "  - {participant: AUS, role: founding_member," in change.new_text
    assert "acronyms: [QC]" in change.new_text and 'start: "2007-05"' in change.new_text
    sync.apply(p, db)
    assert _read_back(root, "grouping", "quad_copy") == doc
    assert not ed.pending("grouping:quad_copy", root)


def test_already_in_the_yaml_is_only_marked(ed: Editor, root: Path, db: EditorialDB) -> None:
    ed.membership("quad", 1, note="edited")
    first = sync.plan(root, db)
    (root / QUAD).write_text(first.files[0].new_text)  # someone wrote it by hand
    with pytest.raises(sync.SyncError, match="changed since the sync was planned"):
        sync.apply(first, db)  # the plan is stale: nothing is overwritten
    p = sync.plan(root, db)
    assert p.files == () and p.already == ("grouping:quad",)
    applied = sync.apply(p, db)
    assert applied.synced == ("grouping:quad",) and applied.written == ()
    assert db.audit_records(target="grouping:quad")[0]["why"] == f"found already in {QUAD}"


def test_an_edit_made_while_syncing_stays_pending(ed: Editor, root: Path, db: EditorialDB) -> None:
    ed.membership("quad", 1, note="first")
    p = sync.plan(root, db)
    ed.membership("quad", 1, note="second")
    applied = sync.apply(p, db, validate=_no_problems)
    assert applied.changed_meanwhile == ("grouping:quad",) and applied.synced == ()
    assert ed.pending("grouping:quad", root)
    (change,) = sync.plan(root, db).files
    assert len(_changed_lines(change.diff)[1]) == 1 and "second" in change.diff
    assert p.conflicts == () and sync.apply(
        sync.plan(root, db), db, validate=_no_problems
    ).synced == ("grouping:quad",)
    row = db.record("grouping:quad")
    assert row is not None and row["synced"]
    assert _read_back(root, "grouping", "quad") == row["doc"]  # the newer edit, in the file


def test_strings_stay_strings_and_comments_stay(ed: Editor, root: Path, db: EditorialDB) -> None:
    path = root / QUAD
    text = "# The Quad: curated by hand.\n" + path.read_text().replace(
        "memberships:\n", "memberships:\n  # Quad 1.0\n"
    )
    path.write_text(text)  # comments change no document: no conflict
    doc = ed.doc("grouping", "quad")
    doc["memberships"][2]["note"] = "2021-03-12"
    doc["memberships"][3]["note"] = "yes"
    doc["objectives"][0]["timeline"] = "2021"
    doc["notes"] = "Two periods: 1.0 and 2.0."
    ed.save("grouping", "quad", doc)
    (change,) = sync.plan(root, db).files
    assert 'note: "2021-03-12"' in change.new_text and 'note: "yes"' in change.new_text
    assert 'timeline: "2021"' in change.new_text
    assert "notes: >-\n  Two periods: 1.0 and 2.0.\n" in change.new_text  # still folded
    assert edits.doc_hash(sync._plain(change.new_text)) == edits.doc_hash(doc)
    assert change.new_text.startswith("# The Quad: curated by hand.\n")
    assert "memberships:\n  # Quad 1.0\n" in change.new_text


def test_unchanged_reformatting_is_left_alone() -> None:
    orig = ["a: 1\n", "note: long\n", "  wrapped\n", "b: 2\n", "c: 3\n"]
    noop = ["a: 1\n", "note: long wrapped\n", "b: 2\n", "c: 3\n"]
    changed = ["a: 1\n", "note: long wrapped\n", "b: 2\n", "c: 4\n"]
    assert sync._splice(orig, noop, changed) == "a: 1\nnote: long\n  wrapped\nb: 2\nc: 4\n"


def test_splice_keeps_lines_only_ruamel_would_drop() -> None:
    orig = ["# header\n", "a: 1\n", "b: 2\n"]
    noop = ["a: 1\n", "b: 2\n"]
    assert sync._splice(orig, noop, ["a: 5\n", "b: 2\n"]) == "# header\na: 5\nb: 2\n"
    assert (
        sync._splice(orig, noop, ["a: 1\n", "b: 2\n", "c: 3\n"]) == "# header\na: 1\nb: 2\nc: 3\n"
    )


def test_an_edit_that_cannot_be_written_stays_pending(
    run: Callable[..., Result], ed: Editor, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ed.membership("quad", 0, note="edited")
    ed.save("source", "ok-src", {"id": "ok-src", "title": "T", "publisher": "P", "url": "https://e.org", "accessed": "2026-11-28"})  # fmt: skip
    ed.save("source", "bad-src", {"id": "bad-src", "title": "T", "publisher": "P", "url": "https://e.org", "accessed": "2026-11-28"})  # fmt: skip
    real = sync._file_change

    def picky(root: Path, path: Path, pendings: list[Any]) -> sync.FileChange:
        if any(p.target == "source:bad-src" for p in pendings):
            raise sync.SyncError("cannot write it faithfully")
        return real(root, path, pendings)

    monkeypatch.setattr(sync, "_file_change", picky)
    monkeypatch.setattr(dataset, "validate", _no_problems)  # speed: validation not tested here
    r = run("--yes")
    assert r.exit_code == 1
    assert "cannot write source:bad-src" in r.output and "1 edit left pending" in r.output
    assert not ed.pending("grouping:quad", root) and not ed.pending("source:ok-src", root)
    assert ed.pending("source:bad-src", root)


def test_yml_files_are_read_and_written_in_place(ed: Editor, root: Path, db: EditorialDB) -> None:
    """One rule for `.yml` (issue 18): the loader, the editors' base and sync all read a
    `.yml` file, and sync writes an edit back into it rather than a second `.yaml`."""
    (root / QUAD).rename(root / "groupings/quad.yml")
    sfile = ed.base.source_files["quad-lowy-who-killed-quad"]
    (root / "sources" / sfile.name).rename(root / "sources" / f"{sfile.stem}.yml")
    assert "quad" in dataset.load(root).groupings
    base = edits.read_base(root)
    assert "quad" in base.groupings
    assert base.source_files["quad-lowy-who-killed-quad"].suffix == ".yml"
    doc = ed.doc("grouping", "quad")
    doc["events"].append(
        {"date": "2026-06-01", "kind": "summit", "title": "Test: yml", "sources": ["quad-lowy-who-killed-quad"]}
    )  # fmt: skip
    ed.save("grouping", "quad", doc)
    p = sync.plan(root, db)
    assert [f.path for f in p.files] == ["groupings/quad.yml"]
    sync.apply(p, db)
    assert not (root / QUAD).exists()
    assert "Test: yml" in (root / "groupings/quad.yml").read_text()
    assert dataset.validate(root) == []


def test_a_new_source_goes_into_an_existing_editorial_yml(root: Path) -> None:
    assert sync._new_sources_file(root) == root / sync.NEW_SOURCES_FILE
    (root / "sources/editorial.yml").write_text("[]\n")
    assert sync._new_sources_file(root) == root / "sources/editorial.yml"
