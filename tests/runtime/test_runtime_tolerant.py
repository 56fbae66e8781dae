"""Tolerant reader: a 2xx body keeps values that break the spec's rules (one WARNING per model
field); only a shape no reading allows raises. `strict=True` restores strict parsing."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Annotated, Any

import httpx
import pytest
from _norce_runtime import _response
from _norce_runtime._model import Model
from _norce_runtime._response import parse_response
from _norce_runtime._types import OpenStrEnum
from _norce_runtime.errors import APIResponseValidationError
from pydantic import Field


class Kind(OpenStrEnum):
    PERSON = "person"


class Address(Model):
    type: Kind | None = None
    phone: str | None = None
    country: Annotated[str | None, Field(pattern="^[A-Za-z]{2}$")] = None
    lines: list[str] | None = None


class Item(Model):
    quantity: Annotated[int, Field(ge=1)]
    total: float | None = None


class Order(Model):
    merchant: Annotated[str, Field(min_length=1)]
    created: datetime | None = None
    billing: Address | None = None
    items: list[Item] | None = None
    attributes: dict[str, Any] | None = None
    order_reference: Annotated[str | None, Field(alias="orderReference", max_length=5)] = None


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    _response._WARNED.clear()


def _parse(body: Any, response_type: Any = Order, *, strict: bool = False) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = httpx.Response(200, content=content, request=httpx.Request("GET", "https://x.test"))
    return parse_response(response, response_type, "GetOrder", strict=strict)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_values_that_break_rules_are_kept_and_the_rest_is_validated(caplog) -> None:
    body = {
        "merchant": "",  # min_length 1
        "created": "yesterday",  # not a date-time
        "orderReference": "far-too-long",  # max_length 5
        "billing": {"type": "Person", "phone": 753892233, "country": "Sweden"},
        "items": [{"quantity": 0, "total": "12.5"}, {"quantity": 2}],
        "attributes": {"any": ["thing"]},
        "unknown": {"kept": True},
    }

    order = _parse(body)

    assert order.merchant == ""
    assert order.created == "yesterday"
    assert order.order_reference == "far-too-long"
    assert order.billing.type is Kind.PERSON  # validated fields are validated values
    assert order.billing.phone == "753892233"  # an integer for a string: its decimal text
    assert order.billing.country == "Sweden"
    assert order.items[0].quantity == 0 and order.items[0].total == 12.5
    assert order.items[1].quantity == 2
    assert order.attributes == {"any": ["thing"]}
    assert order.model_extra == {"unknown": {"kept": True}}
    warned = _warnings(caplog)
    assert len(warned) == 6, warned
    assert any(
        "GetOrder: response field Order.order_reference (wire 'orderReference') breaks its rule"
        in w
        for w in warned
    )
    assert any("Address.country breaks its rule (String should match pattern" in w for w in warned)
    assert not any("Sweden" in w or "753892233" in w for w in warned)  # no values in logs


def test_a_missing_required_field_reads_as_none_and_stays_unset(caplog) -> None:
    order = _parse({"billing": {}})

    assert order.merchant is None
    assert "merchant" not in order.model_fields_set
    assert order.model_dump(by_alias=True, exclude_unset=True) == {"billing": {}}
    assert _warnings(caplog) == [
        "GetOrder: response field Order.merchant is required by the spec but missing; "
        "it reads as None"
    ]


def test_one_warning_per_model_field_however_often_it_happens(caplog) -> None:
    for _ in range(3):
        _parse({"merchant": "m", "billing": {"country": "Sweden"}})
    _parse({"merchant": "m", "items": [{"quantity": 0}, {"quantity": -1}]})

    assert len(_warnings(caplog)) == 2


def test_a_clean_body_takes_the_fast_path_and_warns_nothing(caplog) -> None:
    order = _parse({"merchant": "m", "billing": {"country": "SE"}})

    assert order.billing.country == "SE"
    assert _warnings(caplog) == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"merchant": "m", ',  # invalid JSON
        [{"merchant": "m"}],  # an array where an object is expected
        {"merchant": "m", "billing": ["x"]},  # an array for a nested object
        {"merchant": "m", "items": {"quantity": 1}},  # an object for an array
        {"merchant": "m", "items": [1]},  # a number for an object in an array
        {"merchant": "m", "billing": {"phone": {"number": "1"}}},  # an object for a string
        {"merchant": "m", "attributes": "free text"},  # a string for an object
    ],
)
def test_structural_nonsense_still_raises(body: Any) -> None:
    with pytest.raises(APIResponseValidationError, match="GetOrder"):
        _parse(body)


def test_strict_parsing_raises_on_any_broken_rule() -> None:
    with pytest.raises(APIResponseValidationError, match="billing.country"):
        _parse({"merchant": "m", "billing": {"country": "Sweden"}}, strict=True)


def test_a_list_response_is_read_item_by_item(caplog) -> None:
    items = _parse([{"quantity": 0}, {"quantity": 3}], list[Item])

    assert [i.quantity for i in items] == [0, 3]
    assert len(_warnings(caplog)) == 1


def test_a_list_of_values_with_an_off_spec_item_is_kept_whole(caplog) -> None:
    order = _parse({"merchant": "m", "billing": {"lines": ["a", 2]}})

    assert order.billing.lines == ["a", 2]
    assert "Address.lines breaks its rule" in _warnings(caplog)[0]


def test_the_warning_set_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(_response, "_MAX_WARNED", 1)

    _parse({"merchant": "m", "billing": {"country": "Sweden"}, "created": "yesterday"})

    assert len(_response._WARNED) == 1
