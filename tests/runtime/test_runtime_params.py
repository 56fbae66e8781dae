"""Parameter checks (`_params.check_params`): every kind the generator emits, on its own."""

from __future__ import annotations

import datetime
import math

import pytest
from _norce_runtime._params import Check, check_params
from _norce_runtime._request import Request
from _norce_runtime._types import NOT_GIVEN, OpenStrEnum
from _norce_runtime.errors import RequestValidationError


class Direction(OpenStrEnum):
    ASC = "asc"
    DESC = "desc"


def _request(value: object, check: Check) -> Request[None]:
    location, wire = check[0], check[1]
    values = {wire: value}
    return Request(
        method="GET",
        path="/x",
        path_params=values if location == "path" else {},
        query=values if location == "query" else {},
        headers=values if location == "header" else {},  # type: ignore[arg-type]
        body=NOT_GIVEN,
        response_type=None,
        idempotent=True,
        operation_id="Op",
        checks=(check,),
    )


def _q(
    kind: str,
    many: bool = False,
    nonempty: bool = False,
    values: tuple[object, ...] = (),
    required: bool = False,
) -> Check:
    return ("query", "wireName", "wire_name", kind, many, nonempty, required, values)


GOOD = [
    ("x", _q("str")),
    (Direction.ASC, _q("str")),
    (3, _q("int")),
    (3, _q("number")),
    (2.5, _q("number")),
    (False, _q("bool")),
    (datetime.datetime(2026, 1, 12, 8, 21), _q("date-time")),
    ("2026-01-12T08:21:29+01:00", _q("date-time")),
    ("2026-01-12T08:21:29Z", _q("date-time")),
    (datetime.date(2026, 1, 12), _q("date")),
    ("2026-01-12", _q("date")),
    ("asc", _q("enum", values=("asc", "desc"))),
    (Direction.DESC, _q("enum", values=("asc", "desc"))),
    (2, _q("enum", values=(1, 2))),
    (["a", "b"], _q("str", many=True)),
    (("a",), _q("str", many=True)),
    ([], _q("int", many=True)),
    ("anything", _q("some-future-kind")),
    (None, _q("int")),
    (NOT_GIVEN, _q("int")),
    (NOT_GIVEN, _q("str", required=True)),  # a client header's default: checked at construction
]
BAD = [
    (1, _q("str"), "expected a str, got int"),
    ("3", _q("int"), "expected an int, got str"),
    (True, _q("int"), "expected an int, got bool"),
    (True, _q("number"), "expected a number (int or finite float), got bool"),
    (math.nan, _q("number"), "expected a number (int or finite float), got float"),
    ("true", _q("bool"), "expected a bool, got str"),
    ("12/01/2026", _q("date-time"), "expected a datetime or an ISO 8601 date-time string, got str"),
    ("x" * 100, _q("date-time"), "expected a datetime or an ISO 8601 date-time string, got str"),
    (
        datetime.datetime(2026, 1, 12),
        _q("date"),
        "expected a date or an ISO 8601 date string (YYYY-MM-DD), got datetime",
    ),
    (
        "2026-01-12T08:00",
        _q("date"),
        "expected a date or an ISO 8601 date string (YYYY-MM-DD), got str",
    ),
    ("ASC", _q("enum", values=("asc", "desc")), "not one of 'asc', 'desc'"),
    (Direction("sideways"), _q("enum", values=("asc", "desc")), "not one of 'asc', 'desc'"),
    (True, _q("enum", values=(1, 2)), "not one of 1, 2"),
    ("", _q("str", nonempty=True), "must not be empty"),
    ("a", _q("str", many=True), "expected a list, got str"),
    (None, _q("str", required=True), "required by this operation; None would leave it out"),
    (None, _q("any", required=True), "required by this operation; None would leave it out"),
]


@pytest.mark.parametrize(("value", "check"), GOOD)
def test_values_that_fit_pass(value: object, check: Check) -> None:
    check_params(_request(value, check))


@pytest.mark.parametrize(("value", "check", "problem"), BAD)
def test_values_that_do_not_fit_are_refused(value: object, check: Check, problem: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        check_params(_request(value, check))
    assert caught.value.errors == (f"wire_name (query wireName): {problem}",)


def test_a_list_names_the_bad_item_and_never_shows_a_value() -> None:
    with pytest.raises(RequestValidationError) as caught:
        check_params(_request(["ok", "secret@example.com", 7], _q("str", many=True, nonempty=True)))
    assert caught.value.errors == ("wire_name[2] (query wireName): expected a str, got int",)
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("location", ["path", "header"])
def test_path_and_header_values_are_checked_too(location: str) -> None:
    check: Check = (location, "x-thing", "thing", "int", False, False, False, ())
    with pytest.raises(
        RequestValidationError, match=rf"thing \({location} x-thing\): expected an int"
    ):
        check_params(_request("7", check))
