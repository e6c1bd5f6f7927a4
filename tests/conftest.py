"""Shared fixtures: a copy of the small hand-built dataset, a store path, the CLI runner."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import marshal
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from minilat import dataset as _dataset
from minilat import store as _store
from minilat.cli import cli
from minilat.dataset import Dataset
from minilat.editorial import editors, edits
from minilat.editorial.database import EditorialDB
from minilat.web import site as _site
from minilat.web import tuning
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


# The server's collector tuning in tests only where it is tested (tests/test_web_tuning.py):
# the product collects the whole heap and freezes it each time an app starts or its
# dataset changes (minilat.web.tuning.settle_heap), which in a server process holds one
# dataset, but in a test process holds everything the suite has built so far: about a
# second per app, hundreds of apps. Elsewhere the suite's apps start without it (the
# collector runs as usual); test_web_tuning.py puts the real one back (``__wrapped__``).
@functools.wraps(getattr(tuning.settle_heap, "__wrapped__", tuning.settle_heap))
def _settle_heap_skipped() -> int:
    return gc.get_freeze_count()


# The collector's full collections less often in a test process: with the default
# thresholds (700, 10, 10) a worker walked its whole heap (half a million objects and
# more: the data read once per version, their analyses, the apps of its module) about
# every ten collections of the middle generation, some 0.2 s each, 14% of the CPU of the
# web and editorial suites; after 100 of them instead, a tenth as many (measured in
# docs/testing.md), for some 30 MB more memory per worker. The younger generations are
# collected as usual, and a test that collects (gc.collect) still does.
gc.set_threshold(700, 10, 100)


# ------------------------------------------------------------------ one build per version
#
# The suite reads and compiles the same data folders hundreds of times: every CLI test
# opens a fresh store (the YAML read and validated, about 0.75 s of CPU, then compiled
# into SQLite, about 0.2 s), every web app reads the YAML's documents for the editors, and
# some forty doctests and module-level test data call ``load()``. Each of these is a pure
# function of the folder's files, so the suite does each once per *content* of a folder
# (``dataset.fingerprint``: every file's name and bytes, what ``open_store`` itself uses
# to decide that a store is stale) and hands every caller its own copy. A writable copy
# of the bundled data (``data_copy``, ``mini_dir``) is the same content, so it is read
# once too; a test that changes a file gets a new fingerprint, so a real read and build.
# Installed when conftest is imported, so collection and the doctests share it as well.

# (``__wrapped__``: a test module that imports conftest runs this module again.)
_REAL_LOAD = getattr(_dataset.load, "__wrapped__", _dataset.load)
_REAL_OPEN_STORE = getattr(_store.open_store, "__wrapped__", _store.open_store)
_REAL_READ_BASE = getattr(edits.read_base, "__wrapped__", edits.read_base)
#: What a real build runs: a test that replaces one of them (to make a build fail, or to
#: count it) gets the real ``open_store``.
_BUILD_PARTS = {name: getattr(_store, name) for name in ("build", "_fill", "_insert_grouping")}
_LOADED: dict[str, Dataset] = {}
#: Per content of a folder: the root it was read from, its grouping and source documents
#: (packed, see :class:`_Documents`) and the file of each source.
_BASES: dict[str, tuple[Path, dict[str, bytes], dict[str, bytes], dict[str, Path]]] = {}
_SOURCE_FILES: dict[tuple[str, str], dict[str, Path]] = {}
#: A compiled store per (fingerprint, schema version), kept apart, copied on demand.
_COMPILED: dict[tuple[str, str], Path] = {}
#: The (fingerprint, schema version, built_at) of the stores built by ``open_store``:
#: every copy of one holds the same dataset (see ``Store.dataset`` below).
_BUILT: set[tuple[str, str, str]] = set()
_COMPILED_DIR = Path(tempfile.mkdtemp(prefix="minilat-test-stores-"))
atexit.register(shutil.rmtree, _COMPILED_DIR, True)


#: The package's own data folder, which no test writes (tests edit copies of it): its
#: fingerprint is taken once per process instead of on every CLI run, app and load that
#: uses it (each a read and hash of every file, about 10 ms), and checked again at the
#: end of the session (:func:`_bundled_data_unchanged`).
_BUNDLED_DIR = _dataset.bundled_data_dir()
_BUNDLED_KEY: list[str] = []


def _content_key(folder: Path) -> str | None:
    """The folder's fingerprint, or None for what is not a data folder (the real
    functions report it)."""
    if not (folder.is_dir() and (folder / "groupings").is_dir()):
        return None
    if folder == _BUNDLED_DIR:
        if not _BUNDLED_KEY:
            _BUNDLED_KEY.append(_dataset.fingerprint(folder))
        return _BUNDLED_KEY[0]
    return _dataset.fingerprint(folder)


@pytest.fixture(autouse=True, scope="session")
def _bundled_data_unchanged() -> Iterator[None]:
    """The package's data folder is the same at the end of the session as when its
    fingerprint was taken: a test that wrote there fails the session."""
    yield
    if _BUNDLED_KEY:
        assert _dataset.fingerprint(_BUNDLED_DIR) == _BUNDLED_KEY[0], (
            f"a test changed the package's data folder {_BUNDLED_DIR}: tests edit copies"
        )


# ------------------------------------------------------------------ one memo per version
#
# Every copy handed out below shares the memo of analyses (``Dataset.memo``) of the
# dataset it copies: the network, typologies and country analyses of a day, and the web's
# views of it (``Site.cached``), are computed once per version of the data in a test
# process instead of once per app or CLI invocation. It is what a served process does (one
# dataset, one memo, every request), stretched over the tests: an answer is a pure function
# of the dataset's records (the same content, so the same fingerprint) and the arguments in
# its key. A test that counts computations, looks into a memo, or changes what an analysis
# computes (a module attribute monkeypatched) is marked ``own_memo``: the datasets it
# gets start with an empty memo of their own, as in the product, and leave the shared one
# untouched. A copy made with ``dataclasses.replace`` (an edit, a what-if) gets an empty
# memo as always.

#: Whether the datasets handed out now share their version's memo (False while a test
#: marked ``own_memo`` is set up, run and torn down).
_MEMO_SHARED = [True]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_memo: the datasets this test gets start with an empty memo of analyses, as in "
        "the product, instead of sharing their version's (tests/conftest.py)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures are made: whether its datasets share memos."""
    _MEMO_SHARED[0] = item.get_closest_marker("own_memo") is None


