"""What every view shares: the store, the dataset, the fingerprint and the settings."""

from __future__ import annotations

import datetime as _dt
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from minilat import settings
from minilat.dataset import Dataset, parse_day
from minilat.editors import editorial_path
from minilat.store import Store, SuggestionStore, open_store

__all__ = ["SECRET_ENV", "Site", "get_site"]

#: The environment variable holding the secret that signs the anti-forgery tokens.
SECRET_ENV = "MINILAT_SECRET"
#: The environment variable naming the SQLite file of suggested corrections.
#: How many computed answers a Site remembers.
MEMO_SIZE = 20_000
T = TypeVar("T")


class Site:
    """The opened store and dataset, read once when the app starts."""

    def __init__(self, store_path: Path, data_dir: Path | None = None) -> None:
        self.store: Store = open_store(store_path, data_dir)
        self.ds: Dataset = self.store.dataset()
        meta = self.store.meta()
        self.fingerprint = meta.get("fingerprint", "")
        self.built_at = meta.get("built_at", "")
        #: Answers that depend only on the (read-only) dataset, computed once.
        self.memo: dict[str, Any] = {}
        self._lru: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        env_secret = os.environ.get(SECRET_ENV, "")
        self.secret: bytes = env_secret.encode() if env_secret else secrets.token_bytes(32)
        # suggestions live in the editorial database (setting MINILAT_EDITORIAL)
        self.suggestions_path = editorial_path(store_path, settings.resolve("editorial"))

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` (answers derived from the read-only
        dataset never change while the app runs); at most :data:`MEMO_SIZE` are kept."""
        with self._lock:
            if key in self._lru:
                self._lru.move_to_end(key)
                hit: T = self._lru[key]
                return hit
        value = compute()
        with self._lock:
            self._lru[key] = value
            if len(self._lru) > MEMO_SIZE:
                self._lru.popitem(last=False)
        return value

    @cached_property
    def suggestions(self) -> SuggestionStore:
        return SuggestionStore(self.suggestions_path)

    @staticmethod
    def day(value: str | None, what: str = "as_of") -> _dt.date:
        """A date from a query parameter (today if absent); BadInput if malformed."""
        return parse_day(value, what) if value else _dt.date.today()


async def get_site(request: Request) -> Site:
    """The app's :class:`Site` (a FastAPI dependency; async, so it needs no thread)."""
    site: Site = request.app.state.site
    return site
