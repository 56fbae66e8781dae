"""The I/O-free description of one API call, and how it becomes bytes.

Generated operations build a `Request`; the client turns it into an
`httpx.Request` with `build_url`, `build_query` and `encode_body`. Nothing
here touches the network, so all of it can be unit-tested directly.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import pydantic
import pydantic_core

from ._types import NotGiven, reject_unknown_enum_values
from .errors import RequestValidationError

__all__ = ["Request", "build_query", "build_url", "encode_body"]

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Request(Generic[T]):
    """One API call, as built by a generated operation.

    Attributes:
        method: Upper-case HTTP method.
        path: Path template relative to the base URL, e.g.
            "/api/v0/checkout/orders/{order_id}".
        path_params: Values for the template's placeholders (percent-encoded
            when the URL is built).
        query: Query parameters; NOT_GIVEN and None values are left out.
        headers: Wire header names to values: a string sets the header,
            NOT_GIVEN leaves the client default (or no header), None removes
            the header even if the client has a default.
        body: NOT_GIVEN for no body, else a model, a list of models, a dict
            or a primitive, sent as JSON.
        response_type: What a 2xx JSON body is validated into, or None when
            no body is expected.
        idempotent: Whether the call may be retried without opting in.
        operation_id: The spec's operationId, for messages and logs.
    """

    method: str
    path: str
    path_params: Mapping[str, object]
    query: Mapping[str, object]
    headers: Mapping[str, str | NotGiven | None]
    body: object
    response_type: Any
    idempotent: bool
    operation_id: str


@functools.lru_cache(maxsize=256)
def _split_path(path: str) -> tuple[str, ...]:
    # Even indexes are literal text, odd ones placeholder names.
    return tuple(_PLACEHOLDER.split(path))


def build_url(base_url: str, request: Request[Any]) -> str:
    """Join the base URL and the request's path with encoded parameters.

    Args:
        base_url: Base URL without a trailing slash.
        request: The call.

    Returns:
        The absolute URL, without query string.

    Raises:
        RequestValidationError: A placeholder has no value, or a value is
            empty, "." or ".." (which would change the path's meaning).
    """
    parts = _split_path(request.path)
    if len(parts) == 1:
        return base_url + request.path
    out = [base_url]
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(part)
            continue
        value = request.path_params.get(part)
        if value is None:
            raise RequestValidationError(request.operation_id, [f"path.{part}: missing"])
        text = value.value if isinstance(value, enum.Enum) else str(value)
        if text in ("", ".", ".."):
            raise RequestValidationError(
                request.operation_id, [f"path.{part}: {text!r} is not a valid path segment"]
            )
        # safe="" so "/" and "?" inside a value cannot leave the segment.
        out.append(quote(text, safe=""))
    return "".join(out)


def build_query(query: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """Flatten query parameters into (name, value) pairs.

    NOT_GIVEN and None are dropped, bools become "true"/"false", enums their
    value, dates ISO 8601, and a list repeats the name once per item.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if isinstance(value, list | tuple):
            pairs.extend((name, _query_value(item)) for item in value if _present(item))
        elif _present(value):
            pairs.append((name, _query_value(value)))
    return tuple(pairs)


def _present(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def encode_body(body: object, operation_id: str) -> bytes:
    """Validate a request body again and serialise it to JSON.

    Models are dumped, re-validated and dumped again, so a value that skipped
    validation (`model_construct`, attribute assignment, an unknown enum
    value) fails here, naming the field, instead of at the server. Fields the
    caller never set are left out; a field set to None is sent as null.

    Args:
        body: A model, a list or dict (possibly of models), or a primitive.
        operation_id: For error messages.

    Returns:
        UTF-8 JSON bytes.

    Raises:
        RequestValidationError: The body does not match its model.
    """
    try:
        with reject_unknown_enum_values():
            return pydantic_core.to_json(_revalidate(body))
    except pydantic.ValidationError as exc:
        raise RequestValidationError(operation_id, _describe(exc)) from None
    except (pydantic_core.PydanticSerializationError, ValueError) as exc:
        # An unserialisable object, or an unknown bare enum value.
        raise RequestValidationError(operation_id, [f"body: {exc}"]) from None


def _revalidate(value: object) -> object:
    """Return `value` as JSON-ready data, with every model re-validated."""
    if isinstance(value, pydantic.BaseModel):
        # mode="json" turns enum members into plain strings, so the lookup
        # (and its unknown-value check) runs again on validation.
        data = value.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
        checked = type(value).model_validate(data)
        return checked.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_revalidate(item) for item in value]
    if isinstance(value, dict):
        return {key: _revalidate(item) for key, item in value.items()}
    if isinstance(value, enum.Enum):
        return type(value)(value.value).value
    return value


def _describe(exc: pydantic.ValidationError) -> list[str]:
    # include_input=False: request data may be personal; the field and the
    # rule are enough to find the mistake.
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in error["loc"]) or "body"
        lines.append(f"{exc.title}.{location}: {error['msg']}")
    return lines
