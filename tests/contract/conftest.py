"""Fixtures of the contract tests: the Prism mock, a spec-validating loopback server, the client.

Prism (``@stoplight/prism-cli``, pinned in ``tools/prism/package-lock.json``) is installed by
``make prism`` (``npm ci --ignore-scripts``); the fixture runs the same command when it is missing, so
``pytest tests/contract`` works on a fresh clone too. Without ``node``/``npm`` the Prism tests skip.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from contract.contract_support import (
    GENERATED,
    PROJECT_ROOT,
    SPEC_PATH,
    RequestValidator,
    load_spec,
)

PRISM_DIR = PROJECT_ROOT / "tools" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
INSTALL_TIMEOUT = 300.0
START_TIMEOUT = 60.0

if str(GENERATED) not in sys.path:  # read the committed package; tests never write into it
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return load_spec()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_prism() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not on PATH: the Prism contract tests need Node.js (>= 18)")
    if not PRISM_BIN.exists():
        # Same command as `make prism`; scripts off so no package can run code or phone home.
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=PRISM_DIR,
            check=True,
            timeout=INSTALL_TIMEOUT,
            stdout=subprocess.DEVNULL,
        )
    return PRISM_BIN


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of the spec with ``--errors`` (violations become 4xx/5xx)."""
    yield from _prism_mock(tmp_path_factory, "--errors")


@pytest.fixture(scope="session")
def prism_examples_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock without ``--errors``: it answers 200 with the examples it builds
    from the spec, also where they break the spec's own rules, as a real server may."""
    yield from _prism_mock(tmp_path_factory)


def _prism_mock(tmp_path_factory: pytest.TempPathFactory, *flags: str) -> Iterator[str]:
    prism = _ensure_prism()
    log_path = tmp_path_factory.mktemp("prism") / "prism.log"
    port = _free_port()
    env = {**os.environ, "SCARF_ANALYTICS": "false", "DO_NOT_TRACK": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(prism),
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *flags,
                str(SPEC_PATH),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _listening(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text("utf-8", "replace")[-2000:]
                    pytest.fail(f"Prism did not start on 127.0.0.1:{port}:\n{tail}")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class _ValidatingHandler(BaseHTTPRequestHandler):
    validator: RequestValidator
    seen: list[tuple[str | None, list[str]]]

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        operation_id, problems = self.validator.violations(
            self.command, self.path, dict(self.headers.items()), body
        )
        self.seen.append((operation_id, problems))
        payload = json.dumps({"operationId": operation_id, "violations": problems}).encode()
        self.send_response(422 if problems else 200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        return


@pytest.fixture(scope="session")
def validating_url(spec: dict[str, Any]) -> Iterator[str]:
    """A loopback server answering 200 to requests the spec allows and 422 (with reasons) else."""
    handler = type(
        "Handler", (_ValidatingHandler,), {"validator": RequestValidator(spec), "seen": []}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
