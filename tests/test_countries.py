"""Country profiles: the hedging measure on constructed cases, specialisation, partners."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from minilat.analysis import countries as co
from minilat.dataset import Dataset, load
from minilat.model import Grouping, Participant, ParticipantKind, Role, Source

DAY = dt.date(2024, 1, 1)


def grouping(
    gid: str,
    rows: list[tuple[str, str, str, str | None]],
    *,
    start: str = "2000",
    themes: tuple[str, ...] = ("ai",),
) -> Grouping:
    return Grouping.model_validate(
        {
            "id": gid,
            "name": gid.upper(),
            "periods": [{"start": start, "sources": ["s"]}],
            "themes": {"value": list(themes), "sources": ["s"]},
            "memberships": [
                {"participant": p, "role": r, "start": s, "end": e, "sources": ["s"]}
                for p, r, s, e in rows
            ],
        }
    )


def full(gid: str, *codes: str, themes: tuple[str, ...] = ("ai",)) -> Grouping:
    return grouping(gid, [(c, "member", "2000", None) for c in codes], themes=themes)


def dataset(*gs: Grouping) -> Dataset:
    eu = Participant(id="eu", name="European Union", kind=ParticipantKind.SUPRANATIONAL)
    src = Source(id="s", title="t", publisher="p", url="https://example.org", accessed="2024-01-01")
    return Dataset(groupings={g.id: g for g in gs}, participants={"eu": eu}, sources={"s": src})


def blocs() -> Dataset:
    """Three US-anchored, three China-anchored, one with both and two with neither."""
    return dataset(
        full("us1", "USA", "GBR", "IND", "JPN", themes=("semiconductors",)),
        full("us2", "USA", "GBR", "IND", themes=("semiconductors", "ai")),
        full("us3", "USA", "GBR", "JPN", themes=("defence_platforms",)),
        full("cn1", "CHN", "IND", "RUS", themes=("finance",)),
        full("cn2", "CHN", "IND", "RUS", "BRA", themes=("finance",)),
        full("cn3", "CHN", "RUS", themes=("space",)),
        full("g20", "USA", "CHN", "IND", "GBR", "BRA", themes=("finance",)),
        full("x1", "IND", "JPN", themes=("supply_chains",)),
        full("x2", "BRA", "ZAF", themes=("ai",)),
    )


# ----------------------------------------------------------------------- anchors


def test_anchor_classes() -> None:
    ds = blocs()
    got = {g: co.anchor_class(ds.groupings[g], DAY) for g in ("us1", "cn1", "g20", "x1")}
    assert got == {
        "us1": "us_anchored",
        "cn1": "china_anchored",
        "g20": "both",
        "x1": "neither",
    }


def test_anchors_need_full_membership_on_the_date() -> None:
    g = grouping(
        "g",
        [
            ("CHN", "founding_member", "2000", None),
            ("USA", "observer", "2000", "2010"),
            ("USA", "member", "2010", None),
        ],
    )
    assert co.anchor_class(g, dt.date(2005, 1, 1)) == "china_anchored"  # observer only
    assert co.anchor_class(g, dt.date(2012, 1, 1)) == "both"
    assert co.anchor_class(g, dt.date(1999, 1, 1)) == "neither"  # not yet founded


# ----------------------------------------------------------------------- hedging


def test_a_country_in_both_blocs_formats_reads_as_a_hedger() -> None:
    a = co.alignment(blocs(), "IND", DAY)
    assert (a["us_anchored"], a["china_anchored"], a["both"], a["neither"]) == (2, 2, 1, 1)
    assert a["available"] == {
        "us_anchored": 3,
        "china_anchored": 3,
        "both": 1,
        "neither": 2,
        "unknown": 0,
    }
    assert a["us_rate"] == pytest.approx(2 / 3) and a["china_rate"] == pytest.approx(2 / 3)
    assert a["hedging_index"] == 1.0 and a["lean"] == 0.0
    assert a["label"] == "hedger"
    assert [g["grouping"] for g in a["groupings"]["china_anchored"]] == ["cn1", "cn2"]


def test_a_country_in_one_blocs_formats_reads_as_aligned() -> None:
    gbr = co.alignment(blocs(), "GBR", DAY)
    assert (gbr["us_anchored"], gbr["china_anchored"]) == (3, 0)
    assert gbr["hedging_index"] == 0.0 and gbr["lean"] == 1.0
    assert gbr["label"] == "aligned: US-anchored"
    rus = co.alignment(blocs(), "RUS", DAY)
    assert rus["label"] == "aligned: China-anchored" and rus["lean"] == -1.0


def test_hedging_compares_participation_rates_not_counts() -> None:
    # six US-anchored formats and one China-anchored: a country in 2 + 1 joins the
    # China-anchored side at the higher rate (1/1 against 2/6), though it has fewer there
    gs = [full(f"us{i}", "USA", "GBR") for i in range(4)]
    gs += [full("us4", "USA", "IDN"), full("us5", "USA", "IDN"), full("cn", "CHN", "IDN")]
    a = co.alignment(dataset(*gs), "IDN", DAY)
    assert (a["us_anchored"], a["china_anchored"]) == (2, 1)
    assert a["raw_hedging_index"] == 0.5
    assert a["hedging_index"] == pytest.approx(1 / 3, abs=1e-6)
    assert a["lean"] < 0
    assert a["label"] == "hedger"
    strict = co.alignment(dataset(*gs), "IDN", DAY, threshold=0.5)
    assert strict["label"] == "aligned: China-anchored"


def test_hedging_labels_for_anchors_few_and_none() -> None:
    ds = blocs()
    assert co.alignment(ds, "USA", DAY)["label"] == "anchor"
    assert co.alignment(ds, "CHN", DAY)["label"] == "anchor"
    zaf = co.alignment(ds, "ZAF", DAY)
    assert zaf["label"] == "no bloc-anchored formats" and zaf["hedging_index"] is None
    assert zaf["neither"] == 1
    bra = co.alignment(ds, "BRA", DAY)  # one China-anchored format only
    assert bra["label"] == "too few bloc-anchored formats"


def test_hedging_follows_the_date() -> None:
    ds = dataset(
        full("us", "USA", "IND"),
        grouping("cn", [("CHN", "member", "2000", None), ("IND", "member", "2017", None)]),
        full("us2", "USA", "IND"),
        full("us3", "USA", "IND"),
    )
    assert co.alignment(ds, "IND", dt.date(2010, 1, 1))["label"] == "aligned: US-anchored"
    assert co.alignment(ds, "IND", dt.date(2018, 1, 1))["label"] == "hedger"


def test_bundled_data_india_hedges_and_the_uk_is_aligned() -> None:
    ds = load()
    day = dt.date(2025, 6, 1)
    ind = co.alignment(ds, "IND", day)
    assert ind["label"] == "hedger", ind
    assert {"quad", "brics"} <= {g["grouping"] for gs in ind["groupings"].values() for g in gs}
    gbr = co.alignment(ds, "GBR", day)
    assert gbr["label"] == "aligned: US-anchored", gbr


# ------------------------------------------------------------------ specialisation


def test_location_quotients() -> None:
    counts = {"A": {"x": 3, "y": 1}, "B": {"x": 1, "y": 3}, "C": {"x": 2, "y": 2}}
    lq = {r["category"]: r["lq"] for r in co.location_quotients(counts, "A")}
    assert lq == {"x": 1.5, "y": 0.5}
    assert co.location_quotients(counts, "Z") == []
    assert co.location_quotients({}, "A") == []


def test_profile_specialisation_and_type_mix() -> None:
    types = {g: "security_defence" for g in ("us1", "us2", "us3")} | {"cn1": "multidimensional"}
    p = co.profile(blocs(), "GBR", DAY, types=types)
    themes = {r["category"]: r for r in p["specialisation"]["themes"]}
    # GBR: semiconductors twice out of its 5 theme memberships; all states: 7 of 31
    assert themes["semiconductors"]["count"] == 2
    assert themes["semiconductors"]["lq"] == pytest.approx((2 / 5) / (7 / 31), abs=1e-5)
    assert p["type_mix"] == {"security_defence": 3, "unclassified": 1}
    ty = {r["category"]: r["lq"] for r in p["specialisation"]["types"]}
    assert ty["security_defence"] > 1
    assert co.profile(blocs(), "GBR", DAY)["type_mix"] is None


# ------------------------------------------------------------------------ profile


def test_profile_partners_network_and_history() -> None:
    ds = dataset(
        *blocs().groupings.values(),
        grouping(
            "old",
            [("IND", "member", "1990", "1995"), ("JPN", "member", "1990", None)],
            start="1990",
        ),
    )
    p = co.profile(ds, "IND", DAY)
    assert p["country"] == {"id": "IND", "name": "India", "kind": "state"}
    assert [c["grouping"] for c in p["current"]] == ["cn1", "cn2", "g20", "us1", "us2", "x1"]
    assert p["memberships"][0]["grouping"] == "old" and p["memberships"][0]["current"] is False
    top = p["partners"][0]
    assert top["shared"] == max(q["shared"] for q in p["partners"])
    assert set(top["groupings"]) <= {c["grouping"] for c in p["current"]}
    # JPN shares us1 and x1 with India; the partners are states only
    jpn = next(q for q in p["partners"] if q["id"] == "JPN")
    assert jpn["groupings"] == ["us1", "x1"] and jpn["shared"] == 2
    n = p["network"]
    assert n is not None and n["of"] == 8 and 1 <= n["rank"]["strength"] <= 8
    years = {r["year"]: r["groupings"] for r in p["over_time"]}
    assert years[1990] == 1 and years[1996] == 0 and years[2000] == 6
    assert p["alignment"]["label"] == "hedger"
    json.dumps(p)


def test_profile_of_a_participant_without_memberships() -> None:
    p = co.profile(blocs(), "EST", DAY)
    assert p["current"] == [] and p["partners"] == [] and p["network"] is None
    assert p["over_time"] == []
    assert p["alignment"]["label"] == "no bloc-anchored formats"


# ---------------------------------------------------------------------------- CLI


def test_cli_country(run: Callable[..., Result], mini_dir: Path) -> None:
    r = run("country", "usa", "--as-of", "2018-01-01", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    d: dict[str, Any] = json.loads(r.output)
    assert d["country"]["id"] == "USA" and d["alignment"]["label"] == "anchor"
    r = run("country", "Japan", "--as-of", "2018-01-01", data=mini_dir)
    assert r.exit_code == 0, r.output
    assert "Japan (JPN)" in r.output and "alignment:" in r.output
    r = run("country", "XYZ", data=mini_dir)
    assert r.exit_code == 2


def test_a_partial_member_list_anchors_no_bloc() -> None:
    """The Zangger Committee names only China of its 39 members: it must not count as
    China-anchored in anyone's hedging index (it did, from the partial list)."""
    import datetime as dt

    from minilat.analysis.countries import alignment
    from minilat.analysis.groupings import anchor_class
    from minilat.dataset import load

    ds = load()
    day = dt.date(2024, 1, 1)
    zangger = ds.grouping("zangger")
    assert anchor_class(zangger, day) == "china_anchored"  # the list alone says so
    assert anchor_class(zangger, day, ds=ds) == "unknown"
    a = alignment(ds, "CHN", day)
    assert "zangger" in [g["grouping"] for g in a["groupings"]["unknown"]]
    assert "zangger" not in [g["grouping"] for g in a["groupings"]["china_anchored"]]
    assert a["unknown"] == len(a["groupings"]["unknown"])
    # a complete list is classed as before
    assert anchor_class(ds.grouping("quad"), day, ds=ds) == "us_anchored"


