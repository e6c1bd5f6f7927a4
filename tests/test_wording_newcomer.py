"""A newcomer's review of the website: the words it found wrong, each fixed where it is said.

Themes read as the findings write them ("AI", "telecoms and 5G", not "ai", "telecom 5g"),
in one table (:data:`minilat.vocab.LABELS`) that every face reads.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from minilat.vocab import label
from minilat.web.wording import plain


def test_themes_read_as_words_in_every_face() -> None:
    assert label("ai") == "AI"
    assert label("telecom_5g") == "telecoms and 5G"
    assert label("research_innovation") == "research and innovation"
    assert label("supply_chains") == "supply chains"  # the rest: underscores as spaces
    assert plain("2 themes in 1 domain (frontier_technology: ai, telecom_5g)") == (
        "2 themes in 1 domain (frontier technology: AI, telecoms and 5G)"
    )
    assert plain("said, ai, in passing; fair") == "said, AI, in passing; fair"


def test_theme_filters_and_methodology_show_the_words(bundled_client: TestClient) -> None:
    for path in ("/groupings", "/methodology"):
        html = bundled_client.get(path).text
        shown = set(re.findall(r'(?:value|theme)="?=?(?:ai|telecom_5g)"?[^>]*>([^<]*)<', html))
        assert shown and shown <= {"AI", "telecoms and 5G"}, (path, shown)
        assert ">ai<" not in html and "telecom 5g" not in html, path


def test_pulse_tooltips_name_the_grouping(bundled_client: TestClient) -> None:
    """The heat map's squares read "Mekong-Japan Cooperation, 2007: 7 recorded", not its id."""
    html = bundled_client.get("/pulse").text
    tips = re.findall(r"<title>([^<,]+), (\d{4}): \d+ recorded</title>", html)
    labels = re.findall(r'data-label="([^"]+) \d{4}: \d+"', html)
    assert tips and labels
    ids = set(re.findall(r'<a href="/groupings/([a-z0-9_]+)"><text', html))
    assert ids and not {name for name, _ in tips} & ids
    assert not {name for name in labels} & ids
    assert "Quadrilateral Security Dialogue" in {name for name, _ in tips}


def test_forms_say_in_words_what_to_type(bundled_client: TestClient) -> None:
    events = bundled_client.get("/events").text
    assert "Grouping (id)" not in events
    assert "Grouping (its short id, e.g. quad)" in events
    compare = bundled_client.get("/compare").text
    assert "groupings (ids" not in compare
    assert "short ids, e.g. quad" in compare


def test_the_atom_feed_labels_its_categories(bundled_client: TestClient) -> None:
    """The term stays the id (feed readers filter on it); the label says it in words."""
    from xml.etree import ElementTree as ET

    feed = ET.fromstring(bundled_client.get("/feeds/updates.atom").content)
    cats = feed.findall(".//{http://www.w3.org/2005/Atom}category")
    assert cats
    for c in cats:
        assert c.get("label") == label(c.get("term")), c.attrib
    assert any("_" in (c.get("term") or "") and " " in c.get("label", "") for c in cats)


def test_whatif_says_measures_in_words_and_rounds_them(bundled_client: TestClient) -> None:
    """Not "Chip 4: coverage:research ai: 0.09" nor "India: hedging index, record: 0.776"."""
    html = bundled_client.get("/whatif?kind=join&grouping=chip4&country=IND").text
    shown = re.findall(r"<title>([^<]*)</title>", html)
    shown += re.findall(r'<p class="muted">([^<]* · [^<]*)</p>', html)
    assert any("India: hedging index, record: 0." in t for t in shown), shown
    assert any(re.fullmatch(r"Chip 4: coverage of research AI, record: \d+%", t) for t in shown)
    for t in shown:
        assert ":research" not in t and "coverage:" not in t, t
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", t), t  # no key with underscores
        assert not re.search(r"\d\.\d{3}", t), t  # 2 decimals at most, as elsewhere
    assert "chip4 ·" not in html and "IND ·" not in html  # names, not ids, in the figures
    json = bundled_client.get(
        "/whatif?kind=join&grouping=chip4&country=IND", headers={"accept": "application/json"}
    ).json()
    measures = {d["measure"] for d in json["result"]["differences"]}
    assert "coverage:research_ai" in measures  # the JSON keeps the keys


def test_downloads_say_how_to_get_panels_without_a_release(bundled_client: TestClient) -> None:
    """With no release published, the Panels section offered nothing and began "Or build":
    it now says where panels will come from, how to build them now, and where the
    codebook is (the site does not serve docs/codebook.md, so its path is given as text)."""
    from minilat.analysis.panels import UNITS
    from minilat.panel_files import FORMATS

    html = bundled_client.get("/downloads").text
    section = html.split("<h2>Panels</h2>", 1)[1].split("<h2>", 1)[0]
    text = re.sub(r"<[^>]+>", "", section)
    assert "None is published on this site yet" in text
    assert 'href="/releases"' in section
    assert "minilat panel --unit" in text and "panels extra" in text
    assert all(u in text for u in UNITS) and all(f in text for f in FORMATS)
    assert "docs/codebook.md" in text and "source repository" in text
    assert not text.lstrip().startswith("Or ") and "\nOr build" not in text
    assert bundled_client.get("/docs/codebook.md").status_code == 404  # hence the text


def test_search_links_sources_to_their_entry_on_the_sources_page(
    bundled_client: TestClient,
) -> None:
    """A source's result linked to the raw JSON (/api/v1/sources/<id>); it now links to
    the source's anchor on the /sources page that lists it, past the first page too."""
    from minilat.search import SOURCES_PAGE

    listing = bundled_client.get("/api/v1/sources", params={"limit": 1, "offset": 0}).json()
    total = listing["total"]
    assert total > SOURCES_PAGE  # so the second page is reached below
    picks = []
    for offset in (0, SOURCES_PAGE):
        one = bundled_client.get("/api/v1/sources", params={"limit": 1, "offset": offset})
        picks.append(one.json()["sources"][0])
    for src in picks:
        words = " ".join(re.findall(r"[A-Za-z]{4,}", src["title"])[:4])
        d = bundled_client.get("/search", params={"q": words, "kind": "source", "limit": 100})
        html = d.text
        hrefs = re.findall(r'<a href="([^"]*#src-' + re.escape(src["id"]) + ')"', html)
        assert hrefs, (src["id"], words)
        assert "/api/v1/sources/" not in html
        page, anchor = hrefs[0].replace("&amp;", "&").split("#")
        target = bundled_client.get(page).text
        assert f'id="{anchor}"' in target, hrefs[0]


def test_every_source_is_reachable_from_the_sources_pages(bundled_client: TestClient) -> None:
    """The /sources page lists a page of sources; its pager reaches the rest."""
    html = bundled_client.get("/sources").text
    seen = len(re.findall(r'<li id="src-', html))
    while m := re.search(r'<a rel="next" href="([^"]+)"', html):
        html = bundled_client.get(m.group(1).replace("&amp;", "&")).text
        seen += len(re.findall(r'<li id="src-', html))
    assert seen == bundled_client.get("/api/v1/sources", params={"limit": 1}).json()["total"]


def test_pulse_rows_are_labelled_by_acronym_or_words(bundled_client: TestClient) -> None:
    """The heat map's row labels read "Chip 4" or "mekong japan", never "mekong_japan"."""
    html = bundled_client.get("/pulse").text
    shown = re.findall(r'class="row-label">([^<]*)</text>', html)
    assert shown and not [s for s in shown if "_" in s], shown
    assert "Chip 4" in shown or "AUKUS" in shown
