"""hypothesis fuzzing of the capability-table CSV reader: whatever the file holds, the
reader returns a table or raises a clean, named error (a BadInput with a message);
never anything else. Figures: docs/reliability.md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minilat.capability_csv import CsvProblems, read_capability_csv
from minilat.errors import BadInput
from minilat.model import CapabilityTable

EXAMPLES = int(os.environ.get("MINILAT_FUZZ_EXAMPLES", "150"))
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)

_COUNTRIES = ["TWN", "KOR", "usa", "Japan", "South Korea", "Narnia", "", "region:rest", "region:"]
_NUMBERS = ["0.1", "0.5", "1", "0", "-0", "-0.2", "1e400", "nan", "inf", "1e-300", "2", "x", ""]


def _read(content: bytes, stem: str = "table", unit: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{stem}.csv"
        path.write_bytes(content)
        try:
            table = read_capability_csv(path, unit=unit)
        except BadInput as e:
            assert e.message and "Traceback" not in e.message
            if isinstance(e, CsvProblems):
                assert e.problems and all(p.startswith(str(path)) for p in e.problems)
            return
        assert isinstance(table, CapabilityTable) and table.rows


@_SETTINGS
@given(st.binary(max_size=2000))
@example(b"\xff\xfe\x00bad utf-8")
@example(b"country,share\nTWN,0.5\x00\n")
@example(b"country,share\nTWN," + b"9" * 200_000 + b"\n")
@example(b'country,share\n"TWN,0.5\n')
def test_any_bytes(content: bytes) -> None:
    _read(content)


@_SETTINGS
@given(st.text(max_size=2000))
def test_any_text(text: str) -> None:
    _read(text.encode("utf-8", "surrogatepass"))


_cell = st.one_of(st.sampled_from(_COUNTRIES + _NUMBERS), st.text(max_size=12))
_row = st.lists(_cell, min_size=0, max_size=4)


@_SETTINGS
@given(
    header=st.sampled_from(["country,share", "country,value", "Country , SHARE", "country", ""]),
    rows=st.lists(_row, max_size=12),
    unit=st.sampled_from([None, "tonnes", ""]),
    stem=st.sampled_from(["fabs", "---", "Données 2024", "a" * 200, "x.y"]),
    comments=st.booleans(),
)
def test_plausible_tables(
    header: str, rows: list[list[str]], unit: str | None, stem: str, comments: bool
) -> None:
    lines = [header] + [",".join(r) for r in rows]
    if comments:
        lines.insert(1, "# a comment")
    _read("\n".join(lines).encode(), stem=stem, unit=unit)


def test_a_directory_or_missing_file(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.csv"):
        try:
            read_capability_csv(path)
        except BadInput as e:
            assert str(path) in e.message
        else:
            raise AssertionError(path)
