"""The exceptions minilat raises, and what each face does with them.

Every error a user can cause is a :class:`MinilatError`. Each carries a one-line
``message``, an optional ``hint`` and the HTTP ``status`` and CLI ``exit_code`` the faces
use, so the CLI prints one line (never a traceback) and the web answers one JSON shape::

    MinilatError                 status 500, exit 1
    ├── NotFound                 status 404, exit 2   unknown grouping, country, table
    ├── BadInput                 status 400, exit 2   a bad date, option or file
    ├── DatasetInvalid           status 500, exit 1   the YAML dataset has problems
    ├── StoreError               status 503, exit 1   the SQLite store cannot be used
    ├── Busy                     status 503/429        too much work at once (Retry-After)
    └── Infeasible               status 422, exit 1   a coalition request that no coalition meets
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "BadInput",
    "Busy",
    "DatasetInvalid",
    "Infeasible",
    "MinilatError",
    "NotFound",
    "Problem",
    "StoreError",
    "did_you_mean",
]


class MinilatError(Exception):
    status = 500
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class NotFound(MinilatError):
    status = 404
    exit_code = 2


class BadInput(MinilatError):
    status = 400
    exit_code = 2


class StoreError(MinilatError):
    status = 503


class Infeasible(MinilatError):
    status = 422


class Busy(MinilatError):
    """Too much work asked at once: the server's (503) or one client's (429). The web
    answers with ``Retry-After: retry_after`` seconds."""

    status = 503

    def __init__(
        self, message: str, hint: str | None = None, *, retry_after: int = 5, status: int = 503
    ) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset file, located as ``file:line: field: what``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DatasetInvalid(MinilatError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(
            f"the dataset has {n} problem{'s' if n != 1 else ''}",
            hint="run `minilat validate` to see each one",
        )


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str | None:
    """A hint naming the closest choices, or None.

    >>> did_you_mean("quadd", ["quad", "aukus", "g7"])
    'did you mean quad?'
    """
    pool = list(choices)
    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), lowered, n=n)]
    return f"did you mean {', '.join(close)}?" if close else None