def _copy(ds: Dataset) -> Dataset:
    """A new Dataset over the same frozen records, with its own mappings, and the memo of
    ``ds`` (an empty one under ``own_memo``)."""
    new = Dataset(
        dict(ds.groupings),
        dict(ds.participants),
        dict(ds.sources),
        dict(ds.capabilities),
        dict(ds.indicators),
    )
    if _MEMO_SHARED[0]:
        object.__setattr__(new, "memo", ds.memo)  # a frozen dataclass's field
    return new


@functools.wraps(_REAL_LOAD)
def _load_once(root: Path | None = None) -> Dataset:
    folder = Path(root) if root else _dataset.bundled_data_dir()
    key = _content_key(folder)
    if key is None:
        return _REAL_LOAD(folder)
    if key not in _LOADED:
        _LOADED[key] = _REAL_LOAD(folder)  # a folder that does not validate raises, unkept
    return _copy(_LOADED[key])


@functools.wraps(_REAL_OPEN_STORE)
def _open_store_once(
    path: Path, data_dir: Path | None = None, *, rebuild: bool = False
) -> _store.Store:
    """``open_store``, with a store already compiled from the same files copied into
    place (atomically, as a build is) instead of compiled again."""
    folder = Path(data_dir) if data_dir else _dataset.bundled_data_dir()
    real_parts = all(getattr(_store, n) is f for n, f in _BUILD_PARTS.items())
    fp = _content_key(folder) if real_parts and not rebuild else None
    if fp is None:
        return _REAL_OPEN_STORE(path, data_dir, rebuild=rebuild)
    key = (fp, str(_store.SCHEMA_VERSION))
    path = Path(path)
    meta = _store._read_meta(path) if path.exists() else {}
    if (meta.get("fingerprint"), meta.get("schema_version")) == key:
        return _store.Store(path)  # up to date: what the real one does
    if key in _COMPILED:
        tmp = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".minilat-copy-", suffix=".db", dir=path.parent)
            os.close(fd)
            shutil.copyfile(_COMPILED[key], tmp)
            os.replace(tmp, path)
        except OSError:  # an unwritable place: the real one says so, as a StoreError
            with contextlib.suppress(OSError):
                if tmp:
                    os.unlink(tmp)
            return _REAL_OPEN_STORE(path, data_dir)
        return _store.Store(path)
    store = _REAL_OPEN_STORE(path, data_dir)
    meta = store.meta()
    if (meta.get("fingerprint"), meta.get("schema_version")) == key:
        kept = _COMPILED_DIR / f"{len(_COMPILED)}.db"
        shutil.copyfile(path, kept)
        _COMPILED[key] = kept
        _BUILT.add((*key, meta.get("built_at", "")))
    return store


