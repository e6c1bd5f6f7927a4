"""A small hand-made set of GDELT files whose right answers are known by hand.

Written by :func:`write_fixture` into a folder: one unzipped event file, one zipped GKG
file, one mentions file and one truncated zip. :data:`KNOWN` holds what a correct ingest
and report find in it; tests assert exactly these figures, and `minilat monitor ingest`
can be tried on it. The rows are invented for the test (synthetic), in GDELT's format.

The events (SQLDATE 2024-01-04, DATEADDED 2024-01-05 00:00), by line:

1. USA -> JPN  036 (QuadClass 1)  Goldstein  4.0  NumArticles 3
2. JPN -> AUS  042 (1)            Goldstein  1.9  NumArticles 2
3. USA -> IND  130 (3)            Goldstein -4.4  NumArticles 1
4. USA -> CHN  173 (4)            Goldstein -5.0  NumArticles 4
5. line 1 again (duplicate GLOBALEVENTID)                        -> problem
6. a line cut after 20 columns                                   -> problem
7. EUR -> USA  043 (1)  a region, not a state: kept, in no dyad
8. a line with an invalid UTF-8 byte                             -> problem

For the Quad (AUS, IND, JPN, USA), January 2024: intra-member events 1-3 weigh
3 + 2 + 1 = 6 articles, 5 cooperative and 1 conflictual, so the index is (5 - 1) / 6 =
0.667 and the mean Goldstein (4.0x3 + 1.9x2 - 4.4x1) / 6 = 1.9; with non-members, event 4
weighs 4 articles, all conflictual: index -1, mean Goldstein -5.0.

The articles: (1) "Quad foreign ministers meet in Tokyo", placed in Japan, India and the
US: the Quad; (2) "Quad bike crash near Perth", placed in Australia only: nothing;
(3) organisation "quadrilateral security dialogue": the Quad; (4) "Chip 4 talks stall",
placed in the US, South Korea, Taiwan and Japan: Chip 4; (5) "AUKUS submarine deal",
placed in Australia and the UK: AUKUS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minilat.monitor.generator import write_gdelt_file

__all__ = ["KNOWN", "article_line", "write_fixture"]

STAMP = "20240105000000"

_ACTOR = {
    "USA": ["USA", "UNITED STATES", "USA"],
    "JPN": ["JPN", "JAPAN", "JPN"],
    "AUS": ["AUS", "AUSTRALIA", "AUS"],
    "IND": ["IND", "INDIA", "IND"],
    "CHN": ["CHN", "CHINA", "CHN"],
    "EUR": ["EUR", "EUROPE", "EUR"],
}
_FIPS = {"USA": "US", "JPN": "JA", "AUS": "AS", "IND": "IN", "CHN": "CH", "EUR": ""}


def _event(eid: int, a1: str, a2: str, code: str, quad: int, gold: str, arts: int) -> str:
    actor = lambda c: [*_ACTOR[c], "", "", "", "", "", "", ""]  # noqa: E731
    geo = lambda c: ["1" if _FIPS[c] else "0", c, _FIPS[c], _FIPS[c], "", "", "", _FIPS[c]]  # noqa: E731
    fields = [
        str(eid), "20240104", "202401", "2024", "2024.0110",
        *actor(a1), *actor(a2),
        "1", code, code, code[:2], str(quad), gold,
        str(arts * 2), str(arts), str(arts), "-1.25",
        *geo(a1), *geo(a2), *geo(a1),
        STAMP, f"https://news.example/fixture/{eid}",
    ]  # fmt: skip
    assert len(fields) == 61
    return "\t".join(fields)


def article_line(
    n: int,
    title: str,
    places: list[str],
    orgs: list[str],
    tone: str,
    themes: list[str],
    stamp: str = STAMP,
) -> str:
    """One GKG 2.1 line (27 columns) of an article with these title, places (ISO3 codes
    among the fixture's countries), organisations, tone, themes and file timestamp."""
    loc = ";".join(f"1#{p}#{_FIPS[p]}#{_FIPS[p]}##0#0#{_FIPS[p]}#10" for p in places)
    fields = [
        f"{stamp}-{n}", stamp, "1", "news.example", f"https://news.example/fixture/a{n}",
        "", "", ";".join(themes), ";".join(f"{t},5" for t in themes), "", loc, "", "",
        ";".join(orgs), ";".join(f"{o},7" for o in orgs),
        f"{tone},3.1,2.2,5.3,21.0,0.5,400", "", "", "", "", "", "", "", "", "", "",
        f"<PAGE_TITLE>{title}</PAGE_TITLE>",
    ]  # fmt: skip
    assert len(fields) == 27
    return "\t".join(fields)


def _mention(eid: int, k: int) -> str:
    return "\t".join(
        [str(eid), STAMP, STAMP, "1", "news.example", f"https://news.example/m{eid}/{k}",
         "1", "-1", "-1", "-1", "1", "100", "900", "-1.25", "", ""]
    )  # fmt: skip


def write_fixture(folder: Path) -> list[Path]:
    """Write the fixture files into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    e1 = _event(1, "USA", "JPN", "036", 1, "4.0", 3)
    events = [
        e1.encode(),
        _event(2, "JPN", "AUS", "042", 1, "1.9", 2).encode(),
        _event(3, "USA", "IND", "130", 3, "-4.4", 1).encode(),
        _event(4, "USA", "CHN", "173", 4, "-5.0", 4).encode(),
        e1.encode(),
        "\t".join(e1.split("\t")[:20]).encode(),
        _event(7, "EUR", "USA", "043", 1, "2.8", 1).encode(),
        _event(8, "USA", "JPN", "036", 1, "4.0", 1).encode().replace(b"JAPAN", b"JAP\xc3N"),
    ]
    articles = [
        article_line(1, "Quad foreign ministers meet in Tokyo", ["JPN", "IND", "USA"], [],
                 "2.5", ["DIPLOMACY", "MILITARY"]),
        article_line(2, "Quad bike crash near Perth", ["AUS"], [], "-4.0", ["CRIME"]),
        article_line(3, 'Analysts on "the Quad"', [], ["quadrilateral security dialogue"], "-1.5",
                 ["DIPLOMACY"]),
        article_line(4, "Chip 4 talks stall", ["USA", "JPN"], [], "-2.0", ["TECH_SEMICONDUCTORS"]),
        article_line(5, "AUKUS submarine deal", ["AUS"], ["aukus"], "1.0", []),
    ]  # fmt: skip
    # Article 4 is placed in two Chip 4 members, article 5 in one AUKUS member only.
    mentions = [_mention(1, 0).encode(), _mention(1, 1).encode(), _mention(2, 0).encode()]
    paths = [
        write_gdelt_file(folder / f"{STAMP}.export.CSV", events, zipped=False),
        write_gdelt_file(folder / f"{STAMP}.gkg.csv.zip", [a.encode() for a in articles]),
        write_gdelt_file(folder / f"{STAMP}.mentions.CSV.zip", mentions),
    ]
    bad = write_gdelt_file(folder / "20240105001500.export.CSV.zip", events)
    bad.write_bytes(bad.read_bytes()[:150])
    paths.append(bad)
    return paths


KNOWN: dict[str, Any] = {
    "events_kept": 5,
    "event_problems": [
        f"{STAMP}.export.CSV:5: duplicate GLOBALEVENTID 1 (first on line 1), skipped",
        f"{STAMP}.export.CSV:6: 20 columns, expected 61",
        f"{STAMP}.export.CSV:8: invalid UTF-8 at byte 69",
    ],
    "corrupt": ["20240105001500.export.CSV.zip"],
    "mentions": 3,
    "articles": {"quad": 2, "chip4": 1},
    "quad_tone": 0.5,
    "quad_themes": [("DIPLOMACY", 2), ("MILITARY", 1)],
    "quad_intra": {"events": 3, "articles": 6, "cooperative": 5, "conflictual": 1,
                   "index": 0.667, "mean_goldstein": 1.9},
    "quad_outside": {"events": 1, "articles": 4, "cooperative": 0, "conflictual": 4,
                     "index": -1.0, "mean_goldstein": -5.0},
}  # fmt: skip
