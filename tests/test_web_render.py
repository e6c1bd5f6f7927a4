"""The fast rendering paths write exactly what Jinja2 itself would write.

The site's Jinja2 environment reads dict keys first, escapes with markupsafe's C escaping
without the Markup wrapper (:mod:`minilat.web.render`), and builds the groupings table's
rows in Python (:mod:`minilat.web.rows`). Each page is compared, byte for byte, with the
same page rendered by a stock Jinja2 environment configured alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from minilat.web import create_app
from minilat.web.escaping import escape_text
from minilat.web.rows import grouping_rows

PAGES = [
    "/",
    "/groupings",
    "/groupings?theme=semiconductors&sort=-members",
    "/groupings?ever=true&sort=status",
    "/groupings?q=zzzz-nothing",
    "/groupings?member=nowhere",
    "/groupings/quad",
    "/groupings/g7?as_of=2015-01-01",
    "/countries",
    "/countries/IND",
    "/network",
    "/methodology",
    "/sources",
    "/events",
    "/matrix",
    "/compare?countries=IND,USA",
    "/search?q=semiconductors",
    "/no-such-page",
]

#: The groupings table's loop as it was written in groupings.html.
ROWS_TEMPLATE = """{% for g in rows %}
    <tr><th scope="row"><a href="/groupings/{{ g.id }}">{{ g.name }}</a>{% if g.acronyms %} <span class="muted">({{ g.acronyms|join(', ') }})</span>{% endif %}</th>
      <td class="date">{{ g.founded }}{% if g.ended %}–{{ g.ended }}{% endif %}</td>
      <td><span class="status status-{{ g.status }}">{{ g.status|label }}</span>{% set ll = g.get('life_label') or g.life %}{% if g.life and ll != g.status %} <a class="life life-{{ g.life }}" href="/pulse#life-{{ g.id }}" title="derived from its recorded activity">{{ ll|label }}</a>{% endif %}</td>
      <td class="num">{% if g.named_of_published %}<span title="named in the record, of the published head-count">{{ g.named_of_published }}</span>{% if g.named_counts == "participants" and g.other_participants %} <small class="muted">= {{ g.full_members }} + {{ g.other_participants }} partner{{ 's' if g.other_participants != 1 }}</small>{% endif %}{% else %}{{ g.full_members }}{% endif %}</td>
      <td class="num">{{ g.other_participants }}</td>
      <td>{{ g.type|label if g.type else '—' }}</td>
      <td>{% for t in g.themes %}<a class="tag" href="/groupings?theme={{ t }}">{{ t|label }}</a> {% endfor %}</td>{% if 'member_role' in g %}<td>{{ g.member_role.text }}</td>{% endif %}</tr>
{% endfor %}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    tmp = tmp_path_factory.mktemp("render")
    data = os.environ.get("MINILAT_DATA")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "editorial.db"))
        yield create_app(tmp / "store.db", Path(data) if data else None)


def _stock(env: Environment) -> Environment:
    """A stock Jinja2 environment with the site's loader, settings, filters and globals."""
    stock = Environment(
        loader=env.loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    stock.filters.update(env.filters)
    stock.globals.update(env.globals)
    stock.tests.update(env.tests)
    return stock


def test_pages_are_byte_identical_to_stock_jinja(app: FastAPI) -> None:
    renderer = app.state.renderer
    fast = renderer.env
    stock = _stock(fast)
    assert type(fast) is not Environment  # the fast paths are in use
    with TestClient(app, raise_server_exceptions=False) as client:
        for page in PAGES:
            ours = client.get(page, headers={"cache-control": "no-cache"})
            renderer.env = stock
            try:
                theirs = client.get(page, headers={"cache-control": "no-cache"})
            finally:
                renderer.env = fast
            assert ours.status_code == theirs.status_code, page
            assert "text/html" in ours.headers["content-type"], page
            assert ours.text == theirs.text, page


def test_grouping_rows_match_the_template_loop(app: FastAPI) -> None:
    from minilat.web import views

    site = app.state.site
    loop = _stock(app.state.renderer.env).from_string(ROWS_TEMPLATE)
    for options in (
        {},
        {"ever": True},
        {"as_of": "1995-01-01"},
        {"sort": "-type"},
        {"member": "RUS", "ever": True},
    ):
        rows = views.grouping_list(site, limit=views.MAX_LIMIT, **options)["groupings"]
        assert rows
        assert str(grouping_rows(rows)) == loop.render(rows=rows)


def test_grouping_rows_escape_what_a_record_holds() -> None:
    row = {
        "id": "x&y",
        "name": "<script>alert('n')</script>",
        "acronyms": ['A"B', "C<D"],
        "founded": "2020",
        "ended": "2021-05",
        "status": "ended",
        "life": "dormant",
        "full_members": 3,
        "other_participants": None,
        "type": "economic_supply_chain",
        "themes": ["ai", "x'y"],
    }
    html = str(grouping_rows([row]))
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;n&#39;)" in html
    assert "(A&#34;B, C&lt;D)" in html and "2020–2021-05" in html
    assert 'href="/groupings/x&amp;y"' in html and "economic supply chain" in html
    assert ">None</td>" in html  # as the template wrote a missing count


values = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
    st.text().map(Markup),
)


@given(values)
def test_escape_text_is_markupsafes_escape(value: object) -> None:
    assert escape_text(value) == str(escape(value))
    assert type(escape_text(value)) is str


def test_listings_live_in_a_memo_of_their_own(app: FastAPI) -> None:
    """A flood of distinct filters fills the listings' memo, never the analyses' one."""
    from minilat.web import views

    site = app.state.site
    views.grouping_list(site, q="warm-up")
    analyses = site.ds.memo.stats()["entries"]
    held = site.view_memo.stats()["entries"]
    for i in range(100):
        assert views.grouping_list(site, q=f"no-such-text-{i}")["total"] == 0
    assert site.ds.memo.stats()["entries"] == analyses
    listings = site.view_memo.stats()
    assert listings["entries"] == held + 100
    assert listings["bytes"] <= listings["max_bytes"]
    again = views.grouping_list(site, q="no-such-text-7")
    assert site.view_memo.stats()["hits"] > listings["hits"] and again["total"] == 0
