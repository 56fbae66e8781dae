"""update-spec against a loopback server: good spec, HTML, truncation, 50 MB, stall, redirect loop,
gzip bombs, nested encodings and a server that drips its headers.

Every failure must leave the project's spec folder byte-identical. Tests work on a copy of spec/ in
a temp dir (``--spec``), never on the repo's own.
"""

from __future__ import annotations

import gzip
import json
import os
import shlex
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bombs import gzip_bomb, nested_gzip_bomb
from peak_rss import measure
from support import load_yaml

from generator.cli import main
from generator.intake.lock import verify

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
REAL = SPEC.read_bytes()
# A different but valid build: same API, new build line (as Norce publishes them).
NEWER = REAL.replace(b"Build 2026-01-12 08:21:29", b"Build 2026-02-01 10:00:00", 1)
Handler = Callable[[BaseHTTPRequestHandler], None]


def _send(
    body: bytes, kind: str = "application/yaml", length: int | None = None, encoding: str = ""
) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", kind)
        req.send_header("Content-Length", str(len(body) if length is None else length))
        if encoding:
            req.send_header("Content-Encoding", encoding)
        req.end_headers()
        try:
            req.wfile.write(body)
        except OSError:
            pass  # the client stopped reading (a bomb refused), as it should

    return handle


def _huge(req: BaseHTTPRequestHandler) -> None:
    """50 MB without a Content-Length, streamed in 1 MB chunks (never held in memory)."""
    req.send_response(200)
    req.send_header("Content-Type", "application/yaml")
    req.send_header("Connection", "close")
    req.end_headers()
    chunk = b"# padding padding padding padding padding padding padding padding padding\n" * 14000
    try:
        for _ in range(50):
            req.wfile.write(chunk)
    except OSError:
        pass  # the client stopped reading at the cap, as it should


def _stall(req: BaseHTTPRequestHandler) -> None:
    req.send_response(200)
    req.send_header("Content-Type", "application/yaml")
    req.send_header("Content-Length", str(len(REAL)))
    req.end_headers()
    req.wfile.write(REAL[:100])
    req.wfile.flush()
    time.sleep(3)


def _trickle(req: BaseHTTPRequestHandler) -> None:
    """A byte every 0.3 s: no single read times out, the whole download must."""
    req.send_response(200)
    req.send_header("Content-Type", "application/yaml")
    req.end_headers()
    try:
        for byte in REAL[:15]:
            req.wfile.write(bytes([byte]))
            req.wfile.flush()
            time.sleep(0.3)
    except OSError:
        pass


def _drip_headers(req: BaseHTTPRequestHandler) -> None:
    """The status line, then a header a byte every 0.5 s for a minute: no read ever times out."""
    try:
        req.wfile.write(b"HTTP/1.1 200 OK\r\nx-drip: ")
        for _ in range(120):
            req.wfile.write(b"a")
            req.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass  # the client hung up at its deadline


def _redirect(to: str) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(302)
        req.send_header("Location", to)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return handle


# A rendered Redocly reference page, as docs.norce.io serves it: the description is behind a link.
DOCS_PAGE = (
    b"<!DOCTYPE html><html><head><title>Order Management API</title>"
    b'<link rel="stylesheet" href="/assets/site.css"></head><body>'
    b'<a href="/api-reference/nco/openapi/payment">Payment API</a>'
    b'<a class="download" href="/_spec/api-reference/nco/openapi/order.yaml?download" download>'
    b"<span>Download</span> OpenAPI description</a>"
    b'<a href="/changelog.json">changelog</a></body></html>'
)
SEEN: list[str] = []  # every path the server was asked for

