"""The news monitor: what the world reports about each grouping, from GDELT 2.0.

GDELT publishes, every 15 minutes, an event table (who did what to whom, CAMEO-coded),
a mentions table and a Global Knowledge Graph (GKG 2.1) of articles with their
organisations, themes, places and tone. This package brings them into minilat:

- :mod:`~minilat.monitor.formats`: the raw file names and columns;
- :mod:`~minilat.monitor.codes`: CAMEO and FIPS 10-4 country codes mapped to ISO3;
- :mod:`~minilat.monitor.reader`: streaming line reader, each line a row or a located problem;
- :mod:`~minilat.monitor.matching`: which groupings an article is about (with a guard
  for names that are common words);
- :mod:`~minilat.monitor.lake`: the store (Parquet by date, a manifest, crash-safe commits);
- :mod:`~minilat.monitor.ingest`: incremental ingest, one transaction per file;
- :mod:`~minilat.monitor.metrics`: every metric defined once, as portable SQL;
- :mod:`~minilat.monitor.engines`: DuckDB (default) and Spark run those texts;
- :mod:`~minilat.monitor.report`, :mod:`~minilat.monitor.signals`: a grouping's report,
  surges and silences;
- :mod:`~minilat.monitor.fetch`: downloads from GDELT's master file list;
- :mod:`~minilat.monitor.generator`, :mod:`~minilat.monitor.fixture`: synthetic files
  in the exact formats, and a small fixture with known answers.

The heavy libraries (pyarrow, duckdb, pyspark) are imported only inside the functions
that need them: ``pip install minilat[monitor]`` (or ``[spark]``) adds them.
"""

__all__: list[str] = []
