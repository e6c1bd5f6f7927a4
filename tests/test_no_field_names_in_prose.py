"""No face shows a reader a field's name where words belong (review of 2 December): the
Pax Silica note ended "marked incomplete by the head-count of participants
(member_count)", and the WTO e-commerce initiative's "the size is the published
head-count (member_count)". Both were written so in the data, and every face prints notes
as they are; the reader now refuses a schema field named in parentheses in any free text,
and every grouping's page, API answer and ``show`` are checked for one.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from starlette.testclient import TestClient

from minilat.cli import cli
from minilat.dataset import _field_names, bundled_data_dir, validate
from minilat.store import Store

FIELD = re.compile(r"\(([a-z]+(?:_[a-z]+)+)\)")


def _named_fields(text: str) -> set[str]:
    return {m.group(1) for m in FIELD.finditer(text)} & _field_names()


def test_the_schema_has_the_field_the_notes_named() -> None:
    assert {"member_count", "legal_personality", "typology_override"} <= _field_names()


def test_no_grouping_shows_a_field_name_in_any_face(
    bundled_store: Store, bundled_client: TestClient
) -> None:
    ds = bundled_store.dataset()
    runner = CliRunner(env={"COLUMNS": "200"})
    found: dict[str, set[str]] = {}
    for gid in sorted(ds.groupings):
        faces = {
            "show": runner.invoke(cli, ["--db", str(bundled_store.path), "show", gid]).output,
            "page": bundled_client.get(f"/groupings/{gid}").text,
            "api": bundled_client.get(f"/api/v1/groupings/{gid}").text,
        }
        for face, text in faces.items():
            if named := _named_fields(text):
                found[f"{gid} ({face})"] = named
    assert not found, found


def test_the_reader_refuses_a_field_name_in_a_note(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), root)
    g_file = root / "groupings" / "pax_silica.yaml"
    text = g_file.read_text()
    assert '\nnotes: "' in text  # a one-line note
    g_file.write_text(
        re.sub(
            r"\nnotes: .*",
            '\nnotes: "Marked incomplete by the head-count (member_count)."',
            text,
            count=1,
        )
    )
    problems = [p for p in validate(root) if p.file.endswith("pax_silica.yaml")]
    assert [p.field for p in problems] == ["notes"], problems
    assert "member_count" in problems[0].message
    # the same words without the field's name are fine
    g_file.write_text(
        re.sub(r"\nnotes: .*", '\nnotes: "Marked incomplete by the head-count."', text, count=1)
    )
    assert not [p for p in validate(root) if p.file.endswith("pax_silica.yaml")]
