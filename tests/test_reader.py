"""The YAML reader's rules, each with its exact answer: which files of a data folder are
read (``.yaml`` and ``.yml``, sorted), where each problem is placed (``file:line:
field``), and what it says (unknown values, unknown fields, missing fields, duplicate
ids, unknown countries and sources, impossible dates). Found by mutation testing
(docs/testing.md): the older tests checked a fragment of one message, so a wrong line, a
wrong field path or a lost hint went unnoticed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from minilat import dataset
from minilat.dataset import data_files, load, parse_day, validate
from minilat.errors import BadInput, DatasetInvalid, Problem

FIXTURE = Path(__file__).parent / "fixtures" / "mini"

SOURCES = """\
- id: src-a
  title: Founding statement
  publisher: Ministry of Examples
  url: https://example.org/a
  accessed: "2026-11-28"
"""

GROUPING = """\
id: {gid}
name: {name}
periods:
  - start: "2015"
    sources: [src-a]
memberships:
  - {{participant: USA, role: member, start: "2015", sources: [src-a]}}
"""


PARTICIPANT = """\
- id: acme
  name: Acme Semiconductors
  kind: company
  country: TWN
  sources: [src-a]
"""

TABLE = """\
id: {tid}
name: A table
unit: share of world output
measure: {measure}
year: 2022
scope: Test table
sources: [src-a]
rows:
  - {{participant: USA, value: 0.5}}
  - {{participant: acme, value: 0.5}}
"""


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """A data folder holding exactly ``files`` (relative path -> text); ``groupings/``
    always exists."""
    root = tmp_path / "data"
    (root / "groupings").mkdir(parents=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _lines(root: Path) -> list[str]:
    return [str(p) for p in validate(root)]


def _ok(gid: str = "alpha", name: str = "Alpha Group") -> str:
    return GROUPING.format(gid=gid, name=name)


# ---------------------------------------------------------------- the folder and its files


def test_yml_and_yaml_are_both_read_and_other_files_ignored(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yml": SOURCES,
            "groupings/beta.yml": _ok("beta", "Beta"),
            "groupings/alpha.yaml": _ok(),
            "groupings/notes.txt": "not: [yaml",
            "groupings/gamma.YAML.bak": "not: [yaml",
        },
    )
    assert _lines(root) == []
    ds = load(root)
    assert sorted(ds.groupings) == ["alpha", "beta"]
    assert list(ds.sources) == ["src-a"]
    assert [p.name for p in data_files(root, "groupings")] == ["alpha.yaml", "beta.yml"]
    assert data_files(root, "indicators") == []


def test_data_files_are_sorted_by_name(tmp_path: Path) -> None:
    root = _folder(tmp_path, {f"groupings/{n}": "" for n in ("c.yaml", "a.yml", "b.yaml")})
    assert [p.name for p in data_files(root, "groupings")] == ["a.yml", "b.yaml", "c.yaml"]


def test_a_folder_without_groupings_is_named_at_its_root(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "sources").mkdir(parents=True)
    (root / "sources/main.yaml").write_text(SOURCES)
    assert validate(root) == [
        Problem(".", 1, "(folder)", "no groupings/ folder: is this a minilat data folder?")
    ]


def test_a_file_is_not_a_data_folder(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(_ok())
    assert validate(path) == [Problem(str(path), 1, "(folder)", "is a file, not a data folder")]
    missing = tmp_path / "nope"
    assert validate(missing) == [Problem(str(missing), 1, "(folder)", "no such data folder")]


def test_a_missing_folder_holds_an_empty_dataset(tmp_path: Path) -> None:
    ds, problems = dataset._collect(tmp_path / "nope")
    assert ds == dataset.Dataset({}, {}, {})
    assert len(problems) == 1


def test_every_kind_of_file_lands_in_its_place(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": PARTICIPANT,
            "groupings/alpha.yaml": _ok(),
            "capabilities/widgets.yaml": TABLE.format(tid="widgets", measure="share"),
            "indicators/trade.yml": TABLE.format(tid="trade", measure="ratio"),
        },
    )
    ds = load(root)
    assert (list(ds.groupings), list(ds.participants), list(ds.sources)) == (
        ["alpha"],
        ["acme"],
        ["src-a"],
    )
    assert (list(ds.capabilities), list(ds.indicators)) == (["widgets"], ["trade"])


def test_an_empty_file_is_no_problem_and_holds_nothing(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "sources/empty.yaml": ""})
    assert _lines(root) == []
    assert list(load(root).sources) == ["src-a"]


def test_an_undecodable_file_is_a_problem_of_the_file(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES})
    (root / "groupings/bad.yaml").write_bytes(b"id: bad\nname: \xff\xfe\n")
    [p] = validate(root)
    assert (p.file, p.line, p.field) == ("groupings/bad.yaml", 1, "(file)")
    assert p.message.startswith("cannot read: ")
    assert "utf-8" in p.message


def test_load_raises_with_every_problem_and_validate_returns_them(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": _ok().replace("USA", "XYZ"),
            "groupings/beta.yaml": _ok("beta", "Beta").replace("role: member", "role: boss"),
        },
    )
    problems = validate(root)
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("groupings/alpha.yaml", 7, "memberships[0].participant"),
        ("groupings/beta.yaml", 7, "memberships[0].role"),
    ]
    with pytest.raises(DatasetInvalid) as e:
        load(root)
    assert e.value.problems == problems
    assert e.value.message == "the dataset has 2 problems"


def test_load_and_validate_default_to_the_bundled_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": _ok()})
    monkeypatch.setattr(dataset, "bundled_data_dir", lambda: root)  # small and quick
    assert validate() == []
    assert list(load().groupings) == ["alpha"]
    (root / "groupings/alpha.yaml").write_text(_ok().replace("USA", "XYZ"))
    assert [p.field for p in validate()] == ["memberships[0].participant"]
    with pytest.raises(DatasetInvalid):
        load()


# ------------------------------------------------------------------- YAML and its lines


def test_a_duplicate_key_is_placed_on_its_second_appearance(tmp_path: Path) -> None:
    text = _ok().replace(
        '  - start: "2015"\n', '  - start: "2015"\n    sources: [src-a]\n    start: "2016"\n', 1
    )
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    assert _lines(root) == ["groupings/alpha.yaml:6: periods[0].start: key appears twice"]


def test_a_key_that_is_not_plain_is_refused_where_it_stands(tmp_path: Path) -> None:
    text = _ok() + "events:\n  - date: x\n    ? [a, b]\n    : c\n"
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    assert _lines(root) == ["groupings/alpha.yaml:10: events[0]: keys must be plain"]


def test_a_top_level_key_that_is_not_plain_names_the_document(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": "{[a]: b}\n"})
    assert _lines(root) == ["groupings/alpha.yaml:1: (document): keys must be plain"]


def test_malformed_yaml_names_the_line_of_the_fault(tmp_path: Path) -> None:
    text = "id: alpha\nname: Alpha\nperiods: [\n  {start: 2015\n"
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    [p] = validate(root)
    assert (p.file, p.line, p.field) == ("groupings/alpha.yaml", 5, "(yaml)")
    # yaml's own words for the fault, not the exception's whole text
    assert p.message == "malformed YAML: did not find expected ',' or '}'"


def test_a_control_character_in_a_file_is_malformed_yaml(tmp_path: Path) -> None:
    """The YAML reader's own error, which carries no line: the problem is on line 1."""
    text = _ok().replace("name: Alpha Group", "name: Alpha\x07Group")
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    [p] = validate(root)
    assert (p.file, p.line, p.field) == ("groupings/alpha.yaml", 1, "(yaml)")
    assert p.message.startswith(
        "malformed YAML: unacceptable character #x0007: control characters are not allowed"
    )


