"""``minilat serve``: the public observatory (web pages, JSON API, feeds, downloads).

One process by default; ``--workers N`` runs N worker processes under uvicorn's
supervisor, each on a listening socket of its own on Linux (the kernel spreads the
connections between them: :mod:`minilat.web.workers`), sharing the editorial database
(every write is one SQLite transaction, safe across processes). Forwarded headers
(``X-Forwarded-For``, ``X-Forwarded-Proto``) are trusted only from the addresses in
``--forwarded-allow-ips`` (none by default): behind a reverse proxy on the same machine,
give ``127.0.0.1`` (docs/deploy.md). Trusting them from anyone would let a client choose
its own address and slip past the rate limits.
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Any

import click

from minilat.cli.kit import Context, out_console, pass_ctx
from minilat.errors import BadInput

__all__ = ["COMMANDS", "serve", "uvicorn_options"]


def uvicorn_options(forwarded_allow_ips: str | None) -> dict[str, object]:
    """uvicorn's proxy settings: forwarded headers only from the addresses given.

    >>> uvicorn_options(None)
    {'proxy_headers': False, 'forwarded_allow_ips': ''}
    >>> uvicorn_options("127.0.0.1")
    {'proxy_headers': True, 'forwarded_allow_ips': '127.0.0.1'}
    """
    ips = (forwarded_allow_ips or "").strip()
    return {"proxy_headers": bool(ips), "forwarded_allow_ips": ips}


def _check_port(host: str, port: int) -> None:
    """BadInput naming the option when ``host:port`` is taken (rather than a traceback)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise BadInput(
                    f"port {port} on {host} is already in use",
                    hint="stop what uses it, or pick another port with --port N (make run PORT=N)",
                ) from None
            raise BadInput(f"cannot listen on {host}:{port}: {e.strerror}") from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (about 2 per core); they share the editorial database.",
)
@click.option(
    "--threads",
    envvar="MINILAT_THREADS",
    default=None,
    type=click.IntRange(1, 256),
    help="Requests each worker process computes at once, in threads (env MINILAT_THREADS;"
    " default 4, the best of 1, 2, 4 and 40 with 50 clients on 2 cores: more threads only"
    " queue behind one interpreter lock).",
)
@click.option(
    "--forwarded-allow-ips",
    envvar="MINILAT_FORWARDED_ALLOW_IPS",
    default=None,
    metavar="IPS",
    help="Comma-separated addresses of the reverse proxies whose X-Forwarded-For and"
    " X-Forwarded-Proto are trusted (env MINILAT_FORWARDED_ALLOW_IPS); none by default.",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@pass_ctx
def serve(
    c: Context,
    host: str,
    port: int,
    workers: int,
    threads: int | None,
    forwarded_allow_ips: str | None,
    log_level: str,
) -> None:
    """Serve the observatory: pages, JSON API (/api/v1, /api/docs), feeds, downloads."""
    import uvicorn

    _check_port(host, port)
    proxy = uvicorn_options(forwarded_allow_ips)
    editorial = c.editorial
    out_console.print(
        f"minilat observatory on http://{host}:{port}/  (Ctrl-C to stop)\n"
        f"editorial database: {_shown(editorial)}\n"
        f"workers: {workers}, threads each: {threads or '4 (default)'};"
        f" forwarded headers trusted from: {proxy['forwarded_allow_ips'] or 'nobody'}",
        markup=False,
    )
    if workers == 1:
        from minilat.web import create_app

        app = create_app(
            c.db, c.data_dir, editorial, releases=c.releases, threads=threads, warm=True
        )
        uvicorn.run(app, host=host, port=port, log_level=log_level, **proxy)  # type: ignore[arg-type]
        return
    # several processes: build the store once here, then each worker makes its app from
    # the same settings, passed down in the environment
    c.store()
    os.environ["MINILAT_DB"] = str(c.db)
    if isinstance(editorial, str):  # a PostgreSQL address
        os.environ["MINILAT_EDITORIAL_URL"] = editorial
    else:
        os.environ.pop("MINILAT_EDITORIAL_URL", None)
        os.environ["MINILAT_EDITORIAL"] = str(editorial)
    os.environ["MINILAT_RELEASES"] = str(c.releases)
    if threads is not None:
        os.environ["MINILAT_THREADS"] = str(threads)
    if c.data_dir is not None:
        os.environ["MINILAT_DATA"] = str(c.data_dir)
    options: dict[str, Any] = {
        "factory": True, "host": host, "port": port, "workers": workers,
        "log_level": log_level, **proxy,
    }  # fmt: skip
    from minilat.web import workers as own_sockets

    if not own_sockets.available():  # uvicorn's one socket shared by the workers
        uvicorn.run("minilat.web.app:app_from_settings", **options)
        return
    # uvicorn's supervisor, each worker on a socket of its own that the kernel balances
    own_sockets.Supervisor(uvicorn.Config("minilat.web.app:app_from_settings", **options)).run()


def _shown(editorial: Path | str) -> str:
    """The editorial database, fit to print (a PostgreSQL address without its password)."""
    from minilat.editorial.backend import shown

    return shown(editorial)


COMMANDS = [serve]
