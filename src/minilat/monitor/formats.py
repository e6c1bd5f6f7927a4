"""The GDELT 2.0 raw file formats: file names, the columns of each table, and what the
monitor keeps of them.

GDELT publishes three zipped, tab-separated tables every 15 minutes, named by their UTC
timestamp (``20240105121500.export.CSV.zip``, ``.mentions.CSV.zip``, ``.gkg.csv.zip``).
There is no header row and no quoting: a ``"`` inside a field is a literal character.
The column lists below follow the GDELT 2.0 Event Codebook and the GKG 2.1 Codebook.

>>> kind_of("20240105121500.gkg.csv.zip")
'gkg'
>>> len(EVENT_COLUMNS), len(MENTION_COLUMNS), len(GKG_COLUMNS)
(61, 16, 27)
"""

from __future__ import annotations

import re

__all__ = [
    "COLUMNS",
    "EVENT_COLUMNS",
    "GKG_COLUMNS",
    "KINDS",
    "MENTION_COLUMNS",
    "STORED",
    "file_stamp",
    "kind_of",
]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


EVENT_COLUMNS: tuple[str, ...] = _names(
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code "
    "Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code "
    "Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code "
    "ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID "
    "DATEADDED SOURCEURL"
)

MENTION_COLUMNS: tuple[str, ...] = _names(
    "GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName "
    "MentionIdentifier SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset "
    "InRawText Confidence MentionDocLen MentionDocTone MentionDocTranslationInfo Extras"
)

GKG_COLUMNS: tuple[str, ...] = _names(
    "GKGRECORDID DATE SourceCollectionIdentifier SourceCommonName DocumentIdentifier "
    "Counts V2Counts Themes V2Themes Locations V2Locations Persons V2Persons "
    "Organizations V2Organizations V2Tone Dates GCAM SharingImage RelatedImages "
    "SocialImageEmbeds SocialVideoEmbeds Quotations AllNames Amounts TranslationInfo Extras"
)

KINDS = ("events", "mentions", "gkg")
COLUMNS: dict[str, tuple[str, ...]] = {
    "events": EVENT_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "gkg": GKG_COLUMNS,
}

# What the Parquet store keeps of each table: (column, type), type one of int8, int32,
# int64, string. Scores are kept as exact integers (Goldstein x10, tone x1000) so that
# sums are exact and two engines give identical answers.
STORED: dict[str, tuple[tuple[str, str], ...]] = {
    "events": (
        ("event_id", "int64"),
        ("sqldate", "int32"),
        ("month", "int32"),
        ("actor1", "string"),
        ("actor2", "string"),
        ("actor1_iso", "string"),
        ("actor2_iso", "string"),
        ("event_code", "string"),
        ("root", "int32"),
        ("quad", "int32"),
        ("goldstein_x10", "int32"),
        ("articles", "int32"),
        ("tone_x1000", "int64"),
        ("geo_iso", "string"),
        ("added", "int64"),
        ("url", "string"),
    ),
    "mentions": (
        ("event_id", "int64"),
        ("event_time", "int64"),
        ("mention_time", "int64"),
        ("day", "int32"),
        ("mention_type", "int32"),
        ("source", "string"),
        ("url", "string"),
        ("confidence", "int32"),
        ("tone_x1000", "int64"),
    ),
    # One row per (article, grouping, theme): ``first`` is 1 on exactly one row of each
    # (article, grouping) match, so SUM(first) counts articles and SUM(first * tone)
    # sums their tone, with plain portable SQL.
    "gkg": (
        ("gkg_id", "string"),
        ("day", "int32"),
        ("week", "int32"),
        ("grouping", "string"),
        ("first", "int32"),
        ("tone_x1000", "int64"),
        ("theme", "string"),
        ("source", "string"),
        ("url", "string"),
        ("title", "string"),
        ("evidence", "string"),
    ),
}

_NAME_RE = re.compile(
    r"^(?P<stamp>\d{14})\.(?P<kind>export\.CSV|mentions\.CSV|gkg\.csv)(?P<zip>\.zip)?$",
    re.IGNORECASE,
)
_KIND = {"export.csv": "events", "mentions.csv": "mentions", "gkg.csv": "gkg"}


def kind_of(name: str) -> str | None:
    """Which table a GDELT file name holds (``events``, ``mentions``, ``gkg``), else None.

    >>> kind_of("20150218230000.export.CSV"), kind_of("notes.txt")
    ('events', None)
    """
    m = _NAME_RE.match(name.rsplit("/", 1)[-1])
    return _KIND[m.group("kind").lower()] if m else None


def file_stamp(name: str) -> str | None:
    """The 14-digit UTC timestamp in a GDELT file name, else None.

    >>> file_stamp("20150218230000.export.CSV.zip")
    '20150218230000'
    """
    m = _NAME_RE.match(name.rsplit("/", 1)[-1])
    return m.group("stamp") if m else None