def test_a_lone_surrogate_in_a_text_is_a_problem_not_a_crash() -> None:
    """Found by mutation testing: a text given by an editor (JSON can carry a lone
    surrogate, escaped) made the reader raise UnicodeEncodeError instead of a problem."""
    ds = load(FIXTURE)
    g, problems = dataset.check_grouping("id: alpha\nname: A\ud800\n", "alpha", ds)
    assert g is None
    assert problems == [
        Problem("(document)", 1, "(yaml)", "malformed YAML: surrogates not allowed")
    ]
    with pytest.raises(BadInput) as e:
        dataset.parse_document("name: A\ud800\n", "the grouping YAML")
    assert e.value.message == "the grouping YAML cannot be read: surrogates not allowed"


def test_null_and_the_text_null(tmp_path: Path) -> None:
    """A plain ``~``, ``null`` or nothing is no value; a quoted "null" is text."""
    located = dataset._read_yaml('a: ~\nb: null\nc:\nd: "null"\ne: 7\nf: [x, "y"]\n')
    assert located.data == {"a": None, "b": None, "c": None, "d": "null", "e": "7", "f": ["x", "y"]}
    assert located.lines[("d",)] == 4
    assert located.lines[("f", 1)] == 6
    assert located.line(("f", 1, "deeper", 3)) == 6
    assert located.line(("nowhere",)) == 1
    assert dataset._read_yaml("").data is None
    # a document with nothing in it places everything on line 1
    assert dataset._read_yaml("# only a comment\n\n").line(("id",)) == 1
    assert dataset._read_yaml("\n\n# c\nid: x\n").line(("name",)) == 4


def test_the_line_of_a_value_on_the_line_after_its_key(tmp_path: Path) -> None:
    """A key's line is where the key stands, not where its value starts."""
    located = dataset._read_yaml("x: 1\nitems:\n\n  - a\n  - b\n")
    assert located.lines[("items",)] == 2
    assert located.lines[("items", 0)] == 4
    assert located.lines[("items", 1)] == 5
    assert located.lines[()] == 1
    # a path the document lacks is placed at its nearest ancestor that it has
    assert located.line(("items", 1, "missing")) == 5
    assert located.line(("items", 7)) == 2


