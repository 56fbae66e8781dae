"""Strict writer: a body (model or dict, wire or Python names) is validated into the operation's
request model before anything is sent; a mistake names the field in Python and wire spelling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from norce_checkout_order import NorceError, RequestValidationError, models

BILLING = "/checkout/order/api/v0/checkout/orders/o-1/customer/billing"


def _refused(httpserver: Any, call: Any) -> str:
    with pytest.raises(RequestValidationError) as caught:
        call()
    assert httpserver.log == []  # refused before sending
    assert isinstance(caught.value, NorceError) and isinstance(caught.value, ValueError)
    return str(caught.value)


def test_a_typo_in_a_dict_body_fails_before_sending(client: Any, httpserver: Any) -> None:
    message = _refused(
        httpserver,
        lambda: client.update_checkout_order_customer_billing("o-1", body={"given_nam": "Rosa"}),
    )

    assert message.startswith("Invalid request for UpdateCheckoutOrderCustomerBilling: ")
    assert "Address.given_nam is not a field of Address" in message
    assert "did you mean given_name (wire: givenName)?" in message


def test_a_typo_in_a_model_constructor_fails_at_once(httpserver: Any) -> None:
    message = _refused(httpserver, lambda: models.Address(given_nam="Rosa"))

    assert "did you mean given_name (wire: givenName)?" in message


def test_a_wrong_type_names_both_spellings(client: Any, httpserver: Any) -> None:
    message = _refused(
        httpserver,
        lambda: client.create_checkout_order(body={"customer": {"billing": {"givenName": 7}}}),
    )

    assert (
        "OrderRequest.customer.billing.given_name (wire: customer.billing.givenName): "
        "Input should be a valid string" in message
    )


def test_a_read_only_field_is_refused_with_its_own_message(client: Any, httpserver: Any) -> None:
    message = _refused(
        httpserver,
        lambda: client.create_checkout_order(body={"merchant": "norce", "culture": "sv-SE"}),
    )

    assert message.endswith(
        "OrderRequest.merchant is read-only: it is set by the server; remove it"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"givenName": "Rosa", "streetAddress2": "Lgh 1", "type": "Person"},
        {"given_name": "Rosa", "street_address2": "Lgh 1", "type": "person"},
        models.Address(given_name="Rosa", street_address2="Lgh 1", type=models.CustomerType.person),
    ],
    ids=["wire names", "python names", "model"],
)
def test_dicts_in_either_spelling_and_models_arrive_alike(
    body: Any, client: Any, httpserver: Any
) -> None:
    httpserver.expect_oneshot_request(BILLING, method="PUT").respond_with_data(status=204)

    client.update_checkout_order_customer_billing("o-1", body=body)

    sent = json.loads(httpserver.log[0][0].get_data())
    assert sent == {"givenName": "Rosa", "streetAddress2": "Lgh 1", "type": "person"}


def test_a_list_body_of_dicts_is_validated_item_by_item(client: Any, httpserver: Any) -> None:
    message = _refused(
        httpserver,
        lambda: client.patch_checkout_order_consents("o-1", body=[{"id": "c1"}, {"idd": "c2"}]),
    )

    assert "body[1].idd is not a field of Consent; did you mean id?" in message
