"""Answers the newcomer's review of 2 Dec 2026 found wrong or misleading in the data.

Each test pins one fix to the record it rests on, so that undoing the fix in the data
fails here rather than silently answering wrong again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from minilat.analysis import groupings as _groupings
from minilat.analysis.characteristics import assess
from minilat.cli import cli
from minilat.dataset import Dataset, load

DS: Dataset = load()
DAY = dt.date(2026, 12, 1)


def _cli(tmp_path_factory: pytest.TempPathFactory, *args: str) -> str:
    db = tmp_path_factory.mktemp("review") / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("gid", "missing"),
    [
        # The State Department lists five non-signatory participants with no first day.
        ("pax_silica", 4),
        # The Forum's page lists Mauritius and the DIFC as Associates, undated.
        ("global_cbpr", 2),
    ],
)
def test_a_list_whose_notes_name_unrecorded_participants_says_it_is_incomplete(
    tmp_path_factory: pytest.TempPathFactory, gid: str, missing: int
) -> None:
    """The member list is not presented as whole: the head-count the sources publish
    exceeds the participants recorded, in the model, the CLI text and its ``--json``."""
    g = DS.grouping(gid)
    e = _groupings.enumeration(DS, g, DAY)
    assert e is not None and not e["complete"]
    assert e["published"] - e["listed"] >= missing
    assert e["listed"] == len(g.members_on(DAY))
    assert set(e["sources"]) <= set(DS.sources)
    text = _cli(tmp_path_factory, "members", gid, "--as-of", DAY.isoformat())
    assert "Incomplete list" in text
    data = json.loads(_cli(tmp_path_factory, "members", gid, "--as-of", DAY.isoformat(), "--json"))
    assert data["enumeration"]["published"] == g.member_count.value  # type: ignore[union-attr]


DOCS = Path(__file__).parent.parent / "docs"


def test_cocom_notes_and_audit_count_the_unverified_years_the_record_marks() -> None:
    """The notes and the membership audit say how many CoCom join years are unverified;
    both must name exactly the memberships the record marks ``unverified``."""
    g = DS.grouping("cocom")
    unverified = {m.participant for m in g.memberships if m.unverified}
    said = re.search(r"the join years of (.+?) are unverified", " ".join((g.notes or "").split()))
    assert said is not None
    named = {n.strip() for n in re.split(r",| and ", said.group(1)) if n.strip()}
    assert len(named) == len(unverified)
    assert {DS.participant(c).name for c in unverified} - named <= {"Türkiye"}
    row = next(
        line
        for line in (DOCS / "audit-2026-12-02-memberships.md").read_text().splitlines()
        if line.startswith("| cocom |")
    )
    assert f"{len(unverified)} joining dates unverified" in row


def test_cocom_is_founded_the_day_its_launch_event_dates() -> None:
    """``show cocom`` printed 'founded 1950-01-01' beside a 1949 launch: a grouping's
    launch event and its founding now say the same day."""
    g = DS.grouping("cocom")
    launches = [e.date.iso() for e in g.events if e.kind == "launch"]
    assert launches == [g.founded.iso()]


def test_the_eu_joins_the_g7_the_day_its_first_participation_is_dated() -> None:
    """``show g7`` gave the EU 'since 1977-05-08' under an event dating its first
    participation 1977-05-07: the Community attended the second working day (8 May), and
    the event that says so is dated the day the membership starts."""
    g = DS.grouping("g7")
    eu = next(m for m in g.memberships if m.participant == "eu")
    first = [e for e in g.events if "European Community" in e.title and "first time" in e.title]
    assert [e.date.iso() for e in first] == [eu.start.iso()] == ["1977-05-08"]


def test_five_eyes_has_no_lapse_between_its_recorded_ministerials() -> None:
    """``groupings`` showed Five Eyes 'revived' after a lapse derived from 2025-04-18,
    while the record said a 2024 Five Country Ministerial communiqué had been found but
    not recorded. With the 2022 and 2024 communiqués recorded, no day from 2022 on is
    read as a lapse."""
    from minilat.analysis.life import life

    g = DS.grouping("five_eyes")
    for day in (dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2025, 12, 1), DAY):
        assert life(g, day).status == "active", day
    dated = {e.date.iso()[:4] for e in g.events if e.kind in ("ministerial", "joint_statement")}
    assert {"2022", "2024", "2025"} <= dated


def test_apec_cbpr_is_not_called_dormant_on_one_general_search() -> None:
    """``groupings`` showed the APEC CBPR System 'dormant' while its notes say its site
    still lists nine economies and the system continues. No dated act after 2022 was
    found, so the label says the record is thin (unknown), not that the system lapsed."""
    from minilat.analysis.life import life

    g = DS.grouping("apec_cbpr")
    after = [s for s in g.activity_searches if s.since.first_day() >= dt.date(2023, 1, 1)]
    assert after and not any(s.conclusive for s in after)
    assert life(g, DAY).status == "unknown"


def test_usmca_says_what_was_searched_after_2020() -> None:
    """``show usmca`` said 'Events after 2020 were not searched'. The search for the 2026
    joint review is recorded, with what it found (the September 2025 consultations); the
    review itself stays out until a page of the three governments dates it."""
    g = DS.grouping("usmca")
    assert "not searched in this pass" not in (g.notes or "")
    searched = [s for s in g.activity_searches if "joint review" in s.what]
    assert searched and all(s.since.first_day() <= dt.date(2026, 7, 1) for s in searched)
    later = [e for e in g.events if e.date.first_day() > dt.date(2020, 12, 31)]
    assert later and all(set(e.sources) <= set(DS.sources) for e in later)


def test_christchurch_call_head_count_counts_states_as_its_named_members_do() -> None:
    """The Call's head-counts are by kind (governments, companies, organisations); the
    record compared 56 governments with its 27 named participants, 8 of them companies,
    so every face read '27 of 56' and the size a range of 18 to 47. The count kept is the
    co-founder's own count of states, and is set against the states named only."""
    g = DS.grouping("christchurch_call")
    mc = g.member_count
    assert mc is not None and mc.counts == "states"
    assert any(DS.sources[s].publisher.startswith("Emmanuel Macron") for s in mc.sources)
    e = _groupings.enumeration(DS, g, DAY)
    assert e is not None and not e["complete"]
    named = g.members_on(DAY)
    states = [m for m in named if m.full and DS.participant(m.participant).is_state]
    assert e["listed"] == len(states) < len(named)
    assert e["named_of_published"] == f"{len(states)} of {mc.value}"
    size = assess(DS, g, DAY).size
    assert size.value == mc.value and size.bounds is None
