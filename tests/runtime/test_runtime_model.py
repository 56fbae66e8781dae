"""The runtime base model: strict when built, every error a RequestValidationError naming the
field in Python and wire spelling; tolerant (extras kept) when read from a response."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Literal

import httpx
import pytest
from _norce_runtime._model import Model
from _norce_runtime._request import encode_body
from _norce_runtime._response import parse_response
from _norce_runtime._types import OpenStrEnum
from _norce_runtime.errors import NorceError, RequestValidationError
from pydantic import Field


class Address(Model):
    given_name: Annotated[str | None, Field(alias="givenName")] = None
    country: Annotated[str | None, Field(pattern="^[A-Za-z]{2}$")] = None


class Customer(Model):
    billing: Address | None = None
    shipping: list[Address] | None = None


class OrderRequest(Model):
    _read_only = {"merchant": "merchant", "lastModified": "last_modified"}
    reference: str | None = None
    customer: Customer | None = None


class OrderResponse(Model):
    merchant: str
    last_modified: Annotated[str | None, Field(alias="lastModified")] = None
    customer: Customer | None = None


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(RequestValidationError) as caught:
        call()
    assert isinstance(caught.value, NorceError) and isinstance(caught.value, ValueError)
    return str(caught.value)


def test_a_typo_in_the_constructor_names_the_field_and_suggests_both_spellings() -> None:
    message = _error(lambda: Address(given_nam="Rosa"))

    assert "Address.given_nam is not a field of Address" in message
    assert "did you mean given_name (wire: givenName)?" in message


def test_both_spellings_construct_and_either_spelling_of_a_typo_is_refused() -> None:
    assert Address(given_name="a") == Address(givenName="a")
    assert "is not a field" in _error(lambda: Address(givenNam="a"))


def test_nested_errors_name_the_path_in_python_and_wire_spelling() -> None:
    message = _error(
        lambda: OrderRequest.model_validate(
            {"customer": {"billing": {"givenName": 3}, "shipping": [{}, {"country": "Sweden"}]}}
        )
    )

    assert (
        "OrderRequest.customer.billing.given_name (wire: customer.billing.givenName): "
        "Input should be a valid string" in message
    )
    assert "OrderRequest.customer.shipping[1].country: String should match pattern" in message
    assert "Sweden" not in message  # values stay out of messages: they may be personal


def test_read_only_fields_get_their_own_message_in_either_spelling() -> None:
    for key in ("merchant", "lastModified", "last_modified"):
        message = _error(lambda key=key: OrderRequest.model_validate({key: "x"}))
        assert "is read-only: it is set by the server; remove it" in message, key
    assert "OrderRequest.last_modified (wire: lastModified) is read-only" in _error(
        lambda: OrderRequest(lastModified="x")
    )


def test_model_validate_json_is_strict_too_and_extra_allow_opts_out() -> None:
    assert "is not a field" in _error(lambda: Address.model_validate_json('{"x": 1}'))
    assert Address.model_validate({"x": 1}, extra="allow").model_extra == {"x": 1}


def test_a_missing_required_field_is_named() -> None:
    assert "OrderResponse.merchant is required" in _error(lambda: OrderResponse())


def test_reading_a_response_keeps_unknown_fields_at_every_level() -> None:
    body = {"merchant": "m", "new": 1, "customer": {"billing": {"givenName": "a", "extra": True}}}
    response = httpx.Response(200, json=body, request=httpx.Request("GET", "https://x.example"))

    order = parse_response(response, OrderResponse, "GetOrder")

    assert order.model_extra == {"new": 1}
    assert order.customer.billing.model_extra == {"extra": True}
    assert order.model_dump(by_alias=True, exclude_unset=True) == body


def test_encoding_a_body_refuses_what_construction_refuses() -> None:
    with pytest.raises(RequestValidationError, match="did you mean given_name"):
        encode_body({"customer": {"billing": {"given_nam": "a"}}}, "Op", OrderRequest)
    with pytest.raises(RequestValidationError, match="is read-only"):
        encode_body(OrderRequest.model_construct(merchant="m"), "Op", OrderRequest)
    sent = encode_body({"customer": {"billing": {"given_name": "a"}}}, "Op", OrderRequest)
    assert json.loads(sent) == {"customer": {"billing": {"givenName": "a"}}}


def test_a_list_body_names_the_index() -> None:
    with pytest.raises(RequestValidationError, match=r"body\[1\]\.given_nam is not a field"):
        encode_body([{"givenName": "a"}, {"given_nam": "b"}], "Op", list[Address])


class Kind(OpenStrEnum):
    PERSON = "person"


class Party(Model):
    kind: Literal["person"] | Kind | None = None


def test_a_union_field_is_reported_once() -> None:
    message = _error(lambda: Party(kind=5))

    assert message.count("Party.kind:") == 1


class Labels(Model):
    _additional_properties = True  # the schema declares additionalProperties
    title: str | None = None


def test_a_schema_that_declares_additional_properties_takes_them_when_built() -> None:
    assert Labels(title="t", colour="red").model_extra == {"colour": "red"}
    assert json.loads(encode_body({"colour": "red"}, "Op", Labels)) == {"colour": "red"}
    assert "is not a field" in _error(lambda: Address(colour="red"))
