"""What every view shares: the store, the dataset, the fingerprint and the settings."""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Hashable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from minilat import settings
from minilat.dataset import SUBDIRS, YAML_SUFFIXES, Dataset, bundled_data_dir, parse_as_of
from minilat.editorial.backend import is_url
from minilat.editorial.database import EditorialDB, SuggestionStore
from minilat.editorial.editors import editorial_location
from minilat.editorial.edits import Base, overlay, read_base
from minilat.errors import MinilatError, StoreError
from minilat.memo import Memo
from minilat.store import Store, open_store
from minilat.web import tuning

__all__ = ["SECRET_ENV", "Site", "get_site"]

#: The environment variable holding the secret that signs the anti-forgery tokens.
SECRET_ENV = "MINILAT_SECRET"
#: How often (seconds) a Site looks for edits made through another process.
REFRESH_SECONDS = 1.0
#: What the listings' own memo may hold (bytes, estimated; see :meth:`Site.cached_view`).
VIEWS_MAX_BYTES = 16 * 1024 * 1024
T = TypeVar("T")
log = logging.getLogger("minilat.web")


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """The name, modification time and size of every data file: cheap to take, and it
    changes when the YAML does. (``os.scandir`` and names sorted as strings: sorting
    ``Path`` objects was two thirds of the 4.5 ms a check took, once a second.)"""
    out = []
    for sub in SUBDIRS:
        folder = root / sub
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:  # no such folder
            continue
        for e in entries:
            if os.path.splitext(e.name)[1] in YAML_SUFFIXES:
                with contextlib.suppress(OSError):
                    st = e.stat()
                    out.append((f"{sub}/{e.name}", st.st_mtime_ns, st.st_size))
    return tuple(out)


