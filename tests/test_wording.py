"""The pages say the analyses' reasons in plain words (web/wording.py).

A new-user review found the Quad's and Pax Silica's pages showing the record's field
names and codes ("instrument joint_declaration, secretariat none, legal_personality
False", "missing export_share_china for ARE, ..."), the raw figures as JSON text, and
"states_any_role" in the groupings list's legend. The JSON keeps the exact text; the
pages say it in words, and keep the raw figures behind "Raw figures".
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat import countries
from minilat.dataset import Dataset, load
from minilat.web import wording
from minilat.web.views import section

JSON = {"accept": "application/json"}

#: What must not reach a reader: a field name or id (``legal_personality``,
#: ``joint_declaration``), a Python truth value, a JSON object, a state's ISO code.
_INTERNAL = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\bTrue\b|\bFalse\b|\{\"|\{&#34;")


def _internal(text: str) -> list[str]:
    found = _INTERNAL.findall(text)
    found += [c for c in re.findall(r"\b[A-Z]{3}\b", text) if countries.is_state_code(c)]
    return found


@functools.cache
def _ds() -> Dataset:
    return load()


def _reasons(gid: str, day: dt.date) -> Iterator[str]:
    ds = _ds()
    g = ds.grouping(gid)
    ch = section("characteristics", ("assess",), ds, g, day)["result"] or {}
    yield str(ch.get("verdict") or "")
    for key in ("size", "informality", "thematic_focus", "multi_stakeholder"):
        c = ch.get(key) or {}
        yield str(c.get("reason") or "")
        yield from (str(x) for x in c.get("missing") or [])
    sc = section("scorecard", ("score",), ds, g, day)["result"] or {}
    for i in sc.get("indicators") or []:
        yield str(i["reason"])
        yield from (str(x) for x in i.get("missing") or [])
    ty = section("typology", ("classify_one",), ds, g)["result"] or {}
    yield str(ty.get("reason") or "")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gid=st.sampled_from(sorted(_ds().groupings)),
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2027, 12, 31)),
)
def test_every_reason_reads_in_plain_words(gid: str, day: dt.date) -> None:
    for reason in _reasons(gid, day):
        said = wording.plain(reason)
        assert not _internal(said), (reason, said)
        # the numbers a reason rests on are all still said
        for n in re.findall(r"(?<![A-Za-z_])\d+(?:\.\d+)?%?", reason):
            assert n in said, (n, reason, said)


def test_long_missing_lists_name_a_few_and_count_the_rest() -> None:
    codes = ", ".join(sorted(c for c in ("AUT", "BEL", "BGR", "CHE", "CZE", "DNK", "ESP")))
    said = wording.plain(f"missing export_share_usa for {codes} and FRA: export data")
    assert said.startswith("no export share to the United States for Austria, Belgium,")
    assert "and 2 more: export data" in said
    said = wording.plain("missing export_share_china for ARE and GBR and the 4 participants")
    assert said == (
        "no export share to China for the United Arab Emirates, the United Kingdom, "
        "and the 4 participants"
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("wording")
    data = os.environ.get("MINILAT_DATA")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "suggestions.db"))
        from minilat.web import create_app

        app = create_app(tmp / "store.db", Path(data) if data else None)
        with TestClient(app, raise_server_exceptions=False) as c:
            yield c


def _reader_text(html: str) -> tuple[str, str]:
    """The page's text a reader sees first, and its "Raw figures" block."""
    raw = "".join(re.findall(r'<details class="raw">.*?</details>', html, flags=re.S))
    html = re.sub(r'<details class="raw">.*?</details>', "", html, flags=re.S)
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", "", html, flags=re.S)
    # the record's own notes and source titles are quoted as written: leave them out
    html = re.sub(r'<p class="note">.*?</p>|<ol class="sources.*?</ol>', "", html, flags=re.S)
    html = re.sub(r'<ul class="sources">.*?</ul>', "", html, flags=re.S)
    # a grouping's acronyms are its names (the Counter Ransomware Initiative's CRI)
    html = re.sub(r'<span class="muted">\([^)<]*\)</span>', "", html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"/groupings/[a-z0-9_]+", "", text)  # addresses in "cite this"
    return text, raw