# ------------------------------------------------- found by mutation testing (docs/testing.md)
# The hedging measure's whole answer on hand-worked cases (the module docstring's rules):
# rates, index, raw index and lean to six places, the threshold, each grouping's role.


def _member(gid: str) -> dict[str, str]:
    return {"grouping": gid, "role": "member"}


def test_alignment_of_a_hedger_exactly() -> None:
    """India in 2 of 3 US-anchored and 2 of 3 China-anchored formats: equal rates 2/3,
    index 1, raw index 2/2 = 1, lean 0."""
    assert co.alignment(blocs(), "IND", DAY) == {
        "country": "IND",
        "as_of": "2024-01-01",
        "anchors": ["USA", "CHN"],
        "us_anchored": 2,
        "china_anchored": 2,
        "both": 1,
        "neither": 1,
        "unknown": 0,
        "available": {
            "us_anchored": 3,
            "china_anchored": 3,
            "both": 1,
            "neither": 2,
            "unknown": 0,
        },
        "us_rate": 0.666667,
        "china_rate": 0.666667,
        "hedging_index": 1.0,
        "raw_hedging_index": 1.0,
        "lean": 0.0,
        "threshold": 0.333333,
        "label": "hedger",
        "groupings": {
            "us_anchored": [_member("us1"), _member("us2")],
            "china_anchored": [_member("cn1"), _member("cn2")],
            "both": [_member("g20")],
            "neither": [_member("x1")],
            "unknown": [],
        },
    }


