"""Turn a 2xx `httpx.Response` into the documented Python type.

A 2xx body is data from the authority, so it is read tolerantly: when the
fast, strict validation fails, `_Reader` validates field by field, keeps a
value that breaks a rule of the spec (a pattern, a length, a range, a
format, a missing "required" property, a number where a string is
declared) and logs one WARNING per model field. Only structural nonsense
(invalid JSON, an array where an object is expected) still raises
`APIResponseValidationError`. `strict=True` (the client's
`strict_responses=True`) restores strict parsing.
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._lazy import LazyModule
from ._logs import logger
from ._types import (
    contains_model,
    field_spellings,
    fields_of,
    is_model,
    strip_optional,
    type_adapter,
)
from .errors import APIResponseValidationError

if TYPE_CHECKING:
    import pydantic
else:
    pydantic = LazyModule("pydantic")

__all__ = [
    "RawResponse",
    "parse_response",
    "raw_response_requested",
    "to_async_raw_response",
    "to_raw_response",
]

T = TypeVar("T")
P = ParamSpec("P")

_NOT_PARSED: Any = object()

# Error types that say the JSON has the wrong shape, not a value that breaks a rule.
_STRUCTURAL = frozenset(
    {
        "json_invalid",
        "json_type",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "tuple_type",
        "set_type",
        "frozen_set_type",
        "iterable_type",
    }
)
# (model, field) pairs already warned about; bounded so a hostile server cannot grow it.
_WARNED: set[tuple[str, str]] = set()
_MAX_WARNED = 1024


def parse_response(
    response: httpx.Response, response_type: Any, operation_id: str, *, strict: bool = False
) -> Any:
    """Validate a successful response body into `response_type`.

    Args:
        response: A 2xx response whose body has been read.
        response_type: A model class, a generic alias like `list[Order]`,
            `str`, `dict[str, Any]`, or None when no body is expected.
        operation_id: For error messages and warnings.
        strict: Raise on any mismatch instead of keeping off-spec values.

    Returns:
        The parsed value; None when `response_type` is None. For `str`, a
        body that is not a JSON string is returned as its text.

    Raises:
        APIResponseValidationError: The body is not JSON, has the wrong
            shape, or (strict only) breaks a rule of the spec.
    """
    if response_type is None:
        return None
    try:
        return type_adapter(response_type).validate_json(response.content)
    except pydantic.ValidationError as exc:
        if response_type is str:
            # Some endpoints document a JSON string but send the bare id.
            return response.text
        if not strict and not any(e["type"] in _STRUCTURAL for e in exc.errors()):
            try:
                body = json.loads(response.content, parse_constant=_not_json)
                return _Reader(operation_id).read(response_type, body)
            except _ShapeError:
                pass  # the strict error below says where, with pydantic's wording
        detail = f"{exc.error_count()} error(s): " + "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False)[:5]
        )
        raise APIResponseValidationError(
            response, operation_id=operation_id, detail=detail
        ) from exc


class _ShapeError(Exception):
    """The body has a shape no reading of the spec allows (e.g. a list for an object)."""


def _not_json(constant: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259), though Python's json module reads them.
    raise _ShapeError(f"{constant} is not a JSON value")


class _Reader:
    """Reads one body field by field after the strict validation failed.

    Every value that validates is the validated value; a scalar that does
    not is kept as sent (an integer where a string is declared becomes its
    decimal text, the only lossless coercion); a missing required field
    reads as None and stays unset (`model_fields_set`).
    """

    def __init__(self, operation_id: str) -> None:
        self.operation_id = operation_id

    def read(self, annotation: Any, value: Any) -> Any:
        """`value` as `annotation`, tolerating rule violations at any depth."""
        target, nullable = strip_optional(annotation)
        if value is None and nullable:
            return None
        if is_model(target):
            if not isinstance(value, dict):
                raise _ShapeError
            return self._model(target, value)
        origin = typing.get_origin(target)
        if origin is list:
            if not isinstance(value, list):
                raise _ShapeError
            (item,) = typing.get_args(target)
            return [self.read(item, v) for v in value]
        if origin is dict:
            if not isinstance(value, dict):
                raise _ShapeError
            _, item = typing.get_args(target)
            return {k: self.read(item, v) for k, v in value.items()}
        try:
            return type_adapter(annotation).validate_python(value)
        except pydantic.ValidationError:
            raise _ShapeError from None  # a bare value outside any model field: nothing to name

    def _model(self, model: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
        try:
            return type_adapter(model).validate_python(data)
        except pydantic.ValidationError:
            pass
        keys = field_spellings(model)
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in data.items():
            if key in keys:
                name = keys[key][0]
                values[name] = self._field(model, name, raw)
            else:
                extra[key] = raw
        present = set(values)
        for name, field in fields_of(model).items():
            if name not in values and field.is_required():
                self._warn(model, name, "is required by the spec but missing; it reads as None")
                values[name] = None
        return model.model_construct(_fields_set=present, **values, **extra)

    def _field(self, model: type[pydantic.BaseModel], name: str, raw: Any) -> Any:
        try:
            return _field_adapter(model, name).validate_python(raw)
        except pydantic.ValidationError as exc:
            error = exc.errors(include_url=False, include_input=False)[0]
        annotation = fields_of(model)[name].annotation
        if contains_model(annotation):
            return self.read(annotation, raw)  # each nested model reports its own fields
        target, _ = strip_optional(annotation)
        container = typing.get_origin(target)
        if isinstance(raw, dict | list) != (container in (list, dict)):
            raise _ShapeError  # an object or array where a value is declared, or the reverse
        if container in (list, dict) and not isinstance(raw, container):
            raise _ShapeError
        self._warn(model, name, f"breaks its rule ({error['msg']}); the value was kept as sent")
        if target is str and isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
        return raw

    def _warn(self, model: type[pydantic.BaseModel], name: str, problem: str) -> None:
        key = (model.__qualname__, name)
        if key in _WARNED:
            return
        if len(_WARNED) < _MAX_WARNED:
            _WARNED.add(key)
        wire = field_spellings(model)[name][1]
        spelled = f"{name} (wire {wire!r})" if wire != name else name
        # The value itself is never logged: response data may be personal.
        logger.warning(
            "%s: response field %s.%s %s", self.operation_id, model.__name__, spelled, problem
        )


@functools.lru_cache(maxsize=1024)
def _field_adapter(model: type[pydantic.BaseModel], name: str) -> pydantic.TypeAdapter[Any]:
    """A validator for one field with its constraints (pattern, length, range, format)."""
    field = fields_of(model)[name]
    annotation: Any = field.annotation
    if field.metadata:
        annotation = typing.Annotated[annotation, *field.metadata]
    return pydantic.TypeAdapter(annotation)


# Set by the with_raw_response wrappers for the one call they make.
_RAW_RESPONSE: ContextVar[bool] = ContextVar("norce_raw_response", default=False)


def raw_response_requested() -> bool:
    """Whether the client call being made should return its `RawResponse`.

    Reading clears the request, so calls made while this one is in flight
    (an event hook calling the API) return parsed bodies as usual.
    """
    if not _RAW_RESPONSE.get():
        return False
    _RAW_RESPONSE.set(False)
    return True


def to_raw_response(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """Wrap a client method so it returns the `RawResponse` instead of the parsed body.

    The wrapper has the method's exact parameters (`ParamSpec`), so type
    checkers and editors show the same signature and docstring.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _RAW_RESPONSE.set(True)
        try:
            return cast("RawResponse[T]", method(*args, **kwargs))
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapper


