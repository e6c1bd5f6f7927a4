"""Every kind of dataset problem is found, located as file:line: field, all at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat.dataset import load, validate
from minilat.errors import DatasetInvalid

LINE = re.compile(r"^[^:]+:\d+: [^:]+: .+$")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _problems(root: Path) -> list[str]:
    return [str(p) for p in validate(root)]


def test_clean_fixture_has_no_problems(mini_dir: Path) -> None:
    assert _problems(mini_dir) == []


def test_bundled_dataset_validates() -> None:
    assert [str(p) for p in validate()] == []
    ds = load()
    assert len(ds.groupings) >= 60


CASES = [
    # (file, old, new, expected fragment of the problem)
    ("groupings/alpha.yaml", "participant: KOR", "participant: XYZ", "unknown participant 'XYZ'"),
    (
        "groupings/alpha.yaml",
        "[semiconductors, supply_chains]",
        "[semiconductors, chipz]",
        "themes.value[1]: unknown value 'chipz'",
    ),
    ("groupings/alpha.yaml", "id: alpha", "id: alfa", "must match the file name"),
    (
        "groupings/beta.yaml",
        'end: "2014-03-24", sources',
        'end: "1990", sources',
        "is not after start",
    ),
    (
        "groupings/alpha.yaml",
        'participant: KOR, role: member, start: "2016-03-01"',
        'participant: KOR, role: member, start: "2009-01-01"',
        "before the grouping was founded",
    ),
    (
        "groupings/alpha.yaml",
        'participant: USA, role: member, start: "2015"',
        'participant: USA, role: member, start: "2011"',
        "overlaps",
    ),
    (
        "groupings/alpha.yaml",
        "{value: none, sources: [src-a]}\nwebsite",
        "{value: none}\nwebsite",
        "fact without a source",
    ),
    (
        "groupings/beta.yaml",
        'role: member, start: "2004-05-01", sources: [src-b]',
        'role: member, start: "2004-05-01", sources: [src-zz]',
        "source 'src-zz' does not exist",
    ),
    ("groupings/beta.yaml", "name: Beta Forum", "name: Beta Forum\ncolour: blue", "unknown field"),
    (
        "groupings/beta.yaml",
        'role: member, start: "2004-05-01"',
        'role: boss, start: "2004-05-01"',
        "unknown value 'boss'",
    ),
    ("groupings/beta.yaml", 'start: "1999-03-15"\n', 'start: "1999-02-30"\n', "not a real day"),
    (
        "groupings/alpha.yaml",
        'unverified: true, note: "reported by press only"',
        "unverified: true",
        "needs a `note`",
    ),
    (
        "groupings/beta.yaml",
        "name: Beta Forum",
        "name: Beta Forum\nname: Again",
        "key appears twice",
    ),
    ("sources/main.yaml", "url: https://example.org/beta", "url: not a url", "url"),
    ("capabilities/widgets.yaml", "value: 0.4", "value: 0.9", "more than 1"),
    ("capabilities/widgets.yaml", "participant: USA", "participant: USX", "unknown participant"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), CASES)
def test_each_problem_is_named(
    mini_dir: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(mini_dir / file, old, new)
    problems = _problems(mini_dir)
    assert problems, "expected a problem"
    assert any(expected in p for p in problems), problems
    assert all(LINE.match(p) for p in problems), problems
    with pytest.raises(DatasetInvalid):
        load(mini_dir)


def test_line_numbers_point_at_the_problem(mini_dir: Path) -> None:
    path = mini_dir / "groupings/alpha.yaml"
    _edit(path, "participant: KOR", "participant: XYZ")
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "XYZ" in line)
    [problem] = validate(mini_dir)
    assert problem.file == "groupings/alpha.yaml"
    assert problem.line == line_no
    assert problem.field == "memberships[4].participant"


def test_all_problems_at_once(mini_dir: Path) -> None:
    _edit(mini_dir / "groupings/alpha.yaml", "participant: KOR", "participant: XYZ")
    _edit(mini_dir / "groupings/beta.yaml", "[trade_investment, finance, ai]", "[tradez]")
    (mini_dir / "groupings/gamma.yaml").write_text("id: gamma\nname: [unclosed\n")
    problems = _problems(mini_dir)
    files = {p.split(":")[0] for p in problems}
    assert files == {"groupings/alpha.yaml", "groupings/beta.yaml", "groupings/gamma.yaml"}


def test_malformed_yaml_is_a_problem_not_a_crash(mini_dir: Path) -> None:
    (mini_dir / "groupings/alpha.yaml").write_text("id: alpha\n  name: : :\n\t- bad")
    [p] = validate(mini_dir)
    assert p.file == "groupings/alpha.yaml"
    assert "malformed YAML" in p.message


def test_missing_folder(tmp_path: Path) -> None:
    [p] = validate(tmp_path / "nope")
    assert "no such data folder" in p.message


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_gives_named_problems_only(mini_dir: Path, text: str) -> None:
    (mini_dir / "groupings/alpha.yaml").write_text(text, encoding="utf-8")
    for p in validate(mini_dir):
        assert LINE.match(str(p).replace("\n", " ")), p


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_structure_gives_named_problems_only(mini_dir: Path, value: object) -> None:
    import yaml

    (mini_dir / "groupings/alpha.yaml").write_text(
        yaml.safe_dump({"id": "alpha", "periods": value})
    )
    for p in validate(mini_dir):
        assert p.file == "groupings/alpha.yaml"


def test_references_are_checked_even_when_the_schema_fails(mini_dir: Path) -> None:
    """A bad date, a bad value and a dangling source id in one file: all three named."""
    _edit(mini_dir / "groupings/beta.yaml", 'start: "1999-03-15"\n', 'start: "1999-02-30"\n')
    _edit(mini_dir / "groupings/beta.yaml", "{value: charter,", "{value: chartr,")
    _edit(
        mini_dir / "groupings/beta.yaml",
        'start: "2004-05-01", sources: [src-b]',
        'start: "2004-05-01", sources: [src-zz]',
    )
    problems = _problems(mini_dir)
    assert any("not a real day" in p for p in problems), problems
    assert any("unknown value 'chartr'" in p for p in problems), problems
    assert any("source 'src-zz' does not exist" in p for p in problems), problems