def _three_and_three(us: int, cn: int) -> Dataset:
    """Three US- and three China-anchored formats; Indonesia in the first ``us`` and the
    first ``cn`` of them."""
    return dataset(
        *(full(f"us{i}", "USA", *(["IDN"] if i < us else [])) for i in range(3)),
        *(full(f"cn{i}", "CHN", *(["IDN"] if i < cn else [])) for i in range(3)),
    )


def test_alignment_exactly_at_the_hedging_threshold() -> None:
    """1 of 3 US-anchored, 3 of 3 China-anchored: index (1/3) / 1 = 1/3, the threshold
    itself, so a hedger; raw index 1/3; lean (1/3 - 1) / (4/3) = -0.5."""
    a = co.alignment(_three_and_three(1, 3), "IDN", DAY)
    assert (a["us_rate"], a["china_rate"]) == (0.333333, 1.0)
    assert (a["hedging_index"], a["raw_hedging_index"], a["lean"]) == (0.333333, 0.333333, -0.5)
    assert a["label"] == "hedger"


def test_alignment_with_exactly_the_minimum_of_formats() -> None:
    """1 + 2 = 3 formats (MIN_FORMATS) are enough: index (1/3) / (2/3) = 0.5, raw 1/2,
    lean (1/3 - 2/3) / 1 = -1/3."""
    a = co.alignment(_three_and_three(1, 2), "IDN", DAY)
    assert (a["hedging_index"], a["raw_hedging_index"], a["lean"]) == (0.5, 0.5, -0.333333)
    assert a["label"] == "hedger"
    assert co.alignment(_three_and_three(1, 1), "IDN", DAY)["label"] == (
        "too few bloc-anchored formats"
    )


