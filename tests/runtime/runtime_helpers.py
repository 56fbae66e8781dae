"""Shared helpers and fixtures for the runtime tests.

There is deliberately no conftest.py here: tests/conftest.py is imported by
name (`from conftest import ...`) elsewhere, and a second module called
conftest would shadow it. Test modules import the fixtures below instead.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _norce_runtime._base_client import AsyncAPIClient, SyncAPIClient
from _norce_runtime._request import Request
from _norce_runtime._retry import RetryPolicy
from _norce_runtime._types import NOT_GIVEN

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
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
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
        self._thread.join(timeout=2)
        self._sock.close()


def respond(status: int, body: bytes, content_type: str = "application/json") -> Handler:
    """A handler that answers normally (and keeps no connection open)."""

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            f"HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode() + body
        )

    return handler


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