class _Documents(Mapping[str, dict[str, Any]]):
    """The documents of one read of a folder: each unpacked (marshal: plain JSON-ready
    data) into a copy of its own the first time it is asked for, then that same copy, as a
    dict read from the YAML would give it. Callers look documents up one by one
    (``Base.doc``), so a read no longer copies every document of the folder."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._docs: dict[str, dict[str, Any]] = {}

    def __getitem__(self, key: str) -> dict[str, Any]:
        doc = self._docs.get(key)
        if doc is None:
            doc = self._docs[key] = marshal.loads(self._packed[key])
        return doc

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@functools.wraps(_REAL_READ_BASE)
def _read_base_once(root: Path | None = None) -> edits.Base:
    """``edits.read_base`` once per content of a folder: each caller gets its own copy
    of the documents (:class:`_Documents`), with the paths of its own folder."""
    folder = root if root is not None else _dataset.bundled_data_dir()
    key = _content_key(Path(folder))
    if key is None:
        return _REAL_READ_BASE(root)
    if key not in _BASES:
        base = _REAL_READ_BASE(root)
        _BASES[key] = (
            base.root,
            {k: marshal.dumps(d) for k, d in base.groupings.items()},
            {k: marshal.dumps(d) for k, d in base.sources.items()},
            dict(base.source_files),
        )
    read_root, groupings, sources, source_files = _BASES[key]
    if (key, str(folder)) not in _SOURCE_FILES:  # the paths are immutable: made once
        _SOURCE_FILES[key, str(folder)] = {
            k: Path(folder) / p.relative_to(read_root) for k, p in source_files.items()
        }
    return edits.Base(
        folder,
        _Documents(groupings),
        _Documents(sources),
        dict(_SOURCE_FILES[key, str(folder)]),
    )


if not hasattr(_dataset.load, "__wrapped__"):  # once per process
    _dataset.load = _load_once
    _store.open_store = _open_store_once
    edits.read_base = _read_base_once
    _site.open_store = _open_store_once
    _site.read_base = _read_base_once
    tuning.settle_heap = _settle_heap_skipped


@pytest.fixture(autouse=True, scope="session")
def _dataset_read_once_per_version() -> Iterator[None]:
    """A store file's dataset read once per version of the file; each Store gets its own
    copy of the frozen records, with the version's memo of analyses (above). Copies of one compiled
    store (above) share it: the same fingerprint, schema and build."""
    real_dataset = _store.Store.dataset
    loaded: dict[tuple[object, ...], Dataset] = {}

    def dataset(self: _store.Store, *, groupings: bool = True) -> Dataset:
        if self._dataset is not None or not groupings or str(self.path) == ":memory:":
            return real_dataset(self, groupings=groupings)
        meta = self.meta()
        built = (
            meta.get("fingerprint", ""),
            meta.get("schema_version", ""),
            meta.get("built_at", ""),
        )
        key = built if built in _BUILT else (str(self.path), *sorted(meta.items()))
        if key not in loaded:
            loaded[key] = real_dataset(self)
        self._dataset = _copy(loaded[key])
        return self._dataset

    patch = pytest.MonkeyPatch()
    patch.setattr(_store.Store, "dataset", dataset)
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


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> _store.Store:
    """A store compiled from the bundled data, read-only, one per test module (for tests
    that hold every face of the same answer side by side: CLI, API and page)."""
    return _store.open_store(tmp_path_factory.mktemp("bundled") / "store.db")


@pytest.fixture(scope="module")
def bundled_client(bundled_store: _store.Store) -> Iterator[TestClient]:
    """The web app over :func:`bundled_store`."""
    from minilat.web import create_app

    with TestClient(create_app(bundled_store.path)) as c:
        yield c


def cli_at(store: _store.Store, columns: int) -> Callable[..., Result]:
    """The CLI over ``store``, laid out for a terminal ``columns`` wide."""

    def go(*args: str) -> Result:
        return CliRunner(env={"COLUMNS": str(columns)}).invoke(
            cli, ["--db", str(store.path), *args], catch_exceptions=False
        )

    return go


@pytest.fixture(scope="module")
def run80(bundled_store: _store.Store) -> Callable[..., Result]:
    """The CLI over :func:`bundled_store`, laid out for an 80-column terminal."""
    return cli_at(bundled_store, 80)


def _consoles_follow_columns() -> None:
    """Make the CLI's two consoles now, with no ``COLUMNS`` in the environment: rich fixes
    a console's width for good when ``COLUMNS`` is set as it is made, and reads it at each
    print otherwise. Made lazily, by the first CLI run of a process, a test asking for 80
    columns (``CliRunner(env={"COLUMNS": "80"})``) that happened to run first in an xdist
    worker fixed its width for every later test of the worker: the tables of the ones
    asking for 100 or 160 came out at 80 (``test_groupings_table.py`` failed under
    ``-n 2``, depending on the order)."""
    from minilat.cli import kit

    saved = {k: os.environ.pop(k) for k in ("COLUMNS", "LINES") if k in os.environ}
    try:
        for console in (kit.out_console, kit.err_console):
            console._console = None
            assert console.size is not None  # made now (a _LazyConsole makes it on first use)
            assert console._console._width is None  # its width follows COLUMNS
    finally:
        os.environ.update(saved)


_consoles_follow_columns()


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
