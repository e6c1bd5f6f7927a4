"""Read a user's own capability table from CSV, for the coalition designer.

The format (docs/designer.md): a header ``country,share`` or ``country,value``, then one
row per country. A country is an ISO 3166-1 alpha-3 code or a country name; a
``region:<slug>`` row counts in the world total but can never be recruited. Shares are
fractions of the world total (0..1, or percentages such as ``33.4%``), adding up to at most
1; values are amounts in a unit you name, and shares are derived over their sum. Blank
lines and lines starting with ``#`` are skipped.

Published tables are rounded, so shares may add up to a little more than 1: up to
:data:`ROUNDING_TOLERANCE` over, they are scaled down to add up to 1 and a notice says so;
further over, the file is refused unless ``normalize=True`` (``--normalize``) asks for
the same scaling.

Every problem is reported as ``file:line: what``; all of them are collected and raised
together as one :class:`~minilat.errors.BadInput`, never a traceback.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "fabs.csv"
>>> _ = p.write_text("country,share\\nTWN,0.6\\nSouth Korea,0.3\\nregion:rest_of_world,0.1\\n")
>>> t = read_capability_csv(p)
>>> t.id, [r.participant for r in t.rows]
('fabs', ['TWN', 'KOR', 'region:rest_of_world'])
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from minilat import countries
from minilat.errors import BadInput, NotFound
from minilat.model import SLUG_RE, CapabilityRow, CapabilityTable, Measure

__all__ = ["ROUNDING_TOLERANCE", "CsvProblems", "read_capability_csv"]

#: How far over 1 the shares of a table may add up before it is refused (published
#: rounding: 30 rows each rounded to a tenth of a percent can be 1.5% over).
ROUNDING_TOLERANCE = 0.015

_HEADERS = {("country", "share"): Measure.SHARE, ("country", "value"): Measure.VALUE}


class CsvProblems(BadInput):
    """A capability CSV with problems; ``problems`` lists each as ``file:line: what``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = len(problems) - 1
        hint = "the format is in docs/designer.md"
        if more:
            shown = "; ".join(problems[1:4]) + ("; ..." if more > 3 else "")
            hint = f"{more} more: {shown} — {hint}"
        super().__init__(f"bad capability CSV: {problems[0]}", hint=hint)


def _slug(stem: str) -> str:
    """A table id from a file name: lower case, runs of other characters made ``_``, no
    ``_`` or ``-`` at either end (so it starts with a letter or digit, a valid slug), or
    ``csv_table`` when nothing is left."""
    return re.sub(r"[^a-z0-9_\-]+", "_", stem.lower()).strip("_-") or "csv_table"