def test_a_missing_field_of_an_item_is_placed_at_the_item(tmp_path: Path) -> None:
    text = _ok().replace("{participant: USA, role: member, ", "\n    {participant: USA, ")
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    assert _lines(root) == [
        "groupings/alpha.yaml:8: memberships[0].role: required field is missing"
    ]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), "(document)"),
        (("id",), "id"),
        (("memberships", 4, "participant"), "memberships[4].participant"),
        ((0, "id"), "[0].id"),
        ((2,), "[2]"),
        (("themes", "value", 1), "themes.value[1]"),
        (("a", "b", "c"), "a.b.c"),
    ],
)
def test_field_paths_are_written_as_in_python(path: tuple[object, ...], shown: str) -> None:
    assert dataset._fmt(path) == shown


# ----------------------------------------------------------------- the schema's messages


def test_unknown_value_suggests_the_closest_or_lists_the_choices(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": _ok().replace("role: member", "role: membr"),
            "groupings/beta.yaml": _ok("beta", "Beta").replace("role: member", "role: zzzzzz"),
        },
    )
    alpha, beta = _lines(root)
    assert alpha == (
        "groupings/alpha.yaml:7: memberships[0].role: unknown value 'membr'; did you mean member?"
    )
    assert beta.startswith(
        "groupings/beta.yaml:7: memberships[0].role: unknown value 'zzzzzz'; expected 'founding_member'"
    )
    assert "'member'" in beta and "'observer'" in beta


def test_unknown_missing_and_invalid_fields_are_worded_for_a_curator(tmp_path: Path) -> None:
    grouping = _ok().replace("name: Alpha Group\n", "colour: blue\n")
    source = SOURCES.replace("url: https://example.org/a", "url: not a url")
    root = _folder(tmp_path, {"sources/main.yaml": source, "groupings/alpha.yaml": grouping})
    problems = validate(root)
    by_field = {(p.file, p.line, p.field): p.message for p in problems}
    assert by_field[("groupings/alpha.yaml", 2, "colour")] == (
        "unknown field (see docs/data.md for the schema)"
    )
    assert by_field[("groupings/alpha.yaml", 1, "name")] == "required field is missing"
    url = by_field[("sources/main.yaml", 4, "[0].url")]
    assert not url.startswith("Value error, ")
    assert url  # pydantic's own sentence for a bad address


def test_a_value_error_loses_pydantics_prefix() -> None:
    err = {"type": "value_error", "msg": "Value error, end must follow start", "input": 1}
    assert dataset._error_message(err) == "end must follow start"
    assert dataset._error_message({"type": "x", "msg": "odd"}) == "odd"
    assert dataset._error_message({}) == "invalid"
    assert dataset._error_message({"type": "missing"}) == "required field is missing"
    assert dataset._error_message({"type": "extra_forbidden"}) == (
        "unknown field (see docs/data.md for the schema)"
    )


def test_enum_messages_split_every_choice() -> None:
    """pydantic lists an enum's choices as "'a', 'b' or 'c'": each is a choice."""
    err: dict[str, object] = {
        "type": "enum",
        "input": "obsrver",
        "ctx": {"expected": "'member', 'founding_member' or 'observer'"},
    }
    assert dataset._error_message(err) == "unknown value 'obsrver'; did you mean observer?"
    err = {"type": "enum", "input": "zzz", "ctx": {"expected": "'aa' or 'bb'"}}
    assert dataset._error_message(err) == "unknown value 'zzz'; expected 'aa' or 'bb'"
    err = {"type": "enum", "input": 3}
    assert dataset._error_message(err) == "unknown value 3; expected "


def test_an_impossible_date_is_named_where_it_stands(tmp_path: Path) -> None:
    text = _ok().replace('start: "2015", sources', 'start: "2015-02-29", sources')
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    [p] = validate(root)
    assert (p.file, p.line, p.field) == ("groupings/alpha.yaml", 7, "memberships[0].start")
    assert "not a real day" in p.message


def test_a_problem_inside_a_list_item_of_a_list_file(tmp_path: Path) -> None:
    source = SOURCES + SOURCES.replace("src-a", "src-b").replace('"2026-11-28"', '"2026-13-01"')
    root = _folder(tmp_path, {"sources/main.yaml": source, "groupings/alpha.yaml": _ok()})
    [p] = validate(root)
    assert p == Problem("sources/main.yaml", 10, "[1].accessed", "'2026-13-01' has no month 13")


# ----------------------------------------------------------------------- list files


def test_a_list_file_that_is_not_a_list(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "sources/more.yaml": "id: src-b\n",
            "participants/main.yaml": "just text\n",
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "participants/main.yaml:1: (document): must be a list of participants",
        "sources/more.yaml:1: (document): must be a list of sources",
    ]


