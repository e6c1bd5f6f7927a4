"""Dependent territories (the Faroe Islands, Greenland, Åland, Bermuda) take part in
groupings under their own ISO 3166-1 codes but are not states: the dataset lists them as
participants of kind ``territory``, and no count of states includes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient

from minilat.analysis import groupings as gr
from minilat.analysis.characteristics import assess
from minilat.dataset import Dataset, check, load
from minilat.errors import DatasetInvalid
from minilat.model import ParticipantKind

DS: Dataset = load()
TERRITORIES = {"FRO": "DNK", "GRL": "DNK", "ALA": "FIN", "BMU": "GBR"}
DAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(("code", "sovereign"), sorted(TERRITORIES.items()))
def test_territories_are_sourced_non_state_participants(code: str, sovereign: str) -> None:
    p = DS.participant(code)
    assert p.kind is ParticipantKind.TERRITORY and not p.is_state
    assert p.country == sovereign and DS.is_state(sovereign)
    assert p.sources and all(s in DS.sources for s in p.sources)
    assert not DS.is_state(code)
    assert code not in DS.states()


def test_taiwan_is_still_counted_as_a_state() -> None:
    assert DS.is_state("TWN") and DS.participant("TWN").is_state
    assert "TWN" in DS.states()


def test_nordic_baltic_digital_has_eight_states_and_is_minilateral() -> None:
    g = DS.grouping("nordic_baltic_digital")
    s = gr.summary(DS, g, DAY)
    assert (s["full_members"], s["states"]) == (11, 8)
    size = assess(DS, g, DAY).size
    assert size.label == "minilateral"
    assert "8 full-member states" in size.reason


def test_every_state_count_of_the_web_leaves_territories_out(client: TestClient) -> None:
    home = client.get("/", params={"format": "json"}).json()
    listing = client.get("/api/v1/countries", params={"as_of": DAY.isoformat()}).json()
    codes = {c["iso3"] for c in listing["countries"]}
    assert not codes & set(TERRITORIES)
    assert {"DNK", "FIN", "GBR", "TWN"} <= codes
    today = dt.date.fromisoformat(home["as_of"])
    active = [g for g in DS.groupings.values() if g.active_on(today)]
    taking_part = {m.participant for g in active for m in g.members_on(today)}
    assert home["figures"]["states_taking_part"] == len(taking_part & DS.states())
    assert not {r["iso3"] for r in home["map"]["rows"]} & set(TERRITORIES)


def test_a_territory_needs_its_state_and_a_state_code_is_not_a_company(
    mini_dir: Path,
) -> None:
    f = mini_dir / "participants" / "main.yaml"
    base = f.read_text()
    f.write_text(base + "- {id: FRO, name: Faroe Islands, kind: territory, sources: [src-a]}\n")
    assert any("needs country" in p.message for p in check(mini_dir)[0])
    with pytest.raises(DatasetInvalid):
        load(mini_dir)
    f.write_text(base + "- {id: FRO, name: Faroes Ltd, kind: company, sources: [src-a]}\n")
    assert any("is a state code" in p.message for p in check(mini_dir)[0])
    f.write_text(
        base + "- {id: FRO, name: Faroe Islands, kind: territory, country: DNK, sources: [src-a]}\n"
    )
    assert not load(mini_dir).is_state("FRO")


def test_cli_members_counts_no_territory(run: Callable[..., Result]) -> None:
    import json

    r = run("members", "nordic_baltic_digital", "--as-of", DAY.isoformat(), "--json")
    d = json.loads(r.output)
    kinds = {m["participant"]: m["kind"] for m in d["members"]}
    assert {kinds[c] for c in ("FRO", "GRL", "ALA")} == {"territory"}
    assert d["states"] == 8


def test_search_finds_territories_and_the_eu_as_participants(tmp_path: Path) -> None:
    from minilat.search import search
    from minilat.store import open_store

    store = open_store(tmp_path / "store.db")
    ds = store.dataset()
    for q, key in (("Faroe Islands", "FRO"), ("European Union", "eu")):
        hits = search(store, ds, q, limit=50)["results"]
        kinds = {h["kind"] for h in hits if h["id"] == key}
        assert kinds == {"participant"}, (q, hits)


# ------------------------------------------------------------ names of countries


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Turkey", "TUR"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Great Britain", "GBR"),
        ("russia", "RUS"),
        ("UAE", "ARE"),
        ("Vatican", "VAT"),
        ("Türkiye", "TUR"),
        ("European Union", "eu"),
        ("EU", "eu"),
        ("Faroe Islands", "FRO"),
    ],
)
def test_common_names_and_short_forms_resolve(text: str, code: str) -> None:
    assert DS.resolve_participant(text) == code


def test_an_ambiguous_name_is_refused_with_both_countries_named() -> None:
    from minilat.errors import NotFound

    with pytest.raises(NotFound) as e:
        DS.resolve_participant("Korea")
    assert "KOR" in str(e.value.hint) and "PRK" in str(e.value.hint)


def test_cli_takes_common_names(run: Callable[..., Result]) -> None:
    import json

    assert json.loads(run("country", "Turkey", "--json").output)["country"]["id"] == "TUR"
    assert json.loads(run("country", "UK", "--json").output)["country"]["id"] == "GBR"
    d = json.loads(run("groupings", "--member", "European Union", "--json").output)
    assert d["filters"]["member"] == "eu" and d["count"] > 0


def test_web_country_address_of_a_non_state_goes_to_its_groupings(client: TestClient) -> None:
    r = client.get("/countries/eu", params={"as_of": "2024-01-01"})
    assert r.status_code == 307
    assert r.headers["location"] == "/groupings?as_of=2024-01-01&member=eu"
    listing = client.get(r.headers["location"] + "&format=json").json()
    assert listing["filters"]["member"] == "eu" and listing["count"] > 0
    r = client.get("/api/v1/countries/European Union")
    assert r.status_code == 307 and r.headers["location"] == "/api/v1/groupings?member=eu"
    assert client.get("/countries/FRO").headers["location"] == "/groupings?member=FRO"
    turkey = client.get("/api/v1/countries/Turkey").json()
    assert turkey["iso3"] == "TUR"
    assert client.get("/countries/XXY", params={"format": "json"}).status_code == 404
