"""The server process's tuning (minilat.web.tuning) is applied where it matters: the
thread cap inside requests, the frozen heap after start-up and after each reload."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio.from_thread
import anyio.to_thread
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from minilat.errors import BadInput
from minilat.web import create_app, designer, tuning


@pytest.fixture(autouse=True, scope="module")
def _real_settle_heap() -> Iterator[None]:
    """The product's settle_heap: the rest of the suite skips it (tests/conftest.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tuning, "settle_heap", getattr(tuning.settle_heap, "__wrapped__", None))
        assert callable(tuning.settle_heap) and not hasattr(tuning.settle_heap, "__wrapped__")
        yield
    gc.unfreeze()  # the rest of the suite's process collects as usual


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from minilat.store import open_store

    path = tmp_path_factory.mktemp("tuning") / "store.db"
    open_store(path).close()
    return path


def _with_probe(app: FastAPI) -> FastAPI:
    @app.get("/_probe/threads")
    async def _threads() -> dict[str, float]:  # on the loop the sync handlers' threads serve
        return {"tokens": anyio.to_thread.current_default_thread_limiter().total_tokens}

    return app


def _tokens(app: FastAPI) -> float:
    with TestClient(_with_probe(app)) as c:
        tokens: float = c.get("/_probe/threads").json()["tokens"]
        return tokens


def test_the_thread_cap_holds_inside_requests(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tuning.THREADS_ENV, raising=False)
    assert _tokens(create_app(store)) == tuning.DEFAULT_THREADS == 4
    assert _tokens(create_app(store, threads=3)) == 3
    monkeypatch.setenv(tuning.THREADS_ENV, "2")  # what `serve --threads 2` gives its workers
    assert _tokens(create_app(store)) == 2


@pytest.mark.parametrize("bad", ["0", "many", "1000"])
def test_a_bad_thread_count_is_refused_with_its_name(
    store: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv(tuning.THREADS_ENV, bad)
    with pytest.raises(BadInput, match="MINILAT_THREADS"):
        create_app(store)


def _warm_up_done() -> None:
    for t in threading.enumerate():
        if t.name == "minilat-warm-up":
            t.join(timeout=60)


def test_the_heap_is_frozen_once_the_app_has_started(store: Path) -> None:
    app = create_app(store)
    _warm_up_done()  # it may freeze the heap too, once the libraries are imported
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with TestClient(app) as c:
        assert gc.get_freeze_count() > 0
        assert c.get("/api/v1/groupings/quad").status_code == 200
    gc.unfreeze()  # leave the test process as it was


def _counting_settles(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any, list[int], Any]:
    """An app over ``store``, its site, a list that grows by one with each settling of
    the heap (the real one still runs) and a fresh settler (none settled lately)."""
    app = create_app(store)
    _warm_up_done()
    settled: list[int] = []
    real = tuning.settle_heap
    monkeypatch.setattr(tuning, "settle_heap", lambda: settled.append(1) or real())
    settler = tuning._Settler()
    monkeypatch.setattr(tuning, "_SETTLER", settler)
    return app, app.state.site, settled, settler


def test_each_new_dataset_settles_the_heap_again(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, site, settled, _ = _counting_settles(store, monkeypatch)
    with TestClient(app) as c:
        assert len(settled) == 1  # at start-up
        site.changed()
        c.get("/api/v1/groupings/quad")
        assert len(settled) == 1  # nothing changed: nothing to do
        changes = iter([True])  # the YAML changed, once
        monkeypatch.setattr(site, "_reread_yaml", lambda: next(changes, False))
        site.changed()
        serial = site.serial
        assert c.get("/api/v1/groupings/quad").status_code == 200
        assert site.serial == serial + 1
        assert len(settled) == 2
    gc.unfreeze()


def test_a_burst_of_new_datasets_settles_the_heap_once_more_not_once_each(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each settling is a full collection (0.2 s in a server taking 48 concurrent edits,
    where it ran once per edit): a burst settles now, then once when it is over."""
    app, site, settled, settler = _counting_settles(store, monkeypatch)
    monkeypatch.setattr(tuning, "SETTLE_EVERY", 600.0)  # the burst's end: run by hand below
    with TestClient(app) as c:
        assert len(settled) == 1  # at start-up
        monkeypatch.setattr(site, "_reread_yaml", lambda: True)  # every check: a new YAML
        serial = site.serial
        for _ in range(6):
            site.changed()
            assert c.get("/api/v1/groupings/quad").status_code == 200
        # six datasets served in turn (or more: on a slow machine the once-a-second check
        # may also fall between two requests, and this test's YAML is new at every check)
        assert site.serial >= serial + 6
        assert len(settled) == 2  # the first settled at once, the rest wait
        timer = settler._timer
        assert timer is not None  # one settling for all of them, when the burst is over
        timer.cancel()
        timer.function()  # what the timer runs then
        assert len(settled) == 3 and settler._timer is None and gc.get_freeze_count() > 0
    gc.unfreeze()


def test_a_solve_takes_none_of_the_pages_threads(store: Path) -> None:
    """The designer holds its thread for seconds: it must not hold one of the few the
    pages are computed in."""
    app = create_app(store, threads=1)

    def borrowed() -> float:
        limiter = anyio.to_thread.current_default_thread_limiter
        return float(anyio.from_thread.run_sync(lambda: limiter().borrowed_tokens))

    @app.get("/_probe/solve")
    async def _solve() -> dict[str, float]:
        return {
            "solving": await designer.solve_in_thread(borrowed),
            "page": await anyio.to_thread.run_sync(borrowed),
        }

    with TestClient(app) as c:
        assert c.get("/_probe/solve").json() == {"solving": 0, "page": 1}


@pytest.mark.own_memo  # looks into the memo of a cold and a warmed app
def test_a_warmed_worker_has_computed_its_first_pages_before_its_first_visitor(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``minilat serve`` warms each worker: the home page's view of the day (about 0.5 s
    of CPU) and the listing are computed in the lifespan, not on a visitor's time."""
    import datetime as _dt

    asked: list[str] = []
    real = tuning.warm_pages

    async def spy(app: FastAPI, pages: tuple[tuple[str, bool], ...] = tuning.WARM_PAGES) -> float:
        asked.extend(p for p, _ in pages)
        return await real(app, pages)

    monkeypatch.setattr(tuning, "warm_pages", spy)
    cold, warm = create_app(store), create_app(store, warm=True)
    _warm_up_done()
    home = ("site", ("home", _dt.date.today()))
    with TestClient(cold):
        assert asked == []
        assert home not in cold.state.site.ds.memo
    with TestClient(warm) as c:
        assert "/" in asked and "/groupings" in asked
        assert home in warm.state.site.ds.memo  # before any request of the test
        assert c.get("/").status_code == 200
    gc.unfreeze()


def test_a_page_that_fails_to_warm_is_logged_and_the_rest_still_warmed(
    store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(store)
    _warm_up_done()
    with TestClient(app) as c, caplog.at_level("WARNING", logger="minilat.web"):
        c.portal.call(tuning.warm_pages, app, (("/no/such/page", False), ("/groupings", False)))
        assert "warming /no/such/page answered 404" in caplog.text
        assert any(k[0] == "grouping-list" for k in app.state.site.view_memo)
    gc.unfreeze()
