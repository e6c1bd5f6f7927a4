"""`minilat monitor ingest|fetch|report|generate` through the CLI runner; fetch against a
local HTTP server that serves fixture files (with Range requests, to resume)."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from minilat.monitor.fixture import write_fixture
from minilat.monitor.generator import master_list


@pytest.fixture
def mon(tmp_path: Path, run: Callable[..., Result]) -> Callable[..., Result]:
    store = tmp_path / "monitor"

    def _mon(*args: str) -> Result:
        return run("--monitor", str(store), "monitor", *args)

    return _mon


def test_ingest_then_report_the_fixture(mon, tmp_path: Path) -> None:
    write_fixture(tmp_path / "raw")
    r = mon("ingest", str(tmp_path / "raw"), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["ingested"], out["corrupt"], out["problems"]) == (3, 1, 3)
    assert "20240105000000.export.CSV:6: 20 columns, expected 61" in out["files"][0]["problems"]
    r = mon("report", "quad", "--from", "2024-01-01", "--to", "2024-01-31", "--json")
    rep = json.loads(r.stdout)
    assert rep["articles"] == 2 and rep["cooperation"][0]["intra"]["index"] == 0.667
    assert rep["store"]["exists"] is True
    r = mon("ingest", str(tmp_path / "raw"))
    assert "0 already there" not in r.stderr and "3 already there" in r.stderr
    r = mon("report", "--from", "2024-01-01", "--to", "2024-01-31", "--json")
    top = json.loads(r.stdout)["groupings"][:2]
    assert [(g["grouping"], g["articles"]) for g in top] == [("quad", 2), ("chip4", 1)]


def test_report_without_a_store_says_so(mon) -> None:
    r = mon("report", "quad", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["store"]["exists"] is False
    r = mon("report", "quad")
    assert "No news data yet" in r.stdout


def test_bad_input_is_one_line(mon, tmp_path: Path) -> None:
    r = mon("report", "nope")
    assert r.exit_code == 2 and "unknown grouping" in r.stderr and "Traceback" not in r.output
    r = mon("report", "quad", "--from", "2024-05-01", "--to", "2024-01-01")
    assert r.exit_code == 2 and "--to is before --from" in r.stderr
    (tmp_path / "x.csv").write_text("a")
    r = mon("ingest", str(tmp_path / "x.csv"))
    assert r.exit_code == 2 and "not a GDELT 2.0 file name" in r.stderr


def test_generate_writes_synthetic_files(mon, tmp_path: Path) -> None:
    r = mon("generate", str(tmp_path / "g"), "--days", "1", "--files-per-day", "1",
            "--events", "20", "--articles", "5", "--json")  # fmt: skip
    assert json.loads(r.stdout)["synthetic"] is True
    assert len(list((tmp_path / "g").iterdir())) == 3


# ---------------------------------------------------------------- fetch


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with ``Range: bytes=N-`` support, as GDELT's server has."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            self.send_response(206)
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    handler = lambda *a, **k: _RangeHandler(*a, directory=str(root), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


def test_fetch_verifies_resumes_and_ingests(mon, server, tmp_path: Path) -> None:
    base, root = server
    files = [p for p in write_fixture(root) if "001500" not in p.name]
    listing = master_list(files, base)
    # A listed file whose MD5 does not match what the server sends.
    bad = root / "20240106000000.gkg.csv.zip"
    bad.write_bytes(b"not what the list says")
    listing += f"999 {hashlib.md5(b'other').hexdigest()} {base}/{bad.name}\n"
    listing += f"1 {hashlib.md5(b'x').hexdigest()} {base}/20240301000000.export.CSV.zip\n"
    (root / "masterfilelist.txt").write_text(listing)
    dest = tmp_path / "dl"
    dest.mkdir()
    # An interrupted earlier download of the GKG file: its first 100 bytes.
    gkg = root / "20240105000000.gkg.csv.zip"
    (dest / (gkg.name + ".part")).write_bytes(gkg.read_bytes()[:100])

    r = mon("fetch", "--from", "2024-01-05", "--to", "2024-01-06", "--tables",
            "events,mentions,gkg", "--master", f"{base}/masterfilelist.txt",
            "--dest", str(dest), "--json")  # fmt: skip
    assert r.exit_code == 1  # one file failed its check
    out = json.loads(r.stdout)
    assert out["listed"] == 4  # the March file is outside the dates
    assert sorted(out["files"]["got"]) == sorted(p.name for p in files)
    assert out["files"]["bad"] == [bad.name] and "MD5" in out["problems"][0]
    assert (dest / gkg.name).read_bytes() == gkg.read_bytes()  # resumed, then verified
    assert not (dest / (bad.name + ".part")).exists()
    assert out["ingest"]["ingested"] == 3

    r = mon("fetch", "--from", "2024-01-05", "--tables", "events,gkg", "--to", "2024-01-05",
            "--master", f"{base}/masterfilelist.txt", "--dest", str(dest), "--json")  # fmt: skip
    again = json.loads(r.stdout)
    assert r.exit_code == 0 and again["have"] == 2 and again["got"] == 0
    assert again["ingest"]["skipped"] == 2


def test_fetch_refuses_unknown_tables_and_a_missing_list(mon, tmp_path: Path) -> None:
    r = mon("fetch", "--from", "2024-01-01", "--tables", "events,tweets")
    assert r.exit_code == 2 and "unknown table tweets" in r.stderr
    r = mon("fetch", "--from", "2024-01-01", "--master", str(tmp_path / "none.txt"))
    assert r.exit_code == 2 and "cannot read" in r.stderr
