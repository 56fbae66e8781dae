"""Path, query and header values checked against their declared types before a call is sent.

Each generated operation lists its checks as a constant tuple (`Request.checks`), worked out once
by the generator from the spec: no validator is built and no annotation is read at call time, so a
call pays a few comparisons per parameter it was given.

A check is `(location, wire name, Python name, kind, is a list, must be non-empty, is required,
values)`:

    str        a `str` (enum members of a string enum are `str` too)
    int        an `int`, not a `bool`
    number     an `int` or a finite `float`, not a `bool`
    bool       a `bool`
    date-time  a `datetime.datetime`, or a string `datetime.fromisoformat` reads
    date       a `datetime.date` (not a datetime), or a string `date.fromisoformat` reads
    enum       one of `values` (an enum member counts as its value; unknown ones do not)
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any

from ._types import NotGiven
from .errors import RequestValidationError

if TYPE_CHECKING:
    from ._request import Request

__all__ = ["Check", "check_params"]

Check = tuple[str, str, str, str, bool, bool, bool, tuple[Any, ...]]

_EXPECTED = {
    "str": "a str",
    "int": "an int",
    "number": "a number (int or finite float)",
    "bool": "a bool",
    "date-time": "a datetime or an ISO 8601 date-time string",
    "date": "a date or an ISO 8601 date string (YYYY-MM-DD)",
}


def check_params(request: Request[Any]) -> None:
    """Raise if a value the call was given does not fit its parameter (`request.checks`).

    None and NOT_GIVEN are not values: they leave the parameter out, which a required one refuses
    (NOT_GIVEN for a client header sends the client's value, checked when the client was made).

    Raises:
        RequestValidationError: One line per bad value, naming the parameter in Python and
            in wire spelling, e.g. "limit (query limit): expected an int, got str".
    """
    problems: list[str] = []
    for location, wire, python, kind, many, nonempty, required, values in request.checks:
        source = (
            request.query
            if location == "query"
            else request.path_params if location == "path" else request.headers
        )
        value = source.get(wire)
        if value is None or isinstance(value, NotGiven):
            if value is None and required:
                problems.append(
                    f"{python} ({location} {wire}): required by this operation; "
                    "None would leave it out"
                )
            continue
        where = f"{python} ({location} {wire})"
        if not many:
            problem = _problem(value, kind, nonempty, values)
            if problem:
                problems.append(f"{where}: {problem}")
        elif not isinstance(value, list | tuple):
            problems.append(f"{where}: expected a list, got {type(value).__name__}")
        else:
            for index, item in enumerate(value):
                problem = _problem(item, kind, nonempty, values)
                if problem:
                    problems.append(f"{python}[{index}] ({location} {wire}): {problem}")
    if problems:
        raise RequestValidationError(request.operation_id, problems)


def _problem(value: object, kind: str, nonempty: bool, values: tuple[Any, ...]) -> str | None:
    """What is wrong with one value, or None. The value itself is never shown: it may be
    personal data."""
    if kind == "enum":
        # An enum member equals its value; a pseudo-member (an unknown value) is in no list.
        if isinstance(value, bool) or value not in values:
            return "not one of " + ", ".join(repr(v) for v in values)
        return None
    if kind == "str":
        ok = isinstance(value, str)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "date-time":
        ok = isinstance(value, datetime.datetime) or _parses(value, datetime.datetime)
    elif kind == "date":
        ok = (
            isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
        ) or _parses(value, datetime.date)
    else:
        ok = True  # a kind this runtime does not know: the generator is newer; do not refuse
    if not ok:
        return f"expected {_EXPECTED[kind]}, got {type(value).__name__}"
    if nonempty and value == "":
        return "must not be empty"
    return None


def _parses(value: object, kind: type[datetime.date]) -> bool:
    if not isinstance(value, str) or len(value) > 64:
        return False
    try:
        kind.fromisoformat(value)
    except ValueError:
        return False
    return True
