"""Query engines for the monitor store: DuckDB (embedded, the default) and Apache Spark
(PySpark, ``local[*]`` on one machine or a cluster through ``spark-submit``).

Both expose the same two methods: the store's three tables (``events``, ``mentions``,
``gkg``) are registered as views over the Parquet parts, and :meth:`rows` runs one SQL
text (from :mod:`minilat.monitor.metrics`) and returns plain tuples, integers as Python
ints, so results compare equal across engines. The libraries are imported only when an
engine is made: the core install does not need them.
"""

from __future__ import annotations

from typing import Any, Protocol

from minilat.errors import BadInput
from minilat.monitor.formats import KINDS, STORED
from minilat.monitor.lake import Lake

__all__ = ["ENGINES", "DuckEngine", "Engine", "SparkEngine", "make_engine"]


class Engine(Protocol):
    name: str

    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


def _missing(what: str, extra: str) -> BadInput:
    return BadInput(f"{what} is not installed", hint=f"pip install 'minilat[{extra}]'")


class DuckEngine:
    """DuckDB over the store's Parquet parts.

    By default the tables are views over the files (nothing is copied; each query reads
    the parts it needs). With ``load=True`` the tables the metrics use are read once into
    DuckDB's own columnar memory: slower to open, and then every query answers without
    touching the files, which is what a long-lived process (the web server) wants. To keep
    that memory small, ``events`` then holds only the columns and rows the metrics read
    (events between two different states), and ``mentions`` stays a view."""

    name = "duckdb"

    def __init__(self, lake: Lake, *, threads: int | None = None, load: bool = False) -> None:
        try:
            import duckdb
        except ImportError:
            raise _missing("DuckDB", "monitor") from None
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_object_cache = true")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        for kind in KINDS:
            if lake.parts(kind):
                path = lake.glob(kind).replace("'", "''")
                source = f"SELECT * FROM read_parquet('{path}')"
                what = "VIEW"
                if load and kind == "gkg":
                    what = "TABLE"
                elif load and kind == "events":
                    what = "TABLE"
                    source = (
                        f"SELECT {_EVENT_METRIC_COLUMNS} FROM read_parquet('{path}') WHERE "
                        "actor1_iso IS NOT NULL AND actor2_iso IS NOT NULL "
                        "AND actor1_iso <> actor2_iso"
                    )
                self.con.execute(f"CREATE {what} {kind} AS {source}")
            else:
                cols = ", ".join(f"CAST(NULL AS {_DUCK[t]}) AS {c}" for c, t in STORED[kind])
                self.con.execute(f"CREATE VIEW {kind} AS SELECT {cols} WHERE false")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        # A cursor per call: the web server's threads may share one loaded engine.
        cur = self.con.cursor()
        try:
            return [tuple(_plain(v) for v in r) for r in cur.execute(sql).fetchall()]
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()


_EVENT_METRIC_COLUMNS = "sqldate, month, actor1_iso, actor2_iso, quad, goldstein_x10, articles"
_DUCK = {"int8": "TINYINT", "int32": "INTEGER", "int64": "BIGINT", "string": "VARCHAR"}


class SparkEngine:
    """Spark SQL over the same Parquet parts. ``master`` defaults to ``local[*]``; under
    ``spark-submit`` the session the submitter configured is used."""

    name = "spark"

    def __init__(self, lake: Lake, *, master: str | None = "local[*]") -> None:
        try:
            from pyspark.sql import SparkSession
            from pyspark.sql import types as T
        except ImportError:
            raise _missing("PySpark", "spark") from None
        builder = SparkSession.builder.appName("minilat-monitor")
        if master:
            builder = builder.master(master)
        self.spark = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        types = {
            "int8": T.ByteType(),
            "int32": T.IntegerType(),
            "int64": T.LongType(),
            "string": T.StringType(),
        }
        for kind in KINDS:
            schema = T.StructType([T.StructField(c, types[t], True) for c, t in STORED[kind]])
            parts = [str(p) for p in lake.parts(kind)]
            if parts:
                df = self.spark.read.schema(schema).parquet(*parts)
            else:
                df = self.spark.createDataFrame(self.spark.sparkContext.emptyRDD(), schema)
            df.createOrReplaceTempView(kind)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(_plain(v) for v in r) for r in self.spark.sql(sql).collect()]

    def close(self) -> None:
        self.spark.stop()


def _plain(v: Any) -> Any:
    """Integers of any width (DuckDB's HUGEINT sums, Spark's longs) as Python ints."""
    if isinstance(v, bool):
        return v
    if hasattr(v, "__index__"):
        return int(v)
    return v


ENGINES = ("duckdb", "spark")


def make_engine(name: str, lake: Lake) -> Engine:
    """The engine called ``name`` over ``lake``; BadInput for an unknown name."""
    if name == "duckdb":
        return DuckEngine(lake)
    if name == "spark":
        return SparkEngine(lake)
    raise BadInput(f"unknown engine {name!r}", hint="use duckdb or spark")
