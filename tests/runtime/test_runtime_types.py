"""NOT_GIVEN, open enums and response parsing into models."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from _norce_runtime._lazy import LazyModule
from _norce_runtime._response import parse_response
from _norce_runtime._types import NOT_GIVEN, NotGiven, OpenStrEnum, reject_unknown_enum_values
from pydantic import BaseModel, ConfigDict
from runtime_helpers import (
    Runner,
    get_order,
    respond,
)  # noqa: F401 - fixtures


class CustomerType(OpenStrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class Customer(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: CustomerType
    tags: list[CustomerType] = []


def test_not_given() -> None:
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NotGiven() is NOT_GIVEN
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_open_enum_members_and_case() -> None:
    assert CustomerType("person") is CustomerType.PERSON
    assert CustomerType("Person") is CustomerType.PERSON
    assert CustomerType.PERSON.is_known
    assert list(CustomerType) == [CustomerType.PERSON, CustomerType.ORGANIZATION]


def test_open_enum_unknown_value_is_a_pseudo_member() -> None:
    retailer = CustomerType("retailer")

    assert isinstance(retailer, CustomerType)
    assert retailer.value == "retailer"
    assert retailer == "retailer"
    assert not retailer.is_known
    assert retailer not in list(CustomerType)


@pytest.mark.parametrize("value", [1, None, 2.5, b"person"])
def test_open_enum_rejects_non_strings(value: Any) -> None:
    with pytest.raises(ValueError):
        CustomerType(value)


def test_reject_unknown_enum_values_scope() -> None:
    with reject_unknown_enum_values(), pytest.raises(ValueError):
        CustomerType("retailer")
    assert CustomerType("retailer").value == "retailer"


def test_unknown_enum_and_extra_field_parse(runner: Runner, fault_server) -> None:
    server = fault_server(
        respond(
            200, b'{"type": "Retailer", "tags": ["ORGANIZATION", "vip"], "loyalty": {"tier": 2}}'
        )
    )

    customer = runner.send(server.url, get_order(response_type=Customer))

    assert customer.type.value == "Retailer"
    assert not customer.type.is_known
    assert customer.tags[0] is CustomerType.ORGANIZATION
    assert customer.tags[1] == "vip"
    assert customer.model_extra == {"loyalty": {"tier": 2}}


def test_raw_response_headers_and_cached_parse(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b'{"type": "person"}'))

    raw = runner.send(server.url, get_order(response_type=Customer), raw=True)

    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    first = raw.parse()
    assert first.type is CustomerType.PERSON
    assert raw.parse() is first
    assert "GetCheckoutOrder" in repr(raw)


@pytest.mark.parametrize(
    ("response_type", "body", "expected"),
    [
        (None, b'{"ignored": true}', None),
        (str, b'"o_123"', "o_123"),
        (str, b"o_123", "o_123"),
        (dict[str, Any], b'{"a": [1, null]}', {"a": [1, None]}),
        (list[Customer], b'[{"type": "person"}]', [Customer(type=CustomerType.PERSON)]),
    ],
)
def test_parse_response_types(response_type: Any, body: bytes, expected: Any) -> None:
    import httpx

    response = httpx.Response(200, content=body, request=httpx.Request("GET", "https://x.example"))

    assert parse_response(response, response_type, "Op") == expected


def test_lazy_module_imports_on_first_use_and_keeps_what_it_fetched() -> None:
    lazy = LazyModule("json")
    assert "not loaded yet" in repr(lazy)
    assert lazy.dumps is json.dumps and "loaded" in repr(lazy)
    # Kept on the instance: later reads never go through __getattr__ again.
    assert vars(lazy) == {"dumps": json.dumps}
    with pytest.raises(AttributeError):
        lazy.no_such_name  # noqa: B018 - the read is the test