class Site:
    """The opened store and dataset, with editors' edits laid over the YAML.

    The YAML's dataset is read once. The edits live in the editorial database; the
    dataset served (:attr:`ds`, :attr:`store`) is rebuilt when they change: at once
    after an edit made through this process (:meth:`changed`), and within
    :data:`REFRESH_SECONDS` after one made through another process.
    """

    def __init__(
        self,
        store_path: Path,
        data_dir: Path | None = None,
        editorial: Path | str | None = None,
    ) -> None:
        self.store_path = Path(store_path)
        self.data_dir = data_dir or bundled_data_dir()
        self._yaml_signature = _signature(self.data_dir)
        self._yaml_store: Store = open_store(store_path, data_dir)
        self._yaml_ds: Dataset = self._yaml_store.dataset()
        self._ds = self._yaml_ds
        self._store: Store | None = self._yaml_store
        meta = self._yaml_store.meta()
        self.yaml_fingerprint = meta.get("fingerprint", "")
        self.built_at = meta.get("built_at", "")
        self._refresh_lock = threading.Lock()
        self._views_lock = threading.Lock()
        self._views: tuple[Dataset, Memo] | None = None
        self._base: Base | None = None
        #: Edited documents already checked, so a refresh re-checks only what changed.
        self._checked_models: dict[tuple[str, str], Any] = {}
        #: Increases with every change to the edits (0: the YAML as it is).
        self.generation = 0
        #: Increases whenever the dataset served changes (edits, or the YAML re-read).
        self.serial = 0
        self._checked = float("-inf")
        #: Stored edits that could not be laid over the YAML (see edits.overlay).
        self.edit_problems: list[str] = []
        #: Why the YAML on disk, changed since, is not served (empty when it is).
        self.yaml_problems: list[str] = []
        # editors, suggestions and edits live in the editorial database
        #: The editorial database: a SQLite file, or a PostgreSQL address.
        self.suggestions_path: Path | str = editorial or editorial_location(
            store_path, settings.resolve("editorial"), settings.resolve("editorial_url")
        )
        env_secret = os.environ.get(SECRET_ENV, "")
        self.secret: bytes = env_secret.encode() if env_secret else self._stored_secret()
        self.refresh()

    def _stored_secret(self) -> bytes:
        """The site's signing secret, kept in the editorial database so that forms and
        anti-forgery tokens survive a restart (one random secret per database)."""
        try:
            return self.editorial.site_secret()
        except StoreError:  # a read-only deployment: one secret per process
            return secrets.token_bytes(32)

    # ---------------------------------------------------------- the dataset served

    @property
    def ds(self) -> Dataset:
        """The dataset served: the YAML with editors' edits laid over it."""
        self.refresh()
        return self._ds

    @property
    def store(self) -> Store:
        """The compiled store of :attr:`ds` (in memory when edits are laid over)."""
        self.refresh()
        store = self._store
        if store is None:
            with self._refresh_lock:
                if self._store is None:
                    self._store = Store.in_memory(self._ds, self.fingerprint)
                store = self._store
        return store

    @property
    def fingerprint(self) -> str:
        """The YAML's fingerprint, with the edits' generation when some are laid over."""
        self.refresh()
        if self._ds is self._yaml_ds:
            return self.yaml_fingerprint
        return f"{self.yaml_fingerprint}+edits.{self.generation}"

    @property
    def base(self) -> Base:
        """The YAML documents the served dataset was compiled from (read when needed)."""
        if self._base is None:
            self._base = read_base(self.data_dir)
        return self._base

    def changed(self) -> None:
        """Say the edits changed: the next question rebuilds the dataset served."""
        self._checked = float("-inf")

    def refresh_due(self) -> bool:
        """Whether :meth:`refresh` would look at the disk and the database now (cheap: a
        clock read), so that callers on the event loop can run it in a thread."""
        return time.monotonic() - self._checked >= REFRESH_SECONDS

    def refresh(self) -> int:
        """Re-read the YAML if it changed on disk, and lay the current edits over it if
        they changed; the :attr:`serial` of the dataset served."""
        now = time.monotonic()
        if now - self._checked < REFRESH_SECONDS:
            return self.serial
        with self._refresh_lock:
            if now - self._checked < REFRESH_SECONDS:
                return self.serial
            reread = self._reread_yaml()
            generation = 0
            if is_url(self.suggestions_path) or Path(self.suggestions_path).exists():
                generation = self.editorial.edits_generation()
            replaced = reread or generation != self.generation
            if replaced:
                rows = self.editorial.records() if generation else []
                ds, problems = overlay(self._yaml_ds, self.base, rows, self._checked_models)
                self._ds, self.edit_problems = ds, problems
                self._store = self._yaml_store if ds is self._yaml_ds else None
                self.generation = generation
                self.serial += 1
            self._checked = time.monotonic()
        if replaced and gc.get_freeze_count():
            # a served process keeps its long-lived objects out of the collector's walks
            # (minilat.web.tuning): the new dataset joins them, the old one is freed (once
            # for a burst of edits)
            tuning.settle_heap_soon()
        return self.serial

    def _reread_yaml(self) -> bool:
        """Compile and read the YAML again if a file changed (``minilat dataset sync``, a
        reviewed commit); True if it did. A folder that does not validate is not served:
        the last good one stays, and :attr:`yaml_problems` says why."""
        signature = _signature(self.data_dir)
        if signature == self._yaml_signature:
            return False
        self._yaml_signature = signature
        try:
            store = open_store(self.store_path, self.data_dir)
            ds = store.dataset()
        except MinilatError as e:
            self.yaml_problems = [e.message, *(str(p) for p in getattr(e, "problems", [])[:20])]
            log.warning("the data folder changed but is not served: %s", e.message)
            return False
        meta = store.meta()
        self._yaml_store, self._yaml_ds, self._base = store, ds, None
        self._checked_models.clear()  # checked against the old YAML's sources
        self.yaml_fingerprint = meta.get("fingerprint", "")
        self.built_at = meta.get("built_at", "")
        self.yaml_problems = []
        return True

    @property
    def version(self) -> str:
        """A short name of the dataset served: the YAML's fingerprint, and the edits'
        generation while edits are laid over (``3f9c…+edits.12``)."""
        self.refresh()
        short = self.yaml_fingerprint[:12] or "unversioned"
        return short if self._ds is self._yaml_ds else f"{short}+edits.{self.generation}"

    def cached(self, key: Hashable, compute: Callable[[Dataset], T]) -> T:
        """``compute(ds)`` on the dataset served, remembered under ``key`` in that
        dataset's memo (:mod:`minilat.memo`): computed once per version of the data
        however many requests ask at once, bounded in bytes, and gone with the version.
        ``compute`` gets the dataset so that every part of one answer reads one version,
        even if an edit lands meanwhile."""
        ds = self.ds
        return ds.memo.get(("site", key), lambda: compute(ds))

    @property
    def view_memo(self) -> Memo:
        """The memo of :meth:`cached_view` for the dataset served (a new one with each
        version of the data)."""
        ds = self.ds
        with self._views_lock:
            if self._views is None or self._views[0] is not ds:
                self._views = (ds, Memo(VIEWS_MAX_BYTES))
            return self._views[1]

    def cached_view(self, key: Hashable, compute: Callable[[Dataset], T]) -> T:
        """Like :meth:`cached`, for a view's answer to options a visitor chooses freely
        (a listing's filters, text and date): kept in a memo of its own, bounded by
        :data:`VIEWS_MAX_BYTES` and renewed with each version of the data, so that a flood
        of distinct options can only push out other such answers, never an analysis."""
        with self._views_lock:
            views = self._views
        ds = self.ds
        memo = views[1] if views is not None and views[0] is ds else self.view_memo
        return memo.get(key, lambda: compute(ds))

    @cached_property
    def suggestions(self) -> SuggestionStore:
        return SuggestionStore(self.suggestions_path)

    @cached_property
    def editorial(self) -> EditorialDB:
        """The editorial database (editors, suggestions, edits, the audit trail)."""
        return EditorialDB(self.suggestions_path)

    @staticmethod
    def day(value: str | None, what: str = "as_of") -> _dt.date:
        """An "as of" date from a query parameter (today if absent); BadInput if malformed
        or outside :func:`minilat.dataset.as_of_range`."""
        return parse_as_of(value, what) if value else _dt.date.today()


async def get_site(request: Request) -> Site:
    """The app's :class:`Site` (a FastAPI dependency; async, so it needs no thread)."""
    site: Site = request.app.state.site
    return site