def test_alignment_when_one_side_has_no_formats_at_all() -> None:
    """No US-anchored format on the date: the US rate is 0 (not a division by zero, not
    1), so a country in three China-anchored formats is aligned with China; and the
    mirror case."""
    only_cn = dataset(*(full(f"cn{i}", "CHN", "PAK") for i in range(3)))
    a = co.alignment(only_cn, "PAK", DAY)
    assert (a["us_rate"], a["china_rate"], a["hedging_index"], a["lean"]) == (0.0, 1.0, 0.0, -1.0)
    assert a["label"] == "aligned: China-anchored"
    only_us = dataset(*(full(f"us{i}", "USA", "GBR") for i in range(3)))
    a = co.alignment(only_us, "GBR", DAY)
    assert (a["us_rate"], a["china_rate"], a["hedging_index"], a["lean"]) == (1.0, 0.0, 0.0, 1.0)
    assert a["label"] == "aligned: US-anchored"


def _with_unverified_membership() -> Dataset:
    """Kenya in a US-anchored format without a source for its membership (unverified)."""
    us = Grouping.model_validate(
        {
            "id": "us0",
            "name": "US0",
            "periods": [{"start": "2000", "sources": ["s"]}],
            "memberships": [
                {"participant": "USA", "role": "member", "start": "2000", "sources": ["s"]},
                {"participant": "KEN", "role": "member", "start": "2000"},
            ],
        }
    )
    return dataset(us, full("us1", "USA", "KEN"))


def test_unverified_memberships_count_unless_verified_only() -> None:
    ds = _with_unverified_membership()
    assert [g.id for g, _ in co.taking_part(ds, "KEN", DAY)] == ["us0", "us1"]
    assert [g.id for g, _ in co.taking_part(ds, "KEN", DAY, verified_only=True)] == ["us1"]
    assert co.alignment(ds, "KEN", DAY)["us_anchored"] == 2
    assert co.alignment(ds, "KEN", DAY, verified_only=True)["us_anchored"] == 1


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_a_hedging_threshold_may_be_zero_or_one(threshold: float) -> None:
    a = co.alignment(blocs(), "IND", DAY, threshold=threshold)
    assert (a["threshold"], a["label"]) == (threshold, "hedger")  # index 1 meets both


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_a_hedging_threshold_outside_zero_to_one_is_refused(threshold: float) -> None:
    """The index lies in [0, 1]: above 1 equal rates (India's) would read as aligned."""
    with pytest.raises(ValueError, match=r"a hedging threshold lies in \[0, 1\], not "):
        co.alignment(blocs(), "IND", DAY, threshold=threshold)


# mutmut does not mutate decorated functions, so `_on_date` and `_anchor_classes`
# (memoised with @shared) had no mutants: their two rules are tested here instead
# (docs/testing.md).


def test_a_grouping_that_ended_before_the_date_is_not_available() -> None:
    ended = Grouping.model_validate(
        {
            "id": "old_us",
            "name": "OLD",
            "periods": [{"start": "2000", "end": "2010", "sources": ["s"]}],
            "memberships": [
                {"participant": p, "role": "member", "start": "2000", "sources": ["s"]}
                for p in ("USA", "GBR")
            ],
        }
    )
    ds = dataset(ended, *blocs().groupings.values())
    a = co.alignment(ds, "GBR", DAY)
    assert a["available"]["us_anchored"] == 3 and a["us_anchored"] == 3
    assert co.alignment(ds, "GBR", dt.date(2005, 1, 1))["groupings"]["us_anchored"][0] == {
        "grouping": "old_us",
        "role": "member",
    }


def test_a_participant_listed_twice_on_a_day_takes_part_once() -> None:
    """Overlapping rows (refused by dataset validation, possible in a what-if copy) count
    one grouping once, with the first row's role."""
    g = grouping("us0", [("USA", "member", "2000", None), ("IND", "observer", "2000", None)])
    twice = g.model_copy(
        update={
            "memberships": (
                *g.memberships,
                g.memberships[1].model_copy(update={"role": Role.MEMBER}),
            )
        }
    )
    assert [(x.id, role) for x, role in co.taking_part(dataset(twice), "IND", DAY)] == [
        ("us0", "observer")
    ]