def read_capability_csv(
    path: Path,
    *,
    unit: str | None = None,
    name: str | None = None,
    year: int = 0,
    normalize: bool = False,
    notices: list[str] | None = None,
) -> CapabilityTable:
    """The capability table in the CSV file at ``path``.

    ``unit`` is required for a ``country,value`` file (what the values measure) and
    optional for shares. ``year`` 0 means "not stated". Shares adding up to more than 1
    are scaled to add up to 1 when within :data:`ROUNDING_TOLERANCE` or when
    ``normalize``; each such change is appended to ``notices``. Raises
    :class:`CsvProblems` (a BadInput) listing every problem found, or BadInput if the
    file cannot be read.
    """
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"no such CSV file: {shown}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read {shown}: {e}") from None
    problems: list[str] = []
    measure: Measure | None = None
    rows: list[CapabilityRow] = []
    seen: dict[str, int] = {}
    last_line = 0
    reader = csv.reader(text.splitlines())
    try:
        records = list(reader)
    except csv.Error as e:  # e.g. a field over the csv module's 128 KiB limit
        raise CsvProblems([f"{shown}:{reader.line_num}: not readable as CSV: {e}"]) from None
    for line_no, fields in enumerate(records, start=1):
        cells = [c.strip() for c in fields]
        if not any(cells) or cells[0].startswith("#"):
            continue
        last_line = line_no
        if measure is None:
            key = tuple(c.lower() for c in cells)
            if key not in _HEADERS:
                problems.append(
                    f"{shown}:{line_no}: missing header: the first line must be"
                    f" `country,share` or `country,value`, not {','.join(cells)!r}"
                )
                break
            measure = _HEADERS[key]
            continue
        if len(cells) != 2:
            problems.append(f"{shown}:{line_no}: expected 2 fields, found {len(cells)}")
            continue
        who, raw = cells
        participant = _participant(who, shown, line_no, problems)
        value = _number(raw, measure, shown, line_no, problems)
        if participant is None or value is None:
            continue
        if participant in seen:
            problems.append(
                f"{shown}:{line_no}: {participant} appears twice (also line {seen[participant]})"
            )
            continue
        seen[participant] = line_no
        rows.append(CapabilityRow(participant=participant, value=value))
    if measure is None and not problems:
        problems.append(f"{shown}:1: missing header: the file is empty")
    elif measure is not None and not rows and not problems:
        problems.append(f"{shown}:{last_line}: no data rows after the header")
    if measure is Measure.SHARE and rows and not problems:
        total = sum(r.value for r in rows)
        if total > 1 + 1e-9:
            if total <= 1 + ROUNDING_TOLERANCE or normalize:
                rows = [
                    CapabilityRow(participant=r.participant, value=r.value / total) for r in rows
                ]
                if notices is not None:
                    why = "rounding" if total <= 1 + ROUNDING_TOLERANCE else "--normalize"
                    notices.append(
                        f"{shown}: shares add up to {total:.4f}; each was divided by that total"
                        f" to add up to 1 ({why})"
                    )
            else:
                problems.append(
                    f"{shown}:{last_line}: shares add up to {total:.4f}, more than 1 (more "
                    f"than rounding explains: up to {1 + ROUNDING_TOLERANCE:g} is accepted;"
                    " --normalize scales them to 1)"
                )
    if measure is Measure.VALUE and rows and not problems:
        if sum(r.value for r in rows) <= 0:
            problems.append(f"{shown}:{last_line}: values add up to 0")
        if not unit:
            problems.append(f"{shown}:1: a `country,value` table needs its unit (--unit)")
    if problems:
        raise CsvProblems(problems)
    assert measure is not None
    return CapabilityTable(
        id=_slug(path.stem),
        name=name or path.stem,
        unit=unit or "share of the world total",
        measure=measure,
        year=year,
        scope=f"user-supplied CSV file {path.name}",
        sources=(f"file:{path.name}",),
        rows=tuple(rows),
    )


def _participant(who: str, shown: str, line_no: int, problems: list[str]) -> str | None:
    if who.lower().startswith("region:"):
        slug = who[len("region:") :].strip().lower()
        if not SLUG_RE.match(slug):
            problems.append(f"{shown}:{line_no}: {who!r} is not a region (use region:<slug>)")
            return None
        return f"region:{slug}"
    if not who:
        problems.append(f"{shown}:{line_no}: the country is empty")
        return None
    try:
        return countries.resolve_state(who)
    except NotFound as e:
        hint = f" ({e.hint})" if e.hint else ""
        problems.append(f"{shown}:{line_no}: unknown country {who!r}{hint}")
        return None


def _number(
    raw: str, measure: Measure, shown: str, line_no: int, problems: list[str]
) -> float | None:
    percent = raw.endswith("%")
    if percent and measure is not Measure.SHARE:
        problems.append(f"{shown}:{line_no}: {raw!r}: a percentage is a share (country,share)")
        return None
    try:
        value = float(raw[:-1].strip() if percent else raw)
    except ValueError:
        problems.append(f"{shown}:{line_no}: {raw!r} is not a number")
        return None
    if percent:
        value /= 100.0
    if not math.isfinite(value):
        problems.append(f"{shown}:{line_no}: {raw!r} is not a finite number")
        return None
    if value < 0:
        problems.append(f"{shown}:{line_no}: negative {measure.value} {raw}")
        return None
    if measure is Measure.SHARE and value > 1:
        problems.append(f"{shown}:{line_no}: share {raw} is more than 1 (shares are 0..1)")
        return None
    return value
