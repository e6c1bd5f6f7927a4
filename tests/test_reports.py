from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from minilat import reports
from minilat.dataset import load

DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def ds():
    return load()


#: What the record says of each of the article's claims: every claim holds, except that
#: the article names the UK, not the UAE, as the fourth member of I2U2.
VERDICTS = {
    "IND": [True, True, True, False],
    "GBR": [True, True, True, True, False],
    "EST": [True, True, True],
}


@pytest.mark.parametrize("code", ["IND", "GBR", "EST"])
def test_article_narratives_are_checked(ds, code: str) -> None:
    rep = reports.country_report(ds, code, DAY)
    assert len(rep.claims) == len(reports.ARTICLE_CLAIMS[code])
    assert [c["agrees"] for c in rep.claims] == VERDICTS[code]
    for c in rep.claims:
        assert c["finding"]


def test_india_reads_as_hedger_and_uk_as_aligned(ds) -> None:
    ind = reports.country_report(ds, "IND", DAY)
    assert ind.profile["alignment"]["label"] == "hedger"
    gbr = reports.country_report(ds, "GBR", DAY)
    assert gbr.profile["alignment"]["label"] == "aligned: US-anchored"


def test_a_false_claim_is_reported_as_disagreeing(ds, monkeypatch) -> None:
    monkeypatch.setitem(
        reports.ARTICLE_CLAIMS, "EST", (reports.Claim("member", "brics", "Estonia is in BRICS."),)
    )
    [claim] = reports.country_report(ds, "EST", DAY).claims
    assert claim["agrees"] is False
    md = reports.render_markdown(reports.country_report(ds, "EST", DAY))
    assert "**The data disagrees**" in md


def test_every_footnote_resolves_to_a_source(ds) -> None:
    rep = reports.country_report(ds, "IND", DAY)
    md = reports.render_markdown(rep, chart_path="IND-memberships.svg")
    used = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defined = set(re.findall(r"^\[\^(\d+)\]:", md, re.M))
    assert used and used == defined
    assert "![India: memberships over time](IND-memberships.svg)" in md


def test_html_is_self_contained_and_escaped(ds) -> None:
    html = reports.render_html(reports.country_report(ds, "EST", DAY))
    assert html.startswith("<!doctype html>") and "<svg" in html and "<script" not in html
    assert "<main>" in html and 'class="footnote' in html


def test_cli_writes_markdown_and_chart(run, tmp_path: Path) -> None:
    out = tmp_path / "cs" / "EST.md"
    r = run("report", "country", "Estonia", "--as-of", "2026-01-01", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("# Estonia in tech minilateralism")
    assert (tmp_path / "cs" / "EST-memberships.svg").read_text().lstrip().startswith("<?xml")


def test_cli_unknown_country(run) -> None:
    r = run("report", "country", "Atlantis")
    assert r.exit_code == 2 and "unknown country" in r.output


def test_the_country_report_says_what_its_partners_count(ds) -> None:
    md = reports.render_markdown(reports.country_report(ds, "IND", DAY))
    part = md.split("## Closest partners", 1)[1]
    assert "states, not counting universal bodies (the UN and any grouping with 100" in part
