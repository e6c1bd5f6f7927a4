"""A country's groupings per year count one thing on every face and say so: the
groupings it took part in on 1 July of each year, as the panels observe. The chart once
put each point on 1 January while counting membership at any time in the year, so
China's page showed "1945-01-01: 1" (the UN was founded in October 1945) and
"2023-01-01: 20" where the panel gives 19.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from click.testing import Result
from starlette.testclient import TestClient

from minilat.analysis import panels
from minilat.analysis.countries import OVER_TIME_RULE, taking_part
from minilat.dataset import load

DAY = "2026-12-02"


def test_china_s_groupings_per_year_are_counted_on_1_july(
    run: Callable[..., Result], client: TestClient
) -> None:
    ds = load()
    cli = json.loads(run("country", "CHN", "--as-of", DAY, "--json").output)
    api = client.get("/api/v1/countries/CHN", params={"as_of": DAY}).json()
    over = cli["over_time"]
    assert over == api["profile"]["result"]["over_time"]
    assert cli["over_time_rule"] == OVER_TIME_RULE == api["profile"]["result"]["over_time_rule"]
    assert "1 July" in OVER_TIME_RULE
    # the UN was founded on 24 October 1945: on 1 July 1945 China took part in nothing
    assert over[0]["year"] == 1946
    for r in over:
        on = dt.date(r["year"], 7, 1)
        assert r["on"] == on.isoformat()
        assert r["groupings"] == len(taking_part(ds, "CHN", on)), r
    by_year = {r["year"]: r["groupings"] for r in over}
    panel = panels.country_year(ds, 2023, 2023)
    in_panel = sum(
        1 for row in panel.rows() if row["country"] == "CHN" and row["membership"] in (1, 2)
    )
    assert by_year[2023] == in_panel == 19
    # the chart: a point on each 1 July, valued as counted, and the words say so
    points = api["profile"]["chart"]["points"]
    assert [(p["day"], p["value"]) for p in points] == [(r["on"], r["groupings"]) for r in over]
    html = client.get("/countries/CHN", params={"as_of": DAY}).text
    assert "1945-01-01" not in html and not re.search(r"\d{4}-01-01: \d", html)
    assert "2023-07-01: 19" in html
    assert "on 1 July of each year" in html
    text = " ".join(run("country", "CHN", "--as-of", DAY).output.split())
    assert "groupings on 1 July of each year:" in text and "2023:19" in text
    csv = client.get("/countries/CHN/over-time.csv", params={"as_of": DAY}).text
    assert csv.splitlines()[0] == "year,observed_on,groupings"
    assert "2023,2023-07-01,19" in csv.splitlines()


def test_a_year_whose_1_july_is_after_the_date_is_not_counted(
    run: Callable[..., Result],
) -> None:
    over = json.loads(run("country", "CHN", "--as-of", "2024-03-01", "--json").output)["over_time"]
    assert over[-1]["year"] == 2023
