"""Panels as pandas DataFrames and as files: CSV, Parquet and Stata (``.dta``).

pandas and pyarrow are an optional extra (``pip install 'minilat[panels]'``); they are
imported only when a panel is turned into a frame or a file, and a missing one is a
one-line error with the command that installs it.

The labels travel with the data: Stata files carry a label for every variable and value
labels for the coded ones (written with pandas' ``to_stata``, read back by
``pandas.read_stata`` as labelled categories); Parquet files carry the same labels in
their schema metadata (``minilat.labels``, ``minilat.codes``); CSV files are plain and
their codebook is ``docs/codebook.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minilat.analysis.panels import COLUMNS, Panel
from minilat.errors import BadInput, MinilatError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FORMATS", "codebook_markdown", "require_pandas", "to_frame", "write"]

#: The file formats of ``minilat panel --format``, with their file-name suffixes.
FORMATS = {"csv": ".csv", "parquet": ".parquet", "dta": ".dta"}


def require_pandas(what: str = "panels") -> Any:
    """The pandas module, or a one-line MinilatError saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise MinilatError(
            f"{what} need pandas, which is not installed",
            hint="pip install 'minilat[panels]'",
        ) from None
    return pandas


def to_frame(panel: Panel) -> pd.DataFrame:
    """The panel as a pandas DataFrame, one column per panel column, in order.

    Text columns have pandas' ``str`` dtype, counts and codes are 64-bit integers.
    """
    pd = require_pandas()
    data = {}
    for c in panel.columns:
        if c.spec.kind == "str":
            data[c.name] = pd.Series(c.values, dtype="str")
        else:
            data[c.name] = c.values
    return pd.DataFrame(data, copy=False)


def _stata(frame: pd.DataFrame, panel: Panel, path: Path) -> None:
    labels = {c.name: c.spec.label[:80] for c in panel.columns}
    value_labels = {c.name: dict(c.spec.codes) for c in panel.columns if c.spec.codes}
    frame = frame.copy()
    for c in panel.columns:
        if c.spec.kind == "int":
            frame[c.name] = frame[c.name].astype("int32")
        else:
            frame[c.name] = frame[c.name].astype(object)
    frame.to_stata(
        path,
        write_index=False,
        version=118,
        variable_labels=labels,
        value_labels=value_labels,
        data_label=f"minilat {panel.unit} panel {panel.start}-{panel.end}"[:80],
    )


def _parquet(frame: pd.DataFrame, panel: Panel, path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MinilatError(
            "Parquet files need pyarrow, which is not installed",
            hint="pip install 'minilat[panels]'",
        ) from None
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"minilat.unit"] = panel.unit.encode()
    meta[b"minilat.labels"] = json.dumps({c.name: c.spec.label for c in panel.columns}).encode()
    meta[b"minilat.codes"] = json.dumps(
        {
            c.name: {str(k): v for k, v in c.spec.codes.items()}
            for c in panel.columns
            if c.spec.codes
        }
    ).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def write(panel: Panel, path: Path, fmt: str) -> Path:
    """Write ``panel`` to ``path`` in ``fmt`` (``csv``, ``parquet`` or ``dta``)."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")
    frame = to_frame(panel)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if fmt == "csv":
            frame.to_csv(path, index=False)
        elif fmt == "parquet":
            _parquet(frame, panel, path)
        else:
            _stata(frame, panel, path)
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror or e}") from None
    return path


def codebook_markdown() -> str:
    """docs/codebook.md: every column of every panel, with its codes (generated)."""
    from minilat.analysis import panels

    out = [
        "# Codebook of the minilat panels",
        "",
        "Generated from `minilat.analysis.panels.COLUMNS` by `make docs`"
        " (`scripts/codebook.py`); the same definitions label the Stata and Parquet files.",
        "",
        "Every panel observes its year on **1 July** (as the COW IGO data does), so a row"
        " agrees with `minilat members GROUPING --as-of YEAR-07-01`. Countries are states"
        " (ISO 3166-1 alpha-3) that appear in some grouping of the dataset; the EU and"
        " non-state participants are counted in the grouping-year panel only.",
        "",
        "Build a panel with `minilat panel --unit UNIT --from YEAR --to YEAR --format"
        " csv|parquet|dta`, or in Python with `minilat.open().panel(UNIT, FROM, TO)`.",
        "",
    ]
    intro = {
        "country-year": "One row per state, grouping and year in which the grouping is"
        " active on 1 July (every state of the dataset, members or not).",
        "dyad-year": "One row per pair of states (`country_a` < `country_b`) and year in"
        " which the two share at least one grouping; a missing pair shares none that year.",
        "grouping-year": "One row per grouping and year, from its founding year to the"
        " year it ended (or the last year asked for).",
    }
    for unit in panels.UNITS:
        out += [f"## {unit}", "", intro[unit], "", "| column | label | type | definition |"]
        out += ["|---|---|---|---|"]
        for spec in COLUMNS[unit]:
            out.append(f"| `{spec.name}` | {spec.label} | {spec.kind} | {spec.doc} |")
        out.append("")
        coded = [s for s in COLUMNS[unit] if s.codes]
        for spec in coded:
            codes = ", ".join(f"`{k}` {v}" for k, v in spec.codes.items())  # type: ignore[union-attr]
            out.append(f"* `{spec.name}` codes: {codes}.")
        if coded:
            out.append("")
    return "\n".join(out).rstrip() + "\n"