def test_a_bad_list_file_does_not_hide_the_next(tmp_path: Path) -> None:
    """Files are read in name order: a malformed one and one that is not a list come
    first, and the sources of the third are still read (the grouping citing them is
    fine)."""
    root = _folder(
        tmp_path,
        {
            "sources/a.yaml": "- [unclosed\n",
            "sources/b.yaml": "id: src-b\n",
            "sources/c.yaml": SOURCES,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "sources/a.yaml:2: (yaml): malformed YAML: did not find expected ',' or ']'",
        "sources/b.yaml:1: (document): must be a list of sources",
    ]
    assert list(dataset._collect(root)[0].sources) == ["src-a"]


def test_an_invalid_item_does_not_hide_the_next(tmp_path: Path) -> None:
    source = SOURCES.replace("src-a", "src-x").replace("  url: https://example.org/a\n", "")
    root = _folder(
        tmp_path,
        {"sources/main.yaml": source + SOURCES, "groupings/alpha.yaml": _ok()},
    )
    assert _lines(root) == ["sources/main.yaml:1: [0].url: required field is missing"]
    assert list(dataset._collect(root)[0].sources) == ["src-a"]


def test_a_malformed_grouping_file_does_not_hide_the_next(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/aaa.yaml": "id: aaa\nname: [unclosed\n",
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert [(p.file, p.field) for p in validate(root)] == [("groupings/aaa.yaml", "(yaml)")]
    assert list(dataset._collect(root)[0].groupings) == ["alpha"]


def test_a_grouping_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": "- id: alpha\n",
            "groupings/beta.yaml": _ok("beta", "Beta"),
        },
    )
    assert _lines(root) == [
        "groupings/alpha.yaml:1: (document): a grouping file must be a mapping (see docs/data.md)"
    ]
    assert list(dataset._collect(root)[0].groupings) == ["beta"]
    empty = _folder(tmp_path / "2", {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": ""})
    assert _lines(empty) == [
        "groupings/alpha.yaml:1: (document): a grouping file must be a mapping (see docs/data.md)"
    ]


# --------------------------------------------------------------------- duplicate ids


def test_a_duplicate_source_id_is_placed_on_the_second(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {"sources/main.yaml": SOURCES + SOURCES, "groupings/alpha.yaml": _ok()},
    )
    assert _lines(root) == ["sources/main.yaml:6: [1].id: duplicate source id 'src-a'"]


def test_a_duplicate_id_is_placed_on_its_id_line(tmp_path: Path) -> None:
    """Not on the item's first line: the id may stand anywhere in it."""
    source = SOURCES.replace("- id: src-a\n  title:", "- title:") + "  id: src-a\n"
    greenland = "- name: G\n  kind: company\n  id: GRL\n  sources: [src-a]\n"
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES + source,
            "participants/main.yaml": PARTICIPANT
            + PARTICIPANT.replace(
                "- id: acme\n  name: Acme Semiconductors", "- name: Acme\n  id: acme"
            )
            + greenland,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "participants/main.yaml:7: [1].id: duplicate participant id 'acme'",
        "participants/main.yaml:13: [2].id: 'GRL' is a state code; states come from ISO 3166"
        " and are not listed (a dependent territory with its own code is listed with kind:"
        " territory)",
        "sources/main.yaml:10: [1].id: duplicate source id 'src-a'",
    ]


def test_a_duplicate_source_id_across_files(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/a.yaml": SOURCES,
            "sources/b.yml": "# the same again\n" + SOURCES,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == ["sources/b.yml:2: [0].id: duplicate source id 'src-a'"]


def test_a_duplicate_grouping_id_in_a_yml_beside_a_yaml(tmp_path: Path) -> None:
    """``alpha.yaml`` and ``alpha.yml`` both hold grouping ``alpha``: the second read (the
    names sort ``.yaml`` before ``.yml``) is the duplicate, and only the first counts."""
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": _ok(),
            # its id on its second line: the problem stands there
            "groupings/alpha.yml": "name: Another Alpha\n"
            + _ok().replace("name: Alpha Group\n", ""),
            "groupings/beta.yaml": _ok("beta", "Beta"),
        },
    )
    assert _lines(root) == ["groupings/alpha.yml:2: id: duplicate grouping id 'alpha'"]
    groupings = dataset._collect(root)[0].groupings
    assert groupings["alpha"].name == "Alpha Group"
    assert list(groupings) == ["alpha", "beta"]


def test_participants_duplicate_state_codes_territories_sources_and_countries(
    tmp_path: Path,
) -> None:
    participants = (
        PARTICIPANT  # [0] fine
        + PARTICIPANT  # [1] the same id again
        + "- {id: FRA, name: France, kind: company, sources: [src-a]}\n"  # [2] line 11
        + "- {id: GRL, name: Greenland, kind: territory, country: DNK, sources: [src-a]}\n"
        + "- {id: XTR, name: Xland, kind: territory, sources: [src-a]}\n"  # [4] line 13
        + "- {id: unsourced, name: U, kind: company, sources: [src-zz]}\n"  # [5] line 14
        + "- {id: abroad, name: A, kind: company, country: XXX, sources: [src-a]}\n"  # [6]
    )
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": participants,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "participants/main.yaml:6: [1].id: duplicate participant id 'acme'",
        "participants/main.yaml:11: [2].id: 'FRA' is a state code; states come from ISO 3166"
        " and are not listed (a dependent territory with its own code is listed with kind:"
        " territory)",
        "participants/main.yaml:13: [4].country: territory 'XTR' needs country: the sovereign"
        " state it belongs to",
        "participants/main.yaml:14: [5].sources: source 'src-zz' does not exist",
        "participants/main.yaml:15: [6].country: unknown country code 'XXX'",
    ]


