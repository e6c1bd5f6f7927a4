"""``minilat serve --workers N`` on Linux: N worker processes, each accepting connections on
a listening socket of its own.

uvicorn's supervisor hands its workers one shared socket, and whichever worker wakes first
accepts every connection waiting (asyncio accepts up to 100 at a time). With 50 keep-alive
clients connecting at once, one worker of two took 44 connections and the other 6 (three
tries: 18/32, 44/6, 22/28): the busy worker's clients waited up to 550 ms while the other
idled, and that is what the slowest answers measured. Sockets bound with ``SO_REUSEPORT``
to one port each get their own queue, and the kernel spreads new connections over them by a
hash of the two ends' addresses.

:class:`Supervisor` is uvicorn's own supervisor (health checks, restarting a worker that
dies or hangs, stopping when a worker cannot start, signals) with one change: each worker
it starts gets a socket bound for it alone. The supervisor closes its copy as soon as the
worker is started, so a socket is never left listening without a worker to accept on it.
Elsewhere than Linux (where ``SO_REUSEPORT`` does not balance), ``minilat serve`` keeps
uvicorn's shared socket (:func:`available`).
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from uvicorn.config import Config
from uvicorn.supervisors.multiprocess import Multiprocess

__all__ = ["Supervisor", "available", "bind"]


def available() -> bool:
    """Whether each worker can have its own socket with the kernel balancing between them."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other sockets of this user may share
    (``SO_REUSEPORT``); the worker it is handed to listens on it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class Supervisor(Multiprocess):
    """uvicorn's supervisor, each worker on a socket of its own (see the module)."""

    def __init__(self, config: Config) -> None:
        self._handed: list[socket.socket] = []
        super().__init__(config, sockets=[])

    # uvicorn's supervisor reads ``self.sockets`` once for each worker it starts (at
    # start, on a restart, and for a worker that died): each read binds a new socket.
    @property
    def sockets(self) -> list[socket.socket]:
        sock = bind(self.config.host, self.config.port)
        self._handed.append(sock)
        return [sock]

    @sockets.setter
    def sockets(self, _shared: Any) -> None:
        """uvicorn's one shared socket: not used."""

    def _close_handed(self) -> None:
        """Close this process's copies of the sockets handed to workers it has started
        (each worker holds its own; a copy kept here would keep the socket's queue
        alive after its worker died, with nobody to accept what the kernel puts in it)."""
        while self._handed:
            self._handed.pop().close()

    def init_processes(self) -> None:
        try:
            super().init_processes()
        finally:
            self._close_handed()

    def restart_all(self) -> None:
        try:
            super().restart_all()
        finally:
            self._close_handed()

    def keep_subprocess_alive(self) -> None:
        try:
            super().keep_subprocess_alive()
        finally:
            self._close_handed()
