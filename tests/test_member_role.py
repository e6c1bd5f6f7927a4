"""A listing filtered by member shows the member's own role and its dates (review of
2 December): ``groupings --member RUS --ever`` once listed the G7 and CERN with no sign
that Russia's G8 membership ended in 2014 or its CERN observer status in 2022.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset, load

DS: Dataset = load()
TODAY = dt.date.today()
STATES = sorted(
    {m.participant for g in DS.groupings.values() for m in g.memberships}
    - {
        c
        for g in DS.groupings.values()
        for m in g.memberships
        if not DS.participant(c := m.participant).is_state
    }
)


def test_russia_ever_shows_its_ended_roles(
    run80: Callable[..., Result], bundled_client: TestClient
) -> None:
    text = run80("groupings", "--member", "RUS", "--ever").output
    assert all(len(line) <= 80 for line in text.splitlines())
    assert re.search(r"│ g7 .*│ member 1998–2014\s+│", text), text
    assert re.search(r"│ cern .*│ observer 1995–2022\s+│", text), text
    rows = json.loads(run80("groupings", "--member", "RUS", "--ever", "--json").output)
    g7 = next(r for r in rows["groupings"] if r["id"] == "g7")["member_role"]
    assert g7["roles"] == [{"role": "member", "start": "1998", "end": "2014-03-24"}]
    assert [h["role"] for h in g7["history"]] == ["member", "suspended", "withdrawn"]
    api = bundled_client.get(
        "/api/v1/groupings", params={"member": "RUS", "ever": "true", "limit": 500}
    )
    assert next(r for r in api.json()["groupings"] if r["id"] == "g7")["member_role"] == g7
    page = bundled_client.get("/groupings", params={"member": "RUS", "ever": "true"}).text
    assert "RUS&#39;s role</th>" in page or "RUS's role</th>" in page
    assert "<td>member 1998–2014</td>" in page, page


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    code=st.sampled_from(STATES),
    day=st.dates(min_value=dt.date(1950, 1, 1), max_value=TODAY),
    ever=st.booleans(),
)
def test_every_row_names_a_role_the_record_holds(code: str, day: dt.date, ever: bool) -> None:
    """Each listed grouping names the member's active roles, as of the date (held that
    day) or ever (every one it held), exactly as the record's memberships say."""
    ids = [
        g.id
        for g in DS.groupings.values()
        if any(
            m.participant == code and m.active_role and (ever or m.holds_on(day))
            for m in g.memberships
        )
    ]
    listing = _groupings.listing(DS, ids, as_of=day, member=code, ever=ever)
    for r in listing["groupings"]:
        want = [
            m
            for m in DS.groupings[r["id"]].memberships
            if m.participant == code and m.active_role and (ever or m.holds_on(day))
        ]
        got = r["member_role"]
        assert len(got["roles"]) == len(want) >= 1
        assert got["text"].count("–") == len(want)
        assert {x["role"] for x in got["roles"]} == {m.role.value for m in want}
