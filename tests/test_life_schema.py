"""The schema of a grouping's life: commitments, their statuses, activity searches,
status overrides. Each rule of docs/data.md is an error `minilat validate` names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from minilat.dataset import load, validate
from minilat.model import Commitment, CommitmentStatus

GOOD = """
commitments:
  - id: fab-plan
    text: "Build a shared fab."
    made: "2016-03-01"
    target: "2018"
    delivery: "A fab producing wafers."
    sources: [src-a]
    status:
      - {date: "2017-01", status: in_progress, evidence: "Ground broken.", sources: [src-a]}
      - {date: "2019-02", status: not_delivered, evidence: "No wafers yet.", sources: [src-a]}
  - id: fab-plan-2
    text: "Build it later."
    made: "2019-03"
    delivery: "A fab producing wafers."
    sources: [src-a]
activity_searches:
  - date: "2026-12-02"
    since: "2024"
    what: "Meetings 2024-2026"
    where: ["the official site"]
    found: "Nothing after 2017."
status_override:
  status: dormant
  rationale: "No meeting since 2017."
  since: "2020"
  sources: [src-a]
"""


def _append(root: Path, text: str) -> None:
    path = root / "groupings" / "alpha.yaml"
    path.write_text(path.read_text() + text)


def _problems(root: Path) -> list[str]:
    return [str(p) for p in validate(root)]


def test_a_full_life_record_validates_and_loads(mini_dir: Path) -> None:
    _append(mini_dir, GOOD)
    assert _problems(mini_dir) == []
    g = load(mini_dir).grouping("alpha")
    c = g.commitments[0]
    assert c.due == dt.date(2018, 12, 31)
    assert c.status_on(dt.date(2016, 12, 31)) is None
    first = c.status_on(dt.date(2018, 1, 1))
    assert first is not None and first.status is CommitmentStatus.IN_PROGRESS
    assert g.activity_searches[0].date == dt.date(2026, 12, 2)
    assert g.status_override is not None and g.status_override.status == "dormant"


CASES = [
    # (old text in GOOD, new text, expected fragment, field)
    (
        "    sources: [src-a]\n    status:",
        "    status:",
        "commitment without a source",
        "commitments[0]",
    ),
    (
        "    sources: [src-a]\n    status:",
        "    unverified: true\n    note: hearsay\n    status:",
        "commitment without a source",
        "commitments[0]",
    ),
    (
        'evidence: "Ground broken.", sources: [src-a]}',
        'evidence: "Ground broken."}',
        "status without evidence",
        "commitments[0].status[0]",
    ),
    ('evidence: "Ground broken.",', "", "required field is missing", "status[0].evidence"),
    ('target: "2018"', 'target: "2015"', "is before the commitment's date", "target"),
    ('{date: "2017-01"', '{date: "2015-01"', "before the commitment", "status[0].date"),
    ('{date: "2019-02"', '{date: "2016-06"', "in date order", "status[1].date"),
    ('{date: "2019-02"', '{date: "2018-06"', "before the deadline", "status[1].status"),
    ('    target: "2018"\n', "", "give the commitment a `target`", "status[1].status"),
    ("status: in_progress", "status: done", "unknown value 'done'", "status[0].status"),
    ("id: fab-plan-2", "id: fab-plan", "appears twice", "commitments[1].id"),
    (
        '    made: "2019-03"',
        '    made: "2019-03"\n    superseded_by: fab-plam',
        "did you mean",
        "superseded_by",
    ),
    ("src-a]}\n  - id: fab", "src-zz]}\n  - id: fab", "source 'src-zz' does not exist", "sources"),
    ('since: "2024"', 'since: "2027"', "after the search itself", "since"),
    ('where: ["the official site"]', "where: []", "at least 1 item", "where"),
    ("status: dormant", "status: sleepy", "unknown value 'sleepy'", "status_override.status"),
    (
        '  since: "2020"\n  sources: [src-a]',
        '  since: "2020"',
        "fact without a source",
        "status_override",
    ),
]


@pytest.mark.parametrize(("old", "new", "fragment", "field"), CASES)
def test_each_life_rule_is_an_error(
    mini_dir: Path, old: str, new: str, fragment: str, field: str
) -> None:
    assert old in GOOD, old
    _append(mini_dir, GOOD.replace(old, new, 1))
    problems = _problems(mini_dir)
    assert any(fragment in p and field in p for p in problems), problems
    assert all(p.startswith("groupings/alpha.yaml:") for p in problems), problems


@pytest.mark.parametrize(
    ("target", "refused"), [("2016", False), ("2016-03", False), ("2016-02", True)]
)
def test_a_partial_target_is_checked_by_its_last_day(
    mini_dir: Path, target: str, refused: bool
) -> None:
    """A pledge made on 1 March 2016 with a target of "2016" is due by 31 December 2016,
    and of "2016-03" by 31 March: neither is before the pledge; "2016-02" is
    (docs/data.md: a partial target means the END of its period)."""
    _append(mini_dir, GOOD.replace('target: "2018"', f'target: "{target}"'))
    problems = [p for p in _problems(mini_dir) if "is before the commitment's date" in p]
    assert bool(problems) is refused, problems


def test_the_problem_names_the_line(mini_dir: Path) -> None:
    _append(mini_dir, GOOD.replace('target: "2018"', 'target: "2015"'))
    before = (mini_dir / "groupings" / "alpha.yaml").read_text().splitlines()
    [problem] = validate(mini_dir)
    assert 'target: "2015"' in before[problem.line - 1]


@pytest.mark.parametrize(
    ("target", "due"),
    [
        ("2022", dt.date(2022, 12, 31)),
        ("2024-02", dt.date(2024, 2, 29)),
        ("2023-12", dt.date(2023, 12, 31)),
        ("2023-05-04", dt.date(2023, 5, 4)),
        (None, None),
    ],
)
def test_a_partial_target_is_due_at_the_end_of_its_period(target: str | None, due: object) -> None:
    c = Commitment(id="x", text="t", made="2021", target=target, delivery="d", sources=("s",))
    assert c.due == due


def test_the_shipped_examples_are_sourced() -> None:
    ds = load()
    quad = ds.grouping("quad")
    assert quad.commitments, "the Quad's vaccine pledge exercises the schema"
    for c in quad.commitments:
        assert c.sources and all(s in ds.sources for s in c.sources)
        for a in c.status:
            assert a.sources and all(s in ds.sources for s in a.sources)
    assert ds.grouping("chip4").activity_searches
