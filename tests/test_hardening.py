"""Regression tests of the security review's findings (issue 17), one block each.

Proxy headers, bounded password checks, spreadsheet-safe CSV, suggestions published as
decisions, the 404 page's links, the CSRF cookie behind HTTPS, editor accounts, the
editorial database's place and mode. The ones needing a real server start ``minilat
serve`` on a free loopback port (``serve_cli``); the 40-sign-in memory figure is
``heavy``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from minilat import csvsafe, export
from minilat.cli import cli
from minilat.dataset import load
from minilat.editorial import editors
from minilat.editorial.database import EditorialDB

PASSWORD = "correct horse battery staple"
SRC = Path(__file__).resolve().parent.parent / "src"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_cli(
    tmp: Path, *args: str, store: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """``minilat serve`` in its own process on a free port; yields its base URL and pid."""
    port = free_port()
    cmd = [sys.executable, "-m", "minilat", "--db", str(store or tmp / "store.db")]
    cmd += ["--editorial", str(tmp / "editorial.db"), "serve", "--port", str(port), *args]
    full_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    proc = subprocess.Popen(cmd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError("the server did not come up")
            time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


# --------------------------------------------------------------------- proxy headers


def test_forwarded_headers_are_not_trusted_by_default(
    tmp_path: Path, web_store: Path, client: TestClient
) -> None:
    """30 sign-in attempts with rotating X-Forwarded-For used to get 401 every time."""
    client.get("/health")  # the session's store is built
    with serve_cli(tmp_path, store=web_store) as (url, _pid):
        codes = [
            httpx.post(
                url + "/editors/sign-in",
                data={"name": "ada", "password": "x"},
                headers={"x-forwarded-for": f"203.0.113.{i}"},
                timeout=30,
            ).status_code
            for i in range(8)
        ]
    assert 429 in codes[5:], codes


def test_forwarded_headers_are_trusted_from_the_configured_proxy(
    tmp_path: Path, web_store: Path, client: TestClient
) -> None:
    client.get("/health")
    with serve_cli(tmp_path, "--forwarded-allow-ips", "127.0.0.1", store=web_store) as (url, _pid):
        codes = [
            httpx.post(
                url + "/editors/sign-in",
                data={"name": "ada", "password": "x"},
                headers={"x-forwarded-for": f"203.0.113.{i}", "x-forwarded-proto": "https"},
                timeout=30,
            ).status_code
            for i in range(8)
        ]
        # each address is its own client behind the proxy, and the scheme is https
        r = httpx.get(url + "/suggest", headers={"x-forwarded-proto": "https"}, timeout=30)
    assert 429 not in codes, codes
    assert "secure" in r.headers["set-cookie"].lower()


def test_a_busy_port_is_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = CliRunner().invoke(cli, ["--db", str(tmp_path / "m.db"), "serve", "--port", str(port)])
    assert r.exit_code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in r.output
    assert "--port" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------------- password checks


def test_password_checks_run_a_few_at_a_time(
    editorial_db: EditorialDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 sign-ins at once: never more than MAX_PASSWORD_CHECKS hashes in memory."""
    running, peak, lock = 0, 0, threading.Lock()
    release = threading.Event()
    real = editors._hasher

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            release.wait(0.05)
            with lock:
                running -= 1
            return bool(real.verify(stored, password))

        def hash(self, password: str) -> str:
            return str(real.hash(password))

    monkeypatch.setattr(editors, "_hasher", Counting())
    with ThreadPoolExecutor(40) as pool:
        results = list(
            pool.map(lambda i: editors.verify_password(editorial_db, "ada", f"x{i}"), range(40))
        )
    assert results == [False] * 40
    assert peak == editors.MAX_PASSWORD_CHECKS