def to_async_raw_response(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[RawResponse[T]]]:
    """Async twin of `to_raw_response`."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _RAW_RESPONSE.set(True)
        try:
            return cast("RawResponse[T]", await method(*args, **kwargs))
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapper


class RawResponse(Generic[T]):
    """A successful response together with its lazily parsed body.

    Returned by `client.with_raw_response.<method>(...)`: read headers or the
    status, then call `parse()` for the same value the plain call returns.

    Attributes:
        http_response: The underlying `httpx.Response`.
        retries_taken: How many retries happened before this response.
    """

    __slots__ = (
        "_operation_id",
        "_parsed",
        "_response_type",
        "_strict",
        "http_response",
        "retries_taken",
    )

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        response_type: Any,
        operation_id: str,
        retries_taken: int = 0,
        strict: bool = False,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._response_type = response_type
        self._operation_id = operation_id
        self._strict = strict
        self._parsed: Any = _NOT_PARSED

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.http_response.headers

    def parse(self) -> T:
        """Validate the body into the documented type; cached after the first call.

        Raises:
            APIResponseValidationError: The body is not JSON or has the wrong
                shape (or, on a `strict_responses` client, breaks any rule).
        """
        if self._parsed is _NOT_PARSED:
            self._parsed = parse_response(
                self.http_response, self._response_type, self._operation_id, strict=self._strict
            )
        return cast(T, self._parsed)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self._operation_id}>"