def test_a_duplicate_state_code_is_named_once_as_a_duplicate(tmp_path: Path) -> None:
    line = "- {id: GRL, name: Greenland, kind: territory, country: DNK, sources: [src-a]}\n"
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": line + line.replace("territory,", "company,"),
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == ["participants/main.yaml:2: [1].id: duplicate participant id 'GRL'"]


def test_a_territory_on_its_own_lines_is_placed_at_its_kind(tmp_path: Path) -> None:
    participants = "- id: XTR\n  name: Xland\n  kind: territory\n  sources: [src-a]\n"
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": participants,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "participants/main.yaml:3: [0].country: territory 'XTR' needs country: the sovereign"
        " state it belongs to"
    ]


def test_a_participant_on_its_own_lines_places_sources_and_country(tmp_path: Path) -> None:
    participants = "- id: abroad\n  name: A\n  kind: company\n  country: XXX\n  sources: [src-zz]\n"
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": participants,
            "groupings/alpha.yaml": _ok(),
        },
    )
    assert _lines(root) == [
        "participants/main.yaml:4: [0].country: unknown country code 'XXX'",
        "participants/main.yaml:5: [0].sources: source 'src-zz' does not exist",
    ]


# --------------------------------------------------------------- groupings' references


def test_an_unknown_participant_is_told_the_closest_codes(tmp_path: Path) -> None:
    text = _ok().replace("USA", "USX")
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    [line] = _lines(root)
    assert line.startswith(
        "groupings/alpha.yaml:7: memberships[0].participant: unknown participant 'USX'; did you mean "
    )
    assert "USA" in line


def test_a_non_state_participant_of_the_folder_is_known(tmp_path: Path) -> None:
    text = _ok().replace("participant: USA", "participant: acme")
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": PARTICIPANT,
            "groupings/alpha.yaml": text,
        },
    )
    assert _lines(root) == []
    assert load(root).groupings["alpha"].memberships[0].participant == "acme"


def test_a_grouping_that_fails_the_schema_still_has_its_references_checked(
    tmp_path: Path,
) -> None:
    text = _ok().replace("participant: USA", "participant: XYZ").replace("[src-a]}", "[src-zz]}")
    text = text.replace("name: Alpha Group\n", "")
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": text,
            "groupings/beta.yaml": _ok("beta", "Beta"),
        },
    )
    lines = _lines(root)
    assert "groupings/alpha.yaml:1: name: required field is missing" in lines
    assert any(
        ln.startswith(
            "groupings/alpha.yaml:6: memberships[0].participant: unknown participant 'XYZ'"
        )
        for ln in lines
    ), lines
    assert any("source 'src-zz' does not exist" in ln for ln in lines), lines
    assert list(dataset._collect(root)[0].groupings) == ["beta"]


def test_sourced_facts_are_noted_with_their_place(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": _ok()})
    col = dataset._Collector(root)
    _, problems = dataset._collect_into(col)
    assert problems == []
    assert col.source_at == {"src-a": ("sources/main.yaml", 1)}
    assert ("alpha", "periods[0]", ("src-a",), "groupings/alpha.yaml", 4) in col.facts
    assert ("alpha", "memberships[0]", ("src-a",), "groupings/alpha.yaml", 7) in col.facts
    assert {f[0] for f in col.facts} == {"alpha"}
    assert all(f[2] for f in col.facts)


def test_a_second_source_file_records_where_each_source_was_read(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/a.yaml": SOURCES,
            "sources/b.yaml": "\n" + SOURCES.replace("src-a", "src-b"),
            "groupings/alpha.yaml": _ok(),
        },
    )
    col = dataset._Collector(root)
    dataset._collect_into(col)
    assert col.source_at == {"src-a": ("sources/a.yaml", 1), "src-b": ("sources/b.yaml", 2)}


def test_the_problems_come_sorted_by_file_then_line(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES + SOURCES,
            "groupings/zeta.yaml": _ok("zeta", "Zeta").replace("USA", "XYZ"),
            "groupings/alpha.yaml": _ok().replace("name: Alpha Group\n", ""),
        },
    )
    assert [(p.file, p.line) for p in validate(root)] == [
        ("groupings/alpha.yaml", 1),
        ("groupings/zeta.yaml", 7),
        ("sources/main.yaml", 6),
    ]


