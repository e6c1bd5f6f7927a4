"""Shared fixtures: a copy of the small hand-built dataset, a store path, the CLI runner."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from minilat.cli import cli
from minilat.dataset import Dataset
from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from postgres_server import postgres_server  # noqa: F401  (a session fixture)

FIXTURES = Path(__file__).parent / "fixtures"
#: The password of the test editor ``ada``.
EDITOR_PASSWORD = "correct horse battery staple"

# Hypothesis: every failure prints the blob that reproduces it (``@reproduce_failure``).
# Locally, failures are kept in a database (``.hypothesis/examples``) and replayed first on
# the next run. Under CI (``CI=true``, set by ``.ci/run``) the examples are derandomized
# (seeded from each test's source), so a CI failure comes back on a rerun and on a laptop
# run with ``CI=true`` (hypothesis needs no database then: the same examples every time).
_HYPOTHESIS_DB = DirectoryBasedExampleDatabase(
    Path(__file__).parent.parent / ".hypothesis/examples"
)
settings.register_profile("dev", database=_HYPOTHESIS_DB, print_blob=True)
settings.register_profile("ci", database=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")

#: The heavy groups (Spark, PostgreSQL, a real browser, a real reverse proxy): each has its
#: own marker, and every test in one is also marked ``heavy``, so ``-m "not heavy"`` (`make
#: test`, the quick loop) leaves them all out and `make check` (CI) runs them. A new heavy
#: group only needs its marker registered in pyproject.toml and its name added here.
HEAVY_GROUPS = ("spark", "postgres", "browser", "proxy")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of a heavy group ``heavy`` before ``-m`` selects (tryfirst: the
    selection by marker is another plugin's hook of the same name)."""
    for item in items:
        if any(item.get_closest_marker(group) for group in HEAVY_GROUPS):
            item.add_marker(pytest.mark.heavy)


# Argon2 at its cheapest in tests, never in the product: every editor's password is hashed
# and verified many times over the suite, and the product's parameters (RFC 9106, 64 MiB
# and 3 passes) made the authorization matrix alone 39% of the suite's time. Hashes stay
# real Argon2id hashes (``$argon2id$...``); ``test_auth.py`` checks that the product's own
# hasher keeps its parameters.
editors._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True, scope="session")
def _yaml_read_once_per_version() -> Iterator[None]:
    """Each web app reads the data folder's YAML documents (``edits.read_base``, ruamel:
    about a second) the first time an editor page needs them; the suite builds hundreds of
    apps over the same unchanged folders. Read each folder once per version of its files
    (paths, sizes and modification times) and hand every app its own deep copy, so that
    no test sees another's changes, and a changed file is read again."""
    import copy

    from minilat.dataset import SUBDIRS, bundled_data_dir, data_files
    from minilat.editorial import edits
    from minilat.web import site

    real = edits.read_base
    seen: dict[tuple[object, ...], edits.Base] = {}

    def read_base(root: Path | None = None) -> edits.Base:
        folder = Path(root) if root is not None else bundled_data_dir()
        key: tuple[object, ...] = (root,)
        for sub in SUBDIRS:
            for p in data_files(folder, sub):
                st = p.stat()
                key += ((str(p), st.st_size, st.st_mtime_ns),)
        if key not in seen:
            seen[key] = real(root)
        return copy.deepcopy(seen[key])

    from minilat.store import Store

    real_dataset = Store.dataset
    loaded: dict[tuple[object, ...], Dataset] = {}

    def dataset(self: Store, *, groupings: bool = True) -> Dataset:
        """A store file's dataset read once per version of the file (its path and the
        fingerprint of the data compiled into it); each Store gets its own copy of the
        frozen records, with an empty memo of analyses."""
        if self._dataset is not None or not groupings or str(self.path) == ":memory:":
            return real_dataset(self, groupings=groupings)
        key = (str(self.path), *sorted(self.meta().items()))
        if key not in loaded:
            loaded[key] = real_dataset(self)
        self._dataset = dataclasses.replace(loaded[key])
        return self._dataset

    patch = pytest.MonkeyPatch()
    patch.setattr(site, "read_base", read_base)
    patch.setattr(Store, "dataset", dataset)
    yield
    patch.undo()


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
def columns(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the terminal width the CLI's tables are laid out for (COLUMNS, as a user's
    shell does): ``columns(80)``; the consoles are made anew for it, and restored after."""
    from minilat.cli import kit

    def set_width(n: int) -> None:
        monkeypatch.setenv("COLUMNS", str(n))
        monkeypatch.setattr(kit.out_console, "_console", None)
        monkeypatch.setattr(kit.err_console, "_console", None)

    return set_width


@pytest.fixture
def editorial_backend() -> str:
    """The kind of editorial database the tests get: SQLite here; the editorial suite's
    modules run on both (``from editorial_backends import editorial_backend``)."""
    return "sqlite"


@pytest.fixture
def editorial_location(
    request: pytest.FixtureRequest, tmp_path: Path, editorial_backend: str
) -> Iterator[Path | str]:
    """A fresh, empty editorial database's place: a SQLite file, or a new database on
    the session's throwaway PostgreSQL server (tests/postgres_server.py)."""
    if editorial_backend == "postgres":
        from postgres_server import fresh_database

        with fresh_database(request.getfixturevalue("postgres_server")) as url:
            yield url
    else:
        yield tmp_path / "editorial.db"


@pytest.fixture
def editorial_db(editorial_location: Path | str, monkeypatch: pytest.MonkeyPatch) -> EditorialDB:
    """A fresh editorial database, set as the app's, with editor ``ada``."""
    if isinstance(editorial_location, str):
        monkeypatch.setenv("MINILAT_EDITORIAL_URL", editorial_location)
    else:
        monkeypatch.setenv("MINILAT_EDITORIAL", str(editorial_location))
    monkeypatch.setenv("MINILAT_SECRET", "test-secret")
    db = EditorialDB(editorial_location)
    editors.add_editor(db, "ada", EDITOR_PASSWORD)
    return db


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One compiled store of the bundled dataset (or ``MINILAT_DATA``), for web tests."""
    return tmp_path_factory.mktemp("web-store") / "store.db"


@pytest.fixture()
def client(web_store: Path, editorial_db: EditorialDB) -> Iterator[TestClient]:
    """The observatory over ``web_store`` and the fresh editorial database (https, no
    redirects followed, server errors answered as 500s rather than raised)."""
    from minilat.web import create_app

    data = os.environ.get("MINILAT_DATA")
    app = create_app(web_store, Path(data) if data else None)
    with TestClient(
        app, base_url="https://testserver", raise_server_exceptions=False, follow_redirects=False
    ) as c:
        yield c


@pytest.fixture()
def token(editorial_db: EditorialDB) -> str:
    """A live API token of editor ``ada``."""
    return editors.new_token(editorial_db, "ada")[1]
