"""The Python interface: ``ds = minilat.open()``, then tables as pandas DataFrames.

For analysts in a notebook: every answer the command line gives, as a DataFrame (tables)
or a plain dict (assessments), from one call each. pandas is the ``panels`` extra; the
methods returning DataFrames import it when called, so ``import minilat`` stays cheap.

>>> import minilat
>>> ds = minilat.open()
>>> quad = ds.members("quad", as_of="2023-07-01")
>>> sorted(quad.participant)
['AUS', 'IND', 'JPN', 'USA']
>>> int(ds.groupings(member="EST").shape[0]) >= 5
True
>>> ds.panel("grouping-year", 2023, 2023).set_index("grouping").loc["quad", "members"]
np.int64(4)
>>> ds.assess("aukus", as_of="2024-01-01")["type"]["type"]
'security_defence'
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minilat.dataset import Dataset, parse_day

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Observatory", "open_observatory"]


def _day(as_of: str | _dt.date | None) -> _dt.date:
    if as_of is None:
        return _dt.date.today()
    if isinstance(as_of, _dt.date):
        return as_of
    return parse_day(as_of, "as_of")


def _frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
    from minilat.panel_files import require_pandas

    pd = require_pandas("DataFrames")
    return pd.DataFrame(rows, columns=columns)


class Observatory:
    """The dataset and the analyses over it, with DataFrames for tables.

    Dates (``as_of``) are ``YYYY-MM-DD`` text or :class:`datetime.date`; today by default.
    ``.dataset`` is the validated :class:`~minilat.dataset.Dataset` itself.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __repr__(self) -> str:
        return f"<minilat Observatory: {len(self.dataset.groupings)} groupings>"

    # ------------------------------------------------------------------ tables

    def groupings(
        self,
        as_of: str | _dt.date | None = None,
        *,
        member: str | None = None,
        theme: str | None = None,
    ) -> pd.DataFrame:
        """One row per grouping (id, name, founded, ended, status, instrument, themes,
        members, states, website) as of the date; ``member`` (a country code or name)
        keeps the groupings it takes part in then, ``theme`` those with the theme."""
        from minilat.analysis.groupings import summary

        day = _day(as_of)
        code = self.dataset.resolve_participant(member) if member else None
        rows = []
        for g in self.dataset.groupings.values():
            if code and not any(m.participant == code for m in g.members_on(day)):
                continue
            if theme and theme not in {t.value for t in g.themes.value}:
                continue
            row = summary(self.dataset, g, day)
            row["acronyms"] = ";".join(row["acronyms"])
            row["themes"] = ";".join(row["themes"])
            rows.append(row)
        return _frame(sorted(rows, key=lambda r: r["id"]))

    def members(
        self, grouping: str, as_of: str | _dt.date | None = None, *, verified_only: bool = False
    ) -> pd.DataFrame:
        """The participants of ``grouping`` in an active role on the date (as
        ``minilat members --as-of``): participant, name, kind, role, start, end, verified,
        note, sources (ids joined by ``;``)."""
        from minilat.analysis.groupings import members

        g = self.dataset.grouping(grouping)
        res = members(self.dataset, g, _day(as_of), verified_only=verified_only)
        rows = [{**m, "sources": ";".join(m["sources"])} for m in res["members"]]
        cols = ["participant", "name", "kind", "role", "start", "end", "verified", "note"]
        return _frame(rows, [*cols, "sources"])

    def memberships(self) -> pd.DataFrame:
        """Every membership interval of every grouping (the ``memberships.csv`` table)."""
        from minilat import export

        header, rows = export.csv_rows(self.dataset)["memberships"]
        return _frame([dict(zip(header, r, strict=True)) for r in rows], header)

    def panel(self, unit: str, start: int, end: int) -> pd.DataFrame:
        """A ``country-year``, ``dyad-year`` or ``grouping-year`` panel (see
        docs/codebook.md), observed on 1 July of each year."""
        from minilat import panel_files
        from minilat.analysis import panels

        return panel_files.to_frame(panels.build(self.dataset, unit, start, end))

    def typology(self, as_of: str | _dt.date | None = None) -> pd.DataFrame:
        """Each grouping's type by the rule, any editor's override, and the type used."""
        from minilat.analysis.typology import classify

        res = classify(self.dataset, as_of=_day(as_of))
        cols = ["grouping", "name", "rule_type", "editor_type", "agrees", "type", "reason"]
        return _frame([{c: getattr(r, c) for c in cols} for r in res.values()], cols)

    # --------------------------------------------------------------- analyses

    def assess(self, grouping: str, as_of: str | _dt.date | None = None) -> dict[str, Any]:
        """The four characteristics and the type of ``grouping`` on the date, with the
        evidence that decided each (as ``minilat assess --json``)."""
        from minilat.analysis.characteristics import assess
        from minilat.analysis.typology import classify_one

        g = self.dataset.grouping(grouping)
        day = _day(as_of)
        return {
            "characteristics": assess(self.dataset, g, day).to_dict(),
            "type": classify_one(self.dataset, g).to_dict(),
        }

    def scorecard(self, grouping: str, as_of: str | _dt.date | None = None) -> dict[str, Any]:
        """The five policy implications of the article as indicators, on the date."""
        from minilat.analysis.scorecard import score

        return score(self.dataset, self.dataset.grouping(grouping), _day(as_of)).to_dict()

    def country(self, code: str, as_of: str | _dt.date | None = None) -> dict[str, Any]:
        """A country's profile: groupings, partners, alignment and hedging, type mix."""
        from minilat.analysis.countries import profile

        iso3 = self.dataset.resolve_participant(code)
        return profile(self.dataset, iso3, _day(as_of))

    def network(self, as_of: str | _dt.date | None = None) -> dict[str, Any]:
        """The co-membership network on the date: centralities, communities, bridges."""
        from minilat.analysis.network import analyse

        return analyse(self.dataset, _day(as_of))

    def timeline(self, start: int = 1975, end: int | None = None) -> dict[str, Any]:
        """Groupings founded, active and ended per year."""
        from minilat.analysis.timeline import timeline

        return timeline(self.dataset, start=start, end=end)


def open_observatory(
    data: str | Path | None = None, *, db: str | Path | None = None
) -> Observatory:
    """The observatory over the bundled dataset (or the data folder ``data``), read
    through the SQLite store at ``db`` (the setting ``MINILAT_DB`` by default), which is
    built on first use and rebuilt when the data changes."""
    from minilat import settings
    from minilat.store import open_store

    db_path = Path(db or settings.resolve("db") or "minilat.db")
    store = open_store(db_path, Path(data) if data else None)
    return Observatory(store.dataset())
