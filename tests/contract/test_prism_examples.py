"""What a user sees when the server sends the spec's own response examples (issue 16).

Prism without ``--errors`` answers GetCheckoutOrder(s) with 200 and the example it builds from the
spec, whose ``country``, ``culture`` and ``currency`` break the spec's own patterns. Which values
break which rule is Prism's word, not ours: the ``--errors`` instance lists them (``sl-violations``)
for the same request. The default client reads the order anyway, keeps each of those values as
sent and logs one warning per (model, field); a ``strict_responses`` client raises.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from contract.contract_support import SpecOperation, load_spec, operations, realistic_arguments

READS = [
    op
    for op in operations(load_spec())
    if op.operation_id in ("GetCheckoutOrder", "GetCheckoutOrders")
]
_WARNING = re.compile(r"^(\w+): response field (\w+)\.(\w+)(?: \(wire '(\w+)'\))? breaks its rule")


def _raw(url: str, op: SpecOperation, **settings: Any) -> Any:
    from norce_checkout_order import OrderClient

    spec = load_spec()
    headers = {p["name"]: p for p in op.parameters if p["in"] == "header"}
    args, kwargs = realistic_arguments(spec, op)
    with OrderClient(
        api_key="contract-test-key",
        merchant=headers["x-merchant"]["example"],
        channel=headers["x-channel"]["example"],
        base_url=url,
        max_retries=0,
        **settings,
    ) as client:
        return getattr(client.with_raw_response, op.python_name)(*args, **kwargs)


def _violations(prism_url: str, op: SpecOperation) -> list[list[str]]:
    """Where Prism (``--errors``) says its example breaks the spec: paths into the body."""
    from norce_checkout_order import APIStatusError

    with pytest.raises(APIStatusError) as caught:
        _raw(prism_url, op)
    found = json.loads(caught.value.response.headers.get("sl-violations") or "[]")
    paths = [v["location"][2:] for v in found if v["location"][:2] == ["response", "body"]]
    assert paths, f"{op.operation_id}: the example no longer breaks the spec; revisit this test"
    return paths


def _at(value: Any, path: list[str]) -> Any:
    """The value at a wire path (``data/0/country``) in a JSON value or in parsed models."""
    from norce_checkout_order._types import field_spellings, is_model

    for key in path:
        if isinstance(value, list):
            value = value[int(key)]
        elif is_model(type(value)):
            value = getattr(value, field_spellings(type(value))[key][0])
        else:
            value = value[key]
    return value


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    from norce_checkout_order import _response

    _response._WARNED.clear()  # once per (model, field) per process: start from none


@pytest.mark.parametrize("op", READS, ids=lambda op: op.operation_id)
def test_the_default_client_keeps_off_spec_example_values_with_one_warning_each(
    op: SpecOperation, prism_url: str, prism_examples_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from norce_checkout_order import models

    broken = _violations(prism_url, op)
    raw = _raw(prism_examples_url, op)
    assert raw.status_code == 200
    body = raw.http_response.json()
    with caplog.at_level(logging.WARNING, logger="norce_checkout_order"):
        parsed = raw.parse()
        again = _raw(prism_examples_url, op).parse()  # the same fields again: no new warnings

    assert isinstance(parsed, models.OrderResponse | models.OrderPaginationSetResponse)
    assert again == parsed
    for path in broken:
        assert _at(parsed, path) == _at(body, path), path  # kept as sent
    warned = [_WARNING.match(r.getMessage()) for r in caplog.records]
    assert all(warned), [r.getMessage() for r in caplog.records]
    pairs = [(m[2], m[4] or m[3]) for m in warned if m]
    assert {m[1] for m in warned if m} == {op.operation_id}
    assert len(pairs) == len(set(pairs)), pairs  # one warning per (model, field)
    assert {field for _, field in pairs} == {path[-1] for path in broken}
    assert {model for model, _ in pairs} == {"OrderResponse"}


@pytest.mark.parametrize("op", READS, ids=lambda op: op.operation_id)
def test_a_strict_client_refuses_the_same_examples(
    op: SpecOperation, prism_url: str, prism_examples_url: str
) -> None:
    from norce_checkout_order import APIResponseValidationError

    broken = _violations(prism_url, op)
    raw = _raw(prism_examples_url, op, strict_responses=True)
    with pytest.raises(APIResponseValidationError) as caught:
        raw.parse()
    message = str(caught.value)
    for path in broken:
        assert ".".join(path) in message, (path, message)
