"""The generated package ships this runtime and works end to end on it.

Skipped until `make generate` has produced `generated/norce_checkout_order`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from runtime_helpers import API_KEY, script
from werkzeug import Response

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "norce_checkout_order"

pytestmark = pytest.mark.skipif(
    not (PACKAGE / "_client.py").exists(), reason="run `make generate` first"
)

ORDER = {
    "id": "o_1",
    "merchant": "norce",
    "channel": "1",
    "state": {"status": "checkout"},
    "someNewField": True,
}


@pytest.fixture(scope="module")
def package() -> Any:
    sys.path.insert(0, str(PACKAGE.parent))
    try:
        import norce_checkout_order
    finally:
        sys.path.remove(str(PACKAGE.parent))
    return norce_checkout_order


@pytest.mark.parametrize(
    "source", sorted(p.name for p in (ROOT / "templates" / "runtime").glob("*.py"))
)
def test_runtime_file_is_copied_verbatim(source: str) -> None:
    template = (ROOT / "templates" / "runtime" / source).read_text()
    generated = (PACKAGE / source).read_text()
    first, _, rest = generated.partition("\n")

    assert first.startswith("#"), "expected a one-line stamp"
    assert rest == template, f"generated/{source} is stale: run `make generate`"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_get_checkout_order(kind: str, package: Any, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response(json.dumps(ORDER), 200, mimetype="application/json")])
    settings = {
        "api_key": API_KEY,
        "merchant": "norce",
        "channel": "1",
        "base_url": httpserver_ipv4.url_for("/checkout/order/"),
    }

    if kind == "sync":
        with package.OrderClient(**settings) as client:
            order = client.get_checkout_order("o/1")
    else:

        async def go() -> Any:
            async with package.AsyncOrderClient(**settings) as client:
                return await client.get_checkout_order("o/1")

        order = asyncio.run(go())

    request = httpserver_ipv4.log[0][0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["x-merchant"] == "norce"
    assert "x-adapterid" not in request.headers
    assert request.environ["RAW_URI"] == "/checkout/order/api/v0/checkout/orders/o%2F1"
    assert isinstance(order, package.models.OrderResponse)
    assert order.model_extra == {"someNewField": True}


def test_not_found(package: Any, httpserver_ipv4) -> None:
    body = {"code": "order-not-found", "message": "Order with id:x not found."}
    script(httpserver_ipv4, [Response(json.dumps(body), 404, mimetype="application/json")])

    with package.OrderClient(
        api_key=API_KEY, merchant="norce", channel="1", base_url=httpserver_ipv4.url_for("/")
    ) as client:
        with pytest.raises(package.NotFoundError) as caught:
            client.get_checkout_order("x")

    assert caught.value.code == "order-not-found"


@pytest.mark.parametrize(
    "settings",
    [
        {"environment": "nowhere", "slug": "acme"},
        {"environment": "playground", "slug": "not a label"},
        {},  # neither environment nor base_url
        {"environment": "playground", "slug": "acme", "base_url": "https://x.example"},
        {"base_url": "https://x.example", "deadline": 0},
        {"base_url": "https://x.example", "max_response_size": -1},
    ],
)
def test_bad_settings_are_configuration_errors(package: Any, settings: dict[str, Any]) -> None:
    with pytest.raises(package.ConfigurationError) as caught:
        package.OrderClient(api_key=API_KEY, merchant="norce", channel="1", **settings)

    assert isinstance(caught.value, ValueError)  # `except ValueError` keeps working
    assert isinstance(caught.value, package.NorceError)


def test_limits_reach_the_generated_client(package: Any, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response(json.dumps(ORDER), 200, mimetype="application/json")])

    with package.OrderClient(
        api_key=API_KEY,
        merchant="norce",
        channel="1",
        base_url=httpserver_ipv4.url_for("/"),
        max_response_size=10,
    ) as client:
        with pytest.raises(package.ResponseTooLargeError):
            client.get_checkout_order("o_1")
        order = client.get_checkout_order("o_1", options={"max_response_size": 10_000})

    assert order.id == "o_1"
