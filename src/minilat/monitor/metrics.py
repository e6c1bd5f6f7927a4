"""The monitor's metrics, each defined once as one SQL text that runs unchanged on DuckDB
and on Apache Spark.

The texts use only what both dialects share (SELECT, WHERE, CASE, IN, SUM, COUNT,
GROUP BY, ORDER BY) and only exact integer arithmetic: scores are stored as integers
(Goldstein x10, tone x1000), so every sum is exact and both engines return identical rows.
Means and ratios are worked out afterwards, in Python, from those exact sums
(:mod:`minilat.monitor.report`).

Parameters are substituted by :func:`render`, which accepts only values it can check
(dates as YYYYMMDD integers, grouping ids as slugs, ISO3 codes), so the rendered text is
the same for both engines and cannot be injected into.

>>> print(render(COVERAGE_DAILY, grouping="quad", start=20240101, end=20241231))
... # doctest: +NORMALIZE_WHITESPACE
SELECT day, SUM(first) AS articles, SUM(first * tone_x1000) AS tone_sum
FROM gkg
WHERE grouping = 'quad' AND day BETWEEN 20240101 AND 20241231
GROUP BY day
ORDER BY day
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "COOPERATION_MONTHLY",
    "COVERAGE_ALL_DAILY",
    "COVERAGE_DAILY",
    "DYADS",
    "METRICS",
    "TOP_THEMES",
    "render",
]

COVERAGE_DAILY = """
SELECT day, SUM(first) AS articles, SUM(first * tone_x1000) AS tone_sum
FROM gkg
WHERE grouping = {grouping} AND day BETWEEN {start} AND {end}
GROUP BY day
ORDER BY day
"""

TOP_THEMES = """
SELECT theme, COUNT(*) AS articles
FROM gkg
WHERE grouping = {grouping} AND day BETWEEN {start} AND {end} AND theme <> ''
GROUP BY theme
ORDER BY articles DESC, theme
LIMIT 10
"""

# Events between two states of which at least one is a member: 'intra' when both are
# members, 'outside' when exactly one is. Weighted by NumArticles.
COOPERATION_MONTHLY = """
WITH e AS (
  SELECT month, actor1_iso IN ({members}) AS m1, actor2_iso IN ({members}) AS m2,
         quad, articles, goldstein_x10
  FROM events
  WHERE sqldate BETWEEN {start} AND {end}
    AND actor1_iso IS NOT NULL AND actor2_iso IS NOT NULL AND actor1_iso <> actor2_iso
)
SELECT month,
       CASE WHEN m1 AND m2 THEN 'intra' ELSE 'outside' END AS scope,
       COUNT(*) AS events,
       SUM(articles) AS weight,
       SUM(CASE WHEN quad IN (1, 2) THEN articles ELSE 0 END) AS cooperative,
       SUM(CASE WHEN quad IN (3, 4) THEN articles ELSE 0 END) AS conflictual,
       SUM(goldstein_x10 * articles) AS goldstein_sum
FROM e
WHERE m1 OR m2
GROUP BY month, CASE WHEN m1 AND m2 THEN 'intra' ELSE 'outside' END
ORDER BY month, scope
"""

# Each unordered pair of member states.
DYADS = """
SELECT CASE WHEN actor1_iso < actor2_iso THEN actor1_iso ELSE actor2_iso END AS a,
       CASE WHEN actor1_iso < actor2_iso THEN actor2_iso ELSE actor1_iso END AS b,
       COUNT(*) AS events,
       SUM(articles) AS weight,
       SUM(CASE WHEN quad IN (1, 2) THEN articles ELSE 0 END) AS cooperative,
       SUM(CASE WHEN quad IN (3, 4) THEN articles ELSE 0 END) AS conflictual,
       SUM(goldstein_x10 * articles) AS goldstein_sum
FROM events
WHERE sqldate BETWEEN {start} AND {end}
  AND actor1_iso IN ({members}) AND actor2_iso IN ({members}) AND actor1_iso <> actor2_iso
GROUP BY CASE WHEN actor1_iso < actor2_iso THEN actor1_iso ELSE actor2_iso END,
         CASE WHEN actor1_iso < actor2_iso THEN actor2_iso ELSE actor1_iso END
ORDER BY a, b
"""

# Every grouping at once, per day (the overview and the feed of surges and silences).
COVERAGE_ALL_DAILY = """
SELECT grouping, day, SUM(first) AS articles, SUM(first * tone_x1000) AS tone_sum
FROM gkg
WHERE day BETWEEN {start} AND {end}
GROUP BY grouping, day
ORDER BY grouping, day
"""

METRICS: dict[str, str] = {
    "coverage_all_daily": COVERAGE_ALL_DAILY,
    "coverage_daily": COVERAGE_DAILY,
    "top_themes": TOP_THEMES,
    "cooperation_monthly": COOPERATION_MONTHLY,
    "dyads": DYADS,
}

_SLUG = re.compile(r"^[a-z0-9_-]+$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def render(
    sql: str,
    *,
    start: int,
    end: int,
    grouping: str | None = None,
    members: Iterable[str] = (),
) -> str:
    """The SQL text with its parameters in place (checked, never free text)."""
    for day in (start, end):
        if not isinstance(day, int) or not 19000101 <= day <= 29991231:
            raise ValueError(f"bad day {day!r}")
    params: dict[str, str] = {"start": str(start), "end": str(end)}
    if grouping is not None:
        if not _SLUG.match(grouping):
            raise ValueError(f"bad grouping id {grouping!r}")
        params["grouping"] = f"'{grouping}'"
    codes = sorted(set(members))
    for c in codes:
        if not _ISO3.match(c):
            raise ValueError(f"bad ISO3 code {c!r}")
    # An empty IN () is not valid SQL; a code no row has keeps the text valid and empty.
    params["members"] = ", ".join(f"'{c}'" for c in codes) or "'---'"
    return sql.format(**params).strip()
