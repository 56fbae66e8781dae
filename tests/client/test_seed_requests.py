"""Every request example on the published pages, sent through the client, arrives as the page shows."""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from typing import Any

import pydantic
import pytest
from norce_checkout_order import NotGiven, operations
from seed_support import SEED_REQUESTS, SPEC_DATA, SeedRequest, canonical_enums, python_name
from support import API_KEY
from werkzeug import Request as WerkzeugRequest
from werkzeug import Response


def _operation_id(method: str, path: str) -> str:
    return str(SPEC_DATA["paths"][path][method.lower()]["operationId"])


def test_the_pages_hold_twenty_request_examples() -> None:
    assert len(SEED_REQUESTS) == 20
    assert {r.method for r in SEED_REQUESTS} == {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize("seed", SEED_REQUESTS, ids=lambda s: f"{s.method} {s.path}")
def test_seed_example_arrives_unchanged(seed: SeedRequest, client: Any, httpserver: Any) -> None:
    operation_id = _operation_id(seed.method, seed.path)
    name = python_name(operation_id)
    function = getattr(operations, name)
    path_params = re.findall(r"\{(\w+)\}", seed.path)
    values = [f"{p}-1" for p in path_params]
    expected_path = "/checkout/order" + seed.path
    for param, value in zip(path_params, values, strict=True):
        expected_path = expected_path.replace("{" + param + "}", value)
    kwargs: dict[str, Any] = {}
    body = seed.body
    if body is None and "body" in inspect.signature(function).parameters:
        # PUT .../reference: the page shows Content-Type but no sample for its plain-string body.
        body = "ref-1"
    if body is not None:
        body_type = typing.get_type_hints(function)["body"]
        if isinstance(body_type, types.UnionType):  # optional body: "X | NotGiven"
            body_type = next(t for t in typing.get_args(body_type) if t is not NotGiven)
        kwargs["body"] = pydantic.TypeAdapter(body_type).validate_python(body)

    received: list[WerkzeugRequest] = []
    response_type = function(*values, **kwargs).response_type
    reply = "{}" if isinstance(response_type, type) and response_type is not str else "[]"
    reply = '"o-1"' if response_type is str else reply

    def handler(request: WerkzeugRequest) -> Response:
        received.append(request)
        if response_type is None:
            return Response(status=204)
        return Response(reply, status=200, content_type="application/json")

    httpserver.expect_oneshot_request(expected_path, method=seed.method).respond_with_handler(
        handler
    )
    getattr(client, name)(*values, **kwargs)
    httpserver.check_assertions()

    (request,) = received
    # The pages show the apiKey placeholder; Norce wants the token as "Bearer <token>".
    expected_headers = dict(seed.headers, Authorization=f"Bearer {API_KEY}")
    for header, value in expected_headers.items():
        assert request.headers.get(header) == value, header
    if body is None:
        assert request.get_data() == b""
        assert "Content-Type" not in request.headers
    else:
        assert json.loads(request.get_data()) == canonical_enums(body)


def test_every_spec_operation_is_a_method_on_both_clients() -> None:
    from norce_checkout_order import AsyncOrderClient, OrderClient

    ids = [
        op["operationId"]
        for item in SPEC_DATA["paths"].values()
        for key, op in item.items()
        if key in ("get", "put", "post", "delete", "patch")
    ]
    assert len(ids) == 33
    for operation_id in ids:
        name = python_name(operation_id)
        assert callable(getattr(operations, name)), name
        for cls in (OrderClient, AsyncOrderClient):
            assert callable(getattr(cls, name)), (cls.__name__, name)
