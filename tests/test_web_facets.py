"""Facet counts tie to the listing: following a facet gives exactly its count.

Themes and regions are several per grouping: with one chosen, the others count the
listed groupings that also have them (co-occurrence), and the chosen one counts them all.

The groupings list counts the groupings it lists by type, theme, status and region (the
UN geoscheme region of a state taking part, :mod:`minilat.regions`). For any filters,
each count of a facet that can be followed (type, theme, region) is the total of the
listing filtered by it as well, and each row's regions are those of the states that
``members`` lists for that grouping on the date.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat import regions
from minilat.model import GroupingType, Theme
from minilat.web import create_app, views


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    tmp = tmp_path_factory.mktemp("facets")
    data = os.environ.get("MINILAT_DATA")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "editorial.db"))
        yield create_app(tmp / "store.db", Path(data) if data else None)


FOLLOW = {"type": "type_", "theme": "theme", "region": "region"}

filters = st.fixed_dictionaries(
    {},
    optional={
        "type_": st.sampled_from([t.value for t in GroupingType]),
        "theme": st.sampled_from([t.value for t in Theme]),
        "region": st.sampled_from(regions.REGIONS),
        "as_of": st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 31)).map(dt.date.isoformat),
        "ever": st.just(True),
    },
).filter(lambda f: not (f.get("ever") and f.get("as_of")))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(filters)
def test_following_a_facet_gives_its_count(app: FastAPI, f: dict[str, object]) -> None:
    site = app.state.site
    listing = views.grouping_list(site, limit=views.MAX_LIMIT, **f)
    total = listing["total"]
    for name, param in FOLLOW.items():
        if f.get(param):  # a grouping has several themes and regions: the others co-occur
            chosen = {c["value"]: c["count"] for c in listing["facets"][name]}
            assert chosen.get(str(f[param]), 0) == total
            continue
        for facet in listing["facets"][name]:
            narrowed = views.grouping_list(
                site,
                limit=views.MAX_LIMIT,
                **{**f, param: facet["value"]},
            )
            assert narrowed["total"] == facet["count"], (name, facet)
            assert 0 < facet["count"] <= total
    statuses = listing["facets"]["status"]
    assert sum(s["count"] for s in statuses) == total


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 31)))
def test_a_rows_regions_are_those_of_its_members_on_the_date(app: FastAPI, day: dt.date) -> None:
    site = app.state.site
    rows = views.grouping_list(site, as_of=day.isoformat(), limit=views.MAX_LIMIT)["groupings"]
    for row in rows:
        listed = views.members(site, row["id"], day)["members"]
        states = [m["participant"] for m in listed if site.ds.is_state(m["participant"])]
        assert row["regions"] == regions.regions_of(states), row["id"]


def test_the_api_and_the_page_filter_by_region(app: FastAPI) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        d = client.get("/api/v1/groupings", params={"limit": 500}).json()
        facet = {f["value"]: f["count"] for f in d["facets"]["region"]}
        assert set(facet) <= set(regions.REGIONS) and facet
        oceania = client.get("/api/v1/groupings", params={"region": "Oceania"}).json()
        assert oceania["total"] == facet["Oceania"] and oceania["filters"]["region"] == "Oceania"
        assert all("Oceania" in g["regions"] for g in oceania["groupings"])
        bad = client.get("/api/v1/groupings", params={"region": "Atlantis"})
        assert bad.status_code == 400 and "Africa" in bad.json()["error"]["hint"]
        page = client.get("/groupings", params={"region": "Oceania"})
        assert page.status_code == 200
        assert (
            "<strong>Oceania</strong> (" in page.text and "region of the UN geoscheme" in page.text
        )
        assert '<option value="Oceania" selected>' in page.text


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 31)))
def test_the_countries_region_facet_ties_to_the_list(app: FastAPI, day: dt.date) -> None:
    site = app.state.site
    listing = views.country_list(site, day)
    for facet in listing["facets"]["region"]:
        narrowed = views.country_list(site, day, facet["value"])
        assert narrowed["count"] == facet["count"]
        assert {c["region"] for c in narrowed["countries"]} == {facet["value"]}
        assert narrowed["facets"]["region"] == [facet]
    unplaced = sum(1 for c in listing["countries"] if c["region"] is None)
    assert sum(f["count"] for f in listing["facets"]["region"]) + unplaced == listing["count"]
    for c in listing["countries"]:
        assert c["region"] == regions.region(c["iso3"])


def test_the_countries_page_and_api_filter_by_region(app: FastAPI) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        d = client.get("/api/v1/countries").json()
        europe = client.get("/api/v1/countries", params={"region": "Europe"}).json()
        counts = {f["value"]: f["count"] for f in d["facets"]["region"]}
        assert europe["count"] == counts["Europe"] and europe["region"] == "Europe"
        assert client.get("/api/v1/countries", params={"region": "Mars"}).status_code == 400
        page = client.get("/countries", params={"region": "Europe"})
        assert page.status_code == 200 and "<strong>Europe</strong> (" in page.text
        assert "<td>Europe</td>" in page.text and "<td>Asia</td>" not in page.text
