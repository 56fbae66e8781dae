"""Every class of malformed input ends in one documented exception of ours, sync and async.

One table per source of input: what a server sends (status line, headers,
body, encoding, pace), what a caller configures, what a call passes. Each row
names the exact class expected; nothing may escape as a RecursionError,
MemoryError, ValueError, httpx or h11 error. Bombs and huge bodies, which
would cost memory if a regression let them through, run in a child process
(test_runtime_memory.py).
"""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Callable
from typing import Any

import pytest
from _norce_runtime.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InternalServerError,
    NorceError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ResponseTooLargeError,
)
from pydantic import BaseModel
from runtime_helpers import (  # noqa: F401 - fixtures
    API_KEY,
    Handler,
    Runner,
    fault_server_fixture,
    get_order,
    reset,
    respond,
    runner_fixture,
    truncated,
)


class Order(BaseModel):
    id: str
    total: int


def raw(data: bytes) -> Handler:
    """Send `data` as the whole response, whatever it is, then close."""

    def handler(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(data)

    return handler


def _status(line: bytes, body: bytes = b"{}", *headers: bytes) -> bytes:
    head = [line, b"content-type: application/json", b"content-length: %d" % len(body), *headers]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


DEPTH = 100_000

# (handler, response_type, client settings, expected class), one line each.
# fmt: off
SERVER_CASES: dict[str, tuple[Handler, Any, dict[str, Any], type[NorceError]]] = {
    # 2xx bodies
    "invalid-json": (respond(200, b'{"id": "o1", "total": '), Order, {}, APIResponseValidationError),
    "wrong-shape": (respond(200, b"[1, 2, 3]"), Order, {}, APIResponseValidationError),
    "empty-body": (respond(200, b""), Order, {}, APIResponseValidationError),
    "html": (respond(200, b"<html>login</html>", "text/html"), Order, {}, APIResponseValidationError),
    "invalid-utf8": (respond(200, b'{"id": "\xff\xfe", "total": 1}'), Order, {}, APIResponseValidationError),
    "nan": (respond(200, b'{"id": "o1", "total": NaN}'), Order, {}, APIResponseValidationError),
    "huge-integer": (respond(200, b'{"id": "o1", "total": 1' + b"0" * 5000 + b"}"), Order, {}, APIResponseValidationError),
    "deep-json-model": (respond(200, b"[" * DEPTH + b"]" * DEPTH), Order, {}, APIResponseValidationError),
    "deep-json-any": (respond(200, b"[" * DEPTH + b"]" * DEPTH), Any, {}, APIResponseValidationError),
    "deep-object": (respond(200, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH), dict[str, Any], {}, APIResponseValidationError),
    "over-size-limit": (respond(200, b'"' + b"a" * 5000 + b'"'), str, {"max_response_size": 4096}, ResponseTooLargeError),
    # transport and framing
    "truncated": (truncated, Order, {}, APIConnectionError),
    "reset": (reset, Order, {}, APIConnectionError),
    "closed-silently": (raw(b""), Order, {}, APIConnectionError),
    "not-http": (raw(b"SSH-2.0-OpenSSH_9.6\r\n"), Order, {}, APIConnectionError),
    "bad-status-code": (raw(_status(b"HTTP/1.1 abc Nope")), Order, {}, APIConnectionError),
    "four-digit-status": (raw(_status(b"HTTP/1.1 2000 OK")), Order, {}, APIConnectionError),
    "header-without-colon": (raw(_status(b"HTTP/1.1 200 OK", b"{}", b"no colon here")), Order, {}, APIConnectionError),
    "header-with-nul": (raw(_status(b"HTTP/1.1 200 OK", b"{}", b"x-bad: a\x00b")), Order, {}, APIConnectionError),
    "headers-over-100k": (raw(_status(b"HTTP/1.1 200 OK", b"{}", b"x-big: " + b"a" * 200_000)), Order, {}, APIConnectionError),
    "two-content-lengths": (raw(_status(b"HTTP/1.1 200 OK", b"{}", b"content-length: 5")), Order, {}, APIConnectionError),
    "negative-content-length": (raw(b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n{}"), Order, {}, APIConnectionError),
    "bad-chunking": (raw(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), Order, {}, APIConnectionError),
    # content encodings
    "corrupt-gzip": (respond(200, b"plainly not gzip", content_encoding="gzip"), Order, {}, APIConnectionError),
    "nested-gzip": (respond(200, gzip.compress(gzip.compress(b"{}", mtime=0), mtime=0), content_encoding="gzip, gzip"), Any, {}, APIConnectionError),
    "unsupported-encoding": (respond(200, b"\x8b\x00\x80{}\x03", content_encoding="br"), Any, {}, APIConnectionError),
    # non-2xx
    "404-deep-json": (respond(404, b"[" * DEPTH + b"]" * DEPTH), Order, {}, NotFoundError),
    "404-deep-object": (respond(404, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH), Order, {}, NotFoundError),
    "400-invalid-json": (respond(400, b'{"code": '), Order, {}, BadRequestError),
    "400-huge-integer": (respond(400, b'{"code": 1' + b"0" * 5000 + b"}"), Order, {}, BadRequestError),
    "401-odd-types": (respond(401, b'{"code": [], "message": {"a": 1}, "traceId": 7}'), Order, {}, AuthenticationError),
    "429-garbage-retry-after": (respond(429, b"{}", retry_after="soon"), Order, {"max_retries": 0}, RateLimitError),
    "500-html": (respond(500, b"<html>oops</html>", "text/html"), Order, {"max_retries": 0}, InternalServerError),
    "503-retry-after-a-year": (respond(503, b"{}", retry_after="31536000"), Order, {}, InternalServerError),
    "500-nested-gzip": (respond(500, gzip.compress(gzip.compress(b"{}", mtime=0), mtime=0), content_encoding="gzip, gzip"), Order, {"max_retries": 0}, InternalServerError),
    "500-corrupt-gzip": (respond(500, b"plainly not gzip", content_encoding="gzip"), Order, {"max_retries": 0}, InternalServerError),
    "302-redirect": (respond(302, b"", location="https://elsewhere.example/"), Order, {}, APIStatusError),
    "status-999": (raw(_status(b"HTTP/1.1 999 Odd")), Order, {"max_retries": 0}, InternalServerError),
    "101-unasked": (raw(_status(b"HTTP/1.1 101 Switching Protocols", b"", b"upgrade: h2c")), Order, {}, APIConnectionError),
    "only-100-continue": (raw(b"HTTP/1.1 100 Continue\r\n\r\n"), Order, {}, APIConnectionError),
    "bogus-charset": (respond(200, b'{"id": ', "application/json; charset=no-such-codec"), Order, {}, APIResponseValidationError),
    "http-0.9": (raw(b'{"id": "o1", "total": 1}'), Order, {}, APIConnectionError),
}
# fmt: on


@pytest.mark.parametrize("case", list(SERVER_CASES))
def test_server_input_raises_one_of_ours(runner: Runner, fault_server, case: str) -> None:
    handler, response_type, settings, expected = SERVER_CASES[case]
    server = fault_server(handler)

    with pytest.raises(NorceError) as caught:
        runner.send(server.url, get_order(response_type=response_type), **settings)

    assert type(caught.value) is expected, repr(caught.value)
    assert API_KEY not in str(caught.value)


# Client settings: (overrides of the DemoClient arguments, text in the message)
CONFIG_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "relative-base-url": ({"base_url": "/api"}, "absolute http(s) URL"),
    "ftp-base-url": ({"base_url": "ftp://x.example"}, "absolute http(s) URL"),
    "unparsable-base-url": ({"base_url": "http://[::1"}, "base_url"),
    "base-url-with-password": ({"base_url": "https://u:p@x.example"}, "user name or password"),
    "empty-api-key": ({"api_key": ""}, "api_key"),
    "negative-retries": ({"max_retries": -1}, "max_retries"),
    "zero-deadline": ({"deadline": 0}, "deadline"),
    "infinite-deadline": ({"deadline": float("inf")}, "deadline"),
    "zero-size-limit": ({"max_response_size": 0}, "max_response_size"),
    "header-with-newline": ({"default_headers": {"x-merchant": "a\r\nx-evil: 1"}}, "x-merchant"),
    "unknown-hook": ({"event_hooks": {"request_sent": []}}, "event_hooks"),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_bad_settings_raise_configuration_error(runner: Runner, case: str) -> None:
    overrides, text = CONFIG_CASES[case]
    settings = {"base_url": "https://x.example", **overrides}

    with pytest.raises(ConfigurationError) as caught:
        runner.make(**settings)

    assert isinstance(caught.value, ValueError)  # `except ValueError` keeps working
    assert text in str(caught.value)


# Per-call input: (request changes, options, expected class)
CALL_CASES: dict[str, tuple[Callable[[], Any], Any]] = {
    "dot-dot-path": (lambda: get_order(".."), None),
    "empty-path-param": (lambda: get_order(""), None),
    "crlf-in-extra-header": (lambda: get_order(), {"extra_headers": {"x-a": "1\r\nx-b: 2"}}),
    "negative-deadline": (lambda: get_order(), {"deadline": -1}),
    "negative-retries": (lambda: get_order(), {"max_retries": -1}),
}


@pytest.mark.parametrize("case", list(CALL_CASES))
def test_bad_call_input_raises_request_validation_error(
    runner: Runner, fault_server, case: str
) -> None:
    make_request, options = CALL_CASES[case]
    server = fault_server(respond(200, b"{}"))

    with pytest.raises(RequestValidationError):
        runner.send(server.url, make_request(), options)

    assert server.requests == []  # refused before anything was sent


def test_api_key_echoed_in_body_is_not_in_the_error(runner: Runner, fault_server) -> None:
    body = json.dumps({"code": f"bad-{API_KEY}", "message": f"key {API_KEY} unknown"}).encode()
    server = fault_server(respond(401, body, x_request_id=API_KEY))

    with pytest.raises(AuthenticationError) as caught:
        runner.send(server.url, get_order())

    error = caught.value
    for text in (str(error), repr(error), error.message, error.request_id or ""):
        assert API_KEY not in text
    assert error.request_id == "[redacted]"
