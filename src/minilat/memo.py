"""Answers computed once and shared: a bounded, single-flight memo.

Every :class:`~minilat.dataset.Dataset` carries a :class:`Memo`. An analysis of a date
(the network, a typology, a country's partners) is a pure function of the dataset and its
arguments, so the memo keys it on the function and the arguments alone: the dataset is
the memo's owner. A new dataset (an edit, a re-read YAML, a what-if copy) comes with an
empty memo, so an answer can never outlive the data it was computed from.

* **Once.** Concurrent callers asking for the same key wait for the one computation
  under way instead of starting their own (single flight); a failure is not remembered.
* **Bounded in bytes.** Each answer's size is estimated when it is stored; the least
  recently used answers are dropped to stay under :attr:`Memo.max_bytes`. An answer
  larger than that alone is returned but not kept.
* **Shared, so read-only.** Callers must not change an answer they are given (copy the
  top level before adding a key: ``{**d, "type": t}``).

>>> m = Memo(max_bytes=10_000)
>>> calls = []
>>> def slow() -> list[int]:
...     calls.append(1)
...     return [1, 2, 3]
>>> m.get(("f", 1), slow), m.get(("f", 1), slow), len(calls)
([1, 2, 3], [1, 2, 3], 1)
>>> m.stats()["entries"]
1
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["DEFAULT_MAX_BYTES", "Memo", "approx_size", "freeze", "shared"]

T = TypeVar("T")

#: What one dataset's memo may hold (bytes, estimated): 64 MiB.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


#: Containers longer than this are measured on an even sample of :data:`_SAMPLE` items,
#: scaled up: an estimate in a millisecond, not an exact count in a second.
_LONG = 128
_SAMPLE = 32


def approx_size(obj: Any) -> int:
    """An estimate of the memory an answer holds, in bytes: containers, strings, numbers
    and numpy arrays are followed; long containers are sampled; anything else counts its
    shallow size.

    >>> approx_size("abc") < approx_size("abc" * 100)
    True
    >>> small, large = approx_size(list(range(100))), approx_size(list(range(10_000)))
    >>> 50 < large / small < 200
    True
    """
    seen: set[int] = set()
    total = 0.0
    stack: list[tuple[Any, float]] = [(obj, 1.0)]
    while stack:
        o, weight = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        nbytes = getattr(o, "nbytes", None)
        if isinstance(nbytes, int):  # numpy arrays (and their views)
            total += weight * (nbytes + 112)
            continue
        total += weight * sys.getsizeof(o)
        if isinstance(o, Mapping):
            items: list[Any] = [x for kv in o.items() for x in kv]
        elif isinstance(o, (list, tuple, set, frozenset)):
            items = list(o)
        elif hasattr(o, "__dataclass_fields__"):
            items = [getattr(o, f) for f in o.__dataclass_fields__]
        else:
            continue
        if len(items) > _LONG:
            step = len(items) / _SAMPLE
            sample = [items[int(i * step)] for i in range(_SAMPLE)]
            stack.extend((x, weight * len(items) / _SAMPLE) for x in sample)
        else:
            stack.extend((x, weight) for x in items)
    return int(total)


def freeze(value: Any) -> Hashable:
    """A hashable stand-in for an argument: mappings become sorted item tuples, other
    collections sorted tuples (order does not matter for a set of ids).

    >>> freeze({"b": 2, "a": 1}), freeze({"x", "y"}), freeze(None)
    ((('a', 1), ('b', 2)), ('x', 'y'), None)
    """
    if isinstance(value, Mapping):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value))
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


class _Flight:
    """One computation under way, which later callers of the same key wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Memo:
    """A thread-safe memo of answers by key, bounded in (estimated) bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._bytes = 0
        self.hits = self.misses = self.waits = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per key: remembered, or awaited if another thread is
        computing it now."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                hit: T = entry[0]
                return hit
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
                self.misses += 1
            else:
                self.waits += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            waited: T = flight.value
            return waited
        try:
            value = compute()
        except BaseException as e:
            flight.error = e
            with self._lock:
                del self._flights[key]
            flight.done.set()
            raise
        flight.value = value
        size = approx_size(value)
        with self._lock:
            del self._flights[key]
            if size <= self.max_bytes:
                self._entries[key] = (value, size)
                self._bytes += size
                while self._bytes > self.max_bytes:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._bytes -= dropped
        flight.done.set()
        return value

    def peek(self, key: Hashable) -> Any:
        """The answer kept under ``key`` (counted as a hit), or None: never computes, never
        waits, so a coroutine may ask on the event loop."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def stats(self) -> dict[str, int]:
        """Entries, bytes held (estimated), the limit, hits, misses and waits."""
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "waits": self.waits,
            }


def shared(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate an analysis ``f(ds, *args, **kwargs)`` so that its answers are kept in
    ``ds.memo`` under ``(name, args, kwargs)``: computed once per dataset and arguments,
    and shared by every caller (who must not change them)."""
    import functools

    def wrap(f: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(f)
        def run(ds: Any, *args: Any, **kwargs: Any) -> T:
            memo: Memo | None = getattr(ds, "memo", None)
            if memo is None:
                return f(ds, *args, **kwargs)
            key = (name, freeze(list(args)), freeze(kwargs))
            return memo.get(key, lambda: f(ds, *args, **kwargs))

        return run

    return wrap
