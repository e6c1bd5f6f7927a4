"""minilat: the open observatory of tech minilateralism.

In Python::

    import minilat
    ds = minilat.open()                      # the bundled dataset, through the store
    ds.members("quad", as_of="2023-07-01")   # a pandas DataFrame
    ds.panel("dyad-year", 1990, 2026)        # a panel (docs/codebook.md)

Importing the package is cheap: :func:`open` imports the dataset, the store and the
analyses when called (see :mod:`minilat.facade` for every method).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from minilat.facade import Observatory

__all__ = ["__version__", "open"]

__version__ = "0.1.0"


def open(data: str | Path | None = None, *, db: str | Path | None = None) -> Observatory:
    """The observatory: the dataset (bundled, or the folder ``data``) and its analyses,
    tables as pandas DataFrames. ``db`` is the SQLite store (default: ``MINILAT_DB``).

    >>> import minilat
    >>> minilat.open()  # doctest: +ELLIPSIS
    <minilat Observatory: ... groupings>
    """
    from minilat.facade import open_observatory

    return open_observatory(data, db=db)
