"""Client settings: environments and slug, per-call header overrides, what a request body carries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from norce_checkout_order import ENVIRONMENTS, OrderClient, models
from support import API_KEY


def _client(**kwargs: Any) -> OrderClient:
    return OrderClient(api_key=API_KEY, merchant="norce", channel="1", **kwargs)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ("playground", "https://acme-shop.api-se.playground.norce.tech/checkout/order/"),
        ("stage", "https://acme-shop.api-se.stage.norce.tech/checkout/order/"),
        ("production", "https://acme-shop.api-se.norce.tech/checkout/order/"),
    ],
)
def test_environment_and_slug_give_the_published_server(environment: Any, expected: str) -> None:
    with _client(environment=environment, slug="acme-shop") as client:
        assert client.base_url == expected.rstrip("/")  # stored without the trailing slash
    assert set(ENVIRONMENTS) == {"playground", "stage", "production"}


@pytest.mark.parametrize(
    "slug", [None, "", "acme.evil.com", "acme/../x", "-acme", "a" * 64, "acme shop"]
)
def test_slug_must_be_one_dns_label(slug: Any) -> None:
    with pytest.raises(ValueError, match="slug"):
        _client(environment="production", slug=slug)


def test_base_url_or_environment_is_required_and_not_both() -> None:
    with pytest.raises(ValueError, match="environment"):
        _client()
    with pytest.raises(ValueError, match="not both"):
        _client(environment="stage", slug="acme", base_url="http://127.0.0.1:1/")


def _capture(httpserver: Any, method: str, path: str) -> list[Any]:
    received: list[Any] = []

    def handler(request: Any) -> Any:
        from werkzeug import Response

        received.append(request)
        return Response(status=204)

    httpserver.expect_oneshot_request(path, method=method).respond_with_handler(handler)
    return received


def test_headers_are_overridable_per_call(client: Any, httpserver: Any) -> None:
    received = _capture(
        httpserver, "DELETE", "/checkout/order/api/v0/checkout/orders/o-1/hooks/h-1"
    )
    client.delete_checkout_order_hook("o-1", "h-1", merchant="other", adapter_id="my_adapter")
    (request,) = received
    assert request.headers["x-merchant"] == "other"
    assert request.headers["x-channel"] == "1"
    assert request.headers["x-adapterid"] == "my_adapter"


def test_adapter_id_set_on_the_client_is_sent_and_none_omits_it(httpserver: Any) -> None:
    base_url = httpserver.url_for("/checkout/order/")
    with _client(base_url=base_url, adapter_id="qliro_checkout_adapter", max_retries=0) as client:
        first = _capture(httpserver, "DELETE", "/checkout/order/api/v0/checkout/orders/o-1")
        client.delete_checkout_order("o-1")
        second = _capture(httpserver, "DELETE", "/checkout/order/api/v0/checkout/orders/o-2")
        client.delete_checkout_order("o-2", adapter_id=None)
    assert first[0].headers["x-adapterid"] == "qliro_checkout_adapter"
    assert "x-adapterid" not in second[0].headers


def test_body_sends_only_fields_set_with_wire_names_and_explicit_null(
    client: Any, httpserver: Any
) -> None:
    received = _capture(
        httpserver, "PUT", "/checkout/order/api/v0/checkout/orders/o-1/customer/billing"
    )
    body = models.Address(given_name="Rosalinainho", care_of=None, type=models.CustomerType.person)
    client.update_checkout_order_customer_billing("o-1", body=body)
    (request,) = received
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.get_data()) == {
        "givenName": "Rosalinainho",
        "careOf": None,
        "type": "person",
    }


def test_read_only_fields_are_not_part_of_request_models() -> None:
    assert "id" not in models.HookRequest.model_fields
    assert "id" in models.HookResponse.model_fields
