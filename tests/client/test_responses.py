"""Responses: a published response example parses into its model; error statuses raise typed errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from norce_checkout_order import NotFoundError, models
from support import SEEDS


def _transaction_response_sample() -> dict[str, Any]:
    """The response sample printed after the POST .../transactions request on the published page."""
    text = (SEEDS / "004_3d293539723864f2.txt").read_text("utf-8")
    match = re.search(r"\}'(\{ \"event\".*\})\n", text)
    assert match, "response sample not found on the page"
    return dict(json.loads(match[1]))


def test_published_response_example_parses_into_its_model(client: Any, httpserver: Any) -> None:
    sample = _transaction_response_sample()
    path = "/checkout/order/api/v0/checkout/orders/o-1/payments/p-1/transactions"
    httpserver.expect_oneshot_request(path, method="POST").respond_with_json(sample)

    result = client.add_transaction_for_order_payment(
        "o-1",
        "p-1",
        body=models.PaymentTransactionRequest(event=models.PaymentEvent.open, amount=0.1),
    )

    assert isinstance(result, models.PaymentTransactionResponse)
    assert result.event == models.PaymentEvent.open
    assert result.amount == 0.1
    assert result.is_success is True
    assert result.created is not None and result.created.year == 2019
    assert result.payment_action is not None and result.payment_action.id == "string"
    assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == sample


def test_404_raises_not_found_with_code_and_message(client: Any, httpserver: Any) -> None:
    body = {"code": "order-not-found", "message": "Order with id:o-404 not found."}
    httpserver.expect_oneshot_request(
        "/checkout/order/api/v0/checkout/orders/o-404"
    ).respond_with_json(body, status=404)

    with pytest.raises(NotFoundError) as caught:
        client.get_checkout_order("o-404")

    error = caught.value
    assert error.status_code == 404
    assert error.code == "order-not-found"
    assert error.message == "Order with id:o-404 not found."
    assert error.response.json() == body
    assert "order-not-found" in str(error)
