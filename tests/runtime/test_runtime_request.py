"""Building requests: paths, query, headers and strict bodies."""

from __future__ import annotations

import datetime
import json

import pytest
from _norce_runtime._request import build_query, build_url, encode_body
from _norce_runtime._types import NOT_GIVEN, OpenStrEnum
from _norce_runtime.errors import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from runtime_helpers import (  # noqa: F401 - fixtures
    Runner,
    fault_server_fixture,
    get_order,
    post_order,
    respond,
    runner_fixture,
)


class Kind(OpenStrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class Customer(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    type: Kind | None = None
    first_name: str | None = Field(default=None, alias="firstName")


class OrderIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    reference: str | None = None
    total: int | None = None
    customer: Customer | None = None


@pytest.mark.parametrize(
    ("value", "encoded"),
    [("o1", "o1"), ("a/b", "a%2Fb"), ("a b?c#d", "a%20b%3Fc%23d"), ("å", "%C3%A5"), ("...", "...")],
)
def test_path_params_are_encoded(value: str, encoded: str) -> None:
    url = build_url("https://x.example/checkout/order", get_order(value))

    assert url == f"https://x.example/checkout/order/api/v0/checkout/orders/{encoded}"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_dot_and_empty_path_params_are_rejected(value: str) -> None:
    with pytest.raises(RequestValidationError, match="order_id") as caught:
        build_url("https://x.example", get_order(value))

    assert isinstance(caught.value, ValueError)


def test_rejected_path_param_sends_nothing(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b"{}"))

    with pytest.raises(RequestValidationError):
        runner.send(server.url, get_order(".."))

    assert server.requests == []


def test_slash_in_path_param_reaches_the_server_encoded(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b"{}"))

    runner.send(server.url, get_order("a/../b"))

    assert server.requests[0].startswith(b"GET /api/v0/checkout/orders/a%2F..%2Fb HTTP/1.1")


def test_query_flattening() -> None:
    pairs = build_query(
        {
            "limit": 10,
            "offset": None,
            "search": NOT_GIVEN,
            "archived": False,
            "status": [Kind.PERSON, "Completed"],
            "since": datetime.date(2026, 1, 2),
            "empty": [],
        }
    )

    assert pairs == (
        ("limit", "10"),
        ("archived", "false"),
        ("status", "person"),
        ("status", "Completed"),
        ("since", "2026-01-02"),
    )


def test_body_sends_only_set_fields_and_explicit_null() -> None:
    body = OrderIn(reference=None, customer=Customer(first_name="Ada"))

    assert json.loads(encode_body(body, "Op")) == {
        "reference": None,
        "customer": {"firstName": "Ada"},
    }


def test_model_construct_with_wrong_type_fails_before_sending(runner: Runner, fault_server) -> None:
    server = fault_server(respond(201, b'"o1"'))
    body = OrderIn.model_construct(total="lots")

    with pytest.raises(RequestValidationError) as caught:
        runner.send(server.url, post_order(body, str))

    assert "OrderIn.total" in str(caught.value)
    assert "CreateCheckoutOrder" in str(caught.value)
    assert server.requests == []


def test_assigned_wrong_nested_type_names_the_field() -> None:
    body = OrderIn(customer=Customer())
    body.customer.first_name = 42  # type: ignore[assignment, union-attr]

    with pytest.raises(RequestValidationError, match=r"customer\.firstName"):
        encode_body(body, "Op")


def test_unknown_enum_value_is_not_sent() -> None:
    body = OrderIn(customer=Customer(type=Kind("retailer")))

    with pytest.raises(RequestValidationError, match=r"customer\.type"):
        encode_body(body, "Op")


def test_enum_in_any_case_is_sent_as_the_member_value() -> None:
    body = OrderIn(customer=Customer(type="Person"))

    assert json.loads(encode_body(body, "Op")) == {"customer": {"type": "person"}}


def test_list_and_dict_bodies() -> None:
    assert json.loads(encode_body([Customer(first_name="A"), {"x": Kind.PERSON}], "Op")) == [
        {"firstName": "A"},
        {"x": "person"},
    ]
    with pytest.raises(RequestValidationError):
        encode_body({"x": Kind("retailer")}, "Op")
    with pytest.raises(RequestValidationError):
        encode_body({"x": object()}, "Op")


def test_body_and_headers_on_the_wire(runner: Runner, fault_server) -> None:
    server = fault_server(respond(201, b'"o1"'))
    request = post_order(
        OrderIn(total=5),
        str,
        headers={"x-channel": None, "X-Merchant": "other", "x-adapterid": NOT_GIVEN},
    )

    result = runner.send(server.url, request, {"extra_headers": {"x-trace": "t1"}})

    assert result == "o1"
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.decode().lower().split("\r\n")
    assert json.loads(body) == {"total": 5}
    assert "content-type: application/json" in lines
    assert "x-merchant: other" in lines
    assert "x-trace: t1" in lines
    assert not any(line.startswith(("x-channel", "x-adapterid")) for line in lines)


@pytest.mark.parametrize("value", ["a\r\nx-evil: 1", "Åhléns", 7])
def test_bad_header_values_fail_before_sending(value: object, runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b"{}"))

    with pytest.raises(RequestValidationError, match="header x-merchant"):
        runner.send(server.url, get_order(headers={"x-merchant": value}))

    assert server.requests == []


def test_bad_default_header_fails_at_construction(runner: Runner) -> None:
    with pytest.raises(ValueError, match="x-channel") as caught:
        runner.make("https://x.example", default_headers={"x-channel": "1\n"})

    assert "1\n" not in str(caught.value)
