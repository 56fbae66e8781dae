"""Shared helpers and fixtures for the runtime tests.

There is deliberately no conftest.py here: tests/conftest.py is imported by
name (`from conftest import ...`) elsewhere, and a second module called
conftest would shadow it. Test modules import the fixtures below instead.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import bombs
import pytest
from _norce_runtime._base_client import AsyncAPIClient, SyncAPIClient
from _norce_runtime._request import Request
from _norce_runtime._retry import RetryPolicy
from _norce_runtime._types import NOT_GIVEN
from peak_rss import measure

API_KEY = "sk-test-SECRET-9f8e7d6c5b4a"

# Short backoff so retry tests take milliseconds; Retry-After handling and
# its cap keep the production values.
FAST = RetryPolicy(initial_delay=0.01, max_delay=0.05)


class DemoClient(SyncAPIClient):
    """A hand-written client, built like the generated one."""

    retry_policy = FAST


class AsyncDemoClient(AsyncAPIClient):
    """Async twin of DemoClient."""

    retry_policy = FAST


class Runner:
    """Runs a call through the sync or the async client, behind one sync API.

    Each call gets a fresh client (the async one inside its own event loop),
    so a test reads the same for both kinds.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def client_kwargs(self, base_url: str, **overrides: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "base_url": base_url,
            "api_key": API_KEY,
            "default_headers": {"x-merchant": "norce", "x-channel": "1"},
        }
        kwargs.update(overrides)
        return kwargs

    def send(
        self,
        base_url: str,
        request: Request[Any],
        options: Any = None,
        *,
        raw: bool = False,
        **client: Any,
    ) -> Any:
        kwargs = self.client_kwargs(base_url, **client)
        if self.kind == "sync":
            with DemoClient(**kwargs) as sync_client:
                if raw:
                    return sync_client._send_raw(request, options)
                return sync_client._send(request, options)

        async def go() -> Any:
            async with AsyncDemoClient(**kwargs) as async_client:
                if raw:
                    return await async_client._send_raw(request, options)
                return await async_client._send(request, options)

        return asyncio.run(go())

    def make(self, base_url: str, **client: Any) -> SyncAPIClient | AsyncAPIClient:
        kwargs = self.client_kwargs(base_url, **client)
        return DemoClient(**kwargs) if self.kind == "sync" else AsyncDemoClient(**kwargs)


def get_order(order_id: str = "o1", response_type: Any = None, **changes: Any) -> Request[Any]:
    """A GET like the generated GetCheckoutOrder."""
    fields: dict[str, Any] = {
        "method": "GET",
        "path": "/api/v0/checkout/orders/{order_id}",
        "path_params": {"order_id": order_id},
        "query": {},
        "headers": {},
        "body": NOT_GIVEN,
        "response_type": response_type,
        "idempotent": True,
        "operation_id": "GetCheckoutOrder",
    }
    fields.update(changes)
    return Request(**fields)


def post_order(body: Any, response_type: Any = None, **changes: Any) -> Request[Any]:
    """A POST like the generated CreateCheckoutOrder."""
    return get_order(
        **{
            "method": "POST",
            "path": "/api/v0/checkout/orders",
            "path_params": {},
            "body": body,
            "response_type": response_type,
            "idempotent": False,
            "operation_id": "CreateCheckoutOrder",
            **changes,
        }
    )


Handler = Callable[[socket.socket, bytes], None]


class FaultServer:
    """A loopback HTTP/1.1 server that misbehaves on purpose.

    Each connection's request (head and Content-Length body) is read and
    recorded, then `handler(conn, raw_request)` decides what goes back:
    nothing (stall), a reset, a truncated body, ... Threads are daemons and
    every wait is bounded by `stop`.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.connections = 0
        self.stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # close() shut the listening socket down
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        self.connections += 1
        with conn:
            data = b""
            try:
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self.requests.append(head + b"\r\n\r\n" + body)
                self.handler(conn, head)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        try:
            # Wakes the accept() at once on Linux (elsewhere its 0.1 s timeout ends the loop):
            # every test closes its servers, and 0.1 s a test added up to ~20 s of a run.
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._thread.join(timeout=2)
        self._sock.close()


def respond(
    status: int, body: bytes, content_type: str = "application/json", **headers: str
) -> Handler:
    """A handler that answers with `body` and keeps no connection open.

    Extra `headers` are sent as given, underscores in names becoming dashes
    (`content_encoding="gzip"`).
    """
    fields = {
        "content-type": content_type,
        "content-length": str(len(body)),
        "connection": "close",
        **{name.replace("_", "-"): value for name, value in headers.items()},
    }

    def handler(conn: socket.socket, _head_bytes: bytes) -> None:
        conn.sendall(_head(status, fields) + body)

    return handler


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def elapsed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run fn, return (seconds, result or raised exception)."""
    start = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        result = exc
    return time.perf_counter() - start, result


def script(server: Any, responses: list[Any]) -> None:
    """Make a pytest-httpserver answer every request with `responses` in
    order; the last one repeats."""
    import re

    queue = list(responses)

    def handler(_request: Any) -> Any:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    server.expect_request(re.compile(".*")).respond_with_handler(handler)


