"""A GET order whose body breaks the spec's rules still reads: the value is kept, a warning is
logged; a strict_responses client raises (issue 16, "One off-spec value")."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from norce_checkout_order import APIResponseValidationError, OrderClient, models
from norce_checkout_order import _response as response_module
from support import API_KEY

ORDER_PATH = "/checkout/order/api/v0/checkout/orders/o-1"


def _order(**changes: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "id": "o-1",
        "merchant": "norce",
        "channel": "1",
        "country": "SE",
        "customer": {
            "type": "person",
            "billing": {"givenName": "Rosa", "phone": "0753892233", "country": "SE"},
        },
    }
    order.update(changes)
    return order


OFF_SPEC = {
    "phone as a JSON number": (
        _order(customer={"type": "person", "billing": {"phone": 753892233}}),
        lambda order: order.customer.billing.phone == "753892233",
        "Address.phone breaks its rule (Input should be a valid string)",
    ),
    'country "Sweden"': (
        _order(country="Sweden"),
        lambda order: order.country == "Sweden",
        "OrderResponse.country breaks its rule (String should match pattern",
    ),
    'missing "required" merchant': (
        {k: v for k, v in _order().items() if k != "merchant"},
        lambda order: order.merchant is None and order.channel == "1",
        "OrderResponse.merchant is required by the spec but missing",
    ),
}


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    response_module._WARNED.clear()


def _client(httpserver: Any, **settings: Any) -> OrderClient:
    return OrderClient(
        api_key=API_KEY,
        merchant="norce",
        channel="1",
        base_url=httpserver.url_for("/checkout/order/"),
        max_retries=0,
        **settings,
    )


@pytest.mark.parametrize("case", list(OFF_SPEC))
def test_an_off_spec_value_is_kept_with_a_warning(case: str, httpserver: Any, caplog) -> None:
    body, kept, warning = OFF_SPEC[case]
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_json(body)

    with caplog.at_level(logging.WARNING, logger="norce_checkout_order"), _client(httpserver) as c:
        order = c.get_checkout_order("o-1")

    assert isinstance(order, models.OrderResponse)
    assert kept(order)
    assert order.id == "o-1"  # the rest of the order is there
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warning in warnings[0], warnings
    assert warnings[0].startswith("GetCheckoutOrder: response field")


@pytest.mark.parametrize("case", list(OFF_SPEC))
def test_strict_responses_raise(case: str, httpserver: Any) -> None:
    body, _, _ = OFF_SPEC[case]
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_json(body)

    with _client(httpserver, strict_responses=True) as c, pytest.raises(APIResponseValidationError):
        c.get_checkout_order("o-1")


def test_an_address_read_tolerantly_is_still_strict_when_sent(httpserver: Any) -> None:
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_json(_order(country="Sweden"))
    with _client(httpserver) as c:
        order = c.get_checkout_order("o-1")
        billing = order.customer.billing.model_copy(update={"country": "Sweden"})

        with pytest.raises(Exception, match="Address.country: String should match pattern"):
            c.update_checkout_order_customer_billing("o-1", body=billing)

    assert len(httpserver.log) == 1  # only the GET went out


def test_an_array_for_the_order_still_raises(httpserver: Any) -> None:
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_json([_order()])

    with (
        _client(httpserver) as c,
        pytest.raises(APIResponseValidationError, match="GetCheckoutOrder"),
    ):
        c.get_checkout_order("o-1")
