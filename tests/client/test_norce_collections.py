"""Norce's own request collections, sent through the client to a loopback server.

`norce_collections.json` holds every request of the .bru files in NorceTech/checkout-collection and
NorceTech/norce-checkout-training-collection that targets the Order API, as data with its source
named. Each /api/v0 request goes through the client method of its operation with its body as a plain
dict (what a user copying it would write) and must arrive with an equal body (enum case aside) and
Norce's headers, or be refused before sending for a documented reason only: a read-only field, or a
property the published spec requires. Requests for /api/v1, which the published spec does not
describe, have no client method; that list is pinned too, so a spec that adds v1 fails here first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from norce_checkout_order import OrderClient, RequestValidationError
from seed_support import SPEC_DATA, canonical_enums, python_name
from support import API_KEY
from werkzeug import Request as WerkzeugRequest
from werkzeug import Response

COLLECTIONS = json.loads((Path(__file__).parent / "norce_collections.json").read_text("utf-8"))
REQUESTS = COLLECTIONS["requests"]
# Values for the Bruno variables ({{orderId}}, ...); {{merchant}}/{{channel}} are the client's.
VARIABLES = {
    "orderUrl": "/checkout/order",
    "merchant": "norce",
    "channel": "se",
    "orderId": "o-1",
    "paymentId": "p-1",
    "cartItemId": "ci-1",
    "basketId": "b-1",
}
READ_ONLY = "is read-only: it is set by the server; remove it"
# The documented refusals, by source file: what the published spec does not let a client send.
REFUSED = {
    "Order/Create order.bru": [
        f"OrderRequest.merchant {READ_ONLY}",
        f"OrderRequest.channel {READ_ONLY}",
    ],
    "Tutorials/1 - Basic Checkout/Create order.bru": [
        f"OrderRequest.merchant {READ_ONLY}",
        f"OrderRequest.channel {READ_ONLY}",
    ],
    "Tutorials/2 - Non-PSP adapter/Create order.bru": [
        "OrderRequest.customer.type is required",  # Customer.required: [type] in the spec
        f"OrderRequest.merchant {READ_ONLY}",
        f"OrderRequest.channel {READ_ONLY}",
    ],
}
NOT_IN_SPEC = [
    "POST /api/v1/checkout/orders/{{orderId}}/hooks",
    "POST /api/v1/checkout/orders/{{orderId}}/notifications",
    "POST /api/v1/checkout/orders/{{orderId}}/validations",
    "POST /api/v1/checkout/orders/{{orderId}}/validations",
    "GET /api/v1/checkout/orders/{{orderId}}",
    "POST /api/v1/checkout/orders/{{orderId}}/validate",
    "GET /api/v1/checkout/orders/{{orderId}}",
    "POST /api/v1/checkout/orders/{{orderId}}/validations",
]


def _substitute(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{\{(\w+)\}\}", lambda m: VARIABLES[m[1]], value)
    if isinstance(value, dict):
        return {k: _substitute(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v) for v in value]
    return value


def _operation(method: str, path: str) -> tuple[dict[str, Any], list[str]] | None:
    """The spec operation serving ``method path`` and its path arguments, if any."""
    for template, item in SPEC_DATA["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
        match = re.match(pattern, path)
        if match and method.lower() in item:
            return item[method.lower()], list(match.groups())
    return None


def _api_path(url: str) -> str:
    """``{{orderUrl}}/api/v0/...?q`` -> ``/api/v0/...`` with the variables filled in."""
    return _substitute(url).partition("?")[0].removeprefix(VARIABLES["orderUrl"])


def test_the_data_names_its_sources() -> None:
    assert len(REQUESTS) == 50
    coverage = COLLECTIONS["coverage"]
    for repo in ("NorceTech/checkout-collection", "NorceTech/norce-checkout-training-collection"):
        assert coverage[repo]["order_api_requests"] == sum(
            r["source"]["repo"] == repo for r in REQUESTS
        ), repo
    for request in REQUESTS:
        assert request["source"]["repo"] in (
            "NorceTech/checkout-collection",
            "NorceTech/norce-checkout-training-collection",
        )
        assert request["source"]["path"].endswith(".bru")
        assert re.fullmatch(r"[0-9a-f]{40}", request["source"]["commit"])
        assert request["url"].startswith("{{orderUrl}}/api/")
        assert request["auth"] in ("bearer", "inherit")


def test_requests_outside_the_published_spec_are_the_v1_ones() -> None:
    missing = [
        f"{r['method']} {r['url'].removeprefix('{{orderUrl}}')}"
        for r in REQUESTS
        if _operation(r["method"], _api_path(r["url"])) is None
    ]

    assert missing == NOT_IN_SPEC


@pytest.mark.parametrize(
    "request_data",
    [r for r in REQUESTS if "/api/v0/" in r["url"]],
    ids=lambda r: f"{r['source']['repo'].split('/')[1]}:{r['source']['path']}",
)
def test_a_collection_request_arrives_as_written_or_is_refused_for_a_documented_reason(
    request_data: dict[str, Any], httpserver: Any
) -> None:
    url = _substitute(request_data["url"])
    path, _, query = url.partition("?")
    found = _operation(request_data["method"], _api_path(request_data["url"]))
    assert found is not None
    operation, arguments = found
    wire_query = dict(pair.split("=") for pair in query.split("&") if pair)
    kwargs: dict[str, Any] = {python_name(k): v for k, v in wire_query.items()}
    body = _substitute(request_data["body"])
    if body is not None:
        kwargs["body"] = body
    received: list[WerkzeugRequest] = []

    def handler(request: WerkzeugRequest) -> Response:
        received.append(request)
        return Response("{}", status=200, content_type="application/json")

    httpserver.expect_request(path, method=request_data["method"]).respond_with_handler(handler)
    with OrderClient(
        api_key=API_KEY,
        merchant=VARIABLES["merchant"],
        channel=VARIABLES["channel"],
        base_url=httpserver.url_for("/checkout/order/"),
        max_retries=0,
    ) as client:
        method = getattr(client, python_name(operation["operationId"]))
        refusal = REFUSED.get(request_data["source"]["path"])
        if refusal is not None:
            with pytest.raises(RequestValidationError) as caught:
                method(*arguments, **kwargs)
            assert list(caught.value.errors) == refusal
            assert received == []
            return
        method(*arguments, **kwargs)

    (request,) = received
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["x-merchant"] == VARIABLES["merchant"]
    assert request.headers["x-channel"] == VARIABLES["channel"]
    assert request.args.to_dict() == wire_query
    if body is None:
        assert request.get_data() == b""
    else:
        assert json.loads(request.get_data()) == canonical_enums(body)
