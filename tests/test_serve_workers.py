"""``minilat serve --workers N`` on Linux: each worker accepts on a socket of its own, the
kernel spreads connections between them, and a worker that dies takes its socket with it
(minilat.web.workers).

A real server (two worker processes, each loading the dataset and warming its pages, some
10 s), so the group is heavy. The sockets are read from /proc: which process holds each
listening and each connected socket of the server's port.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from minilat.web import workers

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.skipif(not workers.available(), reason="SO_REUSEPORT balancing is Linux's"),
]

LISTEN, ESTABLISHED = "0A", "01"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _sockets(port: int, state: str) -> set[str]:
    """The inodes of the IPv4 TCP sockets on local ``port`` in ``state``."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[1].split(":")[1], 16) == port and f[3] == state:
            found.add(f[9])
    return found


def _holders(inodes: set[str], pids: list[int]) -> Counter[int]:
    """How many of ``inodes`` each of ``pids`` holds open."""
    held: Counter[int] = Counter()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        held[pid] += 1
    return held


def _family(root: int) -> list[int]:
    """``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _wait(what: str, check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[str], int]]:
    root = tmp_path_factory.mktemp("serve-workers")
    port = _free_port()
    env = {**os.environ, "MINILAT_SUGGESTIONS": str(root / "suggestions.db")}
    env.pop("MINILAT_DB", None)
    cmd = [sys.executable, "-m", "minilat", "--db", str(root / "store.db")]
    cmd += ["--editorial", str(root / "editorial.db"), "--releases", str(root / "releases")]
    cmd += ["serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip

    def up() -> bool:
        assert proc.poll() is None, f"the server stopped: {proc.communicate()[1]}"
        return len(_sockets(port, LISTEN)) == 2

    try:
        _wait("two listening workers", up)
        yield proc, port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _listeners(proc: subprocess.Popen[str], port: int) -> Counter[int]:
    return _holders(_sockets(port, LISTEN), _family(proc.pid))


def test_each_worker_listens_on_a_socket_of_its_own(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    proc, port = server
    held = _listeners(proc, port)
    # two sockets, each held by one process only, and neither by the supervisor
    assert sorted(held.values()) == [1, 1], held
    assert proc.pid not in held


def test_the_kernel_spreads_the_connections_between_the_workers(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    """40 clients connecting at once: with one shared socket, one worker of two often took
    nearly all of them (44 of 50); with a socket each, the kernel's hash spreads them
    (fewer than 8 on one side has a probability of about 1e-5)."""
    proc, port = server
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    try:
        held: Counter[int] = Counter()

        def accepted() -> bool:
            nonlocal held
            held = _holders(_sockets(port, ESTABLISHED), _family(proc.pid))
            return sum(held.values()) == 40

        _wait("the 40 connections accepted", accepted, timeout=30)
        assert len(held) == 2 and min(held.values()) >= 8, held
    finally:
        for c in conns:
            c.close()


def test_a_worker_that_dies_is_replaced_and_its_socket_goes_with_it(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    """A socket left listening without its worker would take a share of the new
    connections and never answer them: every request after the restart is answered."""
    proc, port = server
    victim = next(iter(_listeners(proc, port)))
    os.kill(victim, signal.SIGKILL)

    def replaced() -> bool:
        held = _listeners(proc, port)
        return victim not in held and sorted(held.values()) == [1, 1]

    _wait("a new worker listening", replaced)
    assert len(_sockets(port, LISTEN)) == 2
    for _ in range(30):  # new connections each time, hashed over both sockets
        with httpx.Client(timeout=10) as client:
            assert client.get(f"http://127.0.0.1:{port}/api/v1/groupings/quad").status_code == 200


def test_a_second_server_on_the_same_port_is_refused(
    server: tuple[subprocess.Popen[str], int], tmp_path: Path
) -> None:
    """The workers' sockets may share the port with each other only: another ``minilat
    serve`` on it is told the port is taken, rather than silently taking a share of the
    connections."""
    _, port = server
    env = {**os.environ, "MINILAT_SUGGESTIONS": str(tmp_path / "s.db")}
    cmd = [sys.executable, "-m", "minilat", "--db", str(tmp_path / "store.db")]
    cmd += ["--editorial", str(tmp_path / "editorial.db"), "serve", "--port", str(port)]
    for n in ("1", "2"):
        done = subprocess.run(
            [*cmd, "--workers", n], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode != 0
        assert f"port {port} on 127.0.0.1 is already in use" in done.stderr + done.stdout
