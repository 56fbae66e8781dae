"""Client configuration, secrets, logging and hooks."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from _norce_runtime._base_client import AsyncAPIClient, SyncAPIClient
from _norce_runtime.errors import AuthenticationError, NorceError
from runtime_helpers import (
    API_KEY,
    AsyncDemoClient,
    DemoClient,
    Runner,
    fault_server_fixture,  # noqa: F401 - fixtures
    get_order,
    runner_fixture,  # noqa: F401 - fixtures
    script,
)
from werkzeug import Response


def test_api_key_is_sent_raw(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response("{}", 200)])

    runner.send(httpserver_ipv4.url_for(""), get_order())

    headers = httpserver_ipv4.log[0][0].headers
    assert headers["Authorization"] == API_KEY
    assert (headers["x-merchant"], headers["x-channel"]) == ("norce", "1")


def test_api_key_never_shows(runner: Runner, httpserver_ipv4, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f'{{"code": "unauthorized", "message": "bad key {API_KEY}"}}'
    script(httpserver_ipv4, [Response("{}", 503), Response(echo, 401)])
    client = runner.make(httpserver_ipv4.url_for(""))

    with pytest.raises(AuthenticationError) as caught:
        runner.send(httpserver_ipv4.url_for(""), get_order())

    error = caught.value
    assert error.code == "unauthorized"
    for text in (repr(client), str(error), repr(error), error.message, caplog.text):
        assert API_KEY not in text
    assert "[redacted]" in caplog.text  # the Authorization header was logged, masked
    assert "retrying GET" in caplog.text
    assert "-> 401" in caplog.text


def test_repr_shows_base_url_only() -> None:
    client = DemoClient(
        base_url="https://shop.example/checkout/order/", api_key=API_KEY, default_headers={}
    )

    assert repr(client) == "DemoClient(base_url='https://shop.example/checkout/order')"
    client.close()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "shop.example"},
        {"base_url": "ftp://shop.example"},
        {"base_url": "https://user:pw@shop.example"},
        {"api_key": ""},
        {"max_retries": -1},
        {"event_hooks": {"requests": []}},
    ],
)
def test_bad_configuration(kwargs: dict[str, Any]) -> None:
    settings: dict[str, Any] = {
        "base_url": "https://x.example",
        "api_key": "k",
        "default_headers": {},
    }
    with pytest.raises(ValueError):
        DemoClient(**{**settings, **kwargs})


def test_own_http_client_is_not_closed_and_gets_hooks(httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response("{}", 200)])
    seen: list[int] = []

    def add_header(request: httpx.Request) -> None:
        request.headers["x-hooked"] = "yes"

    with httpx.Client(headers={"x-from-caller": "1", "x-channel": "caller"}) as http_client:
        with DemoClient(
            base_url=httpserver_ipv4.url_for(""),
            api_key=API_KEY,
            default_headers={"x-channel": None},
            http_client=http_client,
            event_hooks={
                "request": [add_header],
                "response": [lambda r: seen.append(r.status_code)],
            },
        ) as client:
            client._send(get_order())
        assert not http_client.is_closed

    headers = httpserver_ipv4.log[0][0].headers
    assert (headers["x-hooked"], headers["x-from-caller"]) == ("yes", "1")
    assert "x-channel" not in headers  # None drops even the caller's client default
    assert seen == [200]


def test_async_hooks_and_own_client(httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response("{}", 200)])

    async def add_header(request: httpx.Request) -> None:
        request.headers["x-hooked"] = "async"

    async def go() -> bool:
        async with httpx.AsyncClient() as http_client:
            async with AsyncDemoClient(
                base_url=httpserver_ipv4.url_for(""),
                api_key=API_KEY,
                default_headers={},
                http_client=http_client,
                event_hooks={"request": [add_header]},
            ) as client:
                await client._send(get_order())
            return http_client.is_closed

    assert asyncio.run(go()) is False
    assert httpserver_ipv4.log[0][0].headers["x-hooked"] == "async"


def test_owned_clients_close() -> None:
    sync_client = DemoClient(base_url="https://x.example", api_key="k", default_headers={})
    sync_client.close()
    assert sync_client._client.is_closed

    async def go() -> bool:
        async with AsyncDemoClient(
            base_url="https://x.example", api_key="k", default_headers={}
        ) as c:
            pass
        return c._client.is_closed

    assert asyncio.run(go())


def test_default_timeout_is_finite() -> None:
    client = DemoClient(base_url="https://x.example", api_key="k", default_headers={})
    timeout = client._client.timeout
    assert timeout.connect == 5.0 and timeout.read == 30.0
    client.close()


def test_twins_have_the_same_surface() -> None:
    def public(cls: type) -> set[str]:
        names = {n for n in dir(cls) if not n.startswith("__")}
        return {n.replace("aclose", "close") for n in names}

    assert public(SyncAPIClient) == public(AsyncAPIClient)


def test_errors_share_a_base() -> None:
    import _norce_runtime.errors as errors

    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, NorceError)
            assert obj.__doc__


def _echo(status: int) -> Callable[[socket.socket, bytes], None]:
    """Answer with the request's credential copied into every place a server controls."""

    def handler(conn: socket.socket, head: bytes) -> None:
        secret = b""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() in (b"authorization", b"x-norce-key"):
                # Only the token, as a server that strips the scheme would echo it.
                secret = value.strip().rpartition(b" ")[2]
        body = b'{"code": "c-%s", "message": "bad key %s"}' % (secret, secret)
        conn.sendall(
            b"HTTP/1.1 %d key %s\r\ncontent-type: application/json\r\nx-request-id: %s\r\n"
            b"x-debug-auth: Bearer %s\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % (status, secret, secret, secret, len(body))
            + body
        )

    return handler


@pytest.mark.parametrize("auth_header", ["Authorization", "X-Norce-Key"])
@pytest.mark.parametrize("scheme", ["", "Bearer "])
@pytest.mark.parametrize("status", [200, 401])
def test_an_echoed_api_key_stays_out_of_errors_and_debug_logs(
    runner: Runner, fault_server, caplog, auth_header: str, scheme: str, status: int
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's and httpcore's
    server = fault_server(_echo(status))

    try:
        runner.send(server.url, get_order(), auth_header=auth_header, api_key=scheme + API_KEY)
    except NorceError as exc:
        texts = [str(exc), repr(exc), getattr(exc, "request_id", "") or ""]
    else:
        texts = []

    assert (status == 401) == bool(texts)
    assert "x-request-id" in caplog.text  # the response headers were logged...
    for text in [caplog.text, *texts]:
        assert API_KEY not in text  # ...without the echo
    assert "[redacted]" in caplog.text
