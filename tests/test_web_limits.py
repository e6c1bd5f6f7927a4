"""The designer's limits: a budget per request, a bound on solves at once, a rate per
client; each over-limit answer says when to come back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from minilat.web import create_app, designer

QUESTION = {"tables": ["wafer_capacity"], "targets": [0.5]}


@pytest.fixture()
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from minilat.store import open_store

    path = tmp_path_factory.mktemp("limits") / "store.db"
    open_store(path)
    with TestClient(create_app(path)) as c:
        yield c


def test_past_the_solves_at_once_the_answer_is_503_with_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(designer, "QUEUE_WAIT", 0.05)
    taken = [designer._SLOTS.acquire(timeout=1) for _ in range(designer.MAX_SOLVING)]
    assert all(taken)
    try:
        r = client.post("/api/v1/design", json=QUESTION)
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "5"
        assert r.json()["error"]["code"] == "unavailable"
    finally:
        for _ in taken:
            designer._SLOTS.release()
    assert client.post("/api/v1/design", json=QUESTION).status_code == 200


def test_each_client_has_a_rate(client: TestClient) -> None:
    codes = [client.post("/api/v1/design", json=QUESTION).status_code for _ in range(25)]
    assert codes[: designer.RATE[0]] == [200] * designer.RATE[0]
    assert set(codes[designer.RATE[0] :]) == {429}
    r = client.post("/api/v1/design", json=QUESTION)
    assert int(r.headers["retry-after"]) >= 1
    # the form page counts only when it solves
    assert client.get("/design").status_code == 200


def test_the_frontier_gets_what_is_left_of_the_request_budget(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.analysis import coalition

    limits: list[float] = []
    real = coalition.design

    def spy(ds: Any, q: Any, **kw: Any) -> Any:
        limits.append(q.time_limit)
        return real(ds, q, **kw)

    monkeypatch.setattr(coalition, "design", spy)
    r = client.post("/api/v1/design", json={**QUESTION, "frontier": 5})
    assert r.status_code == 200, r.text
    assert limits[0] == designer.BUDGET
    assert 0 < limits[1] < designer.BUDGET  # what the first solve left


def test_the_frontier_budget_is_for_the_whole_curve() -> None:

    import numpy as np

    from minilat.analysis import coalition

    rng = np.random.default_rng(1)
    shares = rng.dirichlet(np.ones(60), size=3)
    inst = coalition.Instance(
        tuple(f"C{i:02d}" for i in range(60)), shares, objective="coverage", max_size=10
    )
    steps = coalition.frontier(inst, 10, time_limit=0.0)
    assert len(steps) == 10  # every step answers, the late ones with what they found
