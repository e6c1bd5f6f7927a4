"""Two engines, one definition: every metric's SQL text runs on DuckDB and on Apache
Spark (local mode) over the same store, and the answers are identical, row for row.

Spark needs Java 17 and starts slowly, so these tests carry the ``spark`` marker
(``spark`` is a heavy group: ``make test``, the quick loop, skips them; ``make check`` and
CI run them).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator

import pytest

from minilat.countries import is_state_code
from minilat.dataset import load
from minilat.monitor.engines import DuckEngine, SparkEngine
from minilat.monitor.fixture import write_fixture
from minilat.monitor.ingest import ingest
from minilat.monitor.lake import Lake
from minilat.monitor.metrics import METRICS, render
from minilat.monitor.report import grouping_report
from monitor_helpers import matcher, small_set

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

GROUPINGS = ("quad", "chip4", "aukus", "g7", "brics")
START, END = dt.date(2023, 12, 1), dt.date(2024, 2, 29)


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DuckEngine, SparkEngine]]:
    root = tmp_path_factory.mktemp("spark")
    write_fixture(root / "raw" / "fixture")
    small_set(root / "raw" / "generated", days=3, seed=11)
    lake = Lake(root / "store")
    ingest(lake, [root / "raw"], matcher())
    duck, spark = DuckEngine(lake), SparkEngine(lake)
    yield duck, spark
    spark.close()
    duck.close()


def _members(gid: str) -> list[str]:
    g = load().grouping(gid)
    return sorted(
        {m.participant for m in g.memberships if m.active_role and is_state_code(m.participant)}
    )


def test_every_metric_gives_identical_rows_on_both_engines(engines) -> None:
    duck, spark = engines
    compared = 0
    for gid in GROUPINGS:
        for name, sql in METRICS.items():
            text = render(sql, grouping=gid, members=_members(gid), start=20231201, end=20240229)
            d, s = duck.rows(text), spark.rows(text)
            assert d == s, f"{name} for {gid}"
            compared += len(d)
    assert compared > 50  # the comparison covered real rows, not empty answers


def test_the_report_is_the_same_on_both_engines(engines) -> None:
    duck, spark = engines
    a = grouping_report(duck, grouping="quad", members=_members("quad"), start=START, end=END)
    b = grouping_report(spark, grouping="quad", members=_members("quad"), start=START, end=END)
    assert a.pop("engine") == "duckdb" and b.pop("engine") == "spark"
    assert a == b
    assert a["articles"] > 0 and a["cooperation"]
