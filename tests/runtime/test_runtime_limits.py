"""Bounded reading on loopback, sync and async: encodings, size limits, the call deadline.

Bombs, huge bodies and dripping servers run in a child process (see
test_runtime_memory.py), where peak memory can be measured and a hang is cut
off by a timeout; what is cheap to get wrong stays here.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from _norce_runtime._base_client import AsyncAPIClient
from _norce_runtime.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RequestValidationError,
    ResponseTooLargeError,
)
from runtime_helpers import (  # noqa: F401 - fixtures
    Drip,
    Runner,
    fault_server_fixture,
    get_order,
    respond,
    runner_fixture,
)

ORDER = {"id": "o1", "lines": [{"sku": "A1", "quantity": 2}]}
PLAIN = json.dumps(ORDER).encode()


# gzip.compress stamps the current time into its header: with mtime=0 the bodies, and the test ids
# built from them, are the same in every pytest-xdist worker (different ids abort the run).
GZIPPED = gzip.compress(PLAIN, mtime=0)


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        pytest.param("gzip", GZIPPED, id="gzip"),
        pytest.param("x-gzip", GZIPPED, id="x-gzip"),
        pytest.param("GZIP", GZIPPED, id="GZIP"),
        pytest.param("deflate", zlib.compress(PLAIN), id="deflate"),
        # "deflate" sent without its zlib wrapper, as some servers do.
        pytest.param("deflate", zlib.compress(PLAIN)[2:-4], id="raw-deflate"),
        pytest.param("identity", PLAIN, id="identity"),
        pytest.param("gzip, identity", GZIPPED, id="gzip-identity"),
        # Not a coding at all; ignored, as httpx ignores it.
        pytest.param("utf-8", PLAIN, id="utf-8"),
    ],
)
def test_supported_encodings_decode(
    runner: Runner, fault_server, encoding: str, body: bytes
) -> None:
    server = fault_server(respond(200, body, content_encoding=encoding))

    assert runner.send(server.url, get_order(response_type=dict[str, Any])) == ORDER


def test_only_decodable_encodings_are_asked_for(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, PLAIN))

    runner.send(server.url, get_order())

    assert b"\r\naccept-encoding: gzip, deflate\r\n" in server.requests[0].lower()


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
def test_unsupported_encoding_is_refused(runner: Runner, fault_server, encoding: str) -> None:
    server = fault_server(respond(200, b"\x00\x01garbage", content_encoding=encoding))

    with pytest.raises(APIConnectionError) as caught:
        runner.send(server.url, get_order(response_type=dict[str, Any]))

    assert "Content-Encoding" in str(caught.value)


def test_corrupt_gzip_is_a_connection_error(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b"plainly not gzip", content_encoding="gzip"))

    with pytest.raises(APIConnectionError) as caught:
        runner.send(server.url, get_order(response_type=dict[str, Any]))

    assert "DecodingError" in str(caught.value)


def test_declared_length_over_the_limit_is_refused_unread(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b'"' + b"a" * 2000 + b'"'))

    with pytest.raises(ResponseTooLargeError) as caught:
        runner.send(server.url, get_order(response_type=str), max_response_size=1000)

    error = caught.value
    assert (error.limit, error.status_code) == (1000, 200)
    assert "1000 byte limit" in str(error)
    assert not isinstance(error, APIConnectionError)


def test_gzip_body_over_the_limit_is_counted_decoded(runner: Runner, fault_server) -> None:
    # 20 kB decoded, 100 bytes on the wire: the wire length says nothing.
    body = gzip.compress(b'"' + b"a" * 20_000 + b'"', mtime=0)
    server = fault_server(respond(200, body, content_encoding="gzip"))

    with pytest.raises(ResponseTooLargeError):
        runner.send(server.url, get_order(response_type=str), max_response_size=10_000)


def test_body_at_the_limit_is_accepted(runner: Runner, fault_server) -> None:
    body = b'"' + b"a" * 998 + b'"'
    server = fault_server(respond(200, gzip.compress(body, mtime=0), content_encoding="gzip"))

    result = runner.send(server.url, get_order(response_type=str), max_response_size=1000)

    assert result == "a" * 998


def test_per_call_limit_overrides_the_client(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b'"' + b"a" * 2000 + b'"'))

    result = runner.send(
        server.url, get_order(response_type=str), {"max_response_size": 5000}, max_response_size=10
    )

    assert result == "a" * 2000


def test_a_large_error_body_is_cut_not_raised(runner: Runner, fault_server) -> None:
    # 2 MiB of error page: the status error still comes, with the first MiB kept.
    body = b"<html>" + b"x" * (2 << 20)
    server = fault_server(respond(503, body, "text/html"))

    with pytest.raises(InternalServerError) as caught:
        runner.send(server.url, get_order(), max_retries=0)

    assert len(caught.value.response.content) == 1 << 20


def test_deep_json_error_body_gives_the_status_error(runner: Runner, fault_server) -> None:
    depth = 100_000
    server = fault_server(respond(404, b"[" * depth + b"]" * depth))

    with pytest.raises(NotFoundError) as caught:
        runner.send(server.url, get_order())

    assert caught.value.body is None


def _stall_after_first(conn: socket.socket, _head: bytes) -> None:
    """Answer 503 with Retry-After: 5; never a second time (the retry must not be waited for)."""
    conn.sendall(
        b"HTTP/1.1 503 X\r\nretry-after: 5\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )


def test_a_retry_that_cannot_start_before_the_deadline_is_not_waited_for(
    runner: Runner, fault_server
) -> None:
    server = fault_server(_stall_after_first)

    with pytest.raises(InternalServerError):
        runner.send(server.url, get_order(), deadline=2.0, max_retries=2)

    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "options",
    [{"deadline": 0}, {"deadline": -1.0}, {"deadline": float("nan")}, {"max_response_size": 0}],
)
def test_bad_per_call_limits_are_refused_before_sending(
    runner: Runner, fault_server, options: dict[str, Any]
) -> None:
    server = fault_server(respond(200, PLAIN))

    with pytest.raises(RequestValidationError) as caught:
        runner.send(server.url, get_order(), options)

    assert "options:" in str(caught.value)
    assert server.requests == []


def test_deadline_error_says_which_limit(runner: Runner, fault_server) -> None:
    server = fault_server(lambda conn, head: None)
    server.handler = lambda conn, head: server.stop.wait(5)

    with pytest.raises(APITimeoutError) as caught:
        runner.send(server.url, get_order(), deadline=0.5, timeout=30, max_retries=0)

    assert caught.value.deadline == 0.5
    assert "Deadline of 0.5 s exceeded" in str(caught.value)


# -- the deadline against servers that drip ----------------------------------------
#
# A dripping server sends a byte every 0.1 s for at most 20 s. The assertions are
# that the call ends in APITimeoutError for its deadline and that the client hung up
# while the server still had bytes to send; no wall clock is compared.


def _hung_up_early(drip: Drip) -> bool:
    # The server notices a closed connection on its next write or the one after;
    # 15 s only bounds the wait (the budget ends at 20 s, with `sent == budget`).
    return drip.hung_up.wait(15) and drip.sent < drip.budget


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_dripping_server_cannot_outlast_the_deadline(
    runner: Runner, fault_server, part: str
) -> None:
    server = fault_server(respond(200, PLAIN))
    server.handler = drip = Drip(server.stop, part)

    with pytest.raises(APITimeoutError) as caught:
        # Per-read timeout 30 s: each byte arrives long before it.
        runner.send(server.url, get_order(response_type=str), deadline=1.0, timeout=30.0)

    assert caught.value.deadline == 1.0
    assert _hung_up_early(drip)


def test_per_call_deadline_overrides_the_client(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, PLAIN))
    server.handler = drip = Drip(server.stop, "body")

    with pytest.raises(APITimeoutError) as caught:
        runner.send(server.url, get_order(), {"deadline": 0.5}, deadline=None)

    assert caught.value.deadline == 0.5
    assert _hung_up_early(drip)


def _answer_then(drip: Drip) -> Callable[[socket.socket, bytes], None]:
    """Answer the first request and keep the connection; drip the answer to the next one."""

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
        )
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        drip(conn, data)

    return handler


def test_the_deadline_holds_on_a_kept_alive_connection(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, PLAIN))
    drip = Drip(server.stop, "headers")
    server.handler = _answer_then(drip)
    client = runner.make(server.url, max_retries=0)

    def both() -> Any:
        if isinstance(client, AsyncAPIClient):

            async def go() -> Any:
                async with client:
                    await client._send(get_order())
                    return await client._send(get_order(), {"deadline": 0.5})

            return asyncio.run(go())
        with client:
            client._send(get_order())
            return client._send(get_order(), {"deadline": 0.5})

    with pytest.raises(APITimeoutError) as caught:
        both()

    assert caught.value.deadline == 0.5
    assert _hung_up_early(drip)
    assert server.connections == 1  # the second call did reuse the first one's connection


@pytest.mark.parametrize("hook", ["read", "iterate"])
def test_a_response_hook_that_consumed_the_body_is_tolerated(
    runner: Runner, fault_server, hook: str
) -> None:
    """A logging hook may read the streamed body before we do; the call still ends normally."""
    server = fault_server(respond(200, PLAIN))

    def sync_hook(response: httpx.Response) -> None:
        if hook == "read":
            response.read()
        else:
            for _ in response.iter_raw():
                pass

    async def async_hook(response: httpx.Response) -> None:
        if hook == "read":
            await response.aread()
        else:
            async for _ in response.aiter_raw():
                pass

    hooks = {"response": [sync_hook if runner.kind == "sync" else async_hook]}
    request = get_order(response_type=dict[str, Any] if hook == "read" else None)

    result = runner.send(server.url, request, event_hooks=hooks)

    assert result == (ORDER if hook == "read" else None)


def test_the_deadline_shortens_waits_on_a_connection_it_did_not_open(
    runner: Runner, fault_server
) -> None:
    """A caller's client, its connection opened by the caller's own request (no guard on it):
    the read timeout is 30 s, the deadline 0.5 s, and the server says nothing."""
    hung_up = threading.Event()

    def answer_then_stall(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
        conn.settimeout(20)  # a client that waits out its 30 s read timeout is not seen leaving
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        if conn.recv(1) == b"":
            hung_up.set()

    server = fault_server(answer_then_stall)

    def both(http_client: Any) -> Any:
        client = runner.make(server.url, http_client=http_client, timeout=30.0, max_retries=0)
        return client._send(get_order(), {"deadline": 0.5})

    with pytest.raises(APITimeoutError) as caught:
        if runner.kind == "sync":
            with httpx.Client() as http_client:
                http_client.get(server.url + "/warm-up")
                both(http_client)
        else:

            async def go() -> Any:
                async with httpx.AsyncClient() as http_client:
                    await http_client.get(server.url + "/warm-up")
                    return await both(http_client)

            asyncio.run(go())

    assert caught.value.deadline == 0.5
    assert hung_up.wait(15)
    assert server.connections == 1