ROUTES: dict[str, Handler] = {
    "/spec.yaml": _send(REAL),
    "/newer.yaml": _send(NEWER),
    "/spec.json": _send(json.dumps({"openapi": "3.0.1"}).encode(), "application/json"),
    "/spec.yaml.gz": _send(gzip.compress(REAL), encoding="gzip"),
    "/gzip-bomb": _send(gzip_bomb(), encoding="gzip"),
    "/gzip-gzip": _send(nested_gzip_bomb(), encoding="gzip, gzip"),
    "/drip-headers": _drip_headers,
    "/newer.json": _send(json.dumps(load_yaml(NEWER)).encode(), "application/json"),
    "/html": _send(b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html"),
    "/html-as-text": _send(b"\n<html><body>Sign in</body></html>", "text/plain"),
    "/half.yaml": _send(REAL[: len(REAL) // 2]),
    "/cut.yaml": _send(REAL[:1000], length=len(REAL)),  # connection closes before Content-Length
    "/empty": _send(b""),
    "/not-openapi": _send(b"name: just some yaml\nitems: [1, 2]\n"),
    "/huge": _huge,
    "/stall": _stall,
    "/trickle": _trickle,
    "/loop": _redirect("/loop"),
    "/hop": _redirect("/spec.yaml"),
    "/missing": lambda req: req.send_error(404),
    "/docs/order": _send(DOCS_PAGE, "text/html; charset=utf-8"),
    "/docs/plain": _send(
        b'<html><body><a href="https://example.test/order.json">spec</a>', "text/plain"
    ),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        SEEN.append(self.path)
        ROUTES.get(self.path, ROUTES["/missing"])(self)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of spec/ (spec + lock) to update; returns the spec path inside it."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    return spec_dir / SPEC.name


def _snapshot(spec: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(spec.parent.iterdir())}


def _update(spec: Path, source: str, *extra: str) -> int:
    return main(["update-spec", source, "--spec", str(spec), "--allow-http", *extra])


@pytest.mark.parametrize(
    ("route", "code", "message"),
    [
        ("/html", 5, "got an HTML page"),
        ("/html-as-text", 5, "content is HTML"),
        ("/half.yaml", 2, "error: http://"),
        ("/cut.yaml", 5, "truncated"),
        ("/empty", 5, "empty response body"),
        ("/not-openapi", 2, "not an OpenAPI 3 description"),
        ("/spec.json", 2, "error: http://"),
        ("/huge", 5, "byte limit"),
        ("/loop", 5, "more than 5 redirects"),
        ("/missing", 5, "HTTP 404"),
    ],
)
def test_bad_download_leaves_spec_alone(
    server: str,
    project: Path,
    route: str,
    code: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _snapshot(project)
    assert _update(project, server + route) == code
    err = capsys.readouterr().err
    assert message in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) >= 1
    assert _snapshot(project) == before


@pytest.mark.parametrize("route", ["/stall", "/trickle"])
def test_slow_server_times_out(
    server: str, project: Path, route: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(project)
    # Both servers finish (truncated) within 5 s: only a deadline says "timed out" after 1 s.
    assert _update(project, server + route, "--timeout", "1") == 5
    assert "timed out after 1 s" in capsys.readouterr().err
    assert _snapshot(project) == before


def test_gzip_encoded_spec_is_decoded(
    server: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(project)
    assert _update(project, server + "/spec.yaml.gz") == 0
    assert capsys.readouterr().out.startswith("unchanged")  # the same bytes as spec/, once decoded
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("route", "timeout", "message"),
    [
        ("/gzip-bomb", "3", "byte limit; stopped reading"),
        ("/gzip-gzip", "3", "at most one encoding"),
        ("/huge", "3", "byte limit; stopped reading"),
        ("/drip-headers", "1", "timed out after 1 s"),
    ],
)
def test_hostile_download_costs_little_memory_and_time(
    server: str, project: Path, route: str, timeout: str, message: str
) -> None:
    """`update-spec` as a user runs it, in a child whose peak RSS is measured (tests/peak_rss.py).

    Bombs run only here, where the child's address space is capped: a regression fails instead of
    taking GBs from the test process. The command itself costs about 65 MB (it imports the whole
    generator); the 20 MB spec size limit is what a bomb may add. `--timeout 1` must end the
    dripping server's minute (the bombs get 3 s to be refused for their size, not their time);
    the child's timeout is only a hang guard.
    """
    before = _snapshot(project)
    command = [sys.executable, "-m", "generator", "update-spec", server + route]
    command += ["--spec", str(project), "--allow-http", "--timeout", timeout]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    run = measure(command, env=env, cwd=str(ROOT), hang_guard=30)

    assert run["returncode"] == 5, run["stderr"]
    assert run["stderr"].startswith("error: ") and "Traceback" not in run["stderr"]
    assert message in run["stderr"]
    assert run["maxrss_mib"] < 100, run
    assert _snapshot(project) == before


def test_http_refused_without_flag(
    server: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(project)
    assert main(["update-spec", server + "/spec.yaml", "--spec", str(project)]) == 5
    assert "plain http refused" in capsys.readouterr().err
    assert _snapshot(project) == before


def test_same_content_is_unchanged(
    server: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(project)
    assert _update(project, server + "/hop") == 0  # one redirect is fine
    assert capsys.readouterr().out.startswith("unchanged")
    assert _snapshot(project) == before  # lock untouched too


def test_new_spec_replaces_file_and_writes_lock(
    server: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _update(project, server + "/newer.yaml") == 0
    assert "updated" in capsys.readouterr().out
    assert project.read_bytes() == NEWER
    lock_text = (project.parent / "spec.lock").read_text("utf-8")
    lock = json.loads(lock_text)
    assert list(lock) == sorted(lock)
    assert lock["source"] == server + "/newer.yaml"
    assert lock["build"] == "Build 2026-02-01 10:00:00"
    assert lock["info_version"] == "0.1"
    assert lock["bytes"] == len(NEWER)
    assert len(lock["sha256"]) == 64
    assert sorted(p.name for p in project.parent.iterdir()) == [
        "norce-checkout-order.yaml",
        "spec.lock",
    ]


def test_json_spec_is_accepted(server: str, project: Path) -> None:
    assert _update(project, server + "/newer.json") == 0
    assert json.loads(project.read_bytes())["openapi"] == "3.0.1"


def test_check_fails_when_spec_drifts_from_lock(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_bytes(NEWER)  # edited by hand, lock not updated
    assert main(["check", "--spec", str(project), "--out", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "does not match" in err
    # The hint's command locks the edit as it is: the lock then matches the spec.
    hinted = err.split("lock a deliberate edit: `norce-codegen ", 1)[1].split("`", 1)[0]
    assert main(shlex.split(hinted)) == 0
    assert verify(project) is None
    assert project.read_bytes() == NEWER


def test_committed_lock_matches_committed_spec() -> None:
    lock = json.loads((ROOT / "spec" / "spec.lock").read_text("utf-8"))
    import hashlib

    assert lock["sha256"] == hashlib.sha256(REAL).hexdigest()
    assert lock["bytes"] == len(REAL)
    assert lock["source"].endswith("norce-order-v0.yaml")


@pytest.mark.parametrize(
    ("route", "link"),
    [
        ("/docs/order", "{server}/_spec/api-reference/nco/openapi/order.yaml?download"),
        ("/docs/plain", "https://example.test/order.json"),
    ],
)
def test_a_docs_page_is_refused_naming_its_download_link(
    server: str, project: Path, route: str, link: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal points at the OpenAPI download; the link is printed, never followed."""
    before = _snapshot(project)
    SEEN.clear()
    assert _update(project, server + route) == 5
    err = capsys.readouterr().err
    expected = link.format(server=server)
    assert f"this looks like the docs page: its OpenAPI download is {expected} " in err, err
    assert "run update-spec with that URL" in err
    assert SEEN == [route]
    assert _snapshot(project) == before
