"""Client settings from arguments or the environment, the Authorization value, and the
with_raw_response wrappers."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from _norce_runtime._config import authorization, required_setting, setting
from _norce_runtime._response import RawResponse, to_async_raw_response, to_raw_response
from runtime_helpers import AsyncDemoClient, DemoClient, get_order, script
from werkzeug import Response


@pytest.mark.parametrize(
    ("api_key", "scheme", "sent"),
    [
        ("t0k", "Bearer", "Bearer t0k"),
        ("Bearer t0k", "Bearer", "Bearer t0k"),
        ("bearer t0k", "Bearer", "bearer t0k"),
        ("Basic dXNlcjpwdw==", "Bearer", "Basic dXNlcjpwdw=="),
        (
            "a3bcdABCaB12abc3AbCDAB5AbcABCaBcABC5ab3c5A0=",
            "Bearer",
            "Bearer a3bcdABCaB12abc3AbCDAB5AbcABCaBcABC5ab3c5A0=",
        ),
        ("t0k", "", "t0k"),
    ],
)
def test_authorization_adds_the_scheme_once(api_key: str, scheme: str, sent: str) -> None:
    assert authorization(api_key, scheme) == sent


def test_an_argument_wins_over_its_variable(monkeypatch) -> None:
    monkeypatch.setenv("NORCE_TEST_MERCHANT", "from-env")

    assert setting("explicit", "NORCE_TEST_MERCHANT") == "explicit"
    assert setting(None, "NORCE_TEST_MERCHANT") == "from-env"


def test_an_empty_variable_counts_as_unset(monkeypatch) -> None:
    monkeypatch.setenv("NORCE_TEST_MERCHANT", "")

    assert setting(None, "NORCE_TEST_MERCHANT") is None
    with pytest.raises(
        ValueError, match=r"merchant is required: pass merchant=\.\.\. or set NORCE_TEST_MERCHANT"
    ):
        required_setting(None, "merchant", "NORCE_TEST_MERCHANT")


def _method(client: Any, order_id: str, *, verbose: bool = False) -> str:
    """Fetch an order."""
    return order_id


def test_the_raw_wrapper_keeps_the_signature_and_docstring() -> None:
    wrapped = to_raw_response(_method)

    assert inspect.signature(wrapped) == inspect.signature(_method)
    assert wrapped.__doc__ == "Fetch an order."


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_wrapped_call_returns_the_raw_response(kind: str, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response('{"id": "o1"}', 200, mimetype="application/json")])
    kwargs = {"base_url": httpserver_ipv4.url_for("/"), "api_key": "k", "default_headers": {}}
    request = get_order(response_type=dict[str, str])

    if kind == "sync":
        with DemoClient(**kwargs) as client:
            raw = to_raw_response(client._send)(request)
            parsed = client._send(request)
    else:

        async def go() -> tuple[Any, Any]:
            async with AsyncDemoClient(**kwargs) as client:
                return await to_async_raw_response(client._send)(request), await client._send(
                    request
                )

        raw, parsed = asyncio.run(go())

    assert isinstance(raw, RawResponse) and raw.status_code == 200
    assert raw.parse() == parsed == {"id": "o1"}  # the flag does not outlive the wrapped call


def test_a_call_made_inside_a_wrapped_call_parses_as_usual(httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response('{"id": "o1"}', 200, mimetype="application/json")])
    inner: list[Any] = []
    request = get_order(response_type=dict[str, str])

    with DemoClient(
        base_url=httpserver_ipv4.url_for("/"), api_key="k", default_headers={}
    ) as client:

        def hook(_request: Any) -> None:
            if not inner:
                inner.append(None)
                inner[0] = client._send(request)  # e.g. an event hook calling the API

        client._client.event_hooks["request"].append(hook)
        raw = to_raw_response(client._send)(request)

    assert isinstance(raw, RawResponse)
    assert inner == [{"id": "o1"}]