@pytest.mark.heavy
def test_memory_under_40_parallel_sign_ins(
    tmp_path: Path, web_store: Path, client: TestClient
) -> None:
    """The product's Argon2id (64 MiB per check) under 40 sign-ins at once: the server's
    peak resident memory stays under 600 MiB (2.1 GiB before the bound)."""
    client.get("/health")
    db = EditorialDB(tmp_path / "editorial.db")
    db.add_editor("zoe", PasswordHasher().hash(PASSWORD))  # the product's parameters
    with serve_cli(tmp_path, "--forwarded-allow-ips", "127.0.0.1", store=web_store) as (url, pid):

        def sign_in(i: int) -> int:
            # as through a TLS proxy: a client of its own, https (so the cookie is Secure
            # and is sent back by hand over this plain-http loopback hop)
            headers = {"x-forwarded-for": f"198.51.100.{i}", "x-forwarded-proto": "https"}
            with httpx.Client(base_url=url, timeout=120) as c:
                page = c.get("/editors/sign-in", headers=headers)
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                assert token, page.text[:300]
                cookie = page.headers["set-cookie"].split(";")[0]
                return c.post(
                    "/editors/sign-in",
                    data={"name": "zoe", "password": f"wrong {i}", "csrf_token": token[1]},
                    headers={**headers, "origin": url.replace("http:", "https:"), "cookie": cookie},
                ).status_code

        with ThreadPoolExecutor(40) as pool:
            codes = list(pool.map(sign_in, range(40)))
        peak = _peak_mib(pid)
    assert codes == [401] * 40, codes
    print(f"peak resident memory under 40 parallel sign-ins: {peak:.0f} MiB")
    assert peak < 600


def _peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


# ----------------------------------------------------------------- spreadsheet-safe CSV

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3.5", "-3.5"),
        ("Quad", "Quad"),
        (-2, -2),
    ],
)
def test_safe_cell(cell: object, safe: object) -> None:
    assert csvsafe.safe_cell(cell) == safe


def test_every_csv_goes_through_the_one_helper() -> None:
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "minilat").rglob("*.py")
        if p.name != "csvsafe.py" and re.search(r"csv\.(writer|DictWriter)\(", p.read_text())
    ]
    assert offenders == []


def test_a_formula_in_a_name_is_neutralised_in_the_downloads(
    mini_dir: Path, tmp_path: Path
) -> None:
    path = next((mini_dir / "groupings").glob("*.yaml"))
    text = path.read_text()
    name = re.search(r"^name: (.*)$", text, re.M)
    assert name
    path.write_text(text.replace(name[0], f"name: '{HOSTILE}'", 1))
    ds = load(mini_dir)
    written = export.write_csv(ds, tmp_path / "out")
    groupings = next(p for p in written if p.name == "groupings.csv")
    cells = [c for row in csv.reader(io.StringIO(groupings.read_text())) for c in row]
    assert "'" + HOSTILE in cells
    assert not any(
        c.startswith(csvsafe.TRIGGERS) and not c.lstrip("-").replace(".", "").isdigit()
        for c in cells
    )


# -------------------------------------------------------------------------- suggestions


def test_the_changelog_publishes_decisions_not_submitters_text(
    client: TestClient, editorial_db: EditorialDB
) -> None:
    client.get("/suggest")
    token = client.cookies.get("minilat_csrf")
    assert token
    secret_text = "SUBMITTED-TEXT\x07\x1b[31m with a bell"
    r = client.post(
        "/suggest",
        data={
            "what": secret_text,
            "where": "/groupings/quad\x00\u202e",
            "source_url": "https://example.org/\x1f",
            "csrf_token": token,
        },
    )
    assert r.status_code == 200, r.text
    stored = editorial_db.recent_suggestions(1)[0]
    assert stored["what"] == "SUBMITTED-TEXT[31m with a bell"  # control characters gone
    assert stored["location"] == "/groupings/quad"
    assert stored["source_url"] == "https://example.org/"
    editorial_db.decide_suggestion(stored["id"], editor="ada", status="rejected", why="No source.")
    for path in ("/changelog", "/changelog?format=json", "/feeds/changelog.atom"):
        body = client.get(path).text
        assert "SUBMITTED-TEXT" not in body and "example.org" not in body, path
        assert "No source." in body and "rejected" in body


# ---------------------------------------------------------------------- the 404 page


def test_404_links_are_built_from_the_route_not_the_raw_path(client: TestClient) -> None:
    r = client.get("//evil.example/x")
    assert r.status_code == 404
    assert "//evil.example" not in re.findall(r'href="([^"]*)"', r.text).__str__()
    ok = client.get("/groupings/quad")
    assert 'href="/groupings/quad?format=json"' in ok.text


# --------------------------------------------------------------------- the CSRF cookie


def test_the_suggestion_csrf_cookie_is_secure_behind_https(client: TestClient) -> None:
    r = client.get("/suggest")  # the client speaks https
    assert "secure" in r.headers["set-cookie"].lower()


# ------------------------------------------------------------------------ editor accounts