def reset(conn: socket.socket, _head: bytes) -> None:
    """Abort the connection with a TCP RST after reading the request."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def truncated(conn: socket.socket, _head: bytes) -> None:
    """Promise 1000 body bytes, send 10, close."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
        b'{"id": "o1'
    )


def stall(server_stop: threading.Event) -> Handler:
    """Read the request, then never answer (until the server stops)."""

    def handler(_conn: socket.socket, _head: bytes) -> None:
        server_stop.wait(5)

    return handler


@pytest.fixture(name="runner", params=["sync", "async"])
def runner_fixture(request: pytest.FixtureRequest) -> Runner:
    """The same test, once through SyncAPIClient and once through AsyncAPIClient."""
    return Runner(request.param)


@pytest.fixture(name="fault_server")
def fault_server_fixture() -> Iterator[Callable[[Handler], FaultServer]]:
    """Start FaultServers for a test; all are stopped at its end."""
    servers: list[FaultServer] = []

    def start(handler: Handler) -> FaultServer:
        server = FaultServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# -- hostile responses ----------------------------------------------------------
#
# Each is a Handler for FaultServer. They never hold more than a few MB: large
# bodies are streamed, bombs are ~1 MB, and every loop ends (after its byte
# budget, on `stop`, or when the client goes away).

_CHUNK = 1 << 20  # 1 MiB


def gzip_bomb(status: int = 200) -> Handler:
    """Single-layer gzip: ~1 MB on the wire, 1 GiB decoded."""
    return respond(status, bombs.gzip_bomb(), content_encoding="gzip")


def nested_gzip(status: int = 200, *, split: bool = False) -> Handler:
    """`Content-Encoding: gzip, gzip`: a few kB on the wire, 1 GiB after two layers.

    `split` sends the two codings as two header lines instead of one.
    """
    body = bombs.nested_gzip_bomb()
    if not split:
        return respond(status, body, content_encoding="gzip, gzip")
    head = _head(status, {"content-length": str(len(body)), "content-encoding": "gzip"})
    # A second header line: httpx joins repeated headers, so this is the same refusal.
    head = head.replace(b"\r\n\r\n", b"\r\ncontent-encoding: gzip\r\n\r\n", 1)

    def handler(conn: socket.socket, _head_bytes: bytes) -> None:
        conn.sendall(head + body)

    return handler


def deep_json(status: int = 200, depth: int = 100_000) -> Handler:
    """A JSON array nested `depth` levels (200 kB): deeper than any recursive parser's stack."""
    return respond(status, b"[" * depth + b"]" * depth)


def huge_body(status: int = 200, size: int = 200 * _CHUNK, *, declared: bool = False) -> Handler:
    """`size` bytes of a JSON string, streamed a MiB at a time (never built whole).

    Without `declared` there is no Content-Length (the body ends when the
    connection closes), so only counting can stop it.
    """
    fields = {"content-type": "application/json", "connection": "close"}
    if declared:
        fields["content-length"] = str(size)
    filler = b"a" * _CHUNK

    def handler(conn: socket.socket, _head_bytes: bytes) -> None:
        conn.sendall(_head(status, fields) + b'"')
        for _ in range(size // _CHUNK):
            conn.sendall(filler)

    return handler


class Drip:
    """A handler that sends one byte every `interval` seconds, `budget` bytes at most.

    `part="headers"`: the status line, then a header byte by byte.
    `part="body"`: complete headers, then a JSON string body byte by byte.
    Every read gets a byte long before a read timeout, so only a total
    deadline ends the wait. `hung_up` is set when the client goes away;
    `sent` then tells how long it stayed (a client without a working deadline
    stays for the whole budget, and the server ends it).
    """

    def __init__(
        self, stop: threading.Event, part: str, *, interval: float = 0.1, budget: int = 200
    ) -> None:
        self.stop = stop
        self.part = part
        self.interval = interval
        self.budget = budget
        self.sent = 0
        self.hung_up = threading.Event()

    def __call__(self, conn: socket.socket, _head_bytes: bytes) -> None:
        if self.part == "headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\nx-drip: ")
        else:
            length = str(self.budget + 2)
            conn.sendall(_head(200, {"content-type": "application/json", "content-length": length}))
            conn.sendall(b'"')
        try:
            while self.sent < self.budget and not self.stop.wait(self.interval):
                conn.sendall(b"a")
                self.sent += 1
        except OSError:
            self.hung_up.set()  # the client closed the connection: what a deadline does


# -- measuring a call in a child process -----------------------------------------

CHILD = Path(__file__).with_name("limits_child.py")


def run_child(
    kind: str, url: str, client: dict[str, Any], options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run one GET in a fresh interpreter (`limits_child.py`) and return its report.

    The report has the exception's class names (`mro`), its `message`, the
    call's `seconds`, and `maxrss_mib`: the child's peak resident memory
    (see tests/peak_rss.py).
    """
    command = [sys.executable, str(CHILD), kind, url, json.dumps(client), json.dumps(options or {})]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(CHILD.parent), str(CHILD.parents[1])])}
    run = measure(command, env=env)
    assert run["returncode"] == 0, run["stderr"][-3000:]
    report = dict(json.loads(run["stdout"].splitlines()[-1]))
    report["maxrss_mib"] = run["maxrss_mib"]
    return report
