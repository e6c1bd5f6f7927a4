"""The timeline: founded, active and ended per year, by type, and its chart."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from minilat.analysis import timeline as tl
from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.model import Grouping, Source

TODAY = dt.date(2024, 6, 1)


def grouping(gid: str, periods: list[tuple[str, str | None]]) -> Grouping:
    return Grouping.model_validate(
        {
            "id": gid,
            "name": gid.upper(),
            "periods": [
                {"start": s, "end": e, "sources": ["s"], **({"end_reason": "dormant"} if e else {})}
                for s, e in periods
            ],
        }
    )


def dataset() -> Dataset:
    src = Source(id="s", title="t", publisher="p", url="https://example.org", accessed="2024-01-01")
    gs = [
        grouping("old", [("1975-11-15", None)]),
        grouping("cold", [("1950", "1994-03-31")]),
        grouping("quad", [("2007-05", "2008-02-05"), ("2017-11-12", None)]),
        grouping("new1", [("2021-09-15", None)]),
        grouping("new2", [("2021-03", None)]),
        grouping("new3", [("2022", "2023-06")]),
    ]
    return Dataset(groupings={g.id: g for g in gs}, participants={}, sources={"s": src})


def rows(t: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["year"]: r for r in t["years"]}


def test_founded_active_and_ended_per_year() -> None:
    t = tl.timeline(dataset(), today=TODAY)
    y = rows(t)
    assert t["start"] == 1975 and t["end"] == 2024 and t["groupings"] == 6
    assert t["founded_before_start"] == 1  # "cold", founded 1950
    assert (y[1975]["founded"], y[1975]["active"]) == (1, 2)
    assert y[1994]["ended"] == 1 and y[1994]["active"] == 2 and y[1995]["active"] == 1
    # the Quad: founded 2007, active 2007-2008, dormant 2009-2016, back from 2017
    assert y[2007]["founded_ids"] == ["quad"]
    assert [y[k]["active"] for k in (2008, 2009, 2016, 2017)] == [2, 1, 1, 2]
    assert y[2021]["founded"] == 2 and y[2022]["active"] == 5
    assert y[2023]["ended"] == 1 and y[2023]["active"] == 5 and y[2024]["active"] == 4
    assert y[2024]["partial"] is True and y[2023]["partial"] is False
    assert "founded_by_type" not in y[2021]


def test_decades_and_the_increase() -> None:
    t = tl.timeline(dataset(), today=TODAY)
    first, *_, last = t["decades"]
    assert (first["from"], first["to"], first["founded"]) == (1975, 1979, 1)
    assert (last["from"], last["to"], last["founded"]) == (2020, 2024, 3)
    assert last["founded_per_year"] == 0.6
    assert last["active_first"] == 2 and last["active_last"] == 4
    assert last["active_growth_per_year"] == pytest.approx((4 / 2) ** (1 / 4) - 1, abs=1e-6)
    inc = t["increase"]
    assert inc["recent_from"] == 2015 and inc["recent_founded"] == 3
    assert inc["earlier_founded"] == 2  # 1975 and 2007
    assert inc["ratio"] == pytest.approx((3 / 10) / (2 / 40))


def test_types_filters_and_range() -> None:
    types = {"new1": "security_defence", "new2": "digital_governance"}
    t = tl.timeline(dataset(), start=2020, end=2022, types=types, today=TODAY)
    y = rows(t)
    assert y[2021]["founded_by_type"] == {"digital_governance": 1, "security_defence": 1}
    assert y[2022]["active_by_type"] == {
        "digital_governance": 1,
        "security_defence": 1,
        "unclassified": 3,
    }
    assert t["by_type"] is True and y[2022]["partial"] is False
    only = tl.timeline(dataset(), start=2020, end=2022, include={"new1"}, today=TODAY)
    assert [r["active"] for r in only["years"]] == [0, 1, 1]
    with pytest.raises(BadInput):
        tl.timeline(dataset(), start=2000, end=1999)


@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_chart(fmt: str, magic: bytes) -> None:
    t = tl.timeline(dataset(), today=TODAY)
    data = tl.chart(t, fmt)
    assert data.startswith(magic)
    typed = tl.timeline(dataset(), types={"new1": "security_defence"}, today=TODAY)
    assert tl.chart(typed, fmt).startswith(magic)


def test_svg_chart_is_reproducible_and_follows_the_data() -> None:
    """The same timeline, computed twice, draws the same bytes (fixed ids, no date);
    another timeline (a shorter range, types added, one year's count changed) draws
    different ones, so the chart is not a picture of nothing."""
    t = tl.timeline(dataset(), today=TODAY)
    svg = tl.chart(t, "svg")
    assert tl.chart(tl.timeline(dataset(), today=TODAY), "svg") == svg
    shorter = tl.timeline(dataset(), start=2005, end=2015, today=TODAY)
    typed = tl.timeline(dataset(), types={"new1": "security_defence"}, today=TODAY)
    bumped = {
        **t,
        "years": [{**r, "founded": r["founded"] + (i == 3)} for i, r in enumerate(t["years"])],
    }
    assert (
        len({svg, tl.chart(shorter, "svg"), tl.chart(typed, "svg"), tl.chart(bumped, "svg")}) == 4
    )
    with pytest.raises(BadInput):
        tl.chart(t, "pdf")


def test_cli_timeline(run: Callable[..., Result], mini_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.svg"
    r = run("timeline", "--from", "2000", "--json", "--chart", str(out), data=mini_dir)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)  # the "wrote ..." notice goes to stderr
    assert d["start"] == 2000 and d["groupings"] == 2
    assert out.read_bytes().startswith(b"<?xml")
    r = run("timeline", "--from", "2010", "--to", "2012", data=mini_dir)
    assert r.exit_code == 0 and "by decade" in r.output
    r = run("timeline", "--chart", str(tmp_path / "t.gif"), data=mini_dir)
    assert r.exit_code == 2 and ".svg or .png" in r.output


def test_cli_timeline_type(
    run: Callable[..., Result], mini_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.cli import network as cli_network

    monkeypatch.setattr(cli_network, "_types", lambda ds, day: {"alpha": "security_defence"})
    r = run("timeline", "--from", "2010", "--type", "security_defence", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["groupings"] == 1 and d["type"] == "security_defence" and d["by_type"] is True
    monkeypatch.setattr(cli_network, "_types", lambda ds, day: None)
    r = run("timeline", "--type", "security_defence", data=mini_dir)
    assert r.exit_code == 2 and "not available yet" in r.output