def test_problems_outside_the_root_show_the_whole_path(tmp_path: Path) -> None:
    col = dataset._Collector(tmp_path / "data")
    other = tmp_path / "elsewhere.yaml"
    col.add(other, 3, "id", "odd")
    col.add(tmp_path / "data" / "groupings" / "a.yaml", 2, "name", "odd")
    assert col.problems == [
        Problem(str(other), 3, "id", "odd"),
        Problem("groupings/a.yaml", 2, "name", "odd"),
    ]


# ------------------------------------------------------------------- dates from users


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-06-15", dt.date(2023, 6, 15)),
        ("2023-06", dt.date(2023, 6, 1)),
        ("2023", dt.date(2023, 1, 1)),
        ("2024-02-29", dt.date(2024, 2, 29)),
    ],
)
def test_a_user_date_is_the_first_day_of_its_period(text: str, day: dt.date) -> None:
    assert parse_day(text) == day


def test_an_impossible_user_date_is_a_bad_input_naming_what() -> None:
    with pytest.raises(BadInput) as e:
        parse_day("2023-02-29", "start")
    assert e.value.message.startswith("bad start: ")
    assert "2023-02-29" in e.value.message
    assert e.value.hint == "for example 2023-06-01"
    with pytest.raises(BadInput) as e:
        parse_day("soon")
    assert e.value.message.startswith("bad date: ")


# ------------------------------------------------------------ a grouping's own dates

DATED = """\
id: alpha
name: Alpha
periods:
  - start: "2015-03-01"
    end: "2015-03-01"
    sources: [src-a]
  - start: "2016"
    end: "2018-06-30"
    sources: [src-a]
memberships:
  - {participant: USA, role: member, start: "2015-02-28", sources: [src-a]}
  - {participant: JPN, role: member, start: "2015-03-01", end: "2015-03-01", sources: [src-a]}
  - {participant: IND, role: member, start: "2018-06-30", sources: [src-a]}
  - {participant: KOR, role: member, start: "2018-06-29", end: "2018-06-30", sources: [src-a]}
  - {participant: KOR, role: observer, start: "2018-06-30", sources: [src-a]}
  - {participant: GBR, role: member, start: "2016", end: "2017", sources: [src-a]}
  - {participant: GBR, role: observer, start: "2016-12-31", sources: [src-a]}
  - {participant: zzzzzzzzzz, role: member, start: "2016", sources: [src-a]}
  - {participant: FRA, role: member, start: "2015-03-01", end: "2015-03-02", sources: [src-a]}
  - {participant: FRA, role: observer, start: "2015-03-02", end: "2018-06-29", sources: [src-a]}
"""


def test_a_grouping_s_dates_each_at_its_bound(tmp_path: Path) -> None:
    """Found by mutation testing. Ends are exclusive: an end on its start day is no
    interval, one a day later is; a membership may start on the founding day, not the
    day before, and not on the day the grouping ended (the end of its last period); a
    participant's intervals may touch but not overlap."""
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alfa.yaml": DATED})
    assert _lines(root) == [
        "groupings/alfa.yaml:1: id: id 'alpha' must match the file name 'alfa'",
        "groupings/alfa.yaml:5: periods[0].end: end 2015-03-01 is not after start 2015-03-01",
        "groupings/alfa.yaml:11: memberships[0].start: starts 2015-02-28, before the grouping"
        " was founded (2015-03-01)",
        "groupings/alfa.yaml:12: memberships[1].end: end 2015-03-01 is not after start 2015-03-01",
        "groupings/alfa.yaml:13: memberships[2].start: starts 2018-06-30, after the grouping"
        " ended (2018-06-30)",
        "groupings/alfa.yaml:15: memberships[4].start: starts 2018-06-30, after the grouping"
        " ended (2018-06-30)",
        "groupings/alfa.yaml:17: memberships[6].start: GBR's interval 2016-12-31–open overlaps"
        " memberships[5] (2016–2017)",
        "groupings/alfa.yaml:18: memberships[7].participant: unknown participant 'zzzzzzzzzz'"
        " (use an ISO 3166-1 alpha-3 code or a participant id)",
    ]


def test_a_grouping_s_problems_stand_on_the_line_of_their_field(tmp_path: Path) -> None:
    """Found by mutation testing: with every membership on one line, a problem placed at
    the membership instead of at its field went unnoticed."""
    lines = ["name: Alpha", "id: alpha", "periods:", '  - start: "2015-03-01"']
    lines += ['    end: "2018-06-30"', "    sources: [src-a]", "memberships:"]
    for participant, start, end in [
        ("USA", "2015-02-28", None),  # line 11: before the founding
        ("zzzzzzzzzz", "2016", None),  # line 14: unknown
        ("JPN", "2016", "2016"),  # line 20: ends on its start
        ("IND", "2018-06-30", None),  # line 24: on the day the grouping ended
        ("GBR", "2016", None),
        ("GBR", "2017", None),  # line 32: overlaps the open one before
    ]:
        lines += ["  - role: member", "    sources: [src-a]", f"    participant: {participant}"]
        lines += [f'    start: "{start}"'] + ([f'    end: "{end}"'] if end else [])
    text = "\n".join(lines) + "\n"
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alfa.yaml": text})
    assert [(p.line, p.field, p.message[:30]) for p in validate(root)] == [
        (2, "id", "id 'alpha' must match the file"),
        (11, "memberships[0].start", "starts 2015-02-28, before the "),
        (14, "memberships[1].participant", "unknown participant 'zzzzzzzzz"),
        (20, "memberships[2].end", "end 2016 is not after start 20"),
        (24, "memberships[3].start", "starts 2018-06-30, after the g"),
        (32, "memberships[5].start", "GBR's interval 2017–open overl"),
    ]
    assert validate(root)[-1].message == (
        "GBR's interval 2017–open overlaps memberships[4] (2016–open)"
    )