@pytest.mark.parametrize("url", ["/groupings/quad", "/groupings/pax_silica", "/groupings"])
def test_pages_show_no_internal_labels(client: TestClient, url: str) -> None:
    html = client.get(url + "?as_of=2026-12-02").text
    text, raw = _reader_text(html)
    assert not _internal(text), sorted(set(_internal(text)))
    assert "states_any_role" not in text
    if url != "/groupings":
        # the raw figures are still there, behind "Raw figures", but not as JSON text
        assert "thematic focus" in raw and "{&#34;" not in raw and '{"' not in raw


def test_the_json_keeps_the_exact_text(client: TestClient) -> None:
    d = client.get("/groupings/quad?as_of=2026-12-02", headers=JSON).json()
    balance = next(
        i
        for i in d["assessments"]["scorecard"]["result"]["indicators"]
        if i["name"] == "institutional_balance"
    )
    assert "instrument joint_declaration" in balance["reason"]
    page = client.get("/groupings/quad?as_of=2026-12-02").text
    assert "a joint declaration, no secretariat, no legal personality" in page
    listing = client.get("/groupings", headers=JSON).json()
    assert "states_any_role" in listing["counts_note"]
    assert "states_any_role" not in listing["counts_legend"]


def test_map_tooltips_count_in_the_singular_for_one(bundled_client: TestClient) -> None:
    """The maps' tooltips read "Yemen: 1 grouping", never "1 groupings" (home page: groupings
    per state; a country page: shared groupings per partner)."""
    import re

    for path in ("/", "/countries/IND"):
        html = bundled_client.get(path).text
        titles = re.findall(r"<title>([^<]*)</title>", html)
        assert not [t for t in titles if re.search(r": 1 (shared )?groupings$", t)], path
        assert [t for t in titles if re.search(r": 1 (shared )?grouping$", t)], path
        assert [t for t in titles if re.search(r": [2-9] (shared )?groupings$", t)], path


_COUNTED = re.compile(r"\b(\d+) (shared )?(grouping|partner|tie)(s?)\b")


def _miscounted(text: str) -> list[str]:
    """Each "N noun(s)" in ``text`` whose noun's number disagrees with N ("1 groupings",
    "2 partner")."""
    return [m[0] for m in _COUNTED.finditer(text) if (m[1] == "1") == (m[4] == "s")]


def test_network_tooltips_count_in_the_singular_for_one(bundled_client: TestClient) -> None:
    """The network's tooltips read "Palau: 59 partners, 1 grouping", and the ego
    network's "TWN–ALB: 1 shared grouping", never "1 groupings"."""
    html = bundled_client.get("/network").text
    titles = re.findall(r"<title>([^<]*)</title>", html)
    assert [t for t in titles if t.endswith(", 1 grouping")], "no state in one grouping"
    assert not [t for t in titles if _miscounted(t)], [t for t in titles if _miscounted(t)]
    seen_one = False
    for code in ("TWN", "IND", "USA"):
        page = bundled_client.get(f"/countries/{code}").text
        ego = page[page.index('id="ego-h"') :]
        titles = re.findall(r"<title>([^<]*)</title>", ego[: ego.index("</svg>")])
        assert titles and not [t for t in titles if _miscounted(t)], code
        seen_one = seen_one or any(t.endswith(": 1 shared grouping") for t in titles)
    assert seen_one, "no ego-network tie of one shared grouping to check"


def test_the_network_script_counts_in_the_singular_for_one() -> None:
    """The drawing the script builds says its counts as the page's own tooltips do: no
    count is glued to a plural noun ("+ " groupings"") without the singular for one."""
    js = (Path(wording.__file__).parent / "static" / "js" / "network.js").read_text()
    glued = re.findall(r'\+ "\s*(?:partners|groupings|countries|ties)\b', js)
    assert not glued, glued
    assert "counted(d.groupings" in js and "counted(d.degree" in js
