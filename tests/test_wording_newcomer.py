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