@pytest.fixture
def run_ed(tmp_path: Path) -> Callable[..., Result]:
    def _run(*args: str, input: str | None = None) -> Result:
        opts = ["--db", str(tmp_path / "m.db"), "--editorial", str(tmp_path / "ed.db")]
        return CliRunner().invoke(cli, [*opts, *args], input=input)

    return _run


def test_accounts_disable_enable_remove_passwd(
    run_ed: Callable[..., Result], tmp_path: Path
) -> None:
    assert run_ed("editors", "add", "ada", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    db = EditorialDB(tmp_path / "ed.db")
    _, token = editors.new_token(db, "ada")
    session = editors.new_session(db, "ada")
    assert run_ed("editors", "disable", "ada").exit_code == 0
    assert editors.editor_for_token(db, token) is None
    assert editors.editor_for_session(db, session) is None
    assert not editors.verify_password(db, "ada", PASSWORD)
    listed = run_ed("editors", "list", "--json").output
    assert '"state": "disabled"' in listed
    assert run_ed("editors", "enable", "ada").exit_code == 0
    assert editors.editor_for_token(db, token) == "ada"
    assert editors.verify_password(db, "ada", PASSWORD)
    new = "purple elephant under quiet rain"
    r = run_ed("editors", "passwd", "ada", "--password-stdin", input=new + "\n")
    assert r.exit_code == 0, r.output
    assert editors.verify_password(db, "ada", new) and not editors.verify_password(
        db, "ada", PASSWORD
    )
    assert editors.editor_for_session(db, session) is None  # a new password ends sessions
    session = editors.new_session(db, "ada")
    assert run_ed("editors", "remove", "ada", "--yes").exit_code == 0
    assert editors.editor_for_token(db, token) is None
    assert editors.editor_for_session(db, session) is None
    assert '"count": 0' in run_ed("editors", "list", "--json").output
    assert run_ed("editors", "enable", "ada").exit_code == 2


def test_ids_are_never_reused(tmp_path: Path) -> None:
    db = EditorialDB(tmp_path / "ed.db")
    first = editors.add_editor(db, "ada", PASSWORD)
    _, token = editors.new_token(db, "ada")
    editors.remove_editor(db, "ada")
    second = editors.add_editor(db, "bob", PASSWORD)
    assert second["id"] > first["id"]
    assert editors.editor_for_token(db, token) is None  # no old token answers for bob
    with pytest.raises(Exception, match="already an editor called 'ada'"):
        editors.add_editor(db, "ada", PASSWORD)  # nor is a removed name given again


def test_passwords_are_checked_for_strength(run_ed: Callable[..., Result]) -> None:
    for weak in (" " * 12, "password1234", "qwertyuiop12"):
        r = run_ed("editors", "add", "cy", "--password-stdin", input=weak + "\n")
        assert r.exit_code == 2 and "too easy to guess" in r.output, (weak, r.output)
    r = run_ed("editors", "add", "cy", "--password-stdin", input="cy" * 6 + "\n")
    assert r.exit_code == 2


def test_a_piped_password_without_the_flag_is_a_clear_message(
    run_ed: Callable[..., Result],
) -> None:
    r = run_ed("editors", "add", "ada", input=PASSWORD + "\n")
    assert r.exit_code == 2
    assert "--password-stdin" in r.output and "Warning" not in r.output
    r = run_ed("editors", "remove", "ada")
    assert r.exit_code == 2 and "--yes" in r.output


# --------------------------------------------------------------- the editorial database


def test_the_editorial_database_is_private(tmp_path: Path) -> None:
    db = EditorialDB(tmp_path / "new" / "ed.db")
    editors.add_editor(db, "ada", PASSWORD)
    for p in (tmp_path / "new").iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_the_default_place_is_the_data_folder_and_an_old_one_is_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for var in ("MINILAT_DB", "MINILAT_EDITORIAL"):
        monkeypatch.delenv(var, raising=False)
    old = tmp_path / "cache" / "minilat" / "minilat-editorial.db"
    editors.add_editor(EditorialDB(old), "ada", PASSWORD)
    r = CliRunner().invoke(cli, ["editors", "list", "--json"])
    assert r.exit_code == 0, r.output
    new = tmp_path / "data" / "minilat" / "minilat-editorial.db"
    assert "moved the editorial database" in r.stderr and str(new) in r.stderr
    assert '"name": "ada"' in r.stdout
    assert new.exists() and not old.exists()
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    again = CliRunner().invoke(cli, ["editors", "list", "--json"])
    assert "moved" not in again.stderr
