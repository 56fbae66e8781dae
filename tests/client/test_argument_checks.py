"""Strict writer for everything but the body: path, query and header values, per-call options and
client settings are checked before anything leaves; every refusal is a NorceError naming the
argument (in Python and wire spelling where they differ)."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import httpx
import pytest
from norce_checkout_order import (
    AsyncOrderClient,
    ClientClosedError,
    ConfigurationError,
    NorceError,
    OrderClient,
    RequestValidationError,
    models,
)
from support import API_KEY

ORDERS = "/checkout/order/api/v0/checkout/orders"
ENUM = "not one of 'created', 'billingEmail', 'billingName', 'cartTotal'"


def _refused(httpserver: Any, call: Any) -> str:
    with pytest.raises(RequestValidationError) as caught:
        call()
    assert httpserver.log == []  # refused before anything was sent
    assert isinstance(caught.value, NorceError)
    return str(caught.value)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"order_by": "bogus"}, f"order_by (query order_by): {ENUM}"),
        ({"order_by": models.OrderListOrderBy("bogus")}, f"order_by (query order_by): {ENUM}"),
        ({"status": ["bogus"]}, "status[0] (query status): not one of 'checkout', "),
        ({"status": "checkout"}, "status (query status): expected a list, got str"),
        ({"limit": "ten"}, "limit (query limit): expected an int, got str"),
        ({"limit": 2.5}, "limit (query limit): expected an int, got float"),
        ({"limit": True}, "limit (query limit): expected an int, got bool"),
        (
            {"date_from": "yesterday"},
            "date_from (query date_from): expected a datetime or an ISO 8601 date-time string",
        ),
        ({"date_to": 20240101}, "date_to (query date_to): expected a datetime or an ISO 8601"),
        ({"countries": ["SE", 46]}, "countries[1] (query countries): expected a str, got int"),
        ({"merchant": ""}, "merchant (header x-merchant): must not be empty"),
        ({"channel": 1}, "channel (header x-channel): expected a str, got int"),
        # None would send the call without a header the operation requires.
        ({"channel": None}, "channel (header x-channel): required by this operation; None would"),
    ],
)
def test_a_bad_parameter_value_is_refused_before_sending(
    client: Any, httpserver: Any, arguments: dict[str, Any], problem: str
) -> None:
    message = _refused(httpserver, lambda: client.get_checkout_orders(**arguments))
    assert message.startswith(f"Invalid request for GetCheckoutOrders: {problem}"), message


def test_every_bad_value_is_named_at_once(client: Any, httpserver: Any) -> None:
    message = _refused(
        httpserver, lambda: client.get_checkout_orders(limit="ten", offset=-0.5, order_by="x")
    )
    assert "offset (query offset)" in message and "limit (query limit)" in message
    assert "order_by (query order_by)" in message


def test_a_path_value_of_the_wrong_type_is_refused(client: Any, httpserver: Any) -> None:
    message = _refused(httpserver, lambda: client.get_checkout_order(12345))
    assert message.endswith("order_id (path order_id): expected a str, got int")


@pytest.mark.parametrize(
    "arguments",
    [
        {"order_by": "created", "order_by_direction": models.OrderListOrderByDirection.desc},
        {"status": [models.OrderStatus.checkout, "removed"], "limit": 5, "offset": 0},
        {"date_from": datetime.datetime(2026, 1, 12, 8, 21, tzinfo=datetime.UTC)},
        {"date_from": "2026-01-12T08:21:29Z", "date_to": "2026-01-12"},
        {
            "countries": ["SE"],
            "merchant": "other",
            "adapter_id": None,
        },  # None omits an optional one
    ],
)
def test_good_values_are_sent(client: Any, httpserver: Any, arguments: dict[str, Any]) -> None:
    httpserver.expect_request(ORDERS).respond_with_json({"items": []})
    client.get_checkout_orders(**arguments)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"timeout": "soon"}, "options: timeout must be a positive number of seconds"),
        ({"timeout": -5}, "options: timeout must be a positive number of seconds"),
        ({"timeout": httpx.Timeout(5, read=-1)}, "options: timeout must be a positive number"),
        ([1], "options: expected a dict (RequestOptions), got list"),
        ({"timout": 3}, "options: unknown option 'timout'; did you mean 'timeout'?"),
        ({"zzz": 3}, "options: unknown option 'zzz' (known: timeout, max_retries, "),
        ({"max_retries": True}, "options: max_retries must be an integer >= 0, got True"),
        ({"deadline": float("nan")}, "options: deadline must be a positive number of seconds"),
        ({"retry_non_idempotent": "yes"}, "options: retry_non_idempotent must be True or False"),
        ({"extra_headers": ["x"]}, "options: extra_headers must be a dict of header names"),
        ({"extra_headers": {"bad name": "v"}}, "options: extra_headers: 'bad name' is not a"),
        ({"extra_headers": {"x-a": 5}}, "options: extra_headers['x-a'] must be a str"),
    ],
)
def test_bad_options_are_refused_before_sending(
    client: Any, httpserver: Any, options: Any, problem: str
) -> None:
    message = _refused(httpserver, lambda: client.get_checkout_order("o-1", options=options))
    assert f"Invalid request for GetCheckoutOrder: {problem}" in message, message


def _settings(httpserver: Any, **changes: Any) -> dict[str, Any]:
    return {
        "api_key": API_KEY,
        "merchant": "norce",
        "channel": "1",
        "base_url": httpserver.url_for("/checkout/order/"),
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"timeout": "x"}, "timeout must be a positive number of seconds"),
        ({"timeout": -1}, "timeout must be a positive number of seconds"),
        ({"timeout": float("inf")}, "timeout must be a positive number of seconds"),
        ({"merchant": ""}, "merchant must be a non-empty string"),
        ({"channel": "  "}, "channel must be a non-empty string"),
        ({"max_retries": True}, "max_retries must be an integer >= 0, got True"),
        ({"strict_responses": "yes"}, "strict_responses must be True or False"),
        ({"event_hooks": [print]}, "event_hooks must be a dict like"),
        ({"event_hooks": {"request": print}}, "event_hooks['request'] is not a list of functions"),
        ({"http_client": httpx.AsyncClient()}, "http_client must be an httpx.Client, got AsyncClient"),
    ],
)  # fmt: skip
def test_unusable_client_settings_fail_at_construction(
    httpserver: Any, changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ConfigurationError, match=problem.replace("[", r"\[").replace("(", r"\(")):
        OrderClient(**_settings(httpserver, **changes))


def test_a_call_on_a_closed_client_is_a_norce_error(httpserver: Any) -> None:
    with OrderClient(**_settings(httpserver)) as client:
        pass
    with pytest.raises(ClientClosedError, match="OrderClient is closed") as caught:
        client.get_checkout_order("o-1")
    assert isinstance(caught.value, NorceError) and isinstance(caught.value, RuntimeError)
    own = httpx.Client()
    shared = OrderClient(**_settings(httpserver, http_client=own))
    own.close()  # the caller's client, closed under us
    with pytest.raises(ClientClosedError):
        shared.get_checkout_order("o-1")
    assert httpserver.log == []


def test_a_call_on_a_closed_async_client_is_a_norce_error(httpserver: Any) -> None:
    async def run() -> None:
        async with AsyncOrderClient(**_settings(httpserver)) as client:
            pass
        with pytest.raises(ClientClosedError, match="AsyncOrderClient is closed"):
            await client.get_checkout_order("o-1")
        with pytest.raises(RequestValidationError, match="limit \\(query limit\\)"):
            await AsyncOrderClient(**_settings(httpserver)).get_checkout_orders(limit="ten")

    asyncio.run(run())
    assert httpserver.log == []
