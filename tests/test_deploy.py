"""docs/deploy.md followed on loopback: the shipped files in ``deploy/``, for real.

- nginx from Debian's packages runs ``deploy/nginx/minilat.conf`` (ports, certificate and
  log paths moved into a temporary folder; nothing else changed) with a self-signed
  certificate, in front of minilat started with the exact command line and environment
  of ``deploy/systemd/minilat.service`` (2 workers). Requests go through the proxy over
  TLS: the health endpoint, the http→https redirect, a Secure cookie (the proxy's
  X-Forwarded-Proto trusted), rate limits a client cannot dodge with its own
  X-Forwarded-For, links built from the route.
- ``deploy/backup.sh`` makes backups, keeps the newest N, and one is restored.
- ``deploy/Dockerfile`` installs the runtime lock only (docker cannot run here).

The proxy test is ``heavy`` (it starts nginx and two worker processes).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from minilat.cli import cli
from minilat.editorial import editors
from minilat.editorial.database import EditorialDB
from test_hardening import PASSWORD, SRC, free_port

ROOT = SRC.parent
DEPLOY = ROOT / "deploy"


def unit(path: Path) -> dict[str, list[str]]:
    """A systemd unit file as ``{key: [values]}`` (sections merged; enough here)."""
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


def _wait(url: str, proc: subprocess.Popen[bytes], what: str, **kw: object) -> None:
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            raise AssertionError(f"{what} exited: {err}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=5, **kw).status_code == 200:  # type: ignore[arg-type]
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not come up")
        time.sleep(0.3)


@contextlib.contextmanager
def running(cmd: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def nginx_config(tmp: Path, http: int, https: int, upstream: int) -> Path:
    """deploy/nginx/minilat.conf with loopback ports and files in ``tmp``, inside a
    minimal main configuration; returns the main configuration's path."""
    lines = (DEPLOY / "nginx" / "minilat.conf").read_text().splitlines(keepends=True)
    site = "".join(line for line in lines if not line.lstrip().startswith("#"))
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
    site = re.sub(r"/etc/letsencrypt/live/[^/]+/fullchain.pem", str(tmp / "cert.pem"), site)
    site = re.sub(r"/etc/letsencrypt/live/[^/]+/privkey.pem", str(tmp / "key.pem"), site)
    site = site.replace("/var/log/nginx/", f"{tmp}/")
    assert "8000" not in site and "/etc/" not in site and "/var/" not in site
    (tmp / "minilat.conf").write_text(site)
    temp = "\n".join(
        f"  {k}_temp_path {tmp}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        + "events {}\nhttp {\n"
        + f"  access_log {tmp}/access.log;\n{temp}\n  include {tmp}/minilat.conf;\n}}\n"
    )
    return main


@pytest.mark.proxy
def test_behind_nginx_with_tls(tmp_path: Path, web_store: Path, client: TestClient) -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("nginx is not installed (.ci/run installs Debian's nginx-light)")
    client.get("/health")  # the session's store is built once
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http, https, upstream = free_port(), free_port(), free_port()
    conf = nginx_config(tmp_path, http, https, upstream)

    # minilat exactly as the systemd unit starts it: its command line and environment
    svc = unit(DEPLOY / "systemd" / "minilat.service")
    argv = shlex.split(svc["ExecStart"][0])
    assert Path(argv[0]).name == "minilat"
    argv = [sys.executable, "-m", "minilat", *argv[1:]]
    argv[argv.index("--port") + 1] = str(upstream)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for assignment in svc["Environment"]:
        key, _, value = assignment.partition("=")
        env[key] = value
    assert env["MINILAT_FORWARDED_ALLOW_IPS"] == "127.0.0.1"
    env["MINILAT_DB"] = str(web_store)
    env["MINILAT_EDITORIAL"] = str(tmp_path / "editorial.db")
    editors.add_editor(EditorialDB(tmp_path / "editorial.db"), "zoe", PASSWORD)

    tls = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    base = f"https://127.0.0.1:{https}"
    with (
        running(argv, env) as app,
        running([nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"]) as proxy,
    ):
        _wait(f"http://127.0.0.1:{upstream}/health", app, "minilat")
        _wait(f"{base}/health", proxy, "nginx", verify=tls)
        with httpx.Client(base_url=base, verify=tls, timeout=60) as c:
            health = c.get("/health")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            assert health.headers["strict-transport-security"].startswith("max-age=")
            # plain http is only a redirect to https
            r = httpx.get(f"http://127.0.0.1:{http}/groupings/quad", timeout=30)
            assert r.status_code == 301 and r.headers["location"].startswith("https://")
            # the proxy says https, minilat believes it (from 127.0.0.1): a Secure cookie
            assert "secure" in c.get("/suggest").headers["set-cookie"].lower()
            page = c.get("/groupings/quad")
            assert 'href="/groupings/quad?format=json"' in page.text
            assert "//evil.example" not in c.get("//evil.example/x").text.split("<main")[0]
            # a client's own X-Forwarded-For is replaced by the proxy: no dodging the limit
            # (the 2 workers count in one bucket of 5, in the editorial database: 429 from
            # the 6th attempt on, whichever worker answers)
            codes = [
                c.post(
                    "/editors/sign-in",
                    data={"name": "zoe", "password": "x"},
                    headers={"x-forwarded-for": f"203.0.113.{i}"},
                ).status_code
                for i in range(14)
            ]
            assert 429 not in codes[:5] and codes[5:] == [429] * 9, codes
    access = (tmp_path / "minilat.access.log").read_text()
    assert "GET /health" in access


def test_backups_on_a_timer_and_a_restore(tmp_path: Path) -> None:
    timer = unit(DEPLOY / "systemd" / "minilat-backup.timer")
    assert timer["OnCalendar"] and timer["Persistent"] == ["true"]
    job = unit(DEPLOY / "systemd" / "minilat-backup.service")
    assert job["ExecStart"][0].endswith("/deploy/backup.sh")
    exe = Path(sys.executable).with_name("minilat")
    if not exe.exists():
        pytest.skip("no minilat command beside this Python (run from the project's .venv)")
    live = tmp_path / "live.db"
    db = EditorialDB(live)
    editors.add_editor(db, "ada", PASSWORD)
    env = {
        **os.environ,
        "MINILAT": str(exe),
        "MINILAT_EDITORIAL": str(live),
        "MINILAT_BACKUP_DIR": str(tmp_path / "backups"),
        "MINILAT_BACKUP_KEEP": "2",
    }
    for _ in range(3):
        subprocess.run(["sh", str(DEPLOY / "backup.sh")], env=env, check=True, capture_output=True)
        time.sleep(1.1)  # backups are named by the second
    kept = sorted((tmp_path / "backups").iterdir())
    assert len(kept) == 2, kept
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in kept)
    editors.add_editor(db, "bob", PASSWORD)  # after the last backup: lost by a restore
    r = CliRunner().invoke(
        cli, ["--editorial", str(live), "restore", "--yes", str(kept[-1])], catch_exceptions=False
    )
    assert r.exit_code == 0, r.output
    assert [e["name"] for e in EditorialDB(live).editors()] == ["ada"]


def test_the_dockerfile_installs_only_the_runtime_lock() -> None:
    """Docker cannot run here; what can be checked without it is."""
    text = (DEPLOY / "Dockerfile").read_text()
    runs = [line for line in text.splitlines() if line.startswith("RUN pip install")]
    assert runs == [
        "RUN pip install -r requirements.lock",
        "RUN pip install --no-deps . && rm -rf /app/src",
    ]
    assert "[dev]" not in text and "HEALTHCHECK" in text and "USER minilat" in text
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {
        m[1].lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)
    }
    for dev_only in ("pytest", "hypothesis", "ruff", "mypy", "playwright", "schemathesis"):
        assert dev_only not in pinned
    for needed in ("fastapi", "uvicorn", "argon2-cffi", "zxcvbn", "pydantic"):
        assert needed in pinned


@pytest.mark.proxy
def test_the_caddyfile_is_valid_and_proxies_to_minilat() -> None:
    """Caddy from Debian's packages reads deploy/caddy/Caddyfile (``caddy adapt``; not
    started: it would ask a certificate authority for the example host)."""
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (.ci/run installs Debian's caddy)")
    r = subprocess.run(
        [caddy, "adapt", "--adapter", "caddyfile", "--config", str(DEPLOY / "caddy" / "Caddyfile")],
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(r.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    handlers = json.dumps(server["routes"])
    assert server["listen"] == [":443"]
    assert '"dial": "127.0.0.1:8000"' in handlers and '"max_size": 2000000' in handlers
