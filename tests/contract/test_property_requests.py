"""Property-based: every request our client builds from spec-valid arguments is spec-valid.

schemathesis draws arguments per operation from the spec (positive mode: path/query/header values
and bodies the spec allows, extra properties included; request models with read-only fields
refuse extras, and those draws are set aside like ".." path values); we pass them to the *client* and send to a
loopback server that validates each request against the spec (``contract_support.RequestValidator``,
openapi-schema-validator underneath) and answers 422 with the reasons. Bounded: 20 examples per
operation, derandomized (the same examples on every run), no example database.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pydantic
import pytest
import schemathesis
from hypothesis import HealthCheck, given, reject, settings
from schemathesis.generation import GenerationMode

from contract.contract_support import (
    CLIENT_HEADERS,
    SpecOperation,
    body_type,
    load_spec,
    operations,
)
from generator.build.naming import snake_case

OPERATIONS = operations(load_spec())
MAX_EXAMPLES = 20


def _closed_objects(node: Any) -> Any:
    """A copy of a spec in which every object schema that lists its ``properties`` and says nothing
    about others (no ``additionalProperties``, no ``allOf``/``anyOf``/``oneOf`` that might add some)
    has ``additionalProperties: false``.

    The draws come from this copy: the client's request models refuse undocumented properties, and
    such draws were set aside (``reject()``) after drawing them, over 80 % of the draws for the
    big bodies. The examples that are sent, and the validating server (the real spec), are the same
    kind as before; the oracle and the positive mode are unchanged."""
    if isinstance(node, list):
        return [_closed_objects(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _closed_objects(value) for key, value in node.items()}
    if (
        copy.get("type") == "object"
        and isinstance(copy.get("properties"), dict)
        and not {"additionalProperties", "allOf", "anyOf", "oneOf"} & copy.keys()
    ):
        copy["additionalProperties"] = False
    return copy


_SCHEMA = schemathesis.openapi.from_dict(_closed_objects(load_spec()))
_BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def _client_arguments(
    op: SpecOperation, case: Any, method: Any
) -> tuple[list[Any], dict[str, Any]]:
    """schemathesis' wire-level Case -> the client method's arguments."""
    path_names = [p["name"] for p in op.parameters if p["in"] == "path"]
    args = [unquote(str(case.path_parameters[name])) for name in path_names]  # the client encodes
    kwargs: dict[str, Any] = {}
    for name, value in (case.query or {}).items():
        kwargs[snake_case(name)] = value
    headers = {k.lower(): v for k, v in (case.headers or {}).items()}
    for wire, python in CLIENT_HEADERS.items():
        kwargs[python] = headers.get(wire)  # per-call override; None omits the header
    if op.body is not None and not isinstance(case.body, type(schemathesis.core.NOT_SET)):
        kwargs["body"] = pydantic.TypeAdapter(body_type(method)).validate_python(case.body)
    return args, kwargs


def _is_unsendable_path_value(args: list[Any]) -> bool:
    # RFC 3986 dot segments cannot be sent as a path value; the client refuses them up front.
    return any(value in (".", "..") for value in args)


def _undocumented_or_read_only(line: str) -> bool:
    return " is not a field of " in line or line.endswith(
        " is read-only: it is set by the server; remove it"
    )


def _only_undocumented_properties(exc: pydantic.ValidationError) -> bool:
    # The spec allows additional properties (it never says additionalProperties: false); the
    # request half of a readOnly split refuses them so a response's read-only fields are never sent.
    return all(error["type"] == "extra_forbidden" for error in exc.errors())


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_client_requests_from_spec_valid_arguments_are_valid(
    op: SpecOperation, validating_url: str
) -> None:
    from norce_checkout_order import APIStatusError, OrderClient, RequestValidationError

    strategy = _SCHEMA[op.path][op.method].as_strategy(generation_mode=GenerationMode.POSITIVE)
    method = getattr(OrderClient, op.python_name)
    client = OrderClient(
        api_key="contract-test-key",
        merchant="norce",
        channel="1",
        base_url=validating_url,
        max_retries=0,
    )

    @_BOUNDED
    @given(case=strategy)
    def check(case: Any) -> None:
        try:
            args, kwargs = _client_arguments(op, case, method)
        except pydantic.ValidationError as exc:
            if _only_undocumented_properties(exc):
                reject()  # XRequest models refuse extras by design (a read-only field cannot ride along)
            raise
        if _is_unsendable_path_value(args):
            reject()
        if any(kwargs.get(name) is None for name in ("merchant", "channel")):
            kwargs.pop("merchant", None), kwargs.pop("channel", None)  # keep the client's values
        try:
            getattr(client.with_raw_response, op.python_name)(*args, **kwargs)
        except RequestValidationError as exc:
            if all(_undocumented_or_read_only(line) for line in exc.errors):
                reject()  # request models refuse fields the spec does not list, and read-only ones
            raise
        except APIStatusError as exc:
            detail = json.loads(exc.response.text or "{}").get("violations", exc.response.text)
            raise AssertionError(f"{op.operation_id} sent an invalid request: {detail}") from None

    with client:
        check()


@pytest.mark.parametrize(
    ("method", "target", "headers", "body", "expected"),
    [
        (
            "GET",
            "/api/v0/checkout/orders/o1",
            {"x-channel": "1"},
            b"",
            "header 'x-merchant' is required",
        ),
        ("GET", "/api/v0/checkout/orders?limit=ten", {}, b"", "query 'limit'"),
        ("GET", "/api/v0/checkout/orders?bogus=1", {}, b"", "query 'bogus' is not declared"),
        ("GET", "/api/v0/checkout/orders?status=nope", {}, b"", "query 'status'"),
        (
            "PUT",
            "/api/v0/checkout/orders/o1/reference",
            {},
            b"12",
            "body: 12 is not of type 'string'",
        ),
        ("PUT", "/api/v0/checkout/orders/o1/cart", {}, b"", "requestBody is required"),
        ("POST", "/api/v0/checkout/orders/o1/validate", {}, b"{}", "without requestBody"),
        ("GET", "/api/v0/checkout/nowhere", {}, b"", "no operation"),
    ],
    ids=[
        "missing-header",
        "bad-int",
        "undeclared-query",
        "bad-enum",
        "bad-body",
        "missing-body",
        "unexpected-body",
        "no-route",
    ],
)
def test_validating_server_rejects_invalid_requests(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    expected: str,
    validating_url: str,
) -> None:
    """The oracle itself: the server must refuse what the spec forbids, or the test above is empty."""
    import httpx

    sent = {
        "authorization": "k",
        "x-merchant": "norce",
        "x-channel": "1",
        "content-type": "application/json",
        **headers,
    }
    if "x-channel" in headers and "x-merchant" not in headers:
        del sent["x-merchant"]
    response = httpx.request(
        method, validating_url.rstrip("/") + target, headers=sent, content=body, timeout=5
    )
    assert response.status_code == 422
    assert any(expected in v for v in response.json()["violations"]), response.json()
