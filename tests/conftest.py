"""Shared fixtures: a copy of the small hand-built dataset, a store path, the CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minilat import editors
from minilat.cli import cli
from minilat.store import EditorialDB

FIXTURES = Path(__file__).parent / "fixtures"
#: The password of the test editor ``ada``.
EDITOR_PASSWORD = "correct horse battery staple"


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini (two groupings, one capability table)."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "minilat.db"


@pytest.fixture
def run(db_path: Path) -> Callable[..., Result]:
    """Run the CLI against a fresh store; pass data=PATH to use another dataset."""

    def _run(*args: str, data: Path | None = None) -> Result:
        opts = ["--db", str(db_path)]
        if data is not None:
            opts += ["--data", str(data)]
        return CliRunner().invoke(cli, [*opts, *args], catch_exceptions=False)

    return _run


@pytest.fixture
def editorial_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EditorialDB:
    """A fresh editorial database, set as the app's, with editor ``ada``."""
    path = tmp_path / "editorial.db"
    monkeypatch.setenv("MINILAT_EDITORIAL", str(path))
    monkeypatch.setenv("MINILAT_SECRET", "test-secret")
    db = EditorialDB(path)
    editors.add_editor(db, "ada", EDITOR_PASSWORD)
    return db