# ------------------------------------------------------------- facts and their sources

FACTS = """\
id: alpha
name: Alpha
periods:
  - start: "2015"
    sources: [src-a]
instrument:
  value: charter
  sources: [src-aa]
secretariat:
  value: none
website:
  value: none
  unverified: true
memberships:
  - {participant: USA, role: member, start: "2015", sources: [zzzzzzzz]}
"""


def test_each_fact_s_sourcing_problem_on_its_own_line(tmp_path: Path) -> None:
    """Found by mutation testing: an unknown source (with the closest id, or none), a
    fact with no source, and an unverified fact without a note, each at its place."""
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": FACTS})
    assert _lines(root) == [
        "groupings/alpha.yaml:8: instrument.sources: source 'src-aa' does not exist;"
        " did you mean src-a?",
        "groupings/alpha.yaml:9: secretariat: fact without a source: cite one in `sources` or"
        " mark `unverified: true`",
        "groupings/alpha.yaml:11: website: `unverified: true` needs a `note` saying what is"
        " uncertain",
        "groupings/alpha.yaml:15: memberships[0].sources: source 'zzzzzzzz' does not exist",
    ]


def test_a_document_failing_the_schema_has_each_source_placed(tmp_path: Path) -> None:
    text = FACTS.replace("name: Alpha\n", "").replace(
        "    sources: [src-a]\n", "    sources:\n      - src-a\n      - src-aa\n      - zzzzzzzz\n"
    )
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    lines = _lines(root)
    assert "groupings/alpha.yaml:1: name: required field is missing" in lines
    assert (
        "groupings/alpha.yaml:6: periods[0].sources: source 'src-aa' does not exist;"
        " did you mean src-a?"
    ) in lines
    assert ("groupings/alpha.yaml:7: periods[0].sources: source 'zzzzzzzz' does not exist") in lines


def test_a_bad_table_file_does_not_hide_the_next(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": _ok(),
            "capabilities/a.yaml": "- [unclosed\n",
            "capabilities/b.yaml": "- not a table\n",
            "capabilities/widgets.yaml": TABLE.format(tid="widgets", measure="share").replace(
                "acme", "JPN"
            ),
        },
    )
    assert _lines(root) == [
        "capabilities/a.yaml:2: (yaml): malformed YAML: did not find expected ',' or ']'",
        "capabilities/b.yaml:1: (document): a capability table must be a mapping",
    ]
    assert list(dataset._collect(root)[0].capabilities) == ["widgets"]


def test_a_table_in_the_wrong_folder_for_its_measure(tmp_path: Path) -> None:
    """Found by mutation testing: ratios go in indicators/, shares and amounts in
    capabilities/; the problem stands at the table's measure. A table failing the schema
    does not hide the next."""
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "participants/main.yaml": PARTICIPANT,
            "groupings/alpha.yaml": _ok(),
            "capabilities/a.yaml": TABLE.format(tid="a", measure="share").replace("name:", "nam:"),
            "capabilities/b.yaml": TABLE.format(tid="b", measure="ratio"),
            "capabilities/c.yaml": TABLE.format(tid="c", measure="share"),
            "indicators/d.yml": TABLE.format(tid="d", measure="share"),
        },
    )
    wrong = "indicators/ tables must have measure: ratio; capabilities/ tables must not"
    assert [(p.file, p.line, p.field, p.message) for p in validate(root)] == [
        ("capabilities/a.yaml", 1, "name", "required field is missing"),
        ("capabilities/a.yaml", 2, "nam", "unknown field (see docs/data.md for the schema)"),
        ("capabilities/b.yaml", 4, "measure", wrong),
        ("indicators/d.yml", 4, "measure", wrong),
    ]
    ds, _ = dataset._collect(root)
    assert (sorted(ds.capabilities), sorted(ds.indicators)) == (["b", "c"], ["d"])


BAD_TABLE = """\
name: A table
id: widget
unit: share of world output
measure: share
year: 2022
scope: Test table
sources:
  - src-a
  - src-zz
rows:
  - participant: USA
    value: 0.2
    sources: [src-yy]
  - participant: USA
    value: 0.2
  - participant: USX
    value: 0.2
  - participant: qqqqqqqqqq
    value: 0.1
  - participant: region:rest_of_world
    value: 0.1
  - participant: JPN
    value: 0.1
    unverified: true
"""


