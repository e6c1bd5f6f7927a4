"""Settings, declared once as data: the CLI options, environment variables and docs
are all generated from :data:`SETTINGS`.

Precedence: a command-line option, then the environment variable, then the default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

__all__ = ["SETTINGS", "Setting", "resolve"]


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    help: str
    default: Callable[[], str | None]

    @property
    def option(self) -> str:
        """The command-line option's name (without its ``--``)."""
        return self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "MINILAT_DB",
        "Path of the SQLite store (built and refreshed automatically).",
        lambda: str(Path(user_cache_dir("minilat")) / "minilat.db"),
    ),
    Setting(
        "data",
        "MINILAT_DATA",
        "Folder of the YAML dataset to use instead of the bundled one.",
        lambda: None,
    ),
    Setting(
        "monitor",
        "MINILAT_MONITOR",
        "Folder of the news monitor's store (GDELT data as Parquet; `minilat monitor`).",
        lambda: str(Path(user_cache_dir("minilat")) / "monitor"),
    ),
    Setting(
        "editorial",
        "MINILAT_EDITORIAL",
        "Path of the editorial SQLite database (editors, API tokens, suggestions, the"
        " audit trail); default minilat-editorial.db in the user data folder, or beside"
        " the store when --db gives the store a place of its own.",
        lambda: None,
    ),
    Setting(
        "editorial_url",
        "MINILAT_EDITORIAL_URL",
        "Address of a PostgreSQL database to hold the editorial data instead of the SQLite"
        " file (postgresql://user@host:port/dbname; needs minilat[postgres]); unset:"
        " SQLite.",
        lambda: None,
    ),
    Setting(
        "releases",
        "MINILAT_RELEASES",
        "Folder of the dataset's release bundles (written by `minilat dataset release`,"
        " served under /releases); default ./releases.",
        lambda: "releases",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def resolve(name: str, given: str | None = None) -> str | None:
    """The value of setting ``name``: ``given``, else its environment variable, else default."""
    s = _BY_NAME[name]
    if given not in (None, ""):
        return given
    env = os.environ.get(s.env)
    if env:
        return env
    return s.default()
