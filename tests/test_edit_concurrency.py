"""Optimistic concurrency of editors' edits, through a real server on loopback.

A real ``uvicorn`` server runs in its own process over a fresh editorial database (and a
fresh store), listening on a socket the test bound to a free loopback port. Several
editors, each in a thread with their own API token, add events to the SAME grouping at
once: each reads the grouping (its version), adds one event made against that version,
and on 409 reads again and retries. Every acknowledged event (201) must be in the
grouping exactly once at the end, the record's edit count and the audit trail must
count exactly the acknowledged edits, and the public API must show them: no lost
update, no duplicate. A second race sends whole-document PUTs against one version at
once: exactly one wins. Figures: docs/reliability.md
(``python tests/test_edit_concurrency.py 16 25`` reruns them: 16 writers, 25 edits each;
then a number of workers and a PostgreSQL address for the same on PostgreSQL). The same
races run on PostgreSQL (marker ``postgres``) with several workers sharing one database.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from postgres_server import fresh_database

#: The worker processes sharing the PostgreSQL database in its run.
PG_WORKERS = 3
GID = "quad"
TARGET = f"grouping:{GID}"
WRITERS = 8
EDITS = 6
MAX_TRIES = 200
#: A writer refused with 409 waits a random time up to BACKOFF * 2**tries (at most BACKOFF_CAP).
BACKOFF, BACKOFF_CAP = 0.005, 0.5
#: Seconds any one request may take.
TIMEOUT = 20.0
PASSWORD = "a long enough test password"

_SERVER = """
import socket, sys
from pathlib import Path
import uvicorn
from minilat.web import create_app
sock = socket.socket(fileno=int(sys.argv[2]))
app = create_app(Path(sys.argv[1]))
server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
server.run(sockets=[sock])
"""


@dataclass
class Server:
    """A running server: its address and its editorial database."""

    url: str
    db: EditorialDB
    tokens: list[str]


@contextlib.contextmanager
def serve(
    root: Path, writers: int, workers: int = 1, editorial: Path | str | None = None
) -> Iterator[Server]:
    """A uvicorn process serving the bundled dataset, with fresh databases under ``root``
    (or the empty PostgreSQL database ``editorial``) and ``writers`` editors (one API
    token each); stopped (SIGINT, then SIGKILL) on exit. With ``workers`` > 1, ``minilat
    serve --workers N`` itself: N processes (each on a socket of its own), sharing the editorial
    database."""
    editorial = editorial or root / "editorial.db"
    db = EditorialDB(editorial)
    tokens = []
    for i in range(writers):
        editors.add_editor(db, f"writer{i}", PASSWORD)
        tokens.append(editors.new_token(db, f"writer{i}")[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    env = {**os.environ, "MINILAT_SECRET": "concurrency-test-secret"}
    env.pop("MINILAT_DB", None)
    if isinstance(editorial, str):
        env["MINILAT_EDITORIAL_URL"] = editorial
        env.pop("MINILAT_EDITORIAL", None)
    else:
        env["MINILAT_EDITORIAL"] = str(editorial)
        env.pop("MINILAT_EDITORIAL_URL", None)
    if workers > 1:  # the CLI binds its own socket: hand it the port just found free
        sock.close()
        cmd = [sys.executable, "-m", "minilat", "--db", str(root / "store.db"), "serve"]
        cmd += ["--port", str(port), "--workers", str(workers)]
    else:
        cmd = [sys.executable, "-c", _SERVER, str(root / "store.db"), str(sock.fileno())]
    proc = subprocess.Popen(
        cmd,
        env=env,
        pass_fds=(sock.fileno(),) if workers == 1 else (),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sock.close()  # the server holds its own copy
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60 * workers
        while True:
            assert proc.poll() is None, f"the server stopped: {proc.communicate()[1]}"
            try:
                if httpx.get(f"{url}/api/v1/groupings/{GID}", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(0.1)
        yield Server(url, db, tokens)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


# ------------------------------------------------------------------ the event race


@dataclass
class Writer:
    """What one writer saw."""

    index: int
    acknowledged: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def _is_error_shape(body: Any, status: int) -> bool:
    err = body.get("error") if isinstance(body, dict) else None
    return (
        isinstance(err, dict)
        and set(err) == {"status", "code", "message", "hint"}
        and err["status"] == status
    )


def _write_events(
    url: str, token: str, w: Writer, edits: int, sources: list[str], start: threading.Barrier
) -> None:
    headers = {"authorization": f"Bearer {token}"}
    rng = random.Random(w.index)
    with httpx.Client(base_url=url, headers=headers, timeout=TIMEOUT) as client:
        start.wait(TIMEOUT)
        for k in range(edits):
            title = f"Concurrency test: writer {w.index}, edit {k}"
            event = {"date": "2024-01-15", "kind": "meeting", "title": title, "sources": sources}
            for tries in range(MAX_TRIES):
                got = client.get(f"/api/v1/editor/groupings/{GID}")
                if got.status_code != 200:
                    w.problems.append(f"GET answered {got.status_code}: {got.text[:200]}")
                    return
                version = got.json()["version"]
                r = client.post(
                    f"/api/v1/editor/groupings/{GID}/events",
                    json={"event": event, "why": f"test edit {w.index}.{k}", "version": version},
                )
                w.statuses[r.status_code] += 1
                if r.status_code == 201:
                    w.acknowledged.append(title)
                    break
                body = r.json()
                if r.status_code != 409:
                    w.problems.append(f"POST answered {r.status_code}: {r.text[:200]}")
                    return
                if not _is_error_shape(body, 409):
                    w.problems.append(f"a 409 without the error shape: {r.text[:200]}")
                current = body.get("current") or {}
                if current.get("id") != GID or current.get("version") in (None, version):
                    w.problems.append(f"a 409 whose current record is not newer: {r.text[:200]}")
                # back off (jittered, growing): without it, some writers starve under load
                time.sleep(rng.uniform(0, min(BACKOFF_CAP, BACKOFF * 2 ** min(tries, 10))))
            else:
                w.problems.append(f"edit {k} still refused after {MAX_TRIES} tries")
                return


@dataclass
class Race:
    """The outcome of one event race."""

    writers: int
    acknowledged: int
    conflicts: int
    lost: int
    duplicated: int
    seconds: float
    statuses: Counter[int]
    problems: list[str]


def event_race(server: Server, edits: int) -> Race:
    """Every writer adds ``edits`` events to the grouping at once; what happened."""
    auth = {"authorization": f"Bearer {server.tokens[0]}"}
    before = httpx.get(f"{server.url}/api/v1/editor/groupings/{GID}", headers=auth, timeout=TIMEOUT)
    assert before.status_code == 200, before.text
    doc = before.json()["document"]
    sources = list(doc["events"][0]["sources"][:1])
    n_before = len(doc.get("events") or [])
    writers = [Writer(i) for i in range(len(server.tokens))]
    start = threading.Barrier(len(writers))
    threads = [
        threading.Thread(
            target=_write_events, args=(server.url, tok, w, edits, sources, start), daemon=True
        )
        for tok, w in zip(server.tokens, writers, strict=True)
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    took = time.perf_counter() - began
    problems = [p for w in writers for p in w.problems]
    problems += ["a writer did not finish"] * sum(t.is_alive() for t in threads)
    after = httpx.get(f"{server.url}/api/v1/editor/groupings/{GID}", headers=auth, timeout=TIMEOUT)
    # new events are kept in date order among the old ones: count them all by title
    titles = Counter(e["title"] for e in after.json()["document"]["events"])
    acked = [t for w in writers for t in w.acknowledged]
    statuses: Counter[int] = sum((w.statuses for w in writers), Counter())
    extra = len(after.json()["document"]["events"]) - n_before - len(set(acked))
    if extra:
        problems.append(f"{extra} events beyond those acknowledged")
    return Race(
        writers=len(writers),
        acknowledged=len(acked),
        conflicts=statuses[409],
        lost=sum(1 for t in set(acked) if titles[t] == 0),
        duplicated=sum(titles[t] - 1 for t in set(acked) if titles[t] > 1)
        + (len(acked) - len(set(acked))),
        seconds=took,
        statuses=statuses,
        problems=problems,
    )


def put_race(server: Server) -> Counter[int]:
    """Every writer PUTs the whole grouping with another name, all against one version,
    released at once; the statuses answered."""
    auth = {"authorization": f"Bearer {server.tokens[0]}"}
    got = httpx.get(f"{server.url}/api/v1/editor/groupings/{GID}", headers=auth, timeout=TIMEOUT)
    base, version = got.json()["document"], got.json()["version"]
    start = threading.Barrier(len(server.tokens))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    errors: list[str] = []

    def put(i: int, token: str) -> None:
        doc = {**base, "name": f"Quad renamed by writer {i}"}
        with httpx.Client(
            base_url=server.url, headers={"authorization": f"Bearer {token}"}, timeout=TIMEOUT
        ) as client:
            start.wait(TIMEOUT)
            r = client.put(
                f"/api/v1/editor/groupings/{GID}",
                json={"document": doc, "why": f"rename race {i}"},
                headers={"if-match": f'"{version}"'},
            )
        with lock:
            statuses[r.status_code] += 1
            if r.status_code == 409 and (
                not _is_error_shape(r.json(), 409) or r.json()["current"]["version"] == version
            ):
                errors.append(r.text[:200])

    threads = [
        threading.Thread(target=put, args=(i, tok), daemon=True)
        for i, tok in enumerate(server.tokens)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    return statuses


# ---------------------------------------------------------------------------- tests


@pytest.fixture(
    scope="module",
    params=[
        (1, "sqlite"),
        pytest.param((4, "sqlite"), marks=pytest.mark.heavy),
        pytest.param((PG_WORKERS, "postgres"), marks=pytest.mark.postgres),
    ],
    ids=["1-worker", "4-workers", f"postgres-{PG_WORKERS}-workers"],
)
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    """The server: one process, ``minilat serve --workers 4`` (4 processes sharing the
    editorial SQLite file), and several workers sharing a PostgreSQL database: still 0
    lost, 0 duplicated."""
    workers, backend = request.param
    root = tmp_path_factory.mktemp("concurrency")
    with contextlib.ExitStack() as stack:
        editorial = None
        if backend == "postgres":
            server = request.getfixturevalue("postgres_server")
            editorial = stack.enter_context(fresh_database(server))
        with serve(root, WRITERS, workers, editorial) as s:
            yield s


def test_concurrent_event_edits_lose_nothing(server: Server) -> None:
    race = event_race(server, EDITS)
    assert race.problems == []
    assert set(race.statuses) <= {201, 409}, race.statuses
    assert race.statuses[201] == race.acknowledged == WRITERS * EDITS
    assert race.lost == 0 and race.duplicated == 0
    rec = server.db.record(TARGET)
    assert rec is not None and rec["version"] == WRITERS * EDITS
    audit = server.db.audit_records(10_000, target=TARGET)
    assert len(audit) == WRITERS * EDITS
    assert Counter(a["action"] for a in audit) == {"event.add": WRITERS * EDITS}
    assert {a["editor"] for a in audit} == {f"writer{i}" for i in range(WRITERS)}
    # each audit record's "before" is the previous one's "after": a chain, no gap
    chain = sorted(audit, key=lambda a: a["id"])
    for a, b in itertools.pairwise(chain):
        assert b["before"] == a["after"]
    # the public API shows every acknowledged event within a few seconds
    wanted = {t for t in (e["title"] for e in rec["doc"]["events"]) if "Concurrency test" in t}
    assert len(wanted) == WRITERS * EDITS
    deadline = time.monotonic() + 5
    while True:
        r = httpx.get(f"{server.url}/api/v1/groupings/{GID}", timeout=TIMEOUT)
        assert r.status_code == 200
        shown = {e["title"] for e in r.json()["events"]}
        if wanted <= shown or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert wanted <= shown
    page = httpx.get(f"{server.url}/groupings/{GID}", timeout=TIMEOUT)
    assert page.status_code == 200 and "Concurrency test: writer 0, edit 0" in page.text


def test_concurrent_whole_document_puts_one_wins(server: Server) -> None:
    before = len(server.db.audit_records(10_000, target=TARGET))
    statuses = put_race(server)
    assert statuses == {200: 1, 409: WRITERS - 1}, statuses
    assert len(server.db.audit_records(10_000, target=TARGET)) == before + 1
    rec = server.db.record(TARGET)
    assert rec is not None and rec["doc"]["name"].startswith("Quad renamed by writer ")
    r = httpx.get(f"{server.url}/api/v1/groupings/{GID}", timeout=TIMEOUT)
    deadline = time.monotonic() + 5
    while r.json()["name"] != rec["doc"]["name"] and time.monotonic() < deadline:
        time.sleep(0.2)
        r = httpx.get(f"{server.url}/api/v1/groupings/{GID}", timeout=TIMEOUT)
    assert r.json()["name"] == rec["doc"]["name"]


if __name__ == "__main__":  # the figures for docs/reliability.md
    import tempfile

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    w = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    url = sys.argv[4] if len(sys.argv) > 4 else None  # an empty PostgreSQL database
    with tempfile.TemporaryDirectory() as d, serve(Path(d), n, w, url) as s:
        race = event_race(s, k)
        stored = s.db.record(TARGET)
        audited = len(s.db.audit_records(1_000_000, target=TARGET))
    print(
        f"{race.writers} writers x {k} edits of one grouping, {w} worker(s),"
        f" in {race.seconds:.1f} s:"
        f" {race.acknowledged} writes acknowledged, {race.conflicts} conflicts (409),"
        f" {race.lost} lost, {race.duplicated} duplicated;"
        f" record version {stored['version'] if stored else 0}, {audited} audit records,"
        f" other statuses {dict((s, c) for s, c in race.statuses.items() if s not in (201, 409))},"
        f" problems {race.problems[:3]}"
    )