def test_each_problem_of_a_table_row_on_its_own_line(tmp_path: Path) -> None:
    """Found by mutation testing: the table's id against its file name, unknown sources
    of the table and of a row, a participant twice, unknown participants (with the
    closest code, or how to name one), an unverified row without a note."""
    root = _folder(
        tmp_path,
        {
            "sources/main.yaml": SOURCES,
            "groupings/alpha.yaml": _ok(),
            "capabilities/widgets.yaml": BAD_TABLE,
        },
    )
    out = "capabilities/widgets.yaml"
    lines = _lines(root)
    # the closest codes, in difflib's order of likeness: USA first
    assert lines[4].startswith(
        f"{out}:16: rows[2].participant: unknown participant 'USX'; did you mean USA"
    )
    assert lines[:4] + lines[5:] == [
        f"{out}:2: id: id 'widget' must match the file name 'widgets'",
        f"{out}:7: sources: source 'src-zz' does not exist",
        f"{out}:13: rows[0].sources: source 'src-yy' does not exist",
        f"{out}:14: rows[1].participant: USA appears twice (also rows[0])",
        f"{out}:18: rows[3].participant: unknown participant 'qqqqqqqqqq' (use ISO3, a"
        " participant id or region:<slug>)",
        f"{out}:22: rows[5]: `unverified: true` needs a `note` saying what is uncertain",
    ]


LIFE = """\
commitments:
  - id: fab
    text: "Build a fab."
    made: "2016-03-01"
    target: "2016-02"
    delivery: "A fab."
    superseded_by: othr
  - id: fab
    text: "Again."
    made: "2016-03-01"
    target: "2016-03-01"
    delivery: "A fab."
    sources: [src-a]
    superseded_by: fab
    status:
      - date: "2016-02-29"
        status: in_progress
        evidence: "Early."
        sources: [src-zz]
      - date: "2016-03-01"
        status: not_delivered
        evidence: "Not yet."
        sources: [src-a]
      - date: "2016-03-02"
        status: not_delivered
        evidence: "Late."
        sources: [src-a, zzzzzzzz]
      - date: "2016-03-01"
        status: in_progress
        evidence: "Back."
  - id: other
    text: "Other."
    made: "2016"
    delivery: "A fab."
    sources: [src-a]
    status:
      - {date: "2017", status: not_delivered, evidence: "No.", sources: [src-a]}
      - {date: "2017", status: in_progress, evidence: "Same day.", sources: [src-a]}
activity_searches:
  - {date: "2026-12-02", since: "2026-12-02", what: "M", where: [x], found: "N"}
  - {date: "2026-12-02", since: "2026-12-03", what: "M", where: [x], found: "N"}
"""


def test_each_rule_of_a_grouping_s_life_at_its_bound(tmp_path: Path) -> None:
    """Found by mutation testing (docs/data.md's rules): a target is a deadline (the end
    of its period), never before the commitment; statuses are dated from the commitment
    on, in date order (two on one day are in order), and not_delivered only after the deadline has passed (a deadline
    is needed); a search starts no later than its own date."""
    text = _ok() + LIFE
    root = _folder(tmp_path, {"sources/main.yaml": SOURCES, "groupings/alpha.yaml": text})
    out = "groupings/alpha.yaml:"
    assert _lines(root) == [
        out + "9: commitments[0]: commitment without a source: cite where it was made in `sources`",
        out + "12: commitments[0].target: target 2016-02 is before the commitment's date"
        " 2016-03-01",
        out + "14: commitments[0].superseded_by: no other commitment 'othr' in this grouping;"
        " did you mean other?",
        out + "15: commitments[1].id: commitment id 'fab' appears twice in this grouping",
        # superseded by itself: not another commitment, and no other one is close
        out + "21: commitments[1].superseded_by: no other commitment 'fab' in this grouping",
        out + "23: commitments[1].status[0].date: status dated 2016-02-29, before the"
        " commitment (2016-03-01)",
        out + "26: commitments[1].status[0].sources: source 'src-zz' does not exist; did you"
        " mean src-a?",
        out + "28: commitments[1].status[1].status: not_delivered dated 2016-03-01, before the"
        " deadline 2016-03-01 has passed",
        out + "34: commitments[1].status[2].sources: source 'zzzzzzzz' does not exist",
        out + "35: commitments[1].status[3]: status without evidence: cite the sources that"
        " show it in `sources`",
        out + "35: commitments[1].status[3].date: statuses must be in date order (2016-03-01"
        " after 2016-03-02)",
        out + "44: commitments[2].status[0].status: not_delivered means not delivered by its"
        " deadline: give the commitment a `target`",
        out + "48: activity_searches[1].since: searched from 2026-12-03, after the search"
        " itself (2026-12-02)",
    ]
